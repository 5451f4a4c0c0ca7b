// Statements compiled into a thread's flat instruction array, and the inlining of routine bodies
// (routines, secondary callbacks and fault routines share it). Control flow becomes explicit
// jumps; a statement that touches shared state is one `shared` instruction (a scheduling point),
// the others are `local` and run with the thread's next step.

import type { Block, Expr, Param, RoutineDef, Stmt } from '../lang/ast.js';
import type { SourceFile, Span } from '../lang/source.js';
import { ASSERTION } from '../model/properties.js';
import { wVars } from '../model/scratch.js';
import type * as u from '../model/u64.js';
import { compareVersionNames, looksLikeVersion } from '../model/version.js';
import { compileAccess } from './access.js';
import { type Binding, type CompileCtx, type Emitter, report, type Scope, site } from './context.js';
import { type CExpr, compileExpr, type ExprEnv, exprFootprint, isStatementCall, resolve } from './expr.js';
import { EMPTY, type Footprint, union, varObject } from './footprint.js';
import { bodyLabels } from './labels.js';
import { compileNotifier, compileNotifyingPrimitive, isNotifierCall, needsCallbacks } from './notifiers.js';
import { BLOCKED, type Exec, type SecondaryInfo, type ValueType } from './program.js';
import { clearCursor, compileWalk, compileWalkDone } from './walk.js';

/** Where a statement-level call puts its result. */
export type Dest =
  | { readonly kind: 'reg'; readonly slot: number }
  | { readonly kind: 'var'; readonly index: number }
  | undefined;

export function envOf(em: Emitter, scope: Scope): ExprEnv {
  return { ctx: em.ctx, scope, regType: (slot) => em.regTypes[slot] ?? 'int' };
}

/** Names assigned anywhere in a block (assignment targets and walk cursors), in order. */
export function assignedNames(block: Block): Map<string, Span> {
  const out = new Map<string, Span>();
  const visit = (b: Block): void => {
    for (const s of b.stmts) visitStmt(s);
  };
  const visitStmt = (s: Stmt): void => {
    switch (s.kind) {
      case 'assign':
        if (!out.has(s.target)) out.set(s.target, s.targetSpan);
        return;
      case 'if':
        visit(s.then);
        if (s.else) visit(s.else);
        return;
      case 'while':
      case 'atomic':
      case 'block':
        visit(s.kind === 'while' ? s.body : s.body);
        return;
      case 'choose':
        for (const b of s.branches) visit(b);
        return;
      case 'foreach':
        if (!out.has(s.cursor)) out.set(s.cursor, s.cursorSpan);
        visit(s.body);
        return;
      case 'expr':
      case 'break':
      case 'continue':
      case 'return':
      case 'await':
      case 'assert':
      case 'goto':
      case 'label':
        return;
    }
  };
  visit(block);
  return out;
}

function storeFn(dest: Dest): (x: Exec, v: u.U64) => void {
  if (dest === undefined) return () => {};
  if (dest.kind === 'reg') {
    const slot = dest.slot;
    return (x, v) => {
      x.th.regs[slot] = v;
    };
  }
  const index = dest.index;
  return (x, v) => {
    wVars(x.s)[index] = v;
  };
}

function setType(em: Emitter, dest: Dest, type: ValueType): void {
  if (dest?.kind === 'reg' && em.regTypes[dest.slot] === 'int') em.regTypes[dest.slot] = type;
}

/** Emits `dest = e` (or just evaluates e) as one instruction. */
export function emitEval(
  em: Emitter,
  scope: Scope,
  span: Span,
  c: CExpr,
  dest: Dest,
  text?: string,
  fp?: Footprint,
): void {
  const pc = em.pc;
  const f = c.fn;
  const store = storeFn(dest);
  const shared = c.shared || dest?.kind === 'var';
  setType(em, dest, c.type);
  em.emit(
    shared ? 'shared' : 'local',
    (x) => {
      const v = f(x);
      if (x.blocked) return BLOCKED;
      store(x, v);
      return pc + 1;
    },
    site(scope, span, text),
    undefined,
    evalFootprint(c, dest, fp),
  );
}

/**
 * The footprint of `dest = c`: the expression's (`fp`, from exprFootprint), plus the write of a
 * global. An expression that is not shared reads registers and constants only (expr.ts).
 */
function evalFootprint(c: CExpr, dest: Dest, fp: Footprint | undefined): Footprint | undefined {
  const ofExpr = c.shared ? fp : EMPTY;
  if (dest?.kind !== 'var') return ofExpr;
  return union(ofExpr, { reads: [], writes: [varObject(dest.index)] });
}

function condFootprint(env: ExprEnv, c: CExpr, e: Expr): Footprint | undefined {
  return c.shared ? exprFootprint(env, e) : EMPTY;
}

function assignTarget(em: Emitter, scope: Scope, name: string, span: Span): Dest {
  const b = resolve(em.ctx, scope, name);
  if (b?.kind === 'reg') return { kind: 'reg', slot: b.slot };
  if (b?.kind === 'var') return { kind: 'var', index: b.index };
  // A frame, vma, lock or constant was already reported where the body's names were collected.
  const known = em.ctx.diagnostics.some(
    (d) => d.code === 'ML2007' && d.file === scope.file && d.span.start === span.start,
  );
  if (known) return undefined;
  report(
    em.ctx,
    'ML2007',
    scope.file,
    span,
    `Cannot assign to '${name}': only registers, globals and secondary state variables can be assigned.`,
  );
  return undefined;
}

export function compileBlock(em: Emitter, scope: Scope, block: Block): void {
  for (const s of block.stmts) compileStmt(em, scope, s);
}

/** Compiles a whole body (a thread, or an inlined routine, callback or fault routine): its labels are its own. */
export function compileBody(em: Emitter, scope: Scope, body: Block): void {
  compileBlock(em, { ...scope, labels: bodyLabels(em.ctx, scope.file, body) }, body);
}

function compileStmt(em: Emitter, scope: Scope, s: Stmt): void {
  const ctx = em.ctx;
  const env = envOf(em, scope);
  switch (s.kind) {
    case 'assign': {
      const dest = assignTarget(em, scope, s.target, s.targetSpan);
      if (s.op === undefined && s.value.kind === 'call' && isStatementCall(ctx, s.value.callee)) {
        compileCall(em, scope, s.value, dest, s.span);
        return;
      }
      let value: Expr = s.value;
      if (s.op !== undefined) {
        value = {
          kind: 'binary',
          op: s.op,
          left: { kind: 'name', name: s.target, span: s.targetSpan },
          right: s.value,
          span: s.span,
        };
      }
      emitEval(em, scope, s.span, compileExpr(env, value), dest, undefined, exprFootprint(env, value));
      return;
    }
    case 'expr': {
      if (s.expr.kind === 'call' && isStatementCall(ctx, s.expr.callee)) {
        compileCall(em, scope, s.expr, undefined, s.span);
        return;
      }
      emitEval(em, scope, s.span, compileExpr(env, s.expr), undefined, undefined, exprFootprint(env, s.expr));
      return;
    }
    case 'if': {
      const c = compileExpr(env, s.test);
      const pc = em.pc;
      const elseTarget = { pc: -1 };
      const f = c.fn;
      em.emit(
        c.shared ? 'shared' : 'local',
        (x) => {
          const v = f(x);
          if (x.blocked) return BLOCKED;
          return v !== 0 ? pc + 1 : elseTarget.pc;
        },
        site(scope, s.test.span, `if (${textOf(scope.file, s.test.span)})`),
        undefined,
        condFootprint(env, c, s.test),
      );
      compileBlock(em, scope, s.then);
      if (s.else !== undefined) {
        const end = em.jump(site(scope, s.span, 'else'));
        elseTarget.pc = em.pc;
        compileBlock(em, scope, s.else);
        end.pc = em.pc;
      } else {
        elseTarget.pc = em.pc;
      }
      return;
    }
    case 'while': {
      const c = compileExpr(env, s.test);
      const top = em.pc;
      const exit = { pc: -1 };
      const f = c.fn;
      em.emit(
        c.shared ? 'shared' : 'local',
        (x) => {
          const v = f(x);
          if (x.blocked) return BLOCKED;
          return v !== 0 ? top + 1 : exit.pc;
        },
        site(scope, s.test.span, `while (${textOf(scope.file, s.test.span)})`),
        undefined,
        condFootprint(env, c, s.test),
      );
      const loop = { breakJumps: [] as { pc: number }[], continueTo: () => top };
      scope.loops.push(loop);
      compileBlock(em, scope, s.body);
      scope.loops.pop();
      em.backJump(top);
      em.emit('local', () => top, site(scope, s.span, 'while'), undefined, EMPTY);
      exit.pc = em.pc;
      for (const j of loop.breakJumps) j.pc = em.pc;
      return;
    }
    case 'break':
    case 'continue': {
      const loop = scope.loops[scope.loops.length - 1];
      if (loop === undefined) {
        report(ctx, 'ML2011', scope.file, s.span, `'${s.kind}' is only allowed inside a loop.`);
        return;
      }
      if (s.kind === 'break') loop.breakJumps.push(em.jump(site(scope, s.span)));
      else {
        const to = loop.continueTo;
        em.backJump(to());
        em.emit('local', () => to(), site(scope, s.span), undefined, EMPTY);
      }
      return;
    }
    case 'return': {
      const r = scope.routine;
      if (r === undefined) {
        // In a thread body, return ends the thread; nothing would receive a value.
        if (s.value !== undefined)
          report(
            ctx,
            'ML2035',
            scope.file,
            s.value.span,
            "A thread has no caller to return a value to: write 'return;', or store the value in a register first.",
          );
        threadEndJumps(em).push(em.jump(site(scope, s.span)));
        return;
      }
      if (s.value !== undefined) {
        const dest: Dest = { kind: 'reg', slot: r.retSlot };
        if (s.value.kind === 'call' && isStatementCall(ctx, s.value.callee))
          compileCall(em, scope, s.value, dest, s.span);
        else emitEval(em, scope, s.span, compileExpr(env, s.value), dest);
      }
      r.exitJumps.push(em.jump(site(scope, s.span)));
      return;
    }
    case 'choose': {
      if (scope.atomic) {
        report(
          ctx,
          'ML2017',
          scope.file,
          s.span,
          "'choose' cannot be used inside 'atomic': an atomic block is one step with one outcome.",
        );
        return;
      }
      if (s.branches.length > MAX_CHOOSE_BRANCHES) {
        // A step is labelled by its thread and branch in 16 bits (runner.ts stepLabel).
        report(
          ctx,
          'ML2024',
          scope.file,
          s.span,
          `A 'choose' has at most ${MAX_CHOOSE_BRANCHES} branches; this one has ${s.branches.length}.`,
        );
        return;
      }
      const targets: number[] = [];
      em.emit('choose', () => BLOCKED, site(scope, s.span, 'choose'), targets, EMPTY);
      const ends: { pc: number }[] = [];
      for (const b of s.branches) {
        targets.push(em.pc);
        compileBlock(em, scope, b);
        ends.push(em.jump(site(scope, b.span)));
      }
      for (const j of ends) j.pc = em.pc;
      return;
    }
    case 'await': {
      const c = compileExpr(env, s.test);
      const pc = em.pc;
      const f = c.fn;
      em.emit(
        'shared',
        (x) => {
          const v = f(x);
          return x.blocked || v === 0 ? BLOCKED : pc + 1;
        },
        site(scope, s.span),
        undefined,
        condFootprint(env, c, s.test),
      );
      return;
    }
    case 'assert': {
      const c = compileExpr(env, s.test);
      const pc = em.pc;
      const f = c.fn;
      const text = textOf(scope.file, s.test.span);
      em.emit(
        c.shared ? 'shared' : 'local',
        (x) => {
          const v = f(x);
          if (x.blocked) return BLOCKED;
          if (v === 0) x.violate(ASSERTION, () => `assert(${text}) failed`);
          return pc + 1;
        },
        site(scope, s.span),
        undefined,
        condFootprint(env, c, s.test),
      );
      return;
    }
    case 'atomic': {
      const start = em.pc;
      const end = { pc: -1 };
      const code = em.code;
      em.emit(
        'shared',
        (x) => {
          // Runs the whole block as one step; a block that would block anywhere is not enabled.
          let pc = start + 1;
          let budget = ATOMIC_BUDGET;
          while (pc > start && pc < end.pc) {
            const ins = code[pc]!;
            pc = ins.run(x);
            if (pc === BLOCKED || x.blocked) return BLOCKED;
            if (x.th.status !== 0) return end.pc;
            if (--budget === 0) throw new LoopError();
          }
          return pc;
        },
        site(scope, s.span, 'atomic {'),
      );
      compileBlock(em, { ...scope, atomic: true }, s.body);
      end.pc = em.pc;
      // The block is one step: it touches what its statements touch.
      let fp: Footprint | undefined = EMPTY;
      for (let pc = start + 1; pc < end.pc; pc++) fp = union(fp, code[pc]!.fp);
      if (fp !== undefined) code[start] = { ...code[start]!, fp };
      return;
    }
    case 'foreach':
      compileWalk(em, scope, s);
      return;
    case 'block':
      compileBlock(em, scope, s.body);
      return;
    case 'goto': {
      // Checked by bodyLabels (labels.ts); an invalid goto was reported there.
      const target = scope.labels?.targets.get(s.label);
      if (target === undefined || !scope.labels!.valid.has(s)) return;
      // The foreach loops the goto leaves forget their cursors, as their exit does after a break.
      const cursors = scope.loops
        .slice(target.loopDepth)
        .map((l) => l.cursor)
        .filter((c) => c !== undefined);
      const to = { pc: -1 };
      target.jumps.push(to);
      em.emit(
        'local',
        (x) => {
          for (const c of cursors) clearCursor(x, c);
          return to.pc;
        },
        site(scope, s.span),
        undefined,
        EMPTY,
      );
      return;
    }
    case 'label': {
      // Gotos only jump forward: every jump to this label is already emitted.
      const target = scope.labels?.targets.get(s.name);
      if (target !== undefined) for (const j of target.jumps) j.pc = em.pc;
      return;
    }
  }
}

export const ATOMIC_BUDGET = 100_000;

/** Limits of a step's label (runner.ts stepLabel): 8 bits of branch, 8 of thread. */
export const MAX_CHOOSE_BRANCHES = 256;
export const MAX_THREADS = 255;

/** Thrown when a thread runs too long without a scheduling point (caught by the system). */
export class LoopError extends Error {}

const endJumps = new WeakMap<Emitter, { pc: number }[]>();

/** Jumps to the end of the thread, patched when the thread's code is complete. */
export function threadEndJumps(em: Emitter): { pc: number }[] {
  let j = endJumps.get(em);
  if (j === undefined) {
    j = [];
    endJumps.set(em, j);
  }
  return j;
}

export function textOf(file: SourceFile, span: Span): string {
  return file.text.slice(span.start, span.end).replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Calls that run steps of their own

export function compileCall(
  em: Emitter,
  scope: Scope,
  call: Extract<Expr, { kind: 'call' }>,
  dest: Dest,
  span: Span,
): void {
  const ctx = em.ctx;
  const name = call.callee;
  if (call.variant === undefined) {
    // Accesses and notifier calls leave their registers zero on every path that goes on
    // (access.ts, notifiers.ts), so they are released at the end of the call.
    const mark = em.regMark;
    if (name === 'load' || name === 'store') {
      compileAccess(em, scope, call, dest, span);
      em.releaseRegs(mark);
      return;
    }
    if (name === 'page_vma_mapped_walk_done') {
      compileWalkDone(em, scope, call, span);
      return;
    }
    if (isNotifierCall(name)) {
      compileNotifier(em, scope, call, dest, span);
      em.releaseRegs(mark);
      return;
    }
    if (needsCallbacks(ctx, name)) {
      compileNotifyingPrimitive(em, scope, call, dest, span);
      em.releaseRegs(mark);
      return;
    }
  }
  if (isNotifierCall(name)) {
    // A bug-injected variant of a core call (notifiers.ts says which exist).
    const mark = em.regMark;
    compileNotifier(em, scope, call, dest, span);
    em.releaseRegs(mark);
    return;
  }
  const def = findRoutine(ctx, scope, name, call.variant, call.calleeSpan);
  if (def === undefined) return;
  if (def.params.length !== call.args.length) {
    report(
      ctx,
      'ML2003',
      scope.file,
      span,
      `'${routineLabel(def)}' takes ${def.params.length} argument${def.params.length === 1 ? '' : 's'}, not ${call.args.length}.`,
    );
    return;
  }
  const key = routineLabel(def);
  if (scope.inlining.includes(key)) {
    report(
      ctx,
      'ML2005',
      scope.file,
      call.calleeSpan,
      `'${key}' calls itself; routines are inlined, so recursion is not allowed.`,
    );
    return;
  }
  const env = envOf(em, scope);
  const args = call.args.map((a) => compileExpr(env, a));
  inlineBody(em, scope, {
    label: key,
    params: def.params,
    body: def.body,
    file: def.file,
    sec: undefined,
    seesTest: def.file === ctx.testFile,
    args,
    dest,
    callSpan: span,
  });
}

export function routineLabel(def: RoutineDef): string {
  return def.variant === undefined ? def.name : `${def.name}@${def.variant}`;
}

/**
 * Finds `name[@variant]`: a routine of the test first, then the prelude. Without a variant: the
 * unversioned definition, else the newest `vX.Y` variant not newer than the test's kernel.
 */
export function findRoutine(
  ctx: CompileCtx,
  scope: Scope,
  name: string,
  variant: string | undefined,
  span: Span,
): RoutineDef | undefined {
  const local = ctx.testRoutines.filter((r) => r.name === name);
  const candidates = local.length > 0 ? local : ctx.prelude.routines.filter((r) => r.name === name);
  if (candidates.length === 0) {
    report(
      ctx,
      'ML2002',
      scope.file,
      span,
      `Unknown routine or primitive '${name}${variant === undefined ? '' : `@${variant}`}'.`,
    );
    return undefined;
  }
  if (variant === undefined) ctx.resolved.add(name);
  const found = pickVariant(candidates, variant ?? ctx.variants.get(name), ctx.version);
  if (found === undefined) {
    const have = candidates.map(routineLabel).join(', ');
    const why = variant === undefined ? `no variant for kernel ${ctx.version}` : `no variant '${variant}'`;
    report(ctx, 'ML2016', scope.file, span, `'${name}' has ${why} (available: ${have}).`);
  }
  return found;
}

export function pickVariant<T extends { variant: string | undefined }>(
  candidates: readonly T[],
  variant: string | undefined,
  version: string,
): T | undefined {
  if (variant !== undefined) return candidates.find((r) => r.variant === variant);
  const plain = candidates.find((r) => r.variant === undefined);
  if (plain !== undefined) return plain;
  let best: T | undefined;
  for (const r of candidates) {
    const v = r.variant!;
    if (!looksLikeVersion(v) || compareVersionNames(v, version) > 0) continue;
    if (best === undefined || compareVersionNames(v, best.variant!) > 0) best = r;
  }
  return best;
}

export interface InlineSpec {
  readonly label: string;
  readonly params: readonly Param[];
  readonly body: Block;
  readonly file: SourceFile;
  readonly sec: SecondaryInfo | undefined;
  readonly seesTest: boolean;
  /** Argument values, compiled in the caller's scope. */
  readonly args: readonly CExpr[];
  readonly dest: Dest;
  readonly callSpan: Span;
}

/**
 * Inlines a body: binds parameters (one instruction; a step if an argument reads shared state),
 * gives every local a register, compiles the body, and at the exit stores the return value, clears
 * every register the routine allocated (so that states stay canonical) and releases them.
 */
export function inlineBody(em: Emitter, scope: Scope, spec: InlineSpec): void {
  const ctx = em.ctx;
  const mark = em.regMark;
  const names = new Map<string, Binding>();
  const paramSlots: number[] = [];
  for (const p of spec.params) {
    const slot = em.newReg(`${spec.label}.${p.name}`, spec.args[paramSlots.length]?.type ?? 'int');
    names.set(p.name, { kind: 'reg', slot });
    paramSlots.push(slot);
  }
  for (const [name, span] of assignedNames(spec.body)) {
    if (names.has(name)) continue;
    if (spec.seesTest && ['frame', 'vma', 'lock'].includes(ctx.testNames.get(name)?.kind ?? '')) {
      report(
        ctx,
        'ML2007',
        spec.file,
        span,
        `Cannot assign to '${name}': it is a ${ctx.testNames.get(name)!.kind}, not a register.`,
      );
      continue;
    }
    const constant = ctx.constants.get(name);
    if (constant !== undefined && (constant.prelude || spec.seesTest)) {
      report(ctx, 'ML2007', spec.file, span, `Cannot assign to '${name}': it is a constant, not a register.`);
      continue;
    }
    // Assignments in the test's own code may write globals and secondary variables.
    if (spec.sec?.varNames.includes(name)) continue;
    if (spec.seesTest && ctx.globals.has(name)) continue;
    const slot = em.newReg(`${spec.label}.${name}`);
    names.set(name, { kind: 'reg', slot });
  }
  const retSlot = em.newReg(`${spec.label}.return`);
  const inner: Scope = {
    file: spec.file,
    names,
    seesTest: spec.seesTest,
    sec: spec.sec,
    routine: { retSlot, exitJumps: [] },
    loops: [],
    chain: [...scope.chain, { callee: spec.label, file: scope.file, span: spec.callSpan }],
    inlining: [...scope.inlining, spec.label],
    atomic: scope.atomic,
  };
  // Bind the parameters.
  const argFns = spec.args.map((a) => a.fn);
  const shared = spec.args.some((a) => a.shared);
  const pc = em.pc;
  em.emit(
    shared ? 'shared' : 'local',
    (x) => {
      // The parameters' registers are above every register the arguments can read (the
      // caller's), so each argument goes straight to its register.
      for (let i = 0; i < argFns.length; i++) x.th.regs[paramSlots[i]!] = argFns[i]!(x);
      if (x.blocked) return BLOCKED;
      return pc + 1;
    },
    site(scope, spec.callSpan),
    undefined,
    shared ? undefined : EMPTY,
  );
  compileBody(em, inner, spec.body);
  const exit = em.pc;
  for (const j of inner.routine!.exitJumps) j.pc = exit;
  const dest = spec.dest;
  // The call's value has the type of what the routine returns (a pte, a frame…), for traces.
  setType(em, dest, em.regTypes[retSlot] ?? 'int');
  const toVar = dest?.kind === 'var';
  const store = dest?.kind === 'reg' ? dest.slot : -1;
  // Every register allocated since `mark` is the routine's (its locals, and the cursors and
  // temporaries of what its body compiled); none is read after the exit but `retSlot`, below.
  const high = em.regCount;
  em.emit(
    'local',
    (x) => {
      const regs = x.th.regs;
      const ret = regs[retSlot]!;
      for (let s = mark; s < high; s++) regs[s] = 0;
      if (store >= 0) regs[store] = ret;
      else if (toVar) regs[retSlot] = ret;
      return exit + 1;
    },
    site(inner, spec.body.span, `return from ${spec.label}`),
    undefined,
    EMPTY,
  );
  if (toVar) {
    // Writing a global is a step of its own.
    const index = dest.index;
    const pc2 = em.pc;
    em.emit(
      'shared',
      (x) => {
        wVars(x.s)[index] = x.th.regs[retSlot]!;
        x.th.regs[retSlot] = 0;
        return pc2 + 1;
      },
      site(scope, spec.callSpan),
      undefined,
      { reads: [], writes: [varObject(index)] },
    );
  }
  em.releaseRegs(mark);
}
