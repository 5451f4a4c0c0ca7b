// The output of `mmu-litmus check-patch`: the cells before → after with what the patch does to
// each, the review warnings of the post-image at the patch lines that cause them, and a replay
// command per unsafe cell; and the same as versioned JSON (`mmu-litmus-check-patch/1`).

import type { Cell } from '../check/matrix.js';
import { type Diagnostic, renderDiagnostic, sortDiagnostics } from '../lang/diagnostic.js';
import type { PatchCell, PatchCheck, Side } from '../patch/check.js';
import { diagnosticJson } from './json.js';
import { cellStatus, cellText } from './matrix.js';

export interface PatchReportOptions {
  /** The command that replays one side of one cell (`check-patch … --cell SCENARIO:KIND:SIDE`). */
  readonly replay: (cell: PatchCell, side: Side) => string;
}

function hunkList(hunks: readonly number[]): string {
  return hunks.length === 1 ? `hunk ${hunks[0]}` : `hunks ${hunks.join(', ')}`;
}

/** A cell to replay: a violation, a kernel WARN reached, a vacuous or an incomplete search. */
function notSafe(c: Cell | undefined): boolean {
  return c?.kind === 'checked' && cellStatus(c) !== 'safe';
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cols: readonly string[]) =>
    cols
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return `${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map((r) => `${line(r)}\n`).join('')}`;
}

export function patchText(p: PatchCheck, o: PatchReportOptions): string {
  let out = '';
  const blob =
    p.blob.expected === undefined
      ? `blob ${p.blob.base.slice(0, 12)}; the patch names no pre-image blob`
      : p.blob.base.startsWith(p.blob.expected)
        ? `blob ${p.blob.expected}, the pre-image the patch names`
        : `blob ${p.blob.base.slice(0, p.blob.expected.length)}, NOT the pre-image ${p.blob.expected} the patch names`;
  out += `Patch ${p.patchPath} on ${p.basePath} (${blob})\n`;
  const touched = p.functions.map((f) =>
    f.via !== undefined
      ? `${f.name} (calls ${f.via})`
      : `${f.name} (${hunkList(f.hunks)}${f.routine ? '' : '; not a routine of the matrix'})`,
  );
  if (p.outside.length > 0)
    touched.push(`${p.outside.length} line${p.outside.length === 1 ? '' : 's'} outside every function`);
  out += `Touched: ${touched.join(', ')}\n`;
  out += `Checked: ${p.routines.join(', ')} as @before (the pre-image, kernel ${p.kernels.before}) and @after (the post-image, kernel ${p.kernels.after})\n`;
  out += '\n';

  const rows = p.cells.map((c) => [
    c.scenario,
    c.routine,
    c.kind,
    c.before === undefined ? '-' : cellText(c.before),
    c.after === undefined ? '-' : cellText(c.after),
    c.change,
  ]);
  out += table(['scenario', 'routine', 'kind', 'before', 'after', 'change'], rows);
  out +=
    '\nsafe = no property violated, no WARN reached, and the routine changed an entry; warn = a kernel WARN_ON reached; vacuous = the routine changed no entry; cond = the forall/~exists condition of the scenario fails; n/a = the secondary kind does not exist in that kernel; ? = search cut short; !late, !needless = review warnings\n';
  out +=
    'fixed = a violation (or WARN, or cond) before is gone after; broken = a violation (or WARN, or cond) after was not there before; unchanged = the same ones\n';

  if (p.warnings.length > 0) {
    out += '\nReview warnings of the post-image, at the patch lines that cause them:\n';
    for (const w of p.warnings) {
      const at =
        w.cLine === undefined
          ? 'outside the imported code'
          : w.hunk === undefined || w.line === undefined
            ? `${p.afterPath}:${w.cLine} (a line the patch does not add)`
            : `${p.afterPath}:${w.cLine}, hunk ${w.hunk.index} (${p.patchPath}:${w.line.patchLine})`;
      out += `  ${w.name} at ${at}\n`;
      if (w.line !== undefined) out += `      +${w.line.text.replace(/\t/g, '    ')}\n`;
      else if (w.cText !== undefined) out += `       ${w.cText.replace(/\t/g, '    ')}\n`;
      out += `      ${w.message}\n`;
      out += `      in ${w.cells.join(', ')}\n`;
    }
  }

  const replays = p.cells.flatMap((c) =>
    (['before', 'after'] as const)
      .filter((side) => notSafe(c[side]))
      .map((side) => `  ${c.scenario} ${c.kind} ${side}: ${o.replay(c, side)}`),
  );
  if (replays.length > 0) out += `\nReplay the cells that are not safe:\n${replays.join('\n')}\n`;

  // The same diagnostics in many cells (an imported routine that does not compile) are printed once.
  const errors = new Map<string, string[]>();
  for (const c of p.cells) {
    for (const side of ['before', 'after'] as const) {
      const cell = c[side];
      if (cell?.kind !== 'error') continue;
      const text = cell.diagnostics.map(renderDiagnostic).join('');
      errors.set(text, [...(errors.get(text) ?? []), `${c.scenario} ${c.kind} ${side}`]);
    }
  }
  if (errors.size > 0)
    out += `\nErrors:\n${[...errors].map(([text, where]) => `${where.join(', ')}:\n${text}`).join('\n')}`;

  const count = (k: PatchCell['change']) => p.cells.filter((c) => c.change === k).length;
  out += `\n${p.cells.length} cells: ${count('fixed')} fixed, ${count('broken')} broken, ${count('unchanged')} unchanged`;
  out += count('n/a') > 0 ? `, ${count('n/a')} not comparable\n` : '\n';
  return out;
}

function sideJson(c: Cell | undefined, replay: string) {
  if (c === undefined) return null;
  if (c.kind !== 'checked')
    return {
      status: c.kind,
      violations: [],
      warnings: [],
      complete: null,
      conditionFails: null,
      replay: null,
      diagnostics: c.kind === 'error' ? sortDiagnostics(c.diagnostics).map(diagnosticJson) : [],
    };
  const v = c.verdict;
  const status = cellStatus(c);
  return {
    status,
    violations: v.violations.map((x) => x.property),
    warnings: v.warnings.map((x) => x.property),
    complete: v.result.complete,
    conditionFails: c.conditionFails,
    states: v.result.states,
    replay: status !== 'safe' ? replay : null,
    diagnostics: [],
  };
}

export const PATCH_FORMAT = 'mmu-litmus-check-patch/1';

/** `check-patch --format json` (docs/json.md); `exit` is the command's exit code. */
export function patchJson(p: PatchCheck, o: PatchReportOptions, exit: number) {
  return {
    format: PATCH_FORMAT,
    patch: p.patchPath,
    base: p.basePath,
    blob: { base: p.blob.base, expected: p.blob.expected ?? null },
    kernels: p.kernels,
    functions: p.functions.map((f) => ({
      name: f.name,
      routine: f.routine,
      hunks: f.hunks,
      via: f.via ?? null,
      before: f.pre === undefined ? null : { startLine: f.pre.startLine, endLine: f.pre.endLine },
      after: f.post === undefined ? null : { startLine: f.post.startLine, endLine: f.post.endLine },
    })),
    kinds: p.kinds,
    cells: p.cells.map((c) => ({
      scenario: c.scenario,
      file: c.file,
      routine: c.routine,
      kind: c.kind,
      change: c.change,
      before: sideJson(c.before, o.replay(c, 'before')),
      after: sideJson(c.after, o.replay(c, 'after')),
    })),
    warnings: p.warnings.map((w) => ({
      name: w.name,
      file: p.afterPath,
      line: w.cLine ?? null,
      hunk: w.hunk?.index ?? null,
      patchLine: w.line?.patchLine ?? null,
      text: w.line !== undefined ? `+${w.line.text}` : (w.cText ?? null),
      message: w.message,
      cells: w.cells,
    })),
    notes: p.notes.map((n) => renderDiagnostic(n)),
    diagnostics: sortDiagnostics(p.notes).map(diagnosticJson),
    exit,
  };
}

/**
 * `check-patch --format json` when the patch cannot be checked (it does not read or apply, touches
 * no routine, its C does not import): the same document with empty lists and the diagnostics.
 */
export function patchErrorJson(
  o: { patch: string; base: string; kernels: PatchCheck['kernels'] },
  diagnostics: readonly Diagnostic[],
  exit: number,
) {
  return {
    format: PATCH_FORMAT,
    patch: o.patch,
    base: o.base,
    blob: null,
    kernels: o.kernels,
    functions: [],
    kinds: [],
    cells: [],
    warnings: [],
    notes: [],
    diagnostics: sortDiagnostics(diagnostics).map(diagnosticJson),
    exit,
  };
}
