// Diagnostics: user mistakes are values, never exceptions. Each has a stable code (docs/errors.md),
// a span in a source file and a message of one sentence.

import { cLocationOf } from './cMarker.js';
import { lineAndColumn, lineText, type SourceFile, type Span } from './source.js';

export interface Diagnostic {
  /** Stable code such as `ML1001`; see docs/errors.md and codes.ts. */
  readonly code: string;
  readonly message: string;
  readonly file: SourceFile;
  readonly span: Span;
  readonly severity: 'error' | 'warning';
}

export function error(code: string, file: SourceFile, span: Span, message: string): Diagnostic {
  return { code, message, file, span, severity: 'error' };
}

/** Control characters (C0 but tab, DEL, C1) and the bidirectional overrides that reorder a line. */
function isControl(n: number): boolean {
  return (
    (n < 0x20 && n !== 0x09) ||
    (n >= 0x7f && n <= 0x9f) ||
    n === 0x2028 ||
    n === 0x2029 ||
    (n >= 0x202a && n <= 0x202e) ||
    (n >= 0x2066 && n <= 0x2069)
  );
}

/** `s` with every control character written as `\xNN` or `\uNNNN`, so no terminal acts on it. */
export function escapeControls(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const n = s.charCodeAt(i);
    if (!isControl(n)) continue;
    out +=
      s.slice(from, i) +
      (n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`);
    from = i + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

/**
 * A source line as shown under a diagnostic (tabs as spaces, control characters escaped) and the
 * carets under columns [column, column + width) of the original line, shifted by the escapes.
 */
export function excerpt(text: string, column: number, width: number): { text: string; carets: string } {
  const shown = (s: string) => escapeControls(s.replace(/\t/g, ' '));
  const before = shown(text.slice(0, column - 1)).length;
  const under = shown(text.slice(column - 1, column - 1 + width)).length;
  return { text: shown(text), carets: `${' '.repeat(before)}${'^'.repeat(Math.max(1, under))}` };
}

/**
 * Renders `file:line:col: error MLnnnn: message.` then the source line with carets under the span
 * (clipped to the first line of the span).
 */
export function renderDiagnostic(d: Diagnostic): string {
  const { line, column } = lineAndColumn(d.file, d.span.start);
  const text = lineText(d.file, line);
  const spanEndCol = d.span.end > d.span.start ? lineAndColumn(d.file, d.span.end).column : column + 1;
  const sameLine = lineAndColumn(d.file, Math.max(d.span.start, d.span.end - 1)).line === line;
  const width = Math.max(1, sameLine ? spanEndCol - column : text.length - column + 1);
  const shown = excerpt(text, column, width);
  const gutter = String(line);
  const pad = ' '.repeat(gutter.length);
  // a statement imported from C (`mmu-litmus import`) also names its C line
  const c = cLocationOf(text);
  const from = c === undefined ? '' : `${escapeControls(`${pad} = imported from ${c.path}:${c.line}`)}\n`;
  const head = escapeControls(`${d.file.path}:${line}:${column}: ${d.severity} ${d.code}: ${d.message}`);
  return `${head}\n${pad} |\n${gutter} | ${shown.text}\n${pad} | ${shown.carets}\n${from}`;
}

/** Diagnostics shown for one file; the rest are counted on one line. */
export const MAX_SHOWN = 50;

/** Renders sorted diagnostics, at most MAX_SHOWN of them, then `… N more diagnostics in FILE …`. */
export function renderDiagnostics(ds: readonly Diagnostic[]): string {
  const sorted = sortDiagnostics(ds);
  const shown = sorted.slice(0, MAX_SHOWN).map(renderDiagnostic).join('');
  const rest = sorted.length - MAX_SHOWN;
  if (rest <= 0) return shown;
  const files = [...new Set(sorted.slice(MAX_SHOWN).map((d) => d.file.path))].join(', ');
  return `${shown}${escapeControls(`… ${rest} more diagnostic${rest === 1 ? '' : 's'} in ${files} (the first ${MAX_SHOWN} are shown).`)}\n`;
}

/** Sorts by file, then offset, then code, so output is deterministic. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0) ||
      a.span.start - b.span.start ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
