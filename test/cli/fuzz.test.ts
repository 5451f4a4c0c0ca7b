// Fuzzing the whole tool: random mutations of real tests go through parsing, compilation and a
// bounded search. The tool may reject them (exit 2), find violations or run out of budget, but it
// never crashes (exit 4) and never prints a stack trace.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { check } from '../../src/check/verdict.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { compile } from '../../src/semantics/compile.js';
import { RuntimeModelError } from '../../src/semantics/runner.js';
import { ROOT } from '../support/memoryIo.js';
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
