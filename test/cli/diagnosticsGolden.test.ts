// Golden diagnostics through the command line: each test/golden/diagnostics/ML[234]xxx.litmus
// makes exactly one mistake of names and semantics (2xxx), of the initial state (3xxx) or one
// found while running the model (4xxx), and its .expected file holds the full output of
// `mmu-litmus run <file>`: stdout, stderr and the exit code (`vitest run -u` rewrites them). A
// mistake made on the command line (an override) has its options in MLnnnn.args, one line, put
// before the file; its diagnostic is located in `<command-line>`.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';
import { CODES } from '../../src/lang/codes.js';
import { memoryIo, ROOT } from '../support/memoryIo.js';

const DIR = 'test/golden/diagnostics';
const inputs = readdirSync(join(ROOT, DIR))
  .filter((f) => /^ML[234]\d{3}\.litmus$/.test(f))
  .sort();

/** A section of the golden file: the text as printed, ending with a newline when not empty. */
function section(s: string): string {
  return s === '' || s.endsWith('\n') ? s : `${s}\n`;
}

const HEADER = /^(\S+):(\d+):(\d+): (error|warning) (ML\d{4}): (.*)$/;

describe('diagnostics of names, initial state and model errors (golden, through the CLI)', () => {
  test.each(inputs)('%s', async (name) => {
    const path = `${DIR}/${name}`;
    const code = name.replace('.litmus', '');
    const argsFile = join(ROOT, DIR, `${code}.args`);
    const options = existsSync(argsFile) ? readFileSync(argsFile, 'utf8').trim().split(/\s+/) : [];
    const { io, stdout, stderr } = memoryIo();
    const exit = await run(['run', ...options, path], io);
    const golden = `$ mmu-litmus run ${[...options, path].join(' ')}\n--- stdout\n${section(stdout())}--- stderr\n${section(stderr())}--- exit ${exit}\n`;
    await expect(golden).toMatchFileSnapshot(`../golden/diagnostics/${code}.expected`);

    // Bad input: exit code 2, nothing on stdout, and no JavaScript stack trace anywhere.
    expect(exit).toBe(2);
    expect(stdout()).toBe('');
    for (const text of [stdout(), stderr()]) {
      expect(text).not.toMatch(/^\s+at /m);
      expect(text).not.toMatch(/internal error/);
    }

    // The input makes one mistake: every diagnostic is the one it is named after.
    const lines = stderr().split('\n').slice(0, -1);
    const headers = lines.map((l) => HEADER.exec(l)).filter((m) => m !== null);
    expect(headers.length).toBeGreaterThan(0);
    for (const [, file, , , severity, c] of headers) {
      expect(file).toBe(options.length > 0 ? '<command-line>' : path);
      expect(severity).toBe('error');
      expect(c).toBe(code);
    }
    for (const [, , , , , , message] of headers) {
      // One sentence: a capital first (or a quoted name, or a kernel symbol that keeps its
      // lower-case spelling), a period last, and no sentence break in between.
      expect(message).toMatch(/^(?:[A-Z]|'[^']+'|[a-z]\w*_\w*\s).*\.$/);
      expect(message!.slice(0, -1)).not.toMatch(/\.\s/);
    }
    // Every other line belongs to the rendering: the source line with carets, and for errors
    // found while running the model, the thread and the inlined call chain.
    for (const l of lines) {
      if (HEADER.test(l)) continue;
      expect(l).toMatch(/^ *\d* \|( .*)?$|^ += in thread \S+( \(inlined from .*\))?$/);
    }
    if (code.startsWith('ML4')) expect(stderr()).toMatch(/^ += in thread \S+/m);
  });

  test('every names, initial-state and model-error code has a golden input', () => {
    const codes = CODES.filter((c) => /^ML[234]/.test(c.code)).map((c) => `${c.code}.litmus`);
    expect(codes.filter((f) => !inputs.includes(f))).toEqual([]);
    expect(inputs.filter((f) => !codes.includes(f))).toEqual([]);
  });
});
