// End to end with goto: flags.c's unmap_one() (a goto to a label further down, a same-file helper,
// the ttu_flags argument) imported and run, against its hand-written twin without goto: the same
// verdicts, warnings, final states and state counts for each flag value and secondary kind.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cli, ROOT } from '../support/memoryIo.js';
import { runSummary } from '../support/runSummary.js';

const FIX = 'test/import/fixtures';
const work = mkdtempSync(join(tmpdir(), 'mmu-litmus-goto-'));

function scenario(routine: string, flags: string, name: string): string {
  const text = readFileSync(join(ROOT, FIX, 'unmap-anon.litmus'), 'utf8')
    .replace('// ROUTINE', routine)
    .replace('0x200000, FLAGS)', `0x200000, ${flags})`);
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

describe('an imported function with goto runs like its hand-written twin', async () => {
  const imported = await cli(['import', `${FIX}/flags.c`, '--function', 'unmap_one', '--kernel', 'v4.13']);
  const twin = readFileSync(join(ROOT, FIX, 'flags-twin.litmus'), 'utf8');
  test('the import succeeds and uses goto', () => {
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^ *goto done;/m);
  });
  for (const flags of ['0', '1', '2']) {
    for (const kind of ['ats', 'userptr']) {
      test(`flags ${flags} with ${kind}`, async () => {
        const a = await runSummary(scenario(imported.stdout, flags, `imported-${flags}.litmus`), kind);
        const b = await runSummary(scenario(twin, flags, `twin-${flags}.litmus`), kind);
        expect(a).toEqual(b);
        expect(a.states).toBeGreaterThan(10);
      });
    }
  }
});
