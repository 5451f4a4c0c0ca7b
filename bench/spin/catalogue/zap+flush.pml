/*
 * zap+flush.pml -- mirrors litmus/properties/zap+flush.litmus (expect safe).
 *
 * Mapping (the machine state, the monitors and the access/fault steps are in mm.h): kernel v4.13,
 * no secondary (the notifier calls are the core's bookkeeping step only; the bracket opens with
 * _start and closes with _end). Frame p (index 0): content 1, refcount 2 (the mapping's and the test's `ref p`), mapcount 1;
 * frame n (index 1): free (content 0), the one alloc_page hands out once C0 faults. PTE 0x200000 =
 * p rw dirty young; C0's TLB warm: p rw dirty (dropped by ptep_clear_flush with the PTE).
 * Threads: kernel K0 and cpu C0 -> proctypes (started atomically by init); every litmus statement
 * that touches shared state is one atomic block, local statements run inside the block of the
 * step before them. C0's TLB is TLB index 0 (a CPU TLB: flush_tlb_page and ptep_clear_flush drop
 * it). C0's load is load_anon (mm.h): a hit, a walk that fills the TLB, or a fault running
 * handle_mm_fault -> do_anonymous_page and a retry.
 * Properties: use-after-free, dangling-translation, incoherent-translation, lost-write, assertion
 * and deadlock as in mm.h; the final condition is not compared. notifier-imbalance,
 * unnotified-change and sleep-in-atomic have nothing to fire on here (balanced bracket around
 * the change, no sleeping call under a spinlock) and are not modelled.
 */
#define NF 2
#define NT 1
#include "mm.h"

proctype K0() {
  ACCESS_LOCALS;
  notifier_start();                      /* mmu_notifier_invalidate_range_start */
  pte_lock(1);
  atomic { PTE_READ; PTE_CLEAR; TLB_DROP(0) };  /* e = ptep_clear_flush(a): v4.13, no secondary call */
  page_remove_rmap(0);
  put_page(0);                           /* the mapping's reference; the test keeps one */
  pte_unlock(1);
  atomic { bracket-- }                   /* mmu_notifier_invalidate_range_end */
}

proctype C0() {
  ACCESS_LOCALS;
  byte r0;
  load_anon(0, 1, 2, r0)
}

init {
  atomic {
    ref[0] = 2; mapc[0] = 1; content[0] = 1; backing[0] = NONE;
    ref[1] = 0; mapc[1] = 0; content[1] = 0; backing[1] = NONE;
    pte_p = 1; pte_f = 0; pte_w = 1; pte_d = 1; pte_y = 1;
    tlb_v[0] = 1; tlb_f[0] = 0; tlb_w[0] = 1; tlb_d[0] = 1;
    run K0(); run C0()
  }
}
