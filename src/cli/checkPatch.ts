// `mmu-litmus check-patch PATCH --base FILE.c`: reads the inputs, runs src/patch/check.ts with
// the C front end, prints the report and decides the exit code: 2 bad input (a patch that does
// not read or apply, touches no routine of the matrix, C that does not import), 3 a search
// incomplete, 1 a cell the patch breaks (a violation after that was not there before), 0
// otherwise. `--cell` runs one side of one cell alone and prints its traces (the replay of an
// unsafe cell): as text, or with `--format json` as `run`'s document of the cell's test.

import { dirname, join } from 'node:path';
import { validateSpec } from '../check/matrix.js';
import { foundTrace, replaySteps } from '../check/trace.js';
import type { FoundViolation } from '../check/verdict.js';
import { renderDiagnostic, sortDiagnostics } from '../lang/diagnostic.js';
import { parseLitmus } from '../lang/parser.js';
import { lineAndColumn, sourceFile } from '../lang/source.js';
import { checkPatch, type PatchCell, type Side } from '../patch/check.js';
import type { Importer } from '../patch/importer.js';
import { diagnosticJson, jsonVerdict, RUN_FORMAT } from '../report/json.js';
import { matrixHtmlPage } from '../report/matrixHtml.js';
import { patchErrorJson, patchJson, patchText } from '../report/patch.js';
import { traceText, verdictBlock, violationMessage, witnessHeading } from '../report/text.js';
import { RuntimeModelError } from '../semantics/runner.js';
import { type Options, UsageError } from './args.js';
import { loadPrelude } from './commands.js';
import type { Io } from './io.js';
import { checkMatrix, patchMatrix } from './jobs.js';

const TOOL = 'mmu-litmus 0.1.0';

function shellQuote(s: string): string {
  return /^[\w@./+=,:-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

function read(io: Io, path: string, what: string): string {
  try {
    return io.readFile(path);
  } catch {
    throw new UsageError(`Cannot read the ${what} '${io.displayPath(path)}'.`);
  }
}

export async function runCheckPatch(opts: Options, io: Io, importer: () => Promise<Importer>): Promise<number> {
  if (opts.operands.length !== 1)
    throw new UsageError("'check-patch' takes one patch file: check-patch PATCH --base FILE.c.");
  if (opts.base === undefined)
    throw new UsageError("'check-patch' needs --base FILE.c, the file the patch applies to.");
  if (opts.itf !== undefined) throw new UsageError("--itf is an option of 'run' (one test), not of 'check-patch'.");
  const kernelBefore = opts.kernelBefore ?? opts.kernel;
  const kernelAfter = opts.kernelAfter ?? opts.kernel;
  if (kernelBefore === undefined || kernelAfter === undefined)
    throw new UsageError(
      "'check-patch' needs the kernel versions of both sides: --kernel-before V and --kernel-after V (or --kernel V for both).",
    );
  const patchPath = opts.operands[0]!;
  const patch = sourceFile(io.displayPath(patchPath), read(io, patchPath, 'patch'));
  const base = sourceFile(io.displayPath(opts.base), read(io, opts.base, 'base file'));

  const specPath = join(dirname(io.preludeDir), 'litmus', 'matrix.json');
  const specDir = specPath.replace(/[^/]*$/, '');
  const spec = validateSpec(JSON.parse(io.readFile(specPath)));
  if (typeof spec === 'string') throw new Error(`the built-in matrix definition is broken: ${spec}`);
  const allKinds = spec.kinds.map((k) => k.kind);
  for (const k of [...(opts.kinds ?? []), ...(opts.cell !== undefined ? [opts.cell.kind] : [])]) {
    if (!allKinds.includes(k))
      throw new UsageError(`Unknown secondary kind '${k}': the matrix's kinds are ${allKinds.join(', ')}.`);
  }
  if (
    opts.cell !== undefined &&
    !spec.scenarios.some((s) => s.file.replace(/^.*\//, '') === `${opts.cell!.scenario}.litmus`)
  )
    throw new UsageError(
      `Unknown scenario '${opts.cell.scenario}': the matrix's scenarios are ${spec.scenarios.map((s) => s.file.replace(/^.*\//, '').replace(/\.litmus$/, '')).join(', ')}.`,
    );

  const { prelude } = loadPrelude(io);
  // Runnable as printed from the project folder, as every command the tool prints (`npx`).
  const replayCell = (scenario: string, kind: string, side: Side) =>
    [
      'npx',
      'mmu-litmus',
      'check-patch',
      patch.path,
      '--base',
      base.path,
      '--kernel-before',
      kernelBefore,
      '--kernel-after',
      kernelAfter,
      '--cell',
      `${scenario}:${kind}:${side}`,
    ]
      .map(shellQuote)
      .join(' ');
  const replayCommand = (c: PatchCell, side: Side) => replayCell(c.scenario, c.kind, side);
  let result: Awaited<ReturnType<typeof checkPatch>>;
  try {
    result = await checkPatch({
      patch,
      base,
      spec,
      prelude,
      importer: await importer(),
      kernels: { before: kernelBefore, after: kernelAfter },
      ...(opts.kinds !== undefined ? { kinds: opts.kinds } : {}),
      ...(opts.cell !== undefined ? { only: opts.cell } : {}),
      ...(opts.config.size > 0 ? { config: opts.config } : {}),
      loadScenario: (file) => {
        const path = `${specDir}${file}`;
        const parsed = parseLitmus(sourceFile(io.displayPath(path), io.readFile(path)));
        return parsed.ast !== undefined && parsed.diagnostics.length === 0 ? parsed.ast : parsed.diagnostics;
      },
      displayScenario: (file) => io.displayPath(`${specDir}${file}`),
      replayCommand: replayCell,
      reduce: !opts.noReduce,
      // The cells on worker threads (--jobs), each rebuilding the prelude from the imported text.
      checkCells: (cellSpec, cellPrelude, imported) =>
        checkMatrix(io, opts, patchMatrix(io, cellSpec, specDir, cellPrelude), {}, (cell) => ({
          kind: 'patch-cell',
          spec: cellSpec,
          specDir,
          imported: imported.map((f) => ({ path: f.path, text: f.text })),
          cell,
          opts,
        })),
    });
  } catch (e) {
    if (e instanceof RuntimeModelError) {
      if (opts.format === 'json') {
        const d = {
          code: e.code,
          message: e.message,
          file: e.site.file,
          span: e.site.span,
          severity: 'error' as const,
        };
        const doc = patchErrorJson(
          { patch: patch.path, base: base.path, kernels: { before: kernelBefore, after: kernelAfter } },
          [d],
          2,
        );
        io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
        return 2;
      }
      const { line, column } = lineAndColumn(e.site.file, e.site.span.start);
      io.stderr(`${e.site.file.path}:${line}:${column}: error ${e.code}: ${e.message} (in thread ${e.thread}).\n`);
      return 2;
    }
    throw e;
  }
  if (!result.ok) {
    if (opts.format === 'json') {
      const doc = patchErrorJson(
        { patch: patch.path, base: base.path, kernels: { before: kernelBefore, after: kernelAfter } },
        result.diagnostics,
        2,
      );
      io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
    } else io.stderr(sortDiagnostics(result.diagnostics).map(renderDiagnostic).join(''));
    return 2;
  }
  const p = result.check;
  // Notes are data in JSON (its `diagnostics`), text on stderr otherwise.
  if (opts.format !== 'json' || opts.cell !== undefined) for (const n of p.notes) io.stderr(renderDiagnostic(n));
  const cells = p.cells.flatMap((c) => [c.before, c.after]).filter((c) => c !== undefined);

  if (opts.html !== undefined) {
    const page = matrixHtmlPage(p.matrix, {
      tool: TOOL,
      title: 'mmu-litmus check-patch',
      spec: `${p.patchPath} on ${p.basePath}: @before (kernel ${kernelBefore}) and @after (kernel ${kernelAfter})`,
    });
    try {
      io.writeFile(opts.html, page);
    } catch {
      throw new UsageError(`Cannot write '${opts.html}'.`);
    }
  }
  if (opts.cell !== undefined) {
    // One side of one cell: its verdict and every trace, as `run` prints them.
    const cell = p.cells[0]?.[opts.cell.side];
    if (cell === undefined)
      throw new UsageError(
        `Scenario '${opts.cell.scenario}' does not run a routine the patch changes (${p.routines.join(', ')}) under both kernels.`,
      );
    const file = p.cells[0]!.file;
    // --format json: the `run` document of the cell's test (docs/json.md), one entry.
    const json = (entry: object, exit: number): number => {
      io.stdout(`${JSON.stringify({ format: RUN_FORMAT, tests: [entry], exit }, null, 2)}\n`);
      return exit;
    };
    if (cell.kind === 'not-applicable') {
      if (opts.format === 'json')
        return json({ file, status: 'not-applicable', test: null, why: cell.why, diagnostics: [] }, 0);
      io.stdout(`${opts.cell.scenario} ${opts.cell.kind} ${opts.cell.side}: n/a (${cell.why})\n`);
      return 0;
    }
    if (cell.kind === 'error') {
      if (opts.format === 'json')
        return json({ file, status: 'error', test: null, diagnostics: cell.diagnostics.map(diagnosticJson) }, 2);
      io.stderr(cell.diagnostics.map(renderDiagnostic).join(''));
      return 2;
    }
    const v = cell.verdict;
    const code = !v.result.complete ? 3 : v.violations.length > 0 || cell.conditionFails ? 1 : 0;
    const textOpts = {
      displayPath: file,
      hash: io.hash(p.imported[opts.cell.side].result.litmus),
      stats: opts.stats,
      replayOptions: '',
    };
    if (opts.format === 'json') {
      const traced = (x: FoundViolation) => foundTrace(v.program, x);
      const { file: _, ...entry } = jsonVerdict(
        v,
        textOpts,
        v.violations.map(traced),
        v.warnings.map(traced),
        cell.conditionFails && v.witness !== undefined ? replaySteps(v.program, v.witness) : undefined,
      );
      const status = code === 3 ? 'incomplete' : code === 1 ? 'failed' : 'ok';
      return json({ file, status, ...entry, conditionFails: cell.conditionFails, diagnostics: [] }, code);
    }
    let out = verdictBlock(v, textOpts);
    for (const [heading, list] of [
      ['Violation', v.violations],
      ['Warning', v.warnings],
    ] as const) {
      for (const x of list) {
        const steps = replaySteps(v.program, x.schedule);
        out += `\n${heading} ${x.property}: ${violationMessage(steps, x.property)}\n${traceText(steps)}`;
        out += `Schedule ${x.schedule.join('.') || '(empty)'}\n`;
      }
    }
    if (cell.conditionFails && v.witness !== undefined) {
      // The matrix's `cond`: the execution where the scenario's forall / ~exists condition fails.
      out += `\n${witnessHeading(v)}\n${traceText(replaySteps(v.program, v.witness))}`;
      out += `Schedule ${v.witness.join('.') || '(empty)'}\n`;
    }
    io.stdout(out);
    return code;
  }

  const code = cells.some((c) => c.kind === 'error')
    ? 2
    : cells.some((c) => c.kind === 'checked' && !c.verdict.result.complete)
      ? 3
      : p.cells.some((c) => c.change === 'broken')
        ? 1
        : 0;
  if (opts.format === 'json') io.stdout(`${JSON.stringify(patchJson(p, { replay: replayCommand }, code), null, 2)}\n`);
  else io.stdout(patchText(p, { replay: replayCommand }));
  return code;
}
