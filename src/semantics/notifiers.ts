// The MMU-notifier core (mm/mmu_notifier.c) as the configured kernel version runs it: which
// callbacks of which registered secondaries run, in which order, and the bookkeeping behind the
// `notifier-imbalance` and `unnotified-change` properties. A notifier call is one step of the
// calling thread (the core's part), followed by the callbacks inlined as steps of the same
// thread, in the order the kernel calls them: the hlist subscriptions last-registered first, the
// interval subscriptions (v5.5+) before them (DESIGN §2.7, §3.2; hlistOrder below).

import type { CallbackName, Expr } from '../lang/ast.js';
import type { Span } from '../lang/source.js';
import { isPresent, pteFrame } from '../model/entry.js';
import { NOTIFIER_IMBALANCE } from '../model/properties.js';
import { wSubOpen, wVars } from '../model/scratch.js';
import * as u from '../model/u64.js';
import { atLeast, type KernelVersion } from '../model/version.js';
import { type CompileCtx, type Emitter, report, type Scope, site } from './context.js';
import { availableIn, type CExpr, checkPrimitive, compileExpr } from './expr.js';
import { gatherFlushAfter, gatherFlushRun } from './gather.js';
import {
  closeBracket,
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
import { type Dest, envOf, inlineBody } from './stmt.js';

interface NotifierApi {
  readonly arity: number;
  readonly since?: KernelVersion;
  readonly removedIn?: KernelVersion;
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
]);

export function isNotifierCall(name: string): boolean {
  return APIS.has(name);
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

function local(em: Emitter, scope: Scope, span: Span, text: string, f: (x: Exec) => void): void {
  const pc = em.pc;
  em.emit(
    'local',
    (x) => {
      f(x);
      return pc + 1;
    },
    site(scope, span, text),
  );
}

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
  if (!availableIn(ctx, scope, name, call.calleeSpan, api.since, api.removedIn)) return;
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

  // The core's own step: evaluates the arguments and does the bookkeeping.
  const core = (f: (x: Exec, s: u.U64, e: u.U64) => void): void => {
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
    );
  };
  const argRegs2 = [rs, re];
  const finish = (f?: (x: Exec) => void): void => {
    const store = dest === undefined ? undefined : dest;
    local(em, scope, span, `${name} returns`, (x) => {
      f?.(x);
      const r = x.th.regs[ret]!;
      for (const h of hidden) x.th.regs[h] = 0;
      if (store?.kind === 'reg') x.th.regs[store.slot] = r;
      else if (store?.kind === 'var') wVars(x.s)[store.index] = r;
    });
  };

  switch (name) {
    case 'mmu_notifier_invalidate_range_start':
    case 'mmu_notifier_invalidate_range_start_nonblock': {
      const blockable = name === 'mmu_notifier_invalidate_range_start';
      const itree = intervalSubs(ctx);
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
      });
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
      for (const s of implementing(ctx, 'invalidate_range_start')) {
        emitCallback(em, scope, s, 'invalidate_range_start', argRegs2, { kind: 'reg', slot: tmp }, span);
        const index = s.index;
        // Only a subscription with an _end can miss it: start-only drivers (amdgpu in 2017) are
        // balanced by construction.
        const hasEnd = s.def.callbacks.some((c) => c.name === 'invalidate_range_end');
        local(em, scope, span, `${s.name}.invalidate_range_start returns`, (x) => {
          const r = x.th.regs[tmp]!;
          if (r !== 0 && !blockable) x.th.regs[ret] = r;
          else if (hasEnd) wSubOpen(x.s)[index]!++;
          x.th.regs[tmp] = 0;
        });
      }
      if (!blockable && atLeast(version, 'v5.12')) {
        // c2655835fd8c: when a start failed, the core calls invalidate_range_end on every
        // subscription that implements it, so that the ones whose start succeeded are balanced.
        const skip = { pc: -1 };
        const pc = em.pc;
        em.emit('local', (x) => (x.th.regs[ret] !== 0 ? pc + 1 : skip.pc), site(scope, span, `${name} failed`));
        for (const s of implementing(ctx, 'invalidate_range_end')) {
          emitCallback(em, scope, s, 'invalidate_range_end', argRegs2, undefined, span);
          const index = s.index;
          local(em, scope, span, `${s.name}.invalidate_range_end returns`, (x) => {
            if (x.m.subOpen[index]! > 0) wSubOpen(x.s)[index]!--;
          });
        }
        skip.pc = em.pc;
      }
      finishTail.pc = em.pc;
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
      });
      for (const s of hlistOrder(ctx)) {
        const hasRange = s.def.callbacks.some((c) => c.name === 'invalidate_range');
        // v4.13–v6.5 __mmu_notifier_invalidate_range_end(): ->invalidate_range, then ->invalidate_range_end.
        if (hasRange && !onlyEnd && !atLeast(version, 'v6.6'))
          emitCallback(em, scope, s, 'invalidate_range', argRegs2, undefined, span);
        if (s.def.callbacks.some((c) => c.name === 'invalidate_range_end')) {
          emitCallback(em, scope, s, 'invalidate_range_end', argRegs2, undefined, span);
          const index = s.index;
          local(em, scope, span, `${s.name}.invalidate_range_end returns`, (x) => {
            if (x.m.subOpen[index]! > 0) wSubOpen(x.s)[index]!--;
          });
        }
      }
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
      core((x, s, e) => {
        const [ps, pe] = pageSpan(s, e);
        notifyCovers(x, ps, pe);
        reviewInvalidation(x, ps, pe, name);
      });
      for (const s of implementing(ctx, cb)) emitCallback(em, scope, s, cb, argRegs2, undefined, span);
      finish();
      return;
    }
    case 'mmu_notifier_change_pte': {
      core(() => {});
      for (const s of implementing(ctx, 'change_pte'))
        emitCallback(em, scope, s, 'change_pte', argRegs2, undefined, span);
      finish();
      return;
    }
    case 'mmu_notifier_clear_flush_young': {
      core(() => {});
      for (const s of implementing(ctx, 'clear_flush_young')) {
        emitCallback(em, scope, s, 'clear_flush_young', argRegs2, { kind: 'reg', slot: tmp }, span);
        local(em, scope, span, `${s.name}.clear_flush_young returns`, (x) => {
          if (x.th.regs[tmp] !== 0) x.th.regs[ret] = 1;
          x.th.regs[tmp] = 0;
        });
      }
      finish();
      return;
    }
    case 'mmu_notifier_release': {
      core(() => {});
      for (const s of implementing(ctx, 'release')) emitCallback(em, scope, s, 'release', [], undefined, span);
      finish();
      return;
    }
  }
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
      return pc + 1;
    },
    site(scope, span),
  );
  for (const s of implementing(ctx, spec.callback)) {
    const young = spec.callback === 'clear_flush_young';
    emitCallback(em, scope, s, spec.callback, [rs, re], young ? { kind: 'reg', slot: tmp } : undefined, span);
    if (young) {
      local(em, scope, span, `${s.name}.clear_flush_young returns`, (x) => {
        if (x.th.regs[tmp] !== 0) x.th.regs[rr] = 1;
        x.th.regs[tmp] = 0;
      });
    }
  }
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
