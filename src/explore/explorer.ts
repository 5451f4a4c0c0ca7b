// Breadth-first search over a TransitionSystem, level by level. The frontiers of the current and
// the next level are arenas of encoded words ([id, length, words…] per state), not objects; a
// state is decoded only when it is expanded, and only fingerprints and parent links are kept.

import { fingerprint } from './fingerprint.js';
import { StateStore } from './stateStore.js';
import type { Incompleteness, Limits, TransitionSystem, WordWriter } from './system.js';

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
   * caller evaluates final conditions). Not called for states the search never reached.
   */
  readonly onTerminal?: (id: number, state: S) => void;
  /** Called about once a second. */
  readonly onProgress?: (p: ProgressInfo) => void;
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
  /** Property bit → id of the first state (in BFS order) violating it: a shortest trace. */
  readonly firstViolation: Map<number, number>;
  readonly store: StateStore;
  readonly elapsedMs: number;
  readonly bytesPerState: number;
  readonly peakRssBytes: number;
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

  pushWords(words: Int32Array, count: number): void {
    const need = this.length + count;
    if (need > this.words.length) this.words = grown(this.words, this.length, need);
    this.words.set(words.subarray(0, count), this.length);
    this.length = need;
  }
}

/** Expansions between clock reads: cheap enough for timeouts and progress, never per state. */
const CLOCK_EVERY = 1024;
const PROGRESS_MS = 1000;
const RSS_MS = 50;

export function explore<S>(system: TransitionSystem<S>, options: ExploreOptions<S> = {}): ExploreResult {
  const limits = options.limits ?? {};
  const maxStates = limits.maxStates ?? Number.POSITIVE_INFINITY;
  const maxDepth = limits.maxDepth ?? Number.POSITIVE_INFINITY;
  const timeoutMs = limits.timeoutMs ?? Number.POSITIVE_INFINITY;
  const stopAtFirst = limits.stopAtFirst === true;
  const { onTerminal, onProgress } = options;

  const startMs = performance.now();
  let lastProgressMs = startMs;
  let rss = process.memoryUsage.rss();
  let peakRss = rss;
  let lastRssMs = startMs;

  const store = new StateStore();
  const firstViolation = new Map<number, number>();
  const fp = new Uint32Array(2);
  const buf = new WordBuffer();
  let cur = new Int32Array(1 << 12);
  let next = new Int32Array(1 << 12);
  let nextLen = 0;
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

  /** Appends the encoding in `buf` to the next level. */
  const append = (id: number): void => {
    const len = buf.length;
    const need = nextLen + 2 + len;
    if (need > next.length) next = grown(next, nextLen, need);
    const a = next;
    const w = buf.words;
    a[nextLen] = id;
    a[nextLen + 1] = len;
    let p = nextLen + 2;
    for (let k = 0; k < len; k++) a[p++] = w[k]!;
    nextLen = need;
  };

  const noteViolations = (id: number, mask: number): void => {
    const fresh = mask & ~seenMask;
    if (fresh === 0) return;
    seenMask |= fresh;
    for (let rest = fresh; rest !== 0; rest &= rest - 1) firstViolation.set(31 - Math.clz32(rest & -rest), id);
    if (stopAtFirst) stop ??= 'stop-at-first';
  };

  const emit = (succ: S): void => {
    const index = action++;
    if (stop !== undefined) return;
    transitions++;
    buf.length = 0;
    system.encode(succ, buf);
    fingerprint(buf.words, 0, buf.length, fp);
    if (store.size >= maxStates) {
      // Only a genuinely new state exceeds the limit, so a space of exactly maxStates states
      // still counts as complete.
      if (store.find(fp[0]!, fp[1]!) < 0) stop = 'max-states';
      return;
    }
    const id = store.insert(fp[0]!, fp[1]!, parent, index);
    if (id < 0) return;
    depth = level + 1;
    append(id);
    const mask = system.violations(succ);
    if (mask !== 0) noteViolations(id, mask);
  };

  let counted = 0;
  const countOnly = (): void => {
    counted++;
  };

  const init = system.initial();
  system.encode(init, buf);
  fingerprint(buf.words, 0, buf.length, fp);
  append(store.insert(fp[0]!, fp[1]!, -1, 0));
  noteViolations(0, system.violations(init));

  // Starts due, so that a clock check precedes the first expansion (timeoutMs: 0 expands nothing).
  let sinceClock = CLOCK_EVERY;
  search: while (nextLen > 0 && stop === undefined) {
    const t = cur;
    cur = next;
    next = t;
    const curLen = nextLen;
    nextLen = 0;
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
      const state = system.decode(cur, pos + 2, len);
      pos += 2 + len;
      let hasSuccessors: boolean;
      if (expand) {
        parent = id;
        action = 0;
        system.successors(state, emit);
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
