// The lexer of the litmus language: text → tokens, with comments kept aside as trivia (the parser
// reads them for the `Result:` line and for definition docs). It never throws: a bad character,
// an unterminated comment or string, or a malformed number becomes a diagnostic and lexing goes on.

import { type Diagnostic, error } from './diagnostic.js';
import type { SourceFile } from './source.js';

export type TokenKind =
  /** A C identifier; keywords are identifiers too (the parser gives them meaning by position). */
  | 'ident'
  /** An integer literal; `value` holds it reduced modulo 2^64. */
  | 'num'
  /** A string literal; `value` holds the decoded text. */
  | 'string'
  /** `@variant` after a name; `text` is the variant without `@` (empty when malformed). */
  | 'variant'
  /** The test name on the `MMU` header line: every non-blank character up to the first blank. */
  | 'header'
  /** An operator or a punctuation mark; `text` is the mark. */
  | 'punct'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** The first token on its line (only blanks and comments before it). */
  readonly lineStart: boolean;
  readonly num?: bigint;
  readonly str?: string;
}

/** A comment with its markers, as written. */
export interface Comment {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface LexResult {
  /** Always ends with one `eof` token. */
  readonly tokens: Token[];
  readonly comments: Comment[];
  readonly diagnostics: Diagnostic[];
}

// Longest match first.
const PUNCTUATION = [
  '<<=',
  '>>=',
  '<<',
  '>>',
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '++',
  '--',
  '=>',
  '/\\',
  '\\/',
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ';',
  ',',
  ':',
  '.',
  '?',
  '+',
  '-',
  '*',
  '/',
  '%',
  '&',
  '|',
  '^',
  '~',
  '!',
  '<',
  '>',
  '=',
  '#',
];

const TWO_TO_64 = 1n << 64n;

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || isDigit(c);
}

function isVariantPart(c: string): boolean {
  return isIdentPart(c) || c === '.';
}

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\v';
}

/**
 * Splits `text` into tokens. With `header`, a first token `MMU` is followed by a `header` token
 * holding the test name (which may contain `+`, `-`, `.`: `ttu+ats+notify-after-free`).
 */
export function lex(file: SourceFile, options: { readonly header?: boolean } = {}): LexResult {
  const text = file.text;
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  const diagnostics: Diagnostic[] = [];
  // A byte-order mark is an editor's artefact, not part of the test.
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineStart = true;
  // Start of a run of characters that start no token; reported as one diagnostic.
  let badStart = -1;

  /** Reports the pending run of bad characters, which ends where the next token or blank starts. */
  const flushBad = (end: number): void => {
    if (badStart < 0) return;
    const bad = text.slice(badStart, end);
    const shown = bad.length > 20 ? `${bad.slice(0, 20)}…` : bad;
    diagnostics.push(
      error(
        'ML1001',
        file,
        { start: badStart, end },
        bad.length === 1
          ? `Unexpected character ${JSON.stringify(shown)}.`
          : `Unexpected characters ${JSON.stringify(shown)}.`,
      ),
    );
    badStart = -1;
  };

  const push = (
    kind: TokenKind,
    start: number,
    end: number,
    extra: Partial<Pick<Token, 'num' | 'str' | 'text'>> = {},
  ) => {
    flushBad(start);
    const t: Token = { kind, text: text.slice(start, end), start, end, lineStart, ...extra };
    tokens.push(t);
    lineStart = false;
  };

  const blockComment = (open: string, close: string): void => {
    flushBad(pos);
    const start = pos;
    const end = text.indexOf(close, pos + 2);
    if (end < 0) {
      diagnostics.push(
        error(
          'ML1002',
          file,
          { start, end: start + 2 },
          `This comment is never closed: '${open}' has no matching '${close}'.`,
        ),
      );
      pos = text.length;
    } else {
      pos = end + 2;
    }
    const body = text.slice(start, pos);
    if (body.includes('\n')) lineStart = true;
    comments.push({ text: body, start, end: pos });
  };

  while (pos < text.length) {
    const c = text.charAt(pos);
    const c2 = text.slice(pos, pos + 2);

    if (isBlank(c)) {
      flushBad(pos);
      if (c === '\n') lineStart = true;
      pos++;
      continue;
    }
    if (c2 === '//') {
      flushBad(pos);
      const start = pos;
      const nl = text.indexOf('\n', pos);
      pos = nl < 0 ? text.length : nl;
      comments.push({ text: text.slice(start, pos), start, end: pos });
      continue;
    }
    if (c2 === '/*') {
      blockComment('/*', '*/');
      continue;
    }
    if (c2 === '(*') {
      blockComment('(*', '*)');
      continue;
    }

    if (isIdentStart(c)) {
      const start = pos;
      while (pos < text.length && isIdentPart(text.charAt(pos))) pos++;
      push('ident', start, pos);
      if (options.header === true && tokens.length === 1 && tokens[0]?.text === 'MMU') lexHeaderName();
      continue;
    }
    if (isDigit(c)) {
      lexNumber();
      continue;
    }
    if (c === '"') {
      lexString();
      continue;
    }
    if (c === '@') {
      const start = pos;
      pos++;
      while (pos < text.length && isVariantPart(text.charAt(pos))) pos++;
      if (pos === start + 1) {
        flushBad(start);
        diagnostics.push(
          error(
            'ML1006',
            file,
            { start, end: pos },
            "Expected a variant name right after '@', as in 'try_to_unmap_one@v4.13'.",
          ),
        );
      }
      push('variant', start, pos, { text: text.slice(start + 1, pos) });
      continue;
    }
    const mark = PUNCTUATION.find((p) => text.startsWith(p, pos));
    if (mark !== undefined) {
      push('punct', pos, pos + mark.length);
      pos += mark.length;
      continue;
    }
    if (badStart < 0) badStart = pos;
    pos++;
  }
  flushBad(pos);
  tokens.push({ kind: 'eof', text: '', start: text.length, end: text.length, lineStart: true });
  return { tokens, comments, diagnostics };

  function lexHeaderName(): void {
    while (pos < text.length && (text.charAt(pos) === ' ' || text.charAt(pos) === '\t')) pos++;
    const start = pos;
    while (pos < text.length && !isBlank(text.charAt(pos))) pos++;
    if (pos > start) push('header', start, pos);
  }

  function lexNumber(): void {
    const start = pos;
    // Like C's pp-number: swallow letters too, so `12ab` is one bad number, not `12` then `ab`.
    while (pos < text.length && isIdentPart(text.charAt(pos))) pos++;
    const raw = text.slice(start, pos);
    const digits = raw.replace(/_/g, '');
    const valid = /^0[xX][0-9a-fA-F]+$/.test(digits) || /^[0-9]+$/.test(digits);
    let value = 0n;
    if (!valid) {
      diagnostics.push(
        error(
          'ML1004',
          file,
          { start, end: pos },
          `Malformed number '${raw}'; write a decimal number or a hexadecimal one starting with '0x'.`,
        ),
      );
    } else {
      value = BigInt(digits);
      if (value >= TWO_TO_64) {
        diagnostics.push(
          error(
            'ML1005',
            file,
            { start, end: pos },
            `The number '${raw}' does not fit in 64 bits (the largest is 0xffffffffffffffff).`,
          ),
        );
        value %= TWO_TO_64;
      }
    }
    push('num', start, pos, { num: value });
  }

  function lexString(): void {
    const start = pos;
    pos++;
    let value = '';
    for (;;) {
      if (pos >= text.length || text.charAt(pos) === '\n') {
        diagnostics.push(
          error('ML1003', file, { start, end: start + 1 }, "This string is never closed: add a '\"' on the same line."),
        );
        break;
      }
      const ch = text.charAt(pos);
      if (ch === '"') {
        pos++;
        break;
      }
      if (ch === '\\' && pos + 1 < text.length && text.charAt(pos + 1) !== '\n') {
        const e = text.charAt(pos + 1);
        value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
        pos += 2;
        continue;
      }
      value += ch;
      pos++;
    }
    push('string', start, pos, { str: value });
  }
}

/** The lines of a comment without its markers (`//`, `/*`, `*\/`, `(*`, `*)`, leading ` * `). */
export function commentLines(c: Comment): string[] {
  if (c.text.startsWith('//')) return [c.text.replace(/^\/\/+ ?/, '').trimEnd()];
  const close = c.text.startsWith('/*') ? '*/' : '*)';
  const body = c.text.slice(2, c.text.endsWith(close) && c.text.length >= 4 ? -2 : undefined);
  return body
    .split('\n')
    .map((line) => (/^\s*\*/.test(line) ? line.replace(/^\s*\*+ ?/, '') : line.trimStart()).trimEnd());
}
