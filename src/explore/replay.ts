// Re-runs a schedule (the successor index taken at each step) from the initial state.

import type { TransitionSystem } from './system.js';

export function replaySchedule<S>(
  system: TransitionSystem<S>,
  schedule: readonly number[],
): { ok: true; states: S[] } | { ok: false; step: number; available: number } {
  let s = system.initial();
  const states = [s];
  for (let i = 0; i < schedule.length; i++) {
    const succ: S[] = [];
    system.successors(s, (n) => succ.push(n));
    const pick = succ[schedule[i]!];
    if (pick === undefined) return { ok: false, step: i + 1, available: succ.length };
    s = pick;
    states.push(s);
  }
  return { ok: true, states };
}
