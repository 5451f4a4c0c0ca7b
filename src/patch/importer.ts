// What `check-patch` needs from the C front end (src/import): find the functions of a C file and
// translate some of them into litmus routines of a named variant. The command line passes the
// real front end; tests pass a double. The shapes are those of src/import/index.ts.

import type { Diagnostic } from '../lang/diagnostic.js';
import type { KernelVersion } from '../model/version.js';

/** A function definition of a C file: 1-based, inclusive lines. */
export interface CFunction {
  readonly name: string;
  readonly startLine: number;
  readonly endLine: number;
}

export interface CImport {
  readonly ok: boolean;
  /** The routines as litmus text (a prelude-style file: routine definitions). */
  readonly litmus: string;
  /** The routines defined in `litmus` (the functions asked for and the same-file helpers they call). */
  readonly routines: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  readonly report: unknown;
  /** A line of the generated litmus → the C line it was translated from. */
  cLineOf(litmusLine: number): number | undefined;
}

export interface Importer {
  findFunctions(text: string): readonly CFunction[];
  importFunctions(
    file: { readonly path: string; readonly text: string },
    functions: readonly string[],
    opts: { readonly variant: string; readonly kernel: KernelVersion; readonly config?: ReadonlyMap<string, boolean> },
  ): CImport;
}
