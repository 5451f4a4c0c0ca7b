// The C parser: the pinned web-tree-sitter runtime loads tree-sitter-c's shipped grammar wasm (ABI
// compatible), from its package or from bytes (as a browser page would pass them), and finds the
// functions of a file with their lines.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { findFunctions, loadCParser } from '../../src/import/index.js';
import { defaultGrammarUrl } from '../../src/import/parser.js';
import { ROOT } from '../support/memoryIo.js';

const require = createRequire(import.meta.url);

test('the pinned versions are the ones installed, and the grammar ships its wasm', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  expect(pkg.dependencies['web-tree-sitter']).toMatch(/^\d+\.\d+\.\d+$/);
  expect(pkg.dependencies['tree-sitter-c']).toMatch(/^\d+\.\d+\.\d+$/);
  for (const name of ['web-tree-sitter', 'tree-sitter-c']) {
    const installed = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(installed.version, name).toBe(pkg.dependencies[name]);
  }
  expect(defaultGrammarUrl().pathname).toMatch(/node_modules\/tree-sitter-c\/tree-sitter-c\.wasm$/);
});

test('the grammar loads from bytes, with an ABI the runtime accepts', async () => {
  const language = new Uint8Array(readFileSync(defaultGrammarUrl()));
  const runtime = new Uint8Array(readFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm')));
  const p = await loadCParser({ runtime, language });
  expect(p.language.abiVersion).toBeGreaterThanOrEqual(14);
  expect(findFunctions(p, 'static int f(void) { return 0; }\nint g(int x)\n{\n\treturn x;\n}\n')).toEqual([
    { name: 'f', startLine: 1, endLine: 1 },
    { name: 'g', startLine: 2, endLine: 5 },
  ]);
});

test('functions inside #ifdef blocks and behind attribute macros are found', async () => {
  const p = await loadCParser();
  const text = readFileSync(join(ROOT, 'test/import/fixtures/constructs.c'), 'utf8');
  expect(findFunctions(p, text)).toEqual([{ name: 'count_flags', startLine: 9, endLine: 36 }]);
  const guarded = '#ifdef CONFIG_X\nstatic void __init h(void)\n{\n}\n#endif\n';
  expect(findFunctions(p, guarded)).toEqual([{ name: 'h', startLine: 2, endLine: 4 }]);
});
