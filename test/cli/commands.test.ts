// Golden transcripts of every command: stdout, stderr and exit code (`vitest run -u` rewrites them).

import { describe, expect, test } from 'vitest';
import { cli, transcript } from '../support/memoryIo.js';

const CASES: [string, string[]][] = [
  ['help', ['--help']],
  ['version', ['--version']],
  ['no-command', []],
  ['unknown-command', ['frobnicate']],
  ['unknown-option', ['run', '--frob', 'litmus']],
  ['bad-kernel', ['run', '--kernel', 'v9.9', 'litmus/ttu+ats+notify-after-free.litmus']],
  ['missing-file', ['run', 'litmus/no-such-test.litmus']],
  ['explain-one', ['explain', 'lost-write']],
  ['explain-all', ['explain']],
  ['explain-unknown', ['explain', 'use-after-frees']],
  ['show-ats', ['show', 'ats']],
  ['show-variant', ['show', 'wp_page_copy@v4.15']],
  ['show-unknown', ['show', 'try_to_unmap_one@nope']],
  ['matrix', ['matrix']],
  ['matrix-json', ['matrix', '--format', 'json']],
  ['matrix-warn-vacuous', ['matrix', 'test/fixtures/matrix/spec.json']],
  ['matrix-warn-vacuous-json', ['matrix', '--format', 'json', 'test/fixtures/matrix/spec.json']],
  ['matrix-incomplete', ['matrix', '--max-states', '300']],
  ['matrix-kernel', ['matrix', '--kernel', 'v4.13']],
  ['matrix-variant', ['matrix', '--variant', 'try_to_unmap_one=v4.13']],
  ['matrix-no-check', ['matrix', '--no-check', 'lost-write']],
  ['run-design-example', ['run', 'litmus/ttu+ats+notify-after-free.litmus']],
  ['run-safe', ['run', 'litmus/ttu+ats+notify-before-free.litmus']],
  ['run-json', ['run', '--format', 'json', 'litmus/ttu+ats+notify-after-free.litmus']],
  ['run-schedule', ['run', 'litmus/ttu+ats+notify-after-free.litmus', '--schedule', '0.0.0.0.0.0.0.1']],
  ['run-bad-schedule', ['run', 'litmus/ttu+ats+notify-after-free.litmus', '--schedule', '0.0.7']],
  ['run-incomplete', ['run', '--max-states', '10', 'litmus/ttu+ats+notify-after-free.litmus']],
  ['run-kernel-override', ['run', '--kernel', 'v6.6', 'litmus/ttu+ats+notify-after-free.litmus']],
  ['run-no-check', ['run', '--no-check', 'use-after-free', 'litmus/ttu+ats+notify-after-free.litmus']],
  ['run-stop-at-first', ['run', '--stop-at-first', 'litmus/properties/mirror+no-retry.litmus']],
  ['run-deadlock', ['run', 'litmus/properties/abba.litmus']],
  ['test-properties', ['test', 'litmus/properties']],
  ['test-warnings', ['test', 'litmus/warnings']],
  ['run-warnings', ['run', 'litmus/warnings/mkclean+invalidate-after-set.litmus']],
  ['run-variant-override', ['run', '--secondary', 'gpu=ats', 'litmus/properties/mirror+seq-retry.litmus']],
  ['run-use', ['run', 'litmus/cow/cow-b+no-notify.litmus']],
  ['show-list', ['show']],
  ['run-witness', ['run', '--witness', 'litmus/ttu+ats+notify-after-free.litmus']],
  ['run-witness-none', ['run', '--witness', 'litmus/cow/cow-b+notify.litmus']],
  ['run-witness-json', ['run', '--witness', '--format', 'json', 'litmus/ttu+ats+notify-after-free.litmus']],
];

describe('command transcripts', () => {
  test.each(CASES)('%s', async (name, args) => {
    const r = await cli(args);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    await expect(transcript(args, r)).toMatchFileSnapshot(`../golden/cli/${name}.expected`);
  });
});

describe('--no-reduce', () => {
  // The reduction changes neither the matrix (its cells, warnings and replay schedules) nor a
  // test's verdict; only the search figures may differ.
  test('the matrix is the same without the reduction', async () => {
    const a = await cli(['matrix']);
    const b = await cli(['matrix', '--no-reduce']);
    expect(b.stdout).toBe(a.stdout);
    expect(b.code).toBe(a.code);
  });

  test('a run differs only in its search line', async () => {
    const file = 'litmus/properties/abba.litmus';
    const a = await cli(['run', file]);
    const b = await cli(['run', '--no-reduce', file]);
    const drop = (s: string) => s.replace(/^Search complete: .*$/m, '').replace(/^Hash=.*$/m, '');
    expect(drop(b.stdout)).toBe(drop(a.stdout));
    expect(b.stdout).toMatch(/Search complete: 20 states/);
    expect(a.stdout).toMatch(/Search complete: 18 states/);
  });
});
