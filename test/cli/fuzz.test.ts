// Fuzzing the whole tool: random mutations of real tests go through parsing, compilation and a
// bounded search. The tool may reject them (exit 2), find violations or run out of budget, but it
// never crashes (exit 4) and never prints a stack trace.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { check } from '../../src/check/verdict.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { compile } from '../../src/semantics/compile.js';
import { RuntimeModelError } from '../../src/semantics/runner.js';
import { cli, ROOT } from '../support/memoryIo.js';
import { loadTestPrelude } from '../support/prelude.js';

const prelude = loadTestPrelude();

function catalogue(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      if (name.isDirectory()) walk(`${dir}/${name.name}`);
      else if (name.name.endsWith('.litmus')) out.push(readFileSync(join(ROOT, dir, name.name), 'utf8'));
    }
  };
  walk('litmus');
  return out;
}

const sources = catalogue();
const VOCAB = [
  'p',
  'q',
  'n',
  'v',
  'x',
  'K0',
  'C0',
  'D0',
  'iommu',
  'NULL',
  '0',
  '1',
  '-1',
  '0x200000',
  '0x1000',
  'ULONG_MAX',
  'put_page(p);',
  'get_page(p);',
  'pte_lock(0x200000);',
  'pte_unlock(0x200000);',
  'r0 = load(0x200000);',
  'mmu_notifier_invalidate_range_end(0x200000, 0x201000);',
  'while (true) { }',
  'break;',
  'return;',
  '{',
  '}',
  ';',
  'atomic {',
  'choose {',
  '} or {',
  'await (0);',
  'flush_tlb_mm();',
  'store(0x0, 1);',
  'x / 0',
  'alloc_page()',
];

/** Token-level mutations: replace, delete, or insert a token at a random place. */
const mutation = fc.record({
  file: fc.nat({ max: sources.length - 1 }),
  edits: fc.array(
    fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      op: fc.constantFrom('replace', 'delete', 'insert'),
      word: fc.constantFrom(...VOCAB),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

function mutate(text: string, edits: readonly { at: number; op: string; word: string }[]): string {
  const tokens = text.split(/(\s+)/);
  for (const e of edits) {
    const i = Math.floor(e.at * tokens.length);
    if (e.op === 'replace') tokens[i] = e.word;
    else if (e.op === 'delete') tokens.splice(i, 1);
    else tokens.splice(i, 0, ` ${e.word} `);
  }
  return tokens.join('');
}

describe('fuzz', () => {
  test.prop([mutation], { numRuns: 150 })('mutated catalogue tests never crash the tool', ({ file, edits }) => {
    const text = mutate(sources[file]!, edits);
    const parsed = parseLitmus(sourceFile('fuzz.litmus', text));
    if (parsed.ast === undefined || parsed.diagnostics.length > 0) {
      expect(parsed.diagnostics.length).toBeGreaterThan(0);
      return;
    }
    const c = compile(parsed.ast, prelude);
    if (c.program === undefined) {
      expect(c.diagnostics.length).toBeGreaterThan(0);
      return;
    }
    try {
      check(c.program, { maxStates: 3000 });
    } catch (e) {
      // Errors found while running the model are diagnostics, not crashes.
      expect(e).toBeInstanceOf(RuntimeModelError);
    }
  });
});

// The whole command line on hostile inputs (issue 13): binary garbage, operator chains longer
// than any stack, duplicate and primitive-named definitions, bad overrides. Each is bad input
// (exit 2) or a verdict, never an internal error (exit 4), and nothing printed carries a raw
// control character that a terminal would act on.
describe('hostile inputs through the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmu-litmus-fuzz-'));
  let n = 0;
  const file = (text: string | Uint8Array) => {
    const path = join(dir, `input${n++}.litmus`);
    writeFileSync(path, text);
    return path;
  };
  const clean = (s: string) => [...s].every((c) => c === '\n' || (c >= ' ' && c !== '\x7f'));
  const HEAD = 'MMU hostile\n{\n  vma v = [0x200000, 0x400000) anon rw;\n  frame p = 1;\n  pte 0x200000 = p rw;\n}\n';

  test.prop([fc.uint8Array({ minLength: 1, maxLength: 3000 })], { numRuns: 25 })(
    'binary garbage: bad input, at most 50 diagnostics, no control character printed',
    async (bytes) => {
      const r = await cli(['run', file(bytes)]);
      expect(r.code).toBe(2);
      expect(clean(r.stderr)).toBe(true);
      expect((r.stderr.match(/: error ML\d{4}: /g) ?? []).length).toBeLessThanOrEqual(50);
    },
  );

  test.each([
    ['a chain of 5000 operators', `${HEAD}kernel K0 {\n  r0 = ${Array(5001).fill('1').join(' + ')};\n}\n`],
    [
      'a condition of 20000 conjuncts',
      `${HEAD}kernel K0 {\n  r0 = 1;\n}\nexists (${Array(20001).fill('K0:r0 = 1').join(' /\\ ')})\n`,
    ],
    ['parentheses 100 deep around chains', `${HEAD}kernel K0 {\n  r0 = ${'(1 + '.repeat(99)}1${')'.repeat(99)};\n}\n`],
    [
      'a routine defined twice',
      `${HEAD}routine f() { return 1; }\nroutine f() { return 2; }\nkernel K0 {\n  r0 = f();\n}\n`,
    ],
    [
      'a routine named like a primitive',
      `${HEAD}routine ptep_get(a) { return 5; }\nkernel K0 {\n  r0 = ptep_get(0x200000);\n}\n`,
    ],
    ['return with a value in a thread', `${HEAD}kernel K0 {\n  return 5;\n}\n`],
  ])('%s: no internal error', async (_, text) => {
    const r = await cli(['run', file(text)]);
    expect(r.code).not.toBe(4);
    expect(r.stderr).not.toMatch(/internal error|^\s+at /m);
  });

  const OVERRIDES = [
    ['--variant', 'try_to_unmap_one=v9'],
    ['--variant', 'no_such_routine=v4.13'],
    ['--variant', 'page_mkclean_one=v4.13'],
    ['--variant', 'try_to_unmap_one=v4.15'],
    ['--secondary', 'dev=nosuch'],
    ['--secondary', 'dev=kvm@v9'],
    ['--secondary', 'nobody=kvm'],
    ['--secondary', 'dev=hmm'],
    ['--kernel', 'v4.12'],
  ];
  const SCENARIOS = readdirSync(join(ROOT, 'litmus/matrix')).map((f) => `litmus/matrix/${f}`);
  test.prop([fc.constantFrom(...SCENARIOS), fc.subarray(OVERRIDES, { minLength: 1, maxLength: 3 })], { numRuns: 20 })(
    'bad overrides: an error on the option or a verdict, never an internal error',
    async (path, overrides) => {
      const r = await cli(['run', '--max-states', '2000', ...overrides.flat(), path]);
      expect(r.code).not.toBe(4);
      expect(r.stderr).not.toMatch(/internal error|^\s+at /m);
    },
  );

  // --format json: whatever the input, stdout is one document of the command's format with the
  // diagnostics as data, stderr stays empty, and the document's `exit` is the exit code.
  const commands = fc.constantFrom('run', 'test');
  const inputs = fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 2000 }).map((b) => ({ text: b as string | Uint8Array })),
    mutation.map(({ file: f, edits }) => ({ text: mutate(sources[f]!, edits) as string | Uint8Array })),
  );
  test.prop([commands, fc.array(inputs, { minLength: 1, maxLength: 3 })], { numRuns: 25 })(
    'JSON mode: one document, diagnostics as data, never an internal error',
    async (command, texts) => {
      const paths = texts.map((t) => file(t.text));
      const r = await cli([command, '--format', 'json', '--max-states', '2000', ...paths]);
      expect(r.code).not.toBe(4);
      expect(r.stderr).toBe('');
      const doc = JSON.parse(r.stdout) as {
        format: string;
        exit: number;
        tests: { file: string; status: string; diagnostics: { code: string | null; line: number | null }[] }[];
      };
      expect(doc.format).toBe(`mmu-litmus-${command}/1`);
      expect(doc.exit).toBe(r.code);
      // One entry per file, in order (paths shown relative to the package root).
      expect(doc.tests.map((t) => t.file.replace(/^.*\//, ''))).toEqual(paths.map((p) => p.replace(/^.*\//, '')));
      for (const t of doc.tests) {
        if (t.status === 'error') expect(t.diagnostics.length).toBeGreaterThan(0);
        else expect(t.diagnostics).toEqual([]);
      }
    },
  );
});
