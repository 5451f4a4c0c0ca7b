// Final conditions: locations with computed addresses, frame and none values, property atoms.

import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/verdict.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { compile } from '../../src/semantics/compile.js';
import { loadTestPrelude } from '../support/prelude.js';

const prelude = loadTestPrelude();

function observe(body: string, condition: string): string | undefined {
  const text = `MMU t
{
  vma v = [0x200000, 0x202000) anon rw;
  frame p = 1;
  frame q = 2;
  pte 0x200000 = p rw dirty;
  pte 0x201000 = q rw;
  ref q;
  secondary iommu : ats;
  tlb iommu 0x201000 = q rw;
}
kernel K0 {
${body}
}
${condition}
`;
  const parsed = parseLitmus(sourceFile('t.litmus', text));
  expect(parsed.diagnostics).toEqual([]);
  const c = compile(parsed.ast!, prelude);
  expect(c.diagnostics.map((d) => d.message)).toEqual([]);
  return check(c.program!).observation;
}

describe('final conditions', () => {
  const clearB = 'pte_lock(0x201000); e = ptep_clear_flush(0x201000); pte_unlock(0x201000);';
  test.each([
    ['a computed pte address', clearB, 'exists (pte(0x200000 + PAGE_SIZE) = none)', 'Always'],
    ['a pte that maps a frame', clearB, 'exists (pte(0x200000) = p)', 'Always'],
    ['a dropped translation', clearB, 'exists (tlb(iommu, 0x201000) = none)', 'Always'],
    ['a kept translation', 'r = 0;', 'exists (tlb(iommu, 0x200000 + 0x1000) = q)', 'Always'],
    ['a register holding an entry', 'e = ptep_get(0x200000);', 'exists (K0:e = p)', 'Always'],
    ['frame content', 'r = 0;', 'exists ([q] = 2 /\\ ~freed(q))', 'Always'],
    ['a property atom', 'put_page(p);', 'exists (dangling-translation)', 'Always'],
    ['a property atom, not violated', 'r = 0;', 'exists (dangling-translation)', 'Never'],
  ])('%s', (_name, body, condition, want) => {
    expect(observe(body, condition)).toBe(want);
  });
});

describe('final-state lines', () => {
  // A warning atom prints its value like a property atom: it printed `=0` in every state once.
  test('a warning atom prints 1 where the warning was raised', () => {
    const text = `MMU t
{
  global x = 0;
}
kernel K0 { if (x == 0) { WARN_ON_ONCE(1); } }
kernel K1 { x = 1; }
exists (kernel-warning)
`;
    const parsed = parseLitmus(sourceFile('t.litmus', text));
    const c = compile(parsed.ast!, prelude);
    expect(c.diagnostics).toEqual([]);
    const v = check(c.program!);
    expect(v.finals.map((f) => f.line)).toEqual(['kernel-warning=0;', 'kernel-warning=1;']);
    expect(v.observation).toBe('Sometimes');
  });
});
