// The independent checks of `run`, `test` and `matrix` as tasks: plain data a worker thread can
// receive (a file path, a matrix cell number, the options), the function that does one in any
// thread, and `runJobs`, which does them all, in this thread with `--jobs 1` (or one task) and on
// the pool otherwise (pool.ts), giving results in task order either way.

import {
  assembleMatrix,
  type Cell,
  compileCell,
  type MatrixResult,
  type MatrixSpec,
  matrixPlan,
} from '../check/matrix.js';
import type { Verdict } from '../check/verdict.js';
import type { ExploreResult } from '../explore/explorer.js';
import type { Limits } from '../explore/system.js';
import type { LitmusFile } from '../lang/ast.js';
import type { Diagnostic } from '../lang/diagnostic.js';
import { parseLitmus, parsePrelude } from '../lang/parser.js';
import { sourceFile } from '../lang/source.js';
import { withImported } from '../patch/check.js';
import type { Prelude } from '../semantics/context.js';
import type { Options } from './args.js';
import {
  loadPrelude,
  type MatrixInput,
  matrixCellOf,
  matrixLimits,
  type RunPiece,
  readMatrix,
  runFile,
  type TestPiece,
  testFile,
} from './commands.js';
import type { Io } from './io.js';
import { type Progress, runPool } from './pool.js';

/** One check, as a worker receives it. */
export type Task =
  | { readonly kind: 'run'; readonly path: string; readonly first: boolean; readonly opts: Options }
  | { readonly kind: 'test'; readonly path: string; readonly opts: Options }
  | { readonly kind: 'matrix-cell'; readonly specPath: string; readonly cell: number; readonly opts: Options }
  | {
      readonly kind: 'patch-cell';
      /** check-patch's before/after matrix, its scenarios' folder and the imported routines' text. */
      readonly spec: MatrixSpec;
      readonly specDir: string;
      readonly imported: readonly { readonly path: string; readonly text: string }[];
      readonly cell: number;
      readonly opts: Options;
    };

/** A verdict without its program (closures) and its search's state store: what crosses a thread. */
export type PlainVerdict = Omit<Verdict, 'program' | 'result'> & {
  readonly result: Omit<ExploreResult, 'store' | 'schedule'>;
};

/** A matrix cell as it crosses a thread. */
export type PlainCell =
  | Exclude<Cell, { kind: 'checked' }>
  | {
      readonly kind: 'checked';
      readonly verdict: PlainVerdict;
      readonly replay: string;
      readonly changesPageTable: boolean;
      readonly conditionFails: boolean;
    };

function plainVerdict(v: Verdict): PlainVerdict {
  const { program: _program, result, ...rest } = v;
  const { store: _store, schedule: _schedule, ...plain } = result;
  return { ...rest, result: plain };
}

function plainCell(c: Cell): PlainCell {
  return c.kind === 'checked' ? { ...c, verdict: plainVerdict(c.verdict) } : c;
}

/**
 * A cell back from a worker, as a Cell: its program is compiled again only if a report asks for
 * it (`matrix --html` replays traces; the table and the JSON do not), and its search's store is
 * gone (no report reads it after the verdict).
 */
export function reviveCell(c: PlainCell, m: MatrixInput, n: number): Cell {
  if (c.kind !== 'checked') return c;
  const columns = m.spec.kinds.length;
  const row = m.plan[Math.floor(n / columns)]!;
  let program: Verdict['program'] | undefined;
  const compileAgain = () => {
    const parsed = m.parsedOf(row.scenario.file);
    if (!('kind' in parsed)) throw new Error(`cell ${n} was checked but its scenario does not parse`);
    const compiled = compileCell(parsed, m.prelude, row, m.spec.kinds[n % columns]!.kind);
    if (compiled.program === undefined) throw new Error(`cell ${n} was checked but does not compile`);
    return compiled.program;
  };
  const result = {
    ...c.verdict.result,
    get store(): never {
      throw new Error("a matrix cell's state store stays in the worker that searched it");
    },
    schedule(): never {
      throw new Error("a matrix cell's state store stays in the worker that searched it");
    },
  };
  const verdict: Verdict = {
    ...c.verdict,
    result,
    get program() {
      program ??= compileAgain();
      return program;
    },
  };
  return { ...c, verdict };
}

/** Per worker: the matrix definition read once, whatever the number of its cells the worker checks. */
const matrices = new Map<string, MatrixInput>();

/** Does one task in this thread (a worker's job); returns plain data. */
export function doTask(task: Task, io: Io): RunPiece | TestPiece | PlainCell {
  switch (task.kind) {
    case 'run':
      return runFile(io, task.path, task.opts, task.first);
    case 'test':
      return testFile(io, task.path, task.opts);
    case 'matrix-cell': {
      let m = matrices.get(task.specPath);
      if (m === undefined) {
        m = readMatrix(io, task.specPath);
        matrices.set(task.specPath, m);
      }
      return plainCell(matrixCellOf(m, task.cell, !task.opts.noReduce, matrixLimits(task.opts)));
    }
    case 'patch-cell': {
      const key = [task.specDir, ...task.imported.map((f) => `${f.path}\0${f.text}`)].join('\0');
      let m = matrices.get(key);
      if (m === undefined) {
        const files = task.imported.map((f) => parsePrelude(sourceFile(f.path, f.text)).ast);
        m = patchMatrix(io, task.spec, task.specDir, withImported(loadPrelude(io).prelude, files));
        matrices.set(key, m);
      }
      // check-patch checks every cell to the end (no --max-states), as runMatrix does for it.
      return plainCell(matrixCellOf(m, task.cell, !task.opts.noReduce, {}));
    }
  }
}

/** check-patch's before/after matrix as a MatrixInput: its scenarios are the built-in ones. */
export function patchMatrix(io: Io, spec: MatrixSpec, specDir: string, prelude: Prelude): MatrixInput {
  const parsed = new Map<string, LitmusFile | readonly Diagnostic[]>();
  return {
    spec,
    plan: matrixPlan(spec),
    prelude,
    parsedOf: (file) => {
      let p = parsed.get(file);
      if (p === undefined) {
        const path = `${specDir}${file}`;
        const r = parseLitmus(sourceFile(io.displayPath(path), io.readFile(path)));
        p = r.ast !== undefined && r.diagnostics.length === 0 ? r.ast : r.diagnostics;
        parsed.set(file, p);
      }
      return p;
    },
    displayPath: (file) => io.displayPath(`${specDir}${file}`),
  };
}

/**
 * Checks every cell of a matrix (here or on the workers: runJobs) and assembles the table;
 * `taskOf(n)` is cell n as a worker's task.
 */
export async function checkMatrix(
  io: Io,
  opts: Options,
  m: MatrixInput,
  limits: Limits,
  taskOf: (n: number) => Task,
): Promise<MatrixResult> {
  const columns = m.spec.kinds.length;
  const cells = await runJobs<Cell, PlainCell>(
    io,
    opts,
    m.plan.flatMap((row, i) =>
      m.spec.kinds.map((column, k) => ({
        label: `${row.scenario.file.replace(/^.*\//, '').replace(/\.litmus$/, '')} ${row.routine}@${row.variant} ${column.kind}`,
        task: taskOf(i * columns + k),
      })),
    ),
    (n) => matrixCellOf(m, n, !opts.noReduce, limits),
    (plain, n) => reviveCell(plain, m, n),
  );
  return assembleMatrix(m.spec, m.plan, m.parsedOf, (i, k) => cells[i * columns + k]!);
}

/**
 * Does every task: in this thread, one after another, with `--jobs 1` or a single task, else on
 * the pool (this thread and `--jobs` - 1 workers). `here(i)` does task i in this thread (it must
 * not print: results are printed in order by `onResult`); `fromWorker` turns a worker's plain result into
 * the same value. `onResult` sees each result in task order as soon as it is known. On a
 * terminal, and not with `--format json`, one progress line on stderr says how far it got.
 */
export async function runJobs<R, W = R>(
  io: Io,
  opts: Options,
  tasks: readonly { readonly label: string; readonly task: Task }[],
  here: (i: number) => R,
  fromWorker: (w: W, i: number) => R = (w) => w as unknown as R,
  onResult?: (r: R) => void,
): Promise<R[]> {
  const jobs = opts.jobs ?? io.jobs;
  const progress = io.progress && opts.format !== 'json' ? progressLine(io) : undefined;
  if (jobs <= 1 || tasks.length <= 1) {
    const out: R[] = [];
    let last = io.now();
    for (let i = 0; i < tasks.length; i++) {
      if (progress !== undefined && io.now() - last >= 1000) {
        progress.show({ done: i, total: tasks.length, slowest: { label: tasks[i]!.label, ms: 0 } });
        last = io.now();
      }
      const r = here(i);
      out.push(r);
      onResult?.(r);
    }
    progress?.clear();
    return out;
  }
  try {
    return await runPool<R, W>(tasks, {
      jobs,
      here,
      fromWorker,
      ...(onResult !== undefined ? { onResult: (_: number, r: R) => onResult(r) } : {}),
      ...(progress !== undefined ? { onProgress: (p: Progress) => progress.show(p) } : {}),
    });
  } finally {
    progress?.clear();
  }
}

/** The progress line of the multi-check commands: `12/175 done, slowest running: … (3 s)`. */
function progressLine(io: Io): { show(p: Progress): void; clear(): void } {
  let shown = false;
  return {
    show: (p) => {
      shown = true;
      const slowest =
        p.slowest === undefined
          ? ''
          : `, ${p.slowest.ms > 0 ? 'slowest running' : 'running'}: ${p.slowest.label}${p.slowest.ms > 0 ? ` (${Math.round(p.slowest.ms / 1000)} s)` : ''}`;
      io.stderr(`\r\x1b[K${p.done}/${p.total} done${slowest}`);
    },
    clear: () => {
      if (shown) io.stderr('\r\x1b[K');
      shown = false;
    },
  };
}
