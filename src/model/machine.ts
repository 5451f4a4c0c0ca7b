// The machine state of DESIGN §3.1 as plain arrays, and its canonical encoding in 32-bit words.
//
// Invariants that make the encoding canonical (equal machines ⇔ equal words):
// - sparse maps (page table, translation caches, page-table locks) are flat [key, value, …]
//   arrays sorted by key, with no entry holding the "absent" value (none / unlocked);
// - dead registers are zero (routine locals are cleared when the routine returns);
// - everything else has a fixed size decided at compile time.

/** Where an encoding goes (the explorer's word buffer). */
export interface WordSink {
  push(word: number): void;
}

import { fromWords, hiWord, loWord, type U64 } from './u64.js';

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
}

export interface Machine {
  content: U64[];
  backing: U64[];
  refcount: number[];
  mapcount: number[];
  fflags: number[];
  /** Page table: sorted [key, pte_t] pairs; see entry.ts for keys. */
  pt: number[];
  /** Translation caches: one per cpu thread, then one per secondary; sorted [key, entry] pairs. */
  tlb: number[][];
  /** Page-table locks held: sorted [PMD region address, owner thread + 1] pairs. */
  ptl: number[];
  /** Declared and secondary locks: 0 free; owner + 1 for spinlock/mutex; rwsem: RWSEM_WRITER | owner write-held, n > 0 readers. */
  locks: number[];
  /** Globals, then every secondary's state variables. */
  vars: U64[];
  /** Per secondary: successful `invalidate_range_start` calls not yet matched by an `_end`. */
  subOpen: number[];
  /** Per secondary: the interval subscription's `invalidate_seq`. */
  subSeq: number[];
  /** mm-wide `mmu_notifier_subscriptions.invalidate_seq` (even: idle, odd: invalidating). */
  itreeSeq: number;
  /** mm-wide `active_invalidate_ranges`. */
  itreeActive: number;
  /** mm->tlb_flush_batched: a deferred flush may be pending for this mm. */
  batched: number;
  threads: ThreadState[];
  /** Properties violated so far in this execution (bit per property, see check/properties.ts). */
  mask: number;
  /** 1 in the pseudo-state that records a deadlock; it has no successors. */
  stuck: number;
}

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
  };
}

export function cloneMachine(m: Machine): Machine {
  return {
    content: m.content.slice(),
    backing: m.backing.slice(),
    refcount: m.refcount.slice(),
    mapcount: m.mapcount.slice(),
    fflags: m.fflags.slice(),
    pt: m.pt.slice(),
    tlb: m.tlb.map((t) => t.slice()),
    ptl: m.ptl.slice(),
    locks: m.locks.slice(),
    vars: m.vars.slice(),
    subOpen: m.subOpen.slice(),
    subSeq: m.subSeq.slice(),
    itreeSeq: m.itreeSeq,
    itreeActive: m.itreeActive,
    batched: m.batched,
    threads: m.threads.map(cloneThread),
    mask: m.mask,
    stuck: m.stuck,
  };
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
    if (value === absent) a.splice(i, 2);
    else a[i + 1] = value;
  } else if (value !== absent) {
    a.splice(i, 0, key, value);
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** A value takes one word when it is below 2^31, else an escape word and two more. */
function pushValue(out: WordSink, v: U64): void {
  if (typeof v === 'number' && v < 0x80000000) out.push(v);
  else {
    out.push(-1);
    out.push(hiWord(v));
    out.push(loWord(v));
  }
}

/** Non-negative integers below 2^53 (addresses included) use the value encoding. */
function pushNumbers(out: WordSink, a: readonly number[]): void {
  out.push(a.length);
  for (const x of a) pushValue(out, x);
}

function pushValues(out: WordSink, a: readonly U64[]): void {
  out.push(a.length);
  for (const x of a) pushValue(out, x);
}

export function encodeMachine(m: Machine, out: WordSink): void {
  out.push(m.mask);
  out.push(m.stuck);
  pushValues(out, m.content);
  pushValues(out, m.backing);
  pushNumbers(out, m.refcount);
  pushNumbers(out, m.mapcount);
  pushNumbers(out, m.fflags);
  pushNumbers(out, m.pt);
  out.push(m.tlb.length);
  for (const t of m.tlb) pushNumbers(out, t);
  pushNumbers(out, m.ptl);
  pushNumbers(out, m.locks);
  pushValues(out, m.vars);
  pushNumbers(out, m.subOpen);
  pushNumbers(out, m.subSeq);
  out.push(m.itreeSeq);
  out.push(m.itreeActive);
  out.push(m.batched);
  out.push(m.threads.length);
  for (const t of m.threads) {
    out.push(t.pc);
    out.push(t.status);
    pushValues(out, t.regs);
    pushValues(out, t.brackets);
    pushNumbers(out, t.pending);
    pushNumbers(out, t.weak);
    out.push(t.nonblock);
    out.push(t.ubc);
  }
}

class Reader {
  constructor(
    private readonly w: Int32Array,
    public i: number,
  ) {}
  word(): number {
    return this.w[this.i++]!;
  }
  value(): U64 {
    const x = this.w[this.i++]!;
    if (x >= 0) return x;
    const hi = this.w[this.i++]!;
    const lo = this.w[this.i++]!;
    return fromWords(hi, lo);
  }
  numbers(): number[] {
    const n = this.word();
    const a = new Array<number>(n);
    for (let k = 0; k < n; k++) a[k] = Number(this.value());
    return a;
  }
  values(): U64[] {
    const n = this.word();
    const a = new Array<U64>(n);
    for (let k = 0; k < n; k++) a[k] = this.value();
    return a;
  }
}

export function decodeMachine(words: Int32Array, start: number): Machine {
  const r = new Reader(words, start);
  const mask = r.word();
  const stuck = r.word();
  const content = r.values();
  const backing = r.values();
  const refcount = r.numbers();
  const mapcount = r.numbers();
  const fflags = r.numbers();
  const pt = r.numbers();
  const ntlb = r.word();
  const tlb: number[][] = [];
  for (let k = 0; k < ntlb; k++) tlb.push(r.numbers());
  const ptl = r.numbers();
  const locks = r.numbers();
  const vars = r.values();
  const subOpen = r.numbers();
  const subSeq = r.numbers();
  const itreeSeq = r.word();
  const itreeActive = r.word();
  const batched = r.word();
  const nthreads = r.word();
  const threads: ThreadState[] = [];
  for (let k = 0; k < nthreads; k++) {
    const pc = r.word();
    const status = r.word();
    const regs = r.values();
    const brackets = r.values();
    const pending = r.numbers();
    const weak = r.numbers();
    const nonblock = r.word();
    const ubc = r.word();
    threads.push({ pc, status, regs, brackets, pending, weak, nonblock, ubc });
  }
  return {
    content,
    backing,
    refcount,
    mapcount,
    fflags,
    pt,
    tlb,
    ptl,
    locks,
    vars,
    subOpen,
    subSeq,
    itreeSeq,
    itreeActive,
    batched,
    threads,
    mask,
    stuck,
  };
}
