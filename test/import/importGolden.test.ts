// Goldens of `mmu-litmus import`: the litmus text and report for each fixture (text and JSON),
// and one golden per ML6xxx diagnostic (test/golden/diagnostics/ML6xxx.c, whose first line gives
// the command's arguments). `vitest run -u` rewrites them.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CODES } from '../../src/lang/codes.js';
import { cli, ROOT, transcript } from '../support/memoryIo.js';

const FIX = 'test/import/fixtures';
const CASES: [string, string[]][] = [
  ['walk', ['import', `${FIX}/walk.c`, '--function', 'wrprotect_one', '--kernel', 'v4.13']],
  [
    'walk-no-thp',
    [
      'import',
      `${FIX}/walk.c`,
      '--function',
      'wrprotect_one',
      '--kernel',
      'v4.13',
      '--config',
      'CONFIG_TRANSPARENT_HUGEPAGE=n',
    ],
  ],
  // no --kernel: the newest the table covers (v6.6), which has no mmu_notifier_invalidate_range()
  ['walk-default-kernel', ['import', `${FIX}/walk.c`, '--function', 'wrprotect_one']],
  [
    'flags-goto-helper',
    ['import', `${FIX}/flags.c`, '--function', 'unmap_one', '--kernel', 'v4.13', '--variant', 'after'],
  ],
  [
    'constructs',
    [
      'import',
      `${FIX}/constructs.c`,
      '--function',
      'count_flags',
      '--kernel',
      'v4.13',
      '--config',
      'CONFIG_NUMA_BALANCING=n',
    ],
  ],
  ['range-v6.6', ['import', `${FIX}/range.c`, '--function', 'clear_one', '--kernel', 'v6.6']],
  ['loops', ['import', `${FIX}/loops.c`, '--function', 'count_dirty', '--kernel', 'v6.6']],
  [
    'folio-v6.6',
    ['import', `${FIX}/folio.c`, '--function', 'protect_folio_one', '--function', 'drop_folio_one', '--kernel', 'v6.6'],
  ],
  ['range-v4.13', ['import', `${FIX}/range.c`, '--function', 'clear_one', '--kernel', 'v4.13']],
  ['walk-json', ['import', `${FIX}/walk.c`, '--function', 'wrprotect_one', '--kernel', 'v4.13', '--format', 'json']],
  ['no-function', ['import', `${FIX}/walk.c`]],
  ['bad-config', ['import', `${FIX}/walk.c`, '--function', 'wrprotect_one', '--config', 'CONFIG_X=maybe']],
];

describe('mmu-litmus import (golden)', () => {
  test.each(CASES)('%s', async (name, args) => {
    const r = await cli(args);
    await expect(transcript(args, r)).toMatchFileSnapshot(`../golden/import/${name}.expected`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  test('--output writes the routines and the report to a file', async () => {
    const args = [
      'import',
      `${FIX}/walk.c`,
      '--function',
      'wrprotect_one',
      '--kernel',
      'v4.13',
      '--output',
      'out.litmus',
    ];
    const r = await cli(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.written.get('out.litmus')).toMatch(/^routine wrprotect_one@import\(page, vma, address\) \{$/m);
  });
});

const DIR = 'test/golden/diagnostics';
const inputs = readdirSync(join(ROOT, DIR))
  .filter((f) => /^ML6\d{3}\.c$/.test(f))
  .sort();
const HEADER = /^(\S+):(\d+):(\d+): (error|warning) (ML\d{4}): (.*)$/;

describe('import diagnostics (golden)', () => {
  test.each(inputs)('%s', async (name) => {
    const path = `${DIR}/${name}`;
    const code = name.replace('.c', '');
    const first = readFileSync(join(ROOT, path), 'utf8').split('\n')[0]!;
    const args = ['import', path, ...first.replace(/^\/\/ args: /, '').split(' ')];
    const r = await cli(args);
    await expect(transcript(args, r)).toMatchFileSnapshot(`../golden/diagnostics/${code}.expected`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const headers = r.stderr
      .split('\n')
      .map((l) => HEADER.exec(l))
      .filter((m) => m !== null);
    expect(headers.length).toBe(1);
    for (const [, file, , , severity, c, message] of headers) {
      expect(file).toBe(path);
      expect(severity).toBe('error');
      expect(c).toBe(code);
      expect(message).toMatch(/^(?:[A-Z]|[a-z]\w*_\w*|goto ).*\.$/);
      expect(message!.slice(0, -1)).not.toMatch(/\.\s/);
    }
  });

  test('every import code has a golden input', () => {
    const codes = CODES.filter((c) => c.code.startsWith('ML6')).map((c) => `${c.code}.c`);
    expect(codes.filter((f) => !inputs.includes(f))).toEqual([]);
    expect(inputs.filter((f) => !codes.includes(f))).toEqual([]);
  });
});
