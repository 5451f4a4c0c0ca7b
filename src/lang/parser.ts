// The parser of the litmus language (DESIGN §2): recursive descent over the lexer's tokens.
// It never throws on user input and reports every error it can: a failing construct reports one
// diagnostic and unwinds (with the private `Bail`) to the nearest recovery point — the statement
// or item list, which skips to `;` or `}`, or the top level, which skips to the next top-level
// keyword. A missing `;` at the end of a line is reported and assumed, without unwinding.

import type {
  BinaryOp,
  Block,
  CallbackDef,
  CallbackName,
  Cond,
  CondValue,
  ConfigItem,
  ConstDecl,
  EntryInit,
  EnumMember,
  ExpectItem,
  Expr,
  FinalCondition,
  InitDecl,
  LitmusFile,
  Location,
  Param,
  PreludeFile,
  PteFlag,
  RoutineDef,
  SecondaryDef,
  Stmt,
  ThreadDef,
  ThreadKind,
} from './ast.js';
import { type Diagnostic, error, sortDiagnostics } from './diagnostic.js';
import { type Comment, commentLines, type LexResult, lex, type Token } from './lexer.js';
import type { SourceFile, Span } from './source.js';

/** Parses a whole `.litmus` test; the AST is `undefined` only when nothing looked like a test. */
export function parseLitmus(file: SourceFile): { ast: LitmusFile | undefined; diagnostics: Diagnostic[] } {
  const p = new Parser(file, lex(file, { header: true }));
  const ast = p.litmusFile();
  return { ast, diagnostics: sortDiagnostics(p.diagnostics) };
}

/** Parses a prelude file: `routine` and `secondary` definitions only. */
export function parsePrelude(file: SourceFile): { ast: PreludeFile; diagnostics: Diagnostic[] } {
  const p = new Parser(file, lex(file));
  const ast = p.preludeFile();
  return { ast, diagnostics: sortDiagnostics(p.diagnostics) };
}

/** Parses one expression filling the whole file (for tests and the command line). */
export function parseExpression(file: SourceFile): { ast: Expr | undefined; diagnostics: Diagnostic[] } {
  const p = new Parser(file, lex(file));
  const ast = p.wholeExpression();
  return { ast, diagnostics: sortDiagnostics(p.diagnostics) };
}

/** Thrown after a diagnostic was reported, to unwind to the nearest recovery point. */
class Bail {}
const BAIL = new Bail();

/** Deeper nesting than this is reported rather than risking the JavaScript stack. */
const MAX_DEPTH = 100;

/**
 * More binary operators than this in one expression or condition are reported (ML1090): a chain
 * `a + b + …` parses into a tree as deep as it is long, which every later pass (compilation, the
 * closures that evaluate it, printing) walks recursively.
 */
export const MAX_OPERATORS = 1000;

const BINARY_PREC: ReadonlyMap<string, number> = new Map([
  ['||', 1],
  ['&&', 2],
  ['|', 3],
  ['^', 4],
  ['&', 5],
  ['==', 6],
  ['!=', 6],
  ['<', 7],
  ['<=', 7],
  ['>', 7],
  ['>=', 7],
  ['<<', 8],
  ['>>', 8],
  ['+', 9],
  ['-', 9],
  ['*', 10],
  ['/', 10],
  ['%', 10],
]);

const COMPOUND_ASSIGN: ReadonlyMap<string, BinaryOp> = new Map([
  ['+=', '+'],
  ['-=', '-'],
  ['*=', '*'],
  ['/=', '/'],
  ['%=', '%'],
  ['&=', '&'],
  ['|=', '|'],
  ['^=', '^'],
  ['<<=', '<<'],
  ['>>=', '>>'],
]);

/** Words that start a statement and so cannot name a value. */
const STATEMENT_WORDS = new Set([
  'if',
  'else',
  'while',
  'break',
  'continue',
  'return',
  'choose',
  'await',
  'assert',
  'atomic',
  'foreach',
  'goto',
]);

const CALLBACKS: ReadonlySet<string> = new Set<CallbackName>([
  'release',
  'invalidate_range_start',
  'invalidate_range_end',
  'invalidate_range',
  'invalidate_page',
  'change_pte',
  'clear_flush_young',
  'arch_invalidate_secondary_tlbs',
  'invalidate',
]);

const PTE_FLAGS: ReadonlySet<string> = new Set<PteFlag>(['ro', 'rw', 'dirty', 'young', 'soft_dirty']);
const LOCK_KINDS = new Set(['spinlock', 'mutex', 'rwsem']);
const EXPECT_WORDS = new Set(['never', 'sometimes', 'always', 'safe', 'violates', 'warns']);

const RESULT_LINE = /^\s*\*?\s*Result:\s*(Never|Sometimes|Always)\b/;

/** Top-level sections in their required order; definitions and threads share one rank. */
type Section = 'description' | 'config' | 'init' | 'definition' | 'locations' | 'filter' | 'condition' | 'expect';

const SECTION_RANK: Record<Section, number> = {
  description: 1,
  config: 2,
  init: 3,
  definition: 4,
  locations: 5,
  filter: 6,
  condition: 7,
  expect: 8,
};

/** How a section is named in "X must come before Y". */
const SECTION_NAME: Record<Section, string> = {
  description: 'the description',
  config: "the 'config' block",
  init: 'the initial state',
  definition: 'threads and definitions',
  locations: "the 'locations' list",
  filter: "the 'filter'",
  condition: 'the final condition',
  expect: "the 'expect' line",
};

/** How a section is named in "The test already has X". */
const SECTION_ONE: Record<Section, string> = {
  description: 'a description',
  config: "a 'config' block",
  init: 'an initial state',
  definition: 'definitions',
  locations: "a 'locations' list",
  filter: "a 'filter'",
  condition: 'a final condition',
  expect: "an 'expect' line",
};

function span(start: number, end: number): Span {
  return { start, end };
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      // The `#define` line's fence is an `eof` whose text is the line break.
      return t.text === '\n' ? 'the end of the line' : 'the end of the file';
    case 'string':
      return 'a string';
    case 'variant':
      return `'@${t.text}'`;
    case 'ident':
    case 'num':
    case 'header':
    case 'punct':
      return `'${t.text}'`;
    default: {
      const never: never = t.kind;
      return never;
    }
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const TWO_TO_64 = 1n << 64n;

class Parser {
  readonly diagnostics: Diagnostic[];
  private readonly tokens: Token[];
  private readonly comments: Comment[];
  private pos = 0;
  private depth = 0;
  /** While parsing a `#define` line: the index of the first token on the next line, read as `eof`. */
  private fence: { readonly index: number; readonly eof: Token } | undefined;
  /** Binary operators so far in the outermost expression or condition being parsed. */
  private operators = 0;
  /** Expressions and conditions being parsed (nested ones included). */
  private inExpression = 0;

  constructor(
    private readonly file: SourceFile,
    lexed: LexResult,
  ) {
    this.tokens = lexed.tokens;
    this.comments = lexed.comments;
    this.diagnostics = [...lexed.diagnostics];
  }

  // -------------------------------------------------------------------------------------------
  // Token access

  private peek(k = 0): Token {
    // The last token is always `eof`.
    const i = Math.min(this.pos + k, this.tokens.length - 1);
    if (this.fence !== undefined && i >= this.fence.index) return this.fence.eof;
    return this.tokens[i]!;
  }

  private prevEnd(): number {
    return this.pos > 0 ? this.tokens[this.pos - 1]!.end : 0;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private atEof(): boolean {
    return this.peek().kind === 'eof';
  }

  private isPunct(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'punct' && t.text === text;
  }

  private isWord(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && t.text === text;
  }

  private isIdent(k = 0): boolean {
    return this.peek(k).kind === 'ident';
  }

  /** Starts at column 1: top-level items do, statements in a body usually do not. */
  private atColumnOne(t: Token): boolean {
    return t.start === 0 || this.file.text.charAt(t.start - 1) === '\n';
  }

  // -------------------------------------------------------------------------------------------
  // Diagnostics

  private report(code: string, at: Span, message: string): void {
    // One diagnostic per place: a second one at the same offset is almost always a cascade.
    if (this.diagnostics.some((d) => d.span.start === at.start)) return;
    this.diagnostics.push(error(code, this.file, { start: at.start, end: at.end }, message));
  }

  private fail(code: string, at: Span, message: string): never {
    this.report(code, at, message);
    throw BAIL;
  }

  private expectPunct(text: string, context: string): Token {
    if (this.isPunct(text)) return this.next();
    const t = this.peek();
    return this.fail('ML1012', t, `Expected '${text}' ${context}, found ${describe(t)}.`);
  }

  private expectWord(text: string, context: string): Token {
    if (this.isWord(text)) return this.next();
    const t = this.peek();
    return this.fail('ML1012', t, `Expected '${text}' ${context}, found ${describe(t)}.`);
  }

  private expectIdent(what: string): Token {
    if (this.isIdent()) return this.next();
    const t = this.peek();
    return this.fail('ML1012', t, `Expected ${what}, found ${describe(t)}.`);
  }

  /** `;` after a statement or item. When it is missing at the end of a line, say so and go on. */
  private semicolon(context: string): void {
    if (this.isPunct(';')) {
      this.next();
      return;
    }
    const t = this.peek();
    if (t.lineStart || this.isPunct('}')) {
      const at = this.prevEnd();
      this.report('ML1012', span(at, at), `Expected ';' ${context}.`);
      return;
    }
    this.fail('ML1012', t, `Expected ';' ${context}, found ${describe(t)}.`);
  }

  /** Runs `f` one nesting level deeper, refusing to go past MAX_DEPTH. */
  private nested<T>(f: () => T): T {
    if (this.depth >= MAX_DEPTH) {
      this.fail('ML1051', this.peek(), `This is nested more than ${MAX_DEPTH} levels deep.`);
    }
    this.depth++;
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Recovery

  /** Does a top-level item (one that cannot be a statement or an init item) start here? */
  private atTopLevelItem(): boolean {
    const t = this.peek();
    if (t.kind === 'punct') return (t.text === '~' && this.isWord('exists', 1)) || (t.text === '#' && t.lineStart);
    if (t.kind !== 'ident') return false;
    switch (t.text) {
      case 'enum':
        return this.isIdent(1) || this.isPunct('{', 1);
      case 'routine':
      case 'kernel':
      case 'cpu':
      case 'device':
      case 'expect':
        return this.isIdent(1);
      case 'secondary':
        return this.isIdent(1) && (this.isPunct('{', 2) || this.peek(2).kind === 'variant');
      case 'locations':
        return this.isPunct('[', 1);
      case 'config':
        return this.isPunct('{', 1);
      case 'exists':
      case 'forall':
      case 'filter':
        // These could also start a call statement; only trust them at the start of a line.
        return this.atColumnOne(t);
      default:
        return false;
    }
  }

  /** Skips the rest of a broken statement or item: to after its `;`, or to a `}` that ends the list. */
  private syncStatement(): void {
    const start = this.pos;
    for (;;) {
      if (this.atEof() || this.isPunct('}') || this.atTopLevelItem()) break;
      if (this.isPunct(';')) {
        this.next();
        break;
      }
      if (this.isPunct('{')) {
        this.skipGroup();
        // A broken `if (…) {…}` ends at its `}` unless an `else` or `or` continues it.
        if (!this.isWord('else') && !this.isWord('or')) break;
        continue;
      }
      this.next();
    }
    // Always make progress, even when the error was at a token the loop stops on.
    if (this.pos === start && !this.atEof() && !this.isPunct('}') && !this.atTopLevelItem()) this.next();
  }

  /** Skips a balanced `{ … }` group (or up to the end of the file or a top-level item). */
  private skipGroup(): void {
    let depth = 0;
    do {
      const t = this.next();
      if (t.kind === 'punct' && t.text === '{') depth++;
      else if (t.kind === 'punct' && t.text === '}') depth--;
    } while (depth > 0 && !this.atEof() && !this.atTopLevelItem());
  }

  /**
   * Skips to the next top-level keyword after a broken top-level item that started at `from`.
   * In a test, a `{` alone at the start of a line is also a restart point (the initial state).
   */
  private syncTopLevel(from: number, keywords: ReadonlySet<string>): void {
    const braceStarts = keywords === TOP_LEVEL_WORDS;
    let depth = 0;
    while (!this.atEof()) {
      const t = this.peek();
      if (this.pos > from) {
        const keyword =
          (t.kind === 'ident' && keywords.has(t.text)) ||
          (this.isPunct('~') && this.isWord('exists', 1)) ||
          (this.isPunct('#') && t.lineStart) ||
          (braceStarts && this.isPunct('{') && t.lineStart && this.atColumnOne(t));
        if ((depth === 0 && keyword) || (t.lineStart && this.atTopLevelItem())) return;
      }
      this.next();
      if (t.kind === 'punct' && t.text === '{') depth++;
      else if (t.kind === 'punct' && t.text === '}' && depth > 0) depth--;
    }
  }

  /** Runs a list item parser; on failure, skips the rest of the item. */
  private recover<T>(parse: () => T): T | undefined {
    try {
      return parse();
    } catch (e) {
      if (e !== BAIL) throw e;
      this.syncStatement();
      return undefined;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Files

  litmusFile(): LitmusFile | undefined {
    let name = '';
    let nameSpan = span(0, 0);
    let sawHeader = false;
    const first = this.peek();
    if (this.isWord('MMU')) {
      const mmu = this.next();
      sawHeader = true;
      if (this.peek().kind === 'header') {
        const h = this.next();
        name = h.text;
        nameSpan = span(h.start, h.end);
      } else {
        this.report('ML1011', mmu, "Expected the test name after 'MMU' on the same line, as in 'MMU ttu+ats'.");
      }
    } else {
      this.report('ML1010', first, "Expected 'MMU <name>' on the first line of the test.");
    }

    let description: string | undefined;
    let config: ConfigItem[] | undefined;
    let init: InitDecl[] | undefined;
    let initStart: number | undefined;
    const constants: ConstDecl[] = [];
    const routines: RoutineDef[] = [];
    const secondaries: SecondaryDef[] = [];
    const threads: ThreadDef[] = [];
    let locations: Location[] | undefined;
    let filter: Cond | undefined;
    let condition: FinalCondition | undefined;
    let expect: ExpectItem[] | undefined;
    let sawThread = false;
    let reportedNoInit = false;
    const seen = new Set<Section>();
    let last: Section | undefined;

    /** Checks order and uniqueness; returns false for a duplicate, which is parsed but dropped. */
    const enter = (section: Section, at: Token): boolean => {
      if (SECTION_RANK[section] > SECTION_RANK.init && init === undefined && !reportedNoInit) {
        reportedNoInit = true;
        this.report('ML1014', at, "Expected the initial state '{ … }' before threads, definitions and conditions.");
      }
      if (section !== 'definition' && seen.has(section)) {
        this.report('ML1017', at, `The test already has ${SECTION_ONE[section]}; remove this one.`);
        return false;
      }
      if (last !== undefined && SECTION_RANK[section] < SECTION_RANK[last]) {
        this.report('ML1016', at, `${capitalize(SECTION_NAME[section])} must come before ${SECTION_NAME[last]}.`);
      } else {
        last = section;
      }
      seen.add(section);
      return true;
    };

    while (!this.atEof()) {
      const t = this.peek();
      const from = this.pos;
      try {
        if (t.kind === 'string') {
          this.next();
          if (enter('description', t)) description = t.str ?? '';
        } else if (this.isPunct('{')) {
          const items = this.initBlock();
          if (enter('init', t)) {
            init = items;
            initStart = t.start;
          }
        } else if (this.isWord('config')) {
          const items = this.configBlock();
          if (enter('config', t)) config = items;
        } else if (this.atConstDecl()) {
          // Constants are no section: they may stand anywhere among the top-level items.
          constants.push(this.constDecl());
        } else if (this.isWord('routine')) {
          enter('definition', t);
          routines.push(this.routine());
        } else if (this.isWord('secondary')) {
          enter('definition', t);
          secondaries.push(this.secondaryDef());
        } else if (this.isWord('kernel') || this.isWord('cpu') || this.isWord('device')) {
          enter('definition', t);
          sawThread = true;
          threads.push(this.thread());
        } else if (this.isWord('locations')) {
          const locs = this.locationsList();
          if (enter('locations', t)) locations = locs;
        } else if (this.isWord('filter')) {
          this.next();
          const c = this.cond();
          if (enter('filter', t)) filter = c;
        } else if (this.isWord('exists') || this.isWord('forall') || this.isPunct('~')) {
          const c = this.finalCondition();
          if (enter('condition', t)) condition = c;
        } else if (this.isWord('expect')) {
          const items = this.expectLine();
          if (enter('expect', t)) expect = items;
        } else {
          this.fail('ML1013', t, `Expected a thread, a definition or a final condition, found ${describe(t)}.`);
        }
      } catch (e) {
        if (e !== BAIL) throw e;
        this.syncTopLevel(from, TOP_LEVEL_WORDS);
      }
    }

    const eof = this.peek();
    if (init === undefined && !reportedNoInit) {
      this.report('ML1014', eof, "Expected the initial state '{ … }' after the header.");
    }
    if (!sawThread) {
      const at = sawHeader && name !== '' ? nameSpan : eof;
      const test = name === '' ? 'The test' : `Test '${name}'`;
      this.report('ML1015', at, `${test} has no thread; add one such as 'kernel K0 { … }'.`);
    }
    if (!sawHeader && init === undefined && threads.length === 0) return undefined;

    return {
      kind: 'litmus',
      file: this.file,
      name,
      nameSpan,
      description,
      config: config ?? [],
      constants,
      init: init ?? [],
      routines,
      secondaries,
      threads,
      locations: locations ?? [],
      filter,
      condition,
      expect,
      resultComment: initStart === undefined ? undefined : this.resultComment(initStart),
    };
  }

  preludeFile(): PreludeFile {
    const constants: ConstDecl[] = [];
    const routines: RoutineDef[] = [];
    const secondaries: SecondaryDef[] = [];
    while (!this.atEof()) {
      const from = this.pos;
      try {
        if (this.isWord('routine')) routines.push(this.routine());
        else if (this.isWord('secondary')) secondaries.push(this.secondaryDef());
        else if (this.atConstDecl()) {
          constants.push(this.constDecl());
        } else {
          const t = this.peek();
          this.fail(
            'ML1013',
            t,
            `Expected 'routine', 'secondary', '#define' or 'enum' in a prelude file, found ${describe(t)}.`,
          );
        }
      } catch (e) {
        if (e !== BAIL) throw e;
        this.syncTopLevel(from, PRELUDE_WORDS);
      }
    }
    return { kind: 'prelude', file: this.file, constants, routines, secondaries };
  }

  wholeExpression(): Expr | undefined {
    try {
      const e = this.expr();
      if (!this.atEof()) {
        const t = this.peek();
        this.fail('ML1012', t, `Expected the end of the expression, found ${describe(t)}.`);
      }
      return e;
    } catch (e) {
      if (e !== BAIL) throw e;
      return undefined;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Comments

  /** `Result: Never|Sometimes|Always` on a line of a comment before the initial state. */
  private resultComment(before: number): LitmusFile['resultComment'] {
    for (const c of this.comments) {
      if (c.end > before) break;
      const contentStart = c.start + 2;
      let lineStart = contentStart;
      for (const line of this.file.text.slice(contentStart, c.end).split('\n')) {
        const m = RESULT_LINE.exec(line);
        if (m !== null) {
          const word = m[1] as 'Never' | 'Sometimes' | 'Always';
          const at = lineStart + line.indexOf('Result');
          return {
            value: word.toLowerCase() as 'never' | 'sometimes' | 'always',
            span: span(at, lineStart + m[0].length),
          };
        }
        lineStart += line.length + 1;
      }
    }
    return undefined;
  }

  /** The comment block right before the token at `index`: comments separated by no blank line. */
  private docBefore(index: number): string | undefined {
    const keyword = this.tokens[index]!;
    const floor = index > 0 ? this.tokens[index - 1]!.end : 0;
    const block: Comment[] = [];
    let cursor = keyword.start;
    for (let i = this.comments.length - 1; i >= 0; i--) {
      const c = this.comments[i]!;
      if (c.start >= keyword.start) continue;
      if (c.start < floor) break;
      if (!/^[ \t\r]*\n?[ \t\r]*$/.test(this.file.text.slice(c.end, cursor))) break;
      block.unshift(c);
      cursor = c.start;
    }
    const doc = block.flatMap(commentLines).join('\n').trim();
    return doc === '' ? undefined : doc;
  }

  // -------------------------------------------------------------------------------------------
  // Named constants

  /** `#…` or `enum [tag] {`: a constant declaration starts here. */
  private atConstDecl(): boolean {
    return this.isPunct('#') || (this.isWord('enum') && (this.isIdent(1) || this.isPunct('{', 1)));
  }

  private constDecl(): ConstDecl {
    return this.isPunct('#') ? this.define() : this.enumDecl();
  }

  /**
   * `#define NAME EXPR`: C's object-like macro, on one line (no `\` continuation). The line is
   * parsed with the tokens of the next lines hidden; a broken line is skipped to its end.
   */
  private define(): ConstDecl {
    const hash = this.next();
    let index = this.pos;
    while (index < this.tokens.length - 1 && !this.tokens[index]!.lineStart) index++;
    const next = this.tokens[index]!;
    const outer = this.fence;
    // Errors at the fence point just after the line's last token.
    const lineEnd = this.tokens[index - 1]!.end;
    const eof: Token = {
      kind: 'eof',
      text: next.kind === 'eof' ? '' : '\n',
      start: lineEnd,
      end: lineEnd,
      lineStart: true,
    };
    this.fence = { index, eof };
    try {
      if (!hash.lineStart) {
        this.fail('ML1100', hash, "A '#' directive must start its own line, as in '#define TTU_MIGRATION 2'.");
      }
      const word = this.peek();
      if (word.kind !== 'ident' || word.text !== 'define') {
        const what = word.kind === 'ident' ? `'#${word.text}'` : `${describe(word)} after '#'`;
        this.fail('ML1100', span(hash.start, word.end), `Only '#define NAME VALUE' is supported, not ${what}.`);
      }
      this.next();
      const name = this.expectIdent("a constant name after '#define'");
      if (this.isPunct('(') && this.peek().start === name.end) {
        this.fail(
          'ML1101',
          span(hash.start, this.peek().end),
          `Function-like macros such as '${name.text}(…)' are not supported; write a constant or a routine.`,
        );
      }
      if (this.atEof()) {
        this.fail(
          'ML1012',
          span(name.end, name.end),
          `Expected a value after '#define ${name.text}' on the same line.`,
        );
      }
      const value = this.expr();
      if (!this.atEof()) {
        const t = this.peek();
        this.fail('ML1012', t, `Expected the end of the '#define ${name.text}' line, found ${describe(t)}.`);
      }
      return {
        kind: 'define',
        name: name.text,
        nameSpan: span(name.start, name.end),
        value,
        span: span(hash.start, this.prevEnd()),
        file: this.file,
      };
    } catch (e) {
      // The rest of the line is skipped, and what follows up to the next top-level item (a
      // value continued on the next line, as a `\` would in C) by the caller's recovery.
      if (e === BAIL) this.pos = index;
      throw e;
    } finally {
      this.fence = outer;
    }
  }

  /** `enum [tag] { A = 1, B, C = B << 1 };` (a trailing comma is allowed, as in C). */
  private enumDecl(): ConstDecl {
    const kw = this.next();
    const tag = this.isIdent() ? this.next().text : undefined;
    this.expectPunct('{', tag === undefined ? "after 'enum'" : `after 'enum ${tag}'`);
    const members: EnumMember[] = [];
    for (;;) {
      const name = this.expectIdent('a constant name in the enum');
      let value: Expr | undefined;
      if (this.isPunct('=')) {
        this.next();
        value = this.expr();
      }
      members.push({
        name: name.text,
        nameSpan: span(name.start, name.end),
        value,
        span: span(name.start, this.prevEnd()),
      });
      if (this.isPunct(',')) {
        this.next();
        if (this.isPunct('}')) break;
      } else if (this.isPunct('}')) {
        break;
      } else {
        const t = this.peek();
        this.fail('ML1012', t, `Expected ',' or '}' after the enum member '${name.text}', found ${describe(t)}.`);
      }
    }
    this.expectPunct('}', 'to close the enum');
    this.semicolon("after the enum's '}'");
    return { kind: 'enum', tag, members, span: span(kw.start, this.prevEnd()), file: this.file };
  }

  // -------------------------------------------------------------------------------------------
  // Top-level sections

  private configBlock(): ConfigItem[] {
    this.next();
    const open = this.expectPunct('{', "after 'config'");
    const items: ConfigItem[] = [];
    this.list(open, "the 'config' block", () => {
      const item = this.recover(() => this.configItem());
      if (item !== undefined) items.push(item);
    });
    return items;
  }

  private configItem(): ConfigItem {
    const key = this.peek();
    if (key.kind !== 'ident') {
      this.fail('ML1080', key, `Expected a setting such as 'kernel = "v4.13";', found ${describe(key)}.`);
    }
    this.next();
    if (key.text === 'check' && !this.isPunct('=')) {
      const sign = this.peek();
      if (!(this.isPunct('-') || this.isPunct('+')) || !this.isIdent(1)) {
        this.fail(
          'ML1081',
          sign,
          `Expected '-' or '+' and a property name after 'check', as in 'check -incoherent-translation;', found ${describe(sign)}.`,
        );
      }
      this.next();
      const prop = this.propertyName();
      this.semicolon("after the 'check' switch");
      return {
        key: 'check',
        keySpan: span(key.start, key.end),
        value: `${sign.text}${prop.name}`,
        valueSpan: span(sign.start, prop.span.end),
        span: span(key.start, this.prevEnd()),
      };
    }
    this.expectPunct('=', `after the setting '${key.text}'`);
    const v = this.peek();
    let value: string | bigint;
    if (v.kind === 'string') value = v.str ?? '';
    else if (v.kind === 'num') value = v.num ?? 0n;
    else if (v.kind === 'ident') value = v.text;
    else {
      return this.fail(
        'ML1080',
        v,
        `Expected a string, a number or a name as the value of '${key.text}', found ${describe(v)}.`,
      );
    }
    this.next();
    this.semicolon('after the setting');
    return {
      key: key.text,
      keySpan: span(key.start, key.end),
      value,
      valueSpan: span(v.start, v.end),
      span: span(key.start, this.prevEnd()),
    };
  }

  /** Runs `item` until the `}` closing `open`, reporting an unclosed block at the end of the file. */
  private list(open: Token, what: string, item: () => void): void {
    for (;;) {
      if (this.isPunct('}')) {
        this.next();
        return;
      }
      if (this.isPunct('#') && this.peek().lineStart) {
        // A directive inside a block: say where it belongs and go on after its line.
        const hash = this.next();
        this.report('ML1100', hash, "A '#' directive belongs at the top level of the file, not inside a block.");
        while (!this.atEof() && !this.peek().lineStart) this.next();
        continue;
      }
      if (this.atEof() || this.atTopLevelItem()) {
        this.report('ML1018', open, `The '{' that opens ${what} is never closed.`);
        return;
      }
      item();
    }
  }

  private locationsList(): Location[] {
    this.next();
    this.expectPunct('[', "after 'locations'");
    const locs: Location[] = [];
    while (!this.isPunct(']')) {
      locs.push(this.location());
      if (this.isPunct(';')) this.next();
      else if (!this.isPunct(']')) {
        const t = this.peek();
        this.fail('ML1012', t, `Expected ';' or ']' in the locations list, found ${describe(t)}.`);
      }
    }
    this.next();
    if (this.isPunct(';')) this.next();
    return locs;
  }

  private finalCondition(): FinalCondition {
    const first = this.next();
    let quantifier: FinalCondition['quantifier'];
    if (first.text === '~') {
      this.expectWord('exists', "after '~' at the top level");
      quantifier = '~exists';
    } else {
      quantifier = first.text === 'forall' ? 'forall' : 'exists';
    }
    const cond = this.cond();
    return { quantifier, cond, span: span(first.start, this.prevEnd()) };
  }

  private expectLine(): ExpectItem[] {
    this.next();
    const items: ExpectItem[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'ident' || !EXPECT_WORDS.has(t.text)) {
        this.fail(
          'ML1070',
          t,
          `Expected 'never', 'sometimes', 'always', 'safe', 'violates' or 'warns', found ${describe(t)}.`,
        );
      }
      this.next();
      if (t.text === 'violates' || t.text === 'warns') {
        const props: { name: string; span: Span }[] = [];
        while (this.isIdent() && !EXPECT_WORDS.has(this.peek().text)) {
          props.push(this.propertyName());
          if (!(this.isPunct(',') && this.isIdent(1) && !EXPECT_WORDS.has(this.peek(1).text))) break;
          this.next();
        }
        if (props.length === 0) {
          this.report(
            'ML1071',
            t,
            `Expected a property name after '${t.text}', as in '${t.text === 'warns' ? 'warns late-invalidate' : 'violates use-after-free'}'.`,
          );
        }
        items.push({ kind: t.text, props, span: span(t.start, this.prevEnd()) });
      } else {
        items.push({ kind: t.text as 'never' | 'sometimes' | 'always' | 'safe', span: span(t.start, t.end) });
      }
      if (!this.isPunct(',')) break;
      this.next();
    }
    this.semicolon('after the expectations');
    return items;
  }

  /** A property name: `ident(-ident)*` with no blanks around the hyphens. */
  private propertyName(): { name: string; span: Span } {
    const first = this.expectIdent('a property name');
    let name = first.text;
    let end = first.end;
    while (this.isPunct('-') && this.peek().start === end && this.isIdent(1) && this.peek(1).start === end + 1) {
      this.next();
      const part = this.next();
      name += `-${part.text}`;
      end = part.end;
    }
    return { name, span: span(first.start, end) };
  }

  // -------------------------------------------------------------------------------------------
  // Initial state

  private initBlock(): InitDecl[] {
    const open = this.next();
    const items: InitDecl[] = [];
    this.list(open, 'the initial state', () => {
      const item = this.recover(() => this.initItem());
      if (item !== undefined) items.push(item);
    });
    return items;
  }

  private initItem(): InitDecl | undefined {
    const t = this.peek();
    const start = t.start;
    const end = () => span(start, this.prevEnd());
    const unknown = (): never =>
      this.fail(
        'ML1020',
        t,
        `Expected an initial-state declaration (vma, frame, pte, pmd, ref, flag, secondary, tlb, global or lock), found ${describe(t)}.`,
      );
    if (t.kind !== 'ident') return unknown();
    switch (t.text) {
      case 'vma':
        return this.vmaDecl();
      case 'frame':
        return this.frameDecl();
      case 'pte':
      case 'pmd': {
        this.next();
        const addr = this.expr();
        this.expectPunct('=', `after the address of the ${t.text}`);
        const entry = this.entry();
        this.semicolon(`after the ${t.text} entry`);
        return { kind: t.text, addr, entry, span: end() };
      }
      case 'ref': {
        this.next();
        const frame = this.expectIdent("a frame name after 'ref'");
        this.semicolon("after 'ref'");
        return { kind: 'ref', frame: frame.text, frameSpan: span(frame.start, frame.end), span: end() };
      }
      case 'flag': {
        this.next();
        const frame = this.expectIdent("a frame name after 'flag'");
        const flag = this.expectIdent(`a page flag such as 'dirty' or 'locked' after 'flag ${frame.text}'`);
        this.semicolon("after 'flag'");
        return {
          kind: 'flag',
          frame: frame.text,
          frameSpan: span(frame.start, frame.end),
          flag: flag.text,
          flagSpan: span(flag.start, flag.end),
          span: end(),
        };
      }
      case 'secondary': {
        this.next();
        const name = this.expectIdent("a secondary name after 'secondary'");
        this.expectPunct(':', `after the secondary name '${name.text}'`);
        const type = this.expectIdent("a secondary kind such as 'ats' or 'kvm'");
        const variant = this.variantAfter(type);
        this.semicolon('after the secondary declaration');
        return {
          kind: 'secondary',
          name: name.text,
          nameSpan: span(name.start, name.end),
          type: type.text,
          variant,
          typeSpan: span(type.start, this.prevEnd()),
          span: end(),
        };
      }
      case 'tlb':
        return this.tlbDecl();
      case 'global': {
        this.next();
        const name = this.expectIdent("a variable name after 'global'");
        this.expectPunct('=', `after the global '${name.text}'`);
        const value = this.expr();
        this.semicolon('after the global declaration');
        return { kind: 'global', name: name.text, nameSpan: span(name.start, name.end), value, span: end() };
      }
      case 'lock': {
        this.next();
        const name = this.expectIdent("a lock name after 'lock'");
        const lockKind = this.lockKind(name);
        this.semicolon('after the lock declaration');
        if (lockKind === undefined) return undefined;
        return { kind: 'lock', name: name.text, nameSpan: span(name.start, name.end), lockKind, span: end() };
      }
      default:
        return unknown();
    }
  }

  /** `: spinlock|mutex|rwsem` after a lock name; undefined (reported) for an unknown kind. */
  private lockKind(name: Token): 'spinlock' | 'mutex' | 'rwsem' | undefined {
    this.expectPunct(':', `after the lock name '${name.text}'`);
    const k = this.expectIdent("a lock kind (spinlock, mutex or rwsem) after ':'");
    if (!LOCK_KINDS.has(k.text)) {
      this.report('ML1023', k, `Unknown lock kind '${k.text}'; the kinds are spinlock, mutex and rwsem.`);
      return undefined;
    }
    return k.text as 'spinlock' | 'mutex' | 'rwsem';
  }

  /** Attribute words up to the `;`; a declaration keyword is the next item after a missing `;`. */
  private attributeWords(): Token[] {
    const words: Token[] = [];
    while (this.isIdent() && !INIT_WORDS.has(this.peek().text)) words.push(this.next());
    return words;
  }

  private vmaDecl(): InitDecl {
    const start = this.next().start;
    const name = this.expectIdent("a VMA name after 'vma'");
    this.expectPunct('=', `after the VMA name '${name.text}'`);
    this.expectPunct('[', "to open the VMA's range [start, end)");
    const rangeStart = this.expr();
    this.expectPunct(',', 'between the start and the end of the range');
    const rangeEnd = this.expr();
    this.expectPunct(')', 'to close the half-open range [start, end)');
    let backing: 'anon' | 'file' | undefined;
    let prot: 'ro' | 'rw' | undefined;
    let shared = false;
    let hugetlb = false;
    for (const w of this.attributeWords()) {
      if (w.text === 'anon' || w.text === 'file') {
        if (backing !== undefined) {
          this.report('ML1022', w, `VMA '${name.text}' is already '${backing}'; give one of 'anon' and 'file'.`);
        } else backing = w.text;
      } else if (w.text === 'ro' || w.text === 'rw') {
        if (prot !== undefined) {
          this.report('ML1022', w, `VMA '${name.text}' is already '${prot}'; give one of 'ro' and 'rw'.`);
        } else prot = w.text;
      } else if (w.text === 'shared') shared = true;
      else if (w.text === 'hugetlb') hugetlb = true;
      else {
        this.report(
          'ML1021',
          w,
          `Unknown VMA attribute '${w.text}'; the attributes are anon, file, shared, hugetlb, ro and rw.`,
        );
      }
    }
    const here = this.peek();
    if (backing === undefined) {
      this.report('ML1022', here, `VMA '${name.text}' needs 'anon' or 'file' after its range.`);
    } else if (prot === undefined) {
      this.report('ML1022', here, `VMA '${name.text}' needs 'ro' or 'rw' after its attributes.`);
    }
    this.semicolon('after the VMA declaration');
    return {
      kind: 'vma',
      name: name.text,
      nameSpan: span(name.start, name.end),
      start: rangeStart,
      end: rangeEnd,
      backing: backing ?? 'anon',
      shared,
      hugetlb,
      prot: prot ?? 'ro',
      span: span(start, this.prevEnd()),
    };
  }

  private frameDecl(): InitDecl {
    const start = this.next().start;
    const name = this.expectIdent("a frame name after 'frame'");
    const nameSpan = span(name.start, name.end);
    if (this.isWord('free')) {
      this.next();
      this.semicolon('after the free frame');
      return {
        kind: 'frame',
        name: name.text,
        nameSpan,
        content: undefined,
        file: false,
        thp: false,
        free: true,
        span: span(start, this.prevEnd()),
      };
    }
    this.expectPunct('=', `or 'free' after the frame name '${name.text}'`);
    const content = this.expr();
    let file = false;
    let thp = false;
    for (const w of this.attributeWords()) {
      if (w.text === 'file') file = true;
      else if (w.text === 'thp') thp = true;
      else this.report('ML1021', w, `Unknown frame attribute '${w.text}'; the attributes are file and thp.`);
    }
    this.semicolon('after the frame declaration');
    return {
      kind: 'frame',
      name: name.text,
      nameSpan,
      content,
      file,
      thp,
      free: false,
      span: span(start, this.prevEnd()),
    };
  }

  private tlbDecl(): InitDecl {
    const start = this.next().start;
    const owner = this.expectIdent("a secondary or cpu thread name after 'tlb'");
    const addr = this.expr();
    this.expectPunct('=', 'after the address of the TLB entry');
    const frame = this.expectIdent('a frame name for the TLB entry');
    let write: boolean | undefined;
    let dirty = false;
    for (const w of this.attributeWords()) {
      if ((w.text === 'ro' || w.text === 'rw') && write === undefined) write = w.text === 'rw';
      else if (w.text === 'dirty' && !dirty) dirty = true;
      else {
        this.report('ML1021', w, `Unexpected TLB entry attribute '${w.text}'; write 'ro' or 'rw', then 'dirty'.`);
      }
    }
    this.semicolon('after the TLB entry');
    return {
      kind: 'tlb',
      owner: owner.text,
      ownerSpan: span(owner.start, owner.end),
      addr,
      frame: frame.text,
      frameSpan: span(frame.start, frame.end),
      write: write ?? false,
      dirty,
      span: span(start, this.prevEnd()),
    };
  }

  private entry(): EntryInit {
    const t = this.peek();
    const bad = (at: Token): never =>
      this.fail(
        'ML1024',
        at,
        `Expected a frame, 'swap(…)', 'migration(…)', 'hwpoison(…)' or 'none' as the entry, found ${describe(at)}.`,
      );
    if (t.kind !== 'ident') return bad(t);
    if (t.text === 'none') {
      this.next();
      return { kind: 'none', span: span(t.start, t.end) };
    }
    if ((t.text === 'swap' || t.text === 'hwpoison' || t.text === 'migration') && this.isPunct('(', 1)) {
      this.next();
      this.next();
      const frame = this.expectIdent(`a frame name in '${t.text}(…)'`);
      const frameSpan = span(frame.start, frame.end);
      if (t.text === 'migration') {
        this.expectPunct(',', "after the frame of 'migration(…)'");
        const access = this.peek();
        if (!(this.isWord('rw') || this.isWord('ro'))) {
          bad(access);
        }
        this.next();
        this.expectPunct(')', "to close 'migration(…)'");
        return {
          kind: 'migration',
          frame: frame.text,
          frameSpan,
          write: access.text === 'rw',
          span: span(t.start, this.prevEnd()),
        };
      }
      this.expectPunct(')', `to close '${t.text}(…)'`);
      return { kind: t.text, frame: frame.text, frameSpan, span: span(t.start, this.prevEnd()) };
    }
    this.next();
    const flags: PteFlag[] = [];
    for (const w of this.attributeWords()) {
      if (PTE_FLAGS.has(w.text)) flags.push(w.text as PteFlag);
      else {
        this.report('ML1021', w, `Unknown entry flag '${w.text}'; the flags are ro, rw, dirty, young and soft_dirty.`);
      }
    }
    return {
      kind: 'present',
      frame: t.text,
      frameSpan: span(t.start, t.end),
      flags,
      span: span(t.start, this.prevEnd()),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Definitions and threads

  /** `@variant` right after `name`, if present. */
  private variantAfter(name: Token): string | undefined {
    if (this.peek().kind !== 'variant') return undefined;
    const v = this.next();
    if (v.start !== name.end) {
      this.report(
        'ML1006',
        v,
        `Write the variant right after the name, with no space, as in '${name.text}@${v.text}'.`,
      );
    }
    return v.text === '' ? undefined : v.text;
  }

  private params(context: string): Param[] {
    this.expectPunct('(', context);
    const params: Param[] = [];
    if (!this.isPunct(')')) {
      for (;;) {
        const p = this.expectIdent('a parameter name');
        params.push({ name: p.text, span: span(p.start, p.end) });
        if (!this.isPunct(',')) break;
        this.next();
      }
    }
    this.expectPunct(')', 'after the parameters');
    return params;
  }

  private routine(): RoutineDef {
    const index = this.pos;
    const kw = this.next();
    const name = this.expectIdent("a routine name after 'routine'");
    const variant = this.variantAfter(name);
    const nameSpan = span(name.start, this.prevEnd());
    const params = this.params(`after the routine name '${name.text}'`);
    const body = this.block(`the body of routine '${name.text}'`);
    return {
      kind: 'routine',
      name: name.text,
      variant,
      nameSpan,
      params,
      body,
      span: span(kw.start, this.prevEnd()),
      file: this.file,
      doc: this.docBefore(index),
    };
  }

  private secondaryDef(): SecondaryDef {
    const index = this.pos;
    const kw = this.next();
    const name = this.expectIdent("a secondary name after 'secondary'");
    const variant = this.variantAfter(name);
    const nameSpan = span(name.start, this.prevEnd());
    const what = `the definition of secondary '${name.text}'`;
    const open = this.expectPunct('{', `to open ${what}`);
    const state: { name: string; value: Expr; span: Span }[] = [];
    const locks: { name: string; lockKind: 'spinlock' | 'mutex' | 'rwsem'; span: Span }[] = [];
    const callbacks: CallbackDef[] = [];
    let fault: SecondaryDef['fault'];
    let sharesPageTables = false;

    const item = (): void => {
      const t = this.peek();
      if (this.isWord('state')) {
        this.next();
        for (;;) {
          const v = this.expectIdent('a state variable name');
          this.expectPunct('=', `after the state variable '${v.text}'`);
          const value = this.expr();
          state.push({ name: v.text, value, span: span(v.start, this.prevEnd()) });
          if (!this.isPunct(',')) break;
          this.next();
        }
        this.semicolon("after 'state'");
      } else if (this.isWord('lock')) {
        this.next();
        const l = this.expectIdent("a lock name after 'lock'");
        const lockKind = this.lockKind(l);
        this.semicolon('after the lock declaration');
        if (lockKind !== undefined) locks.push({ name: l.text, lockKind, span: span(t.start, this.prevEnd()) });
      } else if (this.isWord('on')) {
        this.next();
        const cb = this.expectIdent("a callback name after 'on'");
        const params = this.params(`after the callback name '${cb.text}'`);
        const body = this.block(`the callback '${cb.text}'`);
        if (!CALLBACKS.has(cb.text)) {
          this.report('ML1030', cb, `Unknown callback '${cb.text}'; the callbacks are ${[...CALLBACKS].join(', ')}.`);
        } else {
          callbacks.push({
            name: cb.text as CallbackName,
            nameSpan: span(cb.start, cb.end),
            params,
            body,
            span: span(t.start, this.prevEnd()),
          });
        }
      } else if (this.isWord('fault')) {
        this.next();
        const params = this.params("after 'fault'");
        const body = this.block(`the fault handler of secondary '${name.text}'`);
        if (fault !== undefined) {
          this.report('ML1031', t, `Secondary '${name.text}' already has a fault handler.`);
        } else {
          fault = { params, body, span: span(t.start, this.prevEnd()) };
        }
      } else if (this.isWord('walks_cpu_page_table')) {
        this.next();
        sharesPageTables = true;
        this.semicolon("after 'walks_cpu_page_table'");
      } else {
        this.fail(
          'ML1032',
          t,
          `Expected 'state', 'lock', 'on', 'fault' or 'walks_cpu_page_table' in ${what}, found ${describe(t)}.`,
        );
      }
    };
    this.nested(() => this.list(open, what, () => this.recover(item)));
    return {
      kind: 'secondary',
      name: name.text,
      variant,
      nameSpan,
      state,
      locks,
      callbacks,
      fault,
      sharesPageTables,
      span: span(kw.start, this.prevEnd()),
      file: this.file,
      doc: this.docBefore(index),
    };
  }

  private thread(): ThreadDef {
    const kw = this.next();
    const threadKind = kw.text as ThreadKind;
    const name = this.expectIdent(`a thread name after '${kw.text}'`);
    let on: ThreadDef['on'];
    if (this.isWord('on')) {
      const onTok = this.next();
      const sec = this.expectIdent("a secondary name after 'on'");
      if (threadKind === 'device') on = { name: sec.text, span: span(sec.start, sec.end) };
      else {
        this.report(
          'ML1033',
          span(onTok.start, sec.end),
          `Only a device thread runs on a secondary; make '${name.text}' a device thread or remove 'on ${sec.text}'.`,
        );
      }
    } else if (threadKind === 'device') {
      const t = this.peek();
      this.report(
        'ML1012',
        t,
        `Expected 'on' and a secondary name after the device thread '${name.text}', found ${describe(t)}.`,
      );
    }
    const body = this.block(`the body of thread '${name.text}'`);
    return {
      kind: 'thread',
      threadKind,
      name: name.text,
      nameSpan: span(name.start, name.end),
      on,
      body,
      span: span(kw.start, this.prevEnd()),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  /** `{ statements }`; `what` names the block in messages ("the body of thread 'K0'"). */
  private block(what: string): Block {
    const open = this.peek();
    if (!this.isPunct('{')) this.fail('ML1012', open, `Expected '{' to open ${what}, found ${describe(open)}.`);
    this.next();
    return this.nested(() => {
      const stmts: Stmt[] = [];
      this.list(open, what, () => {
        const s = this.recover(() => this.statement());
        if (s !== undefined) stmts.push(s);
      });
      return { stmts, span: span(open.start, this.prevEnd()) };
    });
  }

  /** The body of `if`, `while`, …: braces are required, but one braceless statement is recovered. */
  private body(keyword: string): Block {
    if (this.isPunct('{')) return this.block(`the body of '${keyword}'`);
    const t = this.peek();
    this.report('ML1041', t, `The body of '${keyword}' must be a block in braces: '{ … }'.`);
    if (this.atEof() || this.isPunct('}') || this.atTopLevelItem()) throw BAIL;
    const s = this.nested(() => this.statement());
    return { stmts: s === undefined ? [] : [s], span: span(t.start, this.prevEnd()) };
  }

  private statement(): Stmt | undefined {
    const t = this.peek();
    const start = t.start;
    const end = () => span(start, this.prevEnd());
    if (t.kind === 'punct' && t.text === '{') {
      const body = this.block('the block');
      return { kind: 'block', body, span: body.span };
    }
    if (t.kind === 'ident') {
      switch (t.text) {
        case 'if':
          return this.ifStatement();
        case 'while': {
          this.next();
          const test = this.parenthesised('while');
          const body = this.body('while');
          return { kind: 'while', test, body, span: end() };
        }
        case 'break':
        case 'continue':
          this.next();
          this.semicolon(`after '${t.text}'`);
          return { kind: t.text, span: end() };
        case 'return': {
          this.next();
          const value = this.isPunct(';') || this.isPunct('}') ? undefined : this.expr();
          this.semicolon("after 'return'");
          return { kind: 'return', value, span: end() };
        }
        case 'choose': {
          this.next();
          const branches = [this.body('choose')];
          while (this.isWord('or')) {
            this.next();
            branches.push(this.body('or'));
          }
          if (branches.length < 2) {
            this.report('ML1044', t, "A 'choose' needs at least two branches: 'choose { … } or { … }'.");
          }
          return { kind: 'choose', branches, span: end() };
        }
        case 'await':
        case 'assert': {
          this.next();
          const test = this.parenthesised(t.text);
          this.semicolon(`after '${t.text} (…)'`);
          return { kind: t.text, test, span: end() };
        }
        case 'atomic': {
          this.next();
          const body = this.body('atomic');
          return { kind: 'atomic', body, span: end() };
        }
        case 'foreach':
          return this.foreachStatement();
        case 'goto': {
          this.next();
          const label = this.expectIdent("a label name after 'goto'");
          this.semicolon("after 'goto'");
          return { kind: 'goto', label: label.text, labelSpan: span(label.start, label.end), span: end() };
        }
        case 'else':
          return this.fail('ML1040', t, "Found 'else' without an 'if' just before it.");
        default:
          if (this.isPunct(':', 1)) {
            // `label:` marks what follows; C's empty statement in `out: ;` is taken with it.
            this.next();
            this.next();
            const nameSpan = span(t.start, t.end);
            const labelEnd = this.prevEnd();
            if (this.isPunct(';')) this.next();
            return { kind: 'label', name: t.text, nameSpan, span: span(start, labelEnd) };
          }
          return this.simpleStatement();
      }
    }
    if (t.kind === 'num' || (t.kind === 'punct' && ['(', '-', '~', '!'].includes(t.text))) {
      return this.simpleStatement();
    }
    return this.fail('ML1040', t, `Expected a statement, found ${describe(t)}.`);
  }

  private parenthesised(keyword: string): Expr {
    this.expectPunct('(', `after '${keyword}'`);
    const e = this.expr();
    this.expectPunct(')', `after the condition of '${keyword}'`);
    return e;
  }

  private ifStatement(): Stmt {
    const kw = this.next();
    const test = this.parenthesised('if');
    const then = this.body('if');
    let otherwise: Block | undefined;
    if (this.isWord('else')) {
      this.next();
      if (this.isWord('if')) {
        const nested = this.nested(() => this.ifStatement());
        otherwise = { stmts: [nested], span: nested.span };
      } else {
        otherwise = this.body('else');
      }
    }
    return { kind: 'if', test, then, else: otherwise, span: span(kw.start, this.prevEnd()) };
  }

  private foreachStatement(): Stmt | undefined {
    const kw = this.next();
    const cursor = this.expectIdent("a cursor name after 'foreach'");
    this.expectWord('in', `after the cursor '${cursor.text}'`);
    const walk = this.expr();
    const body = this.body('foreach');
    if (walk.kind !== 'call') {
      this.report('ML1045', walk.span, "A 'foreach' walks a call, as in 'foreach m in page_vma_mapped_walk(p, v, a)'.");
      return undefined;
    }
    return {
      kind: 'foreach',
      cursor: cursor.text,
      cursorSpan: span(cursor.start, cursor.end),
      walk,
      body,
      span: span(kw.start, this.prevEnd()),
    };
  }

  /** An assignment (`x = e;`, `x += e;`, `x++;`) or a call statement. */
  private simpleStatement(): Stmt | undefined {
    const target = this.expr();
    const t = this.peek();
    const start = target.span.start;
    const compound = t.kind === 'punct' ? COMPOUND_ASSIGN.get(t.text) : undefined;
    let value: Expr | undefined;
    let op: BinaryOp | undefined;
    if (this.isPunct('=') || compound !== undefined) {
      this.next();
      op = compound;
      value = this.expr();
    } else if (this.isPunct('++') || this.isPunct('--')) {
      this.next();
      op = t.text === '++' ? '+' : '-';
      value = { kind: 'num', value: 1n, span: span(t.start, t.end) };
    }
    if (value !== undefined) {
      this.semicolon('after the assignment');
      if (target.kind !== 'name') {
        this.report('ML1042', target.span, 'Only a register or variable name can be assigned to.');
        return undefined;
      }
      return {
        kind: 'assign',
        target: target.name,
        targetSpan: target.span,
        op,
        value,
        span: span(start, this.prevEnd()),
      };
    }
    if (!this.isPunct(';') && !t.lineStart && !this.isPunct('}')) {
      if (target.kind === 'name') {
        this.fail('ML1012', t, `Expected '=' or '(' after '${target.name}', found ${describe(t)}.`);
      }
      this.fail('ML1012', t, `Expected ';' after the statement, found ${describe(t)}.`);
    }
    this.semicolon('after the statement');
    if (target.kind !== 'call') {
      this.report(
        'ML1043',
        target.span,
        'Only a call can stand alone as a statement; this value is computed and then dropped.',
      );
      return undefined;
    }
    return { kind: 'expr', expr: target, span: span(start, this.prevEnd()) };
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  private expr(): Expr {
    return this.counted(() => this.nested(() => this.conditional()));
  }

  /** Runs `f`, counting the binary operators of the outermost expression or condition. */
  private counted<T>(f: () => T): T {
    if (this.inExpression === 0) this.operators = 0;
    this.inExpression++;
    try {
      return f();
    } finally {
      this.inExpression--;
    }
  }

  /** Counts the binary operator `t`, refusing to go past MAX_OPERATORS. */
  private operator(t: Token): void {
    if (++this.operators > MAX_OPERATORS) {
      this.fail(
        'ML1090',
        t,
        `This has more than ${MAX_OPERATORS} binary operators; split it with intermediate registers.`,
      );
    }
  }

  private conditional(): Expr {
    const test = this.binary(1);
    if (!this.isPunct('?')) return test;
    this.next();
    const then = this.expr();
    this.expectPunct(':', "after the middle of '? :'");
    const otherwise = this.nested(() => this.conditional());
    return { kind: 'cond', test, then, else: otherwise, span: span(test.span.start, otherwise.span.end) };
  }

  private binary(minPrec: number): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      const prec = t.kind === 'punct' ? BINARY_PREC.get(t.text) : undefined;
      if (prec === undefined || prec < minPrec) return left;
      this.operator(t);
      this.next();
      const right = this.binary(prec + 1);
      left = { kind: 'binary', op: t.text as BinaryOp, left, right, span: span(left.span.start, right.span.end) };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'punct' && (t.text === '-' || t.text === '~' || t.text === '!')) {
      this.next();
      const arg = this.nested(() => this.unary());
      return { kind: 'unary', op: t.text, arg, span: span(t.start, arg.span.end) };
    }
    return this.postfix();
  }

  private postfix(): Expr {
    let e = this.primary();
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        const f = this.expectIdent("a field name after '.'");
        e = { kind: 'field', target: e, field: f.text, span: span(e.span.start, f.end) };
      } else if (this.isPunct('(')) {
        this.report('ML1052', e.span, 'Only a routine, primitive or helper name can be called.');
        this.args();
      } else {
        return e;
      }
    }
  }

  private args(): Expr[] {
    this.next();
    const args: Expr[] = [];
    if (!this.isPunct(')')) {
      for (;;) {
        args.push(this.expr());
        if (!this.isPunct(',')) break;
        this.next();
      }
    }
    this.expectPunct(')', 'after the arguments');
    return args;
  }

  private primary(): Expr {
    const t = this.peek();
    if (t.kind === 'num') {
      this.next();
      return { kind: 'num', value: t.num ?? 0n, span: span(t.start, t.end) };
    }
    if (t.kind === 'punct' && t.text === '(') {
      this.next();
      const e = this.expr();
      this.expectPunct(')', "to close '('");
      return e;
    }
    if (t.kind === 'ident' && !STATEMENT_WORDS.has(t.text)) {
      this.next();
      const variant = this.variantAfter(t);
      const calleeSpan = span(t.start, this.prevEnd());
      if (this.isPunct('(')) {
        const args = this.args();
        return { kind: 'call', callee: t.text, variant, args, calleeSpan, span: span(t.start, this.prevEnd()) };
      }
      if (variant !== undefined) {
        this.report('ML1053', calleeSpan, `Only a call takes a variant; write '${t.text}@${variant}(…)'.`);
      }
      return { kind: 'name', name: t.text, span: span(t.start, t.end) };
    }
    return this.fail('ML1050', t, `Expected an expression, found ${describe(t)}.`);
  }

  // -------------------------------------------------------------------------------------------
  // Conditions (herd syntax)

  private cond(): Cond {
    return this.counted(() =>
      this.nested(() => {
        const left = this.condOr();
        if (!this.isPunct('=>')) return left;
        this.next();
        const right = this.cond();
        return { kind: 'implies', left, right, span: span(left.span.start, right.span.end) };
      }),
    );
  }

  private condOr(): Cond {
    let left = this.condAnd();
    while (this.isPunct('\\/')) {
      this.operator(this.peek());
      this.next();
      const right = this.condAnd();
      left = { kind: 'or', left, right, span: span(left.span.start, right.span.end) };
    }
    return left;
  }

  private condAnd(): Cond {
    let left = this.condNot();
    while (this.isPunct('/\\')) {
      this.operator(this.peek());
      this.next();
      const right = this.condNot();
      left = { kind: 'and', left, right, span: span(left.span.start, right.span.end) };
    }
    return left;
  }

  private condNot(): Cond {
    const t = this.peek();
    if (this.isPunct('~')) {
      this.next();
      const arg = this.nested(() => this.condNot());
      return { kind: 'not', arg, span: span(t.start, arg.span.end) };
    }
    return this.condAtom();
  }

  private condAtom(): Cond {
    const t = this.peek();
    if (this.isPunct('(')) {
      this.next();
      const c = this.cond();
      this.expectPunct(')', "to close '(' in the condition");
      return c;
    }
    if (this.isPunct('[')) return this.compare(this.location());
    if (t.kind !== 'ident') {
      return this.fail('ML1060', t, `Expected a condition such as 'K0:r0 = 1', found ${describe(t)}.`);
    }
    if (t.text === 'true' || t.text === 'false') {
      this.next();
      return { kind: t.text, span: span(t.start, t.end) };
    }
    if ((t.text === 'freed' || t.text === 'dirty') && this.isPunct('(', 1)) {
      this.next();
      this.next();
      const frame = this.expectIdent(`a frame name in '${t.text}(…)'`);
      this.expectPunct(')', `to close '${t.text}(…)'`);
      return { kind: 'pred', pred: t.text, frame: frame.text, span: span(t.start, this.prevEnd()) };
    }
    const after = this.peek(1);
    const isLocation = after.kind === 'punct' && [':', '=', '!=', '.', '('].includes(after.text);
    if (isLocation) {
      if (after.text === '(' && t.text !== 'pte' && t.text !== 'tlb') {
        this.fail(
          'ML1060',
          t,
          `Unknown predicate '${t.text}'; the predicates are freed(…), dirty(…), pte(…) and tlb(…).`,
        );
      }
      return this.compare(this.location());
    }
    const prop = this.propertyName();
    return { kind: 'prop', name: prop.name, span: prop.span };
  }

  private compare(loc: Location): Cond {
    const t = this.peek();
    if (!this.isPunct('=') && !this.isPunct('!=')) {
      this.fail('ML1012', t, `Expected '=' or '!=' after the location, found ${describe(t)}.`);
    }
    this.next();
    const value = this.condValue();
    return { kind: t.text === '=' ? 'eq' : 'ne', loc, value, span: span(loc.span.start, value.span.end) };
  }

  private condValue(): CondValue {
    const t = this.peek();
    if (t.kind === 'num') {
      this.next();
      return { kind: 'num', value: t.num ?? 0n, span: span(t.start, t.end) };
    }
    if (this.isPunct('-') && this.peek(1).kind === 'num') {
      this.next();
      const n = this.next();
      return { kind: 'num', value: (TWO_TO_64 - (n.num ?? 0n)) % TWO_TO_64, span: span(t.start, n.end) };
    }
    if (t.kind === 'ident') {
      this.next();
      return { kind: 'name', name: t.text, span: span(t.start, t.end) };
    }
    return this.fail('ML1061', t, `Expected a number or a name after the comparison, found ${describe(t)}.`);
  }

  private location(): Location {
    const t = this.peek();
    const end = () => span(t.start, this.prevEnd());
    if (this.isPunct('[')) {
      this.next();
      const frame = this.expectIdent("a frame name in '[…]'");
      this.expectPunct(']', `after the frame name '${frame.text}'`);
      return { kind: 'content', frame: frame.text, span: end() };
    }
    if (t.kind !== 'ident') {
      return this.fail(
        'ML1062',
        t,
        `Expected a location such as 'K0:r0', '[p]', 'pte(0x200000)' or a global, found ${describe(t)}.`,
      );
    }
    this.next();
    if (this.isPunct(':')) {
      this.next();
      const reg = this.expectIdent(`a register name after '${t.text}:'`);
      return { kind: 'reg', thread: t.text, reg: reg.text, span: end() };
    }
    if (t.text === 'pte' && this.isPunct('(')) {
      this.next();
      const addr = this.expr();
      this.expectPunct(')', "to close 'pte(…)'");
      return { kind: 'pte', addr, span: end() };
    }
    if (t.text === 'tlb' && this.isPunct('(')) {
      this.next();
      const owner = this.expectIdent("a secondary or cpu thread name in 'tlb(…)'");
      this.expectPunct(',', "after the owner in 'tlb(…)'");
      const addr = this.expr();
      this.expectPunct(')', "to close 'tlb(…)'");
      return { kind: 'tlb', owner: owner.text, addr, span: end() };
    }
    if (this.isPunct('.')) {
      this.next();
      const name = this.expectIdent(`a state variable name after '${t.text}.'`);
      return { kind: 'global', owner: t.text, name: name.text, span: end() };
    }
    return { kind: 'global', owner: undefined, name: t.text, span: end() };
  }
}

const TOP_LEVEL_WORDS: ReadonlySet<string> = new Set([
  'config',
  'enum',
  'routine',
  'secondary',
  'kernel',
  'cpu',
  'device',
  'locations',
  'filter',
  'exists',
  'forall',
  'expect',
]);

/** The words that start an initial-state declaration. */
const INIT_WORDS: ReadonlySet<string> = new Set([
  'vma',
  'frame',
  'pte',
  'pmd',
  'ref',
  'flag',
  'secondary',
  'tlb',
  'global',
  'lock',
]);

const PRELUDE_WORDS: ReadonlySet<string> = new Set(['routine', 'secondary', 'enum']);
