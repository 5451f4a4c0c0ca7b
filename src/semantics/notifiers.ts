// The MMU-notifier core (mm/mmu_notifier.c) as the configured kernel version runs it: which
// callbacks of which registered secondaries run, in which order, and the bookkeeping behind the
// `notifier-imbalance` and `unnotified-change` properties. A notifier call is one step of the
// calling thread (the core's part), followed by the callbacks inlined as steps of the same
// thread, in the order the kernel calls them: the hlist subscriptions last-registered first, the
// interval subscriptions (v5.5+) before them (DESIGN §2.7, §3.2; hlistOrder below).

import type { CallbackName, Expr, LitmusFile } from '../lang/ast.js';
import type { Span } from '../lang/source.js';
import { isPresent, pteFrame } from '../model/entry.js';
import { NOTIFIER_IMBALANCE } from '../model/properties.js';
import { wSubOpen, wVars } from '../model/scratch.js';
import * as u from '../model/u64.js';
import { atLeast, type KernelVersion } from '../model/version.js';
import { type CompileCtx, type Emitter, report, type Scope, site } from './context.js';
import { availableIn, type CExpr, checkPrimitive, compileExpr, exprFootprint } from './expr.js';
import { CORE_OBJECT, EMPTY, type Footprint, union, varObject } from './footprint.js';
import { gatherFlushAfter, gatherFlushRun } from './gather.js';
import {
  closeBracket,
  ModelError,
  mightSleep,
  notifyCovers,
  openBracket,
  PAGE_SIZE,
  PMD_SIZE,
  pageSpan,
  reviewInvalidation,
} from './mm.js';
import { PRIMITIVES } from './primitives.js';
import { BLOCKED, type Exec, type SecondaryInfo } from './program.js';
import {
  GONE,
  HASHED,
  isHashed,
  srcuReadLock,
  srcuReadUnlock,
  subState,
  synchronizeBegin,
  synchronizeWaits,
  UNHASHED,
  unhash,
} from './srcu.js';
import { type Dest, envOf, inlineBody } from './stmt.js';

interface NotifierApi {
  readonly arity: number;
  readonly since?: KernelVersion;
  readonly removedIn?: KernelVersion;
  /** The kernel that added it, when that is not one of the model's versions. */
  readonly addedIn?: string;
}

const APIS: ReadonlyMap<string, NotifierApi> = new Map<string, NotifierApi>([
  ['mmu_notifier_invalidate_range_start', { arity: 2 }],
  ['mmu_notifier_invalidate_range_start_nonblock', { arity: 2, since: 'v5.5' }],
  ['mmu_notifier_invalidate_range_end', { arity: 2 }],
  ['mmu_notifier_invalidate_range_only_end', { arity: 2, since: 'v4.15', removedIn: 'v6.6' }],
  ['mmu_notifier_invalidate_range', { arity: 2, removedIn: 'v6.6' }],
  ['mmu_notifier_invalidate_page', { arity: 1, removedIn: 'v4.13' }],
  ['mmu_notifier_change_pte', { arity: 2, removedIn: 'v6.10' }],
  ['mmu_notifier_clear_flush_young', { arity: 2 }],
  ['mmu_notifier_arch_invalidate_secondary_tlbs', { arity: 2, since: 'v6.6' }],
  ['mmu_notifier_release', { arity: 0 }],
  // A subscription leaving (srcu.ts). mmu_notifier_unregister() has had its shape since v3.10
  // (d34883d4e35c); the get/put API came with v5.4, which the model's kernels meet from v5.5.
  ['mmu_notifier_unregister', { arity: 1 }],
  ['mmu_notifier_put', { arity: 1, since: 'v5.5', addedIn: 'v5.4' }],
  ['mmu_notifier_synchronize', { arity: 0, since: 'v5.5', addedIn: 'v5.4' }],
]);

/**
 * Bug-injected variants of core calls, chosen at the call (`mmu_notifier_unregister@751efd8610d3(s)`):
 * not kernel versions the model has, but the history to check against.
 */
const VARIANTS: ReadonlyMap<string, readonly string[]> = new Map([['mmu_notifier_unregister', ['751efd8610d3']]]);

/** The calls that let a subscription leave the list: a test that makes one gets srcu.ts. */
const LEAVING = new Set(['mmu_notifier_unregister', 'mmu_notifier_put', 'mmu_notifier_synchronize']);

export function isNotifierCall(name: string): boolean {
  return APIS.has(name);
}

/** Whether the test's own code (threads, routines, secondaries) calls one of LEAVING. */
export function lettingLeave(test: LitmusFile): boolean {
  const seen = new Set<object>();
  const scan = (v: unknown): boolean => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return false;
    seen.add(v);
    if (Array.isArray(v)) return v.some(scan);
    const node = v as { kind?: unknown; callee?: unknown };
    if (node.kind === 'call' && typeof node.callee === 'string' && LEAVING.has(node.callee)) return true;
    for (const [k, c] of Object.entries(v)) if (k !== 'span' && k !== 'file' && scan(c)) return true;
    return false;
  };
  return scan(test.threads) || scan(test.routines) || scan(test.secondaries);
}

/**
 * In a test that lets a secondary leave, the walk's visit of subscription `s`: one step that
 * reads the list (hlist_for_each_entry_rcu() reaching the node) and skips `s`'s callbacks if it
 * was unhashed before. `done()` marks where they end.
 */
function visit(em: Emitter, scope: Scope, span: Span, s: SecondaryInfo): { done(): void } {
  if (!em.ctx.srcu) return { done() {} };
  const pc = em.pc;
  const skip = { pc: -1 };
  const index = s.index;
  em.emit(
    'shared',
    (x) => (isHashed(x, index) ? pc + 1 : skip.pc),
    site(scope, span, `hlist_for_each_entry_rcu(): ${s.name}, unless unhashed`),
  );
  return {
    done() {
      skip.pc = em.pc;
    },
  };
}

/** The step that ends a walk's SRCU read-side section (srcu_read_unlock()), if it is one. */
function readUnlock(em: Emitter, scope: Scope, span: Span, on: boolean): void {
  if (!on) return;
  const pc = em.pc;
  em.emit(
    'shared',
    (x) => {
      srcuReadUnlock(x);
      return pc + 1;
    },
    site(scope, span, 'srcu_read_unlock(&srcu)'),
  );
}

/** `sec`'s ->release, if it has one, then the srcu_read_unlock() ending the section it ran in. */
function releaseUnderSrcu(em: Emitter, scope: Scope, span: Span, sec: SecondaryInfo): void {
  if (sec.def.callbacks.some((c) => c.name === 'release')) emitCallback(em, scope, sec, 'release', [], undefined, span);
  readUnlock(em, scope, span, true);
}

/**
 * synchronize_srcu(&srcu): a step that records the readers under way and, if there are any, a
 * step that can only be taken once they have all left their sections.
 */
function emitSynchronize(em: Emitter, scope: Scope, span: Span, what: string): void {
  const pc = em.pc;
  em.emit('shared', (x) => (synchronizeBegin(x, what) ? pc + 1 : pc + 2), site(scope, span, 'synchronize_srcu(&srcu)'));
  em.emit(
    'shared',
    (x) => (synchronizeWaits(x) ? BLOCKED : pc + 2),
    site(scope, span, 'synchronize_srcu(&srcu): the readers it waited for have left'),
  );
}

/**
 * The subscriptions on the mm's hlist, in the order the core walks it: __mmu_notifier_register()
 * adds a subscription with hlist_add_head_rcu() (mm/mmu_notifier.c, v4.12 through v6.10), and
 * every notifier call walks the list from its head with hlist_for_each_entry_rcu(), so the
 * secondary registered last is called first.
 */
function hlistOrder(ctx: CompileCtx): SecondaryInfo[] {
  return ctx.secondaries.slice().reverse();
}

/** Secondaries on the hlist that implement `cb`, in the order the core calls them. */
function implementing(ctx: CompileCtx, cb: CallbackName): SecondaryInfo[] {
  return hlistOrder(ctx).filter((s) => s.def.callbacks.some((c) => c.name === cb));
}

function callbackOf(s: SecondaryInfo, cb: CallbackName) {
  return s.def.callbacks.find((c) => c.name === cb)!;
}

/** Interval-notifier subscriptions (v5.5+): secondaries that implement `invalidate`. */
function intervalSubs(ctx: CompileCtx): SecondaryInfo[] {
  // MODEL: the interval tree (mn_itree_inv_start_range()) visits the overlapping intervals in
  // tree order; every interval here covers the whole address space, and they are visited in
  // registration order.
  if (!atLeast(ctx.version, 'v5.5')) return [];
  return ctx.secondaries.filter((s) => s.def.callbacks.some((c) => c.name === 'invalidate'));
}

/** Inlines secondary `s`'s callback `cb` with argument registers; the result goes to `dest`. */
function emitCallback(
  em: Emitter,
  scope: Scope,
  s: SecondaryInfo,
  cb: CallbackName,
  argSlots: readonly number[],
  dest: Dest,
  span: Span,
): void {
  const def = callbackOf(s, cb);
  const args: CExpr[] = def.params.map((_, i) => {
    const slot = argSlots[i];
    return { fn: slot === undefined ? () => 0 : (x: Exec) => x.th.regs[slot]!, type: 'int', shared: false };
  });
  inlineBody(em, scope, {
    label: `${s.name}.${cb}`,
    params: def.params,
    body: def.body,
    file: s.def.file,
    sec: s,
    seesTest: s.def.file === em.ctx.testFile,
    args,
    dest,
    callSpan: span,
  });
}

/** A local instruction; without `fp` it counts as touching anything (footprint.ts). */
function local(em: Emitter, scope: Scope, span: Span, text: string, f: (x: Exec) => void, fp?: Footprint): void {
  const pc = em.pc;
  em.emit(
    'local',
    (x) => {
      f(x);
      return pc + 1;
    },
    site(scope, span, text),
    undefined,
    fp,
  );
}

/** What the bookkeeping after a callback touches: a subscription's open-start count (`subOpen`). */
const SUB_OPEN: Footprint = { reads: [CORE_OBJECT], writes: [CORE_OBJECT] };

/** After a subscription's ->invalidate_range_end returns: the start it balances is closed. */
function endReturns(em: Emitter, scope: Scope, span: Span, s: SecondaryInfo): void {
  const index = s.index;
  local(
    em,
    scope,
    span,
    `${s.name}.invalidate_range_end returns`,
    (x) => {
      if (x.m.subOpen[index]! > 0) wSubOpen(x.s)[index]!--;
    },
    SUB_OPEN,
  );
}

/**
 * What the core's step of invalidate_range_start/_end touches: the caller's brackets and
 * non-blockable depth, the interval tree's sequence and active count, SRCU (all the core), and
 * might_sleep()'s question whether the caller holds a spinlock (mm.ts inAtomic: no object).
 */
const CORE_STEP: Footprint = { reads: [CORE_OBJECT], writes: [CORE_OBJECT] };

export function compileNotifier(
  em: Emitter,
  scope: Scope,
  call: Extract<Expr, { kind: 'call' }>,
  dest: Dest,
  span: Span,
): void {
  const ctx = em.ctx;
  const name = call.callee;
  const api = APIS.get(name)!;
  if (call.variant !== undefined && !(VARIANTS.get(name) ?? []).includes(call.variant)) {
    const have = [...VARIANTS].flatMap(([n, vs]) => vs.map((v) => `${n}@${v}`)).join(', ');
    report(
      ctx,
      'ML2016',
      scope.file,
      call.calleeSpan,
      `'${name}' has no variant '${call.variant}' (the core's calls have one bug-injected variant: ${have}).`,
    );
    return;
  }
  if (call.args.length !== api.arity) {
    report(
      ctx,
      'ML2003',
      scope.file,
      span,
      `'${name}' takes ${api.arity} argument${api.arity === 1 ? '' : 's'}, not ${call.args.length}.`,
    );
    return;
  }
  if (api.addedIn !== undefined && api.since !== undefined && !atLeast(ctx.version, api.since)) {
    report(
      ctx,
      'ML2004',
      scope.file,
      call.calleeSpan,
      `'${name}' does not exist in kernel ${ctx.version}: it was added in ${api.addedIn} (the model's kernels have it from ${api.since}).`,
    );
    return;
  }
  if (!availableIn(ctx, scope, name, call.calleeSpan, api.since, api.removedIn)) return;
  if (name === 'mmu_notifier_unregister' || name === 'mmu_notifier_put') {
    compileLeave(em, scope, call, dest, span);
    return;
  }
  const env = envOf(em, scope);
  const args = call.args.map((a) => compileExpr(env, a));
  const label = name.replace(/^mmu_notifier_/, '');
  const rs = em.newReg(`${label}.start`);
  const re = em.newReg(`${label}.end`);
  const ret = em.newReg(`${label}.ret`);
  const tmp = em.newReg(`${label}.cb`);
  const seq = em.newReg(`${label}.cur_seq`);
  const hidden = [rs, re, ret, tmp, seq];
  const st = site(scope, span);
  const version = ctx.version;
  const fa = args.map((a) => a.fn);

  // The core's own step: evaluates the arguments and does the bookkeeping. With `fp`, what the
  // bookkeeping touches (the arguments' reads are added).
  let argsFp: Footprint | undefined = EMPTY;
  for (const a of call.args) argsFp = union(argsFp, exprFootprint(env, a));
  const core = (f: (x: Exec, s: u.U64, e: u.U64) => void, fp?: Footprint): void => {
    const pc = em.pc;
    em.emit(
      'shared',
      (x) => {
        const s = fa[0] ? fa[0](x) : 0;
        const e = fa[1] ? fa[1](x) : name === 'mmu_notifier_invalidate_page' ? u.add(s, PAGE_SIZE) : 0;
        if (x.blocked) return BLOCKED;
        x.th.regs[rs] = s;
        x.th.regs[re] = e;
        x.th.regs[ret] = 0;
        f(x, s, e);
        return pc + 1;
      },
      st,
      undefined,
      fp === undefined ? undefined : union(argsFp, fp),
    );
  };
  const argRegs2 = [rs, re];
  // The call's return: `f` closes the caller's own bracket and forgets its notified changes (the
  // core), then the result goes to a register or a variable.
  const finishFp: Footprint = {
    reads: [CORE_OBJECT],
    writes: dest?.kind === 'var' ? [CORE_OBJECT, varObject(dest.index)] : [CORE_OBJECT],
  };
  const finish = (f?: (x: Exec) => void): void => {
    const store = dest === undefined ? undefined : dest;
    local(
      em,
      scope,
      span,
      `${name} returns`,
      (x) => {
        f?.(x);
        const r = x.th.regs[ret]!;
        for (const h of hidden) x.th.regs[h] = 0;
        if (store?.kind === 'reg') x.th.regs[store.slot] = r;
        else if (store?.kind === 'var') wVars(x.s)[store.index] = r;
      },
      finishFp,
    );
  };

  // In a test that lets a secondary leave, the core's step also begins the walk's SRCU read-side
  // section when the walk runs a callback (srcu.ts); `readUnlock` ends it.
  const srcuOn = (subs: readonly SecondaryInfo[]): boolean => ctx.srcu && subs.length > 0;

  switch (name) {
    case 'mmu_notifier_invalidate_range_start':
    case 'mmu_notifier_invalidate_range_start_nonblock': {
      const blockable = name === 'mmu_notifier_invalidate_range_start';
      const itree = intervalSubs(ctx);
      const starts = implementing(ctx, 'invalidate_range_start');
      const failEnds = !blockable && atLeast(version, 'v5.12') ? implementing(ctx, 'invalidate_range_end') : [];
      const on = srcuOn([...starts, ...failEnds]);
      core((x, s, e) => {
        if (blockable) mightSleep(x, name);
        openBracket(x.th, s, e, false);
        if (!blockable) x.th.nonblock++;
        if (atLeast(version, 'v5.5')) {
          // mn_itree_inv_start_range(): the sequence goes odd while an interval overlaps.
          x.m.itreeActive++;
          if (itree.length > 0) x.m.itreeSeq |= 1;
          x.th.regs[seq] = x.m.itreeSeq;
        }
        if (on) srcuReadLock(x);
      }, CORE_STEP);
      const finishTail = { pc: -1 };
      for (const s of itree) {
        emitCallback(em, scope, s, 'invalidate', [rs, re, seq], { kind: 'reg', slot: tmp }, span);
        if (!blockable) {
          // mn_itree_invalidate(): a subscription that would block ends the walk with -EAGAIN.
          const pc = em.pc;
          em.emit(
            'local',
            (x) => {
              if (x.th.regs[tmp] !== 0) return pc + 1;
              x.th.regs[ret] = u.neg(11);
              itreeEnd(x);
              // __mmu_notifier_invalidate_range_start() returns here: the hlist subscriptions
              // were not started, so they get no _end either.
              return finishTail.pc;
            },
            site(scope, span, `${name}: invalidate() of ${s.name} returned false`),
          );
        }
      }
      for (const s of starts) {
        const v = visit(em, scope, span, s);
        emitCallback(em, scope, s, 'invalidate_range_start', argRegs2, { kind: 'reg', slot: tmp }, span);
        const index = s.index;
        // Only a subscription with an _end can miss it: start-only drivers (amdgpu in 2017) are
        // balanced by construction.
        const hasEnd = s.def.callbacks.some((c) => c.name === 'invalidate_range_end');
        local(
          em,
          scope,
          span,
          `${s.name}.invalidate_range_start returns`,
          (x) => {
            const r = x.th.regs[tmp]!;
            if (r !== 0 && !blockable) x.th.regs[ret] = r;
            else if (hasEnd) wSubOpen(x.s)[index]!++;
            x.th.regs[tmp] = 0;
          },
          SUB_OPEN,
        );
        v.done();
      }
      if (!blockable && atLeast(version, 'v5.12')) {
        // c2655835fd8c: when a start failed, the core calls invalidate_range_end on every
        // subscription that implements it, so that the ones whose start succeeded are balanced.
        const skip = { pc: -1 };
        const pc = em.pc;
        em.emit('local', (x) => (x.th.regs[ret] !== 0 ? pc + 1 : skip.pc), site(scope, span, `${name} failed`));
        for (const s of failEnds) {
          const v = visit(em, scope, span, s);
          emitCallback(em, scope, s, 'invalidate_range_end', argRegs2, undefined, span);
          endReturns(em, scope, span, s);
          v.done();
        }
        skip.pc = em.pc;
      }
      finishTail.pc = em.pc;
      readUnlock(em, scope, span, on);
      finish((x) => {
        if (!blockable) {
          x.th.nonblock--;
          if (x.th.regs[ret] !== 0) {
            // The caller must not call _end: the bracket is remembered as failed.
            closeBracket(x.th, x.th.regs[rs]!, x.th.regs[re]!);
            openBracket(x.th, x.th.regs[rs]!, x.th.regs[re]!, true);
          }
        }
      });
      return;
    }
    case 'mmu_notifier_invalidate_range_end':
    case 'mmu_notifier_invalidate_range_only_end': {
      const onlyEnd = name === 'mmu_notifier_invalidate_range_only_end';
      const threadName = em.threadName;
      const callsRange = (s: SecondaryInfo): boolean =>
        s.def.callbacks.some((c) => c.name === 'invalidate_range') && !onlyEnd && !atLeast(version, 'v6.6');
      const callsEnd = (s: SecondaryInfo): boolean => s.def.callbacks.some((c) => c.name === 'invalidate_range_end');
      const subs = hlistOrder(ctx).filter((s) => callsRange(s) || callsEnd(s));
      const on = srcuOn(subs);
      core((x, s, e) => {
        const status = bracketStatus(x, s, e);
        if (status === 'missing') {
          x.violate(
            NOTIFIER_IMBALANCE,
            () => `${threadName} calls ${name}(${u.hex(s)}, ${u.hex(e)}) without a matching _start`,
          );
        } else if (status === 'failed') {
          x.violate(NOTIFIER_IMBALANCE, () => `${threadName} calls ${name} after a failed non-blocking _start`);
        } else if (status === 'ok-blockable') {
          mightSleep(x, name);
        }
        if (atLeast(version, 'v5.5')) itreeEnd(x);
        if (on) srcuReadLock(x);
      }, CORE_STEP);
      for (const s of subs) {
        const v = visit(em, scope, span, s);
        // v4.13–v6.5 __mmu_notifier_invalidate_range_end(): ->invalidate_range, then ->invalidate_range_end.
        if (callsRange(s)) emitCallback(em, scope, s, 'invalidate_range', argRegs2, undefined, span);
        if (callsEnd(s)) {
          emitCallback(em, scope, s, 'invalidate_range_end', argRegs2, undefined, span);
          endReturns(em, scope, span, s);
        }
        v.done();
      }
      readUnlock(em, scope, span, on);
      finish((x) => {
        const s = x.th.regs[rs]!;
        const e = x.th.regs[re]!;
        if (!onlyEnd && !atLeast(version, 'v6.6')) {
          notifyCovers(x, s, e);
          reviewInvalidation(x, s, e, undefined);
        }
        closeBracket(x.th, s, e);
      });
      return;
    }
    case 'mmu_notifier_invalidate_range':
    case 'mmu_notifier_arch_invalidate_secondary_tlbs':
    case 'mmu_notifier_invalidate_page': {
      const cb: CallbackName =
        name === 'mmu_notifier_invalidate_range'
          ? 'invalidate_range'
          : name === 'mmu_notifier_invalidate_page'
            ? 'invalidate_page'
            : 'arch_invalidate_secondary_tlbs';
      const subs = implementing(ctx, cb);
      const on = srcuOn(subs);
      core((x, s, e) => {
        const [ps, pe] = pageSpan(s, e);
        notifyCovers(x, ps, pe);
        reviewInvalidation(x, ps, pe, name);
        if (on) srcuReadLock(x);
      });
      for (const s of subs) {
        const v = visit(em, scope, span, s);
        emitCallback(em, scope, s, cb, argRegs2, undefined, span);
        v.done();
      }
      readUnlock(em, scope, span, on);
      finish();
      return;
    }
    case 'mmu_notifier_change_pte': {
      const subs = implementing(ctx, 'change_pte');
      const on = srcuOn(subs);
      core((x) => {
        if (on) srcuReadLock(x);
      });
      for (const s of subs) {
        const v = visit(em, scope, span, s);
        emitCallback(em, scope, s, 'change_pte', argRegs2, undefined, span);
        v.done();
      }
      readUnlock(em, scope, span, on);
      finish();
      return;
    }
    case 'mmu_notifier_clear_flush_young': {
      const subs = implementing(ctx, 'clear_flush_young');
      const on = srcuOn(subs);
      core((x) => {
        if (on) srcuReadLock(x);
      });
      for (const s of subs) {
        const v = visit(em, scope, span, s);
        emitCallback(em, scope, s, 'clear_flush_young', argRegs2, { kind: 'reg', slot: tmp }, span);
        local(em, scope, span, `${s.name}.clear_flush_young returns`, (x) => {
          if (x.th.regs[tmp] !== 0) x.th.regs[ret] = 1;
          x.th.regs[tmp] = 0;
        });
        v.done();
      }
      readUnlock(em, scope, span, on);
      finish();
      return;
    }
    case 'mmu_notifier_release': {
      // __mmu_notifier_release() (v5.5+): mn_itree_release() first — every interval subscription
      // gets ->invalidate() over [0, ULONG_MAX) with event MMU_NOTIFY_RELEASE, blockable, between
      // mn_itree_inv_start_range() (the sequence goes odd) and mn_itree_inv_end() — then
      // mn_hlist_release(). MODEL: its WARN_ON(!ret) is left out (a blockable ->invalidate
      // returns true).
      const itree = intervalSubs(ctx);
      const releaseItree = (x: Exec): void => {
        if (itree.length === 0) return;
        x.th.regs[re] = u.ULONG_MAX;
        x.m.itreeActive++;
        x.m.itreeSeq |= 1;
        x.th.regs[seq] = x.m.itreeSeq;
      };
      const itreeCallbacks = (): void => {
        if (itree.length === 0) return;
        for (const s of itree)
          emitCallback(em, scope, s, 'invalidate', [rs, re, seq], { kind: 'reg', slot: tmp }, span);
        const pc = em.pc;
        em.emit(
          'shared',
          (x) => {
            x.th.regs[tmp] = 0;
            itreeEnd(x);
            return pc + 1;
          },
          site(scope, span, 'mn_itree_inv_end()'),
        );
      };
      if (!ctx.srcu) {
        core(releaseItree);
        itreeCallbacks();
        for (const s of implementing(ctx, 'release')) emitCallback(em, scope, s, 'release', [], undefined, span);
        finish();
        return;
      }
      // mn_hlist_release() (mm/mmu_notifier.c, v3.10 d34883d4e35c through v6.10; named
      // __mmu_notifier_release() before v5.5): under srcu_read_lock, ->release of every
      // subscription on the list; then, under the subscriptions' lock, every one unhashed
      // (hlist_del_init_rcu(), so that a concurrent mmu_notifier_unregister() finds it unhashed and
      // only waits); srcu_read_unlock; synchronize_srcu(), so that exit_mmap() frees no page while
      // a ->release run by a concurrent mmu_notifier_unregister() is still under way.
      // MODEL: the unhashing and srcu_read_unlock() are one step.
      core((x) => {
        releaseItree(x);
        srcuReadLock(x);
      });
      itreeCallbacks();
      for (const s of implementing(ctx, 'release')) {
        const v = visit(em, scope, span, s);
        emitCallback(em, scope, s, 'release', [], undefined, span);
        v.done();
      }
      const subs = hlistOrder(ctx).filter((s) => !s.def.callbacks.some((c) => c.name === 'invalidate'));
      const pc = em.pc;
      em.emit(
        'shared',
        (x) => {
          for (const s of subs) if (isHashed(x, s.index)) unhash(x, s.index, UNHASHED);
          srcuReadUnlock(x);
          return pc + 1;
        },
        site(scope, span, 'hlist_del_init_rcu() of every subscription; srcu_read_unlock(&srcu)'),
      );
      emitSynchronize(em, scope, span, name);
      finish();
      return;
    }
    case 'mmu_notifier_synchronize': {
      // mmu_notifier_synchronize() (v5.4+): synchronize_srcu(&srcu), which a module using
      // mmu_notifier_put() calls before it frees what its callbacks use.
      emitSynchronize(em, scope, span, name);
      finish();
      return;
    }
  }
}

/**
 * mmu_notifier_unregister(sec) and mmu_notifier_put(sec): the argument names a registered
 * secondary of the hlist (an interval subscription leaves with mmu_interval_notifier_remove(),
 * which the model does not have).
 */
function compileLeave(em: Emitter, scope: Scope, call: Extract<Expr, { kind: 'call' }>, dest: Dest, span: Span): void {
  const ctx = em.ctx;
  const name = call.callee;
  const arg = call.args[0]!;
  const sec = arg.kind === 'name' ? ctx.secondaries.find((s) => s.name === arg.name) : undefined;
  if (sec === undefined) {
    report(
      ctx,
      'ML2090',
      scope.file,
      arg.span,
      `'${name}' takes a secondary registered in the initial state (\`secondary NAME : KIND;\`)${arg.kind === 'name' ? `, and '${arg.name}' is none` : ''}.`,
    );
    return;
  }
  if (sec.def.callbacks.some((c) => c.name === 'invalidate')) {
    report(
      ctx,
      'ML2091',
      scope.file,
      arg.span,
      `'${sec.name}' is an interval subscription (it implements invalidate): it leaves with mmu_interval_notifier_remove(), which the model does not have, not with '${name}'.`,
    );
    return;
  }
  const index = sec.index;
  const st = site(scope, span);
  const store = dest;
  const done = (): void =>
    local(em, scope, span, `${name} returns`, (x) => {
      if (store?.kind === 'reg') x.th.regs[store.slot] = 0;
      else if (store?.kind === 'var') wVars(x.s)[store.index] = 0;
    });
  const twice = (): never => {
    throw new ModelError(
      'ML4080',
      `Secondary ${sec.name} leaves twice: ${name}() after it was already unregistered or put would drop a reference to the mm (and to the subscription) that the driver no longer holds.`,
    );
  };
  if (name === 'mmu_notifier_put') {
    // mmu_notifier_put() (mm/mmu_notifier.c, v5.4 through v6.10): under the subscriptions' lock,
    // the last user unhashes it (hlist_del_init_rcu()), then call_srcu() frees it after a grace
    // period (mmu_notifier_free_rcu(): ->free_notifier, mmdrop). ->release is not called: "the
    // user must ensure that all sptes are dropped, and no new sptes can be established before
    // mmu_notifier_put() is called". MODEL: one user per subscription (no mmu_notifier_get());
    // ->free_notifier is not run — a driver that frees its state calls mmu_notifier_synchronize()
    // first, as the kernel asks of modules.
    const pc = em.pc;
    em.emit(
      'shared',
      (x) => {
        if (subState(x, index) === GONE) twice();
        unhash(x, index, GONE);
        return pc + 1;
      },
      st,
    );
    done();
    return;
  }
  if (call.variant === '751efd8610d3') {
    compileUnregister751efd(em, scope, sec, span, done, twice);
    return;
  }
  // mmu_notifier_unregister() (mm/mmu_notifier.c, the shape of d34883d4e35c, v3.10 through
  // v6.10): if the subscription is still hashed, ->release under srcu_read_lock (so that exit's
  // mmu_notifier_release() waits for it before freeing pages); then hlist_del_init_rcu() under the
  // subscriptions' lock (exit may have unhashed it meanwhile: a no-op then); then synchronize_srcu()
  // for every walk that may still be in one of its callbacks; mmdrop(). Unhashed already by exit's
  // mmu_notifier_release(), which called ->release, it only waits.
  const sync = { pc: -1 };
  const pc = em.pc;
  em.emit(
    'shared',
    (x) => {
      const state = subState(x, index);
      if (state === GONE) twice();
      if (state === HASHED) {
        srcuReadLock(x);
        return pc + 1;
      }
      unhash(x, index, GONE);
      return sync.pc;
    },
    st,
  );
  releaseUnderSrcu(em, scope, span, sec);
  const delPc = em.pc;
  em.emit(
    'shared',
    (x) => {
      // Another thread's unregister or put of the same subscription got here first: between
      // them they drop one reference too many (exit's unhashing, UNHASHED, is no such thing).
      if (subState(x, index) === GONE) twice();
      unhash(x, index, GONE);
      return delPc + 1;
    },
    site(scope, span, `hlist_del_init_rcu(&${sec.name}->hlist) under the subscriptions' lock`),
  );
  sync.pc = em.pc;
  emitSynchronize(em, scope, span, `${name}(${sec.name})`);
  done();
}

function bracketStatus(x: Exec, s: u.U64, e: u.U64): 'missing' | 'failed' | 'ok-blockable' | 'ok' {
  const b = x.th.brackets;
  for (let i = b.length - 3; i >= 0; i -= 3) {
    if (b[i] === s && b[i + 1] === e) return (Number(b[i + 2]) & 1) !== 0 ? 'failed' : 'ok-blockable';
  }
  return 'missing';
}

/** mn_itree_inv_end(): the last active invalidation makes the sequence even again. */
function itreeEnd(x: Exec): void {
  if (x.m.itreeActive > 0) x.m.itreeActive--;
  if (x.m.itreeActive === 0 && (x.m.itreeSeq & 1) !== 0) x.m.itreeSeq++;
}

// ---------------------------------------------------------------------------------------------
// Primitives that notify secondaries as part of their work

interface NotifySpec {
  readonly callback: CallbackName;
  /** The range to notify, or undefined when this call notifies nothing. */
  range(x: Exec, args: readonly u.U64[], before: { batched: number }): [u.U64, u.U64] | undefined;
  /** Settles pending weakened entries (a secondary-TLB invalidation, not an ageing call). */
  readonly covers: boolean;
  /** Written by the routine's author (the *_notify helpers), as opposed to done by the TLB flush. */
  readonly explicit: boolean;
  /**
   * The caller's step when the primitive computes the range itself (the gather's flushes, whose
   * range is the thread's mmu_gather): runs instead of `impl` and `range`.
   */
  readonly run?: (x: Exec, args: readonly u.U64[]) => [u.U64, u.U64] | undefined;
  /** A step of its own after the callbacks (the gather frees its pages only after them). */
  readonly after?: ((x: Exec) => void) | undefined;
}

/** The flushes of the mmu_gather (gather.ts), which notify the secondaries between two steps. */
const GATHER_FLUSHES = new Set(['tlb_flush_mmu_tlbonly', 'tlb_flush_mmu', 'tlb_finish_mmu']);

const pageRange = (_x: Exec, a: readonly u.U64[]): [u.U64, u.U64] => {
  const p = u.and(a[0]!, u.not(PAGE_SIZE - 1));
  return [p, u.add(p, PAGE_SIZE)];
};
const pmdRange = (_x: Exec, a: readonly u.U64[]): [u.U64, u.U64] => {
  const p = u.and(a[0]!, u.not(PMD_SIZE - 1));
  return [p, u.add(p, PMD_SIZE)];
};
const all = (): [u.U64, u.U64] => [0, u.ULONG_MAX];

/** The notification a primitive performs in this kernel version, if any. */
export function notifySpec(version: KernelVersion, name: string): NotifySpec | undefined {
  if (GATHER_FLUSHES.has(name)) {
    // v3.19–v6.5 tlb_flush_mmu_tlbonly(): tlb_flush(), then
    // mmu_notifier_invalidate_range(tlb->mm, tlb->start, tlb->end) (include/asm-generic/tlb.h v4.20+,
    // mm/memory.c before); v6.6: x86 flush_tlb_mm_range() calls
    // mmu_notifier_arch_invalidate_secondary_tlbs() itself. Either way after the CPU flush and
    // before tlb_flush_mmu_free() frees the pages.
    return {
      callback: atLeast(version, 'v6.6') ? 'arch_invalidate_secondary_tlbs' : 'invalidate_range',
      range: () => undefined,
      covers: true,
      explicit: false,
      run: (x, a) => gatherFlushRun(x, name, a),
      after: name === 'tlb_flush_mmu_tlbonly' ? undefined : (x) => gatherFlushAfter(x, name),
    };
  }
  if (name === 'ptep_clear_flush_young_notify') {
    return { callback: 'clear_flush_young', range: pageRange, covers: false, explicit: false };
  }
  if (!atLeast(version, 'v6.6')) {
    // v3.19–v6.5: the *_clear_flush_notify helpers call ->invalidate_range under the PTL.
    if (name === 'ptep_clear_flush_notify')
      return { callback: 'invalidate_range', range: pageRange, covers: true, explicit: true };
    if (name === 'pmdp_huge_clear_flush_notify')
      return { callback: 'invalidate_range', range: pmdRange, covers: true, explicit: true };
    return undefined;
  }
  // v6.6+ (6bbd42e2df8f): the arch TLB flush invalidates the secondary TLBs itself.
  const cb: CallbackName = 'arch_invalidate_secondary_tlbs';
  switch (name) {
    // x86 flush_tlb_mm_range() notifies the range it flushes: one page for flush_tlb_page(), so
    // for ptep_clear_flush() on a hugetlb entry and for huge_ptep_clear_flush(), which is
    // ptep_clear_flush() on x86 (asm-generic/hugetlb.h). MODEL: the notification of a 2 MiB entry
    // is [address, address + PAGE_SIZE): a secondary drops its translations overlapping it (the
    // huge one among them), but the change is not `covered` by it for `unnotified-change`.
    case 'ptep_clear_flush':
    case 'huge_ptep_clear_flush':
    case 'flush_tlb_page':
      return { callback: cb, range: pageRange, covers: true, explicit: false };
    // pmdp_huge_clear_flush()/pmdp_invalidate() flush with flush_pmd_tlb_range(): the whole PMD.
    case 'pmdp_huge_clear_flush':
    case 'pmdp_invalidate':
      return { callback: cb, range: pmdRange, covers: true, explicit: false };
    case 'flush_tlb_range':
      return { callback: cb, range: (_x, a) => [a[0]!, a[1]!], covers: true, explicit: false };
    case 'flush_tlb_mm':
      return { callback: cb, range: all, covers: true, explicit: false };
    case 'set_tlb_ubc_flush_pending':
      // x86 arch_tlbbatch_add_pending(): notifies [0, -1UL) at once, under the PTL, while the CPU
      // flush stays deferred. Nothing happens for an entry the TLB cannot hold.
      return {
        callback: cb,
        range: (_x, a) => {
          const e = Number(a[0]!);
          return isPresent(e) && pteFrame(e) !== 0 ? all() : undefined;
        },
        covers: true,
        explicit: false,
      };
    case 'flush_tlb_batched_pending':
      return {
        callback: cb,
        range: (_x, _a, before) => (before.batched !== 0 ? all() : undefined),
        covers: true,
        explicit: false,
      };
    default:
      return undefined;
  }
}

/** Whether a call to this primitive must be compiled with inlined callbacks. */
export function needsCallbacks(ctx: CompileCtx, name: string): boolean {
  const spec = notifySpec(ctx.version, name);
  return spec !== undefined && (spec.after !== undefined || implementing(ctx, spec.callback).length > 0);
}

/** Wraps a primitive so that its notification's bookkeeping happens (used without callbacks too). */
export function notifyingImpl(
  version: KernelVersion,
  name: string,
): ((x: Exec, a: readonly u.U64[]) => u.U64) | undefined {
  const spec = notifySpec(version, name);
  const p = PRIMITIVES.get(name);
  if (spec === undefined || p === undefined || !spec.covers) return undefined;
  const run = spec.run;
  if (run !== undefined) {
    return (x, a) => {
      const range = run(x, a);
      if (range !== undefined) notifyCovers(x, range[0], range[1]);
      spec.after?.(x);
      return 0;
    };
  }
  return (x, a) => {
    const before = { batched: x.m.batched };
    const r = p.impl(x, a);
    const range = spec.range(x, a, before);
    if (range !== undefined) {
      notifyCovers(x, range[0], range[1]);
      reviewInvalidation(x, range[0], range[1], spec.explicit ? name : undefined);
    }
    return r;
  };
}

export function compileNotifyingPrimitive(
  em: Emitter,
  scope: Scope,
  call: Extract<Expr, { kind: 'call' }>,
  dest: Dest,
  span: Span,
): void {
  const ctx = em.ctx;
  const name = call.callee;
  const p = PRIMITIVES.get(name)!;
  if (!checkPrimitive(ctx, scope, name, call.calleeSpan, span, call.args.length)) return;
  const spec = notifySpec(ctx.version, name)!;
  const env = envOf(em, scope);
  const fa = call.args.map((a) => compileExpr(env, a).fn);
  const rs = em.newReg(`${name}.start`);
  const re = em.newReg(`${name}.end`);
  const rr = em.newReg(`${name}.ret`);
  const on = em.newReg(`${name}.notify`);
  const tmp = em.newReg(`${name}.cb`);
  // The walk over the subscriptions (srcu.ts in a test that lets a secondary leave).
  const subs = implementing(ctx, spec.callback);
  const srcu = ctx.srcu && subs.length > 0;
  const pc = em.pc;
  const skip = { pc: -1 };
  em.emit(
    'shared',
    (x) => {
      const vals = fa.map((f) => f(x));
      if (x.blocked) return BLOCKED;
      x.sec = -1;
      let range: [u.U64, u.U64] | undefined;
      if (spec.run !== undefined) range = spec.run(x, vals);
      else {
        const before = { batched: x.m.batched };
        x.th.regs[rr] = p.impl(x, vals);
        if (x.blocked) return BLOCKED;
        range = spec.range(x, vals, before);
      }
      if (range === undefined) return skip.pc;
      if (spec.covers) {
        notifyCovers(x, range[0], range[1]);
        reviewInvalidation(x, range[0], range[1], spec.explicit ? name : undefined);
      }
      x.th.regs[rs] = range[0];
      x.th.regs[re] = range[1];
      x.th.regs[on] = 1;
      if (srcu) srcuReadLock(x);
      return pc + 1;
    },
    site(scope, span),
  );
  for (const s of subs) {
    const young = spec.callback === 'clear_flush_young';
    const v = visit(em, scope, span, s);
    emitCallback(em, scope, s, spec.callback, [rs, re], young ? { kind: 'reg', slot: tmp } : undefined, span);
    if (young) {
      local(em, scope, span, `${s.name}.clear_flush_young returns`, (x) => {
        if (x.th.regs[tmp] !== 0) x.th.regs[rr] = 1;
        x.th.regs[tmp] = 0;
      });
    }
    v.done();
  }
  readUnlock(em, scope, span, srcu);
  skip.pc = em.pc;
  const after = spec.after;
  if (after !== undefined) {
    const apc = em.pc;
    em.emit(
      'shared',
      (x) => {
        after(x);
        return apc + 1;
      },
      site(scope, span, `${name}: tlb_flush_mmu_free()`),
    );
  }
  const store = dest;
  local(em, scope, span, `${name} returns`, (x) => {
    const r = x.th.regs[rr]!;
    x.th.regs[rs] = 0;
    x.th.regs[re] = 0;
    x.th.regs[rr] = 0;
    x.th.regs[on] = 0;
    if (store?.kind === 'reg') x.th.regs[store.slot] = r;
    else if (store?.kind === 'var') wVars(x.s)[store.index] = r;
  });
}

/**
 * mmu_notifier_unregister() as 751efd8610d3 ("mmu_notifier_unregister NULL Pointer deref and
 * multiple ->release() callouts", v3.9) had it: under the subscriptions' lock and
 * srcu_read_lock, the subscription is unhashed first (hlist_del_rcu()), and only then is its
 * ->release called. A notifier call that begins in between skips it while the driver still has
 * its translations: the page can be freed with the secondary still mapping it — what
 * 3ad3d901bbcf had fixed ("mm: mmu_notifier: fix freed page still mapped in secondary MMU") and
 * d34883d4e35c ("re-fix freed page still mapped in secondary MMU", v3.10) fixed again by calling
 * ->release before the unhash. MODEL: a bug-injected variant, for any kernel of the model.
 */
function compileUnregister751efd(
  em: Emitter,
  scope: Scope,
  sec: SecondaryInfo,
  span: Span,
  done: () => void,
  twice: () => never,
): void {
  const index = sec.index;
  const sync = { pc: -1 };
  const pc = em.pc;
  em.emit(
    'shared',
    (x) => {
      const state = subState(x, index);
      if (state === GONE) twice();
      unhash(x, index, GONE);
      if (state !== HASHED) return sync.pc;
      srcuReadLock(x);
      return pc + 1;
    },
    site(scope, span, `mmu_notifier_unregister@751efd8610d3(${sec.name}): srcu_read_lock(&srcu); hlist_del_rcu()`),
  );
  releaseUnderSrcu(em, scope, span, sec);
  sync.pc = em.pc;
  emitSynchronize(em, scope, span, `mmu_notifier_unregister@751efd8610d3(${sec.name})`);
  done();
}
