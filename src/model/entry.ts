// Page-table entry values (`pte_t`, `pmd_t`) and translation-cache entries, packed in small
// integers so that they live in registers and in the state encoding like any other value.
//
// pte_t:  bits 0-2 type (none, present, swap, migration, hwpoison), then write, dirty, young,
//         soft_dirty, huge (a PMD leaf), and from bit 8 the frame id (1-based; 0 = no frame).
// tlb entry: bit 0 write, bit 1 dirty (the cached dirty bit, or "written" for a mirror),
//         bit 2 huge, from bit 3 the frame id.

export const PTE_NONE = 0;
export const PTE_PRESENT = 1;
export const PTE_SWAP = 2;
export const PTE_MIGRATION = 3;
export const PTE_HWPOISON = 4;
/**
 * A PMD made invalid by pmdp_invalidate() (pmd_mkinvalid): not present to the hardware, but still
 * pmd_present() to the kernel, which waits for the PTL and re-checks it.
 */
export const PTE_INVALID = 5;

export const PTE_WRITE = 1 << 3;
export const PTE_DIRTY = 1 << 4;
export const PTE_YOUNG = 1 << 5;
export const PTE_SOFT_DIRTY = 1 << 6;
export const PTE_HUGE = 1 << 7;
const PFN_SHIFT = 8;

export function pteType(e: number): number {
  return e & 7;
}

export function pteFrame(e: number): number {
  return e >>> PFN_SHIFT;
}

export function makePte(type: number, frame: number, flags: number): number {
  return ((frame << PFN_SHIFT) | flags | type) >>> 0;
}

export function isPresent(e: number): boolean {
  return (e & 7) === PTE_PRESENT;
}

export const TLB_WRITE = 1;
export const TLB_DIRTY = 2;
export const TLB_HUGE = 4;

export function tlbEntry(frame: number, write: boolean, dirty: boolean, huge: boolean): number {
  return (frame << 3) | (write ? TLB_WRITE : 0) | (dirty ? TLB_DIRTY : 0) | (huge ? TLB_HUGE : 0);
}

export function tlbFrame(t: number): number {
  return t >>> 3;
}

/**
 * Keys of the page-table and translation maps: a PTE (or a 4 KiB translation) at page address A is
 * keyed A; a PMD leaf (or a huge translation) covering the 2 MiB region at R is keyed R + 1.
 */
export function pmdKey(regionAddr: number): number {
  return regionAddr + 1;
}

export function isPmdKey(key: number): boolean {
  return key % 2 === 1;
}

export function keyAddr(key: number): number {
  return key - (key % 2);
}

/** Describes a pte_t for traces: `p rw dirty young`, `swap(p)`, `migration(p, rw)`, `none`. */
export function formatPte(e: number, frameName: (id: number) => string): string {
  const f = frameName(pteFrame(e));
  switch (e & 7) {
    case PTE_NONE:
      return 'none';
    case PTE_PRESENT: {
      const parts = [f, e & PTE_WRITE ? 'rw' : 'ro'];
      if (e & PTE_DIRTY) parts.push('dirty');
      if (e & PTE_YOUNG) parts.push('young');
      if (e & PTE_SOFT_DIRTY) parts.push('soft_dirty');
      if (e & PTE_HUGE) parts.push('huge');
      return parts.join(' ');
    }
    case PTE_SWAP:
      return `swap(${f})`;
    case PTE_MIGRATION:
      return `migration(${f}, ${e & PTE_WRITE ? 'rw' : 'ro'})`;
    case PTE_HWPOISON:
      return `hwpoison(${f})`;
    case PTE_INVALID:
      return `invalid(${f})`;
    default:
      return `pte(${e})`;
  }
}

export function formatTlb(t: number, frameName: (id: number) => string): string {
  const parts = [frameName(tlbFrame(t)), t & TLB_WRITE ? 'rw' : 'ro'];
  if (t & TLB_DIRTY) parts.push('dirty');
  if (t & TLB_HUGE) parts.push('huge');
  return parts.join(' ');
}
