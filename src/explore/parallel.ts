// One breadth-first search on several threads: level-synchronous, over a shared fingerprint table
// (a SharedArrayBuffer), with the serial explorer's results to the bit: the same states with the
// same ids, parent links and labels (so the same traces), the same transitions, terminals (reported
// in the same order), first violations, reduced expansions and limits.
//
// Each level's frontier (states with consecutive ids) is split into contiguous slices, one per
// thread (this one included). The phases of a level are in levelWorker.ts: every thread expands
// its slice and keeps the successors not seen in earlier levels as candidates; the candidates are
// claimed in the shared table, where a fingerprint keeps the smallest key (slice, then emission
// order: the order in which the serial search would have met them); the winners take the next ids
// in that order. A state is thus first reached from the same parent by the same transition as in
// the serial search, whichever thread got there first.
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
import { type ExpandReply, LevelWorker, SLOT, type WinnersReply } from './levelWorker.js';
import { labelsToSchedule } from './replay.js';
import type { Incompleteness, TransitionSystem } from './system.js';

/** How a worker builds its transition system: `(await import(module)).createSystem(data)`. */
export interface SystemSpec {
  /** A file URL of a built (.js) module. */
  readonly module: string;
  /** Plain data (structured-clonable). */
  readonly data: unknown;
}

export type WorkerRequest =
  | {
      readonly type: 'expand';
      readonly table: SharedArrayBuffer;
      readonly front: SharedArrayBuffer;
      readonly starts: SharedArrayBuffer;
      readonly from: number;
      readonly to: number;
      readonly levelFirst: number;
      readonly level: number;
      readonly expandLevel: boolean;
      readonly deadlineMs: number;
    }
  | { readonly type: 'claim'; readonly table: SharedArrayBuffer; readonly keyBase: number }
  | { readonly type: 'winners' }
  | {
      readonly type: 'commit';
      readonly keep: number;
      readonly front: SharedArrayBuffer;
      readonly starts: SharedArrayBuffer;
      readonly wordOffset: number;
      readonly stateOffset: number;
      readonly stopParent: number;
    };

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
  readonly ready: Promise<unknown>;

  constructor(readonly worker: SearchThread) {
    this.ready = new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
    });
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
  const limits = options.limits ?? {};
  const maxStates = limits.maxStates ?? Number.POSITIVE_INFINITY;
  const maxDepth = limits.maxDepth ?? Number.POSITIVE_INFINITY;
  const timeoutMs = limits.timeoutMs ?? Number.POSITIVE_INFINITY;
  const stopAtFirst = limits.stopAtFirst === true;
  const { onTerminal, onProgress } = options;
  const reduce = options.reduce === true;
  const startMs = performance.now();
  const deadlineMs = startMs + timeoutMs;
  let peakRss = process.memoryUsage.rss();
  let lastProgressMs = startMs;

  const remotes: Remote[] = [];
  try {
    for (let i = 1; i < jobs; i++) remotes.push(new Remote(startThread({ spec, reduce })));
    const here = new LevelWorker(system, reduce);

    // The shared table; grown (by this thread, between phases) to stay under a load of 5/8.
    let tableCap = 1 << 12;
    let tableBuf = new SharedArrayBuffer(tableCap * SLOT * 4);
    let table = new Int32Array(tableBuf);
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
    const insertSlot = (t: Int32Array, mask: number, hi: number, lo: number, key: number): void => {
      let slot = lo & mask;
      while (t[slot * SLOT] !== 0) slot = (slot + 1) & mask;
      const b = slot * SLOT;
      t[b] = 2;
      t[b + 1] = hi;
      t[b + 2] = lo;
      t[b + 3] = key;
    };
    const growTable = (need: number): void => {
      let cap = tableCap;
      while (need > Math.floor((cap * 5) / 8)) cap *= 2;
      if (cap === tableCap) return;
      const buf = new SharedArrayBuffer(cap * SLOT * 4);
      const t = new Int32Array(buf);
      for (let b = 0; b < table.length; b += SLOT) {
        if (table[b] !== 0) insertSlot(t, cap - 1, table[b + 1]!, table[b + 2]!, table[b + 3]!);
      }
      tableBuf = buf;
      table = t;
      tableCap = cap;
    };

    // The initial state: level 0's frontier.
    const init = system.initial();
    const initWords: number[] = [];
    system.encode(init, { push: (w) => initWords.push(w) });
    const fp = new Uint32Array(2);
    fingerprint(initWords, 0, initWords.length, fp);
    insertSlot(table, tableCap - 1, fp[0]! | 0, fp[1]! | 0, 0);
    tableCount = 1;
    links.add(-1, 0);
    if (noteViolations(0, system.violations(init))) stop = 'stop-at-first';
    let front = new SharedArrayBuffer(Math.max(4, initWords.length * 4));
    new Int32Array(front).set(initWords);
    let starts = new SharedArrayBuffer(8);
    new Int32Array(starts).set([0, initWords.length]);
    let frontCount = 1;
    let levelFirst = 0;

    await Promise.all(remotes.map((r) => r.ready));
    const threads = remotes.length + 1;
    for (let level = 0; frontCount > 0 && stop === undefined; level++) {
      if (performance.now() >= deadlineMs) {
        stop = 'timeout';
        break;
      }
      const expandLevel = level < maxDepth;
      // Slices: thread 0 is this one.
      const bounds = Array.from({ length: threads + 1 }, (_, i) => Math.floor((frontCount * i) / threads));
      const expandMsg = (i: number): WorkerRequest => ({
        type: 'expand',
        table: tableBuf,
        front,
        starts,
        from: bounds[i]!,
        to: bounds[i + 1]!,
        levelFirst,
        level,
        expandLevel,
        deadlineMs,
      });
      here.setTable(table);
      const expanded = await phase<ExpandReply>(remotes, expandMsg, () =>
        here.expand(
          new Int32Array(front),
          new Int32Array(starts),
          bounds[0]!,
          bounds[1]!,
          levelFirst,
          level,
          expandLevel,
          deadlineMs,
        ),
      );
      if (expanded.some((r) => r.timedOut)) {
        stop = 'timeout';
        break;
      }
      let candidates = 0;
      const keyBases = expanded.map((r) => {
        const k = candidates;
        candidates += r.candidates;
        return k;
      });
      growTable(tableCount + candidates);
      here.setTable(table);
      await phase<unknown>(
        remotes,
        (i) => ({ type: 'claim', table: tableBuf, keyBase: keyBases[i]! }),
        () => here.claim(keyBases[0]!),
      );
      const won = await phase<WinnersReply>(
        remotes,
        () => ({ type: 'winners' }),
        () => here.findWinners(),
      );

      // Where the serial search would have stopped in this level: at the winner that exceeds
      // maxStates (not stored), or just after the first one with a fresh violation.
      let total = 0;
      for (const w of won) total += w.parents.length;
      tableCount += total;
      let keepAll = total;
      let stopTransitions = -1;
      let stopParent = Number.POSITIVE_INFINITY;
      const room = maxStates - links.size;
      if (total > room) {
        keepAll = Math.max(0, room);
        const at = locate(won, keepAll);
        stop = 'max-states';
        stopTransitions = prefixTransitions(expanded, at.thread) + won[at.thread]!.ordinals[at.k]!;
        stopParent = won[at.thread]!.parents[at.k]!;
      }
      // Violations, in id order, among the winners kept.
      let index = 0;
      violations: for (const w of won) {
        for (let j = 0; j < w.masks.length; j += 2) {
          const g = index + w.masks[j]!;
          if (g >= keepAll) break violations;
          if (noteViolations(links.size + g, w.masks[j + 1]!)) {
            const at = locate(won, g);
            stop = 'stop-at-first';
            keepAll = g + 1;
            stopTransitions = prefixTransitions(expanded, at.thread) + won[at.thread]!.ordinals[at.k]!;
            stopParent = won[at.thread]!.parents[at.k]!;
            break violations;
          }
        }
        index += w.parents.length;
      }
      transitions += stopTransitions >= 0 ? stopTransitions : prefixTransitions(expanded, threads);

      // Terminal states before the stopping parent, in id order.
      for (const r of expanded) {
        let p = 0;
        for (let k = 0; k < r.terminalIds.length; k++) {
          const id = r.terminalIds[k]!;
          const len = r.terminalWords[p]!;
          if (id >= stopParent) break;
          terminals++;
          onTerminal?.(id, system.decode(r.terminalWords, p + 1, len));
          p += 1 + len;
        }
        cut ||= r.cut;
      }

      // The kept winners: ids, links and the next frontier.
      const keeps: number[] = [];
      let words = 0;
      let left = keepAll;
      for (const w of won) {
        const keep = Math.min(left, w.parents.length);
        left -= keep;
        keeps.push(keep);
        for (let k = 0; k < keep; k++) {
          links.add(w.parents[k]!, w.labels[k]!);
          words += w.lengths[k]!;
        }
      }
      if (keepAll > 0) depth = level + 1;
      const nextFront = new SharedArrayBuffer(Math.max(4, words * 4));
      const nextStarts = new SharedArrayBuffer((keepAll + 1) * 4);
      const wordOffsets: number[] = [];
      const stateOffsets: number[] = [];
      let wo = 0;
      let so = 0;
      for (let i = 0; i < threads; i++) {
        wordOffsets.push(wo);
        stateOffsets.push(so);
        for (let k = 0; k < keeps[i]!; k++) wo += won[i]!.lengths[k]!;
        so += keeps[i]!;
      }
      new Int32Array(nextStarts)[keepAll] = words;
      const commitMsg = (i: number): WorkerRequest => ({
        type: 'commit',
        keep: keeps[i]!,
        front: nextFront,
        starts: nextStarts,
        wordOffset: wordOffsets[i]!,
        stateOffset: stateOffsets[i]!,
        stopParent,
      });
      const reduced = await phase<number>(remotes, commitMsg, () =>
        here.commit(
          keeps[0]!,
          new Int32Array(nextFront),
          new Int32Array(nextStarts),
          wordOffsets[0]!,
          stateOffsets[0]!,
          stopParent,
        ),
      );
      for (const n of reduced) reducedExpansions += n;
      levelFirst += frontCount;
      frontCount = keepAll;
      front = nextFront;
      starts = nextStarts;

      const rss = process.memoryUsage.rss();
      if (rss > peakRss) peakRss = rss;
      const now = performance.now();
      if (onProgress !== undefined && now - lastProgressMs >= PROGRESS_MS) {
        lastProgressMs = now;
        onProgress({ states: links.size, transitions, depth, elapsedMs: now - startMs, rssBytes: rss });
      }
    }

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
  } finally {
    await Promise.all(remotes.map((r) => r.close()));
  }
}

/** Runs one phase: the request to every worker, this thread's share meanwhile; replies in order. */
async function phase<R>(remotes: readonly Remote[], msg: (i: number) => WorkerRequest, here: () => R): Promise<R[]> {
  const pending = remotes.map((r, i) => r.request<R>(msg(i + 1)));
  // A rejection while this thread works is picked up by Promise.all below, not left unhandled.
  for (const p of pending) p.catch(() => {});
  const mine = here();
  return [mine, ...(await Promise.all(pending))];
}

/** The thread and index within its winners of the global winner `g`. */
function locate(won: readonly WinnersReply[], g: number): { thread: number; k: number } {
  let rest = g;
  for (let i = 0; i < won.length; i++) {
    if (rest < won[i]!.parents.length) return { thread: i, k: rest };
    rest -= won[i]!.parents.length;
  }
  throw new Error(`winner ${g} out of range`);
}

/** Transitions of the slices before `thread`. */
function prefixTransitions(expanded: readonly ExpandReply[], thread: number): number {
  let n = 0;
  for (let i = 0; i < thread; i++) n += expanded[i]!.transitions;
  return n;
}
