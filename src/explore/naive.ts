// A naive reference enumerator for property-based tests: depth-first over paths, with no
// fingerprints and no store. Obviously correct rather than fast: it walks every path (up to a
// bound) and reports every terminal state it reaches with the violation mask it carries.

import type { TransitionSystem } from './system.js';

export interface NaiveResult {
  /** Encoding (words joined by ',') of each terminal state reached → its violation mask. */
  readonly terminals: Map<string, number>;
  /** The OR of the violation masks of every state on every path walked. */
  readonly violations: number;
  /** Property bit → the length of the shortest path walked to a state carrying it. */
  readonly firstDepth: Map<number, number>;
  /** Some path reached the length bound with successors left, or the path budget ran out. */
  readonly truncated: boolean;
  /** Paths walked to their end (a terminal state or the bound). */
  readonly paths: number;
}

/** The key the naive enumerator uses for a state: its encoding, words joined by ','. */
export function encodingKey<S>(system: TransitionSystem<S>, s: S): string {
  const words: number[] = [];
  system.encode(s, { push: (w) => words.push(w) });
  return words.join(',');
}

/**
 * Walks every path of at most `maxPathLength` steps from the initial state, giving up (and
 * reporting `truncated`) after `maxPaths` paths. It keeps states along the path: `system` must not
 * reuse a successor's storage (`TransitionSystem`).
 */
export function naiveExplore<S>(system: TransitionSystem<S>, maxPathLength: number, maxPaths = 1e6): NaiveResult {
  const terminals = new Map<string, number>();
  const firstDepth = new Map<number, number>();
  let violations = 0;
  let truncated = false;
  let paths = 0;

  const visit = (s: S, length: number): void => {
    const mask = system.violations(s);
    violations |= mask;
    for (let bit = 0; bit < 32; bit++) {
      if ((mask & (1 << bit)) === 0) continue;
      const known = firstDepth.get(bit);
      if (known === undefined || length < known) firstDepth.set(bit, length);
    }
    const succ: S[] = [];
    system.successors(s, (n) => succ.push(n));
    if (succ.length === 0) {
      paths++;
      terminals.set(encodingKey(system, s), mask);
      return;
    }
    if (length >= maxPathLength) {
      paths++;
      truncated = true;
      return;
    }
    for (const n of succ) {
      if (paths >= maxPaths) {
        truncated = true;
        return;
      }
      visit(n, length + 1);
    }
  };

  visit(system.initial(), 0);
  return { terminals, violations, firstDepth, truncated, paths };
}
