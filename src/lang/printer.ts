// The canonical printer: AST → text that parses back to the same tree (spans, `file`, `doc` and
// comments aside). Two-space indentation, one statement per line, `else` on the `}` line, numbers
// in hex from 0x1000 up, and parentheses only where precedence needs them.

import type {
  BinaryOp,
  Block,
  Cond,
  CondValue,
  ConfigItem,
  ConstDecl,
  EntryInit,
  ExpectItem,
  Expr,
  InitDecl,
  LitmusFile,
  Location,
  Param,
  RoutineDef,
  SecondaryDef,
  Stmt,
  ThreadDef,
} from './ast.js';

const INDENT = '  ';

const BINARY_PREC: Record<BinaryOp, number> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};

/** The operators that have a compound assignment form (`x += e;`). */
const COMPOUND: ReadonlySet<BinaryOp> = new Set(['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>']);

const UNARY_PREC = 11;
const POSTFIX_PREC = 12;

function assertNever(x: never): never {
  throw new Error(`unexpected node ${JSON.stringify(x)}`);
}

/** Decimal below 0x1000, hexadecimal from there (addresses read better in hex). */
export function printNumber(value: bigint): string {
  return value >= 0x1000n ? `0x${value.toString(16)}` : value.toString();
}

/** A string literal the lexer reads back as `s`. */
export function printString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

function exprPrec(e: Expr): number {
  switch (e.kind) {
    case 'num':
    case 'name':
    case 'call':
    case 'field':
      return POSTFIX_PREC;
    case 'unary':
      return UNARY_PREC;
    case 'binary':
      return BINARY_PREC[e.op];
    case 'cond':
      return 0;
    default:
      return assertNever(e);
  }
}

function operand(e: Expr, parenthesise: boolean): string {
  const s = printExpr(e);
  return parenthesise ? `(${s})` : s;
}

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'num':
      return printNumber(e.value);
    case 'name':
      return e.name;
    case 'unary': {
      const arg = operand(e.arg, exprPrec(e.arg) < UNARY_PREC);
      // `- -x`, not `--x`, which would lex as a decrement.
      return e.op === '-' && arg.startsWith('-') ? `- ${arg}` : `${e.op}${arg}`;
    }
    case 'binary': {
      const prec = BINARY_PREC[e.op];
      // Left-associative: a right operand of equal precedence needs parentheses.
      const left = operand(e.left, exprPrec(e.left) < prec);
      const right = operand(e.right, exprPrec(e.right) <= prec);
      return `${left} ${e.op} ${right}`;
    }
    case 'cond':
      // Right-associative: only a conditional test needs parentheses.
      return `${operand(e.test, exprPrec(e.test) === 0)} ? ${printExpr(e.then)} : ${printExpr(e.else)}`;
    case 'call':
      return `${e.callee}${e.variant === undefined ? '' : `@${e.variant}`}(${e.args.map(printExpr).join(', ')})`;
    case 'field':
      return `${operand(e.target, exprPrec(e.target) < POSTFIX_PREC)}.${e.field}`;
    default:
      return assertNever(e);
  }
}

/** `{ … }` with its statements one level deeper than `indent`; `{}` when empty. */
export function printBlock(b: Block, indent = ''): string {
  if (b.stmts.length === 0) return '{}';
  const inner = indent + INDENT;
  return `{\n${b.stmts.map((s) => printStmt(s, inner)).join('\n')}\n${indent}}`;
}

/** A statement; every line it spans starts with `indent`. */
export function printStmt(s: Stmt, indent = ''): string {
  switch (s.kind) {
    case 'assign': {
      if (s.op !== undefined && !COMPOUND.has(s.op)) {
        throw new Error(`'${s.op}=' is not an assignment operator`);
      }
      return `${indent}${s.target} ${s.op ?? ''}= ${printExpr(s.value)};`;
    }
    case 'expr':
      return `${indent}${printExpr(s.expr)};`;
    case 'if': {
      const head = `${indent}if (${printExpr(s.test)}) ${printBlock(s.then, indent)}`;
      if (s.else === undefined) return head;
      const only = s.else.stmts.length === 1 ? s.else.stmts[0] : undefined;
      if (only?.kind === 'if') return `${head} else ${printStmt(only, indent).slice(indent.length)}`;
      return `${head} else ${printBlock(s.else, indent)}`;
    }
    case 'while':
      return `${indent}while (${printExpr(s.test)}) ${printBlock(s.body, indent)}`;
    case 'break':
    case 'continue':
      return `${indent}${s.kind};`;
    case 'return':
      return s.value === undefined ? `${indent}return;` : `${indent}return ${printExpr(s.value)};`;
    case 'choose':
      return `${indent}choose ${s.branches.map((b) => printBlock(b, indent)).join(' or ')}`;
    case 'await':
    case 'assert':
      return `${indent}${s.kind} (${printExpr(s.test)});`;
    case 'atomic':
      return `${indent}atomic ${printBlock(s.body, indent)}`;
    case 'foreach':
      return `${indent}foreach ${s.cursor} in ${printExpr(s.walk)} ${printBlock(s.body, indent)}`;
    case 'block':
      return `${indent}${printBlock(s.body, indent)}`;
    case 'goto':
      return `${indent}goto ${s.label};`;
    case 'label':
      // One level out, as kernel code writes its labels.
      return `${indent.slice(INDENT.length)}${s.name}:`;
    default:
      return assertNever(s);
  }
}

function printEntry(e: EntryInit): string {
  switch (e.kind) {
    case 'present':
      return [e.frame, ...e.flags].join(' ');
    case 'swap':
    case 'hwpoison':
      return `${e.kind}(${e.frame})`;
    case 'migration':
      return `migration(${e.frame}, ${e.write ? 'rw' : 'ro'})`;
    case 'none':
      return 'none';
    default:
      return assertNever(e);
  }
}

/** One initial-state declaration, with its `;`. */
export function printInit(d: InitDecl): string {
  switch (d.kind) {
    case 'vma': {
      const attrs = [d.backing, d.shared ? 'shared' : '', d.hugetlb ? 'hugetlb' : '', d.prot].filter((a) => a !== '');
      return `vma ${d.name} = [${printExpr(d.start)}, ${printExpr(d.end)}) ${attrs.join(' ')};`;
    }
    case 'frame': {
      if (d.free || d.content === undefined) return `frame ${d.name} free;`;
      const attrs = [d.file ? ' file' : '', d.thp ? ' thp' : ''].join('');
      return `frame ${d.name} = ${printExpr(d.content)}${attrs};`;
    }
    case 'pte':
    case 'pmd':
      return `${d.kind} ${printExpr(d.addr)} = ${printEntry(d.entry)};`;
    case 'ref':
      return `ref ${d.frame};`;
    case 'flag':
      return `flag ${d.frame} ${d.flag};`;
    case 'secondary':
      return `secondary ${d.name} : ${d.type}${d.variant === undefined ? '' : `@${d.variant}`};`;
    case 'tlb':
      return `tlb ${d.owner} ${printExpr(d.addr)} = ${d.frame} ${d.write ? 'rw' : 'ro'}${d.dirty ? ' dirty' : ''};`;
    case 'global':
      return `global ${d.name} = ${printExpr(d.value)};`;
    case 'lock':
      return `lock ${d.name} : ${d.lockKind};`;
    default:
      return assertNever(d);
  }
}

/** A `#define` line or an `enum` declaration. */
export function printConst(c: ConstDecl): string {
  if (c.kind === 'define') return `#define ${c.name} ${printExpr(c.value)}`;
  const members = c.members.map((m) => (m.value === undefined ? m.name : `${m.name} = ${printExpr(m.value)}`));
  return `enum ${c.tag === undefined ? '' : `${c.tag} `}{ ${members.join(', ')} };`;
}

function printParams(ps: readonly Param[]): string {
  return `(${ps.map((p) => p.name).join(', ')})`;
}

export function printRoutine(r: RoutineDef): string {
  const variant = r.variant === undefined ? '' : `@${r.variant}`;
  return `routine ${r.name}${variant}${printParams(r.params)} ${printBlock(r.body)}`;
}

export function printSecondary(s: SecondaryDef): string {
  const lines: string[] = [];
  if (s.state.length > 0) {
    lines.push(`state ${s.state.map((v) => `${v.name} = ${printExpr(v.value)}`).join(', ')};`);
  }
  for (const l of s.locks) lines.push(`lock ${l.name} : ${l.lockKind};`);
  if (s.sharesPageTables) lines.push('walks_cpu_page_table;');
  for (const c of s.callbacks) lines.push(`on ${c.name}${printParams(c.params)} ${printBlock(c.body, INDENT)}`);
  if (s.fault !== undefined) lines.push(`fault${printParams(s.fault.params)} ${printBlock(s.fault.body, INDENT)}`);
  const variant = s.variant === undefined ? '' : `@${s.variant}`;
  const body = lines.length === 0 ? '{}' : `{\n${lines.map((l) => INDENT + l).join('\n')}\n}`;
  return `secondary ${s.name}${variant} ${body}`;
}

export function printThread(t: ThreadDef): string {
  const on = t.on === undefined ? '' : ` on ${t.on.name}`;
  return `${t.threadKind} ${t.name}${on} ${printBlock(t.body)}`;
}

export function printLocation(l: Location): string {
  switch (l.kind) {
    case 'reg':
      return `${l.thread}:${l.reg}`;
    case 'content':
      return `[${l.frame}]`;
    case 'pte':
      return `pte(${printExpr(l.addr)})`;
    case 'tlb':
      return `tlb(${l.owner}, ${printExpr(l.addr)})`;
    case 'global':
      return l.owner === undefined ? l.name : `${l.owner}.${l.name}`;
    default:
      return assertNever(l);
  }
}

function printCondValue(v: CondValue): string {
  return v.kind === 'num' ? printNumber(v.value) : v.name;
}

function condPrec(c: Cond): number {
  switch (c.kind) {
    case 'implies':
      return 1;
    case 'or':
      return 2;
    case 'and':
      return 3;
    case 'not':
      return 4;
    case 'true':
    case 'false':
    case 'eq':
    case 'ne':
    case 'pred':
    case 'prop':
      return 5;
    default:
      return assertNever(c);
  }
}

function condOperand(c: Cond, parenthesise: boolean): string {
  const s = printCond(c);
  return parenthesise ? `(${s})` : s;
}

/** A herd condition: `~` binds tightest, then `/\`, `\/`, and `=>` (right-associative). */
export function printCond(c: Cond): string {
  switch (c.kind) {
    case 'true':
    case 'false':
      return c.kind;
    case 'implies':
      return `${condOperand(c.left, condPrec(c.left) <= 1)} => ${condOperand(c.right, condPrec(c.right) < 1)}`;
    case 'or':
    case 'and': {
      const prec = condPrec(c);
      const op = c.kind === 'or' ? '\\/' : '/\\';
      return `${condOperand(c.left, condPrec(c.left) < prec)} ${op} ${condOperand(c.right, condPrec(c.right) <= prec)}`;
    }
    case 'not':
      return `~${condOperand(c.arg, condPrec(c.arg) < 4)}`;
    case 'eq':
      return `${printLocation(c.loc)} = ${printCondValue(c.value)}`;
    case 'ne':
      return `${printLocation(c.loc)} != ${printCondValue(c.value)}`;
    case 'pred':
      return `${c.pred}(${c.frame})`;
    case 'prop':
      return c.name;
    default:
      return assertNever(c);
  }
}

const PROPERTY_SWITCH = /^[+-][A-Za-z_][A-Za-z0-9_]*(-[A-Za-z_][A-Za-z0-9_]*)*$/;

function printConfigItem(c: ConfigItem): string {
  if (c.key === 'check' && typeof c.value === 'string' && PROPERTY_SWITCH.test(c.value)) return `check ${c.value};`;
  const value = typeof c.value === 'bigint' ? printNumber(c.value) : printString(c.value);
  return `${c.key} = ${value};`;
}

function printExpectItem(e: ExpectItem): string {
  return e.kind === 'violates' || e.kind === 'warns' ? `${e.kind} ${e.props.map((p) => p.name).join(', ')}` : e.kind;
}

/** A whole test in canonical form, ending with a newline. */
export function printLitmus(f: LitmusFile): string {
  const head = [`MMU ${f.name}`];
  if (f.description !== undefined) head.push(printString(f.description));
  const sections = [head.join('\n')];
  if (f.config.length > 0) sections.push(`config { ${f.config.map(printConfigItem).join(' ')} }`);
  // Constants go before the initial state, which may use them (their order is kept).
  if (f.constants.length > 0) sections.push(f.constants.map(printConst).join('\n'));
  sections.push(f.init.length === 0 ? '{}' : `{\n${f.init.map((d) => INDENT + printInit(d)).join('\n')}\n}`);
  sections.push(...f.routines.map(printRoutine), ...f.secondaries.map(printSecondary), ...f.threads.map(printThread));
  const tail: string[] = [];
  if (f.locations.length > 0) tail.push(`locations [${f.locations.map(printLocation).join('; ')}];`);
  if (f.filter !== undefined) tail.push(`filter (${printCond(f.filter)})`);
  if (f.condition !== undefined) tail.push(`${f.condition.quantifier} (${printCond(f.condition.cond)})`);
  if (f.expect !== undefined) tail.push(`expect ${f.expect.map(printExpectItem).join(', ')};`);
  if (tail.length > 0) sections.push(tail.join('\n'));
  return `${sections.join('\n\n')}\n`;
}
