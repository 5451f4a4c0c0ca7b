// Where a `pte_t *` points for an address: the PTE, or in a hugetlb vma the huge entry.
//
// The kernel reaches a hugetlb page's entry through a `pte_t *` at whatever level the page is
// mapped (huge_pte_offset(), hugetlb_walk()): page_vma_mapped_walk() sets `pvmw->pte` to it and
// leaves `pvmw->pmd` NULL (mm/page_vma_mapped.c, v4.13 and v6.6; the function's kernel-doc says so
// from v5.x: "For HugeTLB pages, @pvmw->pte is set to the relevant page table entry regardless of
// which page table level the page is mapped at. @pvmw->pmd is NULL."). Through that pointer it
// calls the ordinary `ptep_*`/`set_pte_at()` (v4.12–v4.15 try_to_unmap_one(): `ptep_clear_flush(vma,
// address, pvmw.pte)` on a hugetlb page too) or the `huge_ptep_*` wrappers, which on x86 are those
// same functions (arch/x86/include/asm/hugetlb.h in the v4.x trees; later the generic fallbacks of
// include/asm-generic/hugetlb.h, which x86 uses unchanged).
//
// The model addresses entries by address, so a primitive given an address inside a hugetlb vma
// acts on the huge entry, kept at PMD level (key pmdKey(region), PTE_HUGE set in every non-zero
// value, as pmdp_get() and the walk of a PMD leaf see it).
// MODEL: hugetlb pages are PMD-sized (2 MiB): `vma_mmu_pagesize()` is PMD_SIZE, no PUD-sized pages.
// MODEL: the lock of a hugetlb entry (huge_pte_lock(): for a PMD-sized page the PMD's split lock)
// is the region's page-table lock, `pte_lock(a)`, which for other pages is also the PTE table's
// lock; the kernel has two, but in a hugetlb vma no PTE table shares the region, so the merged
// lock hides nothing there.
// MODEL: flushing a hugetlb entry flushes (and from v6.6 notifies) the page of the address, as x86
// does; every translation cache drops what overlaps the flushed range, so the CPU's and an ATS
// device's 2 MiB translation go. A device that cached 4 KiB pieces of the huge page and dropped
// only the notified one would keep the others — a case the model, which fills one 2 MiB
// translation per walk of a huge entry, cannot show. For `unnotified-change` the one-page
// notification does not cover the 2 MiB entry (notifiers.ts).

import { isPmdKey, PTE_HUGE, pmdKey } from '../model/entry.js';
import { hex, type U64 } from '../model/u64.js';
import { ModelError, pageOf, regionOf, userAddr } from './mm.js';
import type { Program, VmaInfo } from './program.js';

/** The hugetlb vma that contains address `a`, if any. */
export function hugetlbVmaAt(prog: Program, a: number): VmaInfo | undefined {
  for (const v of prog.vmas) if (v.hugetlb && v.start <= a && a < v.end) return v;
  return undefined;
}

/** The page-table key of the entry a `pte_t *` for address `a` points at. */
export function pteKeyAt(prog: Program, a: number): number {
  return hugetlbVmaAt(prog, a) === undefined ? pageOf(a) : pmdKey(regionOf(a));
}

/**
 * The key of a hugetlb entry for `huge_ptep_*`/`set_huge_*pte_at`: the kernel calls them only on
 * a hugetlb vma's entry; anywhere else the pointer would not point at a huge entry (ML4040).
 */
export function hugePteKeyAt(prog: Program, v: U64, what: string): number {
  const a = userAddr(v);
  if (hugetlbVmaAt(prog, a) === undefined) {
    throw new ModelError('ML4040', `'${what}' acts on a hugetlb entry, but ${hex(a)} is not in a hugetlb vma.`);
  }
  return pmdKey(regionOf(a));
}

/** The value stored at `key` for entry `e`: a huge entry keeps PTE_HUGE, a PTE never has it. */
export function entryAt(key: number, e: number): number {
  if (!isPmdKey(key)) return (e & ~PTE_HUGE) >>> 0;
  return e === 0 ? 0 : (e | PTE_HUGE) >>> 0;
}
