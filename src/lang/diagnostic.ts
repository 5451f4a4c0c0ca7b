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

/**
 * Renders `file:line:col: error MLnnnn: message.` then the source line with carets under the span
 * (clipped to the first line of the span).
 */
export function renderDiagnostic(d: Diagnostic): string {
  const { line, column } = lineAndColumn(d.file, d.span.start);
  const text = lineText(d.file, line).replace(/\t/g, ' ');
  const spanEndCol = d.span.end > d.span.start ? lineAndColumn(d.file, d.span.end).column : column + 1;
  const sameLine = lineAndColumn(d.file, Math.max(d.span.start, d.span.end - 1)).line === line;
  const width = Math.max(1, sameLine ? spanEndCol - column : text.length - column + 1);
  const carets = `${' '.repeat(column - 1)}${'^'.repeat(width)}`;
  const gutter = String(line);
  const pad = ' '.repeat(gutter.length);
  // a statement imported from C (`mmu-litmus import`) also names its C line
  const c = cLocationOf(text);
  const from = c === undefined ? '' : `${pad} = imported from ${c.path}:${c.line}\n`;
  return `${d.file.path}:${line}:${column}: ${d.severity} ${d.code}: ${d.message}\n${pad} |\n${gutter} | ${text}\n${pad} | ${carets}\n${from}`;
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
