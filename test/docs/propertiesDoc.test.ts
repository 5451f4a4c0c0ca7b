// docs/properties.md is generated from the check table, and the table's tests exist.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CHECKS, PROPERTY_DOCS } from '../../src/model/properties.js';
import { renderPropertiesDoc } from '../../src/report/propertiesDoc.js';

const root = new URL('../../', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), 'utf8');

describe('the check table', () => {
  test('has one entry per property and warning, in bit order, with a distinct short name', () => {
    expect(PROPERTY_DOCS.map((d) => d.name)).toEqual(CHECKS);
    expect(new Set(PROPERTY_DOCS.map((d) => d.short)).size).toBe(CHECKS.length);
  });

  test('names catalogue tests that exist', () => {
    const missing = PROPERTY_DOCS.flatMap((d) =>
      d.tests.filter((t) => !existsSync(new URL(`litmus/${t}.litmus`, root))),
    );
    expect(missing).toEqual([]);
    for (const d of PROPERTY_DOCS) expect(d.tests.length).toBeGreaterThan(0);
  });
});

describe('docs/properties.md is generated', () => {
  test('it matches the table (run `npm run docs:properties`)', () => {
    const prose = {
      intro: read('scripts/properties-doc/intro.md'),
      warnings: read('scripts/properties-doc/warnings.md'),
      definitions: read('scripts/properties-doc/definitions.md'),
    };
    expect(read('docs/properties.md')).toBe(renderPropertiesDoc(prose));
  });
});
