// The `lost-update` property (docs/properties.md): every user store records its value for the page
// it reached (Machine.stores); when the execution ends, a page that is still mapped must read
// the value of its last store. `lost-write` compares one frame with its backing copy; this one
// follows an address across the frames the kernel moves its data through (COW, migration, KSM,
// swap), which is where a write that raced with the move disappears.
//
// A page unmapped on purpose loses its stores with it (munmap, MADV_DONTNEED, truncation, memory
// failure: the process asked for it, or the hardware failed). One unmapping is the kernel's own
// decision and must keep data: reclaim discarding a lazily-freed page (try_to_unmap_one()'s
// "MADV_FREE page check"), which is allowed only while nobody wrote the page since MADV_FREE. So a
// store that lands in a lazily-freed frame (anonymous, PG_swapbacked clear: mark_page_lazyfree()
// ran) while no mmu_gather is open (no MADV_FREE, MADV_DONTNEED or munmap of any thread is under
// way, so the store cannot be racing with the caller's own madvise) is marked REDIRTY; the next
// ClearPageSwapBacked() of its frame (a new MADV_FREE) clears the mark. A REDIRTY page whose
// entry is left none by a thread without an open gather (not a zap: reclaim) has lost its store.
// MODEL: "any gather open" stands for "a MADV_FREE of this page under way": a store racing with an
// unrelated munmap is not marked, which can only hide a loss, never report a false one.

import { PTE_INVALID, PTE_MIGRATION, PTE_NONE, PTE_PRESENT, PTE_SWAP, pteFrame, pteType } from '../model/entry.js';
import { type Machine, mapGet, PG_ANON, PG_FREE, PG_SWAPBACKED, PG_SWAPCACHE, removeAt } from '../model/machine.js';
import { LOST_UPDATE } from '../model/properties.js';
import { wStores } from '../model/scratch.js';
import * as u from '../model/u64.js';
import { frameName, getEntry, pageOf, regionOf, translationKey } from './mm.js';
import type { Exec } from './program.js';

/**
 * A record of `Machine.stores` is [key, value], the key a page address (4 KiB aligned) with
 * REDIRTY in its low bit: the last store redirtied a lazily-freed page (see the header).
 */
const REDIRTY = 1;

function pageKey(key: u.U64): number {
  return (key as number) & ~REDIRTY;
}

function lazyFree(m: Machine, f: number): boolean {
  return f > 0 && f <= m.fflags.length && (m.fflags[f - 1]! & (PG_ANON | PG_SWAPBACKED | PG_FREE)) === PG_ANON;
}

function anyGatherOpen(m: Machine): boolean {
  for (const th of m.threads) if (th.gather.length !== 0) return true;
  return false;
}

/** Where page `page`'s data is: a frame (its content), -slot (a swap slot: the backing copy), or 0 (not mapped). */
export function dataOf(m: Machine, page: number): number {
  const e = getEntry(m, translationKey(m, page));
  const f = pteFrame(e);
  if (f === 0 || f > m.content.length) return 0;
  const allocated = (m.fflags[f - 1]! & PG_FREE) === 0;
  switch (pteType(e)) {
    case PTE_PRESENT:
    case PTE_INVALID:
    case PTE_MIGRATION:
      // A migration entry names the page being migrated, which holds the data until
      // remove_migration_ptes() installs the copy. A free frame: dangling-translation's business.
      return allocated ? f : 0;
    case PTE_SWAP:
      // The swap cache (the frame the entry names, while it is allocated and in the swap cache)
      // is newer than the slot; otherwise the slot holds the data.
      return allocated && (m.fflags[f - 1]! & PG_SWAPCACHE) !== 0 ? f : -f;
    default:
      // none or hwpoison: unmapped on purpose (munmap, MADV_DONTNEED, discard, memory failure).
      return 0;
  }
}

function dataValue(m: Machine, where: number): u.U64 {
  return where > 0 ? m.content[where - 1]! : m.backing[-where - 1]!;
}

/**
 * A store of `value` to user address `a` that wrote frame `f`: the last store to `a`'s page, and
 * to every other stored page whose data is `f` now (one frame behind several pages: a huge page,
 * a shared or KSM-merged mapping), as the write changes what those read too.
 */
export function recordStore(x: Exec, a: number, f: number, value: u.U64): void {
  if ((x.prog.disabled & (1 << LOST_UPDATE)) !== 0) return;
  const page = pageOf(a);
  const m = x.m;
  let at = -1;
  let before = m.stores.length;
  for (let i = 0; i < m.stores.length; i += 2) {
    const key = pageKey(m.stores[i]!);
    if (key === page) at = i;
    else if (m.stores[i + 1] !== value && dataOf(m, key) === f) wStores(x.s)[i + 1] = value;
    if (before === m.stores.length && key > page) before = i;
  }
  // A store through a stale translation to a page whose entry is none, with no page-table lock
  // of its region held (no clear-and-set under way): the address was unmapped, and what it
  // held with it, on purpose (munmap, MADV_DONTNEED); what a later fault maps is a new page.
  const unmapped = dataOf(m, page) === 0 && mapGet(m.ptl, regionOf(page), 0) === 0;
  const key = lazyFree(m, f) && !anyGatherOpen(m) ? page | REDIRTY : page;
  if (at >= 0) {
    if (unmapped) removeAt(wStores(x.s), at, 2);
    else if (m.stores[at] !== key || m.stores[at + 1] !== value) {
      const w = wStores(x.s);
      w[at] = key;
      w[at + 1] = value;
    }
    return;
  }
  if (!unmapped) wStores(x.s).splice(before, 0, key, value);
}

/** ClearPageSwapBacked(frame `f`) (a MADV_FREE): the stores in it so far may be discarded. */
export function allowDiscard(x: Exec, f: number): void {
  const m = x.m;
  for (let i = 0; i < m.stores.length; i += 2) {
    const key = m.stores[i] as number;
    if ((key & REDIRTY) !== 0 && dataOf(m, pageKey(key)) === f) wStores(x.s)[i] = pageKey(key);
  }
}

/**
 * After the page-table lock of `region` is released: a stored page of the region whose entry is
 * now none or hwpoison was unmapped (zapped, discarded, poisoned) under that lock, and its stores
 * with it. An entry cleared and set again under one lock hold (try_to_unmap_one, a COW, a
 * migration entry) keeps them: the data moved, and must have moved with its last store.
 */
export function forgetUnmapped(x: Exec, region: number): void {
  const m = x.m;
  if (m.stores.length === 0) return;
  for (let i = m.stores.length - 2; i >= 0; i -= 2) {
    const key = m.stores[i] as number;
    const page = pageKey(key);
    if (regionOf(page) !== region || dataOf(m, page) !== 0) continue;
    // Left none (not hwpoison) by a thread that is not zapping: reclaim discarded a page that was
    // written after MADV_FREE.
    if (
      (key & REDIRTY) !== 0 &&
      x.th.gather.length === 0 &&
      pteType(getEntry(m, translationKey(m, page))) === PTE_NONE
    ) {
      const value = m.stores[i + 1]!;
      x.violate(
        LOST_UPDATE,
        () =>
          `${u.hex(page)} is discarded as a clean lazily-freed page, but its last store (${String(value)}) came after MADV_FREE: the store is lost`,
      );
    }
    removeAt(wStores(x.s), i, 2);
  }
}

/** At the end of an execution: every stored page still mapped reads its last store. */
export function checkLostUpdates(x: Exec): void {
  const m = x.m;
  for (let i = 0; i < m.stores.length; i += 2) {
    const page = pageKey(m.stores[i]!);
    const where = dataOf(m, page);
    if (where === 0) continue;
    const want = m.stores[i + 1]!;
    const have = dataValue(m, where);
    if (have === want) continue;
    x.violate(LOST_UPDATE, () => {
      const from = where > 0 ? frameName(x.prog, where) : `the swap slot of ${frameName(x.prog, -where)}`;
      return `the execution ends with ${u.hex(page)} reading ${String(have)} (from ${from}) while its last store wrote ${String(want)}`;
    });
    return;
  }
}
