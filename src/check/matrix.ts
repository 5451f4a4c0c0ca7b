// `mmu-litmus matrix`: every scenario × routine variant × secondary kind. A scenario is an ordinary
// test that calls a routine without naming its variant and registers one secondary; each cell
// compiles it with that routine's variant forced, the kernel version the variant belongs to, and
// the secondary registered with another kind, then checks it like `mmu-litmus run`.
//
// A scenario names a routine family: the routine its kernel path calls, and from which version
// another one takes over (migration went from try_to_unmap_one() to try_to_migrate_one() in
// v5.14), so every row runs the routine that kernel version runs there. A cell that is free of
// violations is "safe" only if the routine did its work: a kernel WARN_ON reached makes it
// `warn`, and a routine that changed no page-table entry in any execution makes it `vacuous`.

import type { Limits } from '../explore/system.js';
import type { LitmusFile } from '../lang/ast.js';
import type { Diagnostic } from '../lang/diagnostic.js';
import { atLeast, compareVersionNames, isVersion, type KernelVersion, looksLikeVersion } from '../model/version.js';
import { compile } from '../semantics/compile.js';
import type { Prelude } from '../semantics/context.js';
import type { Program } from '../semantics/program.js';
import { check, type Verdict } from './verdict.js';

/** The matrix definition (litmus/matrix.json). */
export interface MatrixSpec {
  /** Routine → its variants, in history order. */
  readonly routines: Readonly<Record<string, readonly string[]>>;
  /** Variant → the kernel version whose notifier semantics it runs with. */
  readonly kernels: Readonly<Record<string, string>>;
  /** Secondary kinds (columns), with an optional first kernel version that has them. */
  readonly kinds: readonly { readonly kind: string; readonly since?: string }[];
  readonly scenarios: readonly MatrixScenario[];
}

export interface MatrixScenario {
  readonly file: string;
  /** The routine the scenario's kernel path calls (in the oldest kernels of the matrix). */
  readonly routine: string;
  /**
   * From which kernel version the path calls another routine instead (each entry replaces the
   * previous one from its `since` on; versions compare by number, so `v5.14` is allowed).
   */
  readonly calls?: readonly { readonly since: string; readonly routine: string }[];
  /** The name of the secondary the scenario registers (its kind is replaced per column). */
  readonly secondary: string;
}

export type Cell =
  | {
      readonly kind: 'checked';
      readonly verdict: Verdict;
      readonly replay: string;
      /** The row's routine wrote a page-table entry in at least one execution. */
      readonly changesPageTable: boolean;
      /**
       * The scenario's `forall` or `~exists` condition (what every execution must satisfy) fails
       * in a final state found: a wrong answer that no property follows is still a wrong answer,
       * so the cell is `unsafe` (a property may flag the same execution too). `exists` conditions
       * are observations and never make a cell unsafe.
       */
      readonly conditionFails: boolean;
    }
  | { readonly kind: 'not-applicable'; readonly why: string }
  | { readonly kind: 'error'; readonly diagnostics: readonly Diagnostic[] };

export interface MatrixRow {
  readonly scenario: string;
  readonly file: string;
  readonly routine: string;
  readonly variant: string;
  readonly kernel: KernelVersion;
  readonly cells: readonly Cell[];
}

export interface MatrixResult {
  readonly kinds: readonly string[];
  readonly rows: readonly MatrixRow[];
}

/** Validates the parsed JSON; returns a sentence describing the first problem, or the spec. */
export function validateSpec(raw: unknown): MatrixSpec | string {
  if (typeof raw !== 'object' || raw === null) return 'the matrix definition is not an object';
  const r = raw as Record<string, unknown>;
  if (typeof r['routines'] !== 'object' || typeof r['kernels'] !== 'object')
    return "the matrix definition needs 'routines' and 'kernels'";
  if (!Array.isArray(r['kinds']) || !Array.isArray(r['scenarios']))
    return "the matrix definition needs 'kinds' and 'scenarios' lists";
  const spec = raw as MatrixSpec;
  for (const [variant, version] of Object.entries(spec.kernels)) {
    if (!isVersion(version)) return `variant ${variant} names an unknown kernel version ${version}`;
  }
  for (const variants of Object.values(spec.routines)) {
    for (const v of variants)
      if (spec.kernels[v] === undefined) return `variant ${v} has no kernel version in 'kernels'`;
  }
  for (const s of spec.scenarios) {
    if (spec.routines[s.routine] === undefined) return `scenario ${s.file} names an unknown routine ${s.routine}`;
    if (s.calls !== undefined && !Array.isArray(s.calls)) return `scenario ${s.file} has a 'calls' that is not a list`;
    for (const c of s.calls ?? []) {
      if (typeof c.since !== 'string' || !looksLikeVersion(c.since))
        return `scenario ${s.file} has a 'calls' entry whose 'since' is not a kernel version`;
      if (spec.routines[c.routine] === undefined)
        return `scenario ${s.file} calls an unknown routine ${String(c.routine)}`;
    }
  }
  return spec;
}

/** The routine scenario `s` calls under kernel `kernel`. */
export function routineAt(s: MatrixScenario, kernel: string): string {
  let routine = s.routine;
  for (const c of s.calls ?? []) if (compareVersionNames(c.since, kernel) <= 0) routine = c.routine;
  return routine;
}

/** Rows of a scenario: every variant of every routine of its family that its path calls. */
function rowsOf(spec: MatrixSpec, s: MatrixScenario): { routine: string; variant: string }[] {
  const family = [s.routine, ...(s.calls ?? []).map((c) => c.routine)].filter((r, i, a) => a.indexOf(r) === i);
  return family.flatMap((routine) =>
    spec.routines[routine]!.filter((variant) => routineAt(s, spec.kernels[variant]!) === routine).map((variant) => ({
      routine,
      variant,
    })),
  );
}

/** Whether a search of `program` saw a step inside `routine@variant` write the page table. */
function routineChangedPageTable(program: Program, label: string): boolean {
  for (let t = 0; t < program.threads.length; t++) {
    const code = program.threads[t]!.code;
    const changed = program.ptChangedAt[t]!;
    for (let pc = 0; pc < code.length; pc++) {
      if (changed[pc] !== 0 && code[pc]!.site.chain.some((f) => f.callee === label)) return true;
    }
  }
  return false;
}

function shellQuote(s: string): string {
  return /^[\w@./+=,:-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** A row of the table before its cells are checked: a scenario and the routine variant it runs. */
export interface PlannedRow {
  readonly scenario: MatrixScenario;
  readonly routine: string;
  readonly variant: string;
  readonly kernel: KernelVersion;
}

/** The rows of the table, in its order: scenarios in the spec's order, then their rows. */
export function matrixPlan(spec: MatrixSpec): PlannedRow[] {
  return spec.scenarios.flatMap((scenario) =>
    rowsOf(spec, scenario).map(({ routine, variant }) => ({
      scenario,
      routine,
      variant,
      kernel: spec.kernels[variant] as KernelVersion,
    })),
  );
}

/** The program of one cell: the scenario with the row's variant, kernel and the column's kind. */
export function compileCell(parsed: LitmusFile, prelude: Prelude, row: PlannedRow, kind: string) {
  return compile(parsed, prelude, {
    kernel: row.kernel,
    variants: new Map([[row.routine, row.variant]]),
    secondaryKinds: new Map([[row.scenario.secondary, kind]]),
  });
}

/**
 * A `forall` condition with a final state where it fails, or a `~exists` condition with one
 * where its proposition holds: the verdict's witness is exactly such a state (check/verdict.ts),
 * found even by a search cut short.
 */
export function safetyConditionFails(v: Verdict): boolean {
  const q = v.program.condition?.quantifier;
  return (q === 'forall' || q === '~exists') && v.witness !== undefined;
}

/** The command that replays one cell (`mmu-litmus run` with the cell's options). */
export function cellReplay(
  row: PlannedRow,
  kind: string,
  displayPath: (file: string) => string,
  conditionFails = false,
): string {
  return [
    'npx',
    'mmu-litmus',
    'run',
    displayPath(row.scenario.file),
    '--kernel',
    row.kernel,
    '--variant',
    `${row.routine}=${row.variant}`,
    '--secondary',
    `${row.scenario.secondary}=${kind}`,
    // The execution where the condition fails: `run --witness` prints it.
    ...(conditionFails ? ['--witness'] : []),
  ]
    .map(shellQuote)
    .join(' ');
}

/**
 * Checks one cell: its scenario (parsed, or its diagnostics) in row `row` and column `column`.
 * Cells are independent of each other: the CLI checks them on several workers (src/cli/pool.ts).
 */
export function matrixCell(
  parsed: LitmusFile | readonly Diagnostic[],
  prelude: Prelude,
  row: PlannedRow,
  column: { readonly kind: string; readonly since?: string },
  displayPath: (file: string) => string,
  reduce = true,
  limits: Limits = {},
): Cell {
  const { kind, since } = column;
  if (!('kind' in parsed)) return { kind: 'error', diagnostics: parsed };
  if (since !== undefined && isVersion(since) && !atLeast(row.kernel, since))
    return { kind: 'not-applicable', why: `${kind} needs kernel ${since} or newer` };
  const c = compileCell(parsed, prelude, row, kind);
  if (c.program === undefined) return { kind: 'error', diagnostics: c.diagnostics };
  const verdict = check(c.program, limits, undefined, reduce);
  const conditionFails = safetyConditionFails(verdict);
  return {
    kind: 'checked',
    verdict,
    replay: cellReplay(row, kind, displayPath, conditionFails),
    changesPageTable: routineChangedPageTable(c.program, `${row.routine}@${row.variant}`),
    conditionFails,
  };
}

/** The table from its planned rows and a cell for each (row index, column index). */
export function assembleMatrix(
  spec: MatrixSpec,
  plan: readonly PlannedRow[],
  parsedOf: (file: string) => LitmusFile | readonly Diagnostic[],
  cellAt: (row: number, column: number) => Cell,
): MatrixResult {
  const rows = plan.map((r, i): MatrixRow => {
    const parsed = parsedOf(r.scenario.file);
    return {
      scenario: 'kind' in parsed ? parsed.name : r.scenario.file,
      file: r.scenario.file,
      routine: r.routine,
      variant: r.variant,
      kernel: r.kernel,
      cells: spec.kinds.map((_, k) => cellAt(i, k)),
    };
  });
  return { kinds: spec.kinds.map((k) => k.kind), rows };
}

export function runMatrix(
  spec: MatrixSpec,
  prelude: Prelude,
  load: (file: string) => LitmusFile | readonly Diagnostic[],
  displayPath: (file: string) => string,
  reduce = true,
  limits: Limits = {},
): MatrixResult {
  const parsed = new Map(spec.scenarios.map((s) => [s.file, load(s.file)]));
  const plan = matrixPlan(spec);
  return assembleMatrix(
    spec,
    plan,
    (f) => parsed.get(f)!,
    (i, k) =>
      matrixCell(parsed.get(plan[i]!.scenario.file)!, prelude, plan[i]!, spec.kinds[k]!, displayPath, reduce, limits),
  );
}
