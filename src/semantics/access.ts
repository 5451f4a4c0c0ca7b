// User accesses (DESIGN §3.3): `load(a)` and `store(a, v)` from a cpu thread go through its TLB,
// from a device thread through its secondary. One access is one step: a hit, or (for a CPU or an
// `ats` secondary, which walk the CPU page tables) a hardware walk that fills the TLB and sets
// young/dirty in the entry. Otherwise the access faults: a CPU or `ats` thread runs the prelude's
// handle_mm_fault as its own steps, a mirror runs its `fault` routine; then the access retries.

import type { Expr } from '../lang/ast.js';
import type { Span } from '../lang/source.js';
import {
  isPresent,
  PTE_DIRTY,
  PTE_HUGE,
  PTE_WRITE,
  PTE_YOUNG,
  pmdKey,
  pteFrame,
  TLB_DIRTY,
  TLB_WRITE,
  tlbEntry,
  tlbFrame,
} from '../model/entry.js';
import { mapSet } from '../model/machine.js';
import { wContent, wPt, wTlb } from '../model/scratch.js';
import * as u from '../model/u64.js';
import { type Emitter, report, type Scope, site } from './context.js';
import { type CExpr, compileExpr, exprFootprint } from './expr.js';
import {
  CORE_OBJECT,
  EMPTY,
  type Footprint,
  FRAMES_OBJECT,
  PT_OBJECT,
  PTL_OBJECT,
  STORES_OBJECT,
  tlbObject,
  union,
} from './footprint.js';
import { recordStore } from './lostUpdate.js';
import { fillTlb, findTlb, getEntry, isFree, pageOf, regionOf, touchContent, translationKey, userAddr } from './mm.js';
import { BLOCKED, type Exec } from './program.js';
import { type Dest, envOf, findRoutine, inlineBody, threadEndJumps } from './stmt.js';

const FAULT = -2;

/**
 * One access attempt. Returns the value read (0 for a store), or FAULT when the access must go
 * through the fault path.
 */
function access(x: Exec, t: number, walks: boolean, a: number, write: boolean, value: u.U64): u.U64 | typeof FAULT {
  const m = x.m;
  const hit = findTlb(m, t, a);
  if (hit >= 0) {
    const key = m.tlb[t]![hit]!;
    const ent = m.tlb[t]![hit + 1]!;
    const f = tlbFrame(ent);
    if (!write) return m.content[touchThrough(x, f, write, t)]!;
    if ((ent & TLB_WRITE) !== 0) {
      if (walks && (ent & TLB_DIRTY) === 0) {
        // x86: the first store through a clean cached entry re-walks the PTE to set its dirty bit;
        // if the entry is gone, read-only or repointed, the store faults instead.
        const pkey = translationKey(m, a);
        const e = getEntry(m, pkey);
        if (!isPresent(e) || (e & PTE_WRITE) === 0 || pteFrame(e) !== f) {
          mapSet(wTlb(x.s, t), key, 0, 0);
          return FAULT;
        }
        mapSet(wPt(x.s), pkey, e | PTE_DIRTY | PTE_YOUNG, 0);
        fillTlb(x.s, t, key, ent | TLB_DIRTY);
      } else if (!walks) {
        // A mirror marks its own translation written; telling the kernel is the driver's job.
        fillTlb(x.s, t, key, ent | TLB_DIRTY);
      }
      wContent(x.s)[touchThrough(x, f, write, t)] = value;
      recordStore(x, a, f, value);
      return 0;
    }
    if (!walks) return FAULT;
    // A CPU or ATS TLB holding a read-only entry re-walks on a store.
  }
  if (!walks) return FAULT;
  const pkey = translationKey(m, a);
  const e = getEntry(m, pkey);
  if (!isPresent(e) || (write && (e & PTE_WRITE) === 0)) return FAULT;
  const updated = e | PTE_YOUNG | (write ? PTE_DIRTY : 0);
  if (updated !== e) mapSet(wPt(x.s), pkey, updated, 0);
  const huge = (e & PTE_HUGE) !== 0;
  const key = huge ? pmdKey(regionOf(a)) : pageOf(a);
  const f = pteFrame(e);
  fillTlb(x.s, t, key, tlbEntry(f, (e & PTE_WRITE) !== 0, (updated & PTE_DIRTY) !== 0, huge));
  const i = usable(x, f)
    ? f - 1
    : touchContent(
        x,
        f,
        `${write ? 'a store' : 'a load'} after a walk of ${huge ? 'pmd' : 'pte'}[${u.hex(huge ? regionOf(a) : pageOf(a))}]`,
      );
  if (write) {
    wContent(x.s)[i] = value;
    recordStore(x, a, f, value);
    return 0;
  }
  return m.content[i]!;
}

/**
 * A frame an access may touch without a word to say (`touchContent` would neither fail nor
 * violate): checked first, so that the access's description is only built when it is needed.
 */
function usable(x: Exec, f: number): boolean {
  return f > 0 && f <= x.prog.frames.length && !isFree(x.m, f);
}

/** `touchContent` for an access through translation cache `t`. */
function touchThrough(x: Exec, f: number, write: boolean, t: number): number {
  if (usable(x, f)) return f - 1;
  return touchContent(x, f, `${write ? 'a store' : 'a load'} through tlb(${x.prog.tlbNames[t]})`);
}

export function compileAccess(
  em: Emitter,
  scope: Scope,
  call: Extract<Expr, { kind: 'call' }>,
  dest: Dest,
  span: Span,
): void {
  const ctx = em.ctx;
  const write = call.callee === 'store';
  const want = write ? 2 : 1;
  if (call.args.length !== want) {
    report(
      ctx,
      'ML2003',
      scope.file,
      span,
      `'${call.callee}' takes ${want} argument${want === 1 ? '' : 's'}, not ${call.args.length}.`,
    );
    return;
  }
  if (em.threadKind === 'kernel' || scope.sec !== undefined) {
    report(
      ctx,
      'ML2012',
      scope.file,
      call.calleeSpan,
      `'${call.callee}' is a user access: only cpu and device threads can use it.`,
    );
    return;
  }
  if (dest?.kind === 'var') {
    report(ctx, 'ML2007', scope.file, span, `The value of '${call.callee}' must go to a register.`);
    return;
  }
  const env = envOf(em, scope);
  const fa = compileExpr(env, call.args[0]!).fn;
  const fv = write ? compileExpr(env, call.args[1]!).fn : () => 0;
  const sec = em.deviceSecondary;
  const t = sec !== undefined ? sec.tlb : em.cpuTlb!;
  const walks = sec === undefined || sec.sharesPageTables;
  const addrReg = em.newReg(`${call.callee}.address`);
  const faultRet = em.newReg(`${call.callee}.fault`);
  const destSlot = dest?.kind === 'reg' ? dest.slot : -1;
  const done = { pc: -1 };
  const faultPath = { pc: -1 };
  const attempt = em.pc;
  em.emit(
    'shared',
    (x) => {
      const a = userAddr(fa(x));
      const v = fv(x);
      if (x.blocked) return BLOCKED;
      const r = access(x, t, walks, a, write, v);
      if (r === FAULT) {
        x.th.regs[addrReg] = a;
        return faultPath.pc;
      }
      if (destSlot >= 0) x.th.regs[destSlot] = r;
      return done.pc;
    },
    site(scope, span),
    undefined,
    accessFootprint(env, call, t, walks, write),
  );
  faultPath.pc = em.pc;
  const argAddr: CExpr = { fn: (x) => x.th.regs[addrReg]!, type: 'int', shared: false };
  const argWrite: CExpr = { fn: () => (write ? 1 : 0), type: 'bool', shared: false };
  if (walks) {
    // A CPU page fault, or an ATS/PRI page request resolved by the kernel for the device.
    const def = findRoutine(ctx, scope, 'do_user_addr_fault', undefined, call.calleeSpan);
    if (def === undefined) return;
    inlineBody(em, scope, {
      label: def.variant === undefined ? def.name : `${def.name}@${def.variant}`,
      params: def.params,
      body: def.body,
      file: def.file,
      sec: undefined,
      seesTest: def.file === ctx.testFile,
      args: [argAddr, argWrite],
      dest: { kind: 'reg', slot: faultRet },
      callSpan: span,
    });
    const end = threadEndJumps(em);
    const kill = { pc: -1 };
    end.push(kill);
    em.backJump(attempt);
    em.emit(
      'local',
      (x) => {
        const r = x.th.regs[faultRet]!;
        x.th.regs[faultRet] = 0;
        if (r === 0 || r === 0x400) return attempt;
        // VM_FAULT_SIGSEGV / VM_FAULT_SIGBUS: the access cannot complete; the thread is killed.
        x.th.regs[addrReg] = 0;
        x.th.status = 2;
        return kill.pc;
      },
      site(scope, span, `${call.callee}: retry after the fault`),
      undefined,
      EMPTY,
    );
  } else {
    const f = sec!.def.fault;
    if (f === undefined) {
      report(
        ctx,
        'ML2021',
        scope.file,
        call.calleeSpan,
        `Secondary '${sec!.name}' neither walks the CPU page tables nor has a fault routine, so a device access through it cannot fault.`,
      );
      return;
    }
    inlineBody(em, scope, {
      label: `${sec!.name}.fault`,
      params: f.params,
      body: f.body,
      file: sec!.def.file,
      sec,
      seesTest: sec!.def.file === ctx.testFile,
      args: [argAddr, argWrite],
      dest: undefined,
      callSpan: span,
    });
    em.backJump(attempt);
    em.emit('local', () => attempt, site(scope, span, `${call.callee}: retry after the fault`), undefined, EMPTY);
  }
  done.pc = em.pc;
  const clear = em.pc;
  em.emit(
    'local',
    (x) => {
      x.th.regs[addrReg] = 0;
      return clear + 1;
    },
    site(scope, span),
    undefined,
    EMPTY,
  );
}

/**
 * What one access attempt (`access` above) may touch: its arguments; the thread's translation
 * cache; the frames (content, and whether free: use-after-free); a walk (cpu, ats) reads the page
 * table and writes young/dirty into it and the walked translation into the cache; a store writes
 * the content and the last stores, reading the page table and page-table locks to find where a
 * page's data is and whether any thread's mmu_gather is open (the core; lostUpdate.ts
 * `recordStore`), and a mirror's store marks its translation dirty.
 * A fault only writes registers; the fault path is steps of its own.
 */
function accessFootprint(
  env: ReturnType<typeof envOf>,
  call: Extract<Expr, { kind: 'call' }>,
  t: number,
  walks: boolean,
  write: boolean,
): Footprint | undefined {
  let args: Footprint | undefined = EMPTY;
  for (const a of call.args) args = union(args, exprFootprint(env, a));
  const tlb = tlbObject(t);
  const reads = [tlb, FRAMES_OBJECT];
  const writes: number[] = [];
  if (walks) {
    reads.push(PT_OBJECT);
    writes.push(PT_OBJECT, tlb);
  }
  if (write) {
    reads.push(PT_OBJECT, PTL_OBJECT, STORES_OBJECT, CORE_OBJECT);
    writes.push(tlb, FRAMES_OBJECT, STORES_OBJECT);
  }
  return union(args, { reads: [...new Set(reads)], writes: [...new Set(writes)] });
}
