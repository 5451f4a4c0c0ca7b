/*
 * oom-reaper+v5.5.pml -- mirrors litmus/properties/oom-reaper+v5.5.litmus (expect violates notifier-imbalance).
 *
 * Mapping (the machine state and the monitors are in mm.h): kernel v5.5, no CPU thread. Frame p
 * (index 0): content 1, refcount 1 (the mapping's), mapcount 1. PTE 0x200000 = p rw dirty.
 * Secondaries, in registration order: a of kind counting_mirror (TLB index 0, empty; state
 * in_progress -> byte a_in_progress) and b of kind sleeping_mirror (TLB index 1, empty; mutex
 * update -> byte b_update, 0 free, else the owner's number). No interval subscription, so the
 * v5.5 interval step and sequence count have nothing to run.
 * mmu_notifier_invalidate_range_start_nonblock: the core's step (the bracket opens; the callbacks
 * run non-blockable: OOM's register `blockable` = 0), then a's start callback (two steps:
 * in_progress + 1; stlb_zap, with `return 0` -- the core records a's start as succeeded, a_started),
 * then b's (one step: the `if (!mmu_notifier_range_blockable())` test, with `return -EAGAIN`; the
 * call fails and returns it, the bracket is no longer open: bracket--). v5.5: nothing more; the
 * reaper skips the range and finishes in that step (ret != 0).
 * The `if (ret == 0)` branch (never taken: b always fails) is transcribed as in mm.h:
 * flush_tlb_page(a) drops the CPU TLBs (none) and in v5.5 calls no notifier;
 * mmu_notifier_invalidate_range_end is the core's step, then a's end callback (b has none, neither
 * has invalidate_range), and the bracket closes.
 * Thread: kernel OOM -> a proctype (started by init); every litmus statement that touches shared
 * state is one atomic block, local statements run inside the block of the step before them.
 * notifier-imbalance: when OOM finishes, no bracket of its own may be open (`mine`); when the
 * execution ends (OOM done: the monitor below), no secondary whose start succeeded may lack its
 * _end (a_started). sleep-in-atomic: at b's mutex_lock (never reached), the caller must hold no
 * page-table lock and be in a blockable call.
 * Properties: notifier-imbalance and sleep-in-atomic as above; use-after-free,
 * dangling-translation, incoherent-translation, assertion and deadlock as in mm.h. The final
 * condition (a.in_progress = 1) is not compared. unnotified-change and lost-write have nothing to
 * fire on here (the clear, never reached, is inside the bracket; an anon frame) and are not
 * modelled.
 */
#define NF 1
#define NT 2
#include "mm.h"
hidden byte notifier_imbalance, sleep_in_atomic;

byte a_in_progress;                      /* a.in_progress */
bit  a_started;                          /* a's start succeeded and a has had no _end since */
byte b_update;                           /* b's `lock update : mutex` */
bit  done;                               /* OOM finished */

#define IMBALANCE (done && a_started)
active proctype monitor_imbalance() {
end: atomic { IMBALANCE -> PROP(notifier_imbalance, !IMBALANCE) }
}

/* b: on invalidate_range_start, after its first step (the blockable test) */
inline b_start_blocking(me) {
  atomic { b_update == 0 -> PROP(sleep_in_atomic, ptl != me && blockable); b_update = me };  /* mutex_lock(update) */
  stlb_zap(1);
  atomic { PROP(assertion, b_update == me); b_update = 0; ret = 0 }                          /* mutex_unlock; return 0 */
}

proctype OOM() {
  ACCESS_LOCALS;
  bit mine, blockable;
  short ret;
  atomic { bracket++; mine = 1; blockable = 0 };  /* ret = mmu_notifier_invalidate_range_start_nonblock(a, a + 0x1000) */
  atomic { a_in_progress++ };                     /* a: in_progress = in_progress + 1 */
  atomic { TLB_DROP(0); a_started = 1 };          /* a: stlb_zap(start, end); return 0 */
  if                                              /* b: if (!mmu_notifier_range_blockable()) */
  :: atomic { !blockable -> ret = -11; bracket--; mine = 0;   /* return -EAGAIN: the call fails and returns it */
              PROP(notifier_imbalance, !mine); done = 1 }    /* v5.5: nothing more; if (ret == 0): no; OOM finishes */
  :: atomic { blockable -> skip };
     b_start_blocking(1);                         /* ret = 0 */
     /* if (ret == 0): a register test, part of the step before */
     pte_lock(1);
     atomic { PTE_READ; PTE_CLEAR };              /* e = ptep_get_and_clear(a) */
     atomic { skip };                             /* flush_tlb_page(a): no CPU TLB entry; v5.5: no notifier */
     page_remove_rmap(0);
     put_page(0);
     pte_unlock(1);
     atomic { PROP(notifier_imbalance, mine) };   /* mmu_notifier_invalidate_range_end: the core's step */
     atomic { a_in_progress--; a_started = 0; bracket--; mine = 0;  /* a: in_progress - 1; the bracket closes; OOM finishes */
              PROP(notifier_imbalance, !mine); done = 1 }
  fi
}

init {
  atomic {
    ref[0] = 1; mapc[0] = 1; content[0] = 1; backing[0] = NONE;
    pte_p = 1; pte_f = 0; pte_w = 1; pte_d = 1; pte_y = 0;
    run OOM()
  }
}
