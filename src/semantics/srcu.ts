// The subscriptions' list and the SRCU that protects its walks (mm/mmu_notifier.c: the global
// `srcu`, `hlist_del_init_rcu()`, `synchronize_srcu()`), for a test that lets a secondary leave:
// mmu_notifier_unregister(), mmu_notifier_put(), mmu_notifier_synchronize().
//
// Every notifier call walks the hlist inside srcu_read_lock()/srcu_read_unlock()
// (hlist_for_each_entry_rcu() in __mmu_notifier_invalidate_range_start() and the others, v4.12
// through v6.10), so a walk skips a subscription unhashed before it reached it, runs the callback
// of one unhashed while it was already there, and delays every synchronize_srcu() begun while it
// is under way. synchronize_srcu() waits for the readers that were inside a read-side section when
// it began — not for the ones that begin later.
//
// `Machine.srcu` (empty in every other test, so that no other state changes) holds, for a program
// with S secondaries and T threads:
//   [0, S)       per secondary: HASHED, UNHASHED (by exit's mmu_notifier_release(): the driver
//                still owes its unregister or put) or GONE (the driver unregistered or put it);
//   [S, S+T)     per thread: its SRCU read-side nesting;
//   [S+T, S+2T)  per thread in synchronize_srcu(): the bit mask of the readers it still waits for.
//
// MODEL: the read-side section of a walk starts with the core's step of the notifier call and
// ends with a step of its own after the last callback; a walk that runs no callback is not a
// section (nothing could tell it apart). The subscriptions' spinlock is not a lock of the machine:
// what it protects (an unhash) is one step.

import { wSrcu, wSubOpen } from '../model/scratch.js';
import { ModelError } from './mm.js';
import type { Exec, Program } from './program.js';

export const HASHED = 0;
export const UNHASHED = 1;
export const GONE = 2;

/** Threads a wait mask can name (bits of a 32-bit number; compile.ts rejects more: ML2092). */
export const SRCU_MAX_THREADS = 30;

/** The length of `Machine.srcu` for a program that uses it. */
export function srcuLength(secondaries: number, threads: number): number {
  return secondaries + 2 * threads;
}

function nsec(p: Program): number {
  return p.secondaries.length;
}

/** Where subscription `s` stands (HASHED when the test never lets one leave). */
export function subState(x: Exec, s: number): number {
  return x.m.srcu.length === 0 ? HASHED : x.m.srcu[s]!;
}

export function isHashed(x: Exec, s: number): boolean {
  return subState(x, s) === HASHED;
}

/** srcu_read_lock(&srcu). */
export function srcuReadLock(x: Exec): void {
  if (x.m.srcu.length === 0) return;
  wSrcu(x.s)[nsec(x.prog) + x.t]!++;
}

/** srcu_read_unlock(&srcu): the last unlock of the thread releases the synchronize_srcu() waiting for it. */
export function srcuReadUnlock(x: Exec): void {
  if (x.m.srcu.length === 0) return;
  const w = wSrcu(x.s);
  const base = nsec(x.prog);
  const nth = x.prog.threads.length;
  if (--w[base + x.t]! > 0) return;
  const bit = 1 << x.t;
  for (let u = 0; u < nth; u++) {
    const i = base + nth + u;
    if ((w[i]! & bit) !== 0) w[i] = w[i]! & ~bit;
  }
}

/** hlist_del_init_rcu(&subscription->hlist) of subscription s; `to` is UNHASHED or GONE. */
export function unhash(x: Exec, s: number, to: number): void {
  wSrcu(x.s)[s] = to;
  // A subscription off the list gets no invalidate_range_end for a start it received: the driver
  // is going away, and nothing owes it one (notifier-imbalance counts only listed ones).
  if (x.m.subOpen[s] !== 0) wSubOpen(x.s)[s] = 0;
}

/**
 * The first step of synchronize_srcu(&srcu): records the readers under way. Returns whether it
 * has to wait. Called inside a read-side section (from a notifier callback), it would wait for
 * itself: the kernel deadlocks there (ML4081).
 */
export function synchronizeBegin(x: Exec, what: string): boolean {
  const base = nsec(x.prog);
  const nth = x.prog.threads.length;
  const m = x.m.srcu;
  if (m[base + x.t]! > 0) {
    throw new ModelError(
      'ML4081',
      `A synchronize_srcu() inside an SRCU read-side section (${what}, called from a notifier callback of ${x.prog.threads[x.t]!.name}) would wait for itself: a deadlock in the kernel.`,
    );
  }
  let readers = 0;
  for (let u = 0; u < nth; u++) if (m[base + u]! > 0) readers |= 1 << u;
  if (readers === 0) return false;
  wSrcu(x.s)[base + nth + x.t] = readers;
  return true;
}

/** Whether the thread's synchronize_srcu() still waits for a reader. */
export function synchronizeWaits(x: Exec): boolean {
  const p = x.prog;
  return x.m.srcu[nsec(p) + p.threads.length + x.t] !== 0;
}

/** The names of the readers the thread still waits for (for traces). */
export function waitedReaders(x: Exec): string {
  const p = x.prog;
  const mask = x.m.srcu[nsec(p) + p.threads.length + x.t]!;
  return p.threads
    .filter((_, u) => (mask & (1 << u)) !== 0)
    .map((t) => t.name)
    .join(', ');
}
