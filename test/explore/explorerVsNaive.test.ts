// The optimised explorer against the naive path enumerator, and replay of reported schedules, on
// random small litmus programs.

import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { check } from '../../src/check/verdict.js';
import { explore } from '../../src/explore/explorer.js';
import { naiveExplore } from '../../src/explore/naive.js';
import { replaySchedule } from '../../src/explore/replay.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import type { Machine } from '../../src/model/machine.js';
import { propertyBit } from '../../src/model/properties.js';
import { compile } from '../../src/semantics/compile.js';
import type { Program } from '../../src/semantics/program.js';
import { LitmusSystem } from '../../src/semantics/system.js';
import { loadTestPrelude } from '../support/prelude.js';
import { randomLitmus } from '../support/randomLitmus.js';

const prelude = loadTestPrelude();

function build(text: string): Program {
  const parsed = parseLitmus(sourceFile('random.litmus', text));
  expect(parsed.diagnostics).toEqual([]);
  const c = compile(parsed.ast!, prelude);
  expect(c.diagnostics.map((d) => d.message)).toEqual([]);
  return c.program!;
}

describe('explorer and naive enumerator agree', () => {
  test.prop([randomLitmus], { numRuns: 60 })('final states and violations', ({ text }) => {
    const program = build(text);
    const naive = naiveExplore(new LitmusSystem(program), 200, 20_000);
    fc.pre(!naive.truncated);
    // The explorer over a system that allocates every state, and over one that reuses its storage
    // (what `check` uses): the same search, state for state.
    const runs = [false, true].map((reuse) => {
      const system = new LitmusSystem(program, reuse);
      const finals = new Map<string, number>();
      const result = explore(system, {
        onTerminal: (_id, m: Machine) => {
          const w: number[] = [];
          system.encode(m, { push: (x) => w.push(x) });
          finals.set(w.join(','), m.mask);
        },
      });
      expect(result.complete).toBe(true);
      expect(new Map([...finals].sort())).toEqual(new Map([...naive.terminals].sort()));
      let union = 0;
      for (const bit of result.firstViolation.keys()) union |= 1 << bit;
      expect(union).toBe(naive.violations);
      return { result, finals };
    });
    const [fresh, reused] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(reused.result.states).toBe(fresh.result.states);
    expect(reused.result.transitions).toBe(fresh.result.transitions);
    expect(reused.result.firstViolation).toEqual(fresh.result.firstViolation);
    for (const id of fresh.result.firstViolation.values())
      expect(reused.result.schedule(id)).toEqual(fresh.result.schedule(id));
  });

  test.prop([randomLitmus], { numRuns: 40 })('every reported schedule replays to its violation', ({ text }) => {
    const program = build(text);
    const system = new LitmusSystem(program);
    const v = check(program);
    for (const found of v.violations) {
      const r = replaySchedule(system, found.schedule);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      const last = r.states[r.states.length - 1]!;
      const bit = 1 << propertyBit(found.property);
      expect(last.mask & bit).toBe(bit);
      // Shortest: no state on the way carries the bit already.
      for (const s of r.states.slice(0, -1)) expect(s.mask & bit).toBe(0);
    }
  });

  test.prop([randomLitmus], { numRuns: 30 })('printed final states are stable across runs', ({ text }) => {
    const a = check(build(text));
    const b = check(build(text));
    expect(a.finals).toEqual(b.finals);
    expect(a.result.states).toBe(b.result.states);
    expect(a.violations).toEqual(b.violations);
  });
});
