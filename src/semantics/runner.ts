// Runs threads: one step of a thread is its next shared instruction (or `choose`), followed by
// the local instructions up to its next scheduling point. After every step the monitors run:
// thread-finish and execution-end checks, dangling-translation and incoherent-translation.
// A state where no thread can move but some has not finished gets one more successor, the
// deadlock pseudo-step, so that the violation has a trace like any other.

import { cloneMachine, FINISHED, type Machine, RUNNING } from '../model/machine.js';
import { DEADLOCK } from '../model/properties.js';
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

/** Runs local instructions from `pc` up to the next scheduling point, then the finish checks. */
export function runLocals(x: Exec, pc: number): void {
  const th = x.th;
  const code = x.prog.threads[x.t]!.code;
  let budget = ATOMIC_BUDGET;
  while (th.status === RUNNING) {
    const ins = code[pc]!;
    if (ins.kind !== 'local') break;
    try {
      pc = ins.run(x);
    } catch (e) {
      throw located(e, ins.site, x);
    }
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
    checkThreadFinish(x);
  }
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
  if (allDone(x.m)) checkExecutionEnd(x);
  checkDangling(x);
  checkCoherence(x);
}

/**
 * Calls `emit` for every successor of `m`, in a fixed order: threads in declaration order, and
 * the branches of a `choose` in source order. `describe` collects what each step did.
 */
export function expand(
  prog: Program,
  m: Machine,
  describe: boolean,
  emit: (next: Machine, info: StepInfo | undefined) => void,
): void {
  if (m.stuck !== 0) return;
  let moved = false;
  let running = false;
  const threads = prog.threads;
  for (let t = 0; t < threads.length; t++) {
    const th0 = m.threads[t]!;
    if (th0.status !== RUNNING) continue;
    running = true;
    const code = threads[t]!.code;
    const ins = code[th0.pc]!;
    if (ins.kind === 'choose') {
      const targets = ins.targets!;
      for (let b = 0; b < targets.length; b++) {
        const next = cloneMachine(m, t);
        const x = new Exec(prog, next, describe);
        x.t = t;
        x.th = next.threads[t]!;
        runLocals(x, targets[b]!);
        afterStep(x);
        moved = true;
        emit(
          next,
          describe ? { thread: t, site: ins.site, branch: b, events: x.events, waiting: undefined } : undefined,
        );
      }
      continue;
    }
    const next = cloneMachine(m, t);
    const x = new Exec(prog, next, describe);
    x.t = t;
    x.th = next.threads[t]!;
    let pc: number;
    try {
      pc = ins.run(x);
    } catch (e) {
      throw located(e, ins.site, x);
    }
    if (pc === BLOCKED || x.blocked) continue;
    runLocals(x, pc);
    afterStep(x);
    moved = true;
    emit(
      next,
      describe ? { thread: t, site: ins.site, branch: undefined, events: x.events, waiting: undefined } : undefined,
    );
  }
  if (!moved && running) {
    const next = cloneMachine(m, -1);
    next.stuck = 1;
    const x = new Exec(prog, next, describe);
    const waiting = describeWaiting(prog, m);
    x.violate(DEADLOCK, () => `no thread can take a step: ${waiting}`);
    emit(next, describe ? { thread: -1, site: undefined, branch: undefined, events: x.events, waiting } : undefined);
  }
}

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
