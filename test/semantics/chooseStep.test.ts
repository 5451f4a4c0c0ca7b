// A `choose` is one step with the statement its branch leads to (runner.ts `takeStep`,
// docs/language.md §1). That must lose nothing: on random programs the search finds the same
// final states, observations, violated properties and review warnings as with every choice a step
// of its own (`CompileOptions.chooseAlone`), and the naive enumerator the same final states.

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { replay, stepStatement } from '../../src/check/trace.js';
import { check } from '../../src/check/verdict.js';
import { naiveExplore } from '../../src/explore/naive.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { traceText } from '../../src/report/text.js';
import { compile } from '../../src/semantics/compile.js';
import type { Program } from '../../src/semantics/program.js';
import { LitmusSystem } from '../../src/semantics/system.js';
import { loadTestPrelude } from '../support/prelude.js';
import { randomLitmus, randomMmLitmus, randomSyncLitmus } from '../support/randomLitmus.js';
import { expectReplays, outcome } from '../support/verdicts.js';

const prelude = loadTestPrelude();

function build(text: string, chooseAlone: boolean): Program {
  const parsed = parseLitmus(sourceFile('choose.litmus', text));
  expect(parsed.diagnostics).toEqual([]);
  const c = compile(parsed.ast!, prelude, { chooseAlone });
  expect(c.diagnostics.map((d) => d.message)).toEqual([]);
  return c.program!;
}

/** The same verdicts, final states and shortest-or-shorter traces with and without merging. */
function expectSameAsAlone(text: string): void {
  const merged = build(text, false);
  const alone = build(text, true);
  const mergedFull = check(merged, {}, undefined, false);
  const aloneFull = check(alone, {}, undefined, false);
  expect(outcome(mergedFull)).toEqual(outcome(aloneFull));
  expect(outcome(check(merged, {}, undefined, true))).toEqual(outcome(aloneFull));
  expect(mergedFull.result.states).toBeLessThanOrEqual(aloneFull.result.states);
  // A merged step stands for two: no trace gets longer.
  for (let i = 0; i < mergedFull.violations.length; i++)
    expect(mergedFull.violations[i]!.schedule.length).toBeLessThanOrEqual(aloneFull.violations[i]!.schedule.length);
  expectReplays(merged, mergedFull);
  const a = naiveExplore(new LitmusSystem(merged), 60, 3_000);
  const b = naiveExplore(new LitmusSystem(alone), 80, 6_000);
  fc.pre(!a.truncated && !b.truncated);
  expect(new Map([...a.terminals].sort())).toEqual(new Map([...b.terminals].sort()));
  expect(a.violations).toBe(b.violations);
}

describe('a choose is one step with what its branch leads to', () => {
  test.prop([fc.oneof(randomLitmus, randomSyncLitmus, randomMmLitmus)], { numRuns: 120 })(
    'random programs: the same as a choice alone',
    ({ text }) => {
      expectSameAsAlone(text);
    },
  );

  const WAITS = `MMU choose-waits
{
  global x = 0;
}
kernel K {
  choose { await (x == 1); } or { x = 2; }
}
expect violates deadlock;
`;

  it('keeps a wait in a branch whose first statement cannot run: the deadlock is found', () => {
    expectSameAsAlone(WAITS);
    const v = check(build(WAITS, false), {}, undefined, true);
    expect(v.violations.map((x) => x.property)).toEqual(['deadlock']);
    expect(v.expectation.ok).toBe(true);
    // The pick, then the deadlock pseudo-step.
    expect(v.violations[0]!.schedule.length).toBe(2);
  });

  it('saves the state between the pick and the statement', () => {
    const text = `MMU choose-saves
{
  global x = 0;
  global y = 0;
}
kernel K0 { choose { x = 1; } or { y = 1; } }
kernel K1 { choose { x = 2; } or { y = 2; } }
`;
    const merged = check(build(text, false), {}, undefined, false);
    const alone = check(build(text, true), {}, undefined, false);
    expect(outcome(merged)).toEqual(outcome(alone));
    // Each thread: at its choose, done (two ways); alone adds the two picks in between.
    expect(merged.result.states).toBeLessThan(alone.result.states);
  });

  it('prints the branch and the statement in a trace', () => {
    const program = build(
      `MMU choose-trace
{
  global x = 0;
}
kernel K {
  choose { x = 1; } or { x = 2; }
  assert (x == 1);
}
`,
      false,
    );
    const v = check(program, {}, undefined, true);
    expect(v.violations.map((x) => x.property)).toEqual(['assertion']);
    const r = replay(program, v.violations[0]!.schedule);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.steps.map(stepStatement)).toEqual(['choose: branch 2, x = 2', 'assert (x == 1)']);
    expect(traceText(r.steps)).toContain('choose: branch 2, x = 2');
  });
});
