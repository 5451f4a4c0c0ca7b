// Operations on the machine that primitives share: page-table writes (with the bookkeeping of
// `unnotified-change`), translation caches, frame reference counts, locks, and the checks that
// run after every step (dangling-translation, incoherent-translation) or at the end of a thread
// or an execution.

import {
  formatPte,
  formatTlb,
  isPmdKey,
  isPresent,
  keyAddr,
  PTE_DIRTY,
  PTE_HUGE,
  PTE_WRITE,
  pmdKey,
  pteFrame,
  TLB_DIRTY,
  TLB_HUGE,
  TLB_WRITE,
  tlbFrame,
} from '../model/entry.js';
import {
  gatherOwesFlush,
  insertPairAt,
  KILLED,
  type Machine,
  mapGet,
  mapSet,
  PG_BACKED,
  PG_DIRTY,
  PG_FREE,
  RUNNING,
  removeAt,
  type ThreadState,
  truncate,
} from '../model/machine.js';
import {
  ASSERTION,
  DANGLING_TRANSLATION,
  INCOHERENT_TRANSLATION,
  KERNEL_WARNING,
  LATE_INVALIDATE,
  LOST_WRITE,
  NEEDLESS_INVALIDATE,
  NOTIFIER_IMBALANCE,
  SLEEP_IN_ATOMIC,
  UNNOTIFIED_CHANGE,
  USE_AFTER_FREE,
} from '../model/properties.js';
import { type Scratch, wFflags, wMapcount, wPt, wRefcount, wTlb } from '../model/scratch.js';
import { add, hex, mod, sub, type U64, ULONG_MAX } from '../model/u64.js';
import type { Exec, Program } from './program.js';

export const PAGE_SIZE = 0x1000;
export const PMD_SIZE = 0x200000;
/** Highest user address + 1 on x86-64 with 4-level paging. */
export const TASK_SIZE = 2 ** 47;

/** A mistake in the model found while running it (not a property violation): stops the search. */
export class ModelError extends Error {
  constructor(
    public readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function frameName(prog: Program, id: number): string {
  if (id === 0) return 'NULL';
  return prog.frames[id - 1]?.name ?? `frame#${id}`;
}

/** A user address as a page-table key base; anything else is a model error. */
export function userAddr(v: U64): number {
  if (typeof v !== 'number' || v >= TASK_SIZE) {
    throw new ModelError('ML4002', `The address ${hex(v)} is not a user address (below 2^47).`);
  }
  return v;
}

export function pageOf(a: number): number {
  return a - (a % PAGE_SIZE);
}

export function regionOf(a: number): number {
  return a - (a % PMD_SIZE);
}

export function keyName(key: number): string {
  return isPmdKey(key) ? `pmd[${hex(keyAddr(key))}]` : `pte[${hex(key)}]`;
}

export function keySize(key: number): number {
  return isPmdKey(key) ? PMD_SIZE : PAGE_SIZE;
}

// ---------------------------------------------------------------------------------------------
// Page table

export function getEntry(m: Machine, key: number): number {
  return mapGet(m.pt, key, 0);
}

/** The leaf entry that translates address `a`: a huge PMD if there is one, else the PTE. */
export function translationKey(m: Machine, a: number): number {
  const pk = pmdKey(regionOf(a));
  const pmd = mapGet(m.pt, pk, 0);
  if (pmd !== 0 && (pmd & PTE_HUGE) !== 0) return pk;
  return pageOf(a);
}

function weakens(old: number, next: number): boolean {
  if (!isPresent(old)) return false;
  if (!isPresent(next)) return true;
  if (pteFrame(old) !== pteFrame(next)) return true;
  if ((old & PTE_WRITE) !== 0 && (next & PTE_WRITE) === 0) return true;
  return (old & PTE_DIRTY) !== 0 && (next & PTE_DIRTY) === 0;
}

const BRACKET_FAILED = 1;

function bracketCovers(th: ThreadState, start: number, end: number): boolean {
  const b = th.brackets;
  for (let i = 0; i < b.length; i += 3) {
    if ((Number(b[i + 2]) & BRACKET_FAILED) === 0 && b[i]! <= start && end <= b[i + 1]!) return true;
  }
  return false;
}

/**
 * Writes a page-table entry on behalf of the running thread. A weakening change (present entry
 * made non-present, read-only, clean or repointed) that no open bracket of the thread covers is
 * remembered, with the entry it weakened, until a notifier call of the same thread covers it
 * (`unnotified-change`) or the thread restores an entry no weaker than that one (a clear undone
 * under the same lock, as on the MADV_FREE redirty path: every cached translation is valid again).
 */
export function setEntry(x: Exec, key: number, next: number): number {
  const old = mapGet(x.m.pt, key, 0);
  if (next !== 0 && next !== old) checkEntryWrite(x, key, next);
  if (next !== old) mapSet(wPt(x.s), key, next, 0);
  reviewSet(x.th, key, old, next);
  const p = x.th.pending;
  let i = 0;
  while (i < p.length && p[i]! < key) i += 2;
  const here = i < p.length && p[i] === key;
  if (here) {
    if (!weakens(p[i + 1]!, next)) removeAt(p, i, 2);
  } else if (weakens(old, next)) {
    const start = keyAddr(key);
    if (!bracketCovers(x.th, start, start + keySize(key))) insertPairAt(p, i, key, old);
  }
  return old;
}

/**
 * A page-table write leaves a state the initial state would accept (compile.ts): an entry lies in
 * a vma (ML4011, as ML3003), and a present huge entry maps a `thp` frame (ML4012, as ML3006) and
 * does not cover a PTE table with entries (the kernel frees or withdraws the table first).
 */
function checkEntryWrite(x: Exec, key: number, next: number): void {
  const a = keyAddr(key);
  if (!x.prog.vmas.some((v) => v.start <= a && a < v.end))
    throw new ModelError('ML4011', `No vma contains ${hex(a)}, so no page-table entry can be set there.`);
  if (!isPmdKey(key) || !isPresent(next)) return;
  const f = x.prog.frames[pteFrame(next) - 1];
  if (f !== undefined && !f.thp)
    throw new ModelError('ML4012', `A pmd entry maps a PMD-sized page, but frame '${f.name}' is not declared 'thp'.`);
  const pt = x.m.pt;
  for (let i = 0; i < pt.length; i += 2) {
    const k = pt[i]!;
    if (k >= a + PMD_SIZE) break;
    if (k >= a && !isPmdKey(k))
      throw new ModelError(
        'ML4012',
        `A huge pmd entry at ${hex(a)} would cover the PTE table that maps ${hex(k)}; clear its entries first.`,
      );
  }
}

/**
 * Bookkeeping for the review warnings: a weakening opens the entry; any later write to it (a new
 * present entry, or a swap, migration or hwpoison entry) marks it "set again", so an invalidation
 * after that is not "right after the clear" (the issue's literal reading of Nadav Amit's rule).
 */
function reviewSet(th: ThreadState, key: number, old: number, next: number): void {
  const w = th.weak;
  let i = 0;
  while (i < w.length && w[i]! < key) i += 2;
  const here = i < w.length && w[i] === key;
  if (weakens(old, next)) {
    if (here) w[i + 1] = 0;
    else insertPairAt(w, i, key, 0);
  } else if (here && next !== old) {
    w[i + 1] = 1;
  }
}

/**
 * A secondary-TLB invalidation of [start, end) by the running thread. An explicit call covering
 * an entry set present again after its weakening is `late-invalidate`; one covering no weakened
 * entry is `needless-invalidate`. Implicit invalidations (range_end, the v6.6 TLB flush) only
 * settle the entries.
 */
export function reviewInvalidation(x: Exec, start: U64, end: U64, explicit: string | undefined): void {
  // Keeps the entries outside [start, end), compacting in place.
  const w = x.th.weak;
  let covered = 0;
  let late = -1;
  let k = 0;
  for (let i = 0; i < w.length; i += 2) {
    const key = w[i]!;
    const a = keyAddr(key);
    if (start <= a && a + keySize(key) <= end) {
      covered++;
      if (w[i + 1] !== 0 && late < 0) late = key;
    } else {
      w[k] = key;
      w[k + 1] = w[i + 1]!;
      k += 2;
    }
  }
  truncate(w, k);
  if (explicit === undefined) return;
  const thread = x.prog.threads[x.t]!.name;
  if (late >= 0) {
    const k = late;
    x.violate(
      LATE_INVALIDATE,
      () =>
        `${thread} invalidates ${keyName(k)} with ${explicit} only after setting it again: the invalidation must follow the clear`,
    );
  }
  if (covered === 0) {
    x.violate(
      NEEDLESS_INVALIDATE,
      () =>
        `${thread} calls ${explicit}(${hex(start)}, ${hex(end)}) but weakened no entry there since its last invalidation`,
    );
  }
}

/**
 * The pages a secondary-TLB invalidation of [start, end) reaches: [start, end) widened to page
 * boundaries. Secondaries invalidate whole pages (amd_iommu_v2 mn_invalidate_range() flushes the
 * page of `start` when the range is within one page; intel-svm rounds the length up to pages), so
 * aac2fea94f7a's one-byte [address, address + 1) covers a 4 KiB entry, and its 512-byte range
 * still not a 2 MiB one.
 */
export function pageSpan(start: U64, end: U64): [U64, U64] {
  const s = sub(start, mod(start, PAGE_SIZE));
  const tail = mod(end, PAGE_SIZE);
  if (tail === 0) return [s, end];
  // ULONG_MAX (a whole-address-space range) has no page boundary above it.
  const down = sub(end, tail);
  return [s, down === sub(ULONG_MAX, PAGE_SIZE - 1) ? ULONG_MAX : add(down, PAGE_SIZE)];
}

/** A notifier call of the running thread covering [start, end) settles its pending changes. */
export function notifyCovers(x: Exec, start: U64, end: U64): void {
  const p = x.th.pending;
  if (p.length === 0) return;
  // Keeps the entries outside [start, end), compacting in place.
  let k = 0;
  for (let i = 0; i < p.length; i += 2) {
    const a = keyAddr(p[i]!);
    if (!(start <= a && a + keySize(p[i]!) <= end)) {
      p[k] = p[i]!;
      p[k + 1] = p[i + 1]!;
      k += 2;
    }
  }
  truncate(p, k);
}

export function openBracket(th: ThreadState, start: U64, end: U64, failed: boolean): void {
  th.brackets.push(start, end, failed ? BRACKET_FAILED : 0);
}

/** Closes the innermost bracket with this range; returns 'ok', 'missing' or 'failed'. */
export function closeBracket(th: ThreadState, start: U64, end: U64): 'ok' | 'missing' | 'failed' {
  const b = th.brackets;
  for (let i = b.length - 3; i >= 0; i -= 3) {
    if (b[i] === start && b[i + 1] === end) {
      const failed = (Number(b[i + 2]) & BRACKET_FAILED) !== 0;
      removeAt(b, i, 3);
      return failed ? 'failed' : 'ok';
    }
  }
  return 'missing';
}

// ---------------------------------------------------------------------------------------------
// Translation caches

function overlaps(key: number, start: U64, end: U64): boolean {
  const a = keyAddr(key);
  return a < end && a + keySize(key) > start;
}

/**
 * Drops the translations of cache `t` overlapping [start, end), in place; returns the dropped
 * [key, entry] pairs, in an array reused by the next call.
 */
export function zapTlb(s: Scratch, t: number, start: U64, end: U64): number[] {
  const dropped = zapped;
  truncate(dropped, 0);
  // A cache with nothing in the range stays shared (see Scratch).
  const r = s.m.tlb[t]!;
  let any = false;
  for (let i = 0; i < r.length && !any; i += 2) any = overlaps(r[i]!, start, end);
  if (!any) return dropped;
  const a = wTlb(s, t);
  let k = 0;
  for (let i = 0; i < a.length; i += 2) {
    if (overlaps(a[i]!, start, end)) dropped.push(a[i]!, a[i + 1]!);
    else {
      a[k] = a[i]!;
      a[k + 1] = a[i + 1]!;
      k += 2;
    }
  }
  truncate(a, k);
  return dropped;
}

const zapped: number[] = [];

/** The CPU TLB flush (IPI to every CPU): drops every cpu thread's translations in the range. */
export function flushCpuTlbs(x: Exec, start: U64, end: U64): void {
  for (const th of x.prog.threads) {
    if (th.kind === 'cpu' && th.tlb !== undefined) zapTlb(x.s, th.tlb, start, end);
  }
}

/** The translation of address `a` in cache `t` (its entry), or 0. */
export function translationOf(m: Machine, t: number, a: number): number {
  const i = findTlb(m, t, a);
  return i < 0 ? 0 : m.tlb[t]![i + 1]!;
}

/** Where the translation of address `a` lies in cache `t` (key at i, entry at i + 1), or -1. */
export function findTlb(m: Machine, t: number, a: number): number {
  const cache = m.tlb[t]!;
  const small = pageOf(a);
  const huge = pmdKey(regionOf(a));
  for (let i = 0; i < cache.length; i += 2) {
    const k = cache[i]!;
    if (k === small || k === huge) return i;
  }
  return -1;
}

/** Caches `entry` for `key` in translation cache t (a cache already holding it is left shared). */
export function fillTlb(s: Scratch, t: number, key: number, entry: number): void {
  if (mapGet(s.m.tlb[t]!, key, 0) !== entry) mapSet(wTlb(s, t), key, entry, 0);
}

// ---------------------------------------------------------------------------------------------
// Frames

export function isFree(m: Machine, id: number): boolean {
  return (m.fflags[id - 1]! & PG_FREE) !== 0;
}

export function checkFrame(x: Exec, id: number, what: string): number {
  if (id <= 0 || id > x.prog.frames.length) {
    throw new ModelError(
      'ML4003',
      `A frame is needed here (${what}), but the value is ${id === 0 ? 'NULL' : `${id}, not a frame`}.`,
    );
  }
  return id - 1;
}

/** A read or write of a frame's content: `use-after-free` when the frame is free. */
export function touchContent(x: Exec, id: number, what: string): number {
  const i = checkFrame(x, id, what);
  if (isFree(x.m, id)) {
    x.violate(USE_AFTER_FREE, () => `${what} of ${frameName(x.prog, id)}, which is free`);
  }
  return i;
}

export function getPage(x: Exec, id: number): void {
  const i = checkFrame(x, id, 'get_page');
  if (isFree(x.m, id)) {
    bug(x, `get_page on ${frameName(x.prog, id)}, which is free`);
    return;
  }
  wRefcount(x.s)[i]!++;
}

/** `put_page`: frees the frame when the last reference goes. */
export function putPage(x: Exec, id: number): void {
  const i = checkFrame(x, id, 'put_page');
  const m = x.m;
  if (m.refcount[i]! <= 0) {
    bug(x, `put_page on ${frameName(x.prog, id)} with refcount 0`);
    return;
  }
  wRefcount(x.s)[i]!--;
  if (m.refcount[i] === 0) freeFrame(x, id);
}

function freeFrame(x: Exec, id: number): void {
  const m = x.m;
  const i = id - 1;
  if ((m.fflags[i]! & PG_BACKED) !== 0 && m.content[i] !== m.backing[i]) {
    x.violate(
      LOST_WRITE,
      () =>
        `${frameName(x.prog, id)} freed with content ${String(m.content[i])} while its backing copy holds ${String(m.backing[i])}`,
    );
  }
  // The backing copy (disk block or swap slot) outlives the frame: a swap entry still names it.
  wFflags(x.s)[i] = PG_FREE | (m.fflags[i]! & PG_BACKED);
  if (m.mapcount[i] !== 0) wMapcount(x.s)[i] = 0;
}

/** A kernel WARN_ON that fired: the `kernel-warning` warning; the thread goes on, as the kernel does. */
export function warnOn(x: Exec, macro: string): void {
  x.violate(
    KERNEL_WARNING,
    () => `${x.prog.threads[x.t]!.name} reaches ${macro}: a path the kernel says cannot happen`,
  );
}

/** A kernel BUG: the `assertion` property, and the thread stops. */
export function bug(x: Exec, message: string): void {
  x.violate(ASSERTION, () => `kernel BUG: ${message}`);
  x.th.status = KILLED;
}

// ---------------------------------------------------------------------------------------------
// Atomic context

/**
 * Whether the running thread holds a spinlock (PTL or declared) or is inside a non-blockable
 * notifier. It reads every lock, but only to ask whether this thread holds it, which no other
 * thread's step can change (a lock is taken only when free and released only by its holder, else
 * a BUG): so it is no read of the locks for the reduction (footprint.ts), and the footprint check
 * (test/support/footprintCheck.ts) is told so by `x.ownHoldings`.
 */
export function inAtomic(x: Exec): string | undefined {
  x.ownHoldings = true;
  const held = heldSpinlock(x);
  x.ownHoldings = false;
  return held;
}

function heldSpinlock(x: Exec): string | undefined {
  const owner = x.t + 1;
  const ptl = x.m.ptl;
  for (let i = 0; i < ptl.length; i += 2) {
    if (ptl[i + 1] === owner) return `the page-table lock of ${hex(ptl[i]!)}`;
  }
  const locks = x.prog.locks;
  for (let i = 0; i < locks.length; i++) {
    if (locks[i]!.kind === 'spinlock' && x.m.locks[i] === owner) return `spinlock ${locks[i]!.name}`;
  }
  if (x.th.nonblock > 0) return 'a non-blockable notifier call';
  return undefined;
}

export function mightSleep(x: Exec, what: string): void {
  const held = inAtomic(x);
  if (held !== undefined) x.violate(SLEEP_IN_ATOMIC, () => `${what} may sleep while holding ${held}`);
}

// ---------------------------------------------------------------------------------------------
// Checks after a step

/** `dangling-translation`: a free frame still named by a present entry or a translation. */
export function checkDangling(x: Exec): void {
  const m = x.m;
  // A disabled or already violated property records nothing more (see Exec.violate): skip the
  // scan, which runs after every step.
  if (((x.prog.disabled | m.mask) & (1 << DANGLING_TRANSLATION)) !== 0) return;
  const pt = m.pt;
  for (let i = 0; i < pt.length; i += 2) {
    const e = pt[i + 1]!;
    if (isPresent(e) && isFree(m, pteFrame(e))) {
      dangling(x, pteFrame(e), -1, pt[i]!);
      return;
    }
  }
  for (let t = 0; t < m.tlb.length; t++) {
    const c = m.tlb[t]!;
    for (let i = 0; i < c.length; i += 2) {
      const f = tlbFrame(c[i + 1]!);
      if (isFree(m, f)) {
        dangling(x, f, t, c[i]!);
        return;
      }
    }
  }
}

// The monitors run after every step; their messages are closures, made in functions of their own
// so that a monitor with nothing to report allocates nothing (a function that makes a closure
// allocates its context on every call).

/** Frame `f` is free while page-table key `key` (t = -1) or translation `key` of cache t maps it. */
function dangling(x: Exec, f: number, t: number, key: number): void {
  const prog = x.prog;
  x.violate(DANGLING_TRANSLATION, () =>
    t < 0
      ? `${frameName(prog, f)} is free while ${keyName(key)} maps it`
      : `${frameName(prog, f)} is free while tlb(${prog.tlbNames[t]})[${hex(keyAddr(key))}] maps it`,
  );
}

function quiescent(m: Machine): boolean {
  // mm->tlb_flush_pending: some thread batches changes whose flush is still to come (an
  // mmu_gather from v4.13, or inc_tlb_flush_pending() around a deferred flush).
  if (m.ptl.length > 0 || m.tlbFlushPending > 0) return false;
  for (const th of m.threads) {
    if ((th.ubc & 1) !== 0 || gatherOwesFlush(th.gather)) return false;
    const b = th.brackets;
    for (let i = 0; i < b.length; i += 3) if ((Number(b[i + 2]) & BRACKET_FAILED) === 0) return false;
  }
  return true;
}

/** `incoherent-translation`, in quiescent states only. */
export function checkCoherence(x: Exec): void {
  const m = x.m;
  if (((x.prog.disabled | m.mask) & (1 << INCOHERENT_TRANSLATION)) !== 0 || !quiescent(m)) return;
  const prog = x.prog;
  for (let t = 0; t < m.tlb.length; t++) {
    const c = m.tlb[t]!;
    // CPU TLBs and the TLBs of secondaries that walk the CPU page tables cache the dirty bit.
    const cachesDirty = t < prog.tlbNames.length - prog.secondaries.length || isAtsTlb(prog, t);
    for (let i = 0; i < c.length; i += 2) {
      const key = c[i]!;
      const ent = c[i + 1]!;
      const pkey = isPmdKey(key) ? key : translationKey(m, keyAddr(key));
      const e = getEntry(m, pkey);
      let why = INCOHERENT_NONE;
      if (!isPresent(e)) why = INCOHERENT_ABSENT;
      else if (pteFrame(e) !== tlbFrame(ent)) why = INCOHERENT_FRAME;
      else if ((ent & TLB_HUGE) !== 0 && (e & PTE_HUGE) === 0) why = INCOHERENT_HUGE;
      else if ((ent & TLB_WRITE) !== 0 && (e & PTE_WRITE) === 0) why = INCOHERENT_WRITE;
      else if (cachesDirty && (ent & TLB_DIRTY) !== 0 && (e & PTE_DIRTY) === 0) why = INCOHERENT_DIRTY;
      if (why !== INCOHERENT_NONE) {
        incoherent(x, t, key, ent, pkey, e, why);
        return;
      }
    }
  }
}

const INCOHERENT_NONE = 0;
const INCOHERENT_ABSENT = 1;
const INCOHERENT_FRAME = 2;
const INCOHERENT_HUGE = 3;
const INCOHERENT_WRITE = 4;
const INCOHERENT_DIRTY = 5;

/** Translation `key` → `ent` of cache t disagrees with entry `e` of page-table key `pkey`. */
function incoherent(x: Exec, t: number, key: number, ent: number, pkey: number, e: number, why: number): void {
  const prog = x.prog;
  const name = (f: number) => frameName(prog, f);
  x.violate(INCOHERENT_TRANSLATION, () => {
    const reason =
      why === INCOHERENT_ABSENT
        ? formatPte(e, name)
        : why === INCOHERENT_FRAME
          ? `maps ${name(pteFrame(e))}`
          : why === INCOHERENT_HUGE
            ? 'not a huge mapping'
            : why === INCOHERENT_WRITE
              ? 'read-only'
              : 'clean';
    return `tlb(${prog.tlbNames[t]})[${hex(keyAddr(key))}] = ${formatTlb(ent, name)} but ${keyName(pkey)} is ${reason}`;
  });
}

function isAtsTlb(prog: Program, t: number): boolean {
  for (const s of prog.secondaries) if (s.tlb === t) return s.sharesPageTables;
  return false;
}

/** Checks when a thread finishes: open brackets and changes never notified. */
export function checkThreadFinish(x: Exec): void {
  const th = x.th;
  const b = th.brackets;
  for (let i = 0; i < b.length; i += 3) {
    if ((Number(b[i + 2]) & BRACKET_FAILED) === 0) {
      x.violate(
        NOTIFIER_IMBALANCE,
        () =>
          `${x.prog.threads[x.t]!.name} finished inside invalidate_range_start(${hex(b[i]!)}, ${hex(b[i + 1]!)}) without the matching _end`,
      );
      break;
    }
  }
  if (th.pending.length > 0) {
    x.violate(
      UNNOTIFIED_CHANGE,
      () =>
        `${x.prog.threads[x.t]!.name} weakened ${th.pending
          .filter((_, i) => i % 2 === 0)
          .map(keyName)
          .join(', ')} and no notifier call covered the change`,
    );
  }
}

export function allDone(m: Machine): boolean {
  for (const th of m.threads) if (th.status === RUNNING) return false;
  return true;
}

/** Checks when the whole execution ends: unrecorded dirty data, unbalanced subscriptions (lost stores: lostUpdate.ts). */
export function checkExecutionEnd(x: Exec): void {
  const m = x.m;
  const prog = x.prog;
  for (let i = 0; i < m.content.length; i++) {
    const f = m.fflags[i]!;
    if ((f & (PG_FREE | PG_BACKED)) !== PG_BACKED || m.content[i] === m.backing[i] || (f & PG_DIRTY) !== 0) continue;
    if (!dirtyPteMaps(m, i + 1)) {
      x.violate(
        LOST_WRITE,
        () =>
          `the execution ends with ${frameName(prog, i + 1)} holding ${String(m.content[i])} (backing copy ${String(m.backing[i])}) and nothing records it dirty`,
      );
    }
  }
  for (let s = 0; s < m.subOpen.length; s++) {
    // A subscription that left the list (srcu.ts) is owed nothing: a walk already at it when it
    // left may have started it, and no later walk reaches it to end it.
    if (m.subOpen[s]! > 0 && (m.srcu.length === 0 || m.srcu[s] === 0)) {
      x.violate(
        NOTIFIER_IMBALANCE,
        () => `secondary ${prog.secondaries[s]!.name} never received invalidate_range_end after a successful _start`,
      );
    }
  }
}

function dirtyPteMaps(m: Machine, id: number): boolean {
  const pt = m.pt;
  for (let i = 0; i < pt.length; i += 2) {
    const e = pt[i + 1]!;
    if (isPresent(e) && pteFrame(e) === id && (e & PTE_DIRTY) !== 0) return true;
  }
  return false;
}

/** Whether some present entry maps the frame (for dirty bits and mapcount checks). */
export function presentEntriesOf(m: Machine, id: number): number[] {
  const keys: number[] = [];
  const pt = m.pt;
  for (let i = 0; i < pt.length; i += 2) {
    if (isPresent(pt[i + 1]!) && pteFrame(pt[i + 1]!) === id) keys.push(pt[i]!);
  }
  return keys;
}
