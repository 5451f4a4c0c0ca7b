// Register allocation: a routine's registers (and an access's, a notifier call's) are released
// when its code ends, so that the next call reuses them, and they are all zero again by then.

import { describe, expect, test } from 'vitest';
import { explore } from '../../src/explore/explorer.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { compile } from '../../src/semantics/compile.js';
import type { Program } from '../../src/semantics/program.js';
import { LitmusSystem } from '../../src/semantics/system.js';
import { loadTestPrelude } from '../support/prelude.js';

const prelude = loadTestPrelude();

function build(calls: string): Program {
  const text = `MMU regs
{
  vma v = [0x200000, 0x202000) anon rw;
  frame p0 = 1;
  frame p1 = 2;
  pte 0x200000 = p0 rw;
  pte 0x201000 = p1 rw;
  secondary iommu : ats;
}
routine unmap_one(a) {
  pte_lock(a);
  e = ptep_get_and_clear(a);
  pte_unlock(a);
  mmu_notifier_invalidate_range_start(a, a + PAGE_SIZE);
  mmu_notifier_invalidate_range_end(a, a + PAGE_SIZE);
  return e;
}
kernel K {
${calls}
}
device D on iommu {
  r = load(0x201000);
}
`;
  const parsed = parseLitmus(sourceFile('regs.litmus', text));
  expect(parsed.diagnostics).toEqual([]);
  const c = compile(parsed.ast!, prelude);
  expect(c.diagnostics.map((d) => d.message)).toEqual([]);
  return c.program!;
}

describe('registers', () => {
  test('calls one after the other share their registers', () => {
    const one = build('x = unmap_one(0x200000);');
    const two = build('x = unmap_one(0x200000);\n  y = unmap_one(0x201000);');
    // The second call adds only its destination register, y.
    expect(two.threads[0]!.regNames.length).toBe(one.threads[0]!.regNames.length + 1);
  });

  test("every register but the thread's own is zero when the thread ends", () => {
    const prog = build('x = unmap_one(0x200000);\n  y = unmap_one(0x201000);');
    const system = new LitmusSystem(prog);
    const visible = prog.threads.map((t) => new Set(t.visible.values()));
    let checked = 0;
    explore(system, {
      reduce: false,
      onTerminal: (_id, m) => {
        m.threads.forEach((th, t) => {
          th.regs.forEach((v, slot) => {
            if (!visible[t]!.has(slot)) expect(v).toBe(0);
          });
        });
        checked++;
      },
    });
    expect(checked).toBeGreaterThan(0);
  });
});
