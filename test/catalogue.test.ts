// The catalogue, searched twice per test (with and without the partial-order reduction) and every
// check that needs a whole catalogue run made on those two searches, so the suite's cost grows by
// two searches per new test:
// - every test meets its expectation (what `mmu-litmus test litmus/` decides);
// - the reduction keeps every verdict, observation, violation and warning, its schedules replay
//   to their violations, and traces stay as short as without it;
// - `--witness` replays to a final state that answers the condition, and exists exactly when
//   some final state answers it;
// - a step never writes the state it starts from (copy-on-write successors, model/scratch.ts):
//   after each expansion the expanded state is exactly what it was before.

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { check, type Verdict } from '../src/check/verdict.js';
import { replaySchedule } from '../src/explore/replay.js';
import { parseLitmus } from '../src/lang/parser.js';
import { sourceFile } from '../src/lang/source.js';
import { FINISHED, KILLED } from '../src/model/machine.js';
import { compile } from '../src/semantics/compile.js';
import { evalCond } from '../src/semantics/final.js';
import type { Program } from '../src/semantics/program.js';
import { LitmusSystem } from '../src/semantics/system.js';
import { catalogueFiles } from './support/catalogue.js';
import { guarded } from './support/guarded.js';
import { ROOT } from './support/memoryIo.js';
import { loadTestPrelude } from './support/prelude.js';
import { expectReplays, outcome } from './support/verdicts.js';

const prelude = loadTestPrelude();

function expectWitness(program: Program, v: Verdict): void {
  const cond = program.condition;
  if (cond === undefined) {
    expect(v.witness).toBeUndefined();
    return;
  }
  const wanted = cond.quantifier !== 'forall';
  expect(v.witness !== undefined).toBe((wanted ? v.positive : v.negative) > 0);
  if (v.witness === undefined) return;
  const r = replaySchedule(new LitmusSystem(program), v.witness);
  expect(r.ok).toBe(true);
  if (!r.ok) return;
  const last = r.states[r.states.length - 1]!;
  expect(last.stuck).toBe(0);
  for (const th of last.threads) expect([FINISHED, KILLED]).toContain(th.status);
  expect(evalCond(program, last, cond.cond)).toBe(wanted);
}

const files = catalogueFiles();

describe('the catalogue', () => {
  test('covers the catalogue', () => {
    expect(files.length).toBeGreaterThan(80);
  });

  /**
   * Tests whose reduced search reports a longer trace than the full one, per violation: the
   * reduction took the kernel's unregister steps first where the shortest trace interleaves them.
   */
  const LONGER_TRACES: ReadonlyMap<string, { reduced: number[]; full: number[] }> = new Map([
    ['litmus/secondaries/kvm+unregister@751efd8610d3+reclaim.litmus', { reduced: [37, 24], full: [36, 24] }],
  ]);

  test.each(files.map((f) => [relative(ROOT, f), f]))('%s', (name, file) => {
    const parsed = parseLitmus(sourceFile(name, readFileSync(file, 'utf8')));
    expect(parsed.diagnostics).toEqual([]);
    const c = compile(parsed.ast!, prelude);
    expect(c.diagnostics.map((d) => d.message)).toEqual([]);
    const program = c.program!;
    const fullSystem = guarded(new LitmusSystem(program, true));
    const full = check(program, {}, undefined, false, fullSystem);
    const reducedSystem = guarded(new LitmusSystem(program, true));
    const reduced = check(program, {}, undefined, true, reducedSystem);
    expect(fullSystem.expansions).toBeGreaterThan(0);

    // It meets its expectation.
    expect(reduced.expectation.failures).toEqual([]);
    expect(reduced.expectation.ok).toBe(true);

    // The reduction keeps the verdict, and its traces replay and stay shortest here.
    expect(outcome(reduced)).toEqual(outcome(full));
    expect(reduced.result.states).toBeLessThanOrEqual(full.result.states);
    expect(full.result.reducedExpansions).toBe(0);
    expectReplays(program, reduced);
    // A trace is shortest among the interleavings the reduction keeps (docs/language.md §14): the
    // tests where it is longer than the full search's are listed, with both lengths.
    const lengths = (v: typeof full) => v.violations.map((x) => x.schedule.length);
    expect(lengths(reduced)).toEqual(LONGER_TRACES.get(name)?.reduced ?? lengths(full));
    if (LONGER_TRACES.has(name)) expect(lengths(full)).toEqual(LONGER_TRACES.get(name)!.full);

    // The witness.
    expectWitness(program, reduced);
  });
});
