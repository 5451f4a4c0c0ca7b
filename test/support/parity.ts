// The parallel search against the serial one: everything a search and its verdict say, the whole
// parent tree included, must be the same. Shared by the parallel tests and the soak.

import { fc } from '@fast-check/vitest';
import { expect } from 'vitest';
import { compileSpec, type LitmusSpecData } from '../../src/check/parallelSystem.js';
import { check, checkParallel, type Verdict } from '../../src/check/verdict.js';
import { litmusSpec, startSearchThread } from '../../src/cli/searchThreads.js';
import type { StateLinks } from '../../src/explore/explorer.js';
import type { Limits } from '../../src/explore/system.js';

/** Every state's parent and the label of the step from it, in id order: the search's tree. */
export function searchTree(r: { readonly states: number; readonly store: StateLinks }): number[][] {
  return Array.from({ length: r.states }, (_, id) => [r.store.parentOf(id), r.store.actionOf(id)]);
}

/** Everything a search and its verdict say, the whole parent tree included. */
export function summary(v: Verdict) {
  const r = v.result;
  return {
    complete: r.complete,
    incomplete: r.incomplete,
    states: r.states,
    transitions: r.transitions,
    depth: r.depth,
    terminals: r.terminals,
    reducedExpansions: r.reducedExpansions,
    firstViolation: [...r.firstViolation].sort((a, b) => a[0] - b[0]),
    links: searchTree(r),
    finals: v.finals,
    observation: v.observation,
    violations: v.violations,
    warnings: v.warnings,
    witness: v.witness,
    expectation: v.expectation,
  };
}

/** The test of `data` on `jobs` threads says what the serial search says. */
export async function expectParity(data: LitmusSpecData, jobs: number, limits: Limits, reduce: boolean): Promise<void> {
  const program = compileSpec(data);
  const serial = check(program, limits, undefined, reduce);
  const parallel = await checkParallel(program, litmusSpec(data), jobs, startSearchThread, limits, undefined, reduce);
  expect(summary(parallel)).toEqual(summary(serial));
}

/**
 * The property that a random program's test says on 2 or 3 threads, with or without the
 * reduction and a stop at the first violation, what the serial search says.
 */
export function parityProperty(
  programs: fc.Arbitrary<{ text: string }>,
  prelude: LitmusSpecData['prelude'],
): fc.IAsyncPropertyWithHooks<[{ text: string }, boolean, number, boolean]> {
  return fc.asyncProperty(
    programs,
    fc.boolean(),
    fc.constantFrom(2, 3),
    fc.boolean(),
    async (t, reduce, jobs, stopAtFirst) => {
      const data: LitmusSpecData = { path: 'random.litmus', text: t.text, prelude };
      await expectParity(data, jobs, stopAtFirst ? { stopAtFirst } : {}, reduce);
    },
  );
}
