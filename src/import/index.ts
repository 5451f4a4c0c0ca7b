// The C front end's public API: load the parser, list a file's functions, import some of them as
// litmus routines with a report. `mmu-litmus import` and `check-patch` are built on it.

import type { Diagnostic } from '../lang/diagnostic.js';
import type { KernelVersion } from '../model/version.js';
import { type CFunction, functionNodes } from './functions.js';
import { type CParser, parseC } from './parser.js';
import type { ImportReport } from './report.js';
import { translateFile } from './translate.js';

export type { CFunction } from './functions.js';
export { KERNEL_VERSIONS_COVERED } from './mapping.js';
export { type CParser, type CParserWasm, loadCParser } from './parser.js';
export type { ImportedFunction, ImportReport, ReportItem, ReportKind } from './report.js';
export { reportText } from './report.js';

export interface ImportOptions {
  /** The variant the routines carry (`try_to_unmap_one@V`). */
  readonly variant: string;
  /** Selects the mapping rows (signatures change between versions). */
  readonly kernel: KernelVersion;
  /** `CONFIG_X` → y/n for `#ifdef`/`#if IS_ENABLED(…)`; the rest take the table's defaults. */
  readonly config?: ReadonlyMap<string, boolean>;
}

export interface ImportResult {
  /** false: diagnostics has errors, litmus is unusable. */
  readonly ok: boolean;
  /** The routines (and the enums/defines they need) as litmus text. */
  readonly litmus: string;
  /** e.g. ["try_to_unmap_one@after", …]. */
  readonly routines: readonly string[];
  /** Located in the C file. */
  readonly diagnostics: readonly Diagnostic[];
  /** As printed by `import`. */
  readonly report: ImportReport;
  /** Generated litmus line (1-based) → C line (1-based). */
  cLineOf(litmusLine: number): number | undefined;
}

/** The function definitions of a C file, in file order. */
export function findFunctions(p: CParser, text: string): CFunction[] {
  return functionNodes(parseC(p, text)).map((f) => f.fn);
}

/** Imports `functions` (and the same-file helpers they call) from a C file. */
export function importFunctions(
  p: CParser,
  file: { path: string; text: string },
  functions: readonly string[],
  opts: ImportOptions,
): ImportResult {
  return translateFile(parseC(p, file.text), file, functions, opts);
}
