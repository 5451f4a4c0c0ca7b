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
  'if (spin_trylock(l)) { x = 4; spin_unlock(l); }',
  // Leaving the walk by goto, as the kernel does after page_vma_mapped_walk_done().
  'foreach m in page_vma_mapped_walk(p, v, A) { page_vma_mapped_walk_done(m); goto LABEL; } x = 6; LABEL: ;',
  'if (x != 0) { goto LABEL; } r = page_content(p); LABEL:',
  // A zap through the mmu_gather: the page is freed after the flush, in another step.
  'tlb_gather_mmu(A, A + 0x1000); pte_lock(A); e = ptep_get_and_clear_full(A, 0); if (pte_present(e)) { tlb_remove_tlb_entry(A); page_remove_rmap(pte_page(e)); __tlb_remove_page(pte_page(e)); } pte_unlock(A); tlb_finish_mmu(A, A + 0x1000);',
];
const CPU = ['r = load(A);', 'store(A, 7);', 'r = x;', 'await (x != 0);', 'assert (r != 9);'];
const DEVICE = ['r = load(A);', 'store(A, 8);'];

const addr = fc.constantFrom('0x200000', '0x201000');

function stmt(menu: readonly string[]) {
  return fc.tuple(fc.constantFrom(...menu), addr).map(([s, a]) => s.replace(/\bA\b/g, a));
}

/** Each statement's labels made unique within its body (the same statement may be drawn twice). */
function labelled(stmts: readonly string[]): string[] {
  return stmts.map((s, i) => s.replace(/\bLABEL\b/g, `out${i}`));
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
    const body = ['r = 0;', ...labelled(second === 'cpu' ? s : second === 'device' ? d : k2)];
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
  ${labelled(k).join('\n  ')}
}
${head} {
  ${body.join('\n  ')}
}
locations [x; [p]; [q]; ${second === 'kernel' ? 'K1' : second === 'cpu' ? 'C0' : 'D0'}:r];
`;
    return { text };
  });

// Programs over globals, spinlocks and local choices only, with loops: the steps the
// partial-order reduction can reorder (it never reorders steps that touch memory management), so
// that comparing reduced and full searches on them tests the reduction where it acts.
const SYNC = [
  'x = x + 1;',
  'y = 1;',
  'r = x;',
  'r = y;',
  'z = r;',
  'spin_lock(l); x = 2; spin_unlock(l);',
  'spin_lock(m); y = y + 1; spin_unlock(m);',
  'spin_lock(l); spin_lock(m); z = z + 1; spin_unlock(m); spin_unlock(l);',
  'choose { x = 3; } or { r = 1; }',
  'choose { r = 2; } or { r = 3; }',
  // Branches whose first shared step may wait (runner.ts takes it with the pick when it can).
  'choose { spin_lock(l); y = 3; spin_unlock(l); } or { await (z != 0); }',
  'await (x != 0);',
  'assert (y != 2);',
  'if (r == 1) { z = 1; } else { r = r + 1; }',
  'while (r < 2) { r = r + 1; }',
  'while (y == 0) { r = x; if (r == 3) { break; } }',
  'r = 0; while (r < 2) { r = r + 1; z = r; }',
  // A shared read early in a loop body and another shared step after it: what the thread may
  // still do includes the read again.
  'r = 0; while (r < 2) { x = y; r = r + 1; z = r; }',
  // Trylocks (footprint: their lock only) next to the blocking mutex and rwsem operations.
  'if (spin_trylock(l)) { x = 4; spin_unlock(l); }',
  'r = spin_trylock(m); if (r) { y = 2; spin_unlock(m); }',
  'if (mutex_trylock(mu)) { z = 2; mutex_unlock(mu); } else { r = 5; }',
  'mutex_lock(mu); z = z + 1; mutex_unlock(mu);',
  'if (down_read_trylock(sem)) { r = x; up_read(sem); }',
  'if (down_write_trylock(sem)) { x = 6; up_write(sem); }',
  'down_read(sem); r = y; up_read(sem);',
  // Forward gotos: out of a loop, and over a shared step.
  'r = 0; while (1) { r = r + 1; if (r == 2) { goto LABEL; } x = r; } LABEL: ;',
  'if (y != 0) { goto LABEL; } z = 3; LABEL: r = z;',
  // A thread that loops forever on local choices (a cycle of steps that change only its own
  // register) after a write another thread's `assert (y != 2)` reads: without the cycle proviso,
  // a persistent set of the loop's steps would starve that thread, and the searches differ. In
  // the second, every step leads back to the state it leaves once r is 1.
  'y = 2; while (true) { choose { r = 1; } or { r = 2; } }',
  'y = 2; while (true) { choose { r = 1; } or { r = 1; } }',
];

export const randomSyncLitmus = syncLitmus([]);

/**
 * Programs like randomSyncLitmus whose statements are also drawn from `extra`: the calls of the
 * primitives the reduction may reorder, made from the primitive table (primitiveRaces.ts), so that
 * a new such primitive is raced here too without being listed.
 */
export function syncLitmus(extra: readonly string[]) {
  const menu = [...SYNC, ...extra];
  return fc
    .array(fc.array(fc.constantFrom(...menu), { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 3 })
    .map((threads) => ({ text: syncText(threads) }));
}

export function syncText(threads: readonly (readonly string[])[]): string {
  const bodies = threads.map((stmts, i) => `kernel K${i} {\n  r = 0;\n  ${labelled(stmts).join('\n  ')}\n}`);
  return `MMU random-sync
{
  global x = 0;
  global y = 0;
  global z = 0;
  lock l : spinlock;
  lock m : spinlock;
  lock mu : mutex;
  lock sem : rwsem;
}
${bodies.join('\n')}
locations [x; y; z; ${threads.map((_, i) => `K${i}:r`).join('; ')}];
`;
}

// Programs where memory-management steps of different threads touch disjoint objects: a kernel
// unmapping or reading pages (page-table locks, the page table, frames, the notifier), two
// mirrors' callbacks and faults (each its own TLB, lock and sequence count) and device or cpu
// accesses on the same or distinct pages, with the monitors that read memory management after
// every step on or off. The reduction reorders exactly these steps when the monitors are off.
const MM_KERNEL = [
  'pte_lock(A); e = ptep_get_and_clear(A); pte_unlock(A);',
  'mmu_notifier_invalidate_range_start(A, A + 0x1000); mmu_notifier_invalidate_range_end(A, A + 0x1000);',
  'pte_lock(A); e = ptep_get_and_clear(A); pte_unlock(A); mmu_notifier_invalidate_range_start(A, A + 0x1000); atomic { page_remove_rmap(P); put_page(P); } mmu_notifier_invalidate_range_end(A, A + 0x1000);',
  'mmu_notifier_invalidate_range_start(A, A + 0x1000); pte_lock(A); e = ptep_get_and_clear(A); pte_unlock(A); mmu_notifier_invalidate_range_end(A, A + 0x1000); put_page(P);',
  'e = ptep_get(A);',
  'x = x + 1;',
  'get_page(P); put_page(P);',
  'pte_lock(A); e = ptep_get(A); if (pte_present(e)) { set_pte_at(A, pte_wrprotect(e)); } pte_unlock(A);',
];
const MM_DEVICE = [
  'r = load(A);',
  'store(A, 8);',
  'choose { r = load(0x200000); } or { r = load(0x201000); }',
  'r = 0; while (r == 0) { choose { r = load(A); } or { r = 1; } }',
  'r = x;',
];
const MM_CPU = ['r = load(A);', 'store(A, 7);', 'choose { r = load(0x200000); } or { store(0x201000, 6); }'];

function mmStmt(menu: readonly string[]) {
  return fc
    .tuple(fc.constantFrom(...menu), fc.constantFrom(0, 1))
    .map(([s, i]) => s.replace(/\bA\b/g, i === 0 ? '0x200000' : '0x201000').replace(/\bP\b/g, `p${i}`));
}

export const randomMmLitmus = fc
  .record({
    kernel: fc.constantFrom('v4.13', 'v6.10'),
    checks: fc.subarray(['dangling-translation', 'incoherent-translation', 'unnotified-change']),
    k: fc.array(mmStmt(MM_KERNEL), { minLength: 1, maxLength: 2 }),
    d0: fc.array(mmStmt(MM_DEVICE), { minLength: 1, maxLength: 2 }),
    third: fc.constantFrom('device', 'cpu', 'none'),
    t: fc.array(mmStmt(MM_DEVICE), { minLength: 1, maxLength: 2 }),
    c: fc.array(mmStmt(MM_CPU), { minLength: 1, maxLength: 2 }),
    warm: fc.boolean(),
    noSeq: fc.boolean(),
    // Both pages lazily freed first (MADV_FREE's mark_page_lazyfree()): a store after it and the
    // kernel's clear without a gather is lost-update's wrong discard (semantics/lostUpdate.ts).
    lazy: fc.boolean(),
  })
  .map(({ kernel, checks, k, d0, third, t, c, warm, noSeq, lazy }) => {
    const config = [`kernel = "${kernel}";`, ...checks.map((p) => `check -${p};`)].join(' ');
    const madvFree = lazy ? 'ClearPageSwapBacked(p0);\n  ClearPageSwapBacked(p1);\n  ' : '';
    const threads = [
      `kernel K0 {\n  r = 0;\n  ${madvFree}${labelled(k).join('\n  ')}\n}`,
      `device D0 on d0 {\n  r = 0;\n  ${labelled(d0).join('\n  ')}\n}`,
      ...(third === 'device' ? [`device D1 on d1 {\n  r = 0;\n  ${labelled(t).join('\n  ')}\n}`] : []),
      ...(third === 'cpu' ? [`cpu C0 {\n  r = 0;\n  ${labelled(c).join('\n  ')}\n}`] : []),
    ];
    const regs = ['K0:r', 'D0:r', ...(third === 'device' ? ['D1:r'] : []), ...(third === 'cpu' ? ['C0:r'] : [])];
    const text = `MMU random-mm
config { ${config} }
{
  vma v = [0x200000, 0x202000) anon rw;
  frame p0 = 1;
  frame p1 = 2;
  pte 0x200000 = p0 rw;
  pte 0x201000 = p1 rw dirty;
  secondary d0 : dev;
  secondary d1 : dev;
${warm ? '  tlb d0 0x200000 = p0 rw;\n  tlb d1 0x201000 = p1;\n' : ''}  global x = 0;
}
secondary dev {
  state seq = 0;
  lock update : spinlock;
  on invalidate_range_start(s, e) {
    spin_lock(update);
    seq = seq + 1;
    stlb_zap(s, e);
    spin_unlock(update);
  }
  fault(a, write) {
    snap = seq;
    e = ptep_get(a);
    if (pte_present(e)) {
      spin_lock(update);
      if (${noSeq ? '1' : 'seq == snap'}) {
        stlb_fill(a, pte_page(e), write);
      }
      spin_unlock(update);
    }
  }
}
${threads.join('\n')}
locations [x; [p0]; [p1]; ${regs.join('; ')}];
`;
    return { text };
  });
