// Properties of the explorer on random toy programs: agreement with the naive path enumerator,
// shortest replayable violation traces, one id per state, limits, and determinism.

import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { type ExploreResult, explore } from '../../src/explore/explorer.js';
import { encodingKey, naiveExplore } from '../../src/explore/naive.js';
import { replaySchedule } from '../../src/explore/replay.js';
import type { Limits } from '../../src/explore/system.js';
import { naiveBfs, type ToyProgram, ToySystem, toyProgram } from './toySystem.js';

interface Run {
  readonly result: ExploreResult;
  /** Terminal encoding → mask, and the terminal ids in the order reported. */
  readonly terminals: Map<string, number>;
  readonly terminalIds: number[];
}

function run(system: ToySystem, limits: Limits = {}): Run {
  const terminals = new Map<string, number>();
  const terminalIds: number[] = [];
  const result = explore(system, {
    limits,
    onTerminal: (id, s) => {
      terminalIds.push(id);
      terminals.set(encodingKey(system, s), system.violations(s));
    },
  });
  return { result, terminals, terminalIds };
}

function entries(m: Map<string, number>): [string, number][] {
  return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function maskOfBits(bits: Iterable<number>): number {
  let m = 0;
  for (const b of bits) m |= 1 << b;
  return m;
}

/** Encoding of the state each id stands for, rebuilt by replaying its schedule. */
function encodingsById(system: ToySystem, result: ExploreResult): string[] {
  const out: string[] = [];
  for (let id = 0; id < result.states; id++) {
    const r = replaySchedule(system, result.store.labels(id));
    if (!r.ok) throw new Error(`schedule of ${id} does not replay`);
    out.push(encodingKey(system, r.states.at(-1)!));
  }
  return out;
}

// The naive walk enumerates every interleaving, so the programs it checks stay small; the other
// properties compare against a plain BFS and can afford more threads and longer programs.
const acyclic = toyProgram(false, 3, 4);
const cyclic = toyProgram(true, 3, 4);
const anyProgram = fc.oneof(toyProgram(false, 4, 5), toyProgram(true, 4, 5));

describe('explorer against the naive enumerator', () => {
  test.prop([acyclic], { numRuns: 150 })('same terminal states, masks and violated properties', (program) => {
    const system = new ToySystem(program);
    const naive = naiveExplore(system, 100, 100_000);
    fc.pre(!naive.truncated);
    const { result, terminals } = run(system);
    expect(result.complete).toBe(true);
    expect(entries(terminals)).toEqual(entries(naive.terminals));
    expect(result.terminals).toBe(terminals.size);
    expect(maskOfBits(result.firstViolation.keys())).toBe(naive.violations);
  });

  test.prop([cyclic, fc.integer({ min: 0, max: 6 })], { numRuns: 100 })(
    'with cycles: the terminals within a path bound are those of the naive walk',
    (program, bound) => {
      const system = new ToySystem(program);
      const naive = naiveExplore(system, bound, 50_000);
      fc.pre(naive.paths < 50_000);
      const full = run(system);
      expect(full.result.complete).toBe(true);
      const depthOf = (id: number) => full.result.store.labels(id).length;
      const within = new Map<string, number>();
      const keys = [...full.terminals.keys()];
      full.terminalIds.forEach((id, i) => {
        if (depthOf(id) <= bound) within.set(keys[i]!, full.terminals.get(keys[i]!)!);
      });
      expect(entries(within)).toEqual(entries(naive.terminals));
      for (const [bit, id] of full.result.firstViolation) {
        if (depthOf(id) <= bound) expect(naive.firstDepth.get(bit)).toBe(depthOf(id));
      }
      for (const [bit, d] of naive.firstDepth) expect(depthOf(full.result.firstViolation.get(bit)!)).toBe(d);
    },
  );
});

describe('violation traces', () => {
  test.prop([anyProgram], { numRuns: 150 })('replay to a state with the bit, and no shorter path exists', (program) => {
    const system = new ToySystem(program);
    const { result } = run(system);
    const bfs = [...naiveBfs(system).values()];
    for (const [bit, id] of result.firstViolation) {
      const schedule = result.store.labels(id);
      const r = replaySchedule(system, schedule);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(system.violations(r.states.at(-1)!) & (1 << bit)).not.toBe(0);
      const shortest = Math.min(
        ...bfs.filter((e) => (system.violations(e.state) & (1 << bit)) !== 0).map((e) => e.depth),
      );
      expect(schedule.length).toBe(shortest);
    }
    const everything = bfs.reduce((m, e) => m | system.violations(e.state), 0);
    expect(maskOfBits(result.firstViolation.keys())).toBe(everything);
  });
});

describe('state store', () => {
  test.prop([anyProgram], { numRuns: 100 })('one id per reachable state, with consistent parent links', (program) => {
    const system = new ToySystem(program);
    const { result } = run(system);
    const bfs = naiveBfs(system);
    const keys = encodingsById(system, result);
    expect(new Set(keys).size).toBe(keys.length);
    expect(result.states).toBe(bfs.size);
    let depth = 0;
    for (let id = 0; id < result.states; id++) {
      const schedule = result.store.labels(id);
      expect(schedule.length).toBe(bfs.get(keys[id]!)!.depth);
      if (id > 0) {
        expect(result.store.parentOf(id)).toBeLessThan(id);
        expect(schedule).toEqual([...result.store.labels(result.store.parentOf(id)), result.store.actionOf(id)]);
      }
      depth = Math.max(depth, schedule.length);
    }
    expect(result.depth).toBe(depth);
  });
});

describe('limits', () => {
  test.prop([anyProgram, fc.double({ min: 0, max: 1, noNaN: true })], { numRuns: 100 })(
    'maxStates: complete at the exact size, cut below it, ids a prefix of the full run',
    (program, frac) => {
      const system = new ToySystem(program);
      const full = run(system).result;
      expect(run(system, { maxStates: full.states }).result).toMatchObject({ complete: true, states: full.states });
      fc.pre(full.states > 1);
      const maxStates = 1 + Math.floor(frac * (full.states - 2));
      const cut = run(system, { maxStates }).result;
      expect(cut).toMatchObject({ complete: false, incomplete: 'max-states', states: maxStates });
      for (let id = 0; id < maxStates; id++) expect(cut.store.labels(id)).toEqual(full.store.labels(id));
    },
  );

  test.prop([anyProgram, fc.integer({ min: 0, max: 18 })], { numRuns: 100 })(
    'maxDepth: incomplete exactly when a state at the bound has successors',
    (program, maxDepth) => {
      const system = new ToySystem(program);
      const full = run(system);
      const bounded = run(system, { maxDepth });
      const depthOf = (id: number) => full.result.store.labels(id).length;
      let atBoundWithSuccessors = false;
      for (const { depth, state } of naiveBfs(system).values()) {
        if (depth !== maxDepth) continue;
        system.successors(state, () => {
          atBoundWithSuccessors = true;
        });
      }
      expect(bounded.result.complete).toBe(!atBoundWithSuccessors);
      expect(bounded.result.incomplete).toBe(atBoundWithSuccessors ? 'max-depth' : undefined);
      const expectedStates = [...Array(full.result.states).keys()].filter((id) => depthOf(id) <= maxDepth);
      expect(bounded.result.states).toBe(expectedStates.length);
      expect(bounded.result.depth).toBe(Math.min(maxDepth, full.result.depth));
      expect(bounded.terminalIds).toEqual(full.terminalIds.filter((id) => depthOf(id) <= maxDepth));
    },
  );

  test.prop([anyProgram], { numRuns: 100 })('stopAtFirst ends at the first violating state', (program: ToyProgram) => {
    const system = new ToySystem(program);
    const full = run(system).result;
    const first = Math.min(...full.firstViolation.values());
    const r = run(system, { stopAtFirst: true }).result;
    if (full.firstViolation.size === 0) {
      expect(r).toMatchObject({ complete: true, states: full.states });
    } else {
      expect(r).toMatchObject({ complete: false, incomplete: 'stop-at-first', states: first + 1 });
      expect(Math.min(...r.firstViolation.values())).toBe(first);
    }
  });
});

describe('determinism', () => {
  test.prop([anyProgram], { numRuns: 100 })('two runs give the same ids, schedules and counts', (program) => {
    const a = run(new ToySystem(program));
    const b = run(new ToySystem(program));
    const summary = (r: Run) => ({
      states: r.result.states,
      transitions: r.result.transitions,
      terminals: r.result.terminals,
      depth: r.result.depth,
      complete: r.result.complete,
      firstViolation: [...r.result.firstViolation],
      terminalIds: r.terminalIds,
      links: [...Array(r.result.states).keys()].map((id) => [r.result.store.parentOf(id), r.result.store.actionOf(id)]),
    });
    expect(summary(a)).toEqual(summary(b));
  });
});
