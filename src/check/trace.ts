// Rebuilds a trace from a schedule (the successor index taken at each step) by replaying it
// with step descriptions on: which thread moved, where in the source, what changed.

import type { Machine } from '../model/machine.js';
import { diffMachines } from '../semantics/describe.js';
import type { Program, Site, ViolationEvent } from '../semantics/program.js';
import { LitmusSystem } from '../semantics/system.js';
import type { FoundViolation } from './verdict.js';

export interface TraceStep {
  /** 1-based step number. */
  readonly index: number;
  /** Thread name, or undefined for the deadlock pseudo-step. */
  readonly thread: string | undefined;
  readonly threadIndex: number;
  readonly site: Site | undefined;
  readonly branch: number | undefined;
  readonly changes: readonly string[];
  readonly events: readonly ViolationEvent[];
  readonly waiting: string | undefined;
  /** The state after the step. */
  readonly state: Machine;
}

/**
 * What a step did, in one phrase: the statement it ran; for a `choose`, the branch taken and the
 * statement it led to (runner.ts `takeStep`), or the branch alone when that statement was blocked.
 */
export function stepStatement(s: TraceStep): string {
  if (s.thread === undefined) return 'deadlock';
  if (s.branch === undefined) return s.site?.text ?? '';
  const chose = `choose: branch ${s.branch + 1}`;
  return s.site === undefined || s.site.text === 'choose' ? chose : `${chose}, ${s.site.text}`;
}

export type Replay =
  | { readonly ok: true; readonly initial: Machine; readonly steps: readonly TraceStep[] }
  | { readonly ok: false; readonly step: number; readonly available: number };

export function replay(program: Program, schedule: readonly number[]): Replay {
  const system = new LitmusSystem(program);
  let state = system.initial();
  const initial = state;
  const steps: TraceStep[] = [];
  for (let i = 0; i < schedule.length; i++) {
    const succ = system.describe(state);
    const pick = succ[schedule[i]!];
    if (pick === undefined) return { ok: false, step: i + 1, available: succ.length };
    const info = pick.info;
    steps.push({
      index: i + 1,
      thread: info.thread >= 0 ? program.threads[info.thread]!.name : undefined,
      threadIndex: info.thread,
      site: info.site,
      branch: info.branch,
      changes: diffMachines(program, state, pick.next, info.thread),
      events: info.events,
      waiting: info.waiting,
      state: pick.next,
    });
    state = pick.next;
  }
  return { ok: true, initial, steps };
}

/**
 * The steps of a schedule the search reported, replayed; none if it does not replay (a search's
 * schedules always do: the reduction and catalogue tests check it).
 */
export function replaySteps(program: Program, schedule: readonly number[]): readonly TraceStep[] {
  const r = replay(program, schedule);
  return r.ok ? r.steps : [];
}

/** A violation or review warning the search found, with its trace and the state it starts from. */
export interface FoundTrace {
  readonly v: FoundViolation;
  readonly steps: readonly TraceStep[];
  readonly initial: Machine;
}

export function foundTrace(program: Program, v: FoundViolation): FoundTrace {
  const r = replay(program, v.schedule);
  return r.ok ? { v, steps: r.steps, initial: r.initial } : { v, steps: [], initial: program.initial };
}
