// docs/import.md documents every row of the mapping table: its generated section is current; the
// flag values agree with the prelude's.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { CALLS, CONSTANTS } from '../../src/import/mapping.js';
import { withMappingTable } from '../../src/import/mappingDoc.js';
import { ROOT } from '../support/memoryIo.js';

test('docs/import.md has the mapping table as src/import/mapping.ts renders it (npm run docs:import)', () => {
  const doc = readFileSync(join(ROOT, 'docs/import.md'), 'utf8');
  // the formatter pads table cells: compare without the padding
  const cells = (s: string) =>
    s
      .split('\n')
      .map((l) => (l.startsWith('|') ? l.replace(/ *\| */g, '|').replace(/-{3,}/g, '---') : l))
      .join('\n');
  expect(cells(withMappingTable(doc))).toBe(cells(doc));
  for (const r of CALLS) expect(cells(doc)).toContain(`|\`${r.c}\`|${r.arity}|`);
});

test('every row that is not a plain primitive or a check says why', () => {
  for (const r of CALLS)
    if (r.kind === 'abstraction' || r.kind === 'constant' || r.kind === 'dropped' || r.kind === 'choose')
      expect(r.note, r.c).toBeDefined();
});

test("the table's ttu_flags values are the prelude's (where the prelude declares them)", () => {
  const prelude = readFileSync(join(ROOT, 'prelude/try_to_unmap.litmus'), 'utf8');
  const declared = new Set<string>();
  for (const m of prelude.matchAll(/^\s*(TTU_\w+)\s*=\s*(\d+)/gm)) {
    const row = CONSTANTS.find((c) => c.c === m[1]);
    expect(row, m[1]).toBeDefined();
    expect(row!.value, m[1]).toBe(Number(m[2]));
    declared.add(m[1]!);
  }
  // the rows emitted by name are exactly the ones the prelude declares
  expect(CONSTANTS.filter((c) => c.prelude === true).map((c) => c.c)).toEqual([...declared]);
});
