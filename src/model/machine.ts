// The machine state of DESIGN §3.1 as plain arrays: its types, copies, storage to copy or decode
// into, and the sparse maps. A step writes a machine through its Scratch (scratch.ts); the
// canonical encoding is encoding.ts.

import type { U64 } from './u64.js';

/** Page flags kept per frame (`fflags`). */
export const PG_FREE = 1 << 0;
export const PG_ANON = 1 << 1;
export const PG_DIRTY = 1 << 2;
export const PG_LOCKED = 1 << 3;
export const PG_BACKED = 1 << 4; // has a backing copy (file data on disk, or a swap slot)
export const PG_SWAPBACKED = 1 << 5;
export const PG_SWAPCACHE = 1 << 6;
export const PG_MLOCKED = 1 << 7;
export const PG_HWPOISON = 1 << 8;
export const PG_WRITEBACK = 1 << 9;
/** In the page cache (page->mapping set): the cache holds a reference of its own. */
export const PG_PAGECACHE = 1 << 10;

/** ThreadState.gather[0]: the gather covers the whole mm (exit_mmap()), `tlb->fullmm`. */
export const G_FULLMM = 1;
/** ThreadState.gather[0]: an entry was recorded since the last __tlb_reset_range(): a flush is owed. */
export const G_CLEARED = 2;
/** ThreadState.gather: [flags, start, end] precede the pages it holds. */
export const GATHER_HEADER = 3;

/** Whether a thread's mmu_gather owes a TLB flush (the quiescence rule of incoherent-translation). */
export function gatherOwesFlush(g: readonly U64[]): boolean {
  return g.length > 0 && (Number(g[0]!) & G_CLEARED) !== 0;
}

/** A write-held rwsem: this bit or'ed with the owner thread index. */
export const RWSEM_WRITER = 0x40000000;

/** Thread status. */
export const RUNNING = 0;
export const FINISHED = 1;
/** Killed by a fatal fault (SIGSEGV/SIGBUS) or a kernel BUG. */
export const KILLED = 2;

export interface ThreadState {
  /** Index of the next shared instruction (or the end) in the thread's code. */
  pc: number;
  status: number;
  regs: U64[];
  /** Open `invalidate_range_start` brackets: [start, end, flags] triples, innermost last. */
  brackets: U64[];
  /** [key, entry before] pairs this thread weakened and has not yet notified (`unnotified-change`). */
  pending: number[];
  /**
   * For the review warnings: [key, flags] pairs of entries this thread weakened since its last
   * invalidation of them; flag 1 = the thread has set the entry present again since.
   */
  weak: number[];
  /** Depth of non-blockable notifier calls the thread is inside. */
  nonblock: number;
  /** Deferred TLB flush of this task (`current->tlb_ubc`): bit 0 flush_required, bit 1 writable. */
  ubc: number;
  /**
   * This thread's `struct mmu_gather` (gather.ts): empty when it has none, else
   * [flags, start, end, page…] — the range to flush and the pages whose reference it holds.
   */
  gather: U64[];
  /** What this thread holds of mm->mmap_lock: 0, a count of read holds, or RWSEM_WRITER. */
  mmap: number;
}

/**
 * A machine state. Its arrays are read-only here: a step writes them through its `Scratch`
 * (`wPt`, `wContent`, …), which copies an array shared with the state the step started from
 * before its first write.
 */
export interface Machine {
  readonly content: readonly U64[];
  readonly backing: readonly U64[];
  readonly refcount: readonly number[];
  readonly mapcount: readonly number[];
  readonly fflags: readonly number[];
  /** Page table: sorted [key, pte_t] pairs; see entry.ts for keys. */
  readonly pt: readonly number[];
  /** Translation caches: one per cpu thread, then one per secondary; sorted [key, entry] pairs. */
  readonly tlb: readonly (readonly number[])[];
  /** Page-table locks held: sorted [PMD region address, owner thread + 1] pairs. */
  readonly ptl: readonly number[];
  /** Declared and secondary locks: 0 free; owner + 1 for spinlock/mutex; rwsem: RWSEM_WRITER | owner write-held, n > 0 readers. */
  readonly locks: readonly number[];
  /** Globals, then every secondary's state variables. */
  readonly vars: readonly U64[];
  /** Per secondary: successful `invalidate_range_start` calls not yet matched by an `_end`. */
  readonly subOpen: readonly number[];
  /** Per secondary: the interval subscription's `invalidate_seq`. */
  readonly subSeq: readonly number[];
  /**
   * The subscriptions' list and SRCU (src/semantics/srcu.ts): empty unless the test calls
   * mmu_notifier_unregister(), _put() or _synchronize(), so that no other test pays for it; else
   * per secondary whether it left the list, per thread its SRCU read-side nesting, per thread the
   * readers its synchronize_srcu() still waits for. Its length is fixed for a program.
   */
  readonly srcu: readonly number[];
  /**
   * For `lost-update`: sorted [page address, value] pairs, the value of the last user store (by a
   * cpu or a device thread) to each page a store reached in this execution. Empty in a test
   * without stores, so that such a test pays nothing for the property.
   */
  readonly stores: readonly U64[];
  /** mm-wide `mmu_notifier_subscriptions.invalidate_seq` (even: idle, odd: invalidating). */
  itreeSeq: number;
  /** mm-wide `active_invalidate_ranges`. */
  itreeActive: number;
  /** mm->tlb_flush_batched: a deferred flush may be pending for this mm. */
  batched: number;
  /** mm->tlb_flush_pending: gathers (and other batched changes) under way in this mm. */
  tlbFlushPending: number;
  /** mm->mmap_lock, an rwsem: 0 free, n > 0 readers, RWSEM_WRITER | owner write-held. */
  mmapLock: number;
  threads: ThreadState[];
  /** Properties violated so far in this execution (bit per property, see check/properties.ts). */
  mask: number;
  /** 1 in the pseudo-state that records a deadlock; it has no successors. */
  stuck: number;
}

/** A machine that owns all its arrays: being laid out (compile.ts), a clone, or decoded. */
export type MutableMachine = { -readonly [K in keyof Machine]: Writable<Machine[K]> };

/** `T` with its (nested) read-only arrays writable. */
type Writable<T> = T extends readonly (infer E)[] ? Writable<E>[] : T;

function cloneThread(t: ThreadState): ThreadState {
  return {
    pc: t.pc,
    status: t.status,
    regs: t.regs.slice(),
    brackets: t.brackets.slice(),
    pending: t.pending.slice(),
    weak: t.weak.slice(),
    nonblock: t.nonblock,
    ubc: t.ubc,
    gather: t.gather.slice(),
    mmap: t.mmap,
  };
}

function cloneTlb(tlb: readonly (readonly number[])[]): number[][] {
  const out = new Array<number[]>(tlb.length);
  for (let i = 0; i < tlb.length; i++) out[i] = tlb[i]!.slice();
  return out;
}

/**
 * A copy to build a successor in. Only `thread`'s state is copied (a step changes no other
 * thread's state: those are shared with `m`, which is never changed once built); -1 copies none.
 */
export function cloneMachine(m: Machine, thread: number): MutableMachine {
  const threads = m.threads.slice();
  if (thread >= 0) threads[thread] = cloneThread(m.threads[thread]!);
  return {
    content: m.content.slice(),
    backing: m.backing.slice(),
    refcount: m.refcount.slice(),
    mapcount: m.mapcount.slice(),
    fflags: m.fflags.slice(),
    pt: m.pt.slice(),
    tlb: cloneTlb(m.tlb),
    ptl: m.ptl.slice(),
    locks: m.locks.slice(),
    vars: m.vars.slice(),
    subOpen: m.subOpen.slice(),
    subSeq: m.subSeq.slice(),
    srcu: m.srcu.slice(),
    stores: m.stores.slice(),
    itreeSeq: m.itreeSeq,
    itreeActive: m.itreeActive,
    batched: m.batched,
    tlbFlushPending: m.tlbFlushPending,
    mmapLock: m.mmapLock,
    threads,
    mask: m.mask,
    stuck: m.stuck,
  };
}

// ---------------------------------------------------------------------------------------------
// Storage to copy or decode into (scratch.ts, encoding.ts)

export function emptyThread(): ThreadState {
  return { pc: 0, status: 0, regs: [], brackets: [], pending: [], weak: [], nonblock: 0, ubc: 0, gather: [], mmap: 0 };
}

/** A machine with empty arrays, to copy or decode into. */
export function emptyMachine(): MutableMachine {
  return {
    content: [],
    backing: [],
    refcount: [],
    mapcount: [],
    fflags: [],
    pt: [],
    tlb: [],
    ptl: [],
    locks: [],
    vars: [],
    subOpen: [],
    subSeq: [],
    srcu: [],
    stores: [],
    itreeSeq: 0,
    itreeActive: 0,
    batched: 0,
    tlbFlushPending: 0,
    mmapLock: 0,
    threads: [],
    mask: 0,
    stuck: 0,
  };
}

/**
 * Shortens `a` to `n` elements, keeping its storage. (`a.length = 0` makes V8 drop the storage,
 * and a shorter length may trim it; the next write then allocates it again, once per state.)
 */
export function truncate(a: unknown[], n: number): void {
  while (a.length > n) a.pop();
}

/** Makes `into` hold what `a` holds, in `into`'s storage. */
export function copyInto<T>(into: T[], a: readonly T[]): void {
  const n = a.length;
  truncate(into, n);
  const m = into.length;
  let i = 0;
  for (; i < m; i++) into[i] = a[i]!;
  for (; i < n; i++) into.push(a[i]!);
}

export function copyThreadInto(into: ThreadState, t: ThreadState): void {
  into.pc = t.pc;
  into.status = t.status;
  copyInto(into.regs, t.regs);
  copyInto(into.brackets, t.brackets);
  copyInto(into.pending, t.pending);
  copyInto(into.weak, t.weak);
  into.nonblock = t.nonblock;
  into.ubc = t.ubc;
  copyInto(into.gather, t.gather);
  into.mmap = t.mmap;
}

// ---------------------------------------------------------------------------------------------
// Sparse sorted maps over flat [key, value] arrays

/** Index of `key` in the pair array (a multiple of 2), or -1. */
export function mapFind(a: readonly number[], key: number): number {
  for (let i = 0; i < a.length; i += 2) {
    const k = a[i]!;
    if (k === key) return i;
    if (k > key) return -1;
  }
  return -1;
}

export function mapGet(a: readonly number[], key: number, absent: number): number {
  const i = mapFind(a, key);
  return i < 0 ? absent : a[i + 1]!;
}

/** Sets `key` to `value`; `value === absent` removes the key (keeps the map canonical). */
export function mapSet(a: number[], key: number, value: number, absent: number): void {
  let i = 0;
  while (i < a.length && a[i]! < key) i += 2;
  if (i < a.length && a[i] === key) {
    if (value === absent) removeAt(a, i, 2);
    else a[i + 1] = value;
  } else if (value !== absent) {
    insertPairAt(a, i, key, value);
  }
}

// `splice` allocates the array of what it removes; these shift in place.

/** Removes `count` elements of `a` from index `i`. */
export function removeAt<T>(a: T[], i: number, count: number): void {
  const n = a.length;
  for (let j = i + count; j < n; j++) a[j - count] = a[j]!;
  truncate(a, n - count);
}

/** Inserts `x, y` into `a` before index `i`. */
export function insertPairAt<T>(a: T[], i: number, x: T, y: T): void {
  const n = a.length;
  a.push(x, y);
  for (let j = n - 1; j >= i; j--) a[j + 2] = a[j]!;
  a[i] = x;
  a[i + 1] = y;
}
