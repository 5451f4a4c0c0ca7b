/*
 * clear+bracket.pml -- mirrors litmus/properties/clear+bracket.litmus (expect safe).
 *
 * Mapping (the machine state and the monitors are in mm.h): kernel v4.13, no secondary (the
 * notifier calls are the core's bookkeeping step only; the bracket opens with _start and closes
 * with _end), no CPU thread (TLB index 0 stays empty). Frame p (index 0): content 1, refcount 1
 * (the mapping's), mapcount 1. PTE 0x200000 = p rw dirty.
 * Thread: kernel K0 -> a proctype (started by init); every litmus statement that touches shared
 * state is one atomic block, local statements run inside the block of the step before them.
 * unnotified-change: K0's register `weak` records a present entry it made non-present (or weaker)
 * outside an open bracket of its own (`mine`: set by K0's _start, whose range [0x200000, 0x201000)
 * contains the address, cleared by its _end) and not yet covered by a later invalidate call of
 * its own; it is checked when K0 finishes, i.e. in the block of its last step.
 * Properties: unnotified-change as above; use-after-free, dangling-translation,
 * incoherent-translation, assertion and deadlock as in mm.h (nothing to fire on: p keeps its
 * reference, no TLB entry). The test has no final condition. notifier-imbalance, lost-write and
 * sleep-in-atomic have nothing to fire on here (a balanced bracket, an anon frame never freed, no
 * sleeping call under a spinlock) and are not modelled.
 */
#define NF 1
#define NT 1
#include "mm.h"
hidden byte unnotified_change;

proctype K0() {
  ACCESS_LOCALS;
  bit mine, weak;
  atomic { bracket++; mine = 1 };               /* mmu_notifier_invalidate_range_start(a, a + 0x1000) */
  pte_lock(1);
  atomic { PTE_READ; PTE_CLEAR; TLB_DROP(0);    /* e = ptep_clear_flush(a): v4.13, no secondary call */
           if :: e_p && !mine -> weak = 1 :: else fi }   /* covered by K0's open bracket */
  pte_unlock(1);
  atomic { bracket--; mine = 0;                 /* mmu_notifier_invalidate_range_end; K0 finishes */
           PROP(unnotified_change, !weak) }
}

init {
  atomic {
    ref[0] = 1; mapc[0] = 1; content[0] = 1; backing[0] = NONE;
    pte_p = 1; pte_f = 0; pte_w = 1; pte_d = 1; pte_y = 0;
    run K0()
  }
}
