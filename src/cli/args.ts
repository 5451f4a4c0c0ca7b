// Command-line parsing into a typed Options value; nothing untyped crosses this line.

import { isCheck } from '../model/properties.js';
import { isVersion, type KernelVersion, VERSIONS } from '../model/version.js';

export type Command = 'run' | 'test' | 'matrix' | 'check-patch' | 'show' | 'explain' | 'import' | 'help' | 'version';

export interface Options {
  readonly command: Command;
  readonly operands: readonly string[];
  readonly format: 'text' | 'json';
  readonly schedule: readonly number[] | undefined;
  readonly maxStates: number | undefined;
  readonly maxDepth: number | undefined;
  readonly timeoutMs: number | undefined;
  readonly noCheck: readonly string[];
  readonly kernel: KernelVersion | undefined;
  readonly stats: boolean;
  readonly noReduce: boolean;
  readonly stopAtFirst: boolean;
  /**
   * `--jobs N`: threads for the commands made of independent checks (default: the cores), and for
   * the one search of `run FILE` (default: 1).
   */
  readonly jobs: number | undefined;
  /** `run`: also print the shortest execution that answers the final condition. */
  readonly witness: boolean;
  readonly itf: string | undefined;
  readonly html: string | undefined;
  /** `--variant NAME=VAR`, in command-line order. */
  readonly variants: ReadonlyMap<string, string>;
  /** `--secondary NAME=KIND[@VAR]`. */
  readonly secondaryKinds: ReadonlyMap<string, string>;
  /** `check-patch`: the C file the patch applies to. */
  readonly base: string | undefined;
  /** `check-patch`: the kernel versions of the pre-image and the post-image. */
  readonly kernelBefore: KernelVersion | undefined;
  readonly kernelAfter: KernelVersion | undefined;
  /** `check-patch --kinds K,…`: the secondary kinds to run (all of the matrix's without it). */
  readonly kinds: readonly string[] | undefined;
  /** `check-patch --cell SCENARIO:KIND:before|after`: run that cell alone and print its traces. */
  readonly cell: { readonly scenario: string; readonly kind: string; readonly side: 'before' | 'after' } | undefined;
  /** `import`: `--function NAME`, in command-line order. */
  readonly functions: readonly string[];
  /** `import`: `--variant V` (a bare variant name for this command). */
  readonly importVariant: string | undefined;
  /** `import`: `--config CONFIG_X=y|n`. */
  readonly config: ReadonlyMap<string, boolean>;
  /** `import`: `--output FILE`. */
  readonly output: string | undefined;
}

export class UsageError extends Error {}

const COMMANDS: readonly Command[] = ['run', 'test', 'matrix', 'check-patch', 'show', 'explain', 'import'];

function positiveInt(flag: string, v: string | undefined): number {
  if (v === undefined || !/^\d[\d_]*$/.test(v)) throw new UsageError(`${flag} needs a positive whole number.`);
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`${flag} needs a positive whole number.`);
  return n;
}

export function parseArgs(argv: readonly string[]): Options {
  let command: Command | undefined;
  const operands: string[] = [];
  let format: 'text' | 'json' = 'text';
  let schedule: number[] | undefined;
  let maxStates: number | undefined;
  let maxDepth: number | undefined;
  let timeoutMs: number | undefined;
  const noCheck: string[] = [];
  let kernel: KernelVersion | undefined;
  let stats = false;
  let noReduce = false;
  let stopAtFirst = false;
  let jobs: number | undefined;
  let witness = false;
  let itf: string | undefined;
  let html: string | undefined;
  const variants = new Map<string, string>();
  const secondaryKinds = new Map<string, string>();
  let base: string | undefined;
  let kernelBefore: KernelVersion | undefined;
  let kernelAfter: KernelVersion | undefined;
  let kinds: string[] | undefined;
  let cell: Options['cell'];
  const version = (flag: string, v: string): KernelVersion => {
    if (!isVersion(v)) throw new UsageError(`${flag} is one of ${VERSIONS.join(', ')}, not '${v}'.`);
    return v;
  };
  const functions: string[] = [];
  const rawVariants: string[] = [];
  const config = new Map<string, boolean>();
  let output: string | undefined;
  const pair = (flag: string, v: string, re: RegExp, into: Map<string, string>) => {
    const m = re.exec(v);
    if (m === null) throw new UsageError(`${flag} takes NAME=VALUE, not '${v}'.`);
    into.set(m[1]!, m[2]!);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value.`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        command = 'help';
        break;
      case '--version':
      case '-V':
        command ??= 'version';
        break;
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json') throw new UsageError(`--format is 'text' or 'json', not '${v}'.`);
        format = v;
        break;
      }
      case '--schedule': {
        const v = value();
        if (!/^\d+(\.\d+)*$/.test(v) && v !== '')
          throw new UsageError(`--schedule is a list of step choices such as 0.1.0, not '${v}'.`);
        schedule = v === '' ? [] : v.split('.').map(Number);
        break;
      }
      case '--max-states':
        maxStates = positiveInt(flag, value());
        break;
      case '--max-depth':
        maxDepth = positiveInt(flag, value());
        break;
      case '--timeout': {
        const v = value();
        const s = Number(v);
        if (!Number.isFinite(s) || s <= 0) throw new UsageError(`--timeout needs a number of seconds, not '${v}'.`);
        timeoutMs = s * 1000;
        break;
      }
      case '--no-check':
        for (const p of value().split(',')) {
          if (!isCheck(p)) throw new UsageError(`--no-check: unknown property '${p}' (see 'mmu-litmus explain').`);
          noCheck.push(p);
        }
        break;
      case '--kernel': {
        const v = value();
        if (!isVersion(v)) throw new UsageError(`--kernel is one of ${VERSIONS.join(', ')}, not '${v}'.`);
        kernel = v;
        break;
      }
      case '--base':
        base = value();
        break;
      case '--kernel-before':
        kernelBefore = version(flag, value());
        break;
      case '--kernel-after':
        kernelAfter = version(flag, value());
        break;
      case '--kinds': {
        const v = value();
        if (!/^[A-Za-z_]\w*(@[A-Za-z0-9_.]+)?(,[A-Za-z_]\w*(@[A-Za-z0-9_.]+)?)*$/.test(v))
          throw new UsageError(`--kinds takes secondary kinds separated by commas (e.g. ats,kvm@v4.12), not '${v}'.`);
        kinds = v.split(',');
        break;
      }
      case '--cell': {
        const v = value();
        const m = /^([\w.+-]+):([A-Za-z_]\w*(?:@[A-Za-z0-9_.]+)?):(before|after)$/.exec(v);
        if (m === null)
          throw new UsageError(`--cell takes SCENARIO:KIND:before|after (e.g. writeback:ats:after), not '${v}'.`);
        cell = { scenario: m[1]!, kind: m[2]!, side: m[3] as 'before' | 'after' };
        break;
      }
      case '--stats':
        stats = true;
        break;
      case '--jobs': {
        const v = value();
        const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
        if (!Number.isSafeInteger(n) || n <= 0)
          throw new UsageError(`--jobs needs a positive whole number of worker threads, not '${v}'.`);
        jobs = n;
        break;
      }
      case '--no-reduce':
        noReduce = true;
        break;
      case '--stop-at-first':
        stopAtFirst = true;
        break;
      case '--witness':
        witness = true;
        break;
      case '--itf':
        itf = value();
        break;
      case '--html':
        html = value();
        break;
      case '--variant':
        rawVariants.push(value());
        break;
      case '--function': {
        const v = value();
        if (!/^[A-Za-z_]\w*$/.test(v)) throw new UsageError(`--function takes a C function name, not '${v}'.`);
        functions.push(v);
        break;
      }
      case '--config': {
        const v = value();
        const m = /^(CONFIG_\w+)=([yn])$/.exec(v);
        if (m === null) throw new UsageError(`--config takes CONFIG_NAME=y or CONFIG_NAME=n, not '${v}'.`);
        config.set(m[1]!, m[2] === 'y');
        break;
      }
      case '--output':
        output = value();
        break;
      case '--secondary':
        pair(flag, value(), /^([A-Za-z_]\w*)=([A-Za-z_]\w*(?:@[A-Za-z0-9_.]+)?)$/, secondaryKinds);
        break;
      default:
        if (arg.startsWith('-') && arg !== '-')
          throw new UsageError(`Unknown option '${arg}' (see 'mmu-litmus --help').`);
        if (command === undefined) {
          if (!(COMMANDS as readonly string[]).includes(arg)) {
            throw new UsageError(
              `Unknown command '${arg}': use run, test, matrix, check-patch, show, explain or import.`,
            );
          }
          command = arg as Command;
        } else operands.push(arg);
    }
  }
  let importVariant: string | undefined;
  for (const v of rawVariants) {
    if (command === 'import') {
      if (!/^[A-Za-z0-9_.]+$/.test(v))
        throw new UsageError(`--variant takes a variant name such as 'after', not '${v}'.`);
      importVariant = v;
    } else pair('--variant', v, /^([A-Za-z_]\w*)=([A-Za-z0-9_.]+)$/, variants);
  }
  return {
    command: command ?? 'help',
    operands,
    format,
    schedule,
    maxStates,
    maxDepth,
    timeoutMs,
    noCheck,
    kernel,
    stats,
    noReduce,
    stopAtFirst,
    jobs,
    witness,
    itf,
    html,
    variants,
    secondaryKinds,
    base,
    kernelBefore,
    kernelAfter,
    kinds,
    cell,
    functions,
    importVariant,
    config,
    output,
  };
}

export const HELP = `mmu-litmus — a model checker for the Linux MMU-notifier protocol

Usage:
  mmu-litmus run FILE|DIR…      check tests, print verdicts and shortest traces
  mmu-litmus test [FILE|DIR…]   check expectations; one line per test, then "N passed, N failed"
  mmu-litmus matrix [SPEC]      the seed scenarios × routine variants × secondary kinds table
  mmu-litmus check-patch PATCH --base FILE.c [--kernel-before V] [--kernel-after V] [--kinds K,…]
                                a patch to a C file: the matrix's cells before and after it
  mmu-litmus show [NAME[@VAR]]  print a prelude routine or secondary with its citation (or list them)
  mmu-litmus explain [PROPERTY] what a property means (all of them without an argument)
  mmu-litmus import FILE.c --function NAME…
                                translate kernel C functions into litmus routines, with a report
  mmu-litmus --help | --version

Options:
  --format text|json    output format (json: one versioned document per command, docs/json.md)
  --schedule S          replay one execution: the successor taken at each step, e.g. 0.1.0
  --itf FILE            write the first violation's trace (or the --schedule's) in ITF JSON (one test)
  --html FILE           write a self-contained page to step through every trace (one test, or the matrix)
  --max-states N        stop after N distinct states (the verdict is then INCOMPLETE, exit 3)
  --max-depth N         do not explore beyond N steps (INCOMPLETE if that cut anything)
  --timeout S           stop after S seconds (INCOMPLETE)
  --no-check PROP[,…]   turn properties off
  --kernel VERSION      kernel semantics: v4.12 v4.13 v4.15 v5.5 v5.12 v6.6 v6.10 (overrides the test)
  --variant NAME=VAR    calls of routine NAME without @variant use VAR (e.g. try_to_unmap_one=seed)
  --secondary S=KIND    register the test's secondary S with another kind (e.g. dev=kvm@v4.12)
  --stats               add time, states/s, bytes per stored state and peak memory
  --stop-at-first       end the search at the first violation (INCOMPLETE)
  --witness             also print a shortest execution answering the final condition (run)
  --no-reduce           explore every interleaving (no partial-order reduction)
  --jobs N              threads for run/test of several files, matrix and check-patch (default:
                        the number of cores); for run of one file, its one search on N threads
                        (default: 1: two threads pay off only on searches of several seconds,
                        docs/performance.md); the output is the same whatever N

Import options (docs/import.md):
  --function NAME       a function to import (repeatable; same-file helpers it calls come too)
  --variant V           the variant the routines carry: NAME@V (default: import)
  --kernel VERSION      the mapping rows to use: v4.12 v4.13 v4.15 v6.6 (default: v6.6)
  --config CONFIG_X=y|n the value of a config option for #ifdef / IS_ENABLED (repeatable)
  --output FILE         write the routines and the report to FILE instead of stdout

check-patch options:
  --base FILE.c         the file the patch applies to (exactly, hunk by hunk)
  --kernel-before V     kernel semantics of the pre-image (default: --kernel)
  --kernel-after V      kernel semantics of the post-image (default: --kernel)
  --kinds K,…           only these secondary kinds (columns of litmus/matrix.json)
  --cell S:K:SIDE       run one cell alone (SIDE before or after) and print its traces
                        (--format json: the run document of the cell, docs/json.md)
  --html FILE           also write the before/after table as a page whose cells open their traces

Exit codes: 0 expectations met (or no violation), 1 an expectation failed or a property was
violated, 2 bad input or usage, 3 search incomplete, 4 internal error.

Semantics: sequential consistency between steps (no weak memory ordering); every statement that
touches shared state is one atomic step. The partial-order reduction (on by default) keeps every
property, warning and final state exact for every test; traces are shortest among the
interleavings it keeps (--no-reduce: among all). See docs/language.md and docs/properties.md.
`;
