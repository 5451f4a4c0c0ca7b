// A worker thread of the parallel search (explore/parallel.ts, started by searchThreads.ts): builds its own copy of the transition
// system from plain data (a compiled system holds closures and never crosses a thread), then does
// the phases of each level it is sent (levelWorker.ts) and posts plain results back.

import { parentPort, workerData } from 'node:worker_threads';
import { LevelWorker } from '../explore/levelWorker.js';
import type { SystemErrorReply, SystemSpec, WorkerRequest } from '../explore/parallel.js';
import type { TransitionSystem } from '../explore/system.js';
import { RuntimeModelError } from '../semantics/runner.js';

const { spec, reduce } = workerData as { spec: SystemSpec; reduce: boolean };

// Test-only fault injection (test/explore/parallel.test.ts): a worker that exits or throws at its
// first expansion, so that the coordinator's handling of a dead worker can be tested.
const fault = process.env['MMU_LITMUS_TEST_PSEARCH_FAULT'];

const factory = (await import(spec.module)) as { createSystem(data: unknown): TransitionSystem<unknown> };
const worker = new LevelWorker(factory.createSystem(spec.data), reduce);

parentPort!.on('message', (m: WorkerRequest) => {
  if (m.type === 'expand') {
    if (fault === 'exit') process.exit(7);
    if (fault === 'throw') throw new Error('fault injected for a test (MMU_LITMUS_TEST_PSEARCH_FAULT=throw)');
  }
  try {
    answer(m);
  } catch (e) {
    // A model error is the test's, not the worker's: the coordinator hears of it as such (and the
    // command line searches again on one thread to report it as the serial search does).
    if (!(e instanceof RuntimeModelError)) throw e;
    parentPort!.postMessage({ type: 'system-error', message: e.message } satisfies SystemErrorReply);
  }
});

function answer(m: WorkerRequest): void {
  switch (m.type) {
    case 'expand':
      parentPort!.postMessage(worker.expand(m));
      return;
    case 'resume':
      parentPort!.postMessage(worker.resume(m.table, m.quota));
      return;
    case 'winners': {
      const r = worker.winners(m.table);
      // The words and the index are shared (read by every thread next level); the lists are moved.
      parentPort!.postMessage(r, [r.chunks.buffer, r.terminalIds.buffer, r.reduced.buffer, r.masks.buffer]);
      return;
    }
  }
}
parentPort!.postMessage('ready');
