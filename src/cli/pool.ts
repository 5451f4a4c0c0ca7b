// A pool of worker threads for the commands made of independent checks (`run DIR`, `test DIR`,
// `matrix`): each task is plain data (a file path, a matrix cell), a worker (worker.ts) computes
// its plain result, and the caller gets the results in task order, whatever order the workers
// finish in, so the output is byte-identical to `--jobs 1`. Compiled programs hold closures and
// never cross a thread: a worker compiles what it checks.
//
// A worker that throws or exits fails the whole command (an internal error, exit 4): every worker
// is stopped and the promise rejects, so nothing hangs and no partial table is printed as whole.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UsageError } from './args.js';

/** What the parent sends a worker, and what comes back. */
export interface TaskMessage {
  readonly id: number;
  readonly task: unknown;
}
export type ResultMessage =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly usage: boolean; readonly message: string };

export interface PoolOptions<R, W> {
  /** Threads to use, this one included: `jobs - 1` workers are started (at most one per task). */
  readonly jobs: number;
  /**
   * Does task i in this thread, between the workers' messages: this thread is warm (modules
   * loaded, prelude and scenarios parsed) and would otherwise sit idle.
   */
  readonly here: (index: number) => R;
  /** A worker's plain result as the caller's value. */
  readonly fromWorker: (result: W, index: number) => R;
  /** Called once per task, in task order, as soon as it and every task before it are done. */
  readonly onResult?: (index: number, result: R) => void;
  /** Called about once a second while tasks run: done, total, and the longest-running task's label. */
  readonly onProgress?: (p: Progress) => void;
}

export interface Progress {
  readonly done: number;
  readonly total: number;
  /** The task that has been running longest, and for how long (ms); undefined when none runs. */
  readonly slowest: { readonly label: string; readonly ms: number } | undefined;
}

/**
 * The worker script: `worker.js` beside this module once built. Under vitest this module is the
 * TypeScript source, which a worker thread cannot load, so the built copy in dist/ is used
 * (`npm test` builds before it runs the tests).
 */
function workerUrl(): URL {
  const beside = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL('../../dist/cli/worker.js', import.meta.url);
}

/** Runs `tasks` (each with a label for the progress line) on this thread and `o.jobs - 1` workers. */
export function runPool<R, W>(
  tasks: readonly { readonly label: string; readonly task: unknown }[],
  o: PoolOptions<R, W>,
): Promise<R[]> {
  const results: R[] = new Array(tasks.length);
  const finished: boolean[] = new Array(tasks.length).fill(false);
  const started = new Map<number, number>();
  let next = 0;
  let flushed = 0;
  let done = 0;
  const workers: Worker[] = [];
  return new Promise<R[]>((resolve, reject) => {
    let settled = false;
    const timer =
      o.onProgress === undefined
        ? undefined
        : setInterval(() => {
            let slowest: Progress['slowest'];
            const now = performance.now();
            for (const [i, t] of started) {
              if (slowest === undefined || now - t > slowest.ms) slowest = { label: tasks[i]!.label, ms: now - t };
            }
            o.onProgress!({ done, total: tasks.length, slowest });
          }, 1000);
    const stop = () => {
      settled = true;
      if (timer !== undefined) clearInterval(timer);
      for (const w of workers) void w.terminate();
    };
    const fail = (e: Error) => {
      if (settled) return;
      stop();
      reject(e);
    };
    const record = (id: number, r: R): boolean => {
      results[id] = r;
      finished[id] = true;
      done++;
      while (flushed < tasks.length && finished[flushed]) {
        o.onResult?.(flushed, results[flushed]!);
        flushed++;
      }
      if (done < tasks.length) return false;
      stop();
      resolve(results);
      return true;
    };
    // This thread takes the next task whenever its event loop is free (after the workers'
    // messages that arrived meanwhile), until none is left.
    const local = () => {
      if (settled || next >= tasks.length) return;
      const id = next++;
      started.set(id, performance.now());
      let r: R;
      try {
        r = o.here(id);
      } catch (e) {
        fail(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      started.delete(id);
      if (!record(id, r)) setImmediate(local);
    };
    // A worker holds up to QUEUE tasks, so that it never waits for this thread (busy with a task
    // of its own) to read its result before it gets the next one.
    const QUEUE = 2;
    const feed = (w: Worker, inFlight: number[]) => {
      if (next >= tasks.length) return;
      const id = next++;
      inFlight.push(id);
      started.set(id, performance.now());
      w.postMessage({ id, task: tasks[id]!.task } satisfies TaskMessage);
    };
    const count = Math.max(1, Math.min(o.jobs - 1, tasks.length - 1));
    if (tasks.length === 0) {
      stop();
      resolve(results);
      return;
    }
    for (let k = 0; k < count; k++) {
      const w = new Worker(workerUrl());
      workers.push(w);
      const inFlight: number[] = [];
      w.on('message', (m: ResultMessage) => {
        if (settled) return;
        started.delete(m.id);
        inFlight.splice(inFlight.indexOf(m.id), 1);
        if (!m.ok) {
          fail(
            m.usage ? new UsageError(m.message) : new Error(`a worker failed on ${tasks[m.id]!.label}: ${m.message}`),
          );
          return;
        }
        let r: R;
        try {
          r = o.fromWorker(m.result as W, m.id);
        } catch (e) {
          fail(e instanceof Error ? e : new Error(String(e)));
          return;
        }
        if (!record(m.id, r)) feed(w, inFlight);
      });
      w.on('error', (e) => {
        const on = inFlight[0] === undefined ? '' : ` on ${tasks[inFlight[0]]!.label}`;
        fail(new Error(`a worker failed${on}: ${e.message}`));
      });
      w.on('exit', (code) => {
        if (settled) return;
        const on = inFlight[0] === undefined ? '' : ` while checking ${tasks[inFlight[0]]!.label}`;
        fail(new Error(`a worker stopped (exit code ${code})${on}`));
      });
      for (let q = 0; q < QUEUE; q++) feed(w, inFlight);
    }
    setImmediate(local);
  });
}
