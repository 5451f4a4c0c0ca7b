// `mmu-litmus check-patch`: a patch to a C file, checked before and after. The patch is applied
// to the base; the functions its hunks touch are found in the pre- and the post-image; each
// touched routine of the matrix (litmus/matrix.json) is imported from the pre-image as variant
// `before` and from the post-image as variant `after`; then every scenario of the matrix that
// uses those routines runs against every secondary kind, before (with the kernel version of the
// pre-image) and after. The run itself is the matrix's: a MatrixSpec whose routines have the two
// variants `before` and `after`, whose kernels are the two versions given.

import {
  type Cell,
  type MatrixResult,
  type MatrixScenario,
  type MatrixSpec,
  routineAt,
  runMatrix,
} from '../check/matrix.js';
import { replay } from '../check/trace.js';
import type { LitmusFile, PreludeFile } from '../lang/ast.js';
import { type Diagnostic, error } from '../lang/diagnostic.js';
import { parsePrelude } from '../lang/parser.js';
import { lineAndColumn, type SourceFile, sourceFile } from '../lang/source.js';
import { CHECKS } from '../model/properties.js';
import type { KernelVersion } from '../model/version.js';
import type { Prelude } from '../semantics/context.js';
import type { Site } from '../semantics/program.js';
import { applyFilePatch } from './apply.js';
import { gitBlobHash } from './blob.js';
import { type DiffLine, type FilePatch, type Hunk, parsePatch } from './diff.js';
import type { CImport, Importer } from './importer.js';
import { type TouchedFunction, touchedFunctions } from './touched.js';

export type Side = 'before' | 'after';
export const SIDES: readonly Side[] = ['before', 'after'];

/** One cell of the patch's matrix: a scenario and a secondary kind, before and after. */
export interface PatchCell {
  readonly scenario: string;
  /** The scenario's file as given in the matrix definition (relative to it). */
  readonly file: string;
  readonly routine: string;
  readonly kind: string;
  readonly before: Cell | undefined;
  readonly after: Cell | undefined;
  /** What the patch does to the cell's violations. */
  readonly change: 'fixed' | 'broken' | 'unchanged' | 'n/a';
}

/** A function the patch touches, or a routine of the matrix that calls one (`via`). */
export interface PatchFunction extends TouchedFunction {
  /** A routine of the matrix (checked). */
  readonly routine: boolean;
  /** The touched helper it calls, when the patch does not touch the routine itself. */
  readonly via: string | undefined;
}

/** A review warning of the post-image, located at the C line and the patch line that cause it. */
export interface LocatedWarning {
  readonly name: string;
  /** The message of the warning's first occurrence. */
  readonly message: string;
  /** The post-image line the warning's step was translated from (undefined: not in the imported code). */
  readonly cLine: number | undefined;
  readonly cText: string | undefined;
  /** The hunk and `+` line that added that line; undefined when the patch did not add it. */
  readonly hunk: Hunk | undefined;
  readonly line: DiffLine | undefined;
  /** The step in the generated litmus: its file and line. */
  readonly litmus: { readonly path: string; readonly line: number } | undefined;
  /** The cells (`scenario kind`) that raise it. */
  readonly cells: readonly string[];
}

export interface PatchCheck {
  readonly patchPath: string;
  readonly basePath: string;
  /** The base's blob hash, and the pre-image blob the patch's index line names. */
  readonly blob: { readonly base: string; readonly expected: string | undefined };
  readonly file: FilePatch;
  /** The post-image's path as diagnostics and warnings name it. */
  readonly afterPath: string;
  readonly afterText: string;
  readonly functions: readonly PatchFunction[];
  readonly outside: readonly { readonly hunk: number; readonly patchLine: number }[];
  /** The matrix routines checked. */
  readonly routines: readonly string[];
  readonly kernels: Readonly<Record<Side, KernelVersion>>;
  readonly kinds: readonly string[];
  readonly cells: readonly PatchCell[];
  /** The run itself: rows `scenario routine@before` and `@after`, one column per kind (for --html). */
  readonly matrix: MatrixResult;
  readonly warnings: readonly LocatedWarning[];
  /** Warnings about the input (a base that is not the patch's pre-image). */
  readonly notes: readonly Diagnostic[];
  readonly imported: Readonly<Record<Side, { readonly file: SourceFile; readonly result: CImport }>>;
}

export interface PatchCheckOptions {
  readonly patch: SourceFile;
  readonly base: SourceFile;
  readonly spec: MatrixSpec;
  readonly prelude: Prelude;
  readonly importer: Importer;
  readonly kernels: Readonly<Record<Side, KernelVersion>>;
  /** The secondary kinds to run (default: every kind of the spec). */
  readonly kinds?: readonly string[];
  /** Run only one side of one cell (the replay of an unsafe cell). */
  readonly only?: { readonly scenario: string; readonly kind: string; readonly side: Side };
  readonly config?: ReadonlyMap<string, boolean>;
  readonly loadScenario: (file: string) => LitmusFile | readonly Diagnostic[];
  readonly displayScenario: (file: string) => string;
  /**
   * The command that replays one side of one cell. The matrix's own (`mmu-litmus run … --variant
   * R=before`) cannot: the variants `before`/`after` exist only inside check-patch.
   */
  readonly replayCommand: (scenario: string, kind: string, side: Side) => string;
  readonly reduce?: boolean;
  /**
   * Checks the cells of the before/after matrix (default: `runMatrix` in this thread). The CLI
   * passes one that checks them on worker threads, which rebuild the prelude from the imported
   * files' text (`withImported`).
   */
  readonly checkCells?: (spec: MatrixSpec, prelude: Prelude, imported: readonly SourceFile[]) => Promise<MatrixResult>;
}

export type PatchCheckResult =
  | { readonly ok: true; readonly check: PatchCheck }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** A scenario's short name: its file name without folder and extension. */
export function scenarioName(file: string): string {
  return file.replace(/^.*\//, '').replace(/\.litmus$/, '');
}

function list(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The violations of a checked cell, with a kernel WARN_ON reached counted as one. */
function failures(c: Extract<Cell, { kind: 'checked' }>): Set<string> {
  const out = new Set(c.verdict.violations.map((v) => v.property));
  if (c.verdict.warnings.some((w) => w.property === 'kernel-warning')) out.add('kernel-warning');
  // The scenario's forall / ~exists condition failing counts like a property (the matrix's `cond`).
  if (c.conditionFails) out.add('final-condition');
  return out;
}

/**
 * What the patch does to a cell: a violation (a kernel WARN reached, a failing final condition) after that was not
 * there before breaks it; one before that is gone after, with nothing new, is fixed.
 */
function changeOf(before: Cell | undefined, after: Cell | undefined): PatchCell['change'] {
  if (before?.kind !== 'checked' || after?.kind !== 'checked') return 'n/a';
  const b = failures(before);
  const a = failures(after);
  if ([...a].some((p) => !b.has(p))) return 'broken';
  if ([...b].some((p) => !a.has(p))) return 'fixed';
  return 'unchanged';
}

/**
 * Where a warning's step is in the imported code: the step itself when it is in `file`, or the
 * innermost call in `file` that inlined it (a prelude routine called from the imported one).
 */
function siteLine(site: Site | undefined, file: SourceFile): number | undefined {
  if (site === undefined) return undefined;
  if (site.file === file) return lineAndColumn(file, site.span.start).line;
  for (let i = site.chain.length - 1; i >= 0; i--) {
    const c = site.chain[i]!;
    if (c.file === file) return lineAndColumn(file, c.span.start).line;
  }
  return undefined;
}

function lineOf(text: string, line: number): string | undefined {
  const lines = text.split('\n');
  return line >= 1 && line <= lines.length ? lines[line - 1] : undefined;
}

/**
 * The prelude with the imported files added: each list a prelude file holds (its routines, and
 * whatever else the language lets a prelude declare, such as named constants) is appended to the
 * prelude's list of the same name, so nothing the importer emits is dropped.
 */
export function withImported(prelude: Prelude, files: readonly PreludeFile[]): Prelude {
  const out: Record<string, unknown> = { ...prelude };
  for (const f of files) {
    for (const [key, value] of Object.entries(f)) {
      if (!Array.isArray(value)) continue;
      const had = out[key];
      out[key] = [...(Array.isArray(had) ? had : []), ...value];
    }
  }
  return out as unknown as Prelude;
}

export async function checkPatch(o: PatchCheckOptions): Promise<PatchCheckResult> {
  const parsed = parsePatch(o.patch);
  if (parsed.patch === undefined) return { ok: false, diagnostics: parsed.diagnostics };
  const files = parsed.patch.files;
  if (files.length !== 1) {
    return {
      ok: false,
      diagnostics: [
        error(
          'ML7004',
          o.patch,
          files[1]!.span,
          `The patch changes ${files.length} files (${list(files.map((f) => f.newPath))}), and check-patch checks a patch to one C file against its --base.`,
        ),
      ],
    };
  }
  const fp = files[0]!;
  const notes: Diagnostic[] = [];
  const baseBlob = gitBlobHash(o.base.text);
  if (fp.index !== undefined && !baseBlob.startsWith(fp.index.old)) {
    notes.push({
      ...error(
        'ML7005',
        o.patch,
        fp.index.span,
        `The base '${o.base.path}' is not the file this patch was made against: its blob is ${baseBlob.slice(0, fp.index.old.length)} and the patch names ${fp.index.old}.`,
      ),
      severity: 'warning',
    });
  }
  const applied = applyFilePatch(o.base.text, o.base.path, fp, o.patch);
  if ('diagnostic' in applied) return { ok: false, diagnostics: [...notes, applied.diagnostic] };
  const afterText = applied.text;
  const afterPath = `${o.base.path}@after`;

  // The functions touched, and which of them are routines of the matrix.
  const preFns = o.importer.findFunctions(o.base.text);
  const postFns = o.importer.findFunctions(afterText);
  const touched = touchedFunctions(fp, preFns, postFns);
  const known = Object.keys(o.spec.routines);
  const touchedNames = new Set(touched.functions.map((f) => f.name));
  const affected = known.filter((r) => touchedNames.has(r));
  const via = new Map<string, string>();
  // A routine of the matrix that calls a touched helper of the same file is affected too: the
  // importer brings the helpers along, so its import names them.
  const helpers = touched.functions.filter((f) => !known.includes(f.name)).map((f) => f.name);
  if (helpers.length > 0) {
    for (const r of known) {
      if (affected.includes(r) || !postFns.some((f) => f.name === r)) continue;
      const probe = o.importer.importFunctions({ path: afterPath, text: afterText }, [r], {
        variant: 'after',
        kernel: o.kernels.after,
        ...(o.config !== undefined ? { config: o.config } : {}),
      });
      // The importer names routines with their variant (`note_skipped@after`).
      const helper = helpers.find((h) => probe.ok && probe.routines.some((n) => n.replace(/@.*$/, '') === h));
      if (helper !== undefined) {
        affected.push(r);
        via.set(r, helper);
      }
    }
  }
  if (affected.length === 0) {
    const what =
      touched.functions.length > 0
        ? `it changes ${list(touched.functions.map((f) => f.name))}`
        : 'every line it changes is outside the functions of the file';
    return {
      ok: false,
      diagnostics: [
        ...notes,
        error(
          'ML7003',
          o.patch,
          fp.hunks[0]!.span,
          `The patch touches no routine of the matrix (${list(known)}): ${what}.`,
        ),
      ],
    };
  }
  for (const r of affected) {
    const side = !preFns.some((f) => f.name === r) ? 'pre' : !postFns.some((f) => f.name === r) ? 'post' : undefined;
    if (side !== undefined) {
      const f = touched.functions.find((t) => t.name === r);
      const hunk = fp.hunks.find((h) => h.index === f?.hunks[0]) ?? fp.hunks[0]!;
      return {
        ok: false,
        diagnostics: [
          ...notes,
          error(
            'ML7006',
            o.patch,
            hunk.span,
            `The patch ${side === 'pre' ? 'adds' : 'removes'} ${r}, so there is no ${side === 'pre' ? 'pre-image' : 'post-image'} of it to compare with.`,
          ),
        ],
      };
    }
  }

  // Import both sides, each under its own variant name and kernel version.
  const imported = {} as Record<Side, { file: SourceFile; result: CImport }>;
  const importedFiles: PreludeFile[] = [];
  for (const side of SIDES) {
    const c = side === 'before' ? { path: o.base.path, text: o.base.text } : { path: afterPath, text: afterText };
    const result = o.importer.importFunctions(c, affected, {
      variant: side,
      kernel: o.kernels[side],
      ...(o.config !== undefined ? { config: o.config } : {}),
    });
    if (!result.ok) return { ok: false, diagnostics: [...notes, ...result.diagnostics] };
    const file = sourceFile(`${c.path}.litmus`, result.litmus);
    const ast = parsePrelude(file);
    if (ast.diagnostics.length > 0) return { ok: false, diagnostics: [...notes, ...ast.diagnostics] };
    importedFiles.push(ast.ast);
    imported[side] = { file, result };
  }

  // The matrix over the affected routines, with the variants `before` and `after`.
  const kinds = o.spec.kinds.filter(
    (k) => (o.kinds === undefined || o.kinds.includes(k.kind)) && (o.only === undefined || o.only.kind === k.kind),
  );
  // A scenario names a routine family (migration moved from try_to_unmap_one to
  // try_to_migrate_one): it is run when the routine its path calls under both kernels is one the
  // patch changes. Its family is cut down to that routine, whose variants are `before`/`after`.
  const scenarios = o.spec.scenarios
    .filter((s) => {
      const r = routineAt(s, o.kernels.before);
      return affected.includes(r) && routineAt(s, o.kernels.after) === r;
    })
    .filter((s) => o.only === undefined || scenarioName(s.file) === o.only.scenario)
    .map((s): MatrixScenario => ({ file: s.file, routine: routineAt(s, o.kernels.before), secondary: s.secondary }));
  const sides = o.only === undefined ? SIDES : [o.only.side];
  const spec: MatrixSpec = {
    routines: Object.fromEntries(affected.map((r) => [r, sides])),
    kernels: o.kernels,
    kinds,
    scenarios,
  };
  const prelude = withImported(o.prelude, importedFiles);
  const run =
    o.checkCells === undefined
      ? runMatrix(spec, prelude, o.loadScenario, o.displayScenario, o.reduce ?? true)
      : await o.checkCells(
          spec,
          prelude,
          SIDES.map((side) => imported[side].file),
        );
  const m: MatrixResult = {
    ...run,
    rows: run.rows.map((r) => ({
      ...r,
      cells: r.cells.map((c, i) =>
        c.kind === 'checked'
          ? { ...c, replay: o.replayCommand(scenarioName(r.file), run.kinds[i]!, r.variant as Side) }
          : c,
      ),
    })),
  };

  const cells: PatchCell[] = [];
  for (const s of scenarios) {
    const rowOf = (side: Side) => m.rows.find((r) => r.file === s.file && r.variant === side);
    kinds.forEach((k, i) => {
      const before = rowOf('before')?.cells[i];
      const after = rowOf('after')?.cells[i];
      cells.push({
        scenario: scenarioName(s.file),
        file: s.file,
        routine: s.routine,
        kind: k.kind,
        before,
        after,
        change: changeOf(before, after),
      });
    });
  }

  // Every review warning of the post-image, at the line of the patch that caused it.
  const warnings = new Map<string, LocatedWarning & { cells: string[] }>();
  const afterFile = imported.after.file;
  for (const c of cells) {
    if (c.after?.kind !== 'checked') continue;
    const v = c.after.verdict;
    for (const w of v.warnings) {
      const r = replay(v.program, w.schedule);
      if (!r.ok) continue;
      const bit = CHECKS.indexOf(w.property as (typeof CHECKS)[number]);
      let site: Site | undefined;
      let message = '';
      for (let i = r.steps.length - 1; i >= 0 && site === undefined; i--) {
        const e = r.steps[i]!.events.find((x) => x.property === bit);
        if (e !== undefined) {
          site = r.steps[i]!.site;
          message = e.message;
        }
      }
      const litmusLine = siteLine(site, afterFile);
      const cLine = litmusLine === undefined ? undefined : imported.after.result.cLineOf(litmusLine);
      let hunk: Hunk | undefined;
      let line: DiffLine | undefined;
      for (const h of fp.hunks) {
        const l = h.lines.find((x) => x.op === '+' && x.newLine === cLine);
        if (l !== undefined) {
          hunk = h;
          line = l;
        }
      }
      const key = `${w.property}\0${cLine ?? `?${message}`}`;
      const cellName = `${c.scenario} ${c.kind}`;
      const found = warnings.get(key);
      if (found !== undefined) {
        if (!found.cells.includes(cellName)) found.cells.push(cellName);
        continue;
      }
      warnings.set(key, {
        name: w.property,
        message,
        cLine,
        cText: cLine === undefined ? undefined : lineOf(afterText, cLine),
        hunk,
        line,
        litmus: litmusLine === undefined ? undefined : { path: afterFile.path, line: litmusLine },
        cells: [cellName],
      });
    }
  }
  const located = [...warnings.values()].sort(
    (a, b) => (a.cLine ?? Infinity) - (b.cLine ?? Infinity) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );

  return {
    ok: true,
    check: {
      patchPath: o.patch.path,
      basePath: o.base.path,
      blob: { base: baseBlob, expected: fp.index?.old },
      file: fp,
      afterPath,
      afterText,
      functions: [
        ...touched.functions.map((f): PatchFunction => ({ ...f, routine: affected.includes(f.name), via: undefined })),
        ...[...via].map(
          ([r, h]): PatchFunction => ({
            name: r,
            pre: preFns.find((f) => f.name === r),
            post: postFns.find((f) => f.name === r),
            hunks: [],
            routine: true,
            via: h,
          }),
        ),
      ],
      outside: touched.outside,
      routines: affected,
      kernels: o.kernels,
      kinds: kinds.map((k) => k.kind),
      cells,
      matrix: m,
      warnings: located,
      notes,
      imported,
    },
  };
}
