// VM_BUG_ON(c), VM_BUG_ON_PAGE(c, page), VM_BUG_ON_VMA(c, vma): BUG_ON of a CONFIG_DEBUG_VM
// kernel, the `assertion` property; the thread stops there.

import { describe, expect, test } from 'vitest';
import { replay } from '../../src/check/trace.js';
import { check } from '../../src/check/verdict.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { compile } from '../../src/semantics/compile.js';
import { loadTestPrelude } from '../support/prelude.js';

const prelude = loadTestPrelude();

function compileBody(body: string) {
  const text = `MMU vm-bug
{
  vma v = [0x200000, 0x400000) anon rw;
  frame p = 1;
  pte 0x200000 = p rw;
}
kernel K0 {
  e = ptep_get(0x200000);
${body}
  r9 = 1;
}
exists (K0:r9 = 1)
`;
  const parsed = parseLitmus(sourceFile('vm-bug.litmus', text));
  expect(parsed.diagnostics).toEqual([]);
  return compile(parsed.ast!, prelude);
}

describe('VM_BUG_ON', () => {
  test.each([
    ['VM_BUG_ON(pte_present(e));', 'kernel BUG: VM_BUG_ON'],
    ['VM_BUG_ON_PAGE(pte_page(e) == p, p);', 'kernel BUG: VM_BUG_ON_PAGE, page p'],
    ['VM_BUG_ON_VMA(v.anon, v);', 'kernel BUG: VM_BUG_ON_VMA, vma v'],
  ])('%s fires: assertion, and the thread stops', (stmt, message) => {
    const program = compileBody(`  ${stmt}`).program!;
    const v = check(program);
    expect(v.violations.map((x) => x.property)).toEqual(['assertion']);
    expect(v.observation).toBe('Never');
    const r = replay(program, v.violations[0]!.schedule);
    if (!r.ok) throw new Error('the trace does not replay');
    expect(r.steps.flatMap((s) => s.events.map((e) => e.message))).toEqual([message]);
  });

  test.each(['VM_BUG_ON(!pte_present(e));', 'VM_BUG_ON_PAGE(pte_page(e) != p, p);', 'VM_BUG_ON_VMA(!v.anon, v);'])(
    '%s holds: nothing happens',
    (stmt) => {
      const v = check(compileBody(`  ${stmt}`).program!);
      expect(v.violations).toEqual([]);
      expect(v.observation).toBe('Always');
    },
  );

  test('the page and vma arguments are checked by kind', () => {
    expect(compileBody('  VM_BUG_ON_VMA(0, p);').diagnostics.map((d) => d.code)).toEqual(['ML2023']);
    expect(compileBody('  VM_BUG_ON_PAGE(0, v);').diagnostics.map((d) => d.code)).toEqual(['ML2023']);
    expect(compileBody('  VM_BUG_ON(0, p);').diagnostics.map((d) => d.code)).toEqual(['ML2003']);
  });
});
