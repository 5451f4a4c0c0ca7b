// A step never builds a page table that the initial state would reject (compile.ts): entries
// are changed at aligned addresses (ML4010), inside a vma (ML4011), and a present huge entry maps
// a `thp` frame and covers no PTE table (ML4012). Lookups take any address, as pte_offset_map().

import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/verdict.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { compile } from '../../src/semantics/compile.js';
import { RuntimeModelError } from '../../src/semantics/runner.js';
import { loadTestPrelude } from '../support/prelude.js';

const prelude = loadTestPrelude();

/** The code of the model error the kernel thread's body raises, or 'ok'. */
function outcome(body: string, frames = 'frame p = 1;\n  frame h = 2 thp;'): string {
  const text = `MMU writes
{
  vma v = [0x200000, 0x600000) anon rw;
  ${frames}
  pte 0x200000 = p rw dirty young;
}
kernel K0 {
  e = ptep_get(0x200000);
  ${body}
}
`;
  const parsed = parseLitmus(sourceFile('writes.litmus', text));
  expect(parsed.diagnostics).toEqual([]);
  const c = compile(parsed.ast!, prelude);
  expect(c.diagnostics).toEqual([]);
  try {
    check(c.program!);
    return 'ok';
  } catch (e) {
    if (e instanceof RuntimeModelError) return e.code;
    throw e;
  }
}

describe('page-table writes at run time', () => {
  test('aligned writes inside the vma are fine', () => {
    expect(outcome('set_pte_at(0x201000, e);')).toBe('ok');
    expect(outcome('set_pmd_at(0x400000, mk_pmd(h, 1));')).toBe('ok');
  });

  test('lookups take any address in the entry', () => {
    expect(outcome('f = ptep_get(0x200ff8); g = pmdp_get(0x4ff000);')).toBe('ok');
  });

  test('an unaligned write is ML4010', () => {
    expect(outcome('set_pte_at(0x201010, e);')).toBe('ML4010');
    expect(outcome('pte_clear(0x200008);')).toBe('ML4010');
    expect(outcome('set_pmd_at(0x401000, mk_pmd(h, 1));')).toBe('ML4010');
  });

  test('a write outside every vma is ML4011', () => {
    expect(outcome('set_pte_at(0x600000, e);')).toBe('ML4011');
    expect(outcome('set_pmd_at(0x800000, mk_pmd(h, 1));')).toBe('ML4011');
    // Clearing an entry that is already none changes nothing.
    expect(outcome('pte_clear(0x600000);')).toBe('ok');
  });

  test('a huge entry of a frame that is not thp is ML4012', () => {
    expect(outcome('set_pmd_at(0x400000, mk_pmd(p, 1));')).toBe('ML4012');
  });

  test('a huge entry over a PTE table that still maps something is ML4012', () => {
    expect(outcome('set_pmd_at(0x200000, mk_pmd(h, 1));')).toBe('ML4012');
    expect(outcome('pte_clear(0x200000); set_pmd_at(0x200000, mk_pmd(h, 1));')).toBe('ok');
  });
});
