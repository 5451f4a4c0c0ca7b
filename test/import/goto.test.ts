// End to end with goto: flags.c's unmap_one() (a goto to a label further down, a same-file helper,
// the ttu_flags argument) imported and run, against its hand-written twin without goto: the same
// verdicts, warnings, final states and state counts for each flag value and secondary kind.
// Skipped while the language has no goto.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { cli, ROOT } from '../support/memoryIo.js';

const FIX = 'test/import/fixtures';
const work = mkdtempSync(join(tmpdir(), 'mmu-litmus-goto-'));

const gotoProbe = 'MMU g\n{\n}\nkernel K0 {\n  goto out;\n  x = 1;\nout:\n  y = 2;\n}\n';
const hasGoto = parseLitmus(sourceFile('probe.litmus', gotoProbe)).diagnostics.length === 0;

function scenario(routine: string, flags: string, name: string): string {
  const text = readFileSync(join(ROOT, FIX, 'unmap-anon.litmus'), 'utf8')
    .replace('// ROUTINE', routine)
    .replace('0x200000, FLAGS)', `0x200000, ${flags})`);
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

async function summary(path: string, kind: string) {
  const r = await cli(['run', path, '--secondary', `dev=${kind}`, '--format', 'json']);
  expect(r.stderr, r.stderr).toBe('');
  const j = JSON.parse(r.stdout) as {
    observation: string;
    violations: { property: string }[];
    warnings: { warning: string }[];
    search: { states: number };
    states: { state: string }[];
  };
  return {
    observation: j.observation,
    violations: [...new Set(j.violations.map((v) => v.property))].sort(),
    warnings: [...new Set(j.warnings.map((w) => w.warning))].sort(),
    states: j.search.states,
    finals: j.states.map((s) => s.state).sort(),
  };
}

describe.skipIf(!hasGoto)('an imported function with goto runs like its hand-written twin', async () => {
  const imported = await cli(['import', `${FIX}/flags.c`, '--function', 'unmap_one', '--kernel', 'v4.13']);
  const twin = readFileSync(join(ROOT, FIX, 'flags-twin.litmus'), 'utf8');
  test('the import succeeds and uses goto', () => {
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^ *goto done;/m);
  });
  for (const flags of ['0', '1', '2']) {
    for (const kind of ['ats', 'userptr']) {
      test(`flags ${flags} with ${kind}`, async () => {
        const a = await summary(scenario(imported.stdout, flags, `imported-${flags}.litmus`), kind);
        const b = await summary(scenario(twin, flags, `twin-${flags}.litmus`), kind);
        expect(a).toEqual(b);
        expect(a.states).toBeGreaterThan(10);
      });
    }
  }
});
