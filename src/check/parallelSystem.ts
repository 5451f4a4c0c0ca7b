// How a worker of the parallel search (explore/parallel.ts) builds the litmus transition system
// the coordinating thread searches: from the test's text, the prelude's folder and the compile
// options, all plain data, compiled again in the worker (a compiled program holds closures).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtModule, type SystemSpec } from '../explore/parallel.js';
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
  /** The folder of the prelude's `.litmus` files. */
  readonly preludeDir: string;
  readonly kernel?: KernelVersion;
  readonly noCheck?: readonly string[];
  readonly variants?: readonly (readonly [string, string])[];
  readonly secondaryKinds?: readonly (readonly [string, string])[];
}

/** The spec a worker turns into the same `LitmusSystem` as `compileSpec(data)`'s program. */
export function litmusSpec(data: LitmusSpecData): SystemSpec {
  return { module: builtModule('parallelSystem.js', import.meta.url), data };
}

/** Parses and compiles the test of `data`; a test that does not compile is an internal error here. */
export function compileSpec(data: LitmusSpecData): Program {
  const files = readdirSync(data.preludeDir)
    .filter((n) => n.endsWith('.litmus'))
    .sort()
    .map((n) => parsePrelude(sourceFile(`prelude/${n}`, readFileSync(join(data.preludeDir, n), 'utf8'))).ast);
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
