// Re-runs a schedule (the successor index taken at each step) from the initial state. Not a hot
// path: it rebuilds the states of one trace, e.g. to describe them.

import type { TransitionSystem } from './system.js';

export type ReplayResult<S> =
  /** `states[0]` is the initial state, `states[i]` the state after step i. */
  | { readonly ok: true; readonly states: S[] }
  /** Step `step` (0-based) asked for an index the state did not have: it had `available`. */
  | { readonly ok: false; readonly step: number; readonly available: number };

/** Keeps every state: `system` must not reuse a successor's storage (`TransitionSystem`). */
export function replaySchedule<S>(system: TransitionSystem<S>, schedule: readonly number[]): ReplayResult<S> {
  let s = system.initial();
  const states = [s];
  for (let step = 0; step < schedule.length; step++) {
    const succ: S[] = [];
    system.successors(s, (n) => succ.push(n));
    const index = schedule[step]!;
    const pick = Number.isInteger(index) && index >= 0 ? succ[index] : undefined;
    if (pick === undefined) return { ok: false, step, available: succ.length };
    s = pick;
    states.push(s);
  }
  return { ok: true, states };
}

/**
 * Turns the transition labels of a path from the initial state into a schedule (the index of each
 * transition among all successors of its state, in the system's order). The state taken is kept
 * as its encoding, since the system may reuse a successor's storage (`TransitionSystem`).
 */
export function labelsToSchedule<S>(system: TransitionSystem<S>, labels: readonly number[]): number[] {
  let s = system.initial();
  const schedule: number[] = [];
  const words: number[] = [];
  for (const label of labels) {
    let index = 0;
    let found = -1;
    system.successors(s, (n, l) => {
      if (l === label && found < 0) {
        found = index;
        words.length = 0;
        system.encode(n, { push: (w) => words.push(w) });
      }
      index++;
    });
    if (found < 0) throw new Error(`no successor with label ${label}`);
    schedule.push(found);
    s = system.decode(Int32Array.from(words), 0, words.length);
  }
  return schedule;
}
