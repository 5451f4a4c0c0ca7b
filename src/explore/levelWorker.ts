// One thread's share of a level of the parallel breadth-first search (parallel.ts): the same code
// runs on the coordinating thread and in every worker (src/cli/searchWorker.ts). A level goes in
// two phases, each ended by the coordinator before the next starts:
//
//   expand   the level's frontier (states with consecutive ids) is cut into chunks of a few dozen
//            states; every thread takes the next chunk from a shared counter until none is left,
//            so that a thread slowed down (a costlier part of the level, a JIT still warming up,
//            another process on its core) takes fewer chunks instead of holding the others at the
//            end of the level. A chunk is expanded in order, exactly as the serial explorer
//            expands it. Each state's successors are encoded straight into this thread's
//            next-frontier buffer and claimed in the shared table once all are built (their
//            slots read as soon as their fingerprints are known, as the serial `storeBatch`
//            does), keyed by their parent's id: a fingerprint not in the table is inserted; one
//            stored by an earlier level is a duplicate; one claimed this level keeps the
//            smallest parent (a compare-and-swap), and the successor is kept as a candidate only
//            if it lowered the key. So most duplicates are dropped where they are met, with one
//            probe of the table per transition as in the serial search.
//   winners  a candidate whose parent is still its fingerprint's key is the first of its state in
//            BFS order (the same parent never claims a state twice): it is a new state, and its
//            place in this thread's buffer, parent, label and transition ordinal go to the index
//            the next level reads, chunk after chunk. Candidates that lost stay in the buffer,
//            unread.
//
// The next frontier is thus the threads' buffers, read in chunk order (each chunk's winners are
// one piece), never copied; the coordinator gives ids in that order, the serial search's. Each
// thread has two buffers and two indexes, one per level parity: the frontier being read is the
// other parity's, so it stays unchanged for the whole level and states are decoded in place
// (`decode(…, stable)`), as the serial explorer decodes them.
//
// The table must never fill: each expansion gets a quota of insertions. A state whose successors
// would exceed it is not claimed; the thread pauses before it, the coordinator grows the table
// (rehashing every slot, keys included) and resumes the thread from that state.

import { fingerprint } from './fingerprint.js';
import type { TransitionSystem, WordWriter } from './system.js';
import { copyWords } from './words.js';

/** Words per slot of the shared table: key (0 empty, 1 being written, else parent id + KEY0), hi, lo. */
export const SLOT = 3;
const EMPTY = 0;
const BUSY = 1;
/** The key of a state is its parent's id + KEY0; the initial state (no parent) has INITIAL_KEY. */
export const KEY0 = 3;
export const INITIAL_KEY = 2;

/** Words per state of an index: start, length, parent id, label, transition ordinal in its chunk. */
export const INDEX = 5;
/** Words per piece of a frontier: source, first entry in the source's index, count. */
export const PIECE = 3;
/** Words per chunk of a winners reply: chunk number, first index entry, winners, transitions. */
export const CHUNK = 4;
/** Words per reported violation of a winners reply: chunk number, winner in the chunk, mask. */
export const MASK = 3;

/** Per pending successor of the state being expanded: start, length, hi, lo, label, mask. */
const PEND = 6;
/** Per candidate: slot, hi, lo, parent, label, mask, ordinal, start, length. */
const CAND = 9;
/** Per chunk expanded: chunk number, first candidate, end of its candidates, transitions. */
const REC = 4;
const CLOCK_EVERY = 1024;
/** Above every transition label (labels are 0..65535). */
const ALL_LABELS = 0x10000;

/**
 * A level's frontier: the buffers its states lie in (per source, the encodings and an index of
 * `INDEX` words per state), and its pieces in BFS order (`PIECE` words each).
 */
export interface Frontier {
  readonly words: readonly SharedArrayBuffer[];
  readonly index: readonly SharedArrayBuffer[];
  readonly pieces: Int32Array<ArrayBuffer>;
}

export interface ExpandRequest {
  readonly table: SharedArrayBuffer;
  readonly frontier: Frontier;
  /** States in the level, and per chunk. */
  readonly count: number;
  readonly chunk: number;
  /**
   * Words shared by the threads: the next chunk to take; (with `stopAtFirst`) the smallest parent
   * id seen emitting a violation no state of the earlier levels has (the serial search stops at
   * that parent or before, so a state after it is not expanded); and per chunk, whether it is
   * expanded.
   */
  readonly shared: SharedArrayBuffer;
  /** Id of the level's first state. */
  readonly levelFirst: number;
  readonly level: number;
  /** False at the depth bound: successors are only counted, to know whether the bound cut. */
  readonly expandLevel: boolean;
  readonly deadlineMs: number;
  /** Insertions allowed into the table before pausing. */
  readonly quota: number;
  /** The properties violated by a state of the earlier levels. */
  readonly seenMask: number;
  /** Skip the states after the first parent of a fresh violation (`stopAtFirst`). */
  readonly skipAfterViolation: boolean;
}

/** The shared words of `ExpandRequest.shared`; from DONE on, one per chunk: 1 once expanded. */
export const NEXT_CHUNK = 0;
export const STOP_PARENT = 1;
export const DONE = 2;

export interface ExpandReply {
  /** The quota would be exceeded by the next state: resume after the table has grown. */
  readonly paused: boolean;
  /** Insertions into the table so far this level. */
  readonly inserts: number;
  /** The deadline passed: the level is abandoned. */
  readonly timedOut: boolean;
}

export interface WinnersReply {
  /** This thread's buffers: the next level's frontier takes its pieces from them. */
  readonly words: SharedArrayBuffer;
  readonly index: SharedArrayBuffer;
  /** Per chunk this thread expanded, in chunk order: `CHUNK` words. */
  readonly chunks: Int32Array<ArrayBuffer>;
  /** Ids of the terminal states this thread met, in order. */
  readonly terminalIds: Int32Array<ArrayBuffer>;
  /** Ids of the states it expanded with a persistent set only, in order. */
  readonly reduced: Int32Array<ArrayBuffer>;
  /** The winners that violate a property no earlier level's state violates: `MASK` words each. */
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

/** Reads a frontier's states by their index in the level. */
export class FrontierView {
  private readonly sources: Int32Array[];
  private readonly index: Int32Array[];
  private readonly pieces: Int32Array;
  /** Index in the level of each piece's first state, and the level's size at the end. */
  private readonly starts: Int32Array;
  // Where `seek` left off: the piece, the state's entry in its source's index, the entries left.
  private p = 0;
  private entry = 0;
  private left = 0;

  constructor(f: Frontier) {
    this.sources = f.words.map((b) => new Int32Array(b));
    this.index = f.index.map((b) => new Int32Array(b));
    this.pieces = f.pieces;
    const n = f.pieces.length / PIECE;
    this.starts = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) this.starts[i + 1] = this.starts[i]! + f.pieces[i * PIECE + 2]!;
  }

  /** Goes to the state at index `i` of the level (`words()`, `start()`, `length()` read it). */
  seek(i: number): void {
    // The last piece starting at or before i (pieces are never empty).
    let lo = 0;
    let hi = this.starts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    const off = i - this.starts[lo]!;
    this.p = lo;
    this.entry = this.pieces[lo * PIECE + 1]! + off;
    this.left = this.pieces[lo * PIECE + 2]! - off;
  }

  /** Goes to the state after the current one. */
  advance(): void {
    if (--this.left > 0) {
      this.entry++;
      return;
    }
    this.p++;
    this.entry = this.pieces[this.p * PIECE + 1]!;
    this.left = this.pieces[this.p * PIECE + 2]!;
  }

  words(): Int32Array {
    return this.sources[this.pieces[this.p * PIECE]!]!;
  }

  start(): number {
    return this.index[this.pieces[this.p * PIECE]!]![this.entry * INDEX]!;
  }

  length(): number {
    return this.index[this.pieces[this.p * PIECE]!]![this.entry * INDEX + 1]!;
  }

  /** The state at index `i` of the level, decoded (a copy of its words: not `stable`). */
  decode<S>(system: TransitionSystem<S>, i: number): S {
    this.seek(i);
    return system.decode(this.words(), this.start(), this.length());
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
  private readonly recs = new IntList();
  private readonly terminalIds = new IntList();
  private readonly reducedIds = new IntList();
  private readonly fp = new Int32Array(2);
  // The level in progress (between expand, resume and winners).
  private frontier: FrontierView | undefined;
  private shared: Int32Array = new Int32Array(2);
  private count = 0;
  private chunk = 1;
  /** The state to expand next (an index in the level), and the end of its chunk. */
  private pos = 0;
  private end = 0;
  /** This thread takes no more chunks this level. */
  private done = false;
  /** A chunk is under way (its record is the last of `recs`). */
  private open = false;
  /** Chunks in the level; every chunk before `mark` is expanded (by some thread). */
  private chunks = 0;
  private mark = 0;
  /** The first record of `recs` not sorted out yet, and what sorting out found. */
  private filtered = 0;
  private readonly chunkInfo = new IntList();
  private readonly masks = new IntList(16);
  private levelFirst = 0;
  private level = 0;
  private expandLevel = true;
  private deadlineMs = 0;
  private quotaLeft = 0;
  private seenMask = 0;
  private skipAfterViolation = false;
  private inserts = 0;
  /** Transitions of the chunk being expanded. */
  private transitions = 0;
  private cut = false;
  // The state being expanded, shared with the emit closure so that one serves the whole search.
  private parent = -1;
  private counted = 0;
  /** Folded from the table slots `emit` reads ahead (only there so that the reads are kept). */
  touched = 0;
  /**
   * A persistent set the cycle proviso refused: its successors' words and `PEND` entries (start
   * in `heldWords`), merged by label into the full expansion (`mergeHeld`) instead of built again,
   * as the serial explorer does; `held` is the next entry to merge, `heldLabels` their labels.
   */
  private readonly heldWords = new IntList();
  private readonly heldPend = new IntList();
  private held = 0;
  private readonly heldLabels: number[] = [];
  /** The key `slotOf` saw. */
  private foundKey = 0;
  /**
   * The words of the state decoded last, in place: the system may compare the next decoding with
   * them, and they are another thread's buffer, written again two levels on.
   */
  private pinned: Int32Array | undefined;
  private pinnedStart = 0;
  private pinnedLength = 0;

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
    this.recs.length = 0;
    this.setTable(r.table);
    this.frontier = new FrontierView(r.frontier);
    this.shared = new Int32Array(r.shared);
    this.count = r.count;
    this.chunk = r.chunk;
    this.pos = 0;
    this.end = 0;
    this.done = false;
    this.open = false;
    this.chunks = Math.ceil(r.count / r.chunk);
    this.mark = 0;
    this.filtered = 0;
    this.chunkInfo.length = 0;
    this.masks.length = 0;
    this.indexes[r.level & 1]!.length = 0;
    this.levelFirst = r.levelFirst;
    this.level = r.level;
    this.expandLevel = r.expandLevel;
    this.deadlineMs = r.deadlineMs;
    this.quotaLeft = r.quota;
    this.seenMask = r.seenMask;
    this.skipAfterViolation = r.skipAfterViolation;
    this.out = this.outs[r.level & 1]!;
    this.out.length = 0;
    this.terminalIds.length = 0;
    this.reducedIds.length = 0;
    this.inserts = 0;
    this.cut = false;
    return this.run();
  }

  /** Goes on after a pause, in the grown table (every candidate's slot is found again). */
  resume(table: SharedArrayBuffer, quota: number): ExpandReply {
    this.setTable(table);
    this.quotaLeft = quota;
    return this.run();
  }

  /** After every thread's expansion: this thread's new states, chunk by chunk. */
  winners(table: SharedArrayBuffer): WinnersReply {
    this.setTable(table);
    // Every claim is made: the chunks not sorted out yet are final.
    while (this.filtered < this.recs.length) this.sortOut();
    const index = this.indexes[this.level & 1]!;
    return {
      words: this.out.buf,
      index: index.buf,
      chunks: this.chunkInfo.toArray(),
      terminalIds: this.terminalIds.toArray(),
      reduced: this.reducedIds.toArray(),
      masks: this.masks.toArray(),
      cut: this.cut,
    };
  }

  /**
   * Sorts out the candidates of this thread's next chunk whose keys are final: the winners go to
   * the index, in order. A candidate's key is lowered only by a claim from a smaller parent, so
   * the keys of a chunk's candidates are final once every chunk up to it is expanded; a chunk is
   * sorted out then, while its table slots are likely still cached, rather than after the level.
   */
  private sortOut(): void {
    const t = this.table;
    const c = this.cand.words;
    const r = this.filtered;
    const rec = this.recs.words;
    const index = this.indexes[this.level & 1]!;
    const fresh = ~this.seenMask;
    const first = index.length / INDEX;
    let k = 0;
    for (let o = rec[r + 1]!; o < rec[r + 2]!; o += CAND) {
      const parent = c[o + 3]!;
      if (t[c[o]!] !== parent + KEY0) continue;
      const w = index.reserve(INDEX);
      const p = index.length;
      w[p] = c[o + 7]!;
      w[p + 1] = c[o + 8]!;
      w[p + 2] = parent;
      w[p + 3] = c[o + 4]!;
      w[p + 4] = c[o + 6]!;
      index.length = p + INDEX;
      if ((c[o + 5]! & fresh) !== 0) {
        const m = this.masks.reserve(MASK);
        const q = this.masks.length;
        m[q] = rec[r]!;
        m[q + 1] = k;
        m[q + 2] = c[o + 5]!;
        this.masks.length = q + MASK;
      }
      k++;
    }
    const h = this.chunkInfo.reserve(CHUNK);
    const q = this.chunkInfo.length;
    h[q] = rec[r]!;
    h[q + 1] = first;
    h[q + 2] = k;
    h[q + 3] = rec[r + 3]!;
    this.chunkInfo.length = q + CHUNK;
    this.filtered = r + REC;
  }

  /** Sorts out the chunks of this thread whose keys are final (every chunk up to them expanded). */
  private sortOutFinal(): void {
    const s = this.shared;
    while (this.mark < this.chunks && Atomics.load(s, DONE + this.mark) !== 0) this.mark++;
    while (this.filtered < this.recs.length && this.recs.words[this.filtered]! < this.mark) this.sortOut();
  }

  /** Takes the next chunk; false when none is left (or none is worth expanding). */
  private takeChunk(): boolean {
    if (this.closeChunk()) this.sortOutFinal();
    if (this.done) return false;
    const c = Atomics.add(this.shared, NEXT_CHUNK, 1);
    const from = c * this.chunk;
    if (from >= this.count) {
      this.done = true;
      return false;
    }
    this.pos = from;
    this.end = Math.min(this.count, from + this.chunk);
    this.frontier!.seek(from);
    const r = this.recs.reserve(REC);
    const o = this.recs.length;
    r[o] = c;
    r[o + 1] = this.cand.length;
    r[o + 2] = this.cand.length;
    r[o + 3] = 0;
    this.recs.length = o + REC;
    this.transitions = 0;
    this.open = true;
    return true;
  }

  /**
   * Records the end of the chunk under way (its candidates and transitions) and tells the other
   * threads that it is expanded (no claim will come from it); false when no chunk was under way.
   */
  private closeChunk(): boolean {
    if (!this.open) return false;
    this.open = false;
    const o = this.recs.length - REC;
    const r = this.recs.words;
    r[o + 2] = this.cand.length;
    r[o + 3] = this.transitions;
    Atomics.store(this.shared, DONE + r[o]!, 1);
    return true;
  }

  private run(): ExpandReply {
    const { system } = this;
    const f = this.frontier!;
    let sinceClock = 0;
    for (;;) {
      if (this.pos === this.end && !this.takeChunk()) break;
      if (++sinceClock >= CLOCK_EVERY) {
        sinceClock = 0;
        if (performance.now() >= this.deadlineMs) {
          this.unpin();
          return { paused: false, inserts: this.inserts, timedOut: true };
        }
      }
      const id = this.levelFirst + this.pos;
      if (this.skipAfterViolation && id > Atomics.load(this.shared, STOP_PARENT)) {
        // Every chunk after this one has larger ids still.
        this.done = true;
        this.closeChunk();
        break;
      }
      const words = f.words();
      const start = f.start();
      const length = f.length();
      const state = system.decode(words, start, length, true);
      this.pinned = words;
      this.pinnedStart = start;
      this.pinnedLength = length;
      let hasSuccessors: boolean;
      if (this.expandLevel) {
        this.parent = id;
        const mark = this.out.length;
        this.pend.length = 0;
        // As in explorer.ts: the initial state is always expanded fully.
        if (!this.reduce || this.level === 0 || !this.expandReduced(state, mark)) {
          // As in explorer.ts: successors are held only from the set just refused (`expandReduced`
          // empties them before it builds one), never from an earlier state or search.
          if (this.reduce && this.level > 0 && this.heldPend.length > 0) {
            const labels = this.heldLabels;
            while (labels.length > 0) labels.pop();
            const h = this.heldPend.words;
            for (let o = 4; o < this.heldPend.length; o += PEND) labels.push(h[o]!);
            this.held = 0;
            system.successorsBut!(state, labels, this.emitMerged);
            this.mergeHeld(ALL_LABELS);
          } else system.successors(state, this.emit);
        }
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
      this.pos++;
      if (this.pos < this.end) f.advance();
    }
    this.unpin();
    return { paused: false, inserts: this.inserts, timedOut: false };
  }

  /**
   * Decodes the state decoded last again from a copy of its words: after this thread's part of
   * the level, the buffer it lies in may be written by its owner (two levels on) while this
   * thread's next decoding still compares with it.
   */
  private unpin(): void {
    if (this.pinned === undefined) return;
    this.system.decode(this.pinned, this.pinnedStart, this.pinnedLength, false);
    this.pinned = undefined;
  }

  /**
   * Claims the pending successors of the state being expanded, in order; the kept ones are packed
   * from `mark` on in this thread's buffer.
   */
  private claimPending(mark: number): void {
    const p = this.pend.words;
    const n = this.pend.length;
    const fresh = this.skipAfterViolation ? ~this.seenMask : 0;
    let w = mark;
    for (let o = 0; o < n; o += PEND) {
      this.transitions++;
      const start = p[o]!;
      const len = p[o + 1]!;
      const hi = p[o + 2]!;
      const lo = p[o + 3]!;
      if ((p[o + 5]! & fresh) !== 0) this.noteStop();
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
   *
   * A slot is taken by a compare-and-swap of its key (empty → busy), its fingerprint written, then
   * its key stored; after that its key only decreases. Plain reads (an atomic one costs ten times
   * more) are stale at worst: a word not yet visible reads 0, a key reads larger than it is. So a
   * slot read empty is taken by a compare-and-swap, which returns the true key if it was not; a
   * fingerprint read with both halves non-zero is the slot's for good; and a key at or under ours
   * is final for us. A half read as 0 or a busy key is read again after an atomic read of the
   * key has seen the fingerprint written.
   */
  private claim(hi: number, lo: number, key: number): number {
    const t = this.table;
    const mask = this.tableMask;
    let slot = lo & mask;
    for (;;) {
      const b = slot * SLOT;
      let v = t[b]!;
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
      let h = t[b + 1]!;
      let l = t[b + 2]!;
      if (v === BUSY || h === 0 || l === 0) {
        // Another thread may be writing this slot: its fingerprint is known in a few instructions.
        do v = Atomics.load(t, b);
        while (v === BUSY);
        h = t[b + 1]!;
        l = t[b + 2]!;
      }
      if (l === lo && h === hi) {
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
    const s = this.shared;
    let cur = Atomics.load(s, STOP_PARENT);
    while (this.parent < cur) {
      const was = Atomics.compareExchange(s, STOP_PARENT, cur, this.parent);
      if (was === cur) return;
      cur = was;
    }
  }

  /**
   * The slot of a fingerprint in the table, or -1; its key in `foundKey`. Read as `claim` reads:
   * a slot being written by another thread is this level's claim, never an earlier level's.
   */
  private slotOf(hi: number, lo: number): number {
    const t = this.table;
    const mask = this.tableMask;
    let slot = lo & mask;
    for (;;) {
      const b = slot * SLOT;
      let v = t[b]!;
      if (v === EMPTY) return -1;
      let h = t[b + 1]!;
      let l = t[b + 2]!;
      if (v === BUSY || h === 0 || l === 0) {
        do v = Atomics.load(t, b);
        while (v === BUSY);
        h = t[b + 1]!;
        l = t[b + 2]!;
      }
      if (l === lo && h === hi) {
        this.foundKey = v;
        return b;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** The fingerprint is stored by this level or an earlier one (not the level being built). */
  private stored(hi: number, lo: number): boolean {
    return this.slotOf(hi, lo) >= 0 && this.foundKey < this.levelFirst + KEY0;
  }

  /** Encodes a successor at the end of this thread's buffer, pending its claim. */
  private readonly emit = (succ: S, label: number): void => {
    const out = this.out;
    const start = out.length;
    this.system.encode(succ, out);
    const len = out.length - start;
    const fp = this.fp;
    fingerprint(out.words, start, len, fp);
    const hi = fp[0]!;
    const lo = fp[1]!;
    // Read the slot now: its cache miss overlaps with building the next successor instead of
    // stalling the claim (a plain read, only a hint).
    this.touched ^= this.table[(lo & this.tableMask) * SLOT]!;
    const p = this.pend.reserve(PEND);
    const o = this.pend.length;
    p[o] = start;
    p[o + 1] = len;
    p[o + 2] = hi;
    p[o + 3] = lo;
    p[o + 4] = label;
    p[o + 5] = this.system.violations(succ);
    this.pend.length = o + PEND;
  };

  private readonly countOnly = (): void => {
    this.counted++;
  };

  /** Keeps the refused set's pending successors (encoded from `mark` on) for `mergeHeld`. */
  private hold(mark: number): void {
    const n = this.out.length - mark;
    copyWords(this.heldWords.reserve(n), 0, this.out.words, mark, n);
    this.heldWords.length = n;
    const len = this.pend.length;
    const h = this.heldPend.reserve(len);
    copyWords(h, 0, this.pend.words, 0, len);
    for (let o = 0; o < len; o += PEND) h[o] = h[o]! - mark;
    this.heldPend.length = len;
  }

  /** Appends the held successors labelled below `label` as `emit` would have (their words copied). */
  private mergeHeld(label: number): void {
    const h = this.heldPend.words;
    for (; this.held < this.heldPend.length && h[this.held + 4]! < label; this.held += PEND) {
      const o = this.held;
      const len = h[o + 1]!;
      const out = this.out;
      const start = out.length;
      copyWords(out.reserve(len), start, this.heldWords.words, h[o]!, len);
      out.length = start + len;
      const p = this.pend.reserve(PEND);
      const q = this.pend.length;
      p[q] = start;
      p[q + 1] = len;
      p[q + 2] = h[o + 2]!;
      p[q + 3] = h[o + 3]!;
      p[q + 4] = h[o + 4]!;
      p[q + 5] = h[o + 5]!;
      this.pend.length = q + PEND;
    }
  }

  private readonly emitMerged = (succ: S, label: number): void => {
    this.mergeHeld(label);
    this.emit(succ, label);
  };

  /**
   * The serial explorer's `expandReduced`: a persistent set, if the cycle proviso accepts it (no
   * successor stored by this level or an earlier one, the state itself aside, and one that is
   * not the state itself). Its successors are left pending.
   */
  private expandReduced(state: S, mark: number): boolean {
    this.heldPend.length = 0;
    const accepted = this.system.persistent!(state, this.emit);
    const p = this.pend.words;
    let ok = accepted;
    let moves = 0;
    let own = false;
    for (let o = 0; ok && o < this.pend.length; o += PEND) {
      const hi = p[o + 2]!;
      const lo = p[o + 3]!;
      if (this.stored(hi, lo)) {
        // Stored: the state itself (as the serial search tells it, by fingerprint), or refused.
        if (!own) {
          fingerprint(this.pinned!, this.pinnedStart, this.pinnedLength, this.fp);
          own = true;
        }
        if (this.fp[0] === hi && this.fp[1] === lo) continue;
        ok = false;
      }
      moves++;
    }
    if (moves === 0) ok = false;
    if (!ok) {
      if (this.pend.length > 0 && this.system.successorsBut !== undefined) this.hold(mark);
      this.pend.length = 0;
      this.out.length = mark;
      return false;
    }
    this.reducedIds.push(this.parent);
    return true;
  }
}
