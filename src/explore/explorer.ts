// Breadth-first search over a TransitionSystem, level by level. The frontiers of the current and
// the next level are arenas of encoded words ([id, length, words…] per state), not objects; a
// state is decoded only when it is expanded, and only fingerprints and parent links are kept.

import { fingerprint } from './fingerprint.js';
import { labelsToSchedule } from './replay.js';
import { StateStore } from './stateStore.js';
import { type Incompleteness, type Limits, resolveLimits, type TransitionSystem, type WordWriter } from './system.js';
import { copyWords } from './words.js';

export interface ProgressInfo {
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly elapsedMs: number;
  readonly rssBytes: number;
}

export interface ExploreOptions<S> {
  readonly limits?: Limits;
  /**
   * Called for every expanded or depth-checked state without successors, in BFS order (the
   * caller evaluates final conditions). Not called for states the search never reached. The
   * state is only valid during the call (see `TransitionSystem.decode`).
   */
  readonly onTerminal?: (id: number, state: S) => void;
  /** Called about once a second. */
  readonly onProgress?: (p: ProgressInfo) => void;
  /** Use the system's partial-order reduction (`persistent`), if it has one. */
  readonly reduce?: boolean;
}

export interface ExploreResult {
  readonly complete: boolean;
  readonly incomplete: Incompleteness | undefined;
  readonly states: number;
  /** Successors emitted by expanded states, including those already stored. */
  readonly transitions: number;
  /** Largest depth of a stored state (the initial state has depth 0). */
  readonly depth: number;
  readonly terminals: number;
  /**
   * Property bit → id of the first state (in BFS order) violating it: a shortest trace (with
   * reduction, shortest among the interleavings the reduction keeps).
   */
  readonly firstViolation: Map<number, number>;
  readonly store: StateLinks;
  /** The schedule (successor indices) from the initial state to stored state `id`. */
  schedule(id: number): number[];
  /** States expanded with a persistent set only (0 without reduction). */
  readonly reducedExpansions: number;
  readonly elapsedMs: number;
  readonly bytesPerState: number;
  readonly peakRssBytes: number;
}

/** What a search keeps per state id: its parent and the label of the transition from it. */
export interface StateLinks {
  readonly size: number;
  parentOf(id: number): number;
  actionOf(id: number): number;
  /** The transition labels from the initial state to `id`. */
  labels(id: number): number[];
  bytesPerState(): number;
}

/** A growable buffer of 32-bit words, reused for every encoding. */
export class WordBuffer implements WordWriter {
  words: Int32Array<ArrayBuffer>;
  length = 0;

  constructor(capacity = 256) {
    this.words = new Int32Array(capacity);
  }

  push(word: number): void {
    if (this.length === this.words.length) this.words = grown(this.words, this.length, this.length + 1);
    this.words[this.length++] = word;
  }

  reserve(extra: number): Int32Array<ArrayBuffer> {
    const need = this.length + extra;
    if (need > this.words.length) this.words = grown(this.words, this.length, need);
    return this.words;
  }
}

/** Above every label: merges every held successor (labels are 0..65535). */
const ALL_LABELS = 0x10000;

/** Expansions between clock reads: cheap enough for timeouts and progress, never per state. */
const CLOCK_EVERY = 1024;
const PROGRESS_MS = 1000;
const RSS_MS = 50;

export function explore<S>(system: TransitionSystem<S>, options: ExploreOptions<S> = {}): ExploreResult {
  const { maxStates, maxDepth, timeoutMs, stopAtFirst } = resolveLimits(options.limits);
  const { onTerminal, onProgress } = options;

  const startMs = performance.now();
  let lastProgressMs = startMs;
  let rss = process.memoryUsage.rss();
  let peakRss = rss;
  let lastRssMs = startMs;

  const store = new StateStore();
  const firstViolation = new Map<number, number>();
  const fp = new Int32Array(2);
  const buf = new WordBuffer();
  let cur = new Int32Array(1 << 12);
  // The next level: [id, length, words…] per state; a successor is encoded straight into it (after
  // room for its header) and kept only if it is new.
  const next = new WordBuffer(1 << 12);
  let transitions = 0;
  let terminals = 0;
  let depth = 0;
  let level = 0;
  let seenMask = 0;
  let stop: Incompleteness | undefined;
  let cut = false;
  // The state being expanded and the index of its next successor, shared with `emit` so that
  // one closure serves the whole search.
  let parent = -1;
  let action = 0;

  /** Appends the encoding `w[start, start + len)` of state `id` to the next level. */
  const append = (id: number, w: Int32Array, start: number, len: number): void => {
    const a = next.reserve(2 + len);
    let p = next.length;
    a[p++] = id;
    a[p++] = len;
    for (let k = start; k < start + len; k++) a[p++] = w[k]!;
    next.length = p;
  };

  const noteViolations = (id: number, mask: number): void => {
    const fresh = mask & ~seenMask;
    if (fresh === 0) return;
    seenMask |= fresh;
    for (let rest = fresh; rest !== 0; rest &= rest - 1) firstViolation.set(31 - Math.clz32(rest & -rest), id);
    if (stopAtFirst) stop ??= 'stop-at-first';
  };

  /**
   * Stores a successor whose fingerprint is in `fp`; returns its id, or -1 if it is not new (or
   * the state limit is reached).
   */
  const store1 = (label: number, mask: number): number => {
    transitions++;
    if (store.size >= maxStates) {
      // Only a genuinely new state exceeds the limit, so a space of exactly maxStates states
      // still counts as complete.
      if (store.find(fp[0]!, fp[1]!) < 0) stop = 'max-states';
      return -1;
    }
    const id = store.insert(fp[0]!, fp[1]!, parent, label);
    if (id < 0) return -1;
    depth = level + 1;
    if (mask !== 0) noteViolations(id, mask);
    return id;
  };

  // The successors of the state being expanded, [head, length, hi, lo, label, mask] each: encoded
  // in place in the next level (after room for their header) as they are emitted, then stored in
  // emission order once all are built (`storeBatch`), the new ones moved together and the others
  // dropped. Their table slots are read as soon as their fingerprints are known (`touch`), so
  // that the memory fetches of one state's successors overlap with building the next ones instead
  // of each stalling its insertion.
  const batch = new WordBuffer(64);
  const emit = (succ: S, label: number): void => {
    action++;
    const head = next.length;
    next.reserve(2);
    next.length = head + 2;
    system.encode(succ, next);
    const len = next.length - head - 2;
    fingerprint(next.words, head + 2, len, fp);
    store.touch(fp[1]!);
    const b = batch.reserve(6);
    const p = batch.length;
    b[p] = head;
    b[p + 1] = len;
    b[p + 2] = fp[0]!;
    b[p + 3] = fp[1]!;
    b[p + 4] = label;
    b[p + 5] = system.violations(succ);
    batch.length = p + 6;
  };
  /** Stores the batch's successors in emission order (until the search stops); keeps the new ones. */
  const storeBatch = (): void => {
    const b = batch.words;
    const end = batch.length;
    let w = end > 0 ? b[0]! : next.length;
    for (let i = 0; i < end && stop === undefined; i += 6) {
      fp[0] = b[i + 2]!;
      fp[1] = b[i + 3]!;
      const id = store1(b[i + 4]!, b[i + 5]!);
      if (id < 0) continue;
      const head = b[i]!;
      const len = b[i + 1]!;
      const words = next.words;
      if (w !== head) words.copyWithin(w + 2, head + 2, head + 2 + len);
      words[w] = id;
      words[w + 1] = len;
      w += 2 + len;
    }
    next.length = w;
    batch.length = 0;
  };

  // The reduction's successors are held back (encodings in `ample`, [start, length, hi, lo,
  // label, mask] per successor in `ampleMeta`) until the cycle proviso has accepted them.
  const reduce = options.reduce === true && system.persistent !== undefined;
  const ample = new WordBuffer();
  const ampleMeta: number[] = [];
  const collect = (succ: S, label: number): void => {
    const start = ample.length;
    system.encode(succ, ample);
    fingerprint(ample.words, start, ample.length - start, fp);
    store.touch(fp[1]!);
    ampleMeta.push(start, ample.length - start, fp[0]!, fp[1]!, label, system.violations(succ));
  };

  // When the proviso refuses a persistent set, the full expansion takes the set's successors
  // from `ample` (system.successorsBut) and merges them with the others by label, in the order
  // `successors` has: `held` is the next one to merge. `heldLabels` is filled only then.
  let held = 0;
  const heldLabels: number[] = [];
  /** Moves the held successors labelled below `label` into the batch, as `emit` would. */
  const mergeHeld = (label: number): void => {
    for (; held < ampleMeta.length && ampleMeta[held + 4]! < label; held += 6) {
      action++;
      const start = ampleMeta[held]!;
      const len = ampleMeta[held + 1]!;
      const head = next.length;
      copyWords(next.reserve(2 + len), head + 2, ample.words, start, len);
      next.length = head + 2 + len;
      const b = batch.reserve(6);
      const p = batch.length;
      b[p] = head;
      b[p + 1] = len;
      b[p + 2] = ampleMeta[held + 2]!;
      b[p + 3] = ampleMeta[held + 3]!;
      b[p + 4] = ampleMeta[held + 4]!;
      b[p + 5] = ampleMeta[held + 5]!;
      batch.length = p + 6;
    }
  };
  const emitMerged = (succ: S, label: number): void => {
    mergeHeld(label);
    emit(succ, label);
  };
  let reducedExpansions = 0;
  /** Id of the first state of the level being built (ids are dense, in BFS order). */
  let nextLevelFirst = 0;

  /**
   * Expands `state` with a persistent set when the system offers one and every successor it
   * yields is new or already in the next level. That is the cycle proviso for a breadth-first
   * search: every cycle has an edge that does not go one level deeper, a reduced state never
   * emits such an edge, so every cycle of the reduced graph contains a fully expanded state and
   * no transition is postponed forever. Returns false when the state must be expanded fully.
   *
   * A successor that is the state itself (a device's access that hits and loops back) is a step
   * that changes nothing: it is emitted but not held against the proviso, as long as some other
   * successor moves. From a reduced state the search can then always go one level deeper through
   * a step of the set, so a transition left out is taken, or one dependent on it is, before any
   * cycle closes (the proviso's argument, on the graph without the steps that change nothing,
   * which reach no other state).
   */
  const expandReduced = (state: S): boolean => {
    ample.length = 0;
    // Emptied by popping: `length = 0` would drop its storage at every expansion.
    while (ampleMeta.length > 0) ampleMeta.pop();
    if (!system.persistent!(state, collect)) return false;
    // Successors that are not the state itself.
    let moves = 0;
    for (let i = 0; i < ampleMeta.length; i += 6) {
      const id = store.find(ampleMeta[i + 2]!, ampleMeta[i + 3]!);
      if (id === parent) continue;
      moves++;
      if (id >= 0 && id < nextLevelFirst) return false;
    }
    if (moves === 0) return false;
    reducedExpansions++;
    for (let i = 0; i < ampleMeta.length && stop === undefined; i += 6) {
      action++;
      fp[0] = ampleMeta[i + 2]!;
      fp[1] = ampleMeta[i + 3]!;
      const id = store1(ampleMeta[i + 4]!, ampleMeta[i + 5]!);
      if (id >= 0) append(id, ample.words, ampleMeta[i]!, ampleMeta[i + 1]!);
    }
    return true;
  };

  let counted = 0;
  const countOnly = (): void => {
    counted++;
  };

  const init = system.initial();
  system.encode(init, buf);
  fingerprint(buf.words, 0, buf.length, fp);
  append(store.insert(fp[0]!, fp[1]!, -1, 0), buf.words, 0, buf.length);
  noteViolations(0, system.violations(init));

  // Starts due, so that a clock check precedes the first expansion (timeoutMs: 0 expands nothing).
  let sinceClock = CLOCK_EVERY;
  search: while (next.length > 0 && stop === undefined) {
    const t = cur;
    cur = next.words;
    next.words = t;
    const curLen = next.length;
    next.length = 0;
    nextLevelFirst = store.size;
    const expand = level < maxDepth;
    for (let pos = 0; pos < curLen; ) {
      if (++sinceClock >= CLOCK_EVERY) {
        sinceClock = 0;
        const now = performance.now();
        if (now - lastRssMs >= RSS_MS) {
          // Reading the RSS costs microseconds: worth it a few times a second, not every check.
          lastRssMs = now;
          rss = process.memoryUsage.rss();
          if (rss > peakRss) peakRss = rss;
        }
        if (now - startMs >= timeoutMs) {
          stop = 'timeout';
          break search;
        }
        if (onProgress !== undefined && now - lastProgressMs >= PROGRESS_MS) {
          lastProgressMs = now;
          onProgress({ states: store.size, transitions, depth, elapsedMs: now - startMs, rssBytes: rss });
        }
      }
      const id = cur[pos]!;
      const len = cur[pos + 1]!;
      // Stable: `cur` is written again only once the next level has been expanded from it, and
      // the first decoding of that level still reads the words decoded last (see `decode`).
      const state = system.decode(cur, pos + 2, len, true);
      pos += 2 + len;
      let hasSuccessors: boolean;
      if (expand) {
        parent = id;
        action = 0;
        // The initial state is always expanded fully: every other state was made by a step after
        // which the system's monitors ran, so a step that leaves what they read unchanged
        // cannot reveal a violation its state does not already carry.
        if (!reduce || level === 0 || !expandReduced(state)) {
          // A set emits nothing unless it is offered: successors held here were refused.
          if (reduce && level > 0 && ampleMeta.length > 0 && system.successorsBut !== undefined) {
            while (heldLabels.length > 0) heldLabels.pop();
            for (let i = 4; i < ampleMeta.length; i += 6) heldLabels.push(ampleMeta[i]!);
            held = 0;
            system.successorsBut(state, heldLabels, emitMerged);
            mergeHeld(ALL_LABELS);
          } else system.successors(state, emit);
          storeBatch();
        }
        if (stop !== undefined) break search;
        hasSuccessors = action > 0;
      } else {
        // At the depth bound: successors are generated only to learn whether the bound cut the
        // search here; they are neither stored nor counted as transitions.
        counted = 0;
        system.successors(state, countOnly);
        hasSuccessors = counted > 0;
        if (hasSuccessors) cut = true;
      }
      if (!hasSuccessors) {
        terminals++;
        onTerminal?.(id, state);
      }
    }
    level++;
  }

  rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
  const incomplete: Incompleteness | undefined = stop ?? (cut ? 'max-depth' : undefined);
  return {
    complete: incomplete === undefined,
    incomplete,
    states: store.size,
    transitions,
    depth,
    terminals,
    firstViolation,
    store,
    schedule: (id) => labelsToSchedule(system, store.labels(id)),
    reducedExpansions,
    elapsedMs: performance.now() - startMs,
    bytesPerState: store.bytesPerState(),
    peakRssBytes: peakRss,
  };
}

/** A copy of `a[0, used)` in an array of at least `need` words (doubling, to amortise). */
function grown(a: Int32Array, used: number, need: number): Int32Array<ArrayBuffer> {
  const n = new Int32Array(Math.max(need, a.length * 2));
  n.set(a.subarray(0, used));
  return n;
}
