// A step builds its successor in a scratch that shares the arrays of the state it starts from and
// copies an array only before writing it (model/scratch.ts). A write that bypassed the
// copy would change the state being expanded, and with it every later successor and the words
// the encoder reuses. This test expands every state of the unmap benchmark models with the
// reusing system and checks, after each expansion, that the expanded state is exactly what it was
// before, arrays and thread states included; test/catalogue.test.ts does the same on every
// catalogue test, on the searches it makes anyway.

import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { explore } from '../../src/explore/explorer.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { compile } from '../../src/semantics/compile.js';
import { LitmusSystem } from '../../src/semantics/system.js';
import { guarded } from '../support/guarded.js';
import { ROOT } from '../support/memoryIo.js';
import { loadTestPrelude } from '../support/prelude.js';

const prelude = loadTestPrelude();

const files = [
  ...['unmap-1x2.litmus', 'unmap-2x1-bug-after.litmus', 'unmap-1x2-no-seq.litmus'].map((n) =>
    join(ROOT, 'bench/unmap', n),
  ),
];

describe('a step never writes the state it starts from', () => {
  test.each(files.map((f) => [relative(ROOT, f), f]))('%s', (name, file) => {
    const parsed = parseLitmus(sourceFile(name, readFileSync(file, 'utf8')));
    const program = compile(parsed.ast!, prelude).program!;
    for (const reduce of [true, false]) {
      const system = guarded(new LitmusSystem(program, true));
      const r = explore(system, { reduce });
      expect(system.expansions).toBeGreaterThan(0);
      expect(r.states).toBeGreaterThan(1);
    }
  });
});
