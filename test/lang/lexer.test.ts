import { describe, expect, test } from 'vitest';
import { commentLines, lex, type Token } from '../../src/lang/lexer.js';
import { sourceFile } from '../../src/lang/source.js';

/** A compact view of a token: names as is, `#n` for numbers, `@v` for variants, `<h>` for the header. */
function show(t: Token): string {
  switch (t.kind) {
    case 'num':
      return `#${t.num}`;
    case 'string':
      return JSON.stringify(t.str);
    case 'variant':
      return `@${t.text}`;
    case 'header':
      return `<${t.text}>`;
    default:
      return t.text;
  }
}

function tokens(input: string, header = false): { shown: string; codes: string[] } {
  const r = lex(sourceFile('t', input), { header });
  return {
    shown: r.tokens
      .filter((t) => t.kind !== 'eof')
      .map(show)
      .join(' '),
    codes: r.diagnostics.map((d) => d.code),
  };
}

function check(input: string, expected: string, header = false): void {
  const r = tokens(input, header);
  expect(r.codes).toEqual([]);
  expect(r.shown).toBe(expected);
}

function checkError(input: string, code: string, expected?: string): void {
  const r = tokens(input);
  expect(r.codes).toEqual([code]);
  if (expected !== undefined) expect(r.shown).toBe(expected);
}

describe('lexer', () => {
  test('names and keywords', () => {
    check('r0 = load(a);', 'r0 = load ( a ) ;');
    check('_x1 if else', '_x1 if else');
  });

  test('numbers', () => {
    check('0 42 0x200000 0X1f 1_000 0x20_0000', '#0 #42 #2097152 #31 #1000 #2097152');
    check('0xffffffffffffffff', '#18446744073709551615');
    checkError('0x10000000000000000', 'ML1005', '#0');
    checkError('18446744073709551616', 'ML1005', '#0');
    checkError('12ab', 'ML1004');
    checkError('0x', 'ML1004');
    checkError('0xfg', 'ML1004');
  });

  test('a minus sign is an operator, not part of the literal', () => {
    check('-1', '- #1');
  });

  test('operators take the longest match', () => {
    check('a<<=b>>=c', 'a <<= b >>= c');
    check('a<=b==c!=d&&e||f', 'a <= b == c != d && e || f');
    check('x++ y-- x+=1 x-=1', 'x ++ y -- x += #1 x -= #1');
    check('a /\\ b \\/ c => d', 'a /\\ b \\/ c => d');
    check('~exists', '~ exists');
  });

  test('variants', () => {
    check('try_to_unmap_one@v4.12(p)', 'try_to_unmap_one @v4.12 ( p )');
    check('f@seed f@aac2fea94f7a', 'f @seed f @aac2fea94f7a');
    checkError('f@ x', 'ML1006', 'f @ x');
  });

  test('hyphenated property names stay separate tokens for the parser to join', () => {
    check('use-after-free', 'use - after - free');
  });

  test('strings', () => {
    check('"v4.13"', '"v4.13"');
    check('"a \\"b\\" \\\\ \\n"', JSON.stringify('a "b" \\ \n'));
    checkError('"open\nx', 'ML1003', '"open" x');
  });

  test('comments are trivia', () => {
    check('a // b\nc', 'a c');
    check('a /* b\n * c */ d', 'a d');
    check('a (* herd *) b', 'a b');
    checkError('a /* never closed', 'ML1002', 'a');
    checkError('a (* never closed', 'ML1002', 'a');
  });

  test('unexpected characters are grouped into one diagnostic', () => {
    checkError('a $$$ b', 'ML1001', 'a b');
    checkError('a ` b', 'ML1001', 'a b');
  });

  test('the header name is the rest of the line up to a blank', () => {
    check('MMU ttu+ats+notify-after-free\n{', 'MMU <ttu+ats+notify-after-free> {', true);
    check('MMU x.y // c\n', 'MMU <x.y>', true);
    check('MMU\n{', 'MMU {', true);
    check('MMU a+b', 'MMU a + b', false);
  });

  test('tokens know whether they start a line', () => {
    const r = lex(sourceFile('t', 'a b\n  c /* x\n */ d'));
    expect(r.tokens.map((t) => t.lineStart)).toEqual([true, false, true, true, true]);
  });

  test('comment lines lose their markers', () => {
    const cases: [string, string[]][] = [
      ['// Models mm/rmap.c', ['Models mm/rmap.c']],
      ['/* one */', ['one']],
      ['/**\n * a\n *  b\n */', ['', 'a', ' b', '']],
      ['(* Result: Never *)', ['Result: Never']],
    ];
    for (const [text, lines] of cases) {
      expect(commentLines({ text, start: 0, end: text.length })).toEqual(lines);
    }
  });
});
