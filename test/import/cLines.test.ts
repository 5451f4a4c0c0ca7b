// Item 6 of the import work: an imported routine keeps its C lines. `cLineOf` maps each generated
// line to the C; the `// file.c:LINE` markers travel with the text, so traces (text and JSON) and
// diagnostics of a test that pastes the routine name the C line of each step.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { importFunctions, loadCParser } from '../../src/import/index.js';
import { blankAttributeMacros } from '../../src/import/preprocess.js';
import { cLocationOf } from '../../src/lang/cMarker.js';
import { cli, ROOT } from '../support/memoryIo.js';

const FIX = 'test/import/fixtures';
const work = mkdtempSync(join(tmpdir(), 'mmu-litmus-clines-'));

describe('C lines of imported routines', async () => {
  const parser = await loadCParser();
  const text = readFileSync(join(ROOT, FIX, 'flags.c'), 'utf8');
  const r = importFunctions(parser, { path: 'mm/flags.c', text }, ['unmap_one'], { variant: 'v', kernel: 'v4.13' });

  test('cLineOf agrees with the marker of every statement line, and the C line holds that statement', () => {
    expect(r.ok).toBe(true);
    expect(r.routines).toEqual(['unmap_one@v', 'make_swap@v']);
    const cLines = text.split('\n');
    const lines = r.litmus.split('\n');
    let marked = 0;
    lines.forEach((l, i) => {
      const m = cLocationOf(l);
      if (m === undefined) return;
      marked++;
      expect(m.path).toBe('mm/flags.c');
      expect(r.cLineOf(i + 1)).toBe(m.line);
      // the generated statement's first call (or assigned name) appears on that C line
      const word = /([A-Za-z_]\w*)/.exec(l.trim().replace(/^(if|foreach|return|goto) /, ''))?.[1];
      if (word !== undefined && !['defer', 'young', 'make_swap_ret'].includes(word))
        expect(cLines[m.line - 1]).toContain(word);
    });
    expect(marked).toBeGreaterThan(15);
    expect(r.cLineOf(lines.length + 5)).toBeUndefined();
  });

  test('blanking attribute macros keeps every offset', () => {
    const src = 'static int __maybe_unused __init f(void) __releases(&l)\n{ return 0; }\n';
    const out = blankAttributeMacros(src);
    expect(out.length).toBe(src.length);
    expect(out.indexOf('f(void)')).toBe(src.indexOf('f(void)'));
    expect(out).not.toMatch(/__maybe_unused|__init|__releases/);
  });
});

describe('traces and diagnostics of a pasted routine name the C', async () => {
  const imported = await cli(['import', `${FIX}/walk.c`, '--function', 'wrprotect_one', '--kernel', 'v4.13']);
  const scenario = readFileSync(join(ROOT, FIX, 'wrprotect-pte.litmus'), 'utf8').replace('// ROUTINE', imported.stdout);
  const path = join(work, 'wrprotect-pte.litmus');
  writeFileSync(path, scenario);

  test('text trace steps carry (file.c:LINE)', async () => {
    const r = await cli(['run', path, '--secondary', 'dev=userptr']);
    // The step names its litmus line and the C line; the call chain line above names the routine.
    expect(r.stdout).toMatch(/\.litmus:\d+ \(test\/import\/fixtures\/walk\.c:35\) +set_pte_at\(address, val\)/);
    expect(r.stdout).toMatch(/ in .*> wrprotect_one@import$/m);
    expect(r.stdout).toMatch(/\(test\/import\/fixtures\/walk\.c:53\) +mmu_notifier_invalidate_range/);
  });

  test('JSON trace steps carry c: { file, line }', async () => {
    const r = await cli(['run', path, '--secondary', 'dev=userptr', '--format', 'json']);
    const j = JSON.parse(r.stdout) as {
      tests: { warnings: { trace: { statement: string; location: { chain: unknown[]; c: unknown } }[] }[] }[];
    };
    const step = j.tests[0]!.warnings[0]!.trace.find((s) => s.statement.startsWith('set_pte_at'))!;
    expect(step.location.c).toEqual({ file: 'test/import/fixtures/walk.c', line: 35 });
  });

  test('ITF trace steps carry c: { file, line }', async () => {
    const r = await cli(['run', path, '--secondary', 'dev=userptr', '--itf', 'trace.itf.json']);
    const itf = r.written.get('trace.itf.json');
    expect(itf).toBeDefined();
    expect(JSON.stringify(JSON.parse(itf!))).toContain('"c":{"file":"test/import/fixtures/walk.c","line":35}');
  });

  test('the --html viewer gets the C line of each imported step', async () => {
    const r = await cli(['run', path, '--secondary', 'dev=userptr', '--html', 'trace.html']);
    const html = r.written.get('trace.html');
    expect(html).toBeDefined();
    const data = html!.replace(/\s/g, '').replace(/\\\//g, '/');
    expect(data.includes('"c":{"file":"test/import/fixtures/walk.c","line":35}')).toBe(true);
    expect(html!.includes('m.c.file + ":" + m.c.line')).toBe(true);
  });

  test('a diagnostic in the pasted routine names the C line', async () => {
    const r = await cli(['run', path, '--kernel', 'v6.6']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error ML2004: .*\n(.*\n){3} *= imported from test\/import\/fixtures\/walk\.c:53\n/);
  });
});
