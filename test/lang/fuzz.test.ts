// Random and mutated inputs never make the parser throw. Text that is not a valid test gets at
// least one diagnostic; text that gets none parses to a tree that prints and re-parses cleanly.

import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { lex } from '../../src/lang/lexer.js';
import { parseExpression, parsePrelude } from '../../src/lang/parser.js';
import { printLitmus } from '../../src/lang/printer.js';
import { sourceFile } from '../../src/lang/source.js';
import { DESIGN_EXAMPLE, parse } from './fixtures.js';

/** Parses `text` as a test, a prelude and an expression; checks the no-diagnostic case is sound. */
function parseAll(text: string): number {
  const r = parse(text);
  const all = [...r.diagnostics, ...parsePrelude(sourceFile('p', text)).diagnostics];
  all.push(...parseExpression(sourceFile('e', text)).diagnostics);
  for (const d of all) {
    expect(d.message).toMatch(/^[A-Z].*\.$/s);
    expect(d.span.start).toBeLessThanOrEqual(d.span.end);
    expect(d.span.end).toBeLessThanOrEqual(text.length);
  }
  if (r.diagnostics.length === 0) {
    expect(r.ast).toBeDefined();
    if (r.ast !== undefined) {
      const printed = printLitmus(r.ast);
      const again = parse(printed);
      expect(again.diagnostics).toEqual([]);
      expect(again.ast && printLitmus(again.ast)).toBe(printed);
    }
  }
  return r.diagnostics.length;
}

const exampleTokens = lex(sourceFile('d', DESIGN_EXAMPLE), { header: true }).tokens.filter((t) => t.kind !== 'eof');
/** Marks whose deletion or duplication always breaks the example (not `:`: `D0r0` is a valid name). */
const STRUCTURAL = new Set([';', ',', '=', '{', '}', '(', ')', '[', ']']);
const structural = exampleTokens.filter((t) => t.kind === 'punct' && STRUCTURAL.has(t.text));

describe('fuzz', () => {
  test.prop([fc.string({ unit: 'binary', maxLength: 200 })], { numRuns: 200 })(
    'random strings get diagnostics',
    (text) => {
      expect(parseAll(text)).toBeGreaterThan(0);
    },
  );

  test.prop([fc.uint8Array({ maxLength: 300 })], { numRuns: 200 })('random bytes get diagnostics', (bytes) => {
    expect(parseAll(Buffer.from(bytes).toString('latin1'))).toBeGreaterThan(0);
  });

  test.prop([fc.string({ unit: fc.constantFrom(...'(){}[];,:=-~/\\*@"x1 \n'), maxLength: 200 })], { numRuns: 200 })(
    'random punctuation soup never throws',
    (text) => {
      parseAll(`MMU t\n{}\nkernel K0 {${text}`);
      parseAll(text);
    },
  );

  const edit = fc.oneof(
    fc.record({ kind: fc.constant('delete'), at: fc.nat() }),
    fc.record({
      kind: fc.constant('insert'),
      at: fc.nat(),
      char: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    }),
    fc.record({ kind: fc.constant('duplicate'), at: fc.nat() }),
  );

  test.prop([fc.array(edit, { minLength: 1, maxLength: 4 })], { numRuns: 200 })(
    'character mutations of the DESIGN example never throw',
    (edits) => {
      let text = DESIGN_EXAMPLE;
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        if (e.kind === 'delete') text = text.slice(0, at) + text.slice(at + 1);
        else if (e.kind === 'insert') text = text.slice(0, at) + e.char + text.slice(at);
        else text = text.slice(0, at) + text.slice(at, at + 1) + text.slice(at);
      }
      parseAll(text);
    },
  );

  test.prop([fc.nat(), fc.boolean()], { numRuns: 200 })(
    'deleting or duplicating a punctuation token of the DESIGN example is reported',
    (index, duplicate) => {
      const t = structural[index % structural.length];
      if (t === undefined) throw new Error('no punctuation in the example');
      const text = DESIGN_EXAMPLE.slice(0, t.start) + (duplicate ? t.text + t.text : '') + DESIGN_EXAMPLE.slice(t.end);
      expect(parseAll(text)).toBeGreaterThan(0);
    },
  );

  test.prop([fc.nat(), fc.nat()], { numRuns: 200 })('moving a token of the DESIGN example never throws', (a, b) => {
    const t = exampleTokens[a % exampleTokens.length];
    if (t === undefined) throw new Error('no tokens');
    const without = DESIGN_EXAMPLE.slice(0, t.start) + DESIGN_EXAMPLE.slice(t.end);
    const at = b % (without.length + 1);
    parseAll(`${without.slice(0, at)} ${t.text} ${without.slice(at)}`);
  });
});
