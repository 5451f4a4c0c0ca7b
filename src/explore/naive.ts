// A naive reference enumerator for property-based tests: depth-first over paths, with no
// fingerprints and no store. Obviously correct rather than fast: it visits every path (up to a
// bound) and reports every terminal state it reaches with the violation mask it carries.

import type { TransitionSystem } from './system.js';

export interface NaiveResult {
  /** Canonical encodings (words joined by ',') of the terminal states, each with its mask. */
  readonly terminals: Map<string, number>;
  /** The OR of the violation masks of every state on every path. */
  readonly violations: number;
  /** Some path was longer than the bound (the result is then partial). */
  readonly truncated: boolean;
  readonly paths: number;
}

export function naiveExplore<S>(system: TransitionSystem<S>, maxPathLength: number, maxPaths = 1e6): NaiveResult {
  const terminals = new Map<string, number>();
  let violations = 0;
  let truncated = false;
  let paths = 0;
  const key = (s: S): string => {
    const w: number[] = [];
    system.encode(s, { push: (x) => w.push(x) });
    return w.join(',');
  };
  const visit = (s: S, length: number): void => {
    violations |= system.violations(s);
    if (paths >= maxPaths) {
      truncated = true;
      return;
    }
    const succ: S[] = [];
    system.successors(s, (n) => succ.push(n));
    if (succ.length === 0) {
      paths++;
      terminals.set(key(s), system.violations(s));
      return;
    }
    if (length >= maxPathLength) {
      truncated = true;
      return;
    }
    for (const n of succ) visit(n, length + 1);
  };
  visit(system.initial(), 0);
  return { terminals, violations, truncated, paths };
}
