// Golden diagnostics: each test/golden/diagnostics/ML1xxx.litmus makes exactly one syntax mistake,
// and its .expected file holds the rendered diagnostics (`vitest run -u` rewrites them).

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CODES } from '../../src/lang/codes.js';
import { renderDiagnostic } from '../../src/lang/diagnostic.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';

const DIR = 'test/golden/diagnostics';
const inputs = readdirSync(DIR)
  .filter((f) => /^ML1\d{3}\.litmus$/.test(f))
  .sort();

describe('syntax diagnostics (golden)', () => {
  test.each(inputs)('%s', async (name) => {
    const path = `${DIR}/${name}`;
    const code = name.replace('.litmus', '');
    const { diagnostics } = parseLitmus(sourceFile(path, readFileSync(path, 'utf8')));
    expect(diagnostics.length).toBeGreaterThan(0);
    // The input makes one mistake: every diagnostic is the one it is named after.
    expect(diagnostics.map((d) => d.code)).toEqual(diagnostics.map(() => code));
    for (const d of diagnostics) {
      // One sentence: a capital first, a period last, and no sentence break in between.
      expect(d.message).toMatch(/^[A-Z].*\.$/);
      expect(d.message.slice(0, -1)).not.toMatch(/\.\s/);
    }
    await expect(diagnostics.map(renderDiagnostic).join('')).toMatchFileSnapshot(
      `../golden/diagnostics/${code}.expected`,
    );
  });

  test('every syntax code has a golden input', () => {
    const syntax = CODES.filter((c) => c.code.startsWith('ML1')).map((c) => `${c.code}.litmus`);
    expect(syntax.filter((f) => !inputs.includes(f))).toEqual([]);
    expect(inputs.filter((f) => !syntax.includes(f))).toEqual([]);
  });

  test('codes are unique and titled', () => {
    const seen = new Set<string>();
    for (const c of CODES) {
      expect(c.code).toMatch(/^ML\d{4}$/);
      expect(seen.has(c.code)).toBe(false);
      expect(c.title).not.toBe('');
      seen.add(c.code);
    }
  });
});
