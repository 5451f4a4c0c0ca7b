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
  /** Appends `count` words of `words` at once (optional fast path). */
  pushWords?(words: Int32Array, count: number): void;
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

/**
 * A copy to build a successor in. Only `thread`'s state is copied (a step changes no other
 * thread's state: those are shared with `m`, which is never changed once built); -1 copies none.
 */
export function cloneMachine(m: Machine, thread: number): Machine {
  const threads = m.threads.slice();
  if (thread >= 0) threads[thread] = cloneThread(m.threads[thread]!);
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
    threads,
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
// The encoder writes into one module-level buffer with a local cursor (the hot path of the
// search: a call per word through an interface was a third of the profile), then hands the words
// over in one call when the sink takes them in bulk.
let buf = new Int32Array(1024);
let n = 0;

function ensure(extra: number): void {
  if (n + extra <= buf.length) return;
  let cap = buf.length * 2;
  while (cap < n + extra) cap *= 2;
  const b = new Int32Array(cap);
  b.set(buf.subarray(0, n));
  buf = b;
}

/** A value takes one word when it is below 2^31, else an escape word and two more. */
function putValue(v: U64): void {
  if (typeof v === 'number' && v < 0x80000000) buf[n++] = v;
  else {
    buf[n++] = -1;
    buf[n++] = hiWord(v);
    buf[n++] = loWord(v);
  }
}

/** A length, then the values (numbers below 2^53, addresses included, use the value encoding). */
function putValues(a: readonly U64[]): void {
  const len = a.length;
  ensure(1 + 3 * len);
  buf[n++] = len;
  for (let i = 0; i < len; i++) {
    const v = a[i]!;
    if (typeof v === 'number' && v < 0x80000000) buf[n++] = v;
    else putValue(v);
  }
}

function put(w: number): void {
  ensure(1);
  buf[n++] = w;
}

export function encodeMachine(m: Machine, out: WordSink): void {
  n = 0;
  put(m.mask);
  put(m.stuck);
  putValues(m.content);
  putValues(m.backing);
  putValues(m.refcount);
  putValues(m.mapcount);
  putValues(m.fflags);
  putValues(m.pt);
  put(m.tlb.length);
  for (const t of m.tlb) putValues(t);
  putValues(m.ptl);
  putValues(m.locks);
  putValues(m.vars);
  putValues(m.subOpen);
  putValues(m.subSeq);
  put(m.itreeSeq);
  put(m.itreeActive);
  put(m.batched);
  put(m.threads.length);
  for (const t of m.threads) {
    put(t.pc);
    put(t.status);
    putValues(t.regs);
    putValues(t.brackets);
    putValues(t.pending);
    putValues(t.weak);
    put(t.nonblock);
    put(t.ubc);
  }
  if (out.pushWords !== undefined) out.pushWords(buf, n);
  else for (let i = 0; i < n; i++) out.push(buf[i]!);
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
