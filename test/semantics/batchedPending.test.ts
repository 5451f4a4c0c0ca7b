// flush_tlb_batched_pending() exists from v4.13 (3ea277194daa): a test for v4.12 that calls it is
// told so (ML2004); v4.13 and later compile it.

import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/verdict.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { compile } from '../../src/semantics/compile.js';
import { loadTestPrelude } from '../support/prelude.js';

const prelude = loadTestPrelude();

function compileAt(kernel: string) {
  const text = `MMU batched-pending
config { kernel = "${kernel}"; }
{
  vma v = [0x200000, 0x201000) anon rw;
  frame p = 1;
  pte 0x200000 = p rw;
}
kernel K0 {
  pte_lock(0x200000);
  flush_tlb_batched_pending();
  pte_unlock(0x200000);
}
`;
  const parsed = parseLitmus(sourceFile('batched.litmus', text));
  expect(parsed.diagnostics).toEqual([]);
  return compile(parsed.ast!, prelude);
}

describe('flush_tlb_batched_pending', () => {
  test('v4.12 lacks it: ML2004 at the call', () => {
    const c = compileAt('v4.12');
    expect(c.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      "ML2004 'flush_tlb_batched_pending' does not exist in kernel v4.12: it was added in v4.13.",
    ]);
    const text = c.diagnostics[0]!.file.text;
    expect(text.slice(c.diagnostics[0]!.span.start, c.diagnostics[0]!.span.end)).toBe('flush_tlb_batched_pending');
  });

  test.each(['v4.13', 'v6.6'])('%s has it', (kernel) => {
    const c = compileAt(kernel);
    expect(c.diagnostics).toEqual([]);
    expect(check(c.program!, {}, undefined, false).violations).toEqual([]);
  });
});
