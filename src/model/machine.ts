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
  /**
   * Direct writing (optional, the fastest): returns the sink's words with room for `extra` more
   * after `length`; the encoder writes there and advances `length`.
   */
  reserve?(extra: number): Int32Array;
  length?: number;
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

/** A machine that owns all its arrays: being laid out (compile.ts), a clone, or decoded. */
export interface MutableMachine extends Machine {
  content: U64[];
  backing: U64[];
  refcount: number[];
  mapcount: number[];
  fflags: number[];
  pt: number[];
  tlb: number[][];
  ptl: number[];
  locks: number[];
  vars: U64[];
  subOpen: number[];
  subSeq: number[];
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
    itreeSeq: m.itreeSeq,
    itreeActive: m.itreeActive,
    batched: m.batched,
    threads,
    mask: m.mask,
    stuck: m.stuck,
  };
}

// ---------------------------------------------------------------------------------------------
// Reused storage
//
// The search builds a successor, encodes it and drops it; it decodes a state, expands it and
// drops it. Both go through storage that is overwritten the next time instead of allocated
// (a state's dozens of small arrays were most of the search's garbage): a `Scratch` holds one
// successor at a time, and `decodeMachine` can decode into the machine it decoded last.

function emptyThread(): ThreadState {
  return { pc: 0, status: 0, regs: [], brackets: [], pending: [], weak: [], nonblock: 0, ubc: 0 };
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
    itreeSeq: 0,
    itreeActive: 0,
    batched: 0,
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
function copyInto<T>(into: T[], a: readonly T[]): void {
  const n = a.length;
  truncate(into, n);
  const m = into.length;
  let i = 0;
  for (; i < m; i++) into[i] = a[i]!;
  for (; i < n; i++) into.push(a[i]!);
}

function copyThreadInto(into: ThreadState, t: ThreadState): void {
  into.pc = t.pc;
  into.status = t.status;
  copyInto(into.regs, t.regs);
  copyInto(into.brackets, t.brackets);
  copyInto(into.pending, t.pending);
  copyInto(into.weak, t.weak);
  into.nonblock = t.nonblock;
  into.ubc = t.ubc;
}

/** A machine whose fields may be pointed at other arrays (a scratch's); its arrays stay read-only. */
type Repointable = { -readonly [K in Exclude<keyof Machine, 'tlb'>]: Machine[K] } & { tlb: (readonly number[])[] };

/**
 * Where a step builds a successor: a machine that starts out sharing every array with the state
 * it is copied from (no copy at all), and storage of its own that an array is copied into before
 * the step's first write to it (`wPt`, `wContent`, …, `wTlb`). The thread that steps always gets
 * a copy of its own. Reused from successor to successor (the search's hot path allocates
 * nothing), so a successor lives until the next copy into the same scratch.
 */
export interface Scratch {
  readonly m: Repointable;
  /** Thread states of its own, by thread index (the stepping thread's copy). */
  readonly own: ThreadState[];
  /** Storage of its own for the machine-level arrays, by field (F_*). */
  readonly spare: U64[][];
  readonly spareTlb: number[][];
  /** Bit F_x: `m`'s array x is the scratch's own (written since the copy). */
  owned: number;
  /** 1 at t: `m.tlb[t]` is the scratch's own. */
  readonly ownedTlb: number[];
}

const F_CONTENT = 0;
const F_BACKING = 1;
const F_REFCOUNT = 2;
const F_MAPCOUNT = 3;
const F_FFLAGS = 4;
const F_PT = 5;
const F_PTL = 6;
const F_LOCKS = 7;
const F_VARS = 8;
const F_SUBOPEN = 9;
const F_SUBSEQ = 10;
const ALL_FIELDS = (1 << 11) - 1;

export function newScratch(): Scratch {
  return {
    m: emptyMachine(),
    own: [],
    spare: Array.from({ length: 11 }, () => []),
    spareTlb: [],
    owned: 0,
    ownedTlb: [],
  };
}

/** A scratch around a machine that owns all its arrays (a clone): writes go straight to it. */
export function ownedScratch(m: MutableMachine): Scratch {
  return { m, own: [], spare: [], spareTlb: [], owned: ALL_FIELDS, ownedTlb: m.tlb.map(() => 1) };
}

/**
 * Copies a machine into `s` for a step of `thread` (-1: none): shares every array and every other
 * thread's state with `m`, copies `thread`'s state. The machine returned is `s.m`. Nothing of `m`
 * is changed by writes through `s`.
 */
export function copyMachine(s: Scratch, m: Machine, thread: number): Machine {
  const d = s.m;
  d.content = m.content;
  d.backing = m.backing;
  d.refcount = m.refcount;
  d.mapcount = m.mapcount;
  d.fflags = m.fflags;
  d.pt = m.pt;
  const tlb = m.tlb;
  const dtlb = d.tlb;
  truncate(dtlb, tlb.length);
  for (let i = 0; i < dtlb.length; i++) dtlb[i] = tlb[i]!;
  for (let i = dtlb.length; i < tlb.length; i++) dtlb.push(tlb[i]!);
  const ownedTlb = s.ownedTlb;
  for (let i = 0; i < tlb.length; i++) ownedTlb[i] = 0;
  d.ptl = m.ptl;
  d.locks = m.locks;
  d.vars = m.vars;
  d.subOpen = m.subOpen;
  d.subSeq = m.subSeq;
  s.owned = 0;
  d.itreeSeq = m.itreeSeq;
  d.itreeActive = m.itreeActive;
  d.batched = m.batched;
  copyInto(d.threads, m.threads);
  if (thread >= 0) {
    while (s.own.length <= thread) s.own.push(emptyThread());
    const own = s.own[thread]!;
    copyThreadInto(own, m.threads[thread]!);
    d.threads[thread] = own;
  }
  d.mask = m.mask;
  d.stuck = m.stuck;
  return d;
}

/** `a` copied into the scratch's storage for field f, now owned. */
function own<T>(s: Scratch, f: number, a: readonly T[]): T[] {
  const d = s.spare[f]! as T[];
  copyInto(d, a);
  s.owned |= 1 << f;
  return d;
}

// The arrays of a scratch's machine, to write. Each is copied into the scratch's storage before the
// first write of a step; the machine's field then points at the copy.
export function wContent(s: Scratch): U64[] {
  if ((s.owned & (1 << F_CONTENT)) === 0) s.m.content = own(s, F_CONTENT, s.m.content);
  return s.m.content as U64[];
}
export function wBacking(s: Scratch): U64[] {
  if ((s.owned & (1 << F_BACKING)) === 0) s.m.backing = own(s, F_BACKING, s.m.backing);
  return s.m.backing as U64[];
}
export function wRefcount(s: Scratch): number[] {
  if ((s.owned & (1 << F_REFCOUNT)) === 0) s.m.refcount = own(s, F_REFCOUNT, s.m.refcount);
  return s.m.refcount as number[];
}
export function wMapcount(s: Scratch): number[] {
  if ((s.owned & (1 << F_MAPCOUNT)) === 0) s.m.mapcount = own(s, F_MAPCOUNT, s.m.mapcount);
  return s.m.mapcount as number[];
}
export function wFflags(s: Scratch): number[] {
  if ((s.owned & (1 << F_FFLAGS)) === 0) s.m.fflags = own(s, F_FFLAGS, s.m.fflags);
  return s.m.fflags as number[];
}
export function wPt(s: Scratch): number[] {
  if ((s.owned & (1 << F_PT)) === 0) s.m.pt = own(s, F_PT, s.m.pt);
  return s.m.pt as number[];
}
export function wPtl(s: Scratch): number[] {
  if ((s.owned & (1 << F_PTL)) === 0) s.m.ptl = own(s, F_PTL, s.m.ptl);
  return s.m.ptl as number[];
}
export function wLocks(s: Scratch): number[] {
  if ((s.owned & (1 << F_LOCKS)) === 0) s.m.locks = own(s, F_LOCKS, s.m.locks);
  return s.m.locks as number[];
}
export function wVars(s: Scratch): U64[] {
  if ((s.owned & (1 << F_VARS)) === 0) s.m.vars = own(s, F_VARS, s.m.vars);
  return s.m.vars as U64[];
}
export function wSubOpen(s: Scratch): number[] {
  if ((s.owned & (1 << F_SUBOPEN)) === 0) s.m.subOpen = own(s, F_SUBOPEN, s.m.subOpen);
  return s.m.subOpen as number[];
}
export function wSubSeq(s: Scratch): number[] {
  if ((s.owned & (1 << F_SUBSEQ)) === 0) s.m.subSeq = own(s, F_SUBSEQ, s.m.subSeq);
  return s.m.subSeq as number[];
}
export function wTlb(s: Scratch, t: number): number[] {
  if (s.ownedTlb[t] !== 1) {
    while (s.spareTlb.length <= t) s.spareTlb.push([]);
    const d = s.spareTlb[t]!;
    copyInto(d, s.m.tlb[t]!);
    s.m.tlb[t] = d;
    s.ownedTlb[t] = 1;
  }
  return s.m.tlb[t] as number[];
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

// ---------------------------------------------------------------------------------------------
// Encoding
//
// A machine is a few segments of tokens: a word w >= 0 is a value below 2^31; -1 is an escape
// followed by the value's high and low words; w <= -2 is a run of -1 - w zeros. Runs span the
// arrays and fields of a segment and are always maximal within it, so the encoding stays
// canonical. Most registers are dead (zero), most threads hold no bracket, and the words are
// what the search copies, hashes and keeps in its frontier: the runs make a state several times
// shorter. Arrays whose length is fixed for a program (frames, locks, variables, registers, the
// number of caches and threads) are written without their length; the decoder takes those from
// a machine of the same program (`shape`). Variable arrays (maps, brackets) start with their
// length.
//
// Segments, in order: the frames (content, backing, refcount, mapcount, fflags); the page table;
// each translation cache; the rest of the machine (ptl, locks, vars, subOpen, subSeq, the
// mm-wide fields, mask, stuck); each thread (pc, status, regs, brackets, pending, weak,
// nonblock, ubc). A successor shares most segments with the state it was built from (see
// Scratch), and a segment's words are then copied from that state's encoding instead of being
// written again: runs never cross a segment's end for that reason.
//
// The encoder writes into the sink's own words when it offers `reserve`, else into one
// module-level buffer handed over in one call; the cursor is passed along in locals (the hot
// path of the search: a call per word through an interface was a third of the profile).
let buf: Int32Array = new Int32Array(1024);

/** `buf.length` kept as a number: reading a typed array's length is not free in Node 20. */
let bufCap = buf.length;

/**
 * Words of slack the encoder keeps beyond the next array's worst case (3 words per value): the
 * single words written before the next capacity check (counts, pc, status, …) fit in it.
 */
const SLACK = 16;

/** The sink an encoding is written straight into (see `WordSink.reserve`), if any. */
let direct: WordSink | undefined;

/** A buffer of at least `need` words holding the `used` words written so far. */
function grow(used: number, need: number): Int32Array {
  if (direct !== undefined) {
    direct.length = used;
    const w = direct.reserve!(need - used);
    bufCap = w.length;
    return w;
  }
  while (bufCap < need) bufCap *= 2;
  const b = new Int32Array(bufCap);
  b.set(buf.subarray(0, used));
  buf = b;
  return b;
}

/** Zeros pending in the segment being written (a run not yet ended). */
let zeros = 0;

/**
 * Writes the values of `a` at `k` in `b` (the caller checked the capacity), carrying `zeros`,
 * and returns the cursor after them.
 */
function putValues(b: Int32Array, k: number, a: readonly U64[]): number {
  let z = zeros;
  const len = a.length;
  for (let i = 0; i < len; i++) {
    const v = a[i]!;
    if (v === 0) {
      z++;
      continue;
    }
    if (z !== 0) {
      b[k++] = -1 - z;
      z = 0;
    }
    if (typeof v === 'number' && v < 0x80000000) b[k++] = v;
    else {
      b[k++] = -1;
      b[k++] = hiWord(v);
      b[k++] = loWord(v);
    }
  }
  zeros = z;
  return k;
}

/** Writes one value (a non-negative number below 2^31: a length, a pc, a count). */
function putSmall(b: Int32Array, k: number, v: number): number {
  if (v === 0) {
    zeros++;
    return k;
  }
  if (zeros !== 0) {
    b[k++] = -1 - zeros;
    zeros = 0;
  }
  b[k++] = v;
  return k;
}

/** Ends a segment: writes the pending run. */
function endSegment(b: Int32Array, k: number): number {
  if (zeros !== 0) {
    b[k++] = -1 - zeros;
    zeros = 0;
  }
  return k;
}

/** Copies `d[from, to)` to `b` at `k` (the caller checked the capacity); returns the cursor. */
function putWords(b: Int32Array, k: number, d: Int32Array, from: number, to: number): number {
  for (let j = from; j < to; j++) b[k++] = d[j]!;
  return k;
}

// The machine decoded last: its arrays and thread states, and where each segment's words lie in
// `decWords` (a copy of its encoding). A decoded machine is never changed, so a successor's
// segment whose arrays are still the decoded machine's has the decoded machine's words.
let decWords = new Int32Array(1024);
let decCap = 1024;
let decContent: readonly U64[] | undefined;
let decBacking: readonly U64[] | undefined;
let decRefcount: readonly number[] | undefined;
let decMapcount: readonly number[] | undefined;
let decFflags: readonly number[] | undefined;
let decPt: readonly number[] | undefined;
let decFramesFrom = 0;
let decFramesTo = 0;
let decPtFrom = 0;
let decPtTo = 0;
let decPtl: readonly number[] | undefined;
let decLocks: readonly number[] | undefined;
let decVars: readonly U64[] | undefined;
let decSubOpen: readonly number[] | undefined;
let decSubSeq: readonly number[] | undefined;
/** itreeSeq, itreeActive, batched, mask, stuck. */
const decScalars = [-1, -1, -1, -1, -1];
let decRestFrom = 0;
let decRestTo = 0;
const decTlb: (readonly number[] | undefined)[] = [];
const decTlbFrom: number[] = [];
const decTlbTo: number[] = [];
let decThreads: ThreadState[] = [];
const decFrom: number[] = [];
const decTo: number[] = [];

// The capacity is checked before each array, against the worst case of that array plus SLACK,
// rather than by a pass over the machine that sums every length.
export function encodeMachine(m: Machine, out: WordSink): void {
  let b = buf;
  let k = 0;
  if (out.reserve !== undefined) {
    // Straight into the sink: `bufCap` is the sink's capacity until the end of this encoding.
    direct = out;
    k = out.length!;
    b = out.reserve(SLACK);
    bufCap = b.length;
  } else if (SLACK > bufCap) b = grow(0, SLACK);
  zeros = 0;
  const d = decWords;
  // The frames.
  if (
    m.content === decContent &&
    m.backing === decBacking &&
    m.refcount === decRefcount &&
    m.mapcount === decMapcount &&
    m.fflags === decFflags
  ) {
    if (k + (decFramesTo - decFramesFrom) + SLACK > bufCap) b = grow(k, k + (decFramesTo - decFramesFrom) + SLACK);
    k = putWords(b, k, d, decFramesFrom, decFramesTo);
  } else {
    const n = m.content.length;
    if (k + 15 * n + SLACK > bufCap) b = grow(k, k + 15 * n + SLACK);
    k = putValues(b, k, m.content);
    k = putValues(b, k, m.backing);
    k = putValues(b, k, m.refcount);
    k = putValues(b, k, m.mapcount);
    k = putValues(b, k, m.fflags);
    k = endSegment(b, k);
  }
  // The page table, then each translation cache.
  const pt = m.pt;
  if (pt === decPt) {
    if (k + (decPtTo - decPtFrom) + SLACK > bufCap) b = grow(k, k + (decPtTo - decPtFrom) + SLACK);
    k = putWords(b, k, d, decPtFrom, decPtTo);
  } else {
    if (k + 3 * pt.length + SLACK > bufCap) b = grow(k, k + 3 * pt.length + SLACK);
    k = putSmall(b, k, pt.length);
    k = putValues(b, k, pt);
    k = endSegment(b, k);
  }
  const tlb = m.tlb;
  for (let t = 0; t < tlb.length; t++) {
    const a = tlb[t]!;
    if (a === decTlb[t]) {
      const from = decTlbFrom[t]!;
      const to = decTlbTo[t]!;
      if (k + (to - from) + SLACK > bufCap) b = grow(k, k + (to - from) + SLACK);
      k = putWords(b, k, d, from, to);
    } else {
      if (k + 3 * a.length + SLACK > bufCap) b = grow(k, k + 3 * a.length + SLACK);
      k = putSmall(b, k, a.length);
      k = putValues(b, k, a);
      k = endSegment(b, k);
    }
  }
  // The rest of the machine.
  if (
    m.ptl === decPtl &&
    m.locks === decLocks &&
    m.vars === decVars &&
    m.subOpen === decSubOpen &&
    m.subSeq === decSubSeq &&
    m.itreeSeq === decScalars[0] &&
    m.itreeActive === decScalars[1] &&
    m.batched === decScalars[2] &&
    m.mask === decScalars[3] &&
    m.stuck === decScalars[4]
  ) {
    if (k + (decRestTo - decRestFrom) + SLACK > bufCap) b = grow(k, k + (decRestTo - decRestFrom) + SLACK);
    k = putWords(b, k, d, decRestFrom, decRestTo);
  } else {
    const rest = m.ptl.length + m.locks.length + m.vars.length + m.subOpen.length + m.subSeq.length;
    if (k + 3 * rest + SLACK > bufCap) b = grow(k, k + 3 * rest + SLACK);
    k = putSmall(b, k, m.ptl.length);
    k = putValues(b, k, m.ptl);
    k = putValues(b, k, m.locks);
    k = putValues(b, k, m.vars);
    k = putValues(b, k, m.subOpen);
    k = putValues(b, k, m.subSeq);
    k = putSmall(b, k, m.itreeSeq);
    k = putSmall(b, k, m.itreeActive);
    k = putSmall(b, k, m.batched);
    k = putSmall(b, k, m.mask);
    k = putSmall(b, k, m.stuck);
    k = endSegment(b, k);
  }
  // The threads.
  const threads = m.threads;
  for (let i = 0; i < threads.length; i++) {
    const t = threads[i]!;
    if (t === decThreads[i]) {
      const from = decFrom[i]!;
      const to = decTo[i]!;
      if (k + (to - from) + SLACK > bufCap) b = grow(k, k + (to - from) + SLACK);
      k = putWords(b, k, d, from, to);
    } else {
      const n = t.regs.length + t.brackets.length + t.pending.length + t.weak.length;
      if (k + 3 * n + SLACK > bufCap) b = grow(k, k + 3 * n + SLACK);
      k = putSmall(b, k, t.pc);
      k = putSmall(b, k, t.status);
      k = putValues(b, k, t.regs);
      k = putSmall(b, k, t.brackets.length);
      k = putValues(b, k, t.brackets);
      k = putSmall(b, k, t.pending.length);
      k = putValues(b, k, t.pending);
      k = putSmall(b, k, t.weak.length);
      k = putValues(b, k, t.weak);
      k = putSmall(b, k, t.nonblock);
      k = putSmall(b, k, t.ubc);
      k = endSegment(b, k);
    }
  }
  if (direct !== undefined) {
    out.length = k;
    direct = undefined;
    bufCap = buf.length;
  } else if (out.pushWords !== undefined) out.pushWords(b, k);
  else for (let i = 0; i < k; i++) out.push(b[i]!);
}

// Decoding reads words through a module-level cursor, as encoding writes them, with the zeros
// left of the run being read.
let rw: Int32Array = buf;
let ri = 0;
let rz = 0;

/** The next value. */
function readValue(): U64 {
  if (rz > 0) {
    rz--;
    return 0;
  }
  const x = rw[ri++]!;
  if (x >= 0) return x;
  if (x === -1) {
    const v = fromWords(rw[ri]!, rw[ri + 1]!);
    ri += 2;
    return v;
  }
  rz = -2 - x;
  return 0;
}

const readNumber = readValue as () => number;

/**
 * Reads `len` values into `a`'s storage. Number-typed arrays hold numbers below 2^53, which
 * decode as numbers, so one reader serves both kinds.
 */
function readValuesInto(a: U64[], len: number): void {
  truncate(a, len);
  while (a.length < len) a.push(0);
  const w = rw;
  let r = ri;
  let z = rz;
  let i = 0;
  while (i < len) {
    if (z > 0) {
      // The run's zeros (as many as fit in this array).
      const n = Math.min(z, len - i);
      for (let j = 0; j < n; j++) a[i++] = 0;
      z -= n;
      continue;
    }
    const x = w[r++]!;
    if (x >= 0) a[i++] = x;
    else if (x === -1) {
      a[i++] = fromWords(w[r]!, w[r + 1]!);
      r += 2;
    } else {
      a[i++] = 0;
      z = -2 - x;
    }
  }
  ri = r;
  rz = z;
}

const readNumbersInto = readValuesInto as (a: number[], len: number) => void;

/** The machine the last decoding went into, and the shape it had (see `decodeMachine`). */
let lastInto: Machine | undefined;
let lastShape: Machine | undefined;

/** Whether `w[at, at + (to - from))` equals `d[from, to)`. */
function sameWords(w: Int32Array, at: number, d: Int32Array, from: number, to: number): boolean {
  if (at + (to - from) > w.length) return false;
  for (let j = from; j < to; j++) if (w[at++] !== d[j]) return false;
  return true;
}

/**
 * Rebuilds the machine encoded at `words[start…]`; `shape` is a machine of the same program (for
 * the lengths the encoding leaves out). With `into` (a machine this function decoded into before,
 * or `emptyMachine()`), the machine is decoded into `into`'s storage, thread states included,
 * and returned: whatever held `into` or its threads sees them change.
 *
 * Decoding into the machine decoded last skips every segment whose words are those of the last
 * encoding: its arrays already hold its values (a decoded machine is never changed). States
 * expanded one after the other in a search are mostly siblings, which share most segments.
 */
export function decodeMachine(words: Int32Array, start: number, shape: Machine, into?: MutableMachine): Machine {
  const m = into ?? emptyMachine();
  const fresh = into === undefined;
  const again = !fresh && into === lastInto && shape === lastShape;
  lastInto = m;
  lastShape = shape;
  const d = decWords;
  rw = words;
  ri = start;
  rz = 0;
  const frames = shape.content.length;
  if (again && sameWords(words, ri, d, decFramesFrom, decFramesTo)) {
    ri += decFramesTo - decFramesFrom;
    decFramesFrom = 0;
  } else {
    decFramesFrom = 0;
    readValuesInto(m.content, frames);
    readValuesInto(m.backing, frames);
    readNumbersInto(m.refcount, frames);
    readNumbersInto(m.mapcount, frames);
    readNumbersInto(m.fflags, frames);
  }
  decFramesTo = ri - start;
  decContent = m.content;
  decBacking = m.backing;
  decRefcount = m.refcount;
  decMapcount = m.mapcount;
  decFflags = m.fflags;
  if (again && sameWords(words, ri, d, decPtFrom, decPtTo)) ri += decPtTo - decPtFrom;
  else readNumbersInto(m.pt, readNumber());
  decPtTo = ri - start;
  decPtFrom = decFramesTo;
  decPt = m.pt;
  const ntlb = shape.tlb.length;
  const tlb = m.tlb;
  while (tlb.length < ntlb) tlb.push([]);
  truncate(tlb, ntlb);
  truncate(decTlb, 0);
  for (let t = 0; t < ntlb; t++) {
    const from = ri - start;
    if (again && sameWords(words, ri, d, decTlbFrom[t]!, decTlbTo[t]!)) ri += decTlbTo[t]! - decTlbFrom[t]!;
    else readNumbersInto(tlb[t]!, readNumber());
    decTlbFrom[t] = from;
    decTlbTo[t] = ri - start;
    decTlb.push(tlb[t]!);
  }
  const restFrom = ri - start;
  if (again && sameWords(words, ri, d, decRestFrom, decRestTo)) ri += decRestTo - decRestFrom;
  else {
    readNumbersInto(m.ptl, readNumber());
    readNumbersInto(m.locks, shape.locks.length);
    readValuesInto(m.vars, shape.vars.length);
    readNumbersInto(m.subOpen, shape.subOpen.length);
    readNumbersInto(m.subSeq, shape.subSeq.length);
    m.itreeSeq = readNumber();
    m.itreeActive = readNumber();
    m.batched = readNumber();
    m.mask = readNumber();
    m.stuck = readNumber();
  }
  decRestFrom = restFrom;
  decRestTo = ri - start;
  decPtl = m.ptl;
  decLocks = m.locks;
  decVars = m.vars;
  decSubOpen = m.subOpen;
  decSubSeq = m.subSeq;
  decScalars[0] = m.itreeSeq;
  decScalars[1] = m.itreeActive;
  decScalars[2] = m.batched;
  decScalars[3] = m.mask;
  decScalars[4] = m.stuck;
  const nthreads = shape.threads.length;
  const threads = m.threads;
  truncate(threads, nthreads);
  for (let k = 0; k < nthreads; k++) {
    const from = ri - start;
    let th = threads[k];
    if (th === undefined || fresh) {
      th = emptyThread();
      threads[k] = th;
    }
    if (again && sameWords(words, ri, d, decFrom[k]!, decTo[k]!)) ri += decTo[k]! - decFrom[k]!;
    else {
      th.pc = readNumber();
      th.status = readNumber();
      readValuesInto(th.regs, shape.threads[k]!.regs.length);
      readValuesInto(th.brackets, readNumber());
      readNumbersInto(th.pending, readNumber());
      readNumbersInto(th.weak, readNumber());
      th.nonblock = readNumber();
      th.ubc = readNumber();
    }
    decFrom[k] = from;
    decTo[k] = ri - start;
  }
  // Keep a copy of the words: the caller may reuse `words` before the successors are encoded.
  const len = ri - start;
  if (decCap < len) {
    decCap = Math.max(len, decCap * 2);
    decWords = new Int32Array(decCap);
  }
  const dw = decWords;
  for (let j = 0; j < len; j++) dw[j] = rw[start + j]!;
  decThreads = threads;
  rw = buf;
  return m;
}
