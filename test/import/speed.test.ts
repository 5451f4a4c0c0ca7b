// Item 10 (import half): importing from an rmap.c-sized file takes well under a second. The file
// is built from the project's fixtures (about 1,800 lines, ~50 functions); the real mm/rmap.c
// measurement is in docs/import.md.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { findFunctions, importFunctions, loadCParser } from '../../src/import/index.js';
import { ROOT } from '../support/memoryIo.js';

test('an rmap.c-sized file: list its functions and import two in under a second', async () => {
  const parser = await loadCParser();
  const parts: string[] = [];
  for (let i = 0; parts.join('\n').split('\n').length < 1800; i++) {
    for (const f of ['walk.c', 'flags.c', 'range.c']) {
      const text = readFileSync(join(ROOT, 'test/import/fixtures', f), 'utf8');
      parts.push(i === 0 ? text : text.replace(/\b(wrprotect_one|unmap_one|make_swap|clear_one)\b/g, `$1_${i}`));
    }
  }
  const text = parts.join('\n');
  findFunctions(parser, text); // warm the wasm up, as a long-running process would be
  const t0 = performance.now();
  const fns = findFunctions(parser, text);
  const r = importFunctions(parser, { path: 'big.c', text }, ['wrprotect_one', 'unmap_one'], {
    variant: 'x',
    kernel: 'v4.13',
  });
  const ms = performance.now() - t0;
  expect(fns.length).toBeGreaterThan(40);
  expect(r.ok).toBe(true);
  expect(ms).toBeLessThan(1000);
});
