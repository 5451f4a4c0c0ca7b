// `foreach m in page_vma_mapped_walk(page, vma, address[, flags]) { … }` (mm/page_vma_mapped.c):
// visits each entry of the vma that maps the page — a PMD leaf (`m.pmd`), the huge entry of a
// hugetlb page (`m.pte`, as the kernel's `pvmw->pte`), or one PTE per mapped subpage of a
// PTE-mapped THP — holding that entry's page-table lock from the visit until the walk moves to
// another lock, ends, or `page_vma_mapped_walk_done(m)` stops it. `m.pte` and `m.pmd` hold the
// entry the kernel's pointer points at (0 where the kernel's pointer is NULL); the primitives
// reach it through `m.address` (hugetlb.ts).
//
// MODEL: finding the next entry and taking its lock are one step, as if every walk passed
// PVMW_SYNC. The kernel's first look is lockless (mm/page_vma_mapped.c, v4.12 … v6.6):
// page_vma_mapped_walk() reads the PMD without a lock (`pmd_trans_huge(*pmd)`, later
// `pmde = READ_ONCE(*pvmw->pmd)`) and re-checks it under pmd_lock(); map_pte() without
// PVMW_SYNC tests the PTE without the lock (`!pte_present(*pvmw->pte)` → skip it; with
// PVMW_MIGRATION `!is_swap_pte()`) and only then takes pte_lockptr() and check_pte(). Only
// page_mkclean_one() (always) and try_to_unmap_one() with TTU_SYNC (v5.13+, 732ed55823fc) pass
// PVMW_SYNC. What this can hide: a walk that skips a PTE which is transiently not present when
// it peeks — another thread between ptep_get_and_clear()/ptep_modify_prot_start() and the
// set_pte_at() that restores it, or a fault installing it — and so leaves a mapping behind:
// try_to_unmap() returns with the page still mapped (reclaim keeps the page; the
// VM_BUG_ON_PAGE(page_mapped()) of split_huge_page() that TTU_SYNC fixed). Such a walk changes
// nothing at that PTE, so the hidden outcomes are failures to unmap, not entries changed without
// a notification; a caller that goes on as if the page were unmapped would be the bug, and the
// model does not explore that case. The PMD-level peek hides nothing more: the model's step sees
// the PMD either before or after a concurrent split, as the re-check under the lock does.
// MODEL: the page-table lock of a 2 MiB region is one lock (lockRegion(), like the pte_lock
// primitive), used for its PMD entry and for the PTEs of the table under it. In the kernel a THP's
// PMD is guarded by pmd_lock() (the PMD table page's split lock or mm->page_table_lock) and its
// PTEs by the PTE table's own lock (pte_lockptr()): two locks, and a PMD-level operation (a THP
// fault installing the huge PMD, zap_huge_pmd(), __split_huge_pmd(), pmdp_invalidate()) can run
// while another thread holds the PTE lock of the table it replaces or points to. The model
// serialises them, so it cannot find a bug that needs a PMD-level and a PTE-level change of the
// same region to overlap (the kernel closes those with pmd_same()/pmd re-checks after taking the
// PTE lock, e.g. pte_offset_map_lock() from v6.5, and with mmap_lock; none of that is modelled).
// hugetlb is separate (hugetlb.ts): a PMD-sized hugetlb entry has only the PMD lock in the kernel
// too.

import type { Expr, Stmt } from '../lang/ast.js';
import type { Span } from '../lang/source.js';
import { isPresent, PTE_HUGE, PTE_MIGRATION, pmdKey, pteFrame, pteType } from '../model/entry.js';
import { mapGet, mapSet } from '../model/machine.js';
import { wPtl } from '../model/scratch.js';
import { type Emitter, report, type Scope, site } from './context.js';
import { compileExpr, resolve } from './expr.js';
import { forgetUnmapped } from './lostUpdate.js';
import { bug, PAGE_SIZE, PMD_SIZE, regionOf, userAddr } from './mm.js';
import { BLOCKED, type Exec } from './program.js';
import { compileBlock, envOf } from './stmt.js';

/** Cursor registers, from the cursor's base slot. The first three are the visible fields. */
const ADDRESS = 0;
const PTE = 1;
const PMD = 2;
const PAGE = 3;
const VMA = 4;
/** Next address to look at; 0 before the first visit. */
const POS = 5;
/** Region address + 1 of the page-table lock the walk holds, 0 if none. */
const HELD = 6;
const FLAGS = 7;
const START = 8;
/** 1 once a PMD leaf was visited or the walk was stopped. */
const DONE = 9;
const SIZE = 10;

const PVMW_MIGRATION = 2;

function matches(e: number, page: number, flags: number): boolean {
  if (pteFrame(e) !== page) return false;
  if (isPresent(e)) return true;
  return (flags & PVMW_MIGRATION) !== 0 && pteType(e) === PTE_MIGRATION;
}

function release(x: Exec, base: number): void {
  const held = Number(x.th.regs[base + HELD]!);
  if (held !== 0 && mapGet(x.m.ptl, held - 1, 0) === x.t + 1) {
    mapSet(wPtl(x.s), held - 1, 0, 0);
    forgetUnmapped(x, held - 1);
  }
  x.th.regs[base + HELD] = 0;
}

/** Forgets a walk cursor (its lock, if held, stays held): leaving the loop by break or goto. */
export function clearCursor(x: Exec, base: number): void {
  for (let i = 0; i < SIZE; i++) x.th.regs[base + i] = 0;
}

/** Takes the lock of `region` for the walk; false (blocked) when another thread holds it. */
function lockRegion(x: Exec, base: number, region: number): boolean {
  const held = Number(x.th.regs[base + HELD]!);
  if (held === region + 1) return true;
  if (mapGet(x.m.ptl, region, 0) !== 0) return false;
  release(x, base);
  mapSet(wPtl(x.s), region, x.t + 1, 0);
  x.th.regs[base + HELD] = region + 1;
  return true;
}

/** One step of the walk: visit the next entry (true) or end the walk (false); BLOCKED if its lock is busy. */
function next(x: Exec, base: number): boolean | typeof BLOCKED {
  const r = x.th.regs;
  const prog = x.prog;
  if (r[base + DONE] !== 0) {
    release(x, base);
    clearCursor(x, base);
    return false;
  }
  const page = Number(r[base + PAGE]!);
  const vma = prog.vmas[Number(r[base + VMA]!) - 1];
  const frame = prog.frames[page - 1];
  if (vma === undefined || frame === undefined) {
    bug(x, 'page_vma_mapped_walk needs a page and a vma');
    return false;
  }
  const flags = Number(r[base + FLAGS]!);
  const start = Number(r[base + START]!);
  const first = r[base + POS] === 0;
  if (first) {
    const region = regionOf(start);
    const e = mapGet(x.m.pt, pmdKey(region), 0);
    // hugetlb (v4.13: `if (PageHuge(pvmw->page))`, v6.6: `if (is_vm_hugetlb_page(vma))`): one
    // visit, `pvmw->pte = huge_pte_offset()` (v6.6: hugetlb_walk()) points at the huge entry,
    // `pvmw->pmd` stays NULL, under huge_pte_lock() — for a PMD-sized page the PMD's lock, which
    // the model does not tell apart from the PTE lock of the region (hugetlb.ts).
    if (vma.hugetlb) {
      if (!matches(e, page, flags)) {
        release(x, base);
        clearCursor(x, base);
        return false;
      }
      if (!lockRegion(x, base, region)) return BLOCKED;
      r[base + ADDRESS] = region;
      r[base + PTE] = e;
      r[base + PMD] = 0;
      r[base + DONE] = 1;
      r[base + POS] = region + PMD_SIZE;
      return true;
    }
    // A PMD leaf first: a PMD-mapped THP (`pvmw->pmd` set, `pvmw->pte` NULL).
    if ((e & PTE_HUGE) !== 0 && matches(e, page, flags)) {
      if (!lockRegion(x, base, region)) return BLOCKED;
      r[base + ADDRESS] = region;
      r[base + PTE] = 0;
      r[base + PMD] = e;
      r[base + DONE] = 1;
      r[base + POS] = region + PMD_SIZE;
      return true;
    }
  }
  const from = first ? start : Number(r[base + POS]!);
  const end = frame.thp ? Math.min(vma.end, start + PMD_SIZE) : start + PAGE_SIZE;
  const pt = x.m.pt;
  for (let i = 0; i < pt.length; i += 2) {
    const key = pt[i]!;
    if (key % 2 === 1 || key < from) continue;
    if (key >= end) break;
    const e = pt[i + 1]!;
    if (!matches(e, page, flags)) continue;
    if (!lockRegion(x, base, regionOf(key))) return BLOCKED;
    r[base + ADDRESS] = key;
    r[base + PTE] = e;
    r[base + PMD] = 0;
    r[base + POS] = key + PAGE_SIZE;
    return true;
  }
  release(x, base);
  clearCursor(x, base);
  return false;
}

export function compileWalk(em: Emitter, scope: Scope, s: Extract<Stmt, { kind: 'foreach' }>): void {
  const ctx = em.ctx;
  const call = s.walk;
  if (call.callee !== 'page_vma_mapped_walk' || call.variant !== undefined) {
    report(
      ctx,
      'ML2022',
      scope.file,
      call.calleeSpan,
      `'foreach' walks 'page_vma_mapped_walk(page, vma, address)', not '${call.callee}'.`,
    );
    return;
  }
  if (call.args.length < 3 || call.args.length > 4) {
    report(
      ctx,
      'ML2003',
      scope.file,
      call.span,
      `'page_vma_mapped_walk' takes 3 or 4 arguments, not ${call.args.length}.`,
    );
    return;
  }
  const env = envOf(em, scope);
  const args = call.args.map((a) => compileExpr(env, a));
  const fa = args.map((a) => a.fn);
  const base = em.newReg(`${s.cursor}.address`);
  em.newReg(`${s.cursor}.pte`, 'pte');
  em.newReg(`${s.cursor}.pmd`, 'pte');
  for (const n of ['page', 'vma', 'pos', 'held', 'flags', 'start', 'done']) em.newReg(`${s.cursor}.${n}`);
  const shadowed = scope.names.get(s.cursor);
  scope.names.set(s.cursor, { kind: 'cursor', base });
  const initPc = em.pc;
  em.emit(
    args.some((a) => a.shared) ? 'shared' : 'local',
    (x) => {
      const vals = fa.map((f) => f(x));
      if (x.blocked) return BLOCKED;
      const r = x.th.regs;
      r[base + PAGE] = vals[0]!;
      r[base + VMA] = vals[1]!;
      r[base + START] = userAddr(vals[2]!) - (userAddr(vals[2]!) % PAGE_SIZE);
      r[base + FLAGS] = vals[3] ?? 0;
      r[base + POS] = 0;
      return initPc + 1;
    },
    site(scope, call.span),
  );
  const top = em.pc;
  const exit = { pc: -1 };
  em.emit(
    'shared',
    (x) => {
      const v = next(x, base);
      if (v === BLOCKED) return BLOCKED;
      return v ? top + 1 : exit.pc;
    },
    site(scope, s.span, `page_vma_mapped_walk(${s.cursor})`),
  );
  const loop = { breakJumps: [] as { pc: number }[], continueTo: () => top, cursor: base };
  scope.loops.push(loop);
  compileBlock(em, scope, s.body);
  scope.loops.pop();
  em.backJump(top);
  em.emit('local', () => top, site(scope, s.span, 'foreach'));
  exit.pc = em.pc;
  for (const j of loop.breakJumps) j.pc = em.pc;
  if (shadowed === undefined) scope.names.delete(s.cursor);
  else scope.names.set(s.cursor, shadowed);
  // Leaving the loop forgets the cursor; a lock still held (a break without
  // page_vma_mapped_walk_done) stays held, as in the kernel.
  const after = em.pc;
  em.emit(
    'local',
    (x) => {
      clearCursor(x, base);
      return after + 1;
    },
    site(scope, s.span, 'foreach'),
  );
}

/** `page_vma_mapped_walk_done(m)`: drops the walk's lock and ends it. */
export function compileWalkDone(em: Emitter, scope: Scope, call: Extract<Expr, { kind: 'call' }>, span: Span): void {
  const arg = call.args[0];
  const b = arg?.kind === 'name' && call.args.length === 1 ? resolve(em.ctx, scope, arg.name) : undefined;
  if (b?.kind !== 'cursor') {
    report(
      em.ctx,
      'ML2022',
      scope.file,
      span,
      "'page_vma_mapped_walk_done' takes the cursor of an enclosing 'foreach'.",
    );
    return;
  }
  const base = b.base;
  const pc = em.pc;
  em.emit(
    'shared',
    (x) => {
      release(x, base);
      x.th.regs[base + DONE] = 1;
      return pc + 1;
    },
    site(scope, span),
  );
}
