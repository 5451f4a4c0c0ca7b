// An rmap.c-sized file (about 1,800 lines, ~50 functions, built from the project's fixtures): every
// function is found and two import from the middle of it. Its speed is measured, not tested here
// (a wall-clock limit fails on a loaded machine and says nothing about a change): `npm run
// acceptance:import` prints the import time of the real files, recorded in docs/import.md.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { findFunctions, importFunctions, loadCParser } from '../../src/import/index.js';
import { ROOT } from '../support/memoryIo.js';

test('an rmap.c-sized file: list its functions and import two', async () => {
  const parser = await loadCParser();
  const parts: string[] = [];
  for (let i = 0; parts.join('\n').split('\n').length < 1800; i++) {
    for (const f of ['walk.c', 'flags.c', 'range.c']) {
      const text = readFileSync(join(ROOT, 'test/import/fixtures', f), 'utf8');
      parts.push(i === 0 ? text : text.replace(/\b(wrprotect_one|unmap_one|make_swap|clear_one)\b/g, `$1_${i}`));
    }
  }
  const text = parts.join('\n');
  const fns = findFunctions(parser, text);
  const r = importFunctions(parser, { path: 'big.c', text }, ['wrprotect_one', 'unmap_one_5'], {
    variant: 'x',
    kernel: 'v4.13',
  });
  expect(fns.length).toBeGreaterThan(40);
  expect(r.ok).toBe(true);
});
