// Runs the explorer on a compiled test and turns the result into a verdict: the herd-style
// observation over distinct final states, the violated properties with their shortest traces,
// and whether the test's expectations hold.

import { type ExploreResult, explore, type ProgressInfo } from '../explore/explorer.js';
import { exploreOnTeam, SearchTeam, type StartThread, type SystemSpec } from '../explore/parallel.js';
import type { Limits, TransitionSystem } from '../explore/system.js';
import type { Machine } from '../model/machine.js';
import { CHECKS, maskNames, PROPERTIES } from '../model/properties.js';
import { evalCond, finalLine } from '../semantics/final.js';
import type { Program } from '../semantics/program.js';
import { LitmusSystem } from '../semantics/system.js';

export type Observation = 'Never' | 'Sometimes' | 'Always';

export interface FoundViolation {
  /** A property, or for `warnings` a review warning. */
  readonly property: string;
  /** Successor indices from the initial state: the shortest trace (BFS). */
  readonly schedule: readonly number[];
}

export interface ExpectationResult {
  readonly ok: boolean;
  /** Why it failed, one sentence each. */
  readonly failures: readonly string[];
  /** The search was cut short, so the expectation could not be settled. */
  readonly undecided: boolean;
}

export interface Verdict {
  readonly program: Program;
  readonly result: ExploreResult;
  /** Distinct final states (sorted lines) and whether the condition holds in each. */
  readonly finals: readonly { readonly line: string; readonly holds: boolean }[];
  readonly positive: number;
  readonly negative: number;
  /** Undefined when the test has no condition, or the search was incomplete and could not decide. */
  readonly observation: Observation | undefined;
  readonly violations: readonly FoundViolation[];
  /** Review warnings (late-invalidate, needless-invalidate), each with its shortest trace. */
  readonly warnings: readonly FoundViolation[];
  readonly expectation: ExpectationResult;
  /**
   * The shortest execution (successor indices) to a final state that answers the condition: one
   * where its proposition holds for `exists` / `~exists`, one where it fails for `forall`.
   * Undefined without a condition or when no final state answers it.
   */
  readonly witness: readonly number[] | undefined;
}

/**
 * Explores `program` and judges it. `reduce` (default on) uses the partial-order reduction,
 * which keeps every verdict, observation and violated property (explore/explorer.ts, semantics/
 * independence.ts); `--no-reduce` turns it off.
 */
export function check(
  program: Program,
  limits: Limits = {},
  onProgress?: (p: ProgressInfo) => void,
  reduce = true,
  /** The system to search; tests pass one that wraps `LitmusSystem` to watch each expansion. */
  system: TransitionSystem<Machine> = new LitmusSystem(program, true),
): Verdict {
  const finals = new Finals(program);
  const onTerminal = finals.onTerminal;
  return verdictOf(
    program,
    finals,
    explore(system, { limits, onTerminal, reduce, ...(onProgress ? { onProgress } : {}) }),
  );
}

/**
 * `check` with one search on `jobs` threads (explore/parallel.ts): the same verdict, traces
 * included. `spec` tells a worker how to build the same system (parallelSystem.ts); `startThread`
 * starts one (src/cli/searchThreads.ts).
 */
export async function checkParallel(
  program: Program,
  spec: SystemSpec,
  jobs: number,
  startThread: StartThread,
  limits: Limits = {},
  onProgress?: (p: ProgressInfo) => void,
  reduce = true,
): Promise<Verdict> {
  const team = new SearchTeam(spec, reduce, jobs - 1, startThread);
  try {
    return await checkOnTeam(program, team, limits, onProgress);
  } finally {
    await team.close();
  }
}

/** `checkParallel` on workers already started (with the reduction or not, as `team` was). */
export async function checkOnTeam(
  program: Program,
  team: SearchTeam,
  limits: Limits = {},
  onProgress?: (p: ProgressInfo) => void,
): Promise<Verdict> {
  const finals = new Finals(program);
  const onTerminal = finals.onTerminal;
  const system = new LitmusSystem(program, true);
  const result = await exploreOnTeam(system, team, {
    limits,
    onTerminal,
    reduce: team.reduce,
    ...(onProgress ? { onProgress } : {}),
  });
  return verdictOf(program, finals, result);
}

/** The distinct final states, gathered from the terminal states in breadth-first order. */
class Finals {
  readonly lines = new Map<string, boolean>();
  /**
   * Terminal states arrive in breadth-first order, so the first one that answers the condition
   * ends a shortest execution.
   */
  witnessId: number | undefined;
  private readonly wanted: boolean;

  constructor(private readonly program: Program) {
    this.wanted = program.condition?.quantifier !== 'forall';
  }

  readonly onTerminal = (id: number, m: Machine): void => {
    const { program } = this;
    if (m.stuck !== 0) return; // a deadlock is not a final state
    if (program.filter !== undefined && !evalCond(program, m, program.filter)) return;
    const line = finalLine(program, m);
    let holds = this.lines.get(line);
    if (holds === undefined) {
      holds = program.condition === undefined || evalCond(program, m, program.condition.cond);
      this.lines.set(line, holds);
    }
    if (this.witnessId === undefined && program.condition !== undefined && holds === this.wanted) this.witnessId = id;
  };
}

function verdictOf(program: Program, finals: Finals, result: ExploreResult): Verdict {
  const witnessId = finals.witnessId;
  const lines = [...finals.lines.entries()]
    .map(([line, holds]) => ({ line, holds }))
    .sort((a, b) => (a.line < b.line ? -1 : a.line > b.line ? 1 : 0));
  const positive = lines.filter((l) => l.holds).length;
  const negative = lines.length - positive;
  let observation: Observation | undefined;
  if (program.condition !== undefined) {
    if (positive > 0 && negative > 0) observation = 'Sometimes';
    else if (result.complete) observation = positive === 0 ? 'Never' : 'Always';
  }
  const violations: FoundViolation[] = [];
  const warnings: FoundViolation[] = [];
  for (let bit = 0; bit < CHECKS.length; bit++) {
    const id = result.firstViolation.get(bit);
    if (id === undefined) continue;
    const found = { property: CHECKS[bit]!, schedule: result.schedule(id) };
    (bit < PROPERTIES.length ? violations : warnings).push(found);
  }
  const expectation = judge(program, result.complete, observation, violations, warnings);
  const witness = witnessId === undefined ? undefined : result.schedule(witnessId);
  return {
    program,
    result,
    finals: lines,
    positive,
    negative,
    observation,
    violations,
    warnings,
    expectation,
    witness,
  };
}

function judge(
  program: Program,
  complete: boolean,
  observation: Observation | undefined,
  violations: readonly FoundViolation[],
  warnings: readonly FoundViolation[],
): ExpectationResult {
  const failures: string[] = [];
  let undecided = false;
  const found = new Set(violations.map((v) => v.property));
  const warned = new Set(warnings.map((v) => v.property));
  const wantWarnings = new Set<string>();
  const items = program.expect ?? [];
  let wantObs: Observation | undefined;
  let wantViolations: Set<string> | undefined;
  for (const item of items) {
    if (item.kind === 'never') wantObs = 'Never';
    else if (item.kind === 'sometimes') wantObs = 'Sometimes';
    else if (item.kind === 'always') wantObs = 'Always';
    else if (item.kind === 'safe') wantViolations ??= new Set();
    else if (item.kind === 'warns') for (const p of item.props) wantWarnings.add(p.name);
    else if (item.kind === 'violates') {
      wantViolations ??= new Set();
      for (const p of item.props) wantViolations.add(p.name);
    }
  }
  if (program.expect === undefined && program.test.resultComment !== undefined) {
    const v = program.test.resultComment.value;
    wantObs = v === 'never' ? 'Never' : v === 'sometimes' ? 'Sometimes' : 'Always';
  }
  wantViolations ??= new Set();
  if (wantObs !== undefined) {
    if (program.condition === undefined)
      failures.push(`The test expects '${wantObs.toLowerCase()}' but has no final condition.`);
    else if (observation === undefined) undecided = true;
    else if (observation !== wantObs)
      failures.push(`Expected the condition to be ${wantObs}, observed ${observation}.`);
  }
  const missing = [...wantViolations].filter((p) => !found.has(p));
  const extra = [...found].filter((p) => !wantViolations.has(p));
  if (extra.length > 0) failures.push(`Unexpected violation${extra.length > 1 ? 's' : ''}: ${extra.join(', ')}.`);
  if (missing.length > 0) {
    if (complete) failures.push(`Expected violation${missing.length > 1 ? 's' : ''} not found: ${missing.join(', ')}.`);
    else undecided = true;
  }
  const missingWarnings = [...wantWarnings].filter((w) => !warned.has(w));
  if (missingWarnings.length > 0) {
    if (complete)
      failures.push(
        `Expected warning${missingWarnings.length > 1 ? 's' : ''} not found: ${missingWarnings.join(', ')}.`,
      );
    else undecided = true;
  }
  // `safe` and `violates P…` name exactly the violated properties: after an incomplete search
  // another property may still be violated in the states not reached, so a match is undecided.
  if (!complete && extra.length === 0) undecided = true;
  return { ok: failures.length === 0 && !undecided, failures, undecided: undecided && failures.length === 0 };
}

export { maskNames };
