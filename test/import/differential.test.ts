// Differential test of the C front end: a kernel-style fixture imported by `mmu-litmus import`
// and its hand-written litmus twin give the same verdicts, warnings and state counts, in each
// scenario and with each secondary kind.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cli, ROOT } from '../support/memoryIo.js';

const FIX = 'test/import/fixtures';
const work = mkdtempSync(join(tmpdir(), 'mmu-litmus-import-'));

function withRoutine(scenario: string, routine: string, name: string): string {
  const text = readFileSync(join(ROOT, FIX, scenario), 'utf8').replace('// ROUTINE', routine);
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

interface Summary {
  observation: string;
  violations: string[];
  warnings: string[];
  states: number;
  finals: string[];
}

async function verdict(path: string, kind: string): Promise<Summary> {
  const r = await cli(['run', path, '--secondary', `dev=${kind}`, '--format', 'json']);
  expect(r.stderr).toBe('');
  const j = JSON.parse(r.stdout) as {
    observation: string;
    violations: { property: string }[];
    warnings: { warning: string }[];
    search: { states: number };
    states: { state: string }[];
  };
  return {
    observation: j.observation,
    violations: [...new Set(j.violations.map((v) => v.property))].sort(),
    warnings: [...new Set(j.warnings.map((w) => w.warning))].sort(),
    states: j.search.states,
    finals: j.states.map((s) => s.state).sort(),
  };
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
        const a = await verdict(withRoutine(scenario, imported.stdout, `imported-${scenario}`), kind);
        const b = await verdict(withRoutine(scenario, twin, `twin-${scenario}`), kind);
        expect(a).toEqual(b);
        expect(a.states).toBeGreaterThan(10);
      });
    }
  }
});
