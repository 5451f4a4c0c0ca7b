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
// each translation cache; the rest of the machine (ptl, locks, vars, subOpen, subSeq, srcu, stores, the
// mm-wide fields, mask, stuck); each thread (pc, status, regs, brackets, pending, weak,
// nonblock, ubc, gather, mmap). A successor shares most segments with the state it was built from (see
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

/** `b`, or a larger buffer holding its first `k` words, with room for `n` more words and SLACK. */
function room(b: Int32Array, k: number, n: number): Int32Array {
  return k + n + SLACK > bufCap ? grow(k, k + n + SLACK) : b;
}

/**
 * Copies segment `s` of the decoded state's words to `b` at `k` (the caller made room); returns
 * the cursor after it.
 */
function putSegment(b: Int32Array, k: number, s: number): number {
  const d = decWords;
  const base = decBase;
  const to = base + decAt[s + 1]!;
  for (let j = base + decAt[s]!; j < to; j++) b[k++] = d[j]!;
  return k;
}

/** The length in words of segment `s` of the decoded state. */
function segmentLength(s: number): number {
  return decAt[s + 1]! - decAt[s]!;
}

// The machine decoded last: its arrays, scalars and thread states, its words, and where its
// segments lie in them: segment s is `decWords[decBase + decAt[s], decBase + decAt[s + 1])`,
// numbered in encoding order (0 the frames, 1 the page table, 2 … the caches, then the rest, then
// the threads). A decoded machine is never changed, so a successor's segment whose arrays are
// still the decoded machine's has the decoded machine's words. The words are a copy (`ownWords`)
// unless the caller of `decodeMachine` keeps them unchanged until the next decoding (the
// explorer's frontier does): then they are the caller's, read in place.
let ownWords = new Int32Array(1024);
let ownCap = 1024;
let decWords: Int32Array = ownWords;
let decBase = 0;
let decAt: number[] = [];
/** The segment boundaries being recorded by a decoding (swapped with `decAt` at its end). */
let newAt: number[] = [];
let decContent: readonly U64[] | undefined;
let decBacking: readonly U64[] | undefined;
let decRefcount: readonly number[] | undefined;
let decMapcount: readonly number[] | undefined;
let decFflags: readonly number[] | undefined;
/** The page table, then each translation cache. */
const decMaps: (readonly number[])[] = [];
let decPtl: readonly number[] | undefined;
let decLocks: readonly number[] | undefined;
let decVars: readonly U64[] | undefined;
let decSubOpen: readonly number[] | undefined;
let decSubSeq: readonly number[] | undefined;
let decSrcu: readonly number[] | undefined;
let decStores: readonly U64[] | undefined;
/** itreeSeq, itreeActive, batched, tlbFlushPending, mmapLock, mask, stuck. */
const decScalars = [-1, -1, -1, -1, -1, -1, -1];
let decThreads: ThreadState[] = [];

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
  // The frames.
  if (
    m.content === decContent &&
    m.backing === decBacking &&
    m.refcount === decRefcount &&
    m.mapcount === decMapcount &&
    m.fflags === decFflags
  ) {
    b = room(b, k, segmentLength(0));
    k = putSegment(b, k, 0);
  } else {
    b = room(b, k, 15 * m.content.length);
    k = putValues(b, k, m.content);
    k = putValues(b, k, m.backing);
    k = putValues(b, k, m.refcount);
    k = putValues(b, k, m.mapcount);
    k = putValues(b, k, m.fflags);
    k = endSegment(b, k);
  }
  // The page table, then each translation cache: segments 1, 2, ….
  const tlb = m.tlb;
  for (let s = 1; s <= tlb.length + 1; s++) {
    const a = s === 1 ? m.pt : tlb[s - 2]!;
    if (a === decMaps[s - 1]) {
      b = room(b, k, segmentLength(s));
      k = putSegment(b, k, s);
    } else {
      b = room(b, k, 3 * a.length);
      k = putSmall(b, k, a.length);
      k = putValues(b, k, a);
      k = endSegment(b, k);
    }
  }
  // The rest of the machine.
  const rest = tlb.length + 2;
  if (
    m.ptl === decPtl &&
    m.locks === decLocks &&
    m.vars === decVars &&
    m.subOpen === decSubOpen &&
    m.subSeq === decSubSeq &&
    m.srcu === decSrcu &&
    m.stores === decStores &&
    m.itreeSeq === decScalars[0] &&
    m.itreeActive === decScalars[1] &&
    m.batched === decScalars[2] &&
    m.tlbFlushPending === decScalars[3] &&
    m.mmapLock === decScalars[4] &&
    m.mask === decScalars[5] &&
    m.stuck === decScalars[6]
  ) {
    b = room(b, k, segmentLength(rest));
    k = putSegment(b, k, rest);
  } else {
    b = room(
      b,
      k,
      3 *
        (m.ptl.length +
          m.locks.length +
          m.vars.length +
          m.subOpen.length +
          m.subSeq.length +
          m.srcu.length +
          m.stores.length),
    );
    k = putSmall(b, k, m.ptl.length);
    k = putValues(b, k, m.ptl);
    k = putValues(b, k, m.locks);
    k = putValues(b, k, m.vars);
    k = putValues(b, k, m.subOpen);
    k = putValues(b, k, m.subSeq);
    k = putValues(b, k, m.srcu);
    k = putSmall(b, k, m.stores.length);
    k = putValues(b, k, m.stores);
    k = putSmall(b, k, m.itreeSeq);
    k = putSmall(b, k, m.itreeActive);
    k = putSmall(b, k, m.batched);
    k = putSmall(b, k, m.tlbFlushPending);
    k = putSmall(b, k, m.mmapLock);
    k = putSmall(b, k, m.mask);
    k = putSmall(b, k, m.stuck);
    k = endSegment(b, k);
  }
  // The threads.
  const threads = m.threads;
  for (let i = 0; i < threads.length; i++) {
    const t = threads[i]!;
    const s = rest + 1 + i;
    if (t === decThreads[i]) {
      b = room(b, k, segmentLength(s));
      k = putSegment(b, k, s);
    } else {
      b = room(b, k, 3 * (t.regs.length + t.brackets.length + t.pending.length + t.weak.length + t.gather.length));
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
      k = putSmall(b, k, t.gather.length);
      k = putValues(b, k, t.gather);
      k = putSmall(b, k, t.mmap);
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

/**
 * With `again` (decoding into the machine decoded last): whether segment `s` at the read cursor
 * has the words segment `s` of the last decoding had. If so, the cursor moves past them.
 */
function skipSegment(again: boolean, s: number): boolean {
  if (!again) return false;
  const from = decBase + decAt[s]!;
  const to = decBase + decAt[s + 1]!;
  const w = rw;
  if (ri + (to - from) > w.length) return false;
  const d = decWords;
  for (let j = from, at = ri; j < to; j++, at++) if (w[at] !== d[j]) return false;
  ri += to - from;
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
 *
 * With `stable`, the caller promises that `words[start…]` stay unchanged until the next call: the
 * words are then read in place by this decoding's successors (`encodeMachine`) and the next
 * decoding, instead of being copied.
 */
export function decodeMachine(
  words: Int32Array,
  start: number,
  shape: Machine,
  into?: MutableMachine,
  stable = false,
): Machine {
  const m = into ?? emptyMachine();
  const fresh = into === undefined;
  const again = !fresh && into === lastInto && shape === lastShape;
  lastInto = m;
  lastShape = shape;
  rw = words;
  ri = start;
  rz = 0;
  const at = newAt;
  truncate(at, 0);
  // The frames.
  at.push(0);
  if (!skipSegment(again, 0)) {
    const frames = shape.content.length;
    readValuesInto(m.content, frames);
    readValuesInto(m.backing, frames);
    readNumbersInto(m.refcount, frames);
    readNumbersInto(m.mapcount, frames);
    readNumbersInto(m.fflags, frames);
  }
  decContent = m.content;
  decBacking = m.backing;
  decRefcount = m.refcount;
  decMapcount = m.mapcount;
  decFflags = m.fflags;
  // The page table, then each translation cache.
  const ntlb = shape.tlb.length;
  const tlb = m.tlb;
  while (tlb.length < ntlb) tlb.push([]);
  truncate(tlb, ntlb);
  truncate(decMaps, 0);
  for (let s = 1; s <= ntlb + 1; s++) {
    at.push(ri - start);
    const a = s === 1 ? m.pt : tlb[s - 2]!;
    if (!skipSegment(again, s)) readNumbersInto(a, readNumber());
    decMaps.push(a);
  }
  // The rest of the machine.
  at.push(ri - start);
  if (!skipSegment(again, ntlb + 2)) {
    readNumbersInto(m.ptl, readNumber());
    readNumbersInto(m.locks, shape.locks.length);
    readValuesInto(m.vars, shape.vars.length);
    readNumbersInto(m.subOpen, shape.subOpen.length);
    readNumbersInto(m.subSeq, shape.subSeq.length);
    readNumbersInto(m.srcu, shape.srcu.length);
    readValuesInto(m.stores, readNumber());
    m.itreeSeq = readNumber();
    m.itreeActive = readNumber();
    m.batched = readNumber();
    m.tlbFlushPending = readNumber();
    m.mmapLock = readNumber();
    m.mask = readNumber();
    m.stuck = readNumber();
  }
  decPtl = m.ptl;
  decLocks = m.locks;
  decVars = m.vars;
  decSubOpen = m.subOpen;
  decSubSeq = m.subSeq;
  decSrcu = m.srcu;
  decStores = m.stores;
  decScalars[0] = m.itreeSeq;
  decScalars[1] = m.itreeActive;
  decScalars[2] = m.batched;
  decScalars[3] = m.tlbFlushPending;
  decScalars[4] = m.mmapLock;
  decScalars[5] = m.mask;
  decScalars[6] = m.stuck;
  // The threads.
  const nthreads = shape.threads.length;
  const threads = m.threads;
  truncate(threads, nthreads);
  for (let k = 0; k < nthreads; k++) {
    at.push(ri - start);
    let th = threads[k];
    if (th === undefined || fresh) {
      th = emptyThread();
      threads[k] = th;
    }
    if (!skipSegment(again, ntlb + 3 + k)) {
      th.pc = readNumber();
      th.status = readNumber();
      readValuesInto(th.regs, shape.threads[k]!.regs.length);
      readValuesInto(th.brackets, readNumber());
      readNumbersInto(th.pending, readNumber());
      readNumbersInto(th.weak, readNumber());
      th.nonblock = readNumber();
      th.ubc = readNumber();
      readValuesInto(th.gather, readNumber());
      th.mmap = readNumber();
    }
  }
  const len = ri - start;
  at.push(len);
  newAt = decAt;
  decAt = at;
  if (stable) {
    // The caller keeps the words unchanged until the next decoding: no copy (a tenth of the
    // decoder's time).
    decWords = words;
    decBase = start;
  } else {
    // Keep a copy of the words: the caller may reuse `words` before the successors are encoded.
    if (ownCap < len) {
      ownCap = Math.max(len, ownCap * 2);
      ownWords = new Int32Array(ownCap);
    }
    const dw = ownWords;
    for (let j = 0; j < len; j++) dw[j] = words[start + j]!;
    decWords = dw;
    decBase = 0;
  }
  decThreads = threads;
  rw = buf;
  return m;
}
