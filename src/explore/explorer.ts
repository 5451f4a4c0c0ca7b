// Breadth-first search over a TransitionSystem, level by level. The frontier of the current and
// the next level are arenas of encoded words ([id, length, words…] per state), not objects; a
// state is decoded only when it is expanded. The first state (in BFS order) that carries a
// property's violation bit gives that property's shortest trace.

import { FP, fingerprint } from './fingerprint.js';
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
  /** Called for every state without successors (the caller evaluates final conditions). */
  readonly onTerminal?: (id: number, state: S) => void;
  /** Called about once a second. */
  readonly onProgress?: (p: ProgressInfo) => void;
}

export interface ExploreResult {
  readonly complete: boolean;
  readonly incomplete: Incompleteness | undefined;
  readonly states: number;
  readonly transitions: number;
  /** Largest depth of a stored state (the initial state has depth 0). */
  readonly depth: number;
  readonly terminals: number;
  /** Property bit → id of the first state (in BFS order) violating it. */
  readonly firstViolation: Map<number, number>;
  readonly store: StateStore;
  readonly elapsedMs: number;
  readonly bytesPerState: number;
  readonly peakRssBytes: number;
}

/** A growable arena of 32-bit words. */
class Arena implements WordWriter {
  words = new Int32Array(1 << 12);
  length = 0;

  push(w: number): void {
    if (this.length === this.words.length) {
      const n = new Int32Array(this.words.length * 2);
      n.set(this.words);
      this.words = n;
    }
    this.words[this.length++] = w;
  }

  /** Appends `len` words of `src` starting at `start`. */
  append(src: Int32Array, start: number, len: number): void {
    while (this.length + len > this.words.length) {
      const n = new Int32Array(this.words.length * 2);
      n.set(this.words);
      this.words = n;
    }
    this.words.set(src.subarray(start, start + len), this.length);
    this.length += len;
  }

  clear(): void {
    this.length = 0;
    // Give memory back after a wide level.
    if (this.words.length > 1 << 24) this.words = new Int32Array(1 << 12);
  }

  bytes(): number {
    return this.words.byteLength;
  }
}

const CLOCK_EVERY = 1024;

export function explore<S>(system: TransitionSystem<S>, options: ExploreOptions<S> = {}): ExploreResult {
  const limits = options.limits ?? {};
  const start = performance.now();
  const store = new StateStore();
  const firstViolation = new Map<number, number>();
  const scratch = new Arena();
  let current = new Arena();
  let next = new Arena();
  let transitions = 0;
  let terminals = 0;
  let depth = 0;
  let incomplete: Incompleteness | undefined;
  let peakRss = process.memoryUsage.rss();
  let lastProgress = start;
  let seenMask = 0;

  const record = (id: number, mask: number): void => {
    const fresh = mask & ~seenMask;
    if (fresh === 0) return;
    seenMask |= mask;
    for (let bit = 0; bit < 31; bit++) if ((fresh & (1 << bit)) !== 0) firstViolation.set(bit, id);
    if (limits.stopAtFirst) incomplete = 'stop-at-first';
  };

  // The initial state.
  const init = system.initial();
  system.encode(init, scratch);
  fingerprint(scratch.words, 0, scratch.length);
  const initId = store.insert(FP[0]!, FP[1]!, -1, 0);
  current.push(initId);
  current.push(scratch.length);
  current.append(scratch.words, 0, scratch.length);
  record(initId, system.violations(init));

  let expanded = 0;
  let level = 0;
  search: while (current.length > 0 && incomplete === undefined) {
    const words = current.words;
    const end = current.length;
    const cutByDepth = limits.maxDepth !== undefined && level >= limits.maxDepth;
    for (let pos = 0; pos < end; ) {
      const id = words[pos]!;
      const len = words[pos + 1]!;
      const state = system.decode(words, pos + 2, len);
      pos += 2 + len;
      let emitted = 0;
      if (cutByDepth) {
        // Beyond the depth bound: only find out whether the search was cut here.
        system.successors(state, () => {
          emitted++;
        });
        if (emitted > 0) {
          incomplete = 'max-depth';
        } else {
          terminals++;
          options.onTerminal?.(id, state);
        }
        continue;
      }
      system.successors(state, (succ) => {
        const action = emitted++;
        transitions++;
        if (incomplete !== undefined) return;
        scratch.length = 0;
        system.encode(succ, scratch);
        fingerprint(scratch.words, 0, scratch.length);
        const nid = store.insert(FP[0]!, FP[1]!, id, action);
        if (nid < 0) return;
        next.push(nid);
        next.push(scratch.length);
        next.append(scratch.words, 0, scratch.length);
        record(nid, system.violations(succ));
        if (limits.maxStates !== undefined && store.size >= limits.maxStates) incomplete ??= 'max-states';
      });
      if (emitted === 0) {
        terminals++;
        options.onTerminal?.(id, state);
      }
      if (incomplete !== undefined) break search;
      if (++expanded % CLOCK_EVERY === 0) {
        const now = performance.now();
        const rss = process.memoryUsage.rss();
        if (rss > peakRss) peakRss = rss;
        if (limits.timeoutMs !== undefined && now - start > limits.timeoutMs) {
          incomplete = 'timeout';
          break search;
        }
        if (options.onProgress !== undefined && now - lastProgress >= 1000) {
          lastProgress = now;
          options.onProgress({ states: store.size, transitions, depth: level, elapsedMs: now - start, rssBytes: rss });
        }
      }
    }
    if (next.length > 0) depth = level + 1;
    const t = current;
    current = next;
    next = t;
    next.clear();
    level++;
  }
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
  return {
    complete: incomplete === undefined,
    incomplete,
    states: store.size,
    transitions,
    depth,
    terminals,
    firstViolation,
    store,
    elapsedMs: performance.now() - start,
    bytesPerState: store.bytesPerState(),
    peakRssBytes: peakRss,
  };
}
