// `mmu-litmus matrix`: every scenario × routine variant × secondary kind. A scenario is an ordinary
// test that calls a routine without naming its variant and registers one secondary; each cell
// compiles it with that routine's variant forced, the kernel version the variant belongs to, and
// the secondary registered with another kind, then checks it like `mmu-litmus run`.

import type { LitmusFile } from '../lang/ast.js';
import type { Diagnostic } from '../lang/diagnostic.js';
import { atLeast, isVersion, type KernelVersion } from '../model/version.js';
import { compile } from '../semantics/compile.js';
import type { Prelude } from '../semantics/context.js';
import { check, type Verdict } from './verdict.js';

/** The matrix definition (litmus/matrix.json). */
export interface MatrixSpec {
  /** Routine → its variants, in history order. */
  readonly routines: Readonly<Record<string, readonly string[]>>;
  /** Variant → the kernel version whose notifier semantics it runs with. */
  readonly kernels: Readonly<Record<string, string>>;
  /** Secondary kinds (columns), with an optional first kernel version that has them. */
  readonly kinds: readonly { readonly kind: string; readonly since?: string }[];
  readonly scenarios: readonly {
    readonly file: string;
    readonly routine: string;
    /** The name of the secondary the scenario registers (its kind is replaced per column). */
    readonly secondary: string;
  }[];
}

export type Cell =
  | { readonly kind: 'checked'; readonly verdict: Verdict; readonly replay: string }
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
  }
  return spec;
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
): MatrixResult {
  const rows: MatrixRow[] = [];
  for (const scenario of spec.scenarios) {
    const parsed = load(scenario.file);
    for (const variant of spec.routines[scenario.routine]!) {
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
          variants: new Map([[scenario.routine, variant]]),
          secondaryKinds: new Map([[scenario.secondary, kind]]),
        });
        if (c.program === undefined) {
          cells.push({ kind: 'error', diagnostics: c.diagnostics });
          continue;
        }
        const verdict = check(c.program, {}, undefined, reduce);
        const replay = [
          'mmu-litmus',
          'run',
          displayPath(scenario.file),
          '--kernel',
          kernel,
          '--variant',
          `${scenario.routine}=${variant}`,
          '--secondary',
          `${scenario.secondary}=${kind}`,
        ]
          .map(shellQuote)
          .join(' ');
        cells.push({ kind: 'checked', verdict, replay });
      }
      rows.push({
        scenario: 'kind' in parsed ? parsed.name : scenario.file,
        file: scenario.file,
        routine: scenario.routine,
        variant,
        kernel,
        cells,
      });
    }
  }
  return { kinds: spec.kinds.map((k) => k.kind), rows };
}
