// Differential test of the C front end: a kernel-style fixture imported by `mmu-litmus import`
// and its hand-written litmus twin give the same verdicts, warnings and state counts, in each
// scenario and with each secondary kind.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cli, ROOT } from '../support/memoryIo.js';
import { runSummary } from '../support/runSummary.js';

const FIX = 'test/import/fixtures';
const work = mkdtempSync(join(tmpdir(), 'mmu-litmus-import-'));

function withRoutine(scenario: string, routine: string, name: string): string {
  const text = readFileSync(join(ROOT, FIX, scenario), 'utf8').replace('// ROUTINE', routine);
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

describe('an imported fixture and its hand-written twin agree', async () => {
  const imported = await cli(['import', `${FIX}/walk.c`, '--function', 'wrprotect_one', '--kernel', 'v4.13']);
  const twin = readFileSync(join(ROOT, FIX, 'walk-twin.litmus'), 'utf8');
  test('the import succeeds', () => {
    expect(imported.code).toBe(0);
  });
  for (const scenario of ['wrprotect-pte.litmus', 'wrprotect-thp.litmus']) {
    for (const kind of ['ats', 'kvm', 'userptr']) {
      test(`${scenario} with ${kind}`, async () => {
        const a = await runSummary(withRoutine(scenario, imported.stdout, `imported-${scenario}`), kind);
        const b = await runSummary(withRoutine(scenario, twin, `twin-${scenario}`), kind);
        expect(a).toEqual(b);
        expect(a.states).toBeGreaterThan(10);
      });
    }
  }
});

describe('v6.6 folio style: an imported fixture and its hand-written twin agree', async () => {
  // DEFINE_FOLIO_VMA_WALK(), the walk handed by pointer to a helper, vma_address_end()
  const imported = await cli(['import', `${FIX}/folio.c`, '--function', 'protect_folio_one', '--kernel', 'v6.6']);
  const twin = readFileSync(join(ROOT, FIX, 'folio-twin.litmus'), 'utf8');
  test('the import succeeds', () => {
    expect(imported.code, imported.stderr).toBe(0);
  });
  for (const scenario of ['protect-v66.litmus', 'protect-v66-clean.litmus']) {
    for (const kind of ['ats', 'kvm', 'hmm', 'userptr']) {
      test(`${scenario} with ${kind}`, async () => {
        const a = await runSummary(withRoutine(scenario, imported.stdout, `imported-${scenario}`), kind);
        const b = await runSummary(withRoutine(scenario, twin, `twin-${scenario}`), kind);
        expect(a).toEqual(b);
        expect(a.states).toBeGreaterThan(10);
      });
    }
  }
});

describe('for, do … while and switch run as in C', async () => {
  // loops.c counts dirty entries with a for loop whose continue must run the update, a do … while
  // whose continue must test, and a switch whose cases share a body; a wrong mapping changes r0/r1.
  const imported = await cli(['import', `${FIX}/loops.c`, '--function', 'count_dirty', '--kernel', 'v6.6']);
  test('the import succeeds and the values are the C ones', async () => {
    expect(imported.code, imported.stderr).toBe(0);
    const r = await cli(['run', withRoutine('loops.litmus', imported.stdout, 'loops.litmus'), '--format', 'json']);
    const doc = JSON.parse(r.stdout) as { tests: { observation: string; states: { state: string }[] }[] };
    expect(doc.tests).toHaveLength(1);
    const j = doc.tests[0]!;
    expect(j.observation).toBe('Always');
    expect(j.states.map((s) => s.state)).toEqual([expect.stringMatching(/K0:r0=200;.*K0:r1=7;/)]);
  });
});
