// Runs threads: one step of a thread is its next shared instruction (or `choose`), followed by
// the local instructions up to its next scheduling point. After every step the monitors run:
// thread-finish and execution-end checks, dangling-translation and incoherent-translation.
// A state where no thread can move but some has not finished gets one more successor, the
// deadlock pseudo-step, so that the violation has a trace like any other.

import { cloneMachine, FINISHED, type Machine, RUNNING, RWSEM_WRITER, truncate } from '../model/machine.js';
import { DEADLOCK } from '../model/properties.js';
import { copyMachine, newScratch, type Scratch } from '../model/scratch.js';
import { conflictsWithFuture, coveredBy, type ThreadTables } from './independence.js';
import { checkLostUpdates } from './lostUpdate.js';
import { allDone, checkCoherence, checkDangling, checkExecutionEnd, checkThreadFinish, ModelError } from './mm.js';
import { BLOCKED, Exec, type Program, type Site, type ViolationEvent } from './program.js';
import { ATOMIC_BUDGET, LoopError } from './stmt.js';

/** What a step did, for traces. */
export interface StepInfo {
  /** The thread that moved, or -1 for the deadlock pseudo-step. */
  readonly thread: number;
  readonly site: Site | undefined;
  /** The branch taken by a `choose` (0-based). */
  readonly branch: number | undefined;
  readonly events: readonly ViolationEvent[];
  /** For the deadlock pseudo-step: who waits where. */
  readonly waiting: string | undefined;
}

/** A model error raised while running an instruction, with where it happened. */
export class RuntimeModelError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly site: Site,
    readonly thread: string,
  ) {
    super(message);
  }
}

/**
 * Runs local instructions from `pc` up to the next scheduling point, then the finish checks.
 * With `reduction` (the reduction's tables for this thread), stops and returns false at the first
 * local instruction that may touch more than the step that started at `from` declares
 * (independence.ts), leaving `x.m` half-built.
 */
export function runLocals(x: Exec, pc: number, reduction?: ThreadTables, from = 0): boolean {
  const th = x.th;
  const code = x.prog.threads[x.t]!.code;
  const floor = x.prog.threads[x.t]!.floor;
  let budget = ATOMIC_BUDGET;
  while (th.status === RUNNING) {
    const ins = code[pc]!;
    if (ins.kind !== 'local') break;
    if (reduction !== undefined && !coveredBy(reduction, from, pc)) return false;
    const at = pc;
    try {
      pc = ins.run(x);
    } catch (e) {
      throw located(e, ins.site, x);
    }
    if (pc < floor[at]!) unrecordedJump(x, at, pc);
    if (--budget === 0) {
      throw new RuntimeModelError(
        'ML4001',
        `Thread ${x.prog.threads[x.t]!.name} runs more than ${ATOMIC_BUDGET} local statements without a step: a loop that never touches shared state never ends.`,
        ins.site,
        x.prog.threads[x.t]!.name,
      );
    }
  }
  th.pc = pc;
  if (th.status === RUNNING && code[pc]!.kind === 'end') {
    th.status = FINISHED;
    if (th.gather.length > 0) {
      // The kernel's gather is a local of the function that unmaps: it cannot outlive it.
      const name = x.prog.threads[x.t]!.name;
      throw new RuntimeModelError(
        'ML4053',
        `Thread ${name} ends with its mmu_gather still in use: tlb_finish_mmu() was never called, so its flush and its pages are lost.`,
        code[pc]!.site,
        name,
      );
    }
    if (th.mmap !== 0) {
      const name = x.prog.threads[x.t]!.name;
      throw new RuntimeModelError(
        'ML4054',
        `Thread ${name} ends holding mmap_lock for ${th.mmap >= RWSEM_WRITER ? 'write' : 'read'}, which it never released.`,
        code[pc]!.site,
        name,
      );
    }
    checkThreadFinish(x);
  }
  return true;
}

/**
 * A jump below the recorded floor would make the reduction's bound on what a thread may still do
 * wrong (independence.ts): refuse to go on rather than risk a wrong verdict.
 */
function unrecordedJump(x: Exec, from: number, to: number): never {
  throw new Error(
    `internal error: thread ${x.prog.threads[x.t]!.name} jumped from pc ${from} back to ${to}, below its recorded floor; rerun with --no-reduce`,
  );
}

function located(e: unknown, site: Site, x: Exec): unknown {
  const thread = x.prog.threads[x.t]!.name;
  if (e instanceof ModelError) return new RuntimeModelError(e.code, e.message, site, thread);
  if (e instanceof LoopError) {
    return new RuntimeModelError(
      'ML4001',
      `An atomic block in thread ${thread} runs more than ${ATOMIC_BUDGET} statements.`,
      site,
      thread,
    );
  }
  return e;
}

function afterStep(x: Exec): void {
  if (allDone(x.m)) {
    checkExecutionEnd(x);
    checkLostUpdates(x);
  }
  checkDangling(x);
  checkCoherence(x);
}

/**
 * A step's label: which thread moved and which branch of a `choose` it took. Labels identify a
 * successor independently of which other successors were generated (the reduction generates
 * only some); a schedule, the user-facing form, is the index in the full order instead.
 */
export function stepLabel(thread: number, branch: number): number {
  return (thread << 8) | branch;
}

/** The thread of a step's label (not of the deadlock pseudo-step's). */
export function labelThread(label: number): number {
  return label >> 8;
}

/** The label of the deadlock pseudo-step. */
export const DEADLOCK_LABEL = 0xffff;

/**
 * Storage a search reuses for the successors it builds: each one is encoded and dropped before
 * its slot is used again, so a step allocates no machine and no context (the hot path). Slot b
 * holds branch b of a persistent set, whose branches are all built before any is emitted.
 */
export class StepPool {
  private readonly scratch: Scratch[] = [];
  private readonly execs: Exec[] = [];

  constructor(private readonly prog: Program) {}

  /** A copy of `m` in slot `slot` (see `copyMachine`), with a fresh context to step it in. */
  exec(slot: number, m: Machine, thread: number): Exec {
    while (this.scratch.length <= slot) {
      const s = newScratch();
      this.scratch.push(s);
      this.execs.push(new Exec(this.prog, s.m, false, s));
    }
    const next = copyMachine(this.scratch[slot]!, m, thread);
    const x = this.execs[slot]!;
    x.m = next;
    x.blocked = false;
    x.sec = -1;
    return x;
  }
}

/**
 * Runs branch `branch` of thread t's next step (0 unless it is a `choose`) on a copy of `m`, then
 * the monitors. Returns the context the step ran in (its machine is `x.m`), or undefined when the
 * step cannot be taken: blocked, or, with `reduction`, followed by a local instruction that
 * touches more than registers. With `pool`, the copy is made in the pool's slot `slot`.
 */
function takeStep(
  prog: Program,
  m: Machine,
  t: number,
  branch: number,
  describe: boolean,
  reduction: ThreadTables | undefined,
  pool: StepPool | undefined,
  slot: number,
): Exec | undefined {
  const from = m.threads[t]!.pc;
  const ins = prog.threads[t]!.code[from]!;
  refused = false;
  stepSite = ins.site;
  const x = pool !== undefined ? pool.exec(slot, m, t) : new Exec(prog, cloneMachine(m, t), describe);
  x.t = t;
  x.th = x.m.threads[t]!;
  if (ins.kind === 'choose') {
    // The branch taken, its local instructions, and the shared instruction they lead to, as one
    // step (docs/language.md §1): the choice is the thread's own, so other threads' steps commute
    // with it and nothing is lost by taking it together with what follows. When that instruction
    // is blocked, the step is the choice alone (the thread then waits on its branch, as it may).
    if (!runLocals(x, ins.targets![branch]!, reduction, from)) {
      refused = true;
      return undefined;
    }
    const at = x.th.pc;
    if (prog.chooseAlone || x.th.status !== RUNNING || prog.threads[t]!.code[at]!.kind !== 'shared') {
      afterStep(x);
      return x;
    }
    const next = runShared(prog, m, x, t, at, reduction, from, pool);
    if (next !== undefined) return next;
    if (refused) return undefined;
    // Blocked: the choice alone, on a fresh copy (the blocked instruction may have written some).
    stepSite = ins.site;
    const y = pool !== undefined ? pool.exec(slot, m, t) : new Exec(prog, cloneMachine(m, t), describe);
    y.t = t;
    y.th = y.m.threads[t]!;
    runLocals(y, ins.targets![branch]!, reduction, from);
    afterStep(y);
    return y;
  }
  return runShared(prog, m, x, t, from, reduction, from, pool);
}

/**
 * Runs thread t's shared instruction at `at` in `x` and the local instructions after it, then the
 * monitors; undefined when it is blocked or (setting `refused`) when, with `reduction`, a local
 * instruction touches more than the step that started at `from` declares.
 */
function runShared(
  prog: Program,
  m: Machine,
  x: Exec,
  t: number,
  at: number,
  reduction: ThreadTables | undefined,
  from: number,
  pool: StepPool | undefined,
): Exec | undefined {
  const ins = prog.threads[t]!.code[at]!;
  stepSite = ins.site;
  let pc: number;
  try {
    pc = ins.run(x);
  } catch (e) {
    throw located(e, ins.site, x);
  }
  if (pc === BLOCKED || x.blocked) return undefined;
  if (pc < prog.threads[t]!.floor[at]!) unrecordedJump(x, at, pc);
  // A pooled successor shares its parent's page table until a write copies it (copy-on-write),
  // so a new array means this instruction wrote an entry; local instructions cannot.
  if (pool !== undefined && x.m.pt !== m.pt) prog.ptChangedAt[t]![at] = 1;
  if (!runLocals(x, pc, reduction, from)) {
    refused = true;
    return undefined;
  }
  afterStep(x);
  return x;
}

/**
 * Set by `takeStep` when it returned no successor because, with the reduction, the step ran a
 * local instruction its footprint does not cover (rather than because it is blocked).
 */
let refused = false;

/** The site of the last instruction `takeStep` ran (a `choose`'s, or the statement it led to). */
let stepSite: Site | undefined;

/** Successors of thread t's next step: one per branch of a `choose`, else one. */
function branchesOf(prog: Program, m: Machine, t: number): number {
  const ins = prog.threads[t]!.code[m.threads[t]!.pc]!;
  return ins.kind === 'choose' ? ins.targets!.length : 1;
}

/**
 * Calls `emit` for every successor of `m`, in a fixed order: threads in declaration order, and
 * the branches of a `choose` in source order. `describe` collects what each step did. With `pool`
 * (not with `describe`), a successor lives in the pool's storage and only until `emit` returns.
 * The threads in the bit mask `skip` are left out: the caller holds their successors already, at
 * least one of them (a persistent set the cycle proviso refused), so there is no deadlock.
 */
export function expand(
  prog: Program,
  m: Machine,
  describe: boolean,
  emit: (next: Machine, label: number, info: StepInfo | undefined) => void,
  pool?: StepPool,
  skip = 0,
): void {
  if (m.stuck !== 0) return;
  let moved = skip !== 0;
  let running = false;
  const threads = prog.threads;
  for (let t = 0; t < threads.length; t++) {
    if (m.threads[t]!.status !== RUNNING || (skip & (1 << t)) !== 0) continue;
    running = true;
    const ins = threads[t]!.code[m.threads[t]!.pc]!;
    const n = branchesOf(prog, m, t);
    for (let b = 0; b < n; b++) {
      const x = takeStep(prog, m, t, b, describe, undefined, pool, 0);
      if (x === undefined) continue;
      moved = true;
      emit(
        x.m,
        stepLabel(t, b),
        describe
          ? {
              thread: t,
              site: stepSite,
              branch: ins.kind === 'choose' ? b : undefined,
              events: x.events,
              waiting: undefined,
            }
          : undefined,
      );
    }
  }
  if (!moved && running) {
    const x = pool !== undefined ? pool.exec(0, m, -1) : new Exec(prog, cloneMachine(m, -1), describe);
    const next = x.m;
    next.stuck = 1;
    const waiting = describeWaiting(prog, m);
    x.violate(DEADLOCK, () => `no thread can take a step: ${waiting}`);
    emit(
      next,
      DEADLOCK_LABEL,
      describe ? { thread: -1, site: undefined, branch: undefined, events: x.events, waiting } : undefined,
    );
  }
}

/**
 * The partial-order reduction's expansion: a persistent set of threads, found by the conflict
 * closure. From each running thread, the set grows by every running thread whose future (from its
 * floor) conflicts with the current step of a thread already in it (independence.ts), until it is
 * closed. Nothing the threads outside a closed set can do, whatever they do first, depends on the
 * steps of the set, enables or disables them: so a closed set that is not every running thread
 * and has an enabled step is persistent, and its successors (every enabled step of its threads,
 * every branch of a `choose`) are emitted alone. A blocked step's footprint includes what it
 * waits for (a lock, a variable), so the threads that could enable it join. The smallest closed
 * proper set is taken (the first start thread's on a tie); when a step in it runs a local
 * instruction outside its footprint, the next smallest. Returns false, having emitted nothing,
 * when no set qualifies; the caller then expands `m` fully. The caller also owns the cycle
 * proviso (explorer.ts).
 */
export function expandPersistent(
  prog: Program,
  m: Machine,
  emit: (next: Machine, label: number) => void,
  pool?: StepPool,
): boolean {
  const red = prog.reduction;
  if (red === undefined || m.stuck !== 0) return false;
  const n = prog.threads.length;
  let runningMask = 0;
  for (let t = 0; t < n; t++) if (m.threads[t]!.status === RUNNING) runningMask |= 1 << t;
  const outs = pool === undefined ? [] : persistentOuts;
  const labels = persistentLabels;
  // Candidate sets, each closed and proper, at most one per start thread. A set of one thread is
  // as small as any: it is tried at once (the first start thread's first).
  let found = 0;
  for (let t = 0; t < n; t++) {
    if ((runningMask & (1 << t)) === 0) continue;
    const set = closure(red.threads, m, t, runningMask);
    if (set === runningMask) continue;
    if (set === 1 << t) {
      if (buildSet(prog, m, set, outs, labels, pool)) return emitSet(outs, labels, emit);
      continue;
    }
    let seen = false;
    for (let i = 0; i < found; i++) if (candidateSets[i] === set) seen = true;
    if (!seen) candidateSets[found++] = set;
  }
  while (found > 0) {
    // The smallest remaining candidate (the first on a tie).
    let best = 0;
    for (let i = 1; i < found; i++) if (popcount(candidateSets[i]!) < popcount(candidateSets[best]!)) best = i;
    const set = candidateSets[best]!;
    for (let i = best + 1; i < found; i++) candidateSets[i - 1] = candidateSets[i]!;
    found--;
    if (buildSet(prog, m, set, outs, labels, pool)) return emitSet(outs, labels, emit);
  }
  truncate(outs, 0);
  truncate(labels, 0);
  return false;
}

function emitSet(outs: Machine[], labels: number[], emit: (next: Machine, label: number) => void): true {
  for (let i = 0; i < outs.length; i++) emit(outs[i]!, labels[i]!);
  truncate(outs, 0);
  truncate(labels, 0);
  return true;
}

/** The conflict closure from thread `start` among the running threads (bit masks). */
function closure(tables: readonly ThreadTables[], m: Machine, start: number, runningMask: number): number {
  let set = 1 << start;
  let frontier = set;
  while (frontier !== 0) {
    const v = 31 - Math.clz32(frontier & -frontier);
    frontier &= ~(1 << v);
    const tv = tables[v]!;
    const pv = m.threads[v]!.pc;
    let others = runningMask & ~set;
    while (others !== 0) {
      const u = 31 - Math.clz32(others & -others);
      others &= ~(1 << u);
      if (conflictsWithFuture(tv, pv, tables[u]!, m.threads[u]!.pc)) {
        set |= 1 << u;
        frontier |= 1 << u;
      }
    }
  }
  return set;
}

/**
 * Builds the successors of every thread of `set` into `outs` and `labels`; false when one of its
 * steps is refused (a local instruction outside its footprint) or none is enabled.
 */
function buildSet(
  prog: Program,
  m: Machine,
  set: number,
  outs: Machine[],
  labels: number[],
  pool: StepPool | undefined,
): boolean {
  const red = prog.reduction!;
  truncate(outs, 0);
  truncate(labels, 0);
  let rest = set;
  while (rest !== 0) {
    const t = 31 - Math.clz32(rest & -rest);
    rest &= ~(1 << t);
    const branches = branchesOf(prog, m, t);
    for (let b = 0; b < branches; b++) {
      const x = takeStep(prog, m, t, b, false, red.threads[t], pool, outs.length);
      if (refused) return false;
      if (x === undefined) continue;
      outs.push(x.m);
      labels.push(stepLabel(t, b));
    }
  }
  return outs.length > 0;
}

function popcount(v: number): number {
  let c = 0;
  for (let x = v; x !== 0; x &= x - 1) c++;
  return c;
}

/** The closed proper sets found for the state being expanded (one per start thread at most). */
const candidateSets = new Int32Array(32);

/** The persistent set's successors while they are built, when they live in a pool's slots. */
const persistentOuts: Machine[] = [];
const persistentLabels: number[] = [];

function describeWaiting(prog: Program, m: Machine): string {
  const parts: string[] = [];
  prog.threads.forEach((t, i) => {
    const th = m.threads[i]!;
    if (th.status !== RUNNING) return;
    const site = t.code[th.pc]!.site;
    parts.push(`${t.name} waits at ${site.text}`);
  });
  return parts.join('; ');
}
