// One thread's share of a level of the parallel breadth-first search (parallel.ts): the same code
// runs on the coordinating thread and in every worker (src/cli/searchWorker.ts). A level goes in
// two phases, each ended by the coordinator before the next starts:
//
//   expand   the thread's slice of the frontier (a contiguous range of the level's states, in id
//            order) is expanded in order, exactly as the serial explorer expands it. Each state's
//            successors are encoded straight into this thread's next-frontier buffer and claimed
//            at once in the shared table, keyed by their parent's id: a fingerprint not in the
//            table is inserted; one stored by an earlier level is a duplicate; one claimed this
//            level keeps the smallest parent (a compare-and-swap), and the successor is kept as a
//            candidate only if it lowered the key. So most duplicates are dropped where they are
//            met, with one probe of the table per transition as in the serial search.
//   winners  a candidate whose parent is still its fingerprint's key is the first of its state in
//            BFS order (the same parent never claims a state twice): it is a new state, and its
//            place in this thread's buffer, parent, label and transition ordinal go to the
//            segment index the next level reads. Candidates that lost stay in the buffer, unread.
//
// The next frontier is thus the threads' buffers in thread order (their segments), never copied;
// the coordinator gives ids in that order, the serial search's. Each thread has two buffers and
// two indexes, one per level parity: the frontier being read is the other parity's.
//
// The table must never fill: each expansion gets a quota of insertions. A state whose successors
// would exceed it is not claimed; the thread pauses before it, the coordinator grows the table
// (rehashing every slot, keys included) and resumes the thread from that state.

import { fingerprint } from './fingerprint.js';
import type { TransitionSystem, WordWriter } from './system.js';

/** Words per slot of the shared table: key (0 empty, 1 being written, else parent id + KEY0), hi, lo. */
export const SLOT = 3;
const EMPTY = 0;
const BUSY = 1;
/** The key of a state is its parent's id + KEY0; the initial state (no parent) has INITIAL_KEY. */
export const KEY0 = 3;
export const INITIAL_KEY = 2;

/** Words per winner of a segment index: start, length, parent id, label, transition ordinal. */
export const INDEX = 5;

/** Per pending successor of the state being expanded: start, length, hi, lo, label, mask. */
const PEND = 6;
/** Per candidate: slot, hi, lo, parent, label, mask, ordinal, start, length. */
const CAND = 9;
const CLOCK_EVERY = 1024;

/** A thread's part of a frontier: its buffer of encodings, and per state `INDEX` words. */
export interface Segment {
  readonly words: SharedArrayBuffer;
  readonly index: SharedArrayBuffer;
  readonly count: number;
}

export interface ExpandRequest {
  readonly table: SharedArrayBuffer;
  readonly segments: readonly Segment[];
  /** The slice: indices in the level (0 = the level's first state). */
  readonly from: number;
  readonly to: number;
  /** Id of the level's first state. */
  readonly levelFirst: number;
  readonly level: number;
  /** False at the depth bound: successors are only counted, to know whether the bound cut. */
  readonly expandLevel: boolean;
  readonly deadlineMs: number;
  /** Insertions allowed into the table before pausing. */
  readonly quota: number;
  /**
   * With `stopAtFirst`, the violations no state of the earlier levels has (else 0), and one word
   * shared by the threads: the smallest parent id seen emitting such a violation. The serial
   * search stops at that parent or before, so a state after it is not expanded.
   */
  readonly freshMask: number;
  readonly stopParent: SharedArrayBuffer;
}

export interface ExpandReply {
  /** The quota would be exceeded by the next state: resume after the table has grown. */
  readonly paused: boolean;
  /** Insertions into the table so far this level. */
  readonly inserts: number;
  /** The deadline passed: the level is abandoned. */
  readonly timedOut: boolean;
}

export interface WinnersReply {
  /** This thread's new states, in BFS order, as a segment of the next frontier. */
  readonly segment: Segment;
  /** Successors emitted by the slice's expanded states. */
  readonly transitions: number;
  /** Ids of the slice's terminal states, in order. */
  readonly terminalIds: Int32Array<ArrayBuffer>;
  /** Ids of the states expanded with a persistent set only, in order. */
  readonly reduced: Int32Array<ArrayBuffer>;
  /** [winner index, mask] for the winners that violate a property. */
  readonly masks: Int32Array<ArrayBuffer>;
  /** A state at the depth bound had successors. */
  readonly cut: boolean;
}

/** A growable Int32 list with no allocation per element. */
class IntList {
  words: Int32Array<ArrayBuffer>;
  length = 0;

  constructor(capacity = 256) {
    this.words = new Int32Array(capacity);
  }

  reserve(extra: number): Int32Array<ArrayBuffer> {
    if (this.length + extra > this.words.length) {
      const n = new Int32Array(Math.max(this.length + extra, this.words.length * 2));
      n.set(this.words.subarray(0, this.length));
      this.words = n;
    }
    return this.words;
  }

  push(w: number): void {
    this.reserve(1)[this.length++] = w;
  }

  toArray(): Int32Array<ArrayBuffer> {
    return this.words.slice(0, this.length);
  }
}

/** A growable buffer of words in a SharedArrayBuffer (what other threads read next level). */
class SharedWords implements WordWriter {
  buf: SharedArrayBuffer;
  words: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.buf = new SharedArrayBuffer(capacity * 4);
    this.words = new Int32Array(this.buf);
  }

  push(w: number): void {
    this.reserve(1)[this.length++] = w;
  }

  reserve(extra: number): Int32Array {
    const need = this.length + extra;
    if (need > this.words.length) {
      this.buf = new SharedArrayBuffer(Math.max(need, this.words.length * 2) * 4);
      const n = new Int32Array(this.buf);
      n.set(this.words.subarray(0, this.length));
      this.words = n;
    }
    return this.words;
  }
}

export class LevelWorker<S> {
  private table: Int32Array = new Int32Array(0);
  private tableMask = 0;
  private readonly reduce: boolean;
  private readonly outs = [new SharedWords(1 << 12), new SharedWords(1 << 12)];
  private readonly indexes = [new SharedWords(1 << 10), new SharedWords(1 << 10)];
  private out: SharedWords = this.outs[0]!;
  private readonly pend = new IntList();
  private readonly cand = new IntList(1 << 12);
  private readonly terminalIds = new IntList();
  private readonly reducedIds = new IntList();
  private readonly fp = new Uint32Array(2);
  // The level in progress (between expand, resume and winners).
  private views: { words: Int32Array; index: Int32Array; count: number }[] = [];
  private next = 0;
  private to = 0;
  private levelFirst = 0;
  private level = 0;
  private expandLevel = true;
  private deadlineMs = 0;
  private quotaLeft = 0;
  private freshMask = 0;
  private stopParent: Int32Array = new Int32Array(1);
  private inserts = 0;
  private transitions = 0;
  private cut = false;
  // The state being expanded, shared with the emit closure so that one serves the whole search.
  private parent = -1;
  private counted = 0;

  constructor(
    private readonly system: TransitionSystem<S>,
    reduce: boolean,
  ) {
    this.reduce = reduce && system.persistent !== undefined;
  }

  /**
   * Uses `table` from now on. The table only grows: when it has grown during the level, every
   * candidate's slot is found again (keys and fingerprints moved with the rehash).
   */
  private setTable(table: SharedArrayBuffer): void {
    const grown = table.byteLength !== this.table.byteLength;
    this.table = new Int32Array(table);
    this.tableMask = this.table.length / SLOT - 1;
    if (!grown) return;
    const c = this.cand.words;
    for (let o = 0; o < this.cand.length; o += CAND) c[o] = this.slotOf(c[o + 1]!, c[o + 2]!);
  }

  expand(r: ExpandRequest): ExpandReply {
    this.cand.length = 0;
    this.setTable(r.table);
    this.views = r.segments.map((s) => ({
      words: new Int32Array(s.words),
      index: new Int32Array(s.index),
      count: s.count,
    }));
    this.next = r.from;
    this.to = r.to;
    this.levelFirst = r.levelFirst;
    this.level = r.level;
    this.expandLevel = r.expandLevel;
    this.deadlineMs = r.deadlineMs;
    this.quotaLeft = r.quota;
    this.freshMask = r.freshMask;
    this.stopParent = new Int32Array(r.stopParent);
    this.out = this.outs[r.level & 1]!;
    this.out.length = 0;
    this.terminalIds.length = 0;
    this.reducedIds.length = 0;
    this.inserts = 0;
    this.transitions = 0;
    this.cut = false;
    return this.run();
  }

  /** Goes on after a pause, in the grown table (every candidate's slot is found again). */
  resume(table: SharedArrayBuffer, quota: number): ExpandReply {
    this.setTable(table);
    this.quotaLeft = quota;
    return this.run();
  }

  /** After every thread's expansion: this thread's new states, as a segment of the next frontier. */
  winners(table: SharedArrayBuffer): WinnersReply {
    this.setTable(table);
    const t = this.table;
    const c = this.cand.words;
    const index = this.indexes[this.level & 1]!;
    index.length = 0;
    const masks = new IntList(16);
    let k = 0;
    for (let o = 0; o < this.cand.length; o += CAND) {
      const parent = c[o + 3]!;
      if (Atomics.load(t, c[o]!) !== parent + KEY0) continue;
      const w = index.reserve(INDEX);
      const p = index.length;
      w[p] = c[o + 7]!;
      w[p + 1] = c[o + 8]!;
      w[p + 2] = parent;
      w[p + 3] = c[o + 4]!;
      w[p + 4] = c[o + 6]!;
      index.length = p + INDEX;
      if (c[o + 5] !== 0) {
        masks.push(k);
        masks.push(c[o + 5]!);
      }
      k++;
    }
    return {
      segment: { words: this.out.buf, index: index.buf, count: k },
      transitions: this.transitions,
      terminalIds: this.terminalIds.toArray(),
      reduced: this.reducedIds.toArray(),
      masks: masks.toArray(),
      cut: this.cut,
    };
  }

  private run(): ExpandReply {
    const { system } = this;
    // The segment holding state `next`, and that state's index within it.
    let seg = 0;
    let k = this.next;
    while (seg < this.views.length && k >= this.views[seg]!.count) k -= this.views[seg++]!.count;
    let sinceClock = 0;
    for (; this.next < this.to; this.next++, k++) {
      while (k >= this.views[seg]!.count) {
        k -= this.views[seg]!.count;
        seg++;
      }
      if (++sinceClock >= CLOCK_EVERY) {
        sinceClock = 0;
        if (performance.now() >= this.deadlineMs) return { paused: false, inserts: this.inserts, timedOut: true };
      }
      const id = this.levelFirst + this.next;
      if (this.freshMask !== 0 && id > Atomics.load(this.stopParent, 0)) {
        this.next = this.to;
        break;
      }
      const v = this.views[seg]!;
      const state = system.decode(v.words, v.index[k * INDEX]!, v.index[k * INDEX + 1]!);
      let hasSuccessors: boolean;
      if (this.expandLevel) {
        this.parent = id;
        const mark = this.out.length;
        this.pend.length = 0;
        // As in explorer.ts: the initial state is always expanded fully.
        if (!this.reduce || this.level === 0 || !this.expandReduced(state, mark)) system.successors(state, this.emit);
        const n = this.pend.length / PEND;
        if (n > this.quotaLeft) {
          if (this.reducedIds.length > 0 && this.reducedIds.words[this.reducedIds.length - 1] === id)
            this.reducedIds.length--;
          this.out.length = mark;
          return { paused: true, inserts: this.inserts, timedOut: false };
        }
        this.claimPending(mark);
        hasSuccessors = n > 0;
      } else {
        this.counted = 0;
        system.successors(state, this.countOnly);
        hasSuccessors = this.counted > 0;
        if (hasSuccessors) this.cut = true;
      }
      if (!hasSuccessors) this.terminalIds.push(id);
    }
    return { paused: false, inserts: this.inserts, timedOut: false };
  }

  /**
   * Claims the pending successors of the state being expanded, in order; the kept ones are packed
   * from `mark` on in this thread's buffer.
   */
  private claimPending(mark: number): void {
    const p = this.pend.words;
    const n = this.pend.length;
    let w = mark;
    for (let o = 0; o < n; o += PEND) {
      this.transitions++;
      const start = p[o]!;
      const len = p[o + 1]!;
      const hi = p[o + 2]!;
      const lo = p[o + 3]!;
      if ((p[o + 5]! & this.freshMask) !== 0) this.noteStop();
      const slot = this.claim(hi, lo, this.parent + KEY0);
      if (slot < 0) continue;
      if (start !== w) this.out.words.copyWithin(w, start, start + len);
      const c = this.cand.reserve(CAND);
      const q = this.cand.length;
      c[q] = slot;
      c[q + 1] = hi;
      c[q + 2] = lo;
      c[q + 3] = this.parent;
      c[q + 4] = p[o + 4]!;
      c[q + 5] = p[o + 5]!;
      c[q + 6] = this.transitions;
      c[q + 7] = w;
      c[q + 8] = len;
      this.cand.length = q + CAND;
      w += len;
    }
    this.out.length = w;
  }

  /**
   * Claims fingerprint (hi, lo) with `key`: inserts it, or lowers the key of this level's claim.
   * Returns the slot, or -1 when the state is stored by an earlier level (a smaller key: parents
   * of earlier levels have smaller ids) or claimed by an earlier (or the same) parent.
   */
  private claim(hi: number, lo: number, key: number): number {
    const t = this.table;
    const mask = this.tableMask;
    let slot = lo & mask;
    for (;;) {
      const b = slot * SLOT;
      let v = Atomics.load(t, b);
      if (v === EMPTY) {
        v = Atomics.compareExchange(t, b, EMPTY, BUSY);
        if (v === EMPTY) {
          t[b + 1] = hi;
          t[b + 2] = lo;
          Atomics.store(t, b, key);
          this.inserts++;
          this.quotaLeft--;
          return b;
        }
      }
      // Another thread is writing this slot: its fingerprint is known in a few instructions.
      while (v === BUSY) v = Atomics.load(t, b);
      if (t[b + 2] === lo && t[b + 1] === hi) {
        for (;;) {
          if (v <= key) return -1;
          const was = Atomics.compareExchange(t, b, v, key);
          if (was === v) return b;
          v = was;
        }
      }
      slot = (slot + 1) & mask;
    }
  }

  /** The parent being expanded emits a fresh violation: no state after it need be expanded. */
  private noteStop(): void {
    const s = this.stopParent;
    let cur = Atomics.load(s, 0);
    while (this.parent < cur) {
      const was = Atomics.compareExchange(s, 0, cur, this.parent);
      if (was === cur) return;
      cur = was;
    }
  }

  /** The slot of a fingerprint in the table (it is there), or -1. */
  private slotOf(hi: number, lo: number): number {
    const t = this.table;
    const mask = this.tableMask;
    let slot = lo & mask;
    for (;;) {
      const b = slot * SLOT;
      let v = Atomics.load(t, b);
      if (v === EMPTY) return -1;
      while (v === BUSY) v = Atomics.load(t, b);
      if (t[b + 2] === lo && t[b + 1] === hi) return b;
      slot = (slot + 1) & mask;
    }
  }

  /** The fingerprint is stored by this level or an earlier one (not the level being built). */
  private stored(hi: number, lo: number): boolean {
    const b = this.slotOf(hi, lo);
    return b >= 0 && Atomics.load(this.table, b) < this.levelFirst + KEY0;
  }

  /** Encodes a successor at the end of this thread's buffer, pending its claim. */
  private readonly emit = (succ: S, label: number): void => {
    const out = this.out;
    const start = out.length;
    this.system.encode(succ, out);
    const len = out.length - start;
    fingerprint(out.words, start, len, this.fp);
    const p = this.pend.reserve(PEND);
    const o = this.pend.length;
    p[o] = start;
    p[o + 1] = len;
    p[o + 2] = this.fp[0]! | 0;
    p[o + 3] = this.fp[1]! | 0;
    p[o + 4] = label;
    p[o + 5] = this.system.violations(succ);
    this.pend.length = o + PEND;
  };

  private readonly countOnly = (): void => {
    this.counted++;
  };

  /**
   * The serial explorer's `expandReduced`: a persistent set, if the cycle proviso accepts it (no
   * successor stored by this level or an earlier one). Its successors are left pending.
   */
  private expandReduced(state: S, mark: number): boolean {
    const accepted = this.system.persistent!(state, this.emit);
    const p = this.pend.words;
    let ok = accepted;
    for (let o = 0; ok && o < this.pend.length; o += PEND) if (this.stored(p[o + 2]!, p[o + 3]!)) ok = false;
    if (!ok) {
      this.pend.length = 0;
      this.out.length = mark;
      return false;
    }
    this.reducedIds.push(this.parent);
    return true;
  }
}
