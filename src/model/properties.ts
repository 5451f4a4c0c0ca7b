// The ten built-in properties of DESIGN §4: stable names (used in output, `expect`, `--no-check`
// and final-condition atoms), their bit in a state's violation mask, and the text of
// `mmu-litmus explain`. The checks themselves live where the events happen (semantics/).

export const PROPERTIES = [
  'use-after-free',
  'dangling-translation',
  'lost-write',
  'incoherent-translation',
  'sleep-in-atomic',
  'deadlock',
  'notifier-imbalance',
  'unnotified-change',
  'assertion',
  'lost-update',
] as const;

export type PropertyName = (typeof PROPERTIES)[number];

/**
 * Warnings: the review warnings (Nadav Amit's 2017 rule made mechanical) and a kernel WARN_ON
 * reached. Reported apart from violations, and failing a test only when its `expect … warns …`
 * names them. Bits follow the properties'.
 */
export const WARNINGS = ['late-invalidate', 'needless-invalidate', 'kernel-warning'] as const;

/** Everything the monitors can flag, indexed by bit. */
export const CHECKS: readonly string[] = [...PROPERTIES, ...WARNINGS];

export const USE_AFTER_FREE = 0;
export const DANGLING_TRANSLATION = 1;
export const LOST_WRITE = 2;
export const INCOHERENT_TRANSLATION = 3;
export const SLEEP_IN_ATOMIC = 4;
export const DEADLOCK = 5;
export const NOTIFIER_IMBALANCE = 6;
export const UNNOTIFIED_CHANGE = 7;
export const ASSERTION = 8;
export const LOST_UPDATE = 9;
export const LATE_INVALIDATE = 10;
export const NEEDLESS_INVALIDATE = 11;
export const KERNEL_WARNING = 12;

/** Bits of the properties proper (not the warnings). */
export const VIOLATION_BITS = (1 << PROPERTIES.length) - 1;

/** The bit of a property or warning name, or -1. */
export function propertyBit(name: string): number {
  return CHECKS.indexOf(name);
}

export function isProperty(name: string): name is PropertyName {
  return (PROPERTIES as readonly string[]).includes(name);
}

export function isWarning(name: string): boolean {
  return (WARNINGS as readonly string[]).includes(name);
}

/** A property or a warning: what `--no-check`, `config { check … }` and conditions accept. */
export function isCheck(name: string): boolean {
  return propertyBit(name) >= 0;
}

/** Property names of a mask, in the fixed order above. */
export function maskNames(mask: number): string[] {
  return CHECKS.filter((_, i) => (mask & (1 << i)) !== 0);
}

/**
 * Everything said about one check, in one place: `mmu-litmus explain`, the matrix's short names
 * and docs/properties.md (generated from this table by `npm run docs:properties`) all read it.
 */
export interface PropertyDoc {
  readonly name: string;
  /** The name in a matrix cell (`uaf`); warnings are written `!short` after the verdict. */
  readonly short: string;
  readonly when: string;
  readonly checked: string;
  readonly example: string;
  readonly kernel: string;
  /** Catalogue tests (paths under litmus/, without `.litmus`) that show it violated and kept. */
  readonly tests: readonly string[];
}

export const PROPERTY_DOCS: readonly PropertyDoc[] = [
  {
    name: 'use-after-free',
    short: 'uaf',
    tests: [
      'ttu+ats+notify-after-free',
      'properties/free+stale-tlb',
      'properties/mirror+no-retry',
      'properties/gather+put-page',
      'properties/gather+free-before-notify',
      'ttu+ats+notify-before-free',
      'properties/free+flush-first',
      'properties/gather+munmap',
    ],
    when: 'A thread reads or writes the content of a free frame: a load or store (through a CPU TLB, a secondary translation or a page-table walk), copy_page, pageout or page_content.',
    checked: 'At the step that touches the frame.',
    example: `kernel K0 { put_page(p); }          // the last reference: p is freed
device D0 on iommu { r0 = load(0x200000); }  // a warm TLB entry still points at p`,
    kernel: 'A device DMA-ing into a page the allocator has handed to someone else: memory corruption.',
  },
  {
    name: 'dangling-translation',
    short: 'dangling',
    tests: [
      'ttu+ats+notify-after-free',
      'properties/free+stale-tlb',
      'properties/gather+put-page',
      'properties/gather+free-before-notify',
      'ttu+ats+notify-before-free',
      'properties/mirror+seq-retry',
      'properties/gather+munmap',
    ],
    when: 'A frame is free while a present PTE/PMD, a CPU TLB entry or a secondary translation still names it.',
    checked: 'At the step that frees the frame, or that installs such a translation.',
    example: `kernel K0 {
  e = ptep_clear_flush(0x200000); page_remove_rmap(p); put_page(p); put_page(p);
  mmu_notifier_invalidate_range(0x200000, 0x201000);   // too late: p is already free
}`,
    kernel:
      'The page can be reused while a secondary MMU can still reach it (try_to_unmap_one notifying after the free).',
  },
  {
    name: 'lost-write',
    short: 'lost-write',
    tests: [
      'properties/mkclean+drop-dirty',
      'properties/munmap+file-drop-dirty',
      'properties/mkclean+set-page-dirty',
      'properties/munmap+file-dirty',
    ],
    when: 'A frame with a backing copy is freed while its content differs from the backing copy, or the execution ends with an allocated frame whose content differs from its backing copy while nothing records it dirty (no PG_dirty, no dirty PTE mapping it).',
    checked: 'At the freeing step, and when the execution ends.',
    example: `kernel K0 { e = ptep_clear_flush(0x200000); /* forgets: if (pte_dirty(e)) set_page_dirty(f); */ }
cpu C0 { store(0x200000, 7); }`,
    kernel: 'Data written through a mapping never reaches the disk: the dirty bit was dropped before writeback saw it.',
  },
  {
    name: 'incoherent-translation',
    short: 'incoherent',
    tests: [
      'properties/zap+no-flush',
      'properties/mirror+no-retry',
      'properties/gather+no-range',
      'properties/zap+flush',
      'properties/gather+munmap',
      'properties/flush-pending+mprotect',
    ],
    when: 'In a quiescent state (no page-table lock held, no thread between invalidate_range_start and _end, no batched flush pending, no mmu_gather owing a flush, mm->tlb_flush_pending zero) a CPU or secondary translation for address A is not backed by the primary: the PTE is not present, maps another frame, is read-only under a writable translation, or (for CPU and ats TLBs, which cache the dirty bit) is clean under a translation cached dirty.',
    checked: 'At every step that ends in a quiescent state.',
    example: `kernel K0 { pte_lock(0x200000); e = ptep_get_and_clear(0x200000); pte_unlock(0x200000); }
// no flush_tlb_page and no notifier: C0's TLB still maps p`,
    kernel:
      'A stale translation outlives every lock and bracket that could justify it: a missing TLB flush or notifier call.',
  },
  {
    name: 'sleep-in-atomic',
    short: 'sleep',
    tests: [
      'properties/invalidate_page+ptl+mutex',
      'properties/invalidate_page+after-unlock',
      'properties/oom-reaper+trylock',
    ],
    when: 'A sleeping operation (mutex, rwsem, lock_page, a blockable invalidate_range_start or _end, might_sleep, alloc_page; not a trylock) while a spinlock (page-table lock or declared spinlock) is held or inside a non-blockable notifier call.',
    checked: 'At the sleeping step.',
    example: `kernel K0 { pte_lock(0x200000); mmu_notifier_invalidate_page(0x200000); pte_unlock(0x200000); }
secondary userptr { lock m : mutex; on invalidate_page(a) { mutex_lock(m); mutex_unlock(m); } }`,
    kernel: 'BUG: sleeping function called from invalid context (amdgpu_mn_invalidate_page under the PTL, 2017).',
  },
  {
    name: 'deadlock',
    short: 'deadlock',
    tests: ['properties/abba', 'properties/ab+ab'],
    when: 'Some thread has not finished and no thread can take a step.',
    checked: 'In every state without an enabled thread; the trace ends with a deadlock step.',
    example: `kernel K0 { spin_lock(a); spin_lock(b); spin_unlock(b); spin_unlock(a); }
kernel K1 { spin_lock(b); spin_lock(a); spin_unlock(a); spin_unlock(b); }`,
    kernel: 'An ABBA lock inversion, for example a driver lock taken inside a notifier and around a fault.',
  },
  {
    name: 'notifier-imbalance',
    short: 'imbalance',
    tests: ['properties/oom-reaper+v5.5', 'properties/oom-reaper+v5.12'],
    when: "A thread finishes inside an open invalidate_range_start bracket, calls _end without a matching _start (same range), or calls _end after a failed non-blocking _start; or a secondary whose invalidate_range_start succeeded never receives the matching invalidate_range_end (unless it left the list meanwhile: mmu_notifier_unregister, _put, or exit's mmu_notifier_release, after which no walk reaches it).",
    checked: 'At the _end call, when a thread finishes, and when the execution ends.',
    example: `kernel K0 { mmu_notifier_invalidate_range_start(0x200000, 0x201000); }   // no _end`,
    kernel: 'A mirror stays "invalidating" forever and refuses to fault (the OOM-reaper bug fixed by c2655835fd8c).',
  },
  {
    name: 'unnotified-change',
    short: 'unnotified',
    tests: [
      'properties/clear+no-notify',
      'properties/clear+bracket',
      'properties/clear+one-byte-range',
      'properties/clear+pmd-512-byte-range',
    ],
    when: 'A thread makes a present entry at A non-present, read-only, clean or point to another frame, and that change is covered neither by an open invalidate_range_start bracket of the same thread whose range contains A (all of the PMD for a PMD entry) nor by a later invalidate_page / invalidate_range / arch_invalidate_secondary_tlbs of the same thread covering A (such a call reaches the whole pages its range touches, as secondaries invalidate pages: [A, A + 1) covers the 4 KiB entry at A, not a 2 MiB one).',
    checked: 'When the thread finishes.',
    example: `kernel K0 { pte_lock(0x200000); e = ptep_clear_flush(0x200000); pte_unlock(0x200000); }`,
    kernel: 'A secondary MMU is never told that a translation it may cache was weakened.',
  },
  {
    name: 'assertion',
    short: 'assert',
    tests: ['properties/assert+race', 'properties/assert+await'],
    when: 'An assert fails, or a thread hits a kernel BUG (unlocking a lock it does not hold, a refcount going negative).',
    checked: 'At the failing step.',
    example: `cpu C0 { r0 = load(0x200000); assert(r0 == 1); }`,
    kernel: 'Whatever the test author wanted to hold.',
  },
  {
    name: 'lost-update',
    short: 'lost-update',
    tests: [
      'properties/ksm+no-flush-pending',
      'properties/cow+fork-no-notify',
      'scenarios/ttu+kvm+anon+aac2fea94f7a',
      'scenarios/reclaim-lazyfree+kvm+v4.12',
      'properties/ksm+flush-pending',
      'properties/cow+fork-notify',
    ],
    when: 'The execution ends with a user address A that a cpu or device store reached and that is still mapped (a present PTE/PMD, a swap entry or a migration entry) reading a value other than the last store to A. "Last" is per 4 KiB page, in the order of the execution: a store to A records its value for A, and for every other stored page whose data is, at that step, the frame the store wrote (a huge page, a shared or KSM mapping: one write changes what all of them read). What A reads: the content of the frame a present or migration entry names; for a swap entry, the swap-cache page while the frame it names is allocated and in the swap cache, else the swap slot (the backing copy). A page made none or hwpoison (munmap, MADV_DONTNEED, truncation, memory failure, the discard of a clean lazily-freed page) was unmapped on purpose and does not count; nor does a page whose entry names a free frame (that is dangling-translation). Except a wrong discard: also violated when a page is left none, by a thread that is not zapping (no mmu_gather open: reclaim), while its last store came after MADV_FREE, that is, landed in the lazily-freed frame (anonymous, PG_swapbacked clear) while no thread had an mmu_gather open, with no ClearPageSwapBacked of the frame since (MADV_FREE allows the discard of what was written before it, never after it returned). MODEL: a store while any gather is open (even another range\'s) is taken as racing with the madvise call, which can only hide such a loss.',
    checked:
      'When the execution ends; a wrong discard when the page-table lock over the discarded entry is released. The stores are recorded as they complete (a test without stores pays nothing).',
    example: `kernel K0 {   // ksmd: p compared equal to the KSM page k while a flush was still pending
  if (page_content(p) == page_content(k)) {
    pte_lock(0x200000); ptep_clear_flush(0x200000); set_pte_at(0x200000, mk_pte(k, 0)); pte_unlock(0x200000);
  }
}
device D0 on iommu { store(0x200000, 7); }   // through its stale translation, after the comparison`,
    kernel:
      "A write that completed is silently undone: KSM merging a page a device still writes to (b3a81d0841a9), migration copying before the last write through a stale translation, a COW that copies the page before the device's write reaches the old one. lost-write is about the backing copy (disk or swap) of one frame; lost-update follows the address across frames.",
  },
  {
    name: 'late-invalidate',
    short: 'late',
    tests: ['warnings/mkclean+invalidate-after-set', 'warnings/mkclean+invalidate-after-clear'],
    when: 'Review warning. A secondary-TLB invalidation (an explicit mmu_notifier_invalidate_range, invalidate_page or arch_invalidate_secondary_tlbs call, or a *_clear_flush_notify helper) covers an entry the thread weakened, but only after the thread had written that entry again (a new present entry, or a swap, migration or hwpoison entry): the invalidation must follow the clear (or the permission demotion, or the A/D clear), not the set.',
    checked:
      'At the invalidation call. Not a violation: a test fails on it only when its expect says `warns late-invalidate`.',
    example: `kernel K0 {
  pte_lock(0x200000);
  e = ptep_clear_flush(0x200000);
  set_pte_at(0x200000, pte_mkclean(pte_wrprotect(e)));
  mmu_notifier_invalidate_range(0x200000, 0x201000);   // after the set: late
  pte_unlock(0x200000);
}`,
    kernel:
      "Nadav Amit's review of the seed patch (2017-08-29): the notifier should be called after the PTE is cleared, its permissions demoted or its access/dirty bits cleared, not after the PTE is set.",
  },
  {
    name: 'needless-invalidate',
    short: 'needless',
    tests: ['warnings/clear-notify+invalidate-again', 'warnings/mkclean+invalidate-after-clear'],
    when: 'Review warning. An explicit secondary-TLB invalidation covers no entry the thread weakened since its last invalidation of it.',
    checked:
      'At the invalidation call (the implicit ->invalidate_range of invalidate_range_end and the notification inside the v6.6 TLB flush do not count). A test fails on it only when its expect says `warns needless-invalidate`.',
    example: `kernel K0 {
  e = ptep_clear_flush_notify(0x200000);               // clears and invalidates
  mmu_notifier_invalidate_range(0x200000, 0x201000);   // nothing left to invalidate
}`,
    kernel:
      'The seed patch\'s calls after each set_pte_at ("All the other calls ... can be removed", Nadav Amit), and the double notifications that 0f10851ea475 removed.',
  },
  {
    name: 'kernel-warning',
    short: 'warn',
    tests: ['warnings/warn-on+condition', 'scenarios/ttu+ats+swapbacked-warn+v4.13'],
    when: 'Warning. A thread reaches WARN_ON(c) or WARN_ON_ONCE(c) with c true: a path the kernel marks as one that cannot happen.',
    checked:
      'At the WARN_ON step. Not a violation (the kernel prints a splat and goes on): a test fails on it only when its expect says `warns kernel-warning`; `mmu-litmus matrix` shows such a cell as `warn`, never as `safe`, because the routine did not do its job on that path.',
    example: `kernel K0 {
  if (PageSwapBacked(p) != PageSwapCache(p)) {
    WARN_ON_ONCE(1);                                   // try_to_unmap_one: "can't happen"
    return false;
  }
}`,
    kernel:
      'try_to_unmap_one() of v6.6 called for migration (TTU_MIGRATION went to try_to_migrate_one() in v5.14): it clears the PTE, warns and abandons the walk — the work was never done.',
  },
];
