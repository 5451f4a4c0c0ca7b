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

export function runMatrix(
  spec: MatrixSpec,
  prelude: Prelude,
  load: (file: string) => LitmusFile | readonly Diagnostic[],
  displayPath: (file: string) => string,
  reduce = true,
  limits: Limits = {},
): MatrixResult {
  const rows: MatrixRow[] = [];
  for (const scenario of spec.scenarios) {
    const parsed = load(scenario.file);
    for (const { routine, variant } of rowsOf(spec, scenario)) {
      const kernel = spec.kernels[variant] as KernelVersion;
      const cells: Cell[] = [];
      for (const { kind, since } of spec.kinds) {
        if (!('kind' in parsed)) {
          cells.push({ kind: 'error', diagnostics: parsed });
          continue;
        }
        if (since !== undefined && isVersion(since) && !atLeast(kernel, since)) {
          cells.push({ kind: 'not-applicable', why: `${kind} needs kernel ${since} or newer` });
          continue;
        }
        const c = compile(parsed, prelude, {
          kernel,
          variants: new Map([[routine, variant]]),
          secondaryKinds: new Map([[scenario.secondary, kind]]),
        });
        if (c.program === undefined) {
          cells.push({ kind: 'error', diagnostics: c.diagnostics });
          continue;
        }
        const verdict = check(c.program, limits, undefined, reduce);
        const replay = [
          'npx',
          'mmu-litmus',
          'run',
          displayPath(scenario.file),
          '--kernel',
          kernel,
          '--variant',
          `${routine}=${variant}`,
          '--secondary',
          `${scenario.secondary}=${kind}`,
        ]
          .map(shellQuote)
          .join(' ');
        cells.push({
          kind: 'checked',
          verdict,
          replay,
          changesPageTable: routineChangedPageTable(c.program, `${routine}@${variant}`),
        });
      }
      rows.push({
        scenario: 'kind' in parsed ? parsed.name : scenario.file,
        file: scenario.file,
        routine,
        variant,
        kernel,
        cells,
      });
    }
  }
  return { kinds: spec.kinds.map((k) => k.kind), rows };
}
