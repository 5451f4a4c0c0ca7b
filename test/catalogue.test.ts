// The catalogue: every test in litmus/ meets its expectation (`mmu-litmus test litmus/`).

import { expect, test } from 'vitest';
import { cli } from './support/memoryIo.js';

test('mmu-litmus test litmus/ passes every test', async () => {
  const r = await cli(['test', 'litmus']);
  const failed = r.stdout
    .split('\n')
    .filter((l) => !l.startsWith('ok ') && l !== '' && !/^\d+ passed, 0 failed$/.test(l));
  expect(failed).toEqual([]);
  expect(r.stdout).toMatch(/^\d+ passed, 0 failed$/m);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}, 120_000);
