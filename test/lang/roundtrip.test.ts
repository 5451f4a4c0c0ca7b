// The printer and the parser agree: printing a tree and parsing the text gives the tree back
// (spans, files and docs aside), and printing is a fixed point of print ∘ parse.

import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { lex } from '../../src/lang/lexer.js';
import { parseExpression } from '../../src/lang/parser.js';
import { printExpr, printLitmus } from '../../src/lang/printer.js';
import { sourceFile } from '../../src/lang/source.js';
import { expr, litmusFile } from './arbitraries.js';
import { DESIGN_EXAMPLE, parse, strip } from './fixtures.js';

describe('print then parse', () => {
  test.prop([expr], { numRuns: 200 })('gives the same expression back', (e) => {
    const text = printExpr(e);
    const r = parseExpression(sourceFile('e', text));
    expect(r.diagnostics.map((d) => d.message)).toEqual([]);
    expect(strip(r.ast)).toEqual(strip(e));
  });

  test.prop([litmusFile], { numRuns: 150 })('gives the same test back', (f) => {
    const text = printLitmus(f);
    const r = parse(text);
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(strip(r.ast)).toEqual(strip(f));
    expect(r.ast && printLitmus(r.ast)).toBe(text);
  });
});

describe('the DESIGN §2 example', () => {
  test('survives parse ∘ print', () => {
    const first = parse(DESIGN_EXAMPLE);
    expect(first.diagnostics).toEqual([]);
    if (first.ast === undefined) throw new Error('no tree');
    const printed = printLitmus(first.ast);
    const second = parse(printed);
    expect(second.diagnostics).toEqual([]);
    expect(strip(second.ast)).toEqual(strip(first.ast));
    expect(second.ast && printLitmus(second.ast)).toBe(printed);
  });

  // Blanks and comments between tokens never change the tree (tokens that touch keep touching:
  // `use-after-free`, `f@v4.13`, and the header name on the `MMU` line).
  const tokens = lex(sourceFile('d', DESIGN_EXAMPLE), { header: true }).tokens.filter((t) => t.kind !== 'eof');
  const separator = fc.constantFrom(' ', '\n', '\t', '  \n  ', ' /* c */ ', ' (* herd *) ', ' // line\n');
  const expected = strip(parse(DESIGN_EXAMPLE).ast);

  test.prop([fc.array(separator, { minLength: tokens.length, maxLength: tokens.length })], { numRuns: 50 })(
    'parses the same whatever the blanks and comments between tokens',
    (seps) => {
      let text = '';
      tokens.forEach((t, i) => {
        const prev = tokens[i - 1];
        if (prev !== undefined) {
          if (prev.end === t.start) text += '';
          else if (prev.text === 'MMU') text += ' ';
          else text += seps[i];
        }
        text += DESIGN_EXAMPLE.slice(t.start, t.end);
      });
      const r = parse(text);
      expect(r.diagnostics.map((d) => d.message)).toEqual([]);
      expect(strip(r.ast)).toEqual(expected);
    },
  );
});
