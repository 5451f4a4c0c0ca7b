// A source file and the offset → line/column mapping. Spans are offsets; lines and columns are
// computed lazily, only when something is rendered.

/** A loaded source text with a display path (what diagnostics print). */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
  /** Offsets where each line starts; filled on first use. */
  lineStarts?: number[];
}

/** A half-open range of offsets [start, end) in one source file. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export function sourceFile(path: string, text: string): SourceFile {
  return { path, text };
}

function lineStartsOf(file: SourceFile): number[] {
  if (file.lineStarts === undefined) {
    const starts = [0];
    const text = file.text;
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) starts.push(i + 1);
    }
    file.lineStarts = starts;
  }
  return file.lineStarts;
}

/** 1-based line and column of an offset. */
export function lineAndColumn(file: SourceFile, offset: number): { line: number; column: number } {
  const starts = lineStartsOf(file);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/** The text of a 1-based line, without its line break. */
export function lineText(file: SourceFile, line: number): string {
  const starts = lineStartsOf(file);
  const start = starts[line - 1] ?? file.text.length;
  const next = starts[line];
  let end = next === undefined ? file.text.length : next - 1;
  if (end > start && file.text.charCodeAt(end - 1) === 13) end--;
  return file.text.slice(start, end);
}
