// The canonical encoding of a machine in 32-bit words, and decoding.
//
// Invariants that make the encoding canonical (equal machines of one program ⇔ equal words):
// - sparse maps (page table, translation caches, page-table locks) are flat [key, value, …]
//   arrays sorted by key, with no entry holding the "absent" value (none / unlocked);
// - dead registers are zero (a routine's registers are cleared when it returns);
// - everything else has a fixed size decided at compile time.
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

import { emptyMachine, emptyThread, type Machine, type MutableMachine, type ThreadState, truncate } from './machine.js';
import { fromWords, hiWord, loWord, type U64 } from './u64.js';

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
