// A test's litmus text compiled against a prelude, asserting that neither the parser nor the
// compiler reports anything: the tests that build a program from a template share this step.

import { expect } from 'vitest';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { compile } from '../../src/semantics/compile.js';
import type { Prelude } from '../../src/semantics/context.js';
import type { Program } from '../../src/semantics/program.js';

export function compileClean(name: string, text: string, prelude: Prelude): Program {
  const parsed = parseLitmus(sourceFile(name, text));
  expect(parsed.diagnostics.map((d) => d.message)).toEqual([]);
  const c = compile(parsed.ast!, prelude);
  expect(c.diagnostics.map((d) => d.message)).toEqual([]);
  return c.program!;
}
