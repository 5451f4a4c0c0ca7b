// Expressions compiled to closures over the execution context. An expression is `shared` when
// evaluating it reads or writes shared state (a global, a secondary variable, or a primitive that
// is not pure); a statement with a shared expression is a scheduling point.

import type { Expr } from '../lang/ast.js';
import * as u from '../model/u64.js';
import { atLeast } from '../model/version.js';
import { type Binding, type CompileCtx, report, type Scope } from './context.js';
import {
  CORE_OBJECT,
  EMPTY,
  type Footprint,
  FRAMES_OBJECT,
  lockObject,
  PT_OBJECT,
  PTL_OBJECT,
  STORES_OBJECT,
  tlbObject,
  union,
  varObject,
} from './footprint.js';
import { ModelError } from './mm.js';
import { needsCallbacks, notifyingImpl } from './notifiers.js';
import { isLocal, LOCAL, type MmPart, PRIMITIVES, type Primitive, SPECIAL_CALLS } from './primitives.js';
import type { Exec, ValueType } from './program.js';

export interface CExpr {
  readonly fn: (x: Exec) => u.U64;
  readonly type: ValueType;
  readonly shared: boolean;
}

const CONSTANTS: ReadonlyMap<string, { value: u.U64; type: ValueType }> = new Map([
  ['PAGE_SIZE', { value: 0x1000, type: 'int' }],
  ['PAGE_SHIFT', { value: 12, type: 'int' }],
  ['PAGE_MASK', { value: u.not(0xfff), type: 'int' }],
  ['PMD_SIZE', { value: 0x200000, type: 'int' }],
  ['PMD_SHIFT', { value: 21, type: 'int' }],
  ['PMD_MASK', { value: u.not(0x1fffff), type: 'int' }],
  ['HPAGE_PMD_SIZE', { value: 0x200000, type: 'int' }],
  ['HPAGE_PMD_MASK', { value: u.not(0x1fffff), type: 'int' }],
  ['HPAGE_PMD_NR', { value: 512, type: 'int' }],
  ['PUD_SIZE', { value: 0x40000000, type: 'int' }],
  ['PUD_MASK', { value: u.not(0x3fffffff), type: 'int' }],
  ['ULONG_MAX', { value: u.ULONG_MAX, type: 'int' }],
  ['true', { value: 1, type: 'bool' }],
  ['false', { value: 0, type: 'bool' }],
  ['NULL', { value: 0, type: 'frame' }],
  ['EAGAIN', { value: 11, type: 'int' }],
  ['EBUSY', { value: 16, type: 'int' }],
  ['EFAULT', { value: 14, type: 'int' }],
  ['ENOMEM', { value: 12, type: 'int' }],
  ['rw', { value: 1, type: 'int' }],
  ['ro', { value: 0, type: 'int' }],
  ['VM_FAULT_OOM', { value: 0x1, type: 'int' }],
  ['VM_FAULT_SIGBUS', { value: 0x2, type: 'int' }],
  ['VM_FAULT_HWPOISON', { value: 0x10, type: 'int' }],
  ['VM_FAULT_SIGSEGV', { value: 0x40, type: 'int' }],
  ['VM_FAULT_RETRY', { value: 0x400, type: 'int' }],
  ['PVMW_SYNC', { value: 1, type: 'int' }],
  ['PVMW_MIGRATION', { value: 2, type: 'int' }],
]);

export function constantNames(): readonly string[] {
  return [...CONSTANTS.keys()];
}

/** A built-in constant (§2 of docs/language.md). */
export function builtinConstant(name: string): { value: u.U64; type: ValueType } | undefined {
  return CONSTANTS.get(name);
}

/** Resolves a name read at this point of the source. */
export function resolve(ctx: CompileCtx, scope: Scope, name: string): Binding | undefined {
  const local = scope.names.get(name);
  if (local !== undefined) return local;
  if (scope.sec !== undefined) {
    const v = scope.sec.varNames.indexOf(name);
    if (v >= 0) return { kind: 'var', index: scope.sec.varBase + v };
    const l = scope.sec.lockNames.indexOf(name);
    if (l >= 0) return { kind: 'lock', id: scope.sec.lockBase + l + 1 };
  }
  if (scope.seesTest) {
    const b = ctx.testNames.get(name);
    if (b !== undefined) return b;
  }
  const named = ctx.constants.get(name);
  if (named !== undefined && (named.prelude || scope.seesTest)) {
    return { kind: 'const', value: named.value, type: named.type };
  }
  const c = CONSTANTS.get(name);
  if (c !== undefined) return { kind: 'const', value: c.value, type: c.type };
  return undefined;
}

const BAD: CExpr = { fn: () => 0, type: 'int', shared: false };

function typeOfBinding(b: Binding, regType: (slot: number) => ValueType): ValueType {
  switch (b.kind) {
    case 'reg':
      return regType(b.slot);
    case 'var':
      return 'int';
    case 'frame':
      return 'frame';
    case 'vma':
      return 'vma';
    case 'lock':
      return 'lock';
    case 'const':
      return b.type;
    case 'cursor':
      return 'int';
  }
}

export interface ExprEnv {
  readonly ctx: CompileCtx;
  readonly scope: Scope;
  regType(slot: number): ValueType;
}

export function compileExpr(env: ExprEnv, e: Expr): CExpr {
  const { ctx, scope } = env;
  switch (e.kind) {
    case 'num': {
      const v = u.fromBig(e.value);
      return { fn: () => v, type: 'int', shared: false };
    }
    case 'name': {
      const b = resolve(ctx, scope, e.name);
      if (b === undefined) {
        report(ctx, 'ML2001', scope.file, e.span, `Unknown name '${e.name}'.`);
        return BAD;
      }
      const type = typeOfBinding(b, (s) => env.regType(s));
      switch (b.kind) {
        case 'reg': {
          const slot = b.slot;
          return { fn: (x) => x.th.regs[slot]!, type, shared: false };
        }
        case 'var': {
          const i = b.index;
          return { fn: (x) => x.m.vars[i]!, type, shared: true };
        }
        case 'frame':
        case 'vma':
        case 'lock': {
          const id = b.id;
          return { fn: () => id, type, shared: false };
        }
        case 'const': {
          const v = b.value;
          return { fn: () => v, type, shared: false };
        }
        case 'cursor':
          report(
            ctx,
            'ML2020',
            scope.file,
            e.span,
            `A walk cursor is used through its fields: '${e.name}.address', '${e.name}.pte' or '${e.name}.pmd'.`,
          );
          return BAD;
      }
      return BAD;
    }
    case 'unary': {
      const a = compileExpr(env, e.arg);
      const f = a.fn;
      switch (e.op) {
        case '-':
          return { fn: (x) => u.neg(f(x)), type: 'int', shared: a.shared };
        case '~':
          return { fn: (x) => u.not(f(x)), type: 'int', shared: a.shared };
        case '!':
          return { fn: (x) => (f(x) === 0 ? 1 : 0), type: 'bool', shared: a.shared };
      }
      return BAD;
    }
    case 'binary': {
      const l = compileExpr(env, e.left);
      const r = compileExpr(env, e.right);
      const shared = l.shared || r.shared;
      const lf = l.fn;
      const rf = r.fn;
      const bin = (op: (a: u.U64, b: u.U64) => u.U64, type: ValueType = 'int'): CExpr => ({
        fn: (x) => op(lf(x), rf(x)),
        type,
        shared,
      });
      switch (e.op) {
        case '+':
          return bin(u.add);
        case '-':
          return bin(u.sub);
        case '*':
          return bin(u.mul);
        case '/':
        case '%': {
          const op = e.op === '/' ? u.div : u.mod;
          return {
            fn: (x) => {
              const d = rf(x);
              const n = lf(x);
              if (d === 0) throw new ModelError('ML4008', 'Division by zero.');
              return op(n, d);
            },
            type: 'int',
            shared,
          };
        }
        case '&':
          return bin(u.and);
        case '|':
          return bin(u.or);
        case '^':
          return bin(u.xor);
        case '<<':
          return bin(u.shl);
        case '>>':
          return bin(u.shr);
        case '==':
          return bin((a, b) => (a === b ? 1 : 0), 'bool');
        case '!=':
          return bin((a, b) => (a !== b ? 1 : 0), 'bool');
        case '<':
          return bin((a, b) => (a < b ? 1 : 0), 'bool');
        case '<=':
          return bin((a, b) => (a <= b ? 1 : 0), 'bool');
        case '>':
          return bin((a, b) => (a > b ? 1 : 0), 'bool');
        case '>=':
          return bin((a, b) => (a >= b ? 1 : 0), 'bool');
        case '&&':
          return { fn: (x) => (lf(x) !== 0 && rf(x) !== 0 ? 1 : 0), type: 'bool', shared };
        case '||':
          return { fn: (x) => (lf(x) !== 0 || rf(x) !== 0 ? 1 : 0), type: 'bool', shared };
      }
      return BAD;
    }
    case 'cond': {
      const t = compileExpr(env, e.test);
      const a = compileExpr(env, e.then);
      const b = compileExpr(env, e.else);
      const tf = t.fn;
      const af = a.fn;
      const bf = b.fn;
      return { fn: (x) => (tf(x) !== 0 ? af(x) : bf(x)), type: a.type, shared: t.shared || a.shared || b.shared };
    }
    case 'field':
      return compileField(env, e);
    case 'call':
      return compilePrimitiveCall(env, e);
  }
}

function compileField(env: ExprEnv, e: Extract<Expr, { kind: 'field' }>): CExpr {
  const { ctx, scope } = env;
  if (e.target.kind === 'name') {
    const b = resolve(ctx, scope, e.target.name);
    if (b?.kind === 'cursor') {
      const offset = CURSOR_FIELDS.indexOf(e.field);
      if (offset < 0) {
        report(
          ctx,
          'ML2020',
          scope.file,
          e.span,
          `A walk cursor has the fields 'address', 'pte' and 'pmd', not '${e.field}'.`,
        );
        return BAD;
      }
      const slot = b.base + offset;
      return { fn: (x) => x.th.regs[slot]!, type: e.field === 'address' ? 'int' : 'pte', shared: false };
    }
  }
  const target = compileExpr(env, e.target);
  const tf = target.fn;
  const vmas = ctx.vmas;
  const vmaField = (get: (v: (typeof vmas)[number]) => u.U64, type: ValueType = 'int'): CExpr => ({
    fn: (x) => {
      const v = vmas[Number(tf(x)) - 1];
      if (v === undefined) {
        const got = tf(x);
        throw new ModelError(
          'ML4006',
          `'.${e.field}' needs a vma, but the value is ${got === 0 ? 'NULL' : String(got)}.`,
        );
      }
      return get(v);
    },
    type,
    shared: target.shared,
  });
  switch (e.field) {
    case 'start':
    case 'vm_start':
      return vmaField((v) => v.start);
    case 'end':
    case 'vm_end':
      return vmaField((v) => v.end);
    case 'anon':
      return vmaField((v) => (v.anon ? 1 : 0), 'bool');
    case 'shared':
      return vmaField((v) => (v.shared ? 1 : 0), 'bool');
    case 'writable':
      return vmaField((v) => (v.writable ? 1 : 0), 'bool');
    case 'hugetlb':
      return vmaField((v) => (v.hugetlb ? 1 : 0), 'bool');
    default:
      report(
        ctx,
        'ML2020',
        scope.file,
        e.span,
        `Unknown field '${e.field}': a vma has 'start', 'end', 'anon', 'shared', 'writable' and 'hugetlb'.`,
      );
      return BAD;
  }
}

/** Cursor registers, in order after the walk's internal ones (see walk.ts). */
export const CURSOR_FIELDS = ['address', 'pte', 'pmd'];

export const BUILTIN_FUNCTIONS: ReadonlyMap<string, (a: u.U64[]) => u.U64> = new Map([
  ['min', (a: u.U64[]) => u.min(a[0]!, a[1]!)],
  ['max', (a: u.U64[]) => u.max(a[0]!, a[1]!)],
  ['ALIGN', (a: u.U64[]) => u.alignUp(a[0]!, a[1]!)],
  ['ALIGN_DOWN', (a: u.U64[]) => u.alignDown(a[0]!, a[1]!)],
  ['IS_ALIGNED', (a: u.U64[]) => (u.and(a[0]!, u.sub(a[1]!, 1)) === 0 ? 1 : 0)],
]);

/** Whether a call is something this function cannot compile inside an expression. */
export function isStatementCall(ctx: CompileCtx, name: string): boolean {
  if (SPECIAL_CALLS.has(name) || needsCallbacks(ctx, name)) return true;
  if (PRIMITIVES.has(name) || BUILTIN_FUNCTIONS.has(name)) return false;
  return ctx.testRoutines.some((r) => r.name === name) || ctx.prelude.routines.some((r) => r.name === name);
}

function compilePrimitiveCall(env: ExprEnv, e: Extract<Expr, { kind: 'call' }>): CExpr {
  const { ctx, scope } = env;
  const args = e.args.map((a) => compileExpr(env, a));
  const fns = args.map((a) => a.fn);
  const shared = args.some((a) => a.shared);
  const builtin = BUILTIN_FUNCTIONS.get(e.callee);
  if (builtin !== undefined && e.variant === undefined) {
    if (args.length !== 2) {
      report(ctx, 'ML2003', scope.file, e.span, `'${e.callee}' takes 2 arguments, not ${args.length}.`);
      return BAD;
    }
    const [f0, f1] = fns as [(x: Exec) => u.U64, (x: Exec) => u.U64];
    return { fn: (x) => builtin([f0(x), f1(x)]), type: args[0]!.type, shared };
  }
  const p = PRIMITIVES.get(e.callee);
  if (p === undefined || e.variant !== undefined) {
    if (isStatementCall(ctx, e.callee)) {
      report(
        ctx,
        'ML2006',
        scope.file,
        e.span,
        `'${e.callee}' runs steps of its own, so it must be a statement: '${e.callee}(…);' or 'x = ${e.callee}(…);'.`,
      );
    } else {
      report(
        ctx,
        'ML2002',
        scope.file,
        e.calleeSpan,
        `Unknown routine or primitive '${e.callee}${e.variant === undefined ? '' : `@${e.variant}`}'.`,
      );
    }
    return BAD;
  }
  if (!checkPrimitive(ctx, scope, e.callee, e.calleeSpan, e.span, args.length)) return BAD;
  if (!checkArgKinds(ctx, scope, e, args, p.params)) return BAD;
  const impl = notifyingImpl(ctx.version, e.callee) ?? p.impl;
  const secIndex = scope.sec?.index ?? -1;
  const n = fns.length;
  const fn =
    n === 0
      ? (x: Exec) => {
          x.sec = secIndex;
          return impl(x, NO_ARGS);
        }
      : (x: Exec) => {
          // One argument array per call site, refilled at every call: a primitive reads its
          // arguments and keeps nothing of the array, and a call site is never inside its own
          // arguments.
          for (let i = 0; i < n; i++) vals[i] = fns[i]!(x);
          x.sec = secIndex;
          return impl(x, vals);
        };
  const vals = new Array<u.U64>(n).fill(0);
  const type: ValueType = p.ret === 'void' ? 'int' : p.ret;
  return { fn, type, shared: shared || !isLocal(p) };
}

const NO_ARGS: readonly u.U64[] = [];

const KIND_NAMES: Record<ValueType, string> = {
  int: 'an integer',
  frame: 'a frame',
  pte: 'a page-table entry',
  vma: 'a vma',
  lock: 'a lock',
  bool: 'a truth value',
};

/**
 * Locks and vmas are checked by kind at compile time (a frame passed to spin_lock would silently
 * take another lock); a frame parameter rejects locks, vmas and entries.
 */
function checkArgKinds(
  ctx: CompileCtx,
  scope: Scope,
  e: Extract<Expr, { kind: 'call' }>,
  args: readonly CExpr[],
  params: readonly string[],
): boolean {
  for (let i = 0; i < args.length; i++) {
    const want = params[i];
    const got = args[i]!.type;
    const bad =
      ((want === 'lock' || want === 'vma') && got !== want) ||
      (want === 'frame' && (got === 'lock' || got === 'vma' || got === 'pte'));
    if (bad) {
      report(
        ctx,
        'ML2023',
        scope.file,
        e.args[i]!.span,
        `'${e.callee}' needs ${KIND_NAMES[want as ValueType]} as argument ${i + 1}, but this is ${KIND_NAMES[got]}.`,
      );
      return false;
    }
  }
  return true;
}

/** Arity, version and context checks of a primitive call; reports and returns false on error. */
export function checkPrimitive(
  ctx: CompileCtx,
  scope: Scope,
  name: string,
  nameSpan: import('../lang/source.js').Span,
  span: import('../lang/source.js').Span,
  nargs: number,
): boolean {
  const p = PRIMITIVES.get(name);
  if (p === undefined) return true;
  const min = p.minArgs ?? p.params.length;
  if (nargs < min || nargs > p.params.length) {
    const want = min === p.params.length ? `${min}` : `${min} to ${p.params.length}`;
    report(
      ctx,
      'ML2003',
      scope.file,
      span,
      `'${name}' takes ${want} argument${p.params.length === 1 ? '' : 's'}, not ${nargs}.`,
    );
    return false;
  }
  if (!availableIn(ctx, scope, name, nameSpan, p.since, p.removedIn)) return false;
  if (p.inSecondary === true && scope.sec === undefined) {
    report(
      ctx,
      'ML2013',
      scope.file,
      nameSpan,
      `'${name}' works only inside a secondary's callbacks or fault routine.`,
    );
    return false;
  }
  return true;
}

/** Reports a call to something the configured kernel does not have. */
export function availableIn(
  ctx: CompileCtx,
  scope: Scope,
  name: string,
  span: import('../lang/source.js').Span,
  since: import('../model/version.js').KernelVersion | undefined,
  removedIn: import('../model/version.js').KernelVersion | undefined,
): boolean {
  if (since !== undefined && !atLeast(ctx.version, since)) {
    report(
      ctx,
      'ML2004',
      scope.file,
      span,
      `'${name}' does not exist in kernel ${ctx.version}: it was added in ${since}.`,
    );
    return false;
  }
  if (removedIn !== undefined && atLeast(ctx.version, removedIn)) {
    report(
      ctx,
      'ML2004',
      scope.file,
      span,
      `'${name}' does not exist in kernel ${ctx.version}: it was removed in ${removedIn}.`,
    );
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Footprints (for the partial-order reduction)

/**
 * The footprint of evaluating `e`, resolved exactly as compileExpr resolves it; `undefined` (may
 * touch anything) when it calls a primitive whose footprint is `MM`.
 */
export function exprFootprint(env: ExprEnv, e: Expr): Footprint | undefined {
  switch (e.kind) {
    case 'num':
      return EMPTY;
    case 'name': {
      const b = resolve(env.ctx, env.scope, e.name);
      if (b?.kind === 'var') return { reads: [varObject(b.index)], writes: [] };
      return EMPTY;
    }
    case 'unary':
      return exprFootprint(env, e.arg);
    case 'binary':
      return union(exprFootprint(env, e.left), exprFootprint(env, e.right));
    case 'cond':
      return union(exprFootprint(env, e.test), union(exprFootprint(env, e.then), exprFootprint(env, e.else)));
    case 'field':
      return exprFootprint(env, e.target);
    case 'call': {
      if (e.variant !== undefined) return undefined;
      let args: Footprint | undefined = EMPTY;
      for (const a of e.args) args = union(args, exprFootprint(env, a));
      if (BUILTIN_FUNCTIONS.has(e.callee)) return args;
      const p = PRIMITIVES.get(e.callee);
      if (p === undefined) return undefined;
      return union(args, callFootprint(env, p, e.args));
    }
  }
}

const MM_OBJECTS: Readonly<Record<Exclude<MmPart, 'selfTlb'>, number>> = {
  pt: PT_OBJECT,
  ptl: PTL_OBJECT,
  frames: FRAMES_OBJECT,
  stores: STORES_OBJECT,
  core: CORE_OBJECT,
};

/**
 * What a call of `p` touches besides evaluating its arguments, from its table entry
 * (primitives.ts `PrimitiveFootprint`): nothing, its lock argument, parts of memory management,
 * or (undefined) anything. A
 * primitive that notifies in this kernel version runs the notifier's bookkeeping too.
 */
function callFootprint(env: ExprEnv, p: Primitive, args: readonly Expr[]): Footprint | undefined {
  const fp = p.footprint;
  if (fp === LOCAL) return EMPTY;
  if (typeof fp === 'string' || notifyingImpl(env.ctx.version, p.name) !== undefined) return undefined;
  if ('mm' in fp) {
    const sec = env.scope.sec;
    const object = (part: MmPart): number | undefined => {
      if (part !== 'selfTlb') return MM_OBJECTS[part];
      return sec === undefined ? undefined : tlbObject(sec.tlb);
    };
    const reads = fp.mm.reads.map(object);
    const writes = fp.mm.writes.map(object);
    // `selfTlb` outside a secondary (a checked error) is left as touching anything.
    if (reads.includes(undefined) || writes.includes(undefined)) return undefined;
    return { reads: reads as number[], writes: writes as number[] };
  }
  const a = args[fp.lock];
  const b = a?.kind === 'name' ? resolve(env.ctx, env.scope, a.name) : undefined;
  // A lock is a compile-time name; anything else (a checked error) is left as touching anything.
  if (b?.kind !== 'lock') return undefined;
  return { reads: [lockObject(b.id)], writes: [lockObject(b.id)] };
}
