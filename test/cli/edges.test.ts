// Golden transcripts of the edges of the CLI: incomplete searches, bad overrides, duplicate
// names, unreadable files, malformed input (`vitest run -u` rewrites them).

import { describe, expect, test } from 'vitest';
import { fileError } from '../../src/cli/commands.js';
import { run } from '../../src/cli/main.js';
import { cli, memoryIo, transcript } from '../support/memoryIo.js';

const CASES: [string, string[]][] = [
  // `violates P…` means exactly these: a cut-off search cannot confirm it.
  ['run-incomplete-violates', ['run', '--max-states', '20', 'litmus/properties/free+stale-tlb.litmus']],
  // A cut-off search prints what it found under a heading, and herd's Ok/No only when settled.
  ['run-incomplete-settled', ['run', '--max-states', '40', 'litmus/ttu+ats+notify-after-free.litmus']],
  ['run-incomplete-json', ['run', '--format', 'json', '--max-states', '10', 'litmus/ttu+ats+notify-after-free.litmus']],
  ['test-incomplete-violates', ['test', '--max-states', '20', 'litmus/properties/free+stale-tlb.litmus']],
  // --variant and --secondary must change something the test uses; errors blame the option.
  ['override-unused-secondary', ['run', '--secondary', 'dve=kvm', 'litmus/matrix/reclaim-anon.litmus']],
  ['override-unknown-variant', ['run', '--variant', 'try_to_unmap_one=v9', 'litmus/matrix/reclaim-anon.litmus']],
  ['override-unknown-kind', ['run', '--secondary', 'dev=nosuch', 'litmus/matrix/reclaim-anon.litmus']],
  ['override-uncalled-routine', ['run', '--variant', 'page_mkclean_one=v4.13', 'litmus/matrix/reclaim-anon.litmus']],
  // try_to_unmap() calls try_to_unmap_one in the prelude: the override reaches it.
  [
    'override-through-prelude',
    ['run', '--kernel', 'v4.15', '--variant', 'try_to_unmap_one=v4.15', 'litmus/matrix/migrate.litmus'],
  ],
  // One format for every file that cannot be read: `Cannot read 'PATH': REASON.`, the full path.
  ['matrix-missing-spec', ['matrix', '/nonexistent/matrix.json']],
  ['matrix-missing-scenario', ['matrix', 'test/golden/cli/inputs/matrix-missing-scenario.json']],
  ['matrix-not-json', ['matrix', 'test/golden/cli/inputs/matrix-not-json.json']],
  ['run-missing-file', ['run', '/nonexistent/test.litmus']],
  // A routine's value keeps its type through `return` (`orig = p rw dirty young`, not 313).
  ['run-return-types', ['run', 'test/golden/cli/inputs/return-types.litmus']],
  // --format json: one document per command whatever the number of files (docs/json.md), with
  // the diagnostics as data and nothing on stderr.
  [
    'run-json-several',
    ['run', '--format', 'json', 'litmus/properties/abba.litmus', 'litmus/ttu+ats+notify-before-free.litmus'],
  ],
  [
    'run-json-syntax-error',
    ['run', '--format', 'json', 'test/golden/cli/inputs/syntax-error.litmus', 'litmus/properties/abba.litmus'],
  ],
  [
    'run-json-schedule',
    ['run', '--format', 'json', '--schedule', '0.0.0.0.0.0.0.1', 'litmus/ttu+ats+notify-after-free.litmus'],
  ],
  [
    'run-json-bad-schedule',
    ['run', '--format', 'json', '--schedule', '0.0.7', 'litmus/ttu+ats+notify-after-free.litmus'],
  ],
  ['test-json-one', ['test', '--format', 'json', 'litmus/properties/abba.litmus']],
  ['test-json-several', ['test', '--format', 'json', 'litmus/warnings']],
  [
    'test-json-syntax-error',
    ['test', '--format', 'json', 'test/golden/cli/inputs/syntax-error.litmus', 'litmus/properties/abba.litmus'],
  ],
  [
    'test-json-incomplete',
    ['test', '--format', 'json', '--max-states', '20', 'litmus/properties/free+stale-tlb.litmus'],
  ],
  ['test-syntax-error', ['test', 'test/golden/cli/inputs/syntax-error.litmus', 'litmus/properties/abba.litmus']],
  ['matrix-json-incomplete', ['matrix', '--format', 'json', '--max-states', '40', 'test/fixtures/matrix/spec.json']],
  ['matrix-json-syntax-error', ['matrix', '--format', 'json', 'test/golden/cli/inputs/matrix-syntax-error.json']],
  [
    'matrix-json-missing-scenario',
    ['matrix', '--format', 'json', 'test/golden/cli/inputs/matrix-missing-scenario.json'],
  ],
];

describe('edge transcripts', () => {
  test.each(CASES)('%s', async (name, args) => {
    const r = await cli(args);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    await expect(transcript(args, r)).toMatchFileSnapshot(`../golden/cli/${name}.expected`);
  });
});

describe('Hash=', () => {
  const hashOf = async (args: string[]) => /^Hash=(\w+)$/m.exec((await cli(args)).stdout)?.[1];
  const file = 'litmus/properties/mirror+seq-retry.litmus';

  test('covers the options that change what is checked, in a canonical order', async () => {
    const plain = await hashOf(['run', file]);
    const variants = [
      ['--kernel', 'v5.5'],
      ['--no-check', 'use-after-free'],
      ['--secondary', 'gpu=ats'],
      ['--secondary', 'gpu=kvm'],
    ];
    const hashes = [plain];
    for (const v of variants) hashes.push(await hashOf(['run', ...v, file]));
    expect(hashes.every((h) => h !== undefined)).toBe(true);
    expect(new Set(hashes).size).toBe(hashes.length);
    // Options that only change the search or the output keep the hash.
    expect(await hashOf(['run', '--no-reduce', '--max-states', '100000', file])).toBe(plain);
    // The same configuration in another order is the same hash.
    const both = ['--no-check', 'use-after-free', '--secondary', 'gpu=ats'];
    expect(await hashOf(['run', ...both, file])).toBe(
      await hashOf(['run', ...both.slice(2), ...both.slice(0, 2), file]),
    );
  });
});

describe('a file that exists but cannot be read', () => {
  test('says why, with the path as given', async () => {
    const m = memoryIo();
    const path = 'litmus/properties/abba.litmus';
    const denied = Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
    const io = {
      ...m.io,
      readFile: (p: string) => {
        if (p === path) throw denied;
        return m.io.readFile(p);
      },
    };
    expect(await run(['run', path], io)).toBe(2);
    expect(m.stderr()).toBe(`mmu-litmus: Cannot read '${path}': permission denied.\n`);
  });

  test('an unknown error keeps its words, without the code and the syscall', () => {
    const e = Object.assign(new Error("EIO: i/o error, read '/x'"), { code: 'EIO' });
    expect(fileError('read', '/x', e)).toBe("Cannot read '/x': i/o error.");
  });
});

describe('printed commands', () => {
  test('a Replay: line runs as printed (npx mmu-litmus, from the project folder)', async () => {
    const r = await cli(['run', '--no-check', 'dangling-translation', 'litmus/ttu+ats+notify-after-free.litmus']);
    const line = /^Replay: (.*)$/m.exec(r.stdout)?.[1];
    expect(line).toMatch(/^npx mmu-litmus run /);
    const replayed = await cli(line!.replace(/^npx mmu-litmus /, '').split(' '));
    expect(replayed.stdout).toMatch(/^Violations use-after-free$/m);
    expect(replayed.code).toBe(1);
  });
});
