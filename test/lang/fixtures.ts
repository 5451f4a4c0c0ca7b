// Shared inputs and helpers for the language tests.

import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';

/** The complete example test of DESIGN §2. */
export const DESIGN_EXAMPLE = `MMU ttu+ats+notify-after-free
"try_to_unmap_one with the notifier placed after the page is freed"

config { kernel = "v4.13"; }

{
  vma v = [0x200000, 0x400000) anon rw;
  frame p = 1;                      // an anon page whose content is 1
  pte 0x200000 = p rw dirty young;  // mapped writable; the mapping holds one reference
  ref p;                            // the caller's reference (try_to_unmap callers hold one)
  secondary iommu : ats;            // a device that walks the CPU page tables (ATS/PASID)
  tlb iommu 0x200000 = p rw;        // its TLB starts warm
}

kernel K0 {
  mmu_notifier_invalidate_range_start(0x200000, 0x201000);
  pte_lock(0x200000);
  e = ptep_clear_flush(0x200000);
  page_remove_rmap(p);
  put_page(p);                                         // drops the mapping's reference
  pte_unlock(0x200000);
  put_page(p);                                         // drops the caller's: frees p
  mmu_notifier_invalidate_range(0x200000, 0x201000);   // too late
  mmu_notifier_invalidate_range_end(0x200000, 0x201000);
}

device D0 on iommu {
  r0 = load(0x200000);
}

exists (D0:r0 = 1)
expect sometimes, violates dangling-translation, use-after-free;
`;

/** Parses a test held in a string. */
export function parse(text: string, path = 'test.litmus') {
  return parseLitmus(sourceFile(path, text));
}

/** The codes of the diagnostics, in order. */
export function codes(text: string): string[] {
  return parse(text).diagnostics.map((d) => d.code);
}

/** A minimal valid test around `body` (statements of thread K0) with `init` items. */
export function wrapThread(body: string, init = ''): string {
  return `MMU t\n{\n${init}\n}\nkernel K0 {\n${body}\n}\n`;
}

/** Drops what the printer does not keep (spans, source file, docs) so trees compare by value. */
export function strip(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(strip);
  if (x !== null && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) {
      if (k === 'file' && typeof v === 'object') continue;
      if (k === 'span' || k.endsWith('Span') || k === 'doc' || k === 'resultComment') continue;
      out[k] = strip(v);
    }
    return out;
  }
  return x;
}
