// The explorer's view of a model: a transition system over opaque states with a canonical
// encoding in 32-bit words. The explorer never looks inside a state; it hashes encodings, keeps
// fingerprints with parent pointers and transition labels, and asks the system for successors in
// a deterministic order, so that the index of a successor in that order (a "schedule" step)
// replays exactly.

/**
 * A growable buffer of 32-bit words that a system writes a state's canonical encoding into: a word
 * at a time, or (the explorer's buffers offer it) straight into `reserve`'s words after `length`,
 * advancing `length`.
 */
export interface WordWriter {
  push(word: number): void;
  /** Appends `count` words of `words` at once. */
  pushWords?(words: Int32Array, count: number): void;
  /** The writer's words, with room for `extra` more after `length`. */
  reserve?(extra: number): Int32Array;
  length?: number;
}

export interface TransitionSystem<S> {
  /** The single initial state. */
  initial(): S;
  /** Writes the canonical encoding of `s`: two states are equal iff their encodings are equal. */
  encode(s: S, out: WordWriter): void;
  /**
   * Rebuilds a state from `words[start, start + length)` written by `encode`. A system may reuse
   * the storage of the state it returns at its next `decode`; the explorer is written for that.
   * With `stable`, the caller keeps those words unchanged until its next `decode`, so the system
   * may refer to them instead of copying them.
   */
  decode(words: Int32Array, start: number, length: number, stable?: boolean): S;
  /**
   * Calls `emit` once per successor of `s`, always in the same order for equal states. A state
   * with no successor is terminal (every thread finished, or a deadlock). `label` (0..65535)
   * names the transition among the successors of `s`, whatever subset of them is generated.
   * A system may reuse a successor's storage once `emit` returns (the explorer encodes it at
   * once); a caller that keeps successors uses a system that does not.
   */
  successors(s: S, emit: (next: S, label: number) => void): void;
  /**
   * Partial-order reduction (optional): emits the successors of a persistent subset of the
   * transitions of `s` and returns true, or emits nothing and returns false. The subset must be
   * persistent (no transition outside it, nor any reachable without it, depends on it) and
   * invisible to every property and final condition; the explorer adds the cycle proviso.
   */
  persistent?(s: S, emit: (next: S, label: number) => void): boolean;
  /**
   * After `persistent(s)` emitted the successors labelled `done` (in its order) and the cycle
   * proviso refused them (optional): emits the other successors of `s`, as `successors` would.
   * A system offers it only if `successors` emits in ascending label order and `persistent`
   * emits, for each transition it takes, every successor `successors` has with that label: the
   * explorer then merges the two by label instead of building the set's successors twice.
   */
  successorsBut?(s: S, done: readonly number[], emit: (next: S, label: number) => void): void;
  /**
   * Bitmask of the properties violated so far on the path to `s` (bit i = property i). The mask
   * is part of the state (a property atom in a final condition needs it), so it is also encoded.
   */
  violations(s: S): number;
}

/** Why a search stopped before covering the whole state space. */
export type Incompleteness = 'max-states' | 'max-depth' | 'timeout' | 'stop-at-first';

export interface Limits {
  /** Stop after storing this many distinct states. */
  readonly maxStates?: number;
  /** Do not expand states at this depth or deeper (depth 0 = initial state). */
  readonly maxDepth?: number;
  /** Wall-clock limit in milliseconds. */
  readonly timeoutMs?: number;
  /** End the search at the first violation of any property. */
  readonly stopAtFirst?: boolean;
}

/** The limits with their defaults (no limit: +Infinity), as the serial and parallel searches read them. */
export function resolveLimits(l: Limits = {}): Required<Limits> {
  return {
    maxStates: l.maxStates ?? Number.POSITIVE_INFINITY,
    maxDepth: l.maxDepth ?? Number.POSITIVE_INFINITY,
    timeoutMs: l.timeoutMs ?? Number.POSITIVE_INFINITY,
    stopAtFirst: l.stopAtFirst === true,
  };
}
