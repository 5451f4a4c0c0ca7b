// What `mmu-litmus run --format json` says of a test with its secondary `dev` registered as
// `kind`, reduced to what an imported routine and its hand-written twin must share.

import { expect } from 'vitest';
import { cli } from './memoryIo.js';

export interface RunSummary {
  observation: string;
  violations: string[];
  warnings: string[];
  states: number;
  finals: string[];
}

export async function runSummary(path: string, kind: string): Promise<RunSummary> {
  const r = await cli(['run', path, '--secondary', `dev=${kind}`, '--format', 'json']);
  expect(r.stderr, r.stderr).toBe('');
  const doc = JSON.parse(r.stdout) as {
    format: string;
    tests: {
      observation: string;
      violations: { property: string }[];
      warnings: { warning: string }[];
      search: { states: number };
      states: { state: string }[];
    }[];
  };
  expect(doc.format).toBe('mmu-litmus-run/1');
  expect(doc.tests).toHaveLength(1);
  const j = doc.tests[0]!;
  return {
    observation: j.observation,
    violations: [...new Set(j.violations.map((v) => v.property))].sort(),
    warnings: [...new Set(j.warnings.map((w) => w.warning))].sort(),
    states: j.search.states,
    finals: j.states.map((s) => s.state).sort(),
  };
}
