// Golden diagnostics of check-patch: each test/golden/diagnostics/ML7xxx.patch makes one mistake
// against the fixture test/fixtures/patch/mkclean.c (ML7005: against mkclean-edited.c), and its
// .expected file holds the full output of check-patch: stdout, stderr and the exit code
// (`vitest run -u` rewrites them). The C front end is the tests' double (test/support).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { runCheckPatch } from '../../src/cli/checkPatch.js';
import { CODES } from '../../src/lang/codes.js';
import { fakeImporter } from '../support/fakeImporter.js';
import { memoryIo, ROOT, transcript } from '../support/memoryIo.js';

const DIR = 'test/golden/diagnostics';
const inputs = readdirSync(join(ROOT, DIR))
  .filter((f) => /^ML7\d{3}\.patch$/.test(f))
  .sort();

const HEADER = /^(\S+):(\d+):(\d+): (error|warning) (ML\d{4}): (.*)$/;

describe('diagnostics of check-patch (golden)', () => {
  test.each(inputs)('%s', async (name) => {
    const code = name.replace('.patch', '');
    const base = code === 'ML7005' ? 'mkclean-edited.c' : 'mkclean.c';
    const args = [
      'check-patch',
      `${DIR}/${name}`,
      '--base',
      `test/fixtures/patch/${base}`,
      '--kernel-before',
      'v4.12',
      '--kernel-after',
      'v4.13',
      '--kinds',
      'ats',
    ];
    const { io, stdout, stderr } = memoryIo();
    const exit = await runCheckPatch(parseArgs(args), io, async () => fakeImporter());
    await expect(transcript(args, { code: exit, stdout: stdout(), stderr: stderr() })).toMatchFileSnapshot(
      `../golden/diagnostics/${code}.expected`,
    );
    for (const text of [stdout(), stderr()]) {
      expect(text).not.toMatch(/^\s+at /m);
      expect(text).not.toMatch(/internal error/);
    }
    const headers = stderr()
      .split('\n')
      .map((l) => HEADER.exec(l))
      .filter((m) => m !== null);
    expect(headers.length).toBe(1);
    const [, file, , , severity, c, message] = headers[0]!;
    expect(file).toBe(`${DIR}/${name}`);
    expect(c).toBe(code);
    expect(message).toMatch(/^[A-Z].*\.$/);
    if (code === 'ML7005') {
      // A warning: the check runs on the base as given.
      expect(severity).toBe('warning');
      expect(exit).toBe(0);
      expect(stdout()).toMatch(/NOT the pre-image/);
    } else {
      expect(severity).toBe('error');
      expect(exit).toBe(2);
      expect(stdout()).toBe('');
    }
  });

  test('every patch code has a golden input', () => {
    const codes = CODES.filter((c) => /^ML7/.test(c.code)).map((c) => `${c.code}.patch`);
    expect(codes.filter((f) => !inputs.includes(f))).toEqual([]);
    expect(inputs.filter((f) => !codes.includes(f))).toEqual([]);
  });
});
