/*
 * invalidate_page+ptl+mutex.pml -- mirrors litmus/properties/invalidate_page+ptl+mutex.litmus (expect violates sleep-in-atomic).
 *
 * Mapping (the machine state and the monitors are in mm.h): kernel v4.12, no CPU thread. Frame p
 * (index 0): content 1, refcount 2 (the mapping's and the test's `ref p`), mapcount 1. PTE
 * 0x200000 = p rw dirty. Secondary gpu of kind userptr_mutex (TLB index 0, empty): its mutex
 * `update` -> byte gpu_update (0 free, else the owner's number); it implements only
 * invalidate_page, so mmu_notifier_invalidate_page is the core's step, then the callback's three
 * steps (mutex_lock, stlb_zap, mutex_unlock) as steps of the caller. ptep_clear_flush calls no
 * notifier in v4.12.
 * Thread: kernel K0 -> a proctype (started by init); every litmus statement that touches shared
 * state is one atomic block, local statements run inside the block of the step before them.
 * sleep-in-atomic: checked at the sleeping step (mutex_lock) -- the caller must hold no spinlock
 * (its page-table lock: ptl == me) and not be in a non-blockable notifier call (none here).
 * unnotified-change: K0's register `weak` records the entry it made non-present outside a bracket;
 * the invalidate_page call covering the address clears it; checked when K0 finishes.
 * Properties: sleep-in-atomic and unnotified-change as above; use-after-free,
 * dangling-translation, incoherent-translation, assertion (also: unlocking a mutex not held) and
 * deadlock as in mm.h. The test has no final condition. notifier-imbalance and lost-write have
 * nothing to fire on here (no bracket, an anon frame never freed) and are not modelled.
 */
#define NF 1
#define NT 1
#include "mm.h"
hidden byte unnotified_change, sleep_in_atomic;

byte gpu_update;                         /* gpu's `lock update : mutex` */

inline mutex_lock(m, me)   { atomic { m == 0 -> PROP(sleep_in_atomic, ptl != me); m = me } }
inline mutex_unlock(m, me) { atomic { PROP(assertion, m == me); m = 0 } }

/* mmu_notifier_invalidate_page(a) by thread me: the core's step, then gpu's callback */
inline invalidate_page(me) {
  atomic { weak = 0 };                   /* the core's step: covers the address */
  mutex_lock(gpu_update, me);            /* gpu: on invalidate_page */
  stlb_zap(0);
  mutex_unlock(gpu_update, me)
}

proctype K0() {
  ACCESS_LOCALS;
  bit weak;
  pte_lock(1);
  atomic { PTE_READ; PTE_CLEAR; TLB_DROP(0);    /* e = ptep_clear_flush(a): v4.12, no notifier */
           if :: e_p -> weak = 1 :: else fi }   /* a present entry made non-present, no bracket */
  invalidate_page(1);                           /* under the PTL: the bug */
  atomic { PROP(assertion, ptl == 1); ptl = 0;  /* pte_unlock(a); K0 finishes */
           PROP(unnotified_change, !weak) }
}

init {
  atomic {
    ref[0] = 2; mapc[0] = 1; content[0] = 1; backing[0] = NONE;
    pte_p = 1; pte_f = 0; pte_w = 1; pte_d = 1; pte_y = 0;
    run K0()
  }
}
