// The threads of one search on several workers (explore/parallel.ts): this module starts them
// (only the command line touches node: modules) and describes a litmus test for them.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LitmusSpecData } from '../check/parallelSystem.js';
import type { SearchThread, StartThread, SystemSpec } from '../explore/parallel.js';

/**
 * A built module: `name` beside this one once built. Under vitest this module is the TypeScript
 * source, which a worker thread cannot load, so the built copy in dist/ is used (`npm test`
 * builds before it runs the tests).
 */
function builtModule(relative: string): URL {
  const beside = new URL(relative, import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL(`../../dist/cli/${relative}`, import.meta.url);
}

/** Starts a search worker (searchWorker.ts). */
export const startSearchThread: StartThread = (workerData) =>
  new Worker(builtModule('./searchWorker.js'), { workerData }) as unknown as SearchThread;

/** The prelude's `.litmus` files, sorted, as (name, text) pairs. */
export function preludeTexts(dir: string): [string, string][] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.litmus'))
    .sort()
    .map((n) => [n, readFileSync(join(dir, n), 'utf8')]);
}

/** The spec a worker turns into the same `LitmusSystem` as `compileSpec(data)`'s program. */
export function litmusSpec(data: LitmusSpecData): SystemSpec {
  return { module: builtModule('../check/parallelSystem.js').href, data };
}
