// One search on several threads (src/explore/parallel.ts) is the serial search: the same states
// with the same ids, parent links and labels (so the same traces), the same transitions,
// terminals, depth, reduced expansions, first violations, final states, observation and witness,
// with and without the reduction, and with the limits. The workers run the built code (dist/),
// which `npm test` builds first.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc } from '@fast-check/vitest';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { compileSpec, type LitmusSpecData } from '../../src/check/parallelSystem.js';
import { checkParallel } from '../../src/check/verdict.js';
import { litmusSpec, preludeTexts, startSearchThread } from '../../src/cli/searchThreads.js';
import { explore } from '../../src/explore/explorer.js';
import { exploreParallel, ParallelSearchError, tableTuning } from '../../src/explore/parallel.js';
import type { Limits } from '../../src/explore/system.js';
import { LitmusSystem } from '../../src/semantics/system.js';
import { catalogueFiles } from '../support/catalogue.js';
import { countingSystem } from '../support/counting.js';
import { ROOT } from '../support/memoryIo.js';
import { expectParity, parityProperty, searchTree } from '../support/parity.js';
import { randomLitmus, randomSyncLitmus } from '../support/randomLitmus.js';

const prelude = preludeTexts(join(ROOT, 'prelude'));

function fileData(path: string): LitmusSpecData {
  return { path, text: readFileSync(path, 'utf8'), prelude };
}

// Every search on two threads pays for a worker that starts and compiles the test (a few hundred
// milliseconds): a sample of the catalogue, every tenth file, keeps the suite short; the whole
// catalogue is checked the same way by hand (see docs/performance.md).
const SAMPLE = catalogueFiles().filter((_, i) => i % 10 === 0);

// Every worker in every level, however small (by default small levels, and the levels before a
// worker is ready, are expanded on the coordinating thread alone).
beforeAll(() => {
  tableTuning.minSlice = 1;
  tableTuning.waitForWorkers = true;
});

describe('parallel search = serial search', () => {
  test.each(SAMPLE.map((p) => [p.slice(ROOT.length), p]))('%s', async (_, path) => {
    for (const reduce of [true, false]) await expectParity(fileData(path), 2, {}, reduce);
    // The threads skip the states after the first parent of a fresh violation: same cut.
    await expectParity(fileData(path), 3, { stopAtFirst: true }, true);
  });

  test.each<[string, Limits]>([
    ['max-states', { maxStates: 150 }],
    ['max-depth', { maxDepth: 6 }],
    ['stop-at-first', { stopAtFirst: true }],
    ['stop-at-first within max-states', { stopAtFirst: true, maxStates: 40 }],
    ['max-states exactly the state space', { maxStates: 508 }],
  ])('limits: %s', async (_, limits) => {
    const unmap = fileData(join(ROOT, 'litmus/secondaries/kvm+unmap.litmus'));
    const buggy = fileData(join(ROOT, 'litmus/secondaries/kvm+unmap+no-retry.litmus'));
    await expectParity(unmap, 2, limits, true);
    await expectParity(buggy, 3, limits, false);
  });

  test('a table too small for its level: threads pause, the table grows, they resume', async () => {
    tableTuning.initialLog2 = 3;
    tableTuning.growAhead = false;
    try {
      for (const [file, jobs, reduce] of [
        ['litmus/secondaries/kvm+unmap.litmus', 2, true],
        ['litmus/secondaries/kvm+unmap+no-retry.litmus', 3, false],
      ] as const) {
        await expectParity(fileData(join(ROOT, file)), jobs, {}, reduce);
        await expectParity(fileData(join(ROOT, file)), jobs, { maxStates: 100 }, reduce);
      }
    } finally {
      tableTuning.initialLog2 = 12;
      tableTuning.growAhead = true;
      tableTuning.minSlice = 1;
    }
  });

  test('a frontier decoded in place stays unchanged until the next decoding, on every thread', async () => {
    // Chunks of one or two states, so that every thread decodes states of every other thread's
    // buffers, which their owners write again two levels on.
    tableTuning.maxChunk = 2;
    try {
      const data = fileData(join(ROOT, 'litmus/secondaries/kvm+unmap.litmus'));
      const module = new URL('../support/stableChecked.mjs', import.meta.url).href;
      const checked = (await import(module)) as { stableChecked(s: LitmusSystem): LitmusSystem };
      const program = compileSpec(data);
      const serial = explore(new LitmusSystem(program, true), { reduce: true });
      const system = checked.stableChecked(new LitmusSystem(program, true));
      for (const jobs of [2, 3]) {
        const r = await exploreParallel(system, { module, data }, jobs, startSearchThread, { reduce: true });
        expect([r.states, r.transitions, r.terminals, r.store.labels(r.states - 1)]).toEqual([
          serial.states,
          serial.transitions,
          serial.terminals,
          serial.store.labels(serial.states - 1),
        ]);
      }
    } finally {
      tableTuning.maxChunk = 64;
    }
  });

  test('a persistent set the cycle proviso refused is merged into the full expansion, not built again', async () => {
    // On this thread alone (no worker), the system counting the successors it encodes; against
    // the same system without `successorsBut`, whose full expansion builds the set's steps again.
    const data = fileData(join(ROOT, 'bench/unmap/unmap-2x2.litmus'));
    const program = compileSpec(data);
    const spec = litmusSpec(data);
    const merged = countingSystem(new LitmusSystem(program, true), true);
    const twice = countingSystem(new LitmusSystem(program, true), false);
    const a = await exploreParallel(merged, spec, 1, startSearchThread, { reduce: true });
    const b = await exploreParallel(twice, spec, 1, startSearchThread, { reduce: true });
    expect([a.states, a.transitions, a.reducedExpansions]).toEqual([b.states, b.transitions, b.reducedExpansions]);
    expect(searchTree(a)).toEqual(searchTree(b));
    expect(merged.encodes).toBeLessThan(twice.encodes);
  });

  test('a timeout says incomplete', async () => {
    const data = fileData(join(ROOT, 'litmus/secondaries/kvm+unmap.litmus'));
    const v = await checkParallel(compileSpec(data), litmusSpec(data), 2, startSearchThread, { timeoutMs: 0 });
    expect(v.result).toMatchObject({ complete: false, incomplete: 'timeout', states: 1 });
    expect(v.expectation.undecided).toBe(true);
  });

  test('random programs, with and without the reduction, on 2 and 3 threads', async () => {
    await fc.assert(parityProperty(fc.oneof(randomLitmus, randomSyncLitmus), prelude), { numRuns: 8 });
  });
});

describe('a worker that dies fails the search', () => {
  afterEach(() => {
    delete process.env['MMU_LITMUS_TEST_PSEARCH_FAULT'];
  });

  test.each(['exit', 'throw'])('a worker that %ss: ParallelSearchError, no hang', async (fault) => {
    process.env['MMU_LITMUS_TEST_PSEARCH_FAULT'] = fault;
    const data = fileData(join(ROOT, 'litmus/secondaries/kvm+unmap.litmus'));
    await expect(checkParallel(compileSpec(data), litmusSpec(data), 2, startSearchThread)).rejects.toBeInstanceOf(
      ParallelSearchError,
    );
  });

  test('a worker that cannot build the system: ParallelSearchError', async () => {
    const good = fileData(join(ROOT, 'litmus/secondaries/kvm+unmap.litmus'));
    const bad = { module: litmusSpec(good).module, data: { ...good, text: 'not a test' } };
    await expect(checkParallel(compileSpec(good), bad, 2, startSearchThread)).rejects.toBeInstanceOf(
      ParallelSearchError,
    );
  });
});
