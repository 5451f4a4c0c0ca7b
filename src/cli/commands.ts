// The commands: run, test, show, explain.

import { dirname, join } from 'node:path';
import { type Cell, type MatrixSpec, matrixCell, matrixPlan, type PlannedRow, validateSpec } from '../check/matrix.js';
import { foundTrace, replay, replaySteps } from '../check/trace.js';
import { check, type FoundViolation, type Verdict } from '../check/verdict.js';
import type { ProgressInfo } from '../explore/explorer.js';
import type { Limits } from '../explore/system.js';
import type { LitmusFile, PreludeFile, RoutineDef, SecondaryDef } from '../lang/ast.js';
import { type Diagnostic, excerpt, renderDiagnostic, renderDiagnostics, sortDiagnostics } from '../lang/diagnostic.js';
import { parseLitmus, parsePrelude } from '../lang/parser.js';
import { lineAndColumn, lineText, sourceFile } from '../lang/source.js';
import { CHECKS, PROPERTIES, PROPERTY_DOCS, WARNINGS } from '../model/properties.js';
import { type HtmlTrace, htmlPage } from '../report/html.js';
import { itfTrace } from '../report/itf.js';
import {
  diagnosticJson,
  type FileStatus,
  fileProblemJson,
  jsonSchedule,
  jsonVerdict,
  RUN_FORMAT,
  TEST_FORMAT,
} from '../report/json.js';
import { matrixJson, matrixText } from '../report/matrix.js';
import { matrixHtmlPage } from '../report/matrixHtml.js';
import { replayLine, traceText, verdictBlock, violationMessage, witnessHeading } from '../report/text.js';
import { compile } from '../semantics/compile.js';
import type { Prelude } from '../semantics/context.js';
import { checkDefinitions } from '../semantics/definitions.js';
import type { Program } from '../semantics/program.js';
import { RuntimeModelError } from '../semantics/runner.js';
import { type Options, UsageError } from './args.js';
import type { Io } from './io.js';
import { checkMatrix, runJobs } from './jobs.js';
import { ONE_SEARCH_JOBS, searchOnThreads, startOneSearch } from './oneSearch.js';

const TOOL = 'mmu-litmus 0.1.0';

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_BAD = 2;
const EXIT_INCOMPLETE = 3;

/** Worst exit code first: bad input, then incomplete, then failed. */
function worst(a: number, b: number): number {
  const rank = (c: number) =>
    c === EXIT_BAD ? 3 : c === EXIT_INCOMPLETE ? 2 : c === EXIT_FAILED ? 1 : c === 4 ? 4 : 0;
  return rank(a) >= rank(b) ? a : b;
}

let preludeCache: { dir: string; prelude: Prelude; files: PreludeFile[] } | undefined;

/** Parses the shipped prelude; a broken prelude is an internal error. */
export function loadPrelude(io: Io): { prelude: Prelude; files: PreludeFile[] } {
  if (preludeCache?.dir === io.preludeDir) return preludeCache;
  const files: PreludeFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const name of io.listDir(io.preludeDir).filter((n) => n.endsWith('.litmus'))) {
    const f = sourceFile(`prelude/${name}`, io.readFile(`${io.preludeDir}/${name}`));
    const r = parsePrelude(f);
    diagnostics.push(...r.diagnostics);
    files.push(r.ast);
  }
  // Routine and secondary names resolve across all prelude files: no name and variant twice.
  if (diagnostics.length === 0)
    diagnostics.push(
      ...checkDefinitions(
        files.flatMap((f) => f.routines),
        files.flatMap((f) => f.secondaries),
      ),
    );
  if (diagnostics.length > 0) {
    throw new Error(`the prelude is broken:\n${sortDiagnostics(diagnostics).map(renderDiagnostic).join('')}`);
  }
  const prelude: Prelude = {
    routines: files.flatMap((f) => f.routines),
    secondaries: files.flatMap((f) => f.secondaries),
    constants: files.flatMap((f) => f.constants),
  };
  preludeCache = { dir: io.preludeDir, prelude, files };
  return preludeCache;
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
};

/**
 * One sentence for every file that cannot be read or written: `Cannot read 'PATH': REASON.`, the
 * path as given (not its basename) and the reason in words (Node's `ENOENT: no such file or
 * directory, open '…'` becomes `no such file or directory`).
 */
export function fileError(verb: 'read' | 'write', path: string, e: unknown): string {
  const code = (e as { code?: unknown } | undefined)?.code;
  const message = e instanceof Error ? e.message : String(e);
  const why =
    (typeof code === 'string' ? REASONS[code] : undefined) ??
    message
      .replace(/^[A-Z]+: /, '')
      .replace(/, \w+ '.*'$/, '')
      .replace(/\.$/, '');
  return `Cannot ${verb} '${path}': ${why}.`;
}

/** Expands operands into .litmus files (directories recursively, sorted). */
function collect(io: Io, operands: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (io.isDirectory(p)) {
      for (const name of io.listDir(p)) {
        const child = p.endsWith('/') ? `${p}${name}` : `${p}/${name}`;
        if (io.isDirectory(child) || name.endsWith('.litmus')) walk(child);
      }
    } else {
      if (!io.exists(p)) throw new UsageError(fileError('read', p, { code: 'ENOENT' }));
      out.push(p);
    }
  };
  for (const o of operands) walk(o);
  return out;
}

type Loaded =
  | { ok: true; program: Program; display: string; text: string }
  | { ok: false; code: number; message: string; diagnostics: readonly DiagnosticJson[] };

type DiagnosticJson = ReturnType<typeof diagnosticJson> | ReturnType<typeof fileProblemJson>;

function load(io: Io, path: string, opts: Options): Loaded {
  const display = io.displayPath(path);
  let text: string;
  try {
    text = io.readFile(path);
  } catch (e) {
    const message = fileError('read', path, e);
    return {
      ok: false,
      code: EXIT_BAD,
      message: `mmu-litmus: ${message}\n`,
      diagnostics: [fileProblemJson(display, message)],
    };
  }
  const file = sourceFile(display, text);
  const parsed = parseLitmus(file);
  if (parsed.diagnostics.length > 0 || parsed.ast === undefined) {
    return {
      ok: false,
      code: EXIT_BAD,
      message: renderDiagnostics(parsed.diagnostics),
      diagnostics: sortDiagnostics(parsed.diagnostics).map(diagnosticJson),
    };
  }
  const { prelude } = loadPrelude(io);
  const compiled = compile(parsed.ast, prelude, {
    ...(opts.kernel !== undefined ? { kernel: opts.kernel } : {}),
    noCheck: opts.noCheck,
    variants: opts.variants,
    secondaryKinds: opts.secondaryKinds,
  });
  if (compiled.program === undefined) {
    return {
      ok: false,
      code: EXIT_BAD,
      message: renderDiagnostics(compiled.diagnostics),
      diagnostics: sortDiagnostics(compiled.diagnostics).map(diagnosticJson),
    };
  }
  return { ok: true, program: compiled.program, display, text };
}

/** A model error found while searching, as data (the thread it happened in too). */
function runtimeErrorJson(e: RuntimeModelError) {
  const { line, column } = lineAndColumn(e.site.file, e.site.span.start);
  return {
    code: e.code,
    severity: 'error' as const,
    message: e.message,
    file: e.site.file.path,
    line,
    column,
    thread: e.thread,
  };
}

function runtimeError(e: RuntimeModelError): string {
  const s = e.site;
  const { line, column } = lineAndColumn(s.file, s.span.start);
  const text = lineText(s.file, line);
  const width = Math.max(1, Math.min(s.span.end - s.span.start, text.length - column + 1));
  const shown = excerpt(text, column, width);
  const chain =
    s.chain.length > 0
      ? ` (inlined from ${s.chain.map((c) => `${c.callee} at ${c.file.path}:${lineAndColumn(c.file, c.span.start).line}`).join(', ')})`
      : '';
  const g = String(line);
  const pad = ' '.repeat(g.length);
  return `${s.file.path}:${line}:${column}: error ${e.code}: ${e.message}\n${pad} |\n${g} | ${shown.text}\n${pad} | ${shown.carets}\n${pad} = in thread ${e.thread}${chain}\n`;
}

function replayOptions(opts: Options): string {
  let s = '';
  if (opts.kernel !== undefined) s += ` --kernel ${opts.kernel}`;
  if (opts.noCheck.length > 0) s += ` --no-check ${opts.noCheck.join(',')}`;
  for (const [k, v] of opts.variants) s += ` --variant ${k}=${v}`;
  for (const [k, v] of opts.secondaryKinds) s += ` --secondary ${k}=${v}`;
  return s;
}

/**
 * herd's `Hash=`: the MD5 of the test's text, so that equal hashes mean the same test. Options that
 * change what is checked (`--kernel`, `--variant`, `--secondary`, `--no-check`) are folded in, in
 * a canonical order, so that equal hashes also mean the same configuration; without them the hash
 * is herd's. The prelude and the tool's version are not covered.
 */
function testHash(io: Io, text: string, opts: Options): string {
  const config = [
    ...(opts.kernel === undefined ? [] : [`--kernel ${opts.kernel}`]),
    ...[...new Set(opts.noCheck)].sort().map((p) => `--no-check ${p}`),
    ...[...opts.variants].sort().map(([k, v]) => `--variant ${k}=${v}`),
    ...[...opts.secondaryKinds].sort().map(([k, v]) => `--secondary ${k}=${v}`),
  ];
  return io.hash(config.length === 0 ? text : `${text}\0${config.join(' ')}`);
}

/** The search limits `run` and `test` take from the command line. */
export function searchLimits(opts: Options): Limits {
  return {
    ...(opts.maxStates !== undefined ? { maxStates: opts.maxStates } : {}),
    ...(opts.maxDepth !== undefined ? { maxDepth: opts.maxDepth } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.stopAtFirst ? { stopAtFirst: true } : {}),
  };
}

/**
 * The progress line of one search on a terminal (after its first second), and `done()` to clear
 * it; `onProgress` is undefined when stderr is not a terminal.
 */
export function searchProgress(io: Io): { onProgress: ((p: ProgressInfo) => void) | undefined; done(): void } {
  const start = io.now();
  let shown = false;
  return {
    onProgress: io.progress
      ? (p) => {
          if (io.now() - start < 1000) return;
          shown = true;
          const secs = p.elapsedMs / 1000;
          io.stderr(
            `\r${p.states} states (${Math.round(p.states / Math.max(secs, 1e-3))}/s), ${p.transitions} transitions, depth ${p.depth}, ${(p.rssBytes / 2 ** 20).toFixed(0)} MB   `,
          );
        }
      : undefined,
    done: () => {
      if (shown) io.stderr('\r\x1b[K');
      shown = false;
    },
  };
}

function checkProgram(io: Io, program: Program, opts: Options): Verdict {
  const progress = searchProgress(io);
  try {
    return check(program, searchLimits(opts), progress.onProgress, !opts.noReduce);
  } finally {
    progress.done();
  }
}

/** The described steps of a schedule the search produced (so it replays). */
/** Writes a report file; a file that cannot be written is a usage error. */
function writeOutput(io: Io, path: string, text: string): void {
  try {
    io.writeFile(path, text);
  } catch (e) {
    throw new UsageError(fileError('write', path, e));
  }
}

function verdictCode(v: Verdict): number {
  if (v.expectation.undecided) return EXIT_INCOMPLETE;
  if (!v.expectation.ok) return EXIT_FAILED;
  if (v.program.expect === undefined && v.program.test.resultComment === undefined && v.violations.length > 0)
    return EXIT_FAILED;
  if (!v.result.complete && v.violations.length === 0) return EXIT_INCOMPLETE;
  return EXIT_OK;
}

/** Exit code → the status of a file in JSON. */
function statusOf(code: number): FileStatus {
  return code === EXIT_OK ? 'ok' : code === EXIT_FAILED ? 'failed' : code === EXIT_INCOMPLETE ? 'incomplete' : 'error';
}

/**
 * What `run` prints for one file, as plain data (a worker computes it, the parent prints it in
 * order): its text, what goes to stderr, its entry of the JSON `tests` list, its exit code.
 */
export interface RunPiece {
  readonly stdout: string;
  readonly stderr: string;
  readonly json: unknown;
  readonly code: number;
}

/** Checks one file as `run` does; `first`: no blank line before its verdict. */
export function runFile(io: Io, path: string, opts: Options, first: boolean): RunPiece {
  const loaded = load(io, path, opts);
  return loaded.ok ? runLoaded(io, loaded, opts, first, undefined) : loadFailure(io, path, opts, loaded);
}

/**
 * `run` of one file with its search on `jobs` threads (oneSearch.ts): the same piece as
 * `runFile`'s, byte for byte. A state whose expansion raises a model error makes the search run
 * again on this thread, so that the error reported is the one the serial search meets first. The
 * workers start before the test is compiled here (they compile it too, meanwhile).
 */
export async function runFileOnThreads(io: Io, path: string, opts: Options, jobs: number): Promise<RunPiece> {
  const early = opts.schedule === undefined ? startOneSearch(io, path, opts, jobs) : undefined;
  try {
    const loaded = load(io, path, opts);
    if (!loaded.ok) return loadFailure(io, path, opts, loaded);
    if (opts.schedule !== undefined) return runLoaded(io, loaded, opts, true, undefined);
    const progress = searchProgress(io);
    let verdict: Verdict | undefined;
    try {
      verdict = await searchOnThreads(
        io,
        loaded.program,
        loaded.display,
        loaded.text,
        opts,
        searchLimits(opts),
        jobs,
        progress.onProgress,
        early,
      );
    } finally {
      progress.done();
    }
    return runLoaded(io, loaded, opts, true, verdict);
  } finally {
    await early?.team.close();
  }
}

function loadFailure(io: Io, path: string, opts: Options, loaded: Extract<Loaded, { ok: false }>): RunPiece {
  return {
    stdout: '',
    stderr: opts.format === 'json' ? '' : loaded.message,
    json: { file: io.displayPath(path), status: 'error', test: null, diagnostics: loaded.diagnostics },
    code: loaded.code,
  };
}

/** `run`'s piece for a compiled test: its verdict (searched here when not given), traces and files. */
function runLoaded(
  io: Io,
  loaded: Extract<Loaded, { ok: true }>,
  opts: Options,
  first: boolean,
  verdict: Verdict | undefined,
): RunPiece {
  const json = opts.format === 'json';
  try {
    if (opts.schedule !== undefined) return runSchedule(io, loaded.program, loaded.display, opts);
    const v = verdict ?? checkProgram(io, loaded.program, opts);
    const code = verdictCode(v);
    const textOpts = {
      displayPath: loaded.display,
      hash: testHash(io, loaded.text, opts),
      stats: opts.stats,
      replayOptions: replayOptions(opts),
    };
    const traceOf = (x: FoundViolation) => foundTrace(loaded.program, x);
    const traces = v.violations.map(traceOf);
    const warningTraces = v.warnings.map(traceOf);
    // --witness: the witness's steps ([] when no final state answers the condition).
    const witnessSteps =
      opts.witness && loaded.program.condition !== undefined
        ? v.witness === undefined
          ? []
          : replaySteps(loaded.program, v.witness)
        : undefined;
    if (opts.itf !== undefined) {
      const t = traces[0];
      const itf =
        t === undefined
          ? itfTrace(loaded.program, loaded.program.initial, [], {
              source: loaded.display,
              property: undefined,
              description: `${loaded.program.test.name}: no property violated${v.result.complete ? '' : ' (search incomplete)'}; the initial state only`,
              tool: TOOL,
            })
          : itfTrace(loaded.program, t.initial, t.steps, {
              source: loaded.display,
              property: t.v.property,
              description: `${loaded.program.test.name}: ${t.v.property}: ${violationMessage(t.steps, t.v.property)}; replay with --schedule ${t.v.schedule.join('.') || '(empty)'}`,
              tool: TOOL,
            });
      writeOutput(io, opts.itf, `${JSON.stringify(itf, null, 2)}\n`);
    }
    if (opts.html !== undefined) {
      const pages: HtmlTrace[] = [
        ...traces.map((t) => ({
          kind: 'violation' as const,
          title: t.v.property,
          message: violationMessage(t.steps, t.v.property),
          schedule: t.v.schedule.join('.'),
          initial: t.initial,
          steps: t.steps,
        })),
        ...warningTraces.map((t) => ({
          kind: 'warning' as const,
          title: t.v.property,
          message: violationMessage(t.steps, t.v.property),
          schedule: t.v.schedule.join('.'),
          initial: t.initial,
          steps: t.steps,
        })),
      ];
      if (pages.length === 0) {
        pages.push({
          kind: 'ok',
          title: 'no violation',
          message: `No property is violated${v.result.complete ? '' : ' in the states searched (search incomplete)'}: the page shows the initial state.`,
          schedule: '',
          initial: loaded.program.initial,
          steps: [],
        });
      }
      const summary =
        v.violations.length === 0
          ? 'no property violated'
          : `violates ${v.violations.map((x) => x.property).join(', ')}`;
      writeOutput(io, opts.html, htmlPage(loaded.program, pages, { source: loaded.display, tool: TOOL, summary }));
    }
    if (json) {
      const { file, ...entry } = jsonVerdict(v, textOpts, traces, warningTraces, witnessSteps);
      return { stdout: '', stderr: '', json: { file, status: statusOf(code), ...entry, diagnostics: [] }, code };
    }
    let out = first ? '' : '\n';
    out += verdictBlock(v, textOpts);
    for (const t of traces) {
      out += `\nViolation ${t.v.property}: ${violationMessage(t.steps, t.v.property)}\n`;
      out += traceText(t.steps);
      out += `${replayLine(textOpts, t.v.schedule)}\n`;
    }
    for (const t of warningTraces) {
      out += `\nWarning ${t.v.property}: ${violationMessage(t.steps, t.v.property)}\n`;
      out += traceText(t.steps);
      out += `${replayLine(textOpts, t.v.schedule)}\n`;
    }
    if (witnessSteps !== undefined) {
      out += `\n${witnessHeading(v)}${v.witness === undefined && !v.result.complete ? ' in the states searched' : ''}\n`;
      if (v.witness !== undefined) out += `${traceText(witnessSteps)}${replayLine(textOpts, v.witness)}\n`;
    }
    return { stdout: out, stderr: '', json: undefined, code };
  } catch (e) {
    if (e instanceof RuntimeModelError) {
      return {
        stdout: '',
        stderr: json ? '' : runtimeError(e),
        json: {
          file: loaded.display,
          status: 'error',
          test: loaded.program.test.name,
          diagnostics: [runtimeErrorJson(e)],
        },
        code: EXIT_BAD,
      };
    }
    throw e;
  }
}

/** The files `run` checks, after the checks of the options that need one file. */
export function runFiles(opts: Options, io: Io): string[] {
  if (opts.operands.length === 0) throw new UsageError("'run' needs at least one test file or directory.");
  const files = collect(io, opts.operands);
  for (const [flag, value] of [
    ['--itf', opts.itf],
    ['--html', opts.html],
  ] as const) {
    if (value !== undefined && files.length !== 1) {
      throw new UsageError(`${flag} writes the traces of one test, and ${files.length} tests were given.`);
    }
  }
  return files;
}

/** Prints one file's piece of `run` (the JSON document waits for every piece: `finishRun`). */
export function printRunPiece(io: Io, p: RunPiece): void {
  if (p.stderr !== '') io.stderr(p.stderr);
  if (p.stdout !== '') io.stdout(p.stdout);
}

/** After every piece is printed: the JSON document; returns the exit code. */
export function finishRun(opts: Options, io: Io, pieces: readonly RunPiece[]): number {
  const code = pieces.reduce((c, p) => worst(c, p.code), EXIT_OK);
  if (opts.format === 'json')
    io.stdout(`${JSON.stringify({ format: RUN_FORMAT, tests: pieces.map((p) => p.json), exit: code }, null, 2)}\n`);
  return code;
}

export async function runRun(opts: Options, io: Io): Promise<number> {
  const files = runFiles(opts, io);
  // One file: its search on `--jobs` threads (serial without it: ONE_SEARCH_JOBS).
  const searchJobs = opts.jobs ?? ONE_SEARCH_JOBS;
  if (files.length === 1 && searchJobs > 1) {
    const piece = await runFileOnThreads(io, files[0]!, opts, searchJobs);
    printRunPiece(io, piece);
    return finishRun(opts, io, [piece]);
  }
  const pieces = await runJobs<RunPiece>(
    io,
    opts,
    files.map((path, i) => ({ label: io.displayPath(path), task: { kind: 'run', path, first: i === 0, opts } })),
    // With several files, the progress line of runJobs replaces each search's own.
    (i) => runFile(files.length > 1 ? { ...io, progress: false } : io, files[i]!, opts, i === 0),
    undefined,
    (p) => printRunPiece(io, p),
  );
  return finishRun(opts, io, pieces);
}

function runSchedule(io: Io, program: Program, display: string, opts: Options): RunPiece {
  const schedule = opts.schedule!;
  const r = replay(program, schedule);
  if (!r.ok) {
    const message = `Step ${r.step} of the schedule picks a successor that does not exist (${r.available} available).`;
    return {
      stdout: '',
      stderr: opts.format === 'json' ? '' : `mmu-litmus: ${display}: ${message.replace(/^S/, 's')}\n`,
      json: {
        file: display,
        status: 'error',
        test: program.test.name,
        diagnostics: [fileProblemJson(display, message)],
      },
      code: EXIT_BAD,
    };
  }
  const last = r.steps.length > 0 ? r.steps[r.steps.length - 1]!.state : r.initial;
  // Violations proper; review warnings are listed on their own line and do not fail the run.
  const names = PROPERTIES.filter((_, i) => (last.mask & (1 << i)) !== 0);
  const warned = WARNINGS.filter((_, i) => (last.mask & (1 << (PROPERTIES.length + i))) !== 0);
  if (opts.itf !== undefined) {
    const itf = itfTrace(program, r.initial, r.steps, {
      source: display,
      property: names[0],
      description: `${program.test.name}: schedule ${schedule.join('.')}, ${r.steps.length} step${r.steps.length === 1 ? '' : 's'}; violations: ${names.length === 0 ? 'none' : names.join(' ')}`,
      tool: TOOL,
    });
    writeOutput(io, opts.itf, `${JSON.stringify(itf, null, 2)}\n`);
  }
  if (opts.html !== undefined) {
    const summary = `schedule ${schedule.join('.')}; violations: ${names.length === 0 ? 'none' : names.join(' ')}`;
    const page = htmlPage(
      program,
      [
        {
          kind: 'schedule',
          title: `schedule ${schedule.join('.') || '(empty)'}`,
          message: `${r.steps.length} step${r.steps.length === 1 ? '' : 's'}; violations: ${names.length === 0 ? 'none' : names.join(' ')}`,
          schedule: schedule.join('.'),
          initial: r.initial,
          steps: r.steps,
        },
      ],
      { source: display, tool: TOOL, summary },
    );
    writeOutput(io, opts.html, page);
  }
  let out = `Schedule ${schedule.join('.')} of ${program.test.name}: ${r.steps.length} step${r.steps.length === 1 ? '' : 's'}\n`;
  out += traceText(r.steps);
  const running = program.threads.filter((_, i) => last.threads[i]!.status === 0).map((t) => t.name);
  out += `Violations ${names.length === 0 ? 'none' : names.join(' ')}\n`;
  if (warned.length > 0) out += `Warnings ${warned.join(' ')}\n`;
  out += running.length === 0 ? 'All threads finished\n' : `Still running: ${running.join(' ')}\n`;
  const code = names.length > 0 ? EXIT_FAILED : EXIT_OK;
  if (opts.format !== 'json') return { stdout: out, stderr: '', json: undefined, code };
  const { file, ...entry } = jsonSchedule(
    { test: program.test.name, file: display, schedule, violations: names, warnings: warned, running },
    r.steps,
  );
  return { stdout: '', stderr: '', json: { file, status: statusOf(code), ...entry, diagnostics: [] }, code };
}

/** `--itf` and `--html` write the traces of `run`; `matrix` has a page of its own but no single trace. */
function onlyForRun(opts: Options, command: string, allowHtml = false): void {
  const flag = opts.itf !== undefined ? '--itf' : opts.html !== undefined && !allowHtml ? '--html' : undefined;
  if (flag !== undefined) {
    throw new UsageError(`${flag} is an option of 'run' (one test), not of '${command}'.`);
  }
}

/** What `test` prints for one file, as plain data (as `RunPiece`). */
export interface TestPiece {
  readonly stdout: string;
  readonly stderr: string;
  readonly json: unknown;
  readonly code: number;
  readonly passed: boolean;
}

/** Checks one file's expectations as `test` does. */
export function testFile(io: Io, path: string, opts: Options): TestPiece {
  const json = opts.format === 'json';
  const loaded = load(io, path, opts);
  const display = io.displayPath(path);
  const error = (stderr: string, test: string | null, diagnostics: readonly unknown[]): TestPiece => ({
    stdout: json ? '' : `ERROR ${display}\n`,
    stderr: json ? '' : stderr,
    json: {
      file: display,
      status: 'error',
      test,
      observation: null,
      violations: [],
      warnings: [],
      why: null,
      search: null,
      diagnostics,
    },
    code: EXIT_BAD,
    passed: false,
  });
  if (!loaded.ok) return error(loaded.message, null, loaded.diagnostics);
  try {
    const v = checkProgram(io, loaded.program, opts);
    const c = verdictCode(v);
    const obs = v.observation === undefined ? '' : ` ${v.observation}`;
    const warn = v.warnings.length === 0 ? '' : `, warns ${v.warnings.map((x) => x.property).join(', ')}`;
    const viol = `${v.violations.length === 0 ? 'safe' : `violates ${v.violations.map((x) => x.property).join(', ')}`}${warn}`;
    const why =
      c === EXIT_OK
        ? undefined
        : c === EXIT_INCOMPLETE
          ? 'search incomplete'
          : v.expectation.failures.join(' ') || `unexpected violation: ${viol}`;
    return {
      stdout: json ? '' : why === undefined ? `ok    ${display}:${obs} ${viol}\n` : `FAIL  ${display}: ${why}\n`,
      stderr: '',
      json: {
        file: display,
        status: statusOf(c),
        test: loaded.program.test.name,
        observation: v.observation ?? null,
        violations: v.violations.map((x) => x.property),
        warnings: v.warnings.map((x) => x.property),
        why: why ?? null,
        search: {
          complete: v.result.complete,
          incomplete: v.result.incomplete ?? null,
          states: v.result.states,
          transitions: v.result.transitions,
          depth: v.result.depth,
        },
        diagnostics: [],
      },
      code: c,
      passed: c === EXIT_OK,
    };
  } catch (e) {
    if (e instanceof RuntimeModelError) return error(runtimeError(e), loaded.program.test.name, [runtimeErrorJson(e)]);
    throw e;
  }
}

/** The files `test` checks (the catalogue, litmus/, without operands). */
export function testFiles(opts: Options, io: Io): string[] {
  onlyForRun(opts, 'test');
  return collect(io, opts.operands.length > 0 ? opts.operands : ['litmus']);
}

/** Prints one file's line of `test`. */
export function printTestPiece(io: Io, p: TestPiece): void {
  if (p.stdout !== '') io.stdout(p.stdout);
  if (p.stderr !== '') io.stderr(p.stderr);
}

/** After every line: the totals (or the JSON document); returns the exit code. */
export function finishTest(opts: Options, io: Io, pieces: readonly TestPiece[]): number {
  const code = pieces.reduce((c, p) => worst(c, p.code), EXIT_OK);
  const passed = pieces.filter((p) => p.passed).length;
  const failed = pieces.length - passed;
  if (opts.format === 'json')
    io.stdout(
      `${JSON.stringify({ format: TEST_FORMAT, tests: pieces.map((p) => p.json), passed, failed, exit: code }, null, 2)}\n`,
    );
  else io.stdout(`${passed} passed, ${failed} failed\n`);
  return code;
}

export async function runTest(opts: Options, io: Io): Promise<number> {
  const files = testFiles(opts, io);
  // On a terminal the progress line of runJobs replaces each search's own.
  const quiet = { ...io, progress: false };
  const pieces = await runJobs<TestPiece>(
    io,
    opts,
    files.map((path) => ({ label: io.displayPath(path), task: { kind: 'test', path, opts } })),
    (i) => testFile(quiet, files[i]!, opts),
    undefined,
    (p) => printTestPiece(io, p),
  );
  return finishTest(opts, io, pieces);
}

export function runExplain(opts: Options, io: Io): number {
  const names = opts.operands.length > 0 ? opts.operands : CHECKS;
  const out: string[] = [];
  for (const name of names) {
    const d = PROPERTY_DOCS.find((p) => p.name === name);
    if (d === undefined)
      throw new UsageError(`Unknown property '${name}': the properties and review warnings are ${CHECKS.join(', ')}.`);
    out.push(
      `${d.name}\n  Violated when: ${d.when}\n  Checked: ${d.checked}\n  In the kernel: ${d.kernel}\n  Example:\n${d.example
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n')}\n`,
    );
  }
  io.stdout(out.join('\n'));
  return EXIT_OK;
}

function definitionText(def: RoutineDef | SecondaryDef): string {
  const doc =
    def.doc === undefined
      ? ''
      : `${def.doc
          .split('\n')
          .map((l) => `// ${l}`.trimEnd())
          .join('\n')}\n`;
  const { line } = lineAndColumn(def.file, def.span.start);
  return `// ${def.file.path}:${line}\n${doc}${def.file.text.slice(def.span.start, def.span.end)}\n`;
}

export function runShow(opts: Options, io: Io): number {
  const target = opts.operands[0];
  if (opts.operands.length > 1)
    throw new UsageError("'show' takes one name, such as handle_mm_fault or wp_page_copy@v4.15.");
  if (target === undefined) {
    // Without a name: the list of what the prelude defines, with every variant.
    const { prelude } = loadPrelude(io);
    const label = (d: RoutineDef | SecondaryDef) => (d.variant === undefined ? d.name : `${d.name}@${d.variant}`);
    const routines = prelude.routines.map(label).sort();
    const secondaries = prelude.secondaries.map(label).sort();
    io.stdout(
      `Routines:\n${routines.map((r) => `  ${r}\n`).join('')}Secondary kinds:\n${secondaries.map((k) => `  ${k}\n`).join('')}`,
    );
    return EXIT_OK;
  }
  const [name, variant] = target.split('@') as [string, string | undefined];
  const { prelude } = loadPrelude(io);
  const defs: (RoutineDef | SecondaryDef)[] = [...prelude.routines, ...prelude.secondaries].filter(
    (d) => d.name === name && (variant === undefined || d.variant === variant),
  );
  if (defs.length === 0) {
    throw new UsageError(`No prelude routine or secondary '${target}' ('mmu-litmus show' lists them).`);
  }
  io.stdout(defs.map(definitionText).join('\n'));
  return EXIT_OK;
}

/** `mmu-litmus matrix [SPEC.json]`: the built-in litmus/matrix.json unless a file is given. */
export async function runMatrixCommand(opts: Options, io: Io): Promise<number> {
  onlyForRun(opts, 'matrix', true);
  if (opts.operands.length > 1) throw new UsageError("'matrix' takes at most one matrix definition file.");
  // Each row runs its own kernel version, routine variant and secondary kind: a global override
  // would silently change what the row's label says it checked.
  const perRow =
    opts.kernel !== undefined
      ? '--kernel'
      : opts.variants.size > 0
        ? '--variant'
        : opts.secondaryKinds.size > 0
          ? '--secondary'
          : undefined;
  if (perRow !== undefined)
    throw new UsageError(
      `${perRow} is not an option of 'matrix': each row has its own kernel version, routine variant and secondary kind (litmus/matrix.json).`,
    );
  const runOnly =
    opts.schedule !== undefined
      ? '--schedule'
      : opts.witness
        ? '--witness'
        : opts.stopAtFirst
          ? '--stop-at-first'
          : opts.noCheck.length > 0
            ? '--no-check'
            : undefined;
  if (runOnly !== undefined)
    throw new UsageError(
      `${runOnly} is an option of 'run' and 'test', not of 'matrix': every cell checks every property.`,
    );
  const specPath = opts.operands[0] ?? join(dirname(io.preludeDir), 'litmus', 'matrix.json');
  const m = readMatrix(io, specPath);
  const limits = matrixLimits(opts);
  const result = await checkMatrix(io, opts, m, limits, (cell) => ({ kind: 'matrix-cell', specPath, cell, opts }));
  const cells = result.rows.flatMap((r) => r.cells);
  const code = cells.some((c) => c.kind === 'error')
    ? EXIT_BAD
    : cells.some((c) => c.kind === 'checked' && !c.verdict.result.complete)
      ? EXIT_INCOMPLETE
      : EXIT_OK;
  if (opts.format === 'json') io.stdout(`${JSON.stringify(matrixJson(result, code), null, 2)}\n`);
  else io.stdout(matrixText(result));
  if (opts.html !== undefined)
    writeOutput(io, opts.html, matrixHtmlPage(result, { tool: TOOL, spec: io.displayPath(specPath) }));
  return code;
}

/** The search limits of every matrix cell. */
export function matrixLimits(opts: Options): Limits {
  return {
    ...(opts.maxStates !== undefined ? { maxStates: opts.maxStates } : {}),
    ...(opts.maxDepth !== undefined ? { maxDepth: opts.maxDepth } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
  };
}

/** A matrix definition read, its rows planned and its scenarios parsed (by the parent and by each worker). */
export interface MatrixInput {
  readonly spec: MatrixSpec;
  readonly plan: readonly PlannedRow[];
  readonly prelude: Prelude;
  readonly parsedOf: (file: string) => LitmusFile | readonly Diagnostic[];
  readonly displayPath: (file: string) => string;
}

/** Reads a matrix definition and its scenarios; a file that does not read is a usage error. */
export function readMatrix(io: Io, specPath: string): MatrixInput {
  const base = specPath.replace(/[^/]*$/, '');
  let text: string;
  try {
    text = io.readFile(specPath);
  } catch (e) {
    throw new UsageError(fileError('read', specPath, e));
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(
      `Bad matrix definition '${specPath}': it is not JSON (${e instanceof Error ? e.message : String(e)}).`,
    );
  }
  const spec = validateSpec(raw);
  if (typeof spec === 'string') throw new UsageError(`Bad matrix definition '${specPath}': ${spec}.`);
  const { prelude } = loadPrelude(io);
  const parsed = new Map<string, LitmusFile | readonly Diagnostic[]>();
  for (const { file } of spec.scenarios) {
    if (parsed.has(file)) continue;
    const path = `${base}${file}`;
    let text: string;
    try {
      text = io.readFile(path);
    } catch (e) {
      throw new UsageError(fileError('read', path, e));
    }
    const p = parseLitmus(sourceFile(io.displayPath(path), text));
    parsed.set(file, p.ast !== undefined && p.diagnostics.length === 0 ? p.ast : p.diagnostics);
  }
  return {
    spec,
    plan: matrixPlan(spec),
    prelude,
    parsedOf: (file) => parsed.get(file)!,
    displayPath: (file) => io.displayPath(`${base}${file}`),
  };
}

/** Checks cell `n` of the table (row-major: row n / kinds, column n % kinds). */
export function matrixCellOf(m: MatrixInput, n: number, reduce: boolean, limits: Limits): Cell {
  const columns = m.spec.kinds.length;
  const row = m.plan[Math.floor(n / columns)]!;
  return matrixCell(
    m.parsedOf(row.scenario.file),
    m.prelude,
    row,
    m.spec.kinds[n % columns]!,
    m.displayPath,
    reduce,
    limits,
  );
}
