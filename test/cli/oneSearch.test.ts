// `run FILE --jobs N`: the one search of a single file on N threads (src/cli/oneSearch.ts,
// src/explore/parallel.ts) prints exactly what the serial search prints — verdict, traces, JSON,
// ITF, page, exit code, "incomplete" on limits; a model error is reported as the serial search
// reports it; a worker that dies is an internal error (exit 4) with nothing printed. The workers
// run the built code (dist/), which `npm test` builds first.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { compileSpec } from '../../src/check/parallelSystem.js';
import { check } from '../../src/check/verdict.js';
import { parseArgs } from '../../src/cli/args.js';
import { searchOnThreads, startOneSearch } from '../../src/cli/oneSearch.js';
import { preludeTexts } from '../../src/cli/searchThreads.js';
import { tableTuning } from '../../src/explore/parallel.js';
import { cli, memoryIo, ROOT } from '../support/memoryIo.js';

// The workers take part in every level (by default a level under 128 states per thread, and the
// levels before a worker is ready, are expanded on the coordinating thread: these tests are small).
beforeAll(() => {
  tableTuning.minSlice = 1;
  tableTuning.waitForWorkers = true;
});
afterAll(() => {
  tableTuning.minSlice = 128;
  tableTuning.waitForWorkers = false;
});

/** A golden transcript of commands.test.ts (made with one thread), without its command line. */
function golden(name: string): string {
  const t = readFileSync(join(ROOT, 'test/golden/cli', `${name}.expected`), 'utf8');
  return t.slice(t.indexOf('\n') + 1);
}

function shown(r: { code: number; stdout: string; stderr: string }): string {
  return `--- stdout\n${r.stdout}--- stderr\n${r.stderr}--- exit ${r.code}\n`;
}

describe('run FILE --jobs 2 prints what the serial search prints', () => {
  test.each<[string, string[]]>([
    ['run-design-example', ['litmus/ttu+ats+notify-after-free.litmus']],
    ['run-json', ['--format', 'json', 'litmus/ttu+ats+notify-after-free.litmus']],
    ['run-safe', ['litmus/ttu+ats+notify-before-free.litmus']],
    ['run-incomplete', ['--max-states', '10', 'litmus/ttu+ats+notify-after-free.litmus']],
    ['run-incomplete-json', ['--format', 'json', '--max-states', '10', 'litmus/ttu+ats+notify-after-free.litmus']],
    ['run-stop-at-first', ['--stop-at-first', 'litmus/properties/mirror+no-retry.litmus']],
    ['run-deadlock', ['litmus/properties/abba.litmus']],
    ['run-warnings', ['litmus/warnings/mkclean+invalidate-after-set.litmus']],
    ['run-variant-override', ['--secondary', 'gpu=ats', 'litmus/properties/mirror+seq-retry.litmus']],
    ['run-witness', ['--witness', 'litmus/ttu+ats+notify-after-free.litmus']],
    ['run-witness-json', ['--witness', '--format', 'json', 'litmus/ttu+ats+notify-after-free.litmus']],
  ])('%s', async (name, args) => {
    const r = await cli(['run', '--jobs', '2', ...args]);
    expect(shown(r)).toBe(golden(name));
  });

  test.each<[string, string[]]>([
    ['a larger test, with and without the reduction, text', ['litmus/secondaries/kvm+unmap+no-retry.litmus']],
    ['--no-reduce, JSON', ['--no-reduce', '--format', 'json', 'litmus/secondaries/kvm+unmap+no-retry.litmus']],
    ['--max-depth', ['--max-depth', '7', 'litmus/secondaries/kvm+unmap.litmus']],
    [
      '--stop-at-first --max-states',
      ['--stop-at-first', '--max-states', '40', 'litmus/properties/mirror+no-retry.litmus'],
    ],
    ['a timeout of 0 s: incomplete', ['--timeout', '0.000001', 'litmus/secondaries/kvm+unmap.litmus']],
  ])('%s: --jobs 3 = --jobs 1', async (_, args) => {
    const one = await cli(['run', '--jobs', '1', ...args]);
    const three = await cli(['run', '--jobs', '3', ...args]);
    expect(three).toEqual(one);
  });

  test('--itf and --html write the same files', async () => {
    const args = ['run', '--itf', 't.itf.json', '--html', 't.html', 'litmus/ttu+ats+notify-after-free.litmus'];
    const one = await cli([...args, '--jobs', '1']);
    const two = await cli([...args, '--jobs', '2']);
    expect(two).toEqual(one);
    expect(two.written.get('t.itf.json')).toContain('use-after-free');
  });

  test('--schedule replays without a search, whatever --jobs', async () => {
    const r = await cli([
      'run',
      '--jobs',
      '2',
      'litmus/ttu+ats+notify-after-free.litmus',
      '--schedule',
      '0.0.0.0.0.0.0.1',
    ]);
    expect(shown(r)).toBe(golden('run-schedule'));
  });

  test.each(['ML4001', 'ML4010', 'ML4050'])(
    'a model error (%s) is reported as the serial search reports it',
    async (code) => {
      const file = `test/golden/diagnostics/${code}.litmus`;
      for (const format of [[], ['--format', 'json']]) {
        const one = await cli(['run', ...format, '--jobs', '1', file]);
        const two = await cli(['run', ...format, '--jobs', '2', file]);
        expect(one.code).toBe(2);
        expect(two).toEqual(one);
      }
    },
  );

  test('a test that does not compile: its diagnostics, no search', async () => {
    const one = await cli(['run', '--jobs', '1', 'test/golden/cli/inputs/syntax-error.litmus']);
    const two = await cli(['run', '--jobs', '2', 'test/golden/cli/inputs/syntax-error.litmus']);
    expect(two.code).toBe(2);
    expect(two).toEqual(one);
  });
});

describe('run FILE --jobs 2 as shipped (levels split from 128 states a thread, workers joining when ready)', () => {
  beforeAll(() => {
    tableTuning.minSlice = 128;
    tableTuning.waitForWorkers = false;
  });
  afterAll(() => {
    tableTuning.minSlice = 1;
    tableTuning.waitForWorkers = true;
  });

  test.each([
    ['text', []],
    ['JSON', ['--format', 'json']],
  ])('a model of 6,900 states (%s) = --jobs 1', async (_, format) => {
    const args = ['run', ...format, 'bench/unmap/unmap-1x3.litmus'];
    const one = await cli([...args, '--jobs', '1']);
    const two = await cli([...args, '--jobs', '2']);
    expect(one.stdout).toContain('6900');
    expect(two).toEqual(one);
  });
});

describe('workers started before the test is compiled (startOneSearch)', () => {
  const path = 'litmus/secondaries/kvm+unmap.litmus';
  const verdictOf = async (earlyPath: string) => {
    const { io } = memoryIo();
    const opts = parseArgs(['run', '--jobs', '2', path]);
    const text = io.readFile(path);
    const program = compileSpec({ path, text, prelude: preludeTexts(join(ROOT, 'prelude')) });
    const early = startOneSearch(io, earlyPath, opts, 2)!;
    try {
      const v = await searchOnThreads(io, program, path, text, opts, {}, 2, undefined, early);
      // The early workers stay open for the caller, who closes them.
      expect(early.team.remotes.every((r) => r.failed === undefined)).toBe(true);
      return v!.result;
    } finally {
      await early.team.close();
    }
  };

  test.each([
    ['are used for the test they compiled', path],
    ['are not used for another text (the search starts its own)', 'litmus/properties/abba.litmus'],
  ])('%s: the serial result', async (_, earlyPath) => {
    const text = readFileSync(join(ROOT, path), 'utf8');
    const serial = check(compileSpec({ path, text, prelude: preludeTexts(join(ROOT, 'prelude')) })).result;
    const r = await verdictOf(earlyPath);
    expect([r.states, r.transitions, r.store.labels(r.states - 1)]).toEqual([
      serial.states,
      serial.transitions,
      serial.store.labels(serial.states - 1),
    ]);
  });

  test('a file that cannot be read: none started', () => {
    const { io } = memoryIo();
    expect(startOneSearch(io, 'no/such/file.litmus', parseArgs(['run', 'x']), 2)).toBeUndefined();
  });
});

describe('run FILE: bad --jobs', () => {
  test.each(['0', '-1', 'two', '1.5', '', '2x'])('--jobs %j: a usage error, exit 2', async (v) => {
    const r = await cli(['run', '--jobs', v, 'litmus/properties/abba.litmus']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(`mmu-litmus: --jobs needs a positive whole number of worker threads, not '${v}'.\n`);
  });
});

describe('run FILE --jobs 2: a search worker that dies', () => {
  afterEach(() => {
    delete process.env['MMU_LITMUS_TEST_PSEARCH_FAULT'];
  });

  test.each(['exit', 'throw'])('(%s): an internal error, exit 4, nothing printed as complete', async (fault) => {
    process.env['MMU_LITMUS_TEST_PSEARCH_FAULT'] = fault;
    for (const format of [[], ['--format', 'json']]) {
      const r = await cli(['run', ...format, '--jobs', '2', 'litmus/secondaries/kvm+unmap.litmus']);
      expect(r.code).toBe(4);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        fault === 'throw'
          ? /^mmu-litmus: internal error: a search worker failed: fault injected for a test/
          : /^mmu-litmus: internal error: a search worker exited \(code 7\)\n$/,
      );
    }
  });
});
