// One thread's share of a level of the parallel breadth-first search (parallel.ts): the same code
// runs on the coordinating thread and in every worker (worker.ts). A level goes in four phases,
// each ended by the coordinator before the next starts:
//
//   expand  the thread's slice of the frontier (a contiguous range of state ids) is expanded, in
//           order, exactly as the serial explorer expands it; a successor already in the shared
//           table (an earlier level) is dropped, any other one is kept as a candidate with its
//           encoding, fingerprint, parent, label, mask and transition ordinal. The table is only
//           read in this phase, so the reduction's cycle proviso sees what the serial search sees.
//   claim   every candidate is inserted into the shared table with its key, its rank in the
//           level's order of candidates (slice order, then emission order: the serial search's
//           order); a fingerprint keeps the smallest key, whichever thread got there first.
//   winners a candidate whose key is still in its slot is the first of its state in BFS order: it
//           gets the next id, as in the serial search.
//   commit  the winners the coordinator keeps are written to the next frontier at their place.

import { WordBuffer } from './explorer.js';
import { fingerprint } from './fingerprint.js';
import type { TransitionSystem } from './system.js';

/** Words per slot of the shared table: state (0 empty, 1 being written, 2 filled), hi, lo, key. */
export const SLOT = 4;
const EMPTY = 0;
const BUSY = 1;
const FILLED = 2;

/** Candidate metadata: encoding start and length, hi, lo, parent id, label, mask, ordinal, slot. */
const META = 9;
const CLOCK_EVERY = 1024;

export interface ExpandReply {
  readonly candidates: number;
  /** Successors emitted by the slice's expanded states. */
  readonly transitions: number;
  /** Ids of the slice's terminal states, in order, and their encodings ([length, words…] each). */
  readonly terminalIds: Int32Array<ArrayBuffer>;
  readonly terminalWords: Int32Array<ArrayBuffer>;
  /** A state at the depth bound had successors. */
  readonly cut: boolean;
  /** The deadline passed before the slice was done: the level is abandoned. */
  readonly timedOut: boolean;
}

export interface WinnersReply {
  /** Per winner, in BFS order: parent id, label, transition ordinal in the slice, encoding length. */
  readonly parents: Int32Array<ArrayBuffer>;
  readonly labels: Int32Array<ArrayBuffer>;
  readonly ordinals: Int32Array<ArrayBuffer>;
  readonly lengths: Int32Array<ArrayBuffer>;
  /** [winner index, mask] for the winners that violate a property. */
  readonly masks: Int32Array<ArrayBuffer>;
}

/** Mutable growable Int32 list with no allocation per element. */
class IntList extends WordBuffer {
  toArray(): Int32Array<ArrayBuffer> {
    return this.words.slice(0, this.length);
  }
}

export class LevelWorker<S> {
  private table: Int32Array = new Int32Array(0);
  private tableMask = 0;
  private readonly enc = new WordBuffer(1 << 12);
  private readonly meta = new IntList(1 << 12);
  private candidates = 0;
  private keyBase = 0;
  private readonly winners = new IntList();
  private readonly reduced = new IntList();
  private readonly fp = new Uint32Array(2);
  private readonly ample = new WordBuffer();
  private readonly ampleMeta = new IntList();
  private readonly reduce: boolean;
  // This level's candidates by fingerprint (candidate index + 1 per slot, 0 empty): a successor
  // this thread already has a candidate for has a larger key, so it is dropped at once instead of
  // being kept, claimed and lost. Most of a level's duplicates are found here.
  private local = new Int32Array(1 << 12);
  // The expansion in progress, shared with the emit closures so that one of each serves a search.
  private parent = -1;
  private action = 0;
  private transitions = 0;
  private counted = 0;

  constructor(
    private readonly system: TransitionSystem<S>,
    reduce: boolean,
  ) {
    this.reduce = reduce && system.persistent !== undefined;
  }

  setTable(table: Int32Array): void {
    this.table = table;
    this.tableMask = table.length / SLOT - 1;
  }

  /** Expands states `[from, to)` of the frontier (`starts[i]` = offset of state i's words). */
  expand(
    front: Int32Array,
    starts: Int32Array,
    from: number,
    to: number,
    levelFirst: number,
    level: number,
    expandLevel: boolean,
    deadlineMs: number,
  ): ExpandReply {
    const { system } = this;
    this.enc.length = 0;
    this.meta.length = 0;
    this.winners.length = 0;
    this.reduced.length = 0;
    this.candidates = 0;
    this.transitions = 0;
    this.local.fill(0);
    const terminalIds = new IntList();
    const terminalWords = new IntList();
    let cut = false;
    let sinceClock = 0;
    for (let i = from; i < to; i++) {
      if (++sinceClock >= CLOCK_EVERY) {
        sinceClock = 0;
        if (performance.now() >= deadlineMs) return this.abandoned();
      }
      const start = starts[i]!;
      const len = starts[i + 1]! - start;
      const state = system.decode(front, start, len);
      const id = levelFirst + i;
      let hasSuccessors: boolean;
      if (expandLevel) {
        this.parent = id;
        this.action = 0;
        // As in explorer.ts: the initial state is always expanded fully.
        if (!this.reduce || level === 0 || !this.expandReduced(state)) system.successors(state, this.emit);
        hasSuccessors = this.action > 0;
      } else {
        this.counted = 0;
        system.successors(state, this.countOnly);
        hasSuccessors = this.counted > 0;
        if (hasSuccessors) cut = true;
      }
      if (!hasSuccessors) {
        terminalIds.push(id);
        terminalWords.push(len);
        const w = terminalWords.reserve(len);
        w.set(front.subarray(start, start + len), terminalWords.length);
        terminalWords.length += len;
      }
    }
    return {
      candidates: this.candidates,
      transitions: this.transitions,
      terminalIds: terminalIds.toArray(),
      terminalWords: terminalWords.toArray(),
      cut,
      timedOut: false,
    };
  }

  /** Inserts the candidates into the shared table, keys `keyBase + i`; the smallest key stays. */
  claim(keyBase: number): void {
    this.keyBase = keyBase;
    const t = this.table;
    const mask = this.tableMask;
    const m = this.meta.words;
    for (let c = 0; c < this.candidates; c++) {
      const o = c * META;
      const hi = m[o + 2]!;
      const lo = m[o + 3]!;
      const key = keyBase + c;
      let slot = lo & mask;
      for (;;) {
        const b = slot * SLOT;
        let s = Atomics.load(t, b);
        if (s === EMPTY) {
          s = Atomics.compareExchange(t, b, EMPTY, BUSY);
          if (s === EMPTY) {
            t[b + 1] = hi;
            t[b + 2] = lo;
            t[b + 3] = key;
            Atomics.store(t, b, FILLED);
            m[o + 8] = b;
            break;
          }
        }
        // Another thread is writing this slot: its fingerprint is known in a few instructions.
        while (s === BUSY) s = Atomics.load(t, b);
        if (t[b + 2] === lo && t[b + 1] === hi) {
          for (;;) {
            const cur = Atomics.load(t, b + 3);
            if (key >= cur || Atomics.compareExchange(t, b + 3, cur, key) === cur) break;
          }
          m[o + 8] = b;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
  }

  /** The candidates that kept their key: the new states of this slice, in BFS order. */
  findWinners(): WinnersReply {
    const t = this.table;
    const m = this.meta.words;
    const winners = this.winners;
    winners.length = 0;
    for (let c = 0; c < this.candidates; c++) {
      if (Atomics.load(t, m[c * META + 8]! + 3) === this.keyBase + c) winners.push(c);
    }
    const n = winners.length;
    const parents = new Int32Array(n);
    const labels = new Int32Array(n);
    const ordinals = new Int32Array(n);
    const lengths = new Int32Array(n);
    const masks = new IntList(16);
    for (let k = 0; k < n; k++) {
      const o = winners.words[k]! * META;
      lengths[k] = m[o + 1]!;
      parents[k] = m[o + 4]!;
      labels[k] = m[o + 5]!;
      ordinals[k] = m[o + 7]!;
      if (m[o + 6] !== 0) {
        masks.push(k);
        masks.push(m[o + 6]!);
      }
    }
    return { parents, labels, ordinals, lengths, masks: masks.toArray() };
  }

  /**
   * Writes the first `keep` winners to the next frontier, from word `wordOffset` and state
   * `stateOffset` on; returns how many reduced expansions the slice made before state `stopParent`
   * (inclusive).
   */
  commit(
    keep: number,
    front: Int32Array,
    starts: Int32Array,
    wordOffset: number,
    stateOffset: number,
    stopParent: number,
  ): number {
    const m = this.meta.words;
    const e = this.enc.words;
    let w = wordOffset;
    for (let k = 0; k < keep; k++) {
      const o = this.winners.words[k]! * META;
      const start = m[o]!;
      const len = m[o + 1]!;
      starts[stateOffset + k] = w;
      front.set(e.subarray(start, start + len), w);
      w += len;
    }
    let reduced = 0;
    for (let k = 0; k < this.reduced.length; k++) if (this.reduced.words[k]! <= stopParent) reduced++;
    return reduced;
  }

  private abandoned(): ExpandReply {
    return {
      candidates: 0,
      transitions: 0,
      terminalIds: new Int32Array(0),
      terminalWords: new Int32Array(0),
      cut: false,
      timedOut: true,
    };
  }

  /** True if the fingerprint in `fp` is in the table (an earlier level: nothing else is in it now). */
  private known(): boolean {
    const t = this.table;
    const mask = this.tableMask;
    const hi = this.fp[0]! | 0;
    const lo = this.fp[1]! | 0;
    let slot = lo & mask;
    for (;;) {
      const b = slot * SLOT;
      if (t[b] === EMPTY) return false;
      if (t[b + 2] === lo && t[b + 1] === hi) return true;
      slot = (slot + 1) & mask;
    }
  }

  /**
   * True if this thread has a candidate with the fingerprint in `fp` this level; otherwise
   * records the next candidate under it.
   */
  private duplicate(): boolean {
    const hi = this.fp[0]! | 0;
    const lo = this.fp[1]! | 0;
    if ((this.candidates + 1) * 2 > this.local.length) this.growLocal();
    const l = this.local;
    const m = this.meta.words;
    const mask = l.length - 1;
    let slot = lo & mask;
    for (;;) {
      const v = l[slot]!;
      if (v === 0) {
        l[slot] = this.candidates + 1;
        return false;
      }
      const o = (v - 1) * META;
      if (m[o + 3] === lo && m[o + 2] === hi) return true;
      slot = (slot + 1) & mask;
    }
  }

  private growLocal(): void {
    const l = new Int32Array(this.local.length * 2);
    const mask = l.length - 1;
    const m = this.meta.words;
    for (let c = 0; c < this.candidates; c++) {
      let slot = m[c * META + 3]! & mask;
      while (l[slot] !== 0) slot = (slot + 1) & mask;
      l[slot] = c + 1;
    }
    this.local = l;
  }

  /** Keeps a new successor whose encoding is `enc[start, start + len)` and fingerprint in `fp`. */
  private keep(start: number, len: number, label: number, mask: number): void {
    const m = this.meta.reserve(META);
    const o = this.meta.length;
    m[o] = start;
    m[o + 1] = len;
    m[o + 2] = this.fp[0]! | 0;
    m[o + 3] = this.fp[1]! | 0;
    m[o + 4] = this.parent;
    m[o + 5] = label;
    m[o + 6] = mask;
    m[o + 7] = this.transitions;
    m[o + 8] = -1;
    this.meta.length = o + META;
    this.candidates++;
  }

  private readonly emit = (succ: S, label: number): void => {
    this.action++;
    this.transitions++;
    const enc = this.enc;
    const start = enc.length;
    this.system.encode(succ, enc);
    const len = enc.length - start;
    fingerprint(enc.words, start, len, this.fp);
    if (this.known() || this.duplicate()) enc.length = start;
    else this.keep(start, len, label, this.system.violations(succ));
  };

  private readonly collect = (succ: S, label: number): void => {
    const start = this.ample.length;
    this.system.encode(succ, this.ample);
    fingerprint(this.ample.words, start, this.ample.length - start, this.fp);
    const a = this.ampleMeta;
    a.push(start);
    a.push(this.ample.length - start);
    a.push(this.fp[0]! | 0);
    a.push(this.fp[1]! | 0);
    a.push(label);
    a.push(this.system.violations(succ));
  };

  private readonly countOnly = (): void => {
    this.counted++;
  };

  /** The serial explorer's `expandReduced`: a persistent set, if the cycle proviso accepts it. */
  private expandReduced(state: S): boolean {
    this.ample.length = 0;
    this.ampleMeta.length = 0;
    if (!this.system.persistent!(state, this.collect)) return false;
    const a = this.ampleMeta.words;
    const n = this.ampleMeta.length;
    for (let i = 0; i < n; i += 6) {
      this.fp[0] = a[i + 2]!;
      this.fp[1] = a[i + 3]!;
      if (this.known()) return false;
    }
    this.reduced.push(this.parent);
    for (let i = 0; i < n; i += 6) {
      this.action++;
      this.transitions++;
      this.fp[0] = a[i + 2]!;
      this.fp[1] = a[i + 3]!;
      if (this.duplicate()) continue;
      const len = a[i + 1]!;
      const start = this.enc.length;
      const w = this.enc.reserve(len);
      w.set(this.ample.words.subarray(a[i]!, a[i]! + len), start);
      this.enc.length = start + len;
      this.keep(start, len, a[i + 4]!, a[i + 5]!);
    }
    return true;
  }
}
