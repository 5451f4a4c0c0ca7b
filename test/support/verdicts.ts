// What the reduction must keep of a verdict, and the check that its schedules replay: shared by the
// catalogue suite, the random-program reduction tests and the soak.

import { expect } from 'vitest';
import { check, type Verdict } from '../../src/check/verdict.js';
import { replaySchedule } from '../../src/explore/replay.js';
import { propertyBit } from '../../src/model/properties.js';
import type { Program } from '../../src/semantics/program.js';
import { LitmusSystem } from '../../src/semantics/system.js';

/** Everything a verdict says except the search figures and the traces' lengths. */
export function outcome(v: Verdict) {
  return {
    complete: v.result.complete,
    finals: v.finals,
    observation: v.observation,
    violations: v.violations.map((x) => x.property),
    warnings: v.warnings.map((x) => x.property),
    expectation: v.expectation,
  };
}

/** Every violation's and warning's schedule replays to a state that has its bit. */
export function expectReplays(program: Program, v: Verdict): void {
  const system = new LitmusSystem(program);
  for (const found of [...v.violations, ...v.warnings]) {
    const r = replaySchedule(system, found.schedule);
    expect(r.ok).toBe(true);
    if (!r.ok) continue;
    const bit = 1 << propertyBit(found.property);
    expect(r.states[r.states.length - 1]!.mask & bit).toBe(bit);
  }
}

/** The reduced search says what the full search says, storing no more states. */
export function expectSame(program: Program): { full: Verdict; reduced: Verdict } {
  const full = check(program, {}, undefined, false);
  const reduced = check(program, {}, undefined, true);
  expect(outcome(reduced)).toEqual(outcome(full));
  expect(reduced.result.states).toBeLessThanOrEqual(full.result.states);
  expect(full.result.reducedExpansions).toBe(0);
  return { full, reduced };
}
