// What the CLI needs from the outside world; tests pass string buffers and an in-memory file map.

export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  readFile(path: string): string;
  isDirectory(path: string): boolean;
  listDir(path: string): string[];
  exists(path: string): boolean;
  /** Writes a whole file (`--itf`, `--html`); throws when it cannot. */
  writeFile(path: string, text: string): void;
  /** Worker threads without `--jobs` (the number of cores). */
  readonly jobs: number;
  /** Whether to print a progress line on stderr (a terminal). */
  readonly progress: boolean;
  now(): number;
  rss(): number;
  hash(text: string): string;
  /** Where the shipped prelude lives. */
  readonly preludeDir: string;
  /** How to show a path in output (relative to the working directory). */
  displayPath(path: string): string;
}
