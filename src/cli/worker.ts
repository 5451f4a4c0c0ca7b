// A worker thread of the pool (pool.ts): receives tasks, does each (jobs.ts), posts the plain
// result or the error that stopped it. It prints nothing: the parent prints every result, in order.

import { parentPort } from 'node:worker_threads';
import { UsageError } from './args.js';
import { doTask, type Task } from './jobs.js';
import { nodeIo } from './main.js';
import type { ResultMessage, TaskMessage } from './pool.js';

// Test-only fault injection (test/cli/parallel.test.ts): a worker that throws outside any task,
// or exits, on its first task, so that the parent's handling of a dead worker can be tested.
const fault = process.env['MMU_LITMUS_TEST_WORKER_FAULT'];

const io = { ...nodeIo(), progress: false, stdout: () => {}, stderr: () => {} };

parentPort!.on('message', ({ id, task }: TaskMessage) => {
  if (fault === 'throw')
    setImmediate(() => {
      throw new Error('fault injected for a test (MMU_LITMUS_TEST_WORKER_FAULT=throw)');
    });
  if (fault === 'exit') process.exit(7);
  if (fault !== undefined) return;
  let reply: ResultMessage;
  try {
    reply = { id, ok: true, result: doTask(task as Task, io) };
  } catch (e) {
    reply = { id, ok: false, usage: e instanceof UsageError, message: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
