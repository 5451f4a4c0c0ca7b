// The partial-order reduction keeps every verdict: on the whole catalogue and on random programs
// the reduced search finds the same final states, observations, violated properties and review
// warnings as the full one (--no-reduce), and its reported schedules replay to their violations.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/verdict.js';
import { explore } from '../../src/explore/explorer.js';
import { naiveExplore } from '../../src/explore/naive.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import type { Machine } from '../../src/model/machine.js';
import { compile } from '../../src/semantics/compile.js';
import { computeFloors } from '../../src/semantics/independence.js';
import type { Program } from '../../src/semantics/program.js';
import { LitmusSystem } from '../../src/semantics/system.js';
import { countingSystem } from '../support/counting.js';
import { ROOT } from '../support/memoryIo.js';
import { searchTree } from '../support/parity.js';
import { loadTestPrelude } from '../support/prelude.js';
import { compileRace, primitiveCalls, reorderable, runsCleanly, touchesMmParts } from '../support/primitiveRaces.js';
import { randomLitmus, randomMmLitmus, randomSyncLitmus, syncLitmus, syncText } from '../support/randomLitmus.js';
import { expectReplays, expectSame, outcome } from '../support/verdicts.js';

const prelude = loadTestPrelude();

function build(name: string, text: string): Program {
  const parsed = parseLitmus(sourceFile(name, text));
  expect(parsed.diagnostics).toEqual([]);
  const c = compile(parsed.ast!, prelude);
  expect(c.diagnostics.map((d) => d.message)).toEqual([]);
  return c.program!;
}

/**
 * The reduced search against the full one (verdicts, replayable traces) and against the naive
 * enumerator (every final state with its violations), when the naive one finishes.
 */
function expectReducedFullNaive(name: string, text: string): void {
  const program = build(name, text);
  const { reduced } = expectSame(program);
  expectReplays(program, reduced);
  const system = new LitmusSystem(program);
  const naive = naiveExplore(system, 60, 3_000);
  fc.pre(!naive.truncated);
  const finals = new Map<string, number>();
  explore(system, {
    reduce: true,
    onTerminal: (_id, m: Machine) => {
      const w: number[] = [];
      system.encode(m, { push: (x) => w.push(x) });
      finals.set(w.join(','), m.mask);
    },
  });
  expect(new Map([...finals].sort())).toEqual(new Map([...naive.terminals].sort()));
}

// The catalogue's reduced and full searches are compared in test/catalogue.test.ts.

/**
 * The calls of every primitive the reduction may reorder (from the primitive table) that run
 * alone over randomSyncLitmus's machine: its globals and locks.
 */
const tableCalls = primitiveCalls(prelude);
const reorderableCalls = [...tableCalls.values()]
  .flat()
  .filter((c) => reorderable(c.primitive) && !c.inSecondary)
  .map((c) => c.text)
  .filter((text) => {
    const program = compileRace(prelude, syncText([[text]]), 'random-sync.litmus');
    return program !== undefined && runsCleanly(program);
  });

describe('reduction on random programs', () => {
  it('races every primitive the reduction may reorder', () => {
    const names = new Set(reorderableCalls.map((t) => /(\w+)\(/.exec(t)![1]));
    // Those that touch memory management need pages and frames: primitiveRaces.test.ts races them.
    const expected = [...tableCalls.values()]
      .flat()
      .filter((c) => reorderable(c.primitive) && !touchesMmParts(c.primitive));
    expect([...new Set(expected.map((c) => c.primitive.name))].filter((n) => !names.has(n))).toEqual([]);
  });

  test.prop([syncLitmus(reorderableCalls)], { numRuns: 100 })(
    'globals, locks and choices: same as the full search and the naive enumerator',
    ({ text }) => {
      expectReducedFullNaive('random-sync.litmus', text);
    },
  );

  it('the reduction acts on them', () => {
    let full = 0;
    let reduced = 0;
    for (const { text } of fc.sample(randomSyncLitmus, { numRuns: 40, seed: 42 })) {
      const program = build('random-sync.litmus', text);
      full += check(program, {}, undefined, false).result.states;
      reduced += check(program, {}, undefined, true).result.states;
    }
    expect(reduced).toBeLessThan(full);
  });

  test.prop([randomMmLitmus], { numRuns: 60 })(
    'kernel, mirrors and cpus on shared and distinct pages, monitors on and off: same as the full search and the naive enumerator',
    ({ text }) => {
      expectReducedFullNaive('random-mm.litmus', text);
    },
    // Three searches per program, on a machine shared with other runs: vitest's default 60 s is short.
    300_000,
  );

  it('the reduction reorders memory-management steps of different threads', () => {
    let full = 0;
    let reduced = 0;
    let several = 0;
    for (const { text } of fc.sample(randomMmLitmus, { numRuns: 40, seed: 14 })) {
      const program = build('random-mm.litmus', text);
      full += check(program, {}, undefined, false).result.states;
      const r = check(program, {}, undefined, true).result;
      reduced += r.states;
      if (r.reducedExpansions > 0) several++;
    }
    expect(reduced).toBeLessThan(full);
    expect(several).toBeGreaterThan(10);
  });

  it('lazily-freed pages: the wrong discard (lost-update) is found by both searches', () => {
    let lost = 0;
    for (const { text } of fc.sample(randomMmLitmus, { numRuns: 60, seed: 7 })) {
      if (!text.includes('ClearPageSwapBacked')) continue;
      const { full } = expectSame(build('random-mm.litmus', text));
      if (full.violations.some((v) => v.property === 'lost-update')) lost++;
    }
    // The sample must exercise the check, or this test says nothing.
    expect(lost).toBeGreaterThan(2);
  });

  it('the unmap benchmark: devices and the kernel reordered, same verdicts', () => {
    // bench/unmap.mjs's model with one page and two devices, correct and with the fault's
    // sequence check left out (use-after-free): before memory-management steps had footprints,
    // the reduction stored as many states as the full search here.
    for (const name of ['unmap-1x2', 'unmap-1x2-no-seq']) {
      const text = readFileSync(join(ROOT, 'bench', 'unmap', `${name}.litmus`), 'utf8');
      const { full, reduced } = expectSame(build(`${name}.litmus`, text));
      expect(reduced.result.states).toBeLessThan(full.result.states * 0.95);
      expect(reduced.result.transitions).toBeLessThan(full.result.transitions * 0.8);
    }
  });

  test.prop([randomLitmus], { numRuns: 60 })('memory-management programs: same as the full search', ({ text }) => {
    const program = build('random.litmus', text);
    const { reduced } = expectSame(program);
    expectReplays(program, reduced);
  });
});

describe('the cycle proviso', () => {
  // K0's choice is always safe and always enabled; without the proviso the search would take it
  // alone forever and never run K1, whose assertion fails. In the second program, once r is 1,
  // both branches lead back to the state they leave: such steps are not held against the proviso,
  // but a set that has no other step is no reduction at all.
  it.each([
    ['a thread that loops forever on local choices does not starve the others', 'r = 2'],
    ['nor does one whose steps lead back to the same state', 'r = 1'],
  ])('%s', (_, second) => {
    const program = build(
      'spin.litmus',
      `MMU spin
{
  global x = 0;
}
kernel K0 {
  r = 0;
  while (true) {
    choose { r = 1; } or { ${second}; }
  }
}
kernel K1 {
  x = 1;
  assert (x == 0);
}
expect violates assertion;
`,
    );
    const { reduced } = expectSame(program);
    expect(reduced.violations.map((v) => v.property)).toEqual(['assertion']);
    expect(reduced.result.reducedExpansions).toBeGreaterThan(0);
  });
});

describe('a refused set is not built twice', () => {
  /**
   * Against the same system without `successorsBut` (the full expansion builds the set's steps
   * again): the same search, with no more successors built. Returns the successors saved.
   */
  function expectSameSearch(program: Program): number {
    const m = countingSystem(new LitmusSystem(program, true), true);
    const t = countingSystem(new LitmusSystem(program, true), false);
    const merged = explore(m, { reduce: true });
    const twice = explore(t, { reduce: true });
    expect([merged.states, merged.transitions, merged.reducedExpansions]).toEqual([
      twice.states,
      twice.transitions,
      twice.reducedExpansions,
    ]);
    expect(searchTree(merged)).toEqual(searchTree(twice));
    expect(m.encodes).toBeLessThanOrEqual(t.encodes);
    return t.encodes - m.encodes;
  }

  it('merges its successors with the others in the full order (the unmap benchmark)', () => {
    const text = readFileSync(join(ROOT, 'bench', 'unmap', 'unmap-2x2.litmus'), 'utf8');
    expect(expectSameSearch(build('unmap-2x2.litmus', text))).toBeGreaterThan(0);
  });

  test.prop([fc.oneof(randomSyncLitmus, randomMmLitmus)], { numRuns: 40 })('random programs', ({ text }) => {
    expectSameSearch(build('random.litmus', text));
  });
});

describe('visible steps', () => {
  it('a step that writes what an enabled monitor reads conflicts with everything', () => {
    const text = readFileSync(join(ROOT, 'bench', 'unmap', 'unmap-1x2.litmus'), 'utf8');
    const quiet = build('unmap-1x2.litmus', text);
    const watched = build('unmap-1x2.litmus', text.replace(/^\s*check -dangling-translation;$/m, ''));
    const kernel = quiet.threads.findIndex((t) => t.name === 'K');
    const zaps = quiet.threads[kernel]!.code.flatMap((ins, pc) => (ins.site.text.startsWith('stlb_zap') ? [pc] : []));
    expect(zaps.length).toBeGreaterThan(0);
    for (const pc of zaps) {
      // The zap writes a secondary's TLB, which dangling-translation reads after every step.
      expect(quiet.reduction!.threads[kernel]!.stepAny[pc]).toBe(0);
      expect(watched.reduction!.threads[kernel]!.stepAny[pc]).toBe(1);
    }
    expect(outcome(check(watched, {}, undefined, true))).toEqual(outcome(check(watched, {}, undefined, false)));
  });
});

describe('computeFloors', () => {
  it('is the pc itself in straight-line code', () => {
    expect([...computeFloors(4, [])]).toEqual([0, 1, 2, 3]);
  });

  it('is the loop head inside a loop and before it, the pc after it', () => {
    // pcs 2..5 form a loop: pc 5 jumps back to 2.
    expect([...computeFloors(8, [5, 2])]).toEqual([0, 1, 2, 2, 2, 2, 6, 7]);
  });

  it('follows a later loop that jumps below an earlier one', () => {
    // 6 → 3 and 4 → 1: from 5 one can reach 6, hence 3, hence 4, hence 1.
    expect([...computeFloors(8, [4, 1, 6, 3])]).toEqual([0, 1, 1, 1, 1, 1, 1, 7]);
  });
});
