// One breadth-first search on several threads: level-synchronous, over a shared fingerprint table
// (a SharedArrayBuffer), with the serial explorer's results to the bit: the same states with the
// same ids, parent links and labels (so the same traces), the same transitions, terminals (reported
// in the same order), first violations, reduced expansions and limits.
//
// Each level's frontier (states with consecutive ids) is cut into chunks that the threads (this
// one included) take one after another from a shared counter. The phases of a level are in
// levelWorker.ts: every thread expands its chunks and claims each successor in the shared table
// as it goes, keyed by its parent's id; a fingerprint claimed by several threads keeps the
// smallest parent, the one the serial search expands first; after the level, the successors that
// kept their key are the new states, and each thread's are already in its own buffer. The winners
// take the next ids in chunk order, then in order within the chunk: the serial order. A state is
// thus first reached from the same parent by the same transition as in the serial search,
// whichever thread got there first. Two messages per thread and level: expand, winners (and a
// resume when the table had to grow during the level).
//
// Limits: `maxStates` and `stopAtFirst` cut a level at the same winner as the serial search (the
// transitions, terminals and reduced expansions counted up to the same point); `timeoutMs` is
// checked by every thread and abandons the level it falls in (the states stored are those of the
// levels done), which is still reported as incomplete.
//
// Compiled systems hold closures: a worker builds its own from `SystemSpec` (a module exporting
// `createSystem(data)` and plain data). A worker that dies rejects the search (never a hang).

import type { ExploreOptions, ExploreResult, StateLinks } from './explorer.js';
import { fingerprint } from './fingerprint.js';
import {
  CHUNK,
  DONE,
  type ExpandReply,
  type ExpandRequest,
  type Frontier,
  FrontierView,
  INDEX,
  INITIAL_KEY,
  LevelWorker,
  MASK,
  SLOT,
  STOP_PARENT,
  type WinnersReply,
} from './levelWorker.js';
import { labelsToSchedule } from './replay.js';
import { type Incompleteness, resolveLimits, type TransitionSystem } from './system.js';

/** How a worker builds its transition system: `(await import(module)).createSystem(data)`. */
export interface SystemSpec {
  /** A file URL of a built (.js) module. */
  readonly module: string;
  /** Plain data (structured-clonable). */
  readonly data: unknown;
}

export type WorkerRequest =
  | ({ readonly type: 'expand' } & ExpandRequest)
  | { readonly type: 'resume'; readonly table: SharedArrayBuffer; readonly quota: number }
  | { readonly type: 'winners'; readonly table: SharedArrayBuffer };

/**
 * A worker died or failed: an internal error (exit 4 on the command line). `systemError`: the
 * worker is alive but its system threw while expanding a state (in a litmus test, a model error),
 * which the serial search would have met too, maybe at another state first.
 */
export class ParallelSearchError extends Error {
  constructor(
    message: string,
    readonly systemError = false,
  ) {
    super(message);
  }
}

/** A worker's reply when its system threw while expanding a state. */
export interface SystemErrorReply {
  readonly type: 'system-error';
  readonly message: string;
}

function isSystemErrorReply(m: unknown): m is SystemErrorReply {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'system-error';
}

/**
 * A worker thread as the coordinator sees it (a `node:worker_threads` Worker, started by the
 * command line, src/cli/searchThreads.ts: only the command line touches node: modules). Its
 * script builds a `LevelWorker` from `{ spec, reduce }` and answers `WorkerRequest`s.
 */
export interface SearchThread {
  postMessage(m: WorkerRequest): void;
  on(event: 'message', f: (m: unknown) => void): void;
  on(event: 'error', f: (e: Error) => void): void;
  on(event: 'exit', f: (code: number) => void): void;
  terminate(): Promise<number>;
}

/** Starts a worker thread for a search: `workerData` is `{ spec, reduce }`. */
export type StartThread = (workerData: { readonly spec: SystemSpec; readonly reduce: boolean }) => SearchThread;

/** One worker thread and the one request it may have under way. */
class Remote {
  private pending: { resolve: (v: unknown) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private closing = false;
  /** The worker has built its system and takes requests. */
  isReady = false;
  /** Settles when the worker is ready (or rejects when it failed first). */
  readonly ready: Promise<unknown>;

  constructor(readonly worker: SearchThread) {
    this.ready = new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
    });
    this.ready.then(
      () => {
        this.isReady = true;
      },
      () => {},
    );
    worker.on('message', (m: unknown) => {
      if (isSystemErrorReply(m)) {
        this.fail(new ParallelSearchError(`a search worker's system failed: ${m.message}`, true));
        return;
      }
      const p = this.pending;
      this.pending = undefined;
      p?.resolve(m);
    });
    worker.on('error', (e: Error) => this.fail(new ParallelSearchError(`a search worker failed: ${e.message}`)));
    worker.on('exit', (code: number) => {
      if (!this.closing) this.fail(new ParallelSearchError(`a search worker exited (code ${code})`));
    });
  }

  request<R>(m: WorkerRequest): Promise<R> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<R>((resolve, reject) => {
      this.pending = { resolve: resolve as (v: unknown) => void, reject };
      this.worker.postMessage(m);
    });
  }

  /** Why the worker failed, if it did. */
  get failed(): Error | undefined {
    return this.failure;
  }

  close(): Promise<number> {
    this.closing = true;
    return this.worker.terminate();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(this.failure);
  }
}

/** Parent ids and labels of the stored states, in chunks (adding states never copies them). */
class Links implements StateLinks {
  private readonly parents: Int32Array[] = [];
  private readonly actions: Uint16Array[] = [];
  private count = 0;

  constructor(private readonly tableBytes: () => number) {}

  get size(): number {
    return this.count;
  }

  add(parent: number, action: number): void {
    const c = this.count >>> 16;
    if (c === this.parents.length) {
      this.parents.push(new Int32Array(1 << 16));
      this.actions.push(new Uint16Array(1 << 16));
    }
    if (action > 0xffff) throw new RangeError(`transition label ${action} exceeds 65535`);
    this.parents[c]![this.count & 0xffff] = parent;
    this.actions[c]![this.count & 0xffff] = action;
    this.count++;
  }

  parentOf(id: number): number {
    return this.parents[id >>> 16]![id & 0xffff]!;
  }

  actionOf(id: number): number {
    return this.actions[id >>> 16]![id & 0xffff]!;
  }

  labels(id: number): number[] {
    const out: number[] = [];
    for (let s = id; this.parentOf(s) >= 0; s = this.parentOf(s)) out.push(this.actionOf(s));
    return out.reverse();
  }

  bytesPerState(): number {
    return this.count === 0 ? 0 : (this.tableBytes() + this.parents.length * 6 * (1 << 16)) / this.count;
  }
}

const PROGRESS_MS = 1000;

/**
 * The table's first size and whether it is grown before each level from the last level's growth;
 * `minSlice`: the fewest states per thread worth a level's two messages (a smaller level is
 * expanded here alone; the result does not depend on how a level is split); `maxChunk`: the most
 * states a thread takes at a time. Tests start the table tiny and never grow it ahead, so that
 * threads pause and resume in the middle of levels, and wait for every worker and split every
 * level (test/explore/parallel.test.ts).
 */
export const tableTuning = { initialLog2: 12, growAhead: true, minSlice: 128, waitForWorkers: false, maxChunk: 64 };

/**
 * Chunks per thread in a level, at least (chunks of `maxChunk` states at most): a thread that
 * finishes its last chunk waits for the others to finish theirs, so chunks are kept small.
 */
const CHUNKS_PER_THREAD = 16;

/** The table is grown to stay under this load when a level starts … */
const LOAD_TARGET = 5 / 8;
/** … and the threads' quotas stop insertions at this one (a level may claim more than expected). */
const LOAD_MAX = 3 / 4;

/**
 * The worker threads of one search, started as soon as the search is known to be wanted: a
 * worker takes a few hundred milliseconds to start and build its system, which it can do while
 * this thread compiles the test itself. Closed by whoever started it.
 */
export class SearchTeam {
  /** @internal */
  readonly remotes: readonly Remote[];

  constructor(
    readonly spec: SystemSpec,
    readonly reduce: boolean,
    workers: number,
    startThread: StartThread,
  ) {
    this.remotes = Array.from({ length: workers }, () => new Remote(startThread({ spec, reduce })));
  }

  async close(): Promise<void> {
    await Promise.all(this.remotes.map((r) => r.close()));
  }
}

/**
 * Explores `system` on `jobs` threads (this one and `jobs - 1` workers that build their systems
 * from `spec`, which must describe the same system). The result is the serial `explore`'s, except
 * where a timeout falls (timing decides that anyway).
 */
export async function exploreParallel<S>(
  system: TransitionSystem<S>,
  spec: SystemSpec,
  jobs: number,
  startThread: StartThread,
  options: ExploreOptions<S> = {},
): Promise<ExploreResult> {
  const team = new SearchTeam(spec, options.reduce === true, jobs - 1, startThread);
  try {
    return await exploreOnTeam(system, team, options);
  } finally {
    await team.close();
  }
}

/**
 * Explores `system` on this thread and `team`'s workers, whose systems must be the same and use
 * the reduction as `options` says. The team stays open.
 */
export async function exploreOnTeam<S>(
  system: TransitionSystem<S>,
  team: SearchTeam,
  options: ExploreOptions<S> = {},
): Promise<ExploreResult> {
  const { maxStates, maxDepth, timeoutMs, stopAtFirst } = resolveLimits(options.limits);
  const { onTerminal, onProgress } = options;
  const reduce = options.reduce === true;
  if (reduce !== team.reduce) throw new Error('the search team was started for another reduction setting');
  const startMs = performance.now();
  const deadlineMs = startMs + timeoutMs;
  let peakRss = process.memoryUsage.rss();
  let lastProgressMs = startMs;

  const { remotes } = team;
  const here = new LevelWorker(system, reduce);

  // The shared table; grown (by this thread, between phases) to stay under LOAD_TARGET.
  let tableCap = 1 << tableTuning.initialLog2;
  let tableBuf = new SharedArrayBuffer(tableCap * SLOT * 4);
  let tableCount = 0;
  const links = new Links(() => tableBuf.byteLength);
  const firstViolation = new Map<number, number>();
  let seenMask = 0;
  let stop: Incompleteness | undefined;
  let cut = false;
  let transitions = 0;
  let terminals = 0;
  let depth = 0;
  let reducedExpansions = 0;

  const noteViolations = (id: number, mask: number): boolean => {
    const fresh = mask & ~seenMask;
    if (fresh === 0) return false;
    seenMask |= fresh;
    for (let rest = fresh; rest !== 0; rest &= rest - 1) firstViolation.set(31 - Math.clz32(rest & -rest), id);
    return stopAtFirst;
  };
  const insertSlot = (t: Int32Array, mask: number, key: number, hi: number, lo: number): void => {
    let slot = lo & mask;
    while (t[slot * SLOT] !== 0) slot = (slot + 1) & mask;
    const b = slot * SLOT;
    t[b] = key;
    t[b + 1] = hi;
    t[b + 2] = lo;
  };
  /** Grows the table (at least doubling when `force`) so that `need` entries stay under LOAD_TARGET. */
  const growTable = (need: number, force: boolean): void => {
    let cap = force ? tableCap * 2 : tableCap;
    while (need > Math.floor(cap * LOAD_TARGET)) cap *= 2;
    if (cap === tableCap) return;
    const buf = new SharedArrayBuffer(cap * SLOT * 4);
    const t = new Int32Array(buf);
    const old = new Int32Array(tableBuf);
    for (let b = 0; b < old.length; b += SLOT) {
      if (old[b] !== 0) insertSlot(t, cap - 1, old[b]!, old[b + 1]!, old[b + 2]!);
    }
    tableBuf = buf;
    tableCap = cap;
  };
  const room = (): number => Math.max(0, Math.floor(tableCap * LOAD_MAX) - tableCount);

  // The initial state: level 0's frontier, one piece of one state.
  const init = system.initial();
  const initWords: number[] = [];
  system.encode(init, { push: (w) => initWords.push(w) });
  const fp = new Int32Array(2);
  fingerprint(initWords, 0, initWords.length, fp);
  insertSlot(new Int32Array(tableBuf), tableCap - 1, INITIAL_KEY, fp[0]!, fp[1]!);
  tableCount = 1;
  links.add(-1, 0);
  if (noteViolations(0, system.violations(init))) stop = 'stop-at-first';
  const initBuf = new SharedArrayBuffer(Math.max(4, initWords.length * 4));
  new Int32Array(initBuf).set(initWords);
  const initIndex = new SharedArrayBuffer(INDEX * 4);
  new Int32Array(initIndex).set([0, initWords.length, -1, 0, 0]);
  let frontier: Frontier = { words: [initBuf], index: [initIndex], pieces: Int32Array.of(0, 0, 1) };
  let frontCount = 1;
  let levelFirst = 0;
  // New states per expanded state in the last level: how much the table may have to take next.
  let growth = 4;

  // The workers start meanwhile: the first levels, small, are expanded here; a worker joins at
  // the first level big enough once it is ready.
  if (tableTuning.waitForWorkers) await Promise.all(remotes.map((r) => r.ready));
  for (let level = 0; frontCount > 0 && stop === undefined; level++) {
    if (performance.now() >= deadlineMs) {
      stop = 'timeout';
      break;
    }
    for (const r of remotes) if (r.failed !== undefined) throw r.failed;
    // A worker's "ready" is an event: let it in while workers are still starting.
    if (remotes.some((r) => !r.isReady)) await new Promise((resolve) => setTimeout(resolve, 0));
    const ready = remotes.filter((r) => r.isReady);
    const threads = Math.max(1, Math.min(ready.length + 1, Math.floor(frontCount / tableTuning.minSlice)));
    const team = ready.slice(0, threads - 1);
    const expandLevel = level < maxDepth;
    if (expandLevel && tableTuning.growAhead) growTable(tableCount + Math.ceil(frontCount * growth * 1.5), false);
    const chunk =
      threads === 1
        ? frontCount
        : Math.max(1, Math.min(tableTuning.maxChunk, Math.floor(frontCount / (threads * CHUNKS_PER_THREAD))));
    const chunks = Math.ceil(frontCount / chunk);
    const shared = new SharedArrayBuffer((DONE + chunks) * 4);
    new Int32Array(shared)[STOP_PARENT] = 0x7fffffff;
    const request: ExpandRequest = {
      table: tableBuf,
      frontier,
      count: frontCount,
      chunk,
      shared,
      levelFirst,
      level,
      expandLevel,
      deadlineMs,
      quota: Math.floor(room() / threads),
      seenMask,
      skipAfterViolation: stopAtFirst,
    };
    let expanded = await phase<ExpandReply>(
      team,
      () => ({ type: 'expand', ...request }),
      () => here.expand(request),
    );
    // A thread that ran out of quota waits before the state it could not claim: grow, resume.
    // (`inserts` counts a thread's whole level: the table counts each insertion once.)
    const counted = expanded.map(() => 0);
    for (;;) {
      expanded.forEach((r, i) => {
        tableCount += r.inserts - counted[i]!;
        counted[i] = r.inserts;
      });
      if (expanded.some((r) => r.timedOut) || !expanded.some((r) => r.paused)) break;
      const paused = expanded.flatMap((r, i) => (r.paused ? [i] : []));
      growTable(tableCount + frontCount, true);
      const share = Math.floor(room() / paused.length);
      const again = await Promise.all(
        paused.map((i) =>
          i === 0
            ? here.resume(tableBuf, share)
            : team[i - 1]!.request<ExpandReply>({ type: 'resume', table: tableBuf, quota: share }),
        ),
      );
      expanded = expanded.map((r, i) => {
        const k = paused.indexOf(i);
        return k < 0 ? r : again[k]!;
      });
    }
    if (expanded.some((r) => r.timedOut)) {
      stop = 'timeout';
      break;
    }
    const won = await phase<WinnersReply>(
      team,
      () => ({ type: 'winners', table: tableBuf }),
      () => here.winners(tableBuf),
    );
    const level1 = new LevelWinners(won, chunks);

    // Where the serial search would have stopped in this level: at the winner that exceeds
    // maxStates (not stored), or just after the first one with a fresh violation.
    let keepAll = level1.total;
    let stopTransitions = -1;
    let stopParent = Number.POSITIVE_INFINITY;
    const stopAt = (g: number): void => {
      stopTransitions = level1.transitionsTo(g);
      stopParent = level1.parentOf(g);
    };
    const roomStates = maxStates - links.size;
    if (level1.total > roomStates) {
      keepAll = Math.max(0, roomStates);
      stop = 'max-states';
      stopAt(keepAll);
    }
    // Violations, in id order, among the winners kept.
    for (const [g, mask] of level1.violations()) {
      if (g >= keepAll) break;
      if (noteViolations(links.size + g, mask)) {
        stop = 'stop-at-first';
        keepAll = g + 1;
        stopAt(g);
        break;
      }
    }
    transitions += stopTransitions >= 0 ? stopTransitions : level1.transitions;

    // Terminal states before the stopping parent, in id order, read where they are in this
    // level's frontier; and the reduced expansions up to the stopping parent.
    const terminalIds = concatSorted(won.map((r) => r.terminalIds));
    const view = onTerminal !== undefined ? new FrontierView(frontier) : undefined;
    for (let k = 0; k < terminalIds.length && terminalIds[k]! < stopParent; k++) {
      terminals++;
      if (view !== undefined) onTerminal!(terminalIds[k]!, view.decode(system, terminalIds[k]! - levelFirst));
    }
    for (const r of won) {
      for (let k = 0; k < r.reduced.length && r.reduced[k]! <= stopParent; k++) reducedExpansions++;
      cut ||= r.cut;
    }

    // The kept winners: ids and links; their chunks are the pieces of the next frontier.
    frontier = level1.keep(keepAll, links);
    if (keepAll > 0) depth = level + 1;
    if (frontCount > 0) growth = Math.max(1, level1.total / frontCount);
    levelFirst += frontCount;
    frontCount = keepAll;

    const rss = process.memoryUsage.rss();
    if (rss > peakRss) peakRss = rss;
    const now = performance.now();
    if (onProgress !== undefined && now - lastProgressMs >= PROGRESS_MS) {
      lastProgressMs = now;
      onProgress({ states: links.size, transitions, depth, elapsedMs: now - startMs, rssBytes: rss });
    }
  }

  // A worker that died, even one that had no part in the search, is not a complete search.
  for (const r of remotes) if (r.failed !== undefined) throw r.failed;
  const incomplete: Incompleteness | undefined = stop ?? (cut ? 'max-depth' : undefined);
  return {
    complete: incomplete === undefined,
    incomplete,
    states: links.size,
    transitions,
    depth,
    terminals,
    firstViolation,
    store: links,
    schedule: (id) => labelsToSchedule(system, links.labels(id)),
    reducedExpansions,
    elapsedMs: performance.now() - startMs,
    bytesPerState: links.bytesPerState(),
    peakRssBytes: peakRss,
  };
}

/** Runs one phase: the request to every worker, this thread's share meanwhile; replies in order. */
async function phase<R>(remotes: readonly Remote[], msg: (i: number) => WorkerRequest, here: () => R): Promise<R[]> {
  const pending = remotes.map((r, i) => r.request<R>(msg(i + 1)));
  // A rejection while this thread works is picked up by Promise.all below, not left unhandled.
  for (const p of pending) p.catch(() => {});
  const mine = here();
  return [mine, ...(await Promise.all(pending))];
}

/** The winners of a level, chunk by chunk: the serial search's order. */
class LevelWinners {
  /** Per chunk: the thread that expanded it (-1: none), its first index entry, winners, transitions. */
  private readonly thread: Int32Array;
  private readonly first: Int32Array;
  private readonly count: Int32Array;
  private readonly trans: Int32Array;
  /** Per chunk, the level's winners before it (and their total at the end). */
  private readonly base: Int32Array;
  private readonly indexes: Int32Array[];
  readonly total: number;
  readonly transitions: number;

  constructor(
    private readonly won: readonly WinnersReply[],
    chunks: number,
  ) {
    this.thread = new Int32Array(chunks).fill(-1);
    this.first = new Int32Array(chunks);
    this.count = new Int32Array(chunks);
    this.trans = new Int32Array(chunks);
    let transitions = 0;
    won.forEach((w, i) => {
      const h = w.chunks;
      for (let o = 0; o < h.length; o += CHUNK) {
        const c = h[o]!;
        this.thread[c] = i;
        this.first[c] = h[o + 1]!;
        this.count[c] = h[o + 2]!;
        this.trans[c] = h[o + 3]!;
        transitions += h[o + 3]!;
      }
    });
    this.base = new Int32Array(chunks + 1);
    for (let c = 0; c < chunks; c++) this.base[c + 1] = this.base[c]! + this.count[c]!;
    this.total = this.base[chunks]!;
    this.transitions = transitions;
    this.indexes = won.map((w) => new Int32Array(w.index));
  }

  /** [winner, mask] of the winners with a violation no earlier level has, in winner order. */
  violations(): [number, number][] {
    const out: [number, number][] = [];
    for (const w of this.won) {
      for (let o = 0; o < w.masks.length; o += MASK)
        out.push([this.base[w.masks[o]!]! + w.masks[o + 1]!, w.masks[o + 2]!]);
    }
    return out.sort((a, b) => a[0] - b[0]);
  }

  /** Transitions emitted up to winner `g`, its own included. */
  transitionsTo(g: number): number {
    const c = this.chunkOf(g);
    let n = 0;
    for (let k = 0; k < c; k++) n += this.trans[k]!;
    return n + this.entry(c, g)[4]!;
  }

  parentOf(g: number): number {
    return this.entry(this.chunkOf(g), g)[2]!;
  }

  /**
   * Gives ids to the first `keep` winners (their links) and returns them as the next frontier:
   * one piece per chunk that has winners.
   */
  keep(keep: number, links: Links): Frontier {
    const pieces: number[] = [];
    let left = keep;
    for (let c = 0; c < this.count.length && left > 0; c++) {
      const n = Math.min(left, this.count[c]!);
      if (n === 0) continue;
      left -= n;
      const i = this.thread[c]!;
      const x = this.indexes[i]!;
      const first = this.first[c]!;
      for (let k = first; k < first + n; k++) links.add(x[k * INDEX + 2]!, x[k * INDEX + 3]!);
      pieces.push(i, first, n);
    }
    return {
      words: this.won.map((w) => w.words),
      index: this.won.map((w) => w.index),
      pieces: Int32Array.from(pieces),
    };
  }

  /** The chunk holding winner `g` (< total). */
  private chunkOf(g: number): number {
    let lo = 0;
    let hi = this.count.length - 1;
    // The last chunk whose winners start at or before g; it has winners, since g < total.
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.base[mid]! <= g) lo = mid;
      else hi = mid - 1;
    }
    while (this.count[lo] === 0) lo--;
    return lo;
  }

  /** Winner `g`'s `INDEX` words (in chunk `c`). */
  private entry(c: number, g: number): Int32Array {
    const k = this.first[c]! + g - this.base[c]!;
    return this.indexes[this.thread[c]!]!.subarray(k * INDEX, (k + 1) * INDEX);
  }
}

/** The ids of several increasing lists, in increasing order. */
function concatSorted(lists: readonly Int32Array[]): Int32Array {
  if (lists.length === 1) return lists[0]!;
  let n = 0;
  for (const l of lists) n += l.length;
  const out = new Int32Array(n);
  let o = 0;
  for (const l of lists) {
    out.set(l, o);
    o += l.length;
  }
  return out.sort();
}
