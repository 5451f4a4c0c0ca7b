// The mmu_gather (include/asm-generic/tlb.h; mm/memory.c up to v4.19, mm/mmu_gather.c from
// v4.20): the batch a zap path collects while it clears page-table entries — the range whose CPU
// and secondary TLB entries must be flushed, and the pages whose last reference must be dropped
// only after that flush. One per thread (`ThreadState.gather`), as the kernel's lives on the
// stack of the task that unmaps.
//
// Layout of `ThreadState.gather`: empty when the thread has no gather, else
// [flags, start, end, page…]. `start`/`end` are `tlb->start`/`tlb->end` as __tlb_reset_range()
// and __tlb_adjust_range() keep them; G_CLEARED stands for "an entry was recorded since the last
// reset" (v6.6's cleared_ptes/cleared_pmds, v4.x's `tlb->end != 0` for a gather that is not
// fullmm); each page is a frame whose reference the gather holds (the mapping's reference, which
// zap_pte_range() hands over with __tlb_remove_page() instead of calling put_page()).
//
// MODEL: the batch never fills (`__tlb_remove_page()` returns false): the forced flush of a full
// batch in the middle of a zap is not explored; it only flushes and frees earlier than the end.
// Page tables are never freed (no free_pgtables(), no tlb_remove_table()).

import { G_CLEARED, G_FULLMM, GATHER_HEADER, truncate } from '../model/machine.js';
import { add, hex, max, min, type U64, ULONG_MAX } from '../model/u64.js';
import { atLeast } from '../model/version.js';
import { bug, checkFrame, flushCpuTlbs, frameName, isFree, ModelError, pageOf, putPage, userAddr } from './mm.js';
import type { Exec } from './program.js';

/** TASK_SIZE on x86-64 (4-level paging): where __tlb_reset_range() puts tlb->start. */
export const TASK_SIZE = 0x7ffffffff000;

/** The thread's gather, or a model error: the primitive needs one. */
function active(x: Exec, what: string): U64[] {
  const g = x.th.gather;
  if (g.length === 0) {
    throw new ModelError(
      'ML4050',
      `'${what}' needs an mmu_gather, but ${x.prog.threads[x.t]!.name} has not called tlb_gather_mmu().`,
    );
  }
  return g;
}

/** __tlb_reset_range(). */
function resetRange(g: U64[]): void {
  const full = (Number(g[0]!) & G_FULLMM) !== 0;
  g[0] = Number(g[0]!) & ~G_CLEARED;
  g[1] = full ? ULONG_MAX : TASK_SIZE;
  g[2] = full ? ULONG_MAX : 0;
}

/**
 * tlb_gather_mmu() (v4.12 into v5.x: tlb_gather_mmu(tlb, mm, start, end), fullmm when
 * `!(start | (end + 1))`; v5.12.9 already has tlb_gather_mmu(tlb, mm) and
 * tlb_gather_mmu_fullmm(tlb, mm); the release that dropped the arguments was not checked).
 * From v4.13 (99baac21e458) it also does inc_tlb_flush_pending(mm).
 */
export function gatherMmu(x: Exec, fullmm: boolean): void {
  const g = x.th.gather;
  if (g.length !== 0) {
    throw new ModelError(
      'ML4051',
      `${x.prog.threads[x.t]!.name} calls tlb_gather_mmu() while its mmu_gather is still in use: the model keeps one gather per thread; call tlb_finish_mmu() first.`,
    );
  }
  g.push(fullmm ? G_FULLMM : 0, 0, 0);
  resetRange(g);
  if (atLeast(x.prog.version, 'v4.13')) x.m.tlbFlushPending++;
}

/** __tlb_adjust_range(tlb, address, size), which tlb_remove_tlb_entry() and co. call. */
export function adjustRange(x: Exec, what: string, address: U64, size: number): void {
  const g = active(x, what);
  const a = pageOf(userAddr(address));
  g[0] = Number(g[0]!) | G_CLEARED;
  g[1] = min(g[1]!, a);
  g[2] = max(g[2]!, add(a, size));
}

/**
 * __tlb_remove_page(): the gather takes over the caller's reference to the page, to drop after
 * the flush. A page can be gathered more than once (two entries mapping it), but never more
 * often than it has references.
 */
export function removePage(x: Exec, id: number, what: string): void {
  const g = active(x, what);
  const i = checkFrame(x, id, what);
  if (isFree(x.m, id)) {
    bug(x, `${what}(${frameName(x.prog, id)}) on a free page`);
    return;
  }
  let held = 0;
  for (let k = GATHER_HEADER; k < g.length; k++) if (g[k] === id) held++;
  if (held + 1 > x.m.refcount[i]!) {
    throw new ModelError(
      'ML4052',
      `'${what}' of ${frameName(x.prog, id)} would make the gather drop ${held + 1} references to a page that has ${x.m.refcount[i]!}: a page removed more often than it is mapped.`,
    );
  }
  g.push(id);
}

/** __tlb_reset_range() as a primitive: forgets the range without flushing it. */
export function resetRangePrimitive(x: Exec): void {
  resetRange(active(x, '__tlb_reset_range'));
}

/**
 * The CPU part of tlb_flush_mmu_tlbonly(): if a flush is owed, tlb_flush() (x86: the range, or
 * the whole mm for a fullmm gather) and __tlb_reset_range(). Returns the range the secondaries
 * hear of — v4.12–v6.5: mmu_notifier_invalidate_range(mm, tlb->start, tlb->end) right after
 * tlb_flush(); v6.6: flush_tlb_mm_range() notifies what it flushed — or undefined when nothing
 * was owed (the kernel returns early: `if (!tlb->end)`, v6.6: no cleared_* bit).
 */
export function flushTlbonly(x: Exec, what: string): [U64, U64] | undefined {
  const g = active(x, what);
  const flags = Number(g[0]!);
  const full = (flags & G_FULLMM) !== 0;
  const v66 = atLeast(x.prog.version, 'v6.6');
  // v4.x tests tlb->end, which a fullmm gather keeps at ~0 even when nothing was recorded.
  // MODEL: v5.x is given the v4.x test; v5.12.9 already tests the cleared_* bits and
  // freed_tables as v6.6 does, which differs only for a fullmm gather that recorded nothing.
  const owed = v66 ? (flags & G_CLEARED) !== 0 : g[2] !== 0;
  if (!owed) return undefined;
  const start = g[1]!;
  const end = g[2]!;
  // x86 tlb_flush(): flush_tlb_mm_range(mm, 0, TLB_FLUSH_ALL) for a fullmm gather, else the range.
  if (full) flushCpuTlbs(x, 0, ULONG_MAX);
  else flushCpuTlbs(x, start, end);
  resetRange(g);
  if (v66) return full ? [0, ULONG_MAX] : [start, end];
  // v4.12–v6.5: mmu_notifier_invalidate_range(mm, tlb->start, tlb->end) — after the nested flush
  // of v5.2+ (fullmm, range reset to ~0) that is [~0, ~0): the secondaries hear of nothing.
  return [start, end];
}

/** tlb_flush_mmu_free(): drops every reference the gather holds (free_pages_and_swap_cache()). */
export function freePages(x: Exec, what: string): void {
  const g = active(x, what);
  while (g.length > GATHER_HEADER) {
    const id = Number(g[GATHER_HEADER]!);
    // Remove first: a page freed here is no longer the gather's, whatever putPage reports.
    for (let k = GATHER_HEADER + 1; k < g.length; k++) g[k - 1] = g[k]!;
    g.pop();
    putPage(x, id);
  }
}

/**
 * The start of tlb_finish_mmu(): when another thread is batching changes of this mm too
 * (mm_tlb_flush_nested(), v4.13+), flush what the caller was asked to unmap even if it cleared
 * nothing itself — it may have skipped entries the other thread cleared and not flushed yet
 * (99baac21e458). v4.13–v5.1: __tlb_adjust_range(tlb, start, end - start); v5.2+ (7a30df49f63a):
 * the whole mm (`tlb->fullmm = 1; __tlb_reset_range(tlb); tlb->freed_tables = 1;`, read in
 * v5.12.9 and v6.6.87 mm/mmu_gather.c), so the model's v5.5 and v5.12 take that rule too: the CPU
 * flush covers the whole mm, and the range the secondaries hear of is the reset one.
 */
export function finishNested(x: Exec, start: U64, end: U64): void {
  const g = active(x, 'tlb_finish_mmu');
  if (!atLeast(x.prog.version, 'v4.13') || x.m.tlbFlushPending <= 1) return;
  if (atLeast(x.prog.version, 'v5.5')) {
    g[0] = Number(g[0]!) | G_FULLMM;
    resetRange(g);
    g[0] = Number(g[0]!) | G_CLEARED;
    return;
  }
  g[0] = Number(g[0]!) | G_CLEARED;
  g[1] = min(g[1]!, start);
  g[2] = max(g[2]!, end);
}

/**
 * The end of tlb_finish_mmu(), after its flush and free: the gather goes away, with
 * dec_tlb_flush_pending() from v4.13.
 */
export function endGather(x: Exec): void {
  const g = active(x, 'tlb_finish_mmu');
  truncate(g, 0);
  if (atLeast(x.prog.version, 'v4.13')) decFlushPending(x);
}

/** dec_tlb_flush_pending(mm). */
export function decFlushPending(x: Exec): void {
  if (x.m.tlbFlushPending <= 0) bug(x, 'dec_tlb_flush_pending() with mm->tlb_flush_pending already 0');
  else x.m.tlbFlushPending--;
}

/** A line for traces: the gather's state. */
export function describeGather(g: readonly U64[], frameNameOf: (id: number) => string): string {
  if (g.length === 0) return 'none';
  const flags = Number(g[0]!);
  const parts: string[] = [];
  if ((flags & G_FULLMM) !== 0) parts.push('fullmm');
  parts.push((flags & G_CLEARED) !== 0 ? `flush [${hex(g[1]!)}, ${hex(g[2]!)}) owed` : 'nothing to flush');
  if (g.length > GATHER_HEADER)
    parts.push(
      `holds ${g
        .slice(GATHER_HEADER)
        .map((p) => frameNameOf(Number(p)))
        .join(', ')}`,
    );
  return parts.join(', ');
}

/** No (start, end) given to tlb_finish_mmu() (its form in v5.12.9 and later). */
export const NO_RANGE: readonly U64[] = [];

/**
 * The first step of tlb_flush_mmu_tlbonly(), tlb_flush_mmu() and tlb_finish_mmu(): for
 * tlb_finish_mmu() the nested-flush rule, then the CPU flush of tlb_flush_mmu_tlbonly(). Returns
 * the range to notify the secondaries of (their callbacks run next, as steps of their own).
 */
export function gatherFlushRun(x: Exec, name: string, args: readonly U64[]): [U64, U64] | undefined {
  if (name === 'tlb_finish_mmu') {
    active(x, name);
    // Without (start, end) (the signature of v5.12.9 and later) a nested flush covers the whole mm.
    finishNested(x, args[0] ?? 0, args[1] ?? ULONG_MAX);
  }
  return flushTlbonly(x, name);
}

/**
 * The step after the callbacks: tlb_flush_mmu_free() for tlb_flush_mmu() and tlb_finish_mmu(),
 * which then ends the gather.
 */
export function gatherFlushAfter(x: Exec, name: string): void {
  if (name === 'tlb_flush_mmu_tlbonly') return;
  freePages(x, name);
  if (name === 'tlb_finish_mmu') endGather(x);
}
