// Random small litmus tests for property-based tests: a fixed machine (two pages, an ATS device
// with a warm TLB, a global, a spinlock) and two or three threads of a few statements each,
// drawn from kernel, cpu and device statement menus.

import { fc } from '@fast-check/vitest';

const KERNEL = [
  'mmu_notifier_invalidate_range_start(0x200000, 0x202000);',
  'mmu_notifier_invalidate_range_end(0x200000, 0x202000);',
  'pte_lock(A); e = ptep_clear_flush(A); pte_unlock(A);',
  'pte_lock(A); e = ptep_get_and_clear(A); pte_unlock(A);',
  'pte_lock(A); ptep_set_wrprotect(A); pte_unlock(A);',
  'put_page(p);',
  'get_page(p);',
  'x = x + 1;',
  'flush_tlb_page(A);',
  'spin_lock(l); x = 2; spin_unlock(l);',
  'r = page_content(p);',
  'if (x == 0) { x = 3; } else { r = 1; }',
  'choose { x = 5; } or { r = 2; }',
];
const CPU = ['r = load(A);', 'store(A, 7);', 'r = x;', 'await (x != 0);', 'assert (r != 9);'];
const DEVICE = ['r = load(A);', 'store(A, 8);'];

const addr = fc.constantFrom('0x200000', '0x201000');

function stmt(menu: readonly string[]) {
  return fc.tuple(fc.constantFrom(...menu), addr).map(([s, a]) => s.replace(/\bA\b/g, a));
}

export interface RandomTest {
  readonly text: string;
}

export const randomLitmus = fc
  .record({
    kernel: fc.constantFrom('v4.13', 'v6.10'),
    k: fc.array(stmt(KERNEL), { minLength: 1, maxLength: 3 }),
    second: fc.constantFrom('cpu', 'device', 'kernel'),
    s: fc.array(stmt(CPU), { minLength: 1, maxLength: 2 }),
    d: fc.array(stmt(DEVICE), { minLength: 1, maxLength: 2 }),
    k2: fc.array(stmt(KERNEL), { minLength: 1, maxLength: 2 }),
    cpuTlb: fc.boolean(),
  })
  .map(({ kernel, k, second, s, d, k2, cpuTlb }) => {
    const body = ['r = 0;', ...(second === 'cpu' ? s : second === 'device' ? d : k2)];
    const head = second === 'cpu' ? 'cpu C0' : second === 'device' ? 'device D0 on iommu' : 'kernel K1';
    const text = `MMU random
config { kernel = "${kernel}"; }
{
  vma v = [0x200000, 0x202000) anon rw;
  frame p = 1;
  frame q = 2;
  frame n free;
  pte 0x200000 = p rw dirty;
  pte 0x201000 = q rw;
  ref p;
  secondary iommu : ats;
  tlb iommu 0x200000 = p rw;
${second === 'cpu' && cpuTlb ? '  tlb C0 0x201000 = q rw;\n' : ''}  global x = 0;
  lock l : spinlock;
}
kernel K0 {
  r = 0;
  ${k.join('\n  ')}
}
${head} {
  ${body.join('\n  ')}
}
locations [x; [p]; [q]; ${second === 'kernel' ? 'K1' : second === 'cpu' ? 'C0' : 'D0'}:r];
`;
    return { text };
  });
