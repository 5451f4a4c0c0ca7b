// Every primitive's footprint (its table entry, src/semantics/primitives.ts) and every footprint
// the compiler derives from them are checked against what the instructions really touch: in every
// reachable state of the races made from the primitive table, each step runs on a machine that
// records its reads and writes. A footprint narrower than what the code does fails here.

import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RUNNING } from '../../src/model/machine.js';
import { FRAMES_OBJECT, PT_OBJECT, tlbObject } from '../../src/semantics/footprint.js';
import { LOCAL, PRIMITIVES } from '../../src/semantics/primitives.js';
import type { Program } from '../../src/semantics/program.js';
import { checkStepFootprints, type Mismatch } from '../support/footprintCheck.js';
import { loadTestPrelude } from '../support/prelude.js';
import { compileRace, primitiveCalls, raceLitmus, races } from '../support/primitiveRaces.js';
import { reachableStates, withFootprint } from '../support/raceSetup.js';
import { randomMmLitmus } from '../support/randomLitmus.js';

const prelude = loadTestPrelude();
const calls = primitiveCalls(prelude);

function mismatches(program: Program): Mismatch[] {
  const out: Mismatch[] = [];
  for (const m of reachableStates(program, 3_000)) {
    for (let t = 0; t < program.threads.length; t++) {
      if (m.threads[t]!.status !== RUNNING || m.stuck !== 0) continue;
      out.push(...checkStepFootprints(program, m, t));
    }
  }
  return out;
}

describe('footprints', () => {
  it('every primitive of the table has a call the races can make', () => {
    const missing = [...calls].filter(([, c]) => c.length === 0).map(([name]) => name);
    expect(missing).toEqual([]);
    expect(calls.size).toBe(PRIMITIVES.size);
  });

  it('every step of every race touches only what its footprint says', () => {
    const found: string[] = [];
    for (const race of races(calls, 2, 17)) {
      const program = compileRace(prelude, raceLitmus(race.kernel, race.threads, race.name, race.monitors));
      if (program === undefined) continue;
      for (const m of mismatches(program)) found.push(`${race.name}: ${m.thread} ${m.site}: ${m.problem}`);
    }
    expect([...new Set(found)]).toEqual([]);
  });

  describe('a wrong footprint fails', () => {
    const race = (a: string, b: string) => {
      const call = (n: string) => calls.get(n)![0]!;
      return raceLitmus('v6.6', [[call(a)], [call(b)]]);
    };

    it('a lock primitive said to touch nothing shared', () => {
      const text = race('spin_trylock', 'spin_lock');
      expect(mismatches(compileRace(prelude, text)!)).toEqual([]);
      const wrong = withFootprint('spin_trylock', LOCAL, () => compileRace(prelude, text)!);
      expect(mismatches(wrong).map((m) => m.problem)).toContain('writes object 2 outside its footprint');
    });

    it('a page-table primitive said to touch only a lock', () => {
      const text = race('PageLocked', 'lock_page');
      const wrong = withFootprint('PageLocked', LOCAL, () => compileRace(prelude, text)!);
      expect(mismatches(wrong).map((m) => m.problem)).toContain(`reads object ${FRAMES_OBJECT} outside its footprint`);
    });

    it('a page-table write said to only read the page table', () => {
      const text = race('ptep_get_and_clear', 'ptep_get');
      expect(mismatches(compileRace(prelude, text)!)).toEqual([]);
      const wrong = withFootprint(
        'ptep_get_and_clear',
        { mm: { reads: ['pt', 'core'], writes: ['core'] } },
        () => compileRace(prelude, text)!,
      );
      expect(mismatches(wrong).map((m) => m.problem)).toContain(`writes object ${PT_OBJECT} outside its footprint`);
    });

    it("a secondary's TLB zap said to only read its TLB", () => {
      const zap = { ...calls.get('stlb_zap')![0]!, text: 'stlb_zap(0x200000, 0x202000);' };
      const text = raceLitmus('v6.6', [[zap], [calls.get('ptep_get')![0]!]]);
      expect(mismatches(compileRace(prelude, text)!)).toEqual([]);
      const wrong = withFootprint(
        'stlb_zap',
        { mm: { reads: ['selfTlb'], writes: [] } },
        () => compileRace(prelude, text)!,
      );
      expect(mismatches(wrong).map((m) => m.problem)).toContain(`writes object ${tlbObject(0)} outside its footprint`);
    });
  });

  it('every step of random tests with cpus and devices touches only what its footprint says', () => {
    const found: string[] = [];
    for (const { text } of fc.sample(randomMmLitmus, { numRuns: 60, seed: 14 })) {
      const program = compileRace(prelude, text, 'random-mm.litmus');
      expect(program, text).toBeDefined();
      for (const m of mismatches(program!)) found.push(`${m.thread} ${m.site}: ${m.problem}`);
    }
    expect([...new Set(found)]).toEqual([]);
  });
});
