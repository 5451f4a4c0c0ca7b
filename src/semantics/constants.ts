// Named constants: `#define NAME EXPR` and `enum [tag] { A = 1, B, … };` of the prelude and of a
// test (docs/language.md §2). They are evaluated once per compilation, in declaration order, the
// prelude's first: a value may use the built-in constants and the constants declared before it.
// A prelude constant is visible everywhere, a test's only in the test's own code (expr.ts
// `resolve`). Declaring a name again with the same value is allowed (C allows an identical
// `#define`); with another value, or over a built-in constant with another value, it is ML2044.

import type { ConstDecl, Expr } from '../lang/ast.js';
import { printNumber } from '../lang/printer.js';
import { lineAndColumn, type SourceFile, type Span } from '../lang/source.js';
import { emptyMachine } from '../model/machine.js';
import * as u from '../model/u64.js';
import { type CompileCtx, report, type Scope, topScope } from './context.js';
import { builtinConstant, compileExpr, resolve } from './expr.js';
import { Exec, type Program, type ValueType } from './program.js';

/** Evaluates `decls` into `ctx.constants`, reporting what is wrong. */
export function defineConstants(ctx: CompileCtx, decls: readonly ConstDecl[], prelude: boolean): void {
  for (const d of decls) {
    if (d.kind === 'define') {
      const v = evaluate(ctx, d.file, d.value, prelude);
      if (v !== undefined) define(ctx, d.name, d.nameSpan, d.file, v.value, v.type, prelude);
      else poison(ctx, d.name, d.nameSpan, d.file, prelude);
      continue;
    }
    // As in C: a member without a value is the previous one + 1, the first 0.
    let next: u.U64 | undefined = 0;
    for (const m of d.members) {
      const v =
        m.value !== undefined
          ? evaluate(ctx, d.file, m.value, prelude)
          : next === undefined
            ? undefined
            : { value: next, type: 'int' as ValueType };
      if (v === undefined) {
        // Counting on from an unknown value gives unknown values.
        poison(ctx, m.name, m.nameSpan, d.file, prelude);
        next = undefined;
        continue;
      }
      define(ctx, m.name, m.nameSpan, d.file, v.value, 'int', prelude);
      next = u.add(v.value, 1);
    }
  }
}

/**
 * A constant whose value could not be computed (already reported): known by name, so that its
 * uses are no further "unknown name" errors; the compilation fails anyway.
 */
function poison(ctx: CompileCtx, name: string, span: Span, file: SourceFile, prelude: boolean): void {
  if (builtinConstant(name) === undefined && !ctx.constants.has(name)) {
    ctx.constants.set(name, { value: 0, type: 'int', prelude, file, span });
  }
}

function define(
  ctx: CompileCtx,
  name: string,
  span: Span,
  file: SourceFile,
  value: u.U64,
  type: ValueType,
  prelude: boolean,
): void {
  const builtin = builtinConstant(name);
  if (builtin !== undefined) {
    if (builtin.value !== value) {
      report(
        ctx,
        'ML2044',
        file,
        span,
        `'${name}' is a built-in constant (${show(builtin.value)}), so it cannot be defined as ${show(value)}.`,
      );
    }
    return;
  }
  const before = ctx.constants.get(name);
  if (before !== undefined) {
    if (before.value !== value) {
      const where = `${before.file.path}:${lineAndColumn(before.file, before.span.start).line}`;
      report(
        ctx,
        'ML2044',
        file,
        span,
        `'${name}' is already defined as ${show(before.value)} (${where}), so it cannot be defined as ${show(value)}.`,
      );
    }
    return;
  }
  ctx.constants.set(name, { value, type, prelude, file, span });
}

/** The value of a constant expression: numbers, operators and constants only. */
function evaluate(
  ctx: CompileCtx,
  file: SourceFile,
  e: Expr,
  prelude: boolean,
): { value: u.U64; type: ValueType } | undefined {
  const scope = topScope(file, !prelude);
  if (!isConstant(ctx, scope, e)) return undefined;
  const before = ctx.diagnostics.length;
  const c = compileExpr({ ctx, scope, regType: () => 'int' }, e);
  if (ctx.diagnostics.length > before) return undefined;
  try {
    return { value: c.fn(new Exec({ disabled: 0 } as Program, emptyMachine(), false)), type: c.type };
  } catch {
    report(ctx, 'ML2045', file, e.span, 'This constant cannot be computed: it divides by zero.');
    return undefined;
  }
}

/** Reports the first part of `e` that is not constant (an unknown name is left to compileExpr). */
function isConstant(ctx: CompileCtx, scope: Scope, e: Expr): boolean {
  switch (e.kind) {
    case 'num':
      return true;
    case 'name': {
      const b = resolve(ctx, scope, e.name);
      if (b === undefined || b.kind === 'const') return true;
      report(
        ctx,
        'ML2045',
        scope.file,
        e.span,
        `A constant's value uses numbers, operators and constants only; '${e.name}' is a ${b.kind === 'var' ? 'variable' : b.kind}.`,
      );
      return false;
    }
    case 'unary':
      return isConstant(ctx, scope, e.arg);
    case 'binary':
      return isConstant(ctx, scope, e.left) && isConstant(ctx, scope, e.right);
    case 'cond':
      return isConstant(ctx, scope, e.test) && isConstant(ctx, scope, e.then) && isConstant(ctx, scope, e.else);
    case 'call':
    case 'field':
      report(
        ctx,
        'ML2045',
        scope.file,
        e.span,
        `A constant's value uses numbers, operators and constants only, not ${e.kind === 'call' ? `a call of '${e.callee}'` : 'a field'}.`,
      );
      return false;
  }
}

/** Decimal below 0x1000, hexadecimal from there, as the printer writes numbers. */
function show(v: u.U64): string {
  return printNumber(u.toBig(v));
}
