// The reduced, full and naive searches raced on programs made from the primitive table
// (test/support/primitiveRaces.ts): every primitive the reduction may reorder against every
// primitive, every other one against partners drawn with a fixed seed. They must agree on every
// final state, observation, violation and warning, and the reduced search's schedules replay.

import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/verdict.js';
import { explore } from '../../src/explore/explorer.js';
import { encodingKey, naiveExplore } from '../../src/explore/naive.js';
import type { Machine } from '../../src/model/machine.js';
import { LitmusSystem } from '../../src/semantics/system.js';
import { loadTestPrelude } from '../support/prelude.js';
import { compileRace, primitiveCalls, RACE_KERNELS, raceLitmus, races } from '../support/primitiveRaces.js';
import { expectReplays, outcome } from '../support/verdicts.js';

const prelude = loadTestPrelude();
const calls = primitiveCalls(prelude);
/** Partners per primitive the reduction never reorders, and the seed that draws them. */
const PARTNERS = 2;
const SEED = 17;

describe('primitive races: reduced, full and naive searches agree', () => {
  const all = races(calls, PARTNERS, SEED);

  it('cover every primitive of the table, in both kernel versions', () => {
    const raced = new Set(all.flatMap((r) => r.threads.flat().map((c) => c.primitive.name)));
    expect([...calls.keys()].filter((n) => !raced.has(n))).toEqual([]);
    expect(new Set(all.map((r) => r.kernel))).toEqual(new Set(RACE_KERNELS));
  });

  it('on every race', () => {
    let compared = 0;
    for (const race of all) {
      const text = raceLitmus(race.kernel, race.threads, race.name, race.monitors);
      const program = compileRace(prelude, text);
      expect(program, text).toBeDefined();
      let full: ReturnType<typeof check>;
      try {
        full = check(program!, {}, undefined, false);
      } catch {
        continue; // a model error in some interleaving (e.g. put_page of a page another thread freed)
      }
      const reduced = check(program!, {}, undefined, true);
      expect(outcome(reduced), text).toEqual(outcome(full));
      expectReplays(program!, reduced);
      const naive = naiveExplore(new LitmusSystem(program!), 100, 20_000);
      if (naive.truncated) continue;
      const system = new LitmusSystem(program!);
      const finals = new Map<string, number>();
      explore(system, { reduce: true, onTerminal: (_id, m: Machine) => finals.set(encodingKey(system, m), m.mask) });
      expect(new Map([...finals].sort()), text).toEqual(new Map([...naive.terminals].sort()));
      compared++;
    }
    // Model errors and truncated naive walks leave out only a few.
    expect(compared).toBeGreaterThan(all.length * 0.8);
  });
});
