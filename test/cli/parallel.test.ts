// `--jobs N`: the commands made of independent checks run them on this thread and N - 1 worker
// threads (src/cli/pool.ts) and print exactly what `--jobs 1` prints. The workers run the built
// code (dist/), which `npm test` builds first. Each test starts one worker (--jobs 2): vitest
// already runs test files in parallel.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';
import { cli, memoryIo, ROOT } from '../support/memoryIo.js';

/** The stdout of a golden transcript (made with one thread by commands.test.ts). */
function goldenStdout(name: string): string {
  const t = readFileSync(join(ROOT, 'test/golden/cli', `${name}.expected`), 'utf8');
  return /\n--- stdout\n([\s\S]*?)--- stderr\n/.exec(t)![1]!;
}

describe('--jobs 2 prints what --jobs 1 prints', () => {
  test('the built-in matrix, as text and as JSON (the goldens are made with one thread)', async () => {
    const text = await cli(['matrix', '--jobs', '2']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(goldenStdout('matrix'));
    const json = await cli(['matrix', '--format', 'json', '--jobs', '2']);
    expect(json.stdout).toBe(goldenStdout('matrix-json'));
  });

  test.each([
    ['text', []],
    ['JSON', ['--format', 'json']],
  ])('test litmus/ (%s)', async (_, format) => {
    const one = await cli(['test', ...format, '--jobs', '1', 'litmus']);
    const two = await cli(['test', ...format, '--jobs', '2', 'litmus']);
    expect(one.stdout).toContain('litmus/ttu+ats+notify-after-free.litmus');
    expect(two).toEqual(one);
  });

  test.each([
    ['text', []],
    ['JSON', ['--format', 'json']],
  ])('run of a directory and a test that does not compile (%s)', async (_, format) => {
    const args = [...format, 'litmus/warnings', 'test/golden/cli/inputs/syntax-error.litmus'];
    const one = await cli(['run', '--jobs', '1', ...args]);
    const two = await cli(['run', '--jobs', '2', ...args]);
    expect(one.code).toBe(2);
    expect(two).toEqual(one);
  });

  test('a matrix with a cut-off search and an --html page replayed from the workers’ verdicts', async () => {
    const args = ['matrix', '--max-states', '40', '--html', 'm.html', 'test/fixtures/matrix/spec.json'];
    const one = await cli([...args, '--jobs', '1']);
    const two = await cli([...args, '--jobs', '2']);
    expect(one.code).toBe(3);
    expect(two.stdout).toBe(one.stdout);
    expect(two.written.get('m.html')).toBe(one.written.get('m.html'));
  });
});

describe('check-patch --jobs 2', () => {
  // The workers rebuild the prelude from the imported routines' text: no C front end in them.
  const RANGE = [
    'test/fixtures/patch/range.patch',
    '--base',
    'test/fixtures/patch/mkclean.c',
    '--kernel-before',
    'v4.12',
    '--kernel-after',
    'v4.13',
  ];
  // JSON only (the text report is made from the same cells): each run imports the C twice.
  test('prints what --jobs 1 prints', async () => {
    const format = ['--format', 'json'];
    const one = await cli(['check-patch', ...RANGE, ...format, '--kinds', 'ats,userptr', '--jobs', '1']);
    const two = await cli(['check-patch', ...RANGE, ...format, '--kinds', 'ats,userptr', '--jobs', '2']);
    expect(one.stdout).toContain('mkclean');
    expect(two).toEqual(one);
  });
});

describe('bad --jobs', () => {
  test.each(['0', '-1', 'two', '1.5', ''])('--jobs %j: a usage error, exit 2', async (v) => {
    const r = await cli(['test', '--jobs', v, 'litmus/properties/abba.litmus']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`mmu-litmus: --jobs needs a positive whole number of worker threads, not '${v}'.\n`);
  });
});

describe('a worker that dies', () => {
  afterEach(() => {
    delete process.env['MMU_LITMUS_TEST_WORKER_FAULT'];
  });
  test.each(['throw', 'exit'])('(%s): an internal error, exit 4, no partial result', async (fault) => {
    process.env['MMU_LITMUS_TEST_WORKER_FAULT'] = fault;
    for (const args of [
      ['test', '--jobs', '2', 'litmus/properties'],
      ['matrix', '--jobs', '2', '--format', 'json', 'test/fixtures/matrix/spec.json'],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(4);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        fault === 'throw'
          ? /^mmu-litmus: internal error: a worker failed on .*: fault injected for a test/
          : /^mmu-litmus: internal error: a worker stopped \(exit code 7\) while checking /,
      );
    }
  });
});

describe('progress on a terminal', () => {
  // A clock that moves a second per reading: every check takes "a second".
  const terminal = (format: string[]) => {
    const m = memoryIo();
    let t = 0;
    const io = { ...m.io, progress: true, now: () => (t += 1000) };
    return { m, go: () => run(['test', ...format, '--jobs', '1', 'litmus/warnings'], io) };
  };

  test('one line, rewritten in place: done/total and the check running, cleared at the end', async () => {
    const { m, go } = terminal([]);
    expect(await go()).toBe(0);
    expect(m.stderr().startsWith('\r\x1b[K0/4 done, running: litmus/warnings/')).toBe(true);
    expect(m.stderr()).toContain('\r\x1b[K3/4 done, running: litmus/warnings/');
    expect(m.stderr().endsWith('\r\x1b[K')).toBe(true);
    expect(m.stderr()).not.toContain('\n');
  });

  test('nothing with --format json', async () => {
    const { m, go } = terminal(['--format', 'json']);
    expect(await go()).toBe(0);
    expect(m.stderr()).toBe('');
  });
});
