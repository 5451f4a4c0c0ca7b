/*
 * ttu+ats+notify-before-free.pml -- mirrors litmus/ttu+ats+notify-before-free.litmus (expect safe).
 *
 * Mapping (the machine state and the monitors are in mm.h): kernel v4.13. Frame p (index 0):
 * content 1, refcount 2 (the mapping's and the caller's `ref p`), mapcount 1. PTE 0x200000 = p rw
 * dirty young. Secondary iommu of kind ats (TLB index 0, warm: p rw): it walks the CPU page tables
 * and has only invalidate_range callbacks (stlb_zap), so in v4.13 invalidate_range_start runs no
 * callback, mmu_notifier_invalidate_range and _end each run the ats callback after the core's
 * bookkeeping step, and the bracket closes with _end's callback step.
 * Threads: kernel K0 and device D0 -> proctypes (started atomically by init). Every litmus
 * statement that touches shared state is one atomic block; local statements run inside the block
 * of the step before them. D0's load is load_anon (mm.h): a TLB hit, a walk that fills the TLB, or
 * a fault running handle_mm_fault -> do_anonymous_page (alloc_page may hand out p once it is free)
 * and a retry.
 * Properties: use-after-free, dangling-translation, incoherent-translation, assertion and deadlock
 * as in mm.h. The final condition (D0:r0 = 1) is not compared. notifier-imbalance,
 * unnotified-change and sleep-in-atomic have nothing to fire on here (balanced bracket around the
 * clear, no sleeping call under a spinlock) and are not modelled.
 */
#define NF 1
#define NT 1
#include "mm.h"

inline invalidate_range() {
  skip;                                  /* mmu_notifier_invalidate_range: the core's step */
  stlb_zap(0)                            /* iommu: on invalidate_range -> stlb_zap */
}

proctype K0() {
  ACCESS_LOCALS;
  notifier_start();                      /* mmu_notifier_invalidate_range_start: no start callback */
  pte_lock(1);
  atomic { PTE_READ; PTE_CLEAR };        /* e = ptep_clear_flush(a): no CPU TLB; v4.13: no secondary call */
  invalidate_range();                    /* under the PTL, before the free */
  page_remove_rmap(0);
  put_page(0);                           /* the mapping's reference */
  pte_unlock(1);
  put_page(0);                           /* the caller's: frees p */
  skip;                                  /* mmu_notifier_invalidate_range_end: the core's step */
  atomic { TLB_DROP(0); bracket-- }      /* iommu: invalidate_range -> stlb_zap; the bracket closes */
}

proctype D0() {
  ACCESS_LOCALS;
  byte r0;
  load_anon(0, 0, 2, r0)
}

init {
  atomic {
    ref[0] = 2; mapc[0] = 1; content[0] = 1; backing[0] = NONE;
    pte_p = 1; pte_f = 0; pte_w = 1; pte_d = 1; pte_y = 1;
    tlb_v[0] = 1; tlb_f[0] = 0; tlb_w[0] = 1;
    run K0(); run D0()
  }
}
