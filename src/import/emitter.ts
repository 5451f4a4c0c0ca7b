// Litmus text being generated, line by line, each line remembering the C line it comes from
// (`cLineOf`), and each statement line ending with a `// file.c:LINE` marker that the trace and
// diagnostic printers read back (src/import/marker.ts).

import { cMarker } from '../lang/cMarker.js';

export class Emitter {
  private readonly lines: { text: string; cLine: number | undefined }[] = [];
  private depth = 0;

  constructor(private readonly cPath: string) {}

  indent(): void {
    this.depth++;
  }

  dedent(): void {
    this.depth--;
  }

  /** A line of structure (`routine …{`, `} else {`, a comment). */
  line(text: string, cLine?: number): void {
    this.lines.push({ text: text === '' ? '' : `${'  '.repeat(this.depth)}${text}`, cLine });
  }

  /** A statement translated from the C at `cLine`, with its marker. */
  stmt(text: string, cLine: number): void {
    this.lines.push({ text: `${'  '.repeat(this.depth)}${text}  ${cMarker(this.cPath, cLine)}`, cLine });
  }

  /** The number of lines so far (to know where a routine starts). */
  get length(): number {
    return this.lines.length;
  }

  /** Drops the lines after `n` (a routine that failed to translate). */
  truncate(n: number): void {
    this.lines.length = n;
  }

  text(): string {
    return this.lines.map((l) => `${l.text}\n`).join('');
  }

  /** 1-based litmus line → C line, for the lines `text()` returns. */
  cLines(): (number | undefined)[] {
    return this.lines.map((l) => l.cLine);
  }
}
