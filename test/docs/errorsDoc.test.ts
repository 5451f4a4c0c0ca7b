// docs/errors.md documents every diagnostic code of src/lang/codes.ts, and no other.

import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CODES } from '../../src/lang/codes.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const known = new Set(CODES.map((c) => c.code));

describe('docs/errors.md', () => {
  test('every code has a heading', () => {
    const headings = new Set([...doc.matchAll(/^### (ML\d{4})\b/gm)].map((m) => m[1]));
    expect(CODES.map((c) => c.code).filter((c) => !headings.has(c))).toEqual([]);
  });

  test('each code has exactly one heading, in the order of the registry', () => {
    const headings = [...doc.matchAll(/^### (ML\d{4})\b/gm)].map((m) => m[1]);
    expect(headings).toEqual(CODES.map((c) => c.code));
  });

  test('no code that is not in the registry is mentioned', () => {
    const mentioned = new Set([...doc.matchAll(/\bML\d{4}\b/g)].map((m) => m[0]));
    expect([...mentioned].filter((c) => !known.has(c))).toEqual([]);
  });
});

describe('docs/errors.md is generated', () => {
  test('it matches what scripts/errors-doc/gen.mjs renders (run `npm run docs:errors`)', async () => {
    // @ts-expect-error: a plain ESM script without type declarations
    const { render } = (await import('../../scripts/errors-doc/gen.mjs')) as { render: () => string };
    expect(doc).toBe(render());
  });
});
