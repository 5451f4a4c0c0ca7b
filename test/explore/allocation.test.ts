// The search's hot path allocates nothing per state: successors are built in reused storage and
// encoded at once. Measured with V8's sampling heap profiler (collected objects included), as
// bytes allocated per transition over a whole search, after a warm-up search so that compiled
// code, not the interpreter, is measured. What remains is the state store and the frontiers
// (amortised growth, about 1 byte per transition); allocating a machine per successor, as the
// explorer once did, costs over 200, and fingerprint halves read from a Uint32Array (a heap
// number for every half of 2^31 or more) cost 20, or 42 in a loaded test run.

import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { check } from '../../src/check/verdict.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { compile } from '../../src/semantics/compile.js';
import { ROOT } from '../support/memoryIo.js';
import { loadTestPrelude } from '../support/prelude.js';

interface SampleNode {
  selfSize: number;
  children: SampleNode[];
}

function total(n: SampleNode): number {
  return n.selfSize + n.children.reduce((s, c) => s + total(c), 0);
}

test('the search allocates a few bytes per transition, not a state', async () => {
  const file = join(ROOT, 'bench/unmap/unmap-3x2.litmus');
  const parsed = parseLitmus(sourceFile('unmap-3x2.litmus', readFileSync(file, 'utf8')));
  const program = compile(parsed.ast!, loadTestPrelude()).program!;
  check(program);
  check(program);
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  const v = check(program);
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  const perTransition = total(profile.head as SampleNode) / v.result.transitions;
  expect(v.result.transitions).toBeGreaterThan(50_000);
  expect(perTransition).toBeLessThan(10);
});
