/*
 * mkclean+drop-dirty.pml -- mirrors litmus/properties/mkclean+drop-dirty.litmus (expect violates lost-write).
 *
 * Mapping (the machine state, the monitors and the access/fault steps are in mm.h): kernel v4.13,
 * no secondary (the notifier calls are the core's bookkeeping step only; the bracket opens with
 * _start and closes with _end). Shared file rw vma; frame f (index 0): a page-cache page, content
 * 5, backing copy 5, refcount 1, mapcount 1, clean. PTE 0x200000 = f rw (clean, old). C0 has no
 * TLB entry (TLB index 0, a CPU TLB: ptep_clear_flush drops it).
 * Threads: kernel K0 and cpu C0 -> proctypes (started atomically by init); every litmus statement
 * that touches shared state is one atomic block, local statements run inside the block of the
 * step before them (the missing `if (pte_dirty(e)) set_page_dirty(f)` is the bug). C0's store is store_file (mm.h): a walk that fills the TLB and writes,
 * or a fault running handle_mm_fault -> do_fault (PTE none) or do_wp_page -> wp_page_shared
 * (read-only PTE) and a retry.
 * Properties: lost-write is checked when a file frame is freed (never here) and on the final state
 * (every thread finished: the counter done) by a monitor; use-after-free, dangling-translation,
 * incoherent-translation, assertion and deadlock as in mm.h. The final condition ([f] = 7) is not
 * compared. notifier-imbalance, unnotified-change and sleep-in-atomic have nothing to fire on here
 * (the clear is inside a balanced bracket; lock_page sleeps with no spinlock held) and are not
 * modelled.
 */
#define NF 1
#define NT 1
#define FILE_PAGE 0
#include "mm.h"

byte done;                               /* threads finished */
#define LOST (done == 2 && ref[0] > 0 && content[0] != backing[0] && !pgdirty[0] && !(pte_p && pte_f == 0 && pte_d))
active proctype monitor_lost_write() {
end: atomic { LOST -> PROP(lost_write, !LOST) }
}

proctype K0() {
  ACCESS_LOCALS;
  notifier_start();                      /* mmu_notifier_invalidate_range_start */
  pte_lock(1);
  atomic { PTE_READ; PTE_CLEAR; TLB_DROP(0) };  /* e = ptep_clear_flush(a) */
  atomic { pte_p = 1; pte_f = e_f; pte_w = 0; pte_d = 0; pte_y = e_y };  /* set_pte_at(a, pte_mkclean(pte_wrprotect(e))) */
  pte_unlock(1);
  atomic { bracket--; done++ }           /* mmu_notifier_invalidate_range_end; K0 finishes */
}

proctype C0() {
  ACCESS_LOCALS;
  store_file(0, 2, 7);
  done++                                 /* (the thread finishes with its last step) */
}

init {
  atomic {
    ref[0] = 1; mapc[0] = 1; content[0] = 5; backing[0] = 5;
    pte_p = 1; pte_f = 0; pte_w = 1; pte_d = 0; pte_y = 0;
    run K0(); run C0()
  }
}
