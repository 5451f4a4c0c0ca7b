// One search on several threads for `run FILE --jobs N` (explore/parallel.ts, check/verdict.ts
// checkOnTeam): the test is described to the workers as plain data (its text, the prelude's
// texts, the compile options), each compiles it again, and the verdict is the serial search's.

import type { LitmusSpecData } from '../check/parallelSystem.js';
import { checkOnTeam, type Verdict } from '../check/verdict.js';
import type { ProgressInfo } from '../explore/explorer.js';
import { ParallelSearchError, SearchTeam } from '../explore/parallel.js';
import type { Limits } from '../explore/system.js';
import type { Program } from '../semantics/program.js';
import { RuntimeModelError } from '../semantics/runner.js';
import type { Options } from './args.js';
import type { Io } from './io.js';
import { litmusSpec, startSearchThread } from './searchThreads.js';

/**
 * Threads for one search without `--jobs`: one. Measured on 2 cores (docs/performance.md), two
 * threads make a search of several seconds faster, but a search under a second or two slower
 * (the worker's start and its JIT warming up) and every search costlier in CPU; the size of a
 * search is not known before it runs, so a single search stays serial unless `--jobs N` asks.
 */
export const ONE_SEARCH_JOBS = 1;

/** The compiled test as the workers rebuild it. */
export function specData(io: Io, display: string, text: string, opts: Options): LitmusSpecData {
  const prelude = io
    .listDir(io.preludeDir)
    .filter((n) => n.endsWith('.litmus'))
    .map((n): [string, string] => [n, io.readFile(`${io.preludeDir}/${n}`)]);
  return {
    path: display,
    text,
    prelude,
    ...(opts.kernel !== undefined ? { kernel: opts.kernel } : {}),
    noCheck: opts.noCheck,
    variants: [...opts.variants],
    secondaryKinds: [...opts.secondaryKinds],
  };
}

/** The `jobs - 1` workers of one search of the test `text`, started now. */
export class OneSearchTeam {
  readonly team: SearchTeam;

  constructor(
    io: Io,
    readonly display: string,
    readonly text: string,
    opts: Options,
    jobs: number,
  ) {
    this.team = new SearchTeam(
      litmusSpec(specData(io, display, text, opts)),
      !opts.noReduce,
      jobs - 1,
      startSearchThread,
    );
  }
}

/**
 * Starts the workers of `run FILE --jobs N` before this thread parses and compiles the test: they
 * compile it meanwhile, and join the search sooner. Undefined when the file or the prelude cannot
 * be read (this thread reports that as it would without workers).
 */
export function startOneSearch(io: Io, path: string, opts: Options, jobs: number): OneSearchTeam | undefined {
  try {
    return new OneSearchTeam(io, io.displayPath(path), io.readFile(path), opts, jobs);
  } catch {
    return undefined;
  }
}

/**
 * The verdict of `program` searched on `jobs` threads, or undefined when a state's expansion
 * raised a model error (in a worker or here): the caller then searches on this thread, which
 * reports the error the serial search meets first. A worker that dies rejects with
 * `ParallelSearchError` (an internal error on the command line). `early`: workers started for
 * this test (used when they compiled the same text; closed by the caller).
 */
export async function searchOnThreads(
  io: Io,
  program: Program,
  display: string,
  text: string,
  opts: Options,
  limits: Limits,
  jobs: number,
  onProgress: ((p: ProgressInfo) => void) | undefined,
  early?: OneSearchTeam,
): Promise<Verdict | undefined> {
  const own =
    early?.display === display && early.text === text ? undefined : new OneSearchTeam(io, display, text, opts, jobs);
  const { team } = own ?? early!;
  try {
    return await checkOnTeam(program, team, limits, onProgress);
  } catch (e) {
    if (e instanceof RuntimeModelError || (e instanceof ParallelSearchError && e.systemError)) return undefined;
    throw e;
  } finally {
    await own?.team.close();
  }
}
