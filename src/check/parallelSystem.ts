// How a worker of the parallel search (explore/parallel.ts) builds the litmus transition system
// the coordinating thread searches: from the test's text, the prelude's files and the compile
// options, all plain data, compiled again in the worker (a compiled program holds closures).

import type { TransitionSystem } from '../explore/system.js';
import { renderDiagnostics } from '../lang/diagnostic.js';
import { parseLitmus, parsePrelude } from '../lang/parser.js';
import { sourceFile } from '../lang/source.js';
import type { KernelVersion } from '../model/version.js';
import { type CompileOptions, compile } from '../semantics/compile.js';
import type { Prelude } from '../semantics/context.js';
import type { Program } from '../semantics/program.js';
import { LitmusSystem } from '../semantics/system.js';

export interface LitmusSpecData {
  /** The test's path as shown in diagnostics, and its text. */
  readonly path: string;
  readonly text: string;
  /** The prelude's `.litmus` files (name, text), in load order. */
  readonly prelude: readonly (readonly [string, string])[];
  readonly kernel?: KernelVersion;
  readonly noCheck?: readonly string[];
  readonly variants?: readonly (readonly [string, string])[];
  readonly secondaryKinds?: readonly (readonly [string, string])[];
}

/** Parses and compiles the test of `data`; a test that does not compile is an internal error here. */
export function compileSpec(data: LitmusSpecData): Program {
  const files = data.prelude.map(([n, text]) => parsePrelude(sourceFile(`prelude/${n}`, text)).ast);
  const prelude: Prelude = {
    routines: files.flatMap((f) => f.routines),
    secondaries: files.flatMap((f) => f.secondaries),
    constants: files.flatMap((f) => f.constants),
  };
  const parsed = parseLitmus(sourceFile(data.path, data.text));
  if (parsed.ast === undefined || parsed.diagnostics.length > 0)
    throw new Error(`a search worker could not parse the test:\n${renderDiagnostics(parsed.diagnostics)}`);
  const options: CompileOptions = {
    ...(data.kernel !== undefined ? { kernel: data.kernel } : {}),
    ...(data.noCheck !== undefined ? { noCheck: data.noCheck } : {}),
    ...(data.variants !== undefined ? { variants: new Map(data.variants) } : {}),
    ...(data.secondaryKinds !== undefined ? { secondaryKinds: new Map(data.secondaryKinds) } : {}),
  };
  const compiled = compile(parsed.ast, prelude, options);
  if (compiled.program === undefined)
    throw new Error(`a search worker could not compile the test:\n${renderDiagnostics(compiled.diagnostics)}`);
  return compiled.program;
}

/** Called by the worker (explore/worker.ts). */
export function createSystem(data: unknown): TransitionSystem<unknown> {
  return new LitmusSystem(compileSpec(data as LitmusSpecData), true) as TransitionSystem<unknown>;
}
