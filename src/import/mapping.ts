// The mapping table of the C front end, as data: kernel name → what the model uses for it, with
// the kernel versions each row holds for (signatures change between versions). docs/import.md
// documents every row; test/import/mapping.test.ts checks that it does.
//
// A call row has an `emit` template over the translated C arguments: `$2` is the second argument,
// `$2<pte_dirty>` the X of a second argument written `pte_dirty(X)`. Arguments a template does not
// name (the `mm`, the `vma` a flush takes for its mm, the pointer to the entry, whose address the
// model uses instead) are not translated at all.

import { type KernelVersion, versionIndex } from '../model/version.js';

/** The kernel versions the table has been written and checked for (`--kernel`). */
export const KERNEL_VERSIONS_COVERED: readonly KernelVersion[] = ['v4.12', 'v4.13', 'v4.15', 'v6.6'];

/**
 * - `primitive`: a model primitive (docs/language.md §7);
 * - `routine`: a prelude routine (runs code of its own: a statement of its own, see `hoist`);
 * - `abstraction`: a documented replacement (the `note` says what is modelled instead);
 * - `constant`: a value the model fixes (a condition on it is folded; the dead branch is left out);
 * - `dropped`: a call left out, with the reason (`approximation: 'under'` when it has side effects
 *   the model then misses);
 * - `choose`: a condition the model cannot decide, explored both ways (an over-approximation).
 */
export type RowKind = 'primitive' | 'routine' | 'abstraction' | 'constant' | 'dropped' | 'choose';

export interface CallRow {
  readonly c: string;
  readonly kind: RowKind;
  /** The number of C arguments (rows of other arities do not match). */
  readonly arity: number;
  /** Litmus text with `$N` / `$N<pte_dirty>` placeholders (absent for `dropped`/`choose`). */
  readonly emit?: string;
  /** The call runs code of its own: inside a condition it is hoisted into this local first. */
  readonly hoist?: string;
  /** First and last kernel version the row holds for (inclusive); absent: every covered one. */
  readonly from?: KernelVersion;
  readonly until?: KernelVersion;
  /** Why, for abstractions, constants, dropped calls: printed as `// MODEL:` and in the report. */
  readonly note?: string;
  readonly approximation?: 'under' | 'over';
}

const same = (c: string, arity: number, kind: RowKind = 'primitive'): CallRow => ({
  c,
  kind,
  arity,
  emit: `${c}(${Array.from({ length: arity }, (_, i) => `$${i + 1}`).join(', ')})`,
});

const NO_MM = 'the model has one mm: the mm argument disappears';

const FOLIO = 'one page mapped once: a folio is its page in the model';
const ONE_PAGE = 'nr_pages is 1 here (no batched unmap of a whole large folio in the model)';
const NO_UFFD = 'userfaultfd is not modelled (no VMA is uffd-armed)';
const NO_ANDROID =
  'an Android vendor hook or statistic of the v6.6 Android common kernel: no effect on page tables or notifiers';

/** The folio API of v6.6 (and the calls of the v6.6 Android common kernel's mm/rmap.c). */
const FOLIO_ROWS: readonly CallRow[] = [
  ...(
    [
      ['folio_test_hugetlb', 'PageHuge'],
      ['folio_test_anon', 'PageAnon'],
      ['folio_test_swapbacked', 'PageSwapBacked'],
      ['folio_test_swapcache', 'PageSwapCache'],
      ['folio_test_dirty', 'PageDirty'],
      ['folio_test_locked', 'PageLocked'],
      ['folio_mark_dirty', 'set_page_dirty'],
      ['folio_set_swapbacked', 'SetPageSwapBacked'],
      ['folio_put', 'put_page'],
      ['folio_get', 'get_page'],
      ['folio_ref_count', 'page_count'],
      ['folio_mapcount', 'page_mapcount'],
      ['folio_lock', 'lock_page'],
      ['folio_unlock', 'unlock_page'],
      ['folio_trylock', 'trylock_page'],
      ['hugetlb_remove_rmap', 'page_remove_rmap'],
    ] as const
  ).map(([c, m]): CallRow => ({ c, kind: 'abstraction', arity: 1, emit: `${m}($1)`, from: 'v6.6', note: FOLIO })),
  {
    c: 'folio_test_large',
    kind: 'abstraction',
    arity: 1,
    emit: '(compound_order($1) > 0)',
    from: 'v6.6',
    note: 'a large folio is a compound frame (thp or hugetlb) in the model',
  },
  {
    c: 'folio_page',
    kind: 'abstraction',
    arity: 2,
    emit: '$1',
    from: 'v6.6',
    note: 'one page mapped once: the subpage is the folio (the index is not translated)',
  },
  { c: 'VM_BUG_ON_FOLIO', kind: 'primitive', arity: 2, emit: 'VM_BUG_ON_PAGE($1, $2)', from: 'v6.6' },
  {
    c: 'folio_remove_rmap_pte',
    kind: 'primitive',
    arity: 3,
    emit: 'page_remove_rmap($1)',
    from: 'v6.6',
    note: 'one page mapped once in one vma: the subpage and vma arguments do not matter',
  },
  {
    c: 'folio_remove_rmap_ptes',
    kind: 'primitive',
    arity: 4,
    emit: 'page_remove_rmap($1)',
    from: 'v6.6',
    note: ONE_PAGE,
  },
  { c: 'folio_ref_sub', kind: 'dropped', arity: 2, from: 'v6.6', note: `${ONE_PAGE}: it subtracts nr_pages - 1 = 0` },
  {
    c: 'can_batch_unmap_folio_ptes',
    kind: 'constant',
    arity: 3,
    emit: 'false',
    from: 'v6.6',
    note: 'batched unmap of a whole lazyfree large folio (folio_pte_batch()) is not modelled: one entry at a time',
    approximation: 'under',
  },
  {
    c: 'get_and_clear_full_ptes',
    kind: 'primitive',
    arity: 5,
    emit: 'ptep_get_and_clear($2)',
    from: 'v6.6',
    note: ONE_PAGE,
  },
  { c: 'set_ptes', kind: 'primitive', arity: 5, emit: 'set_pte_at($2, $4)', from: 'v6.6', note: ONE_PAGE },
  {
    c: 'set_tlb_ubc_flush_pending',
    kind: 'primitive',
    arity: 4,
    emit: 'set_tlb_ubc_flush_pending($2)',
    from: 'v6.6',
    note: 'the address range only selects the batch: one batch per thread in the model',
  },
  {
    c: 'flush_tlb_range',
    kind: 'primitive',
    arity: 3,
    emit: 'flush_tlb_range($2, $3)',
    note: 'the vma argument only names the mm: one mm in the model',
  },
  {
    c: 'huge_page_size',
    kind: 'abstraction',
    arity: 1,
    emit: 'PMD_SIZE',
    from: 'v6.6',
    note: 'hugetlb pages are PMD-sized in the model',
  },
  {
    c: 'page_swap_entry',
    kind: 'abstraction',
    arity: 1,
    emit: 'swp_entry_to_pte($1)',
    from: 'v6.6',
    note: "a swap-cache page's swap entry: the model's swap pte names the page's slot",
  },
  ...['pte_swp_mkexclusive', 'pte_swp_mkuffd_wp', 'make_migration_entry_young', 'make_migration_entry_dirty'].map(
    (c): CallRow => ({
      c,
      kind: 'abstraction',
      arity: 1,
      emit: '$1',
      from: 'v6.6',
      note: 'the exclusive, uffd-wp, young and dirty bits of swap and migration entries are not tracked: the entry is unchanged',
    }),
  ),
  {
    c: 'make_writable_migration_entry',
    kind: 'primitive',
    arity: 1,
    emit: 'make_migration_entry($1<page_to_pfn>, 1)',
    from: 'v6.6',
    note: 'the migration entry names the page (page_to_pfn() is the page)',
  },
  ...['make_readable_migration_entry', 'make_readable_exclusive_migration_entry'].map(
    (c): CallRow => ({
      c,
      kind: 'primitive',
      arity: 1,
      emit: 'make_migration_entry($1<page_to_pfn>, 0)',
      from: 'v6.6',
      note: 'the migration entry names the page (page_to_pfn() is the page); exclusive is not tracked',
    }),
  ),
  {
    c: 'PageAnonExclusive',
    kind: 'constant',
    arity: 1,
    emit: 'true',
    from: 'v6.6',
    note: 'one mm and no fork in the model: an anon page mapped once is exclusive to it',
  },
  ...['folio_try_share_anon_rmap_pte', 'hugetlb_try_share_anon_rmap'].map(
    (c): CallRow => ({
      c,
      kind: 'constant',
      arity: c === 'hugetlb_try_share_anon_rmap' ? 1 : 2,
      emit: 'false',
      from: 'v6.6',
      note: "sharing fails only for a FOLL_PIN-pinned page; the model's GUP takes plain references (FOLL_GET): it succeeds",
    }),
  ),
  {
    c: 'page_try_share_anon_rmap',
    kind: 'constant',
    arity: 1,
    emit: 'false',
    from: 'v6.6',
    note: "sharing fails only for a FOLL_PIN-pinned page; the model's GUP takes plain references (FOLL_GET): it succeeds",
  },
  ...['folio_is_zone_device', 'folio_is_device_private'].map(
    (c): CallRow => ({
      c,
      kind: 'constant',
      arity: 1,
      emit: 'false',
      from: 'v6.6',
      note: 'no ZONE_DEVICE pages in the model',
    }),
  ),
  { c: 'pte_uffd_wp', kind: 'constant', arity: 1, emit: 'false', from: 'v6.6', note: NO_UFFD },
  { c: 'userfaultfd_armed', kind: 'constant', arity: 1, emit: 'false', from: 'v6.6', note: NO_UFFD },
  { c: 'pte_install_uffd_wp_if_needed', kind: 'dropped', arity: 4, from: 'v6.6', note: `${NO_UFFD}: a no-op` },
  {
    c: 'hugetlb_vma_trylock_write',
    kind: 'constant',
    arity: 1,
    emit: 'true',
    from: 'v6.6',
    note: 'the hugetlb vma lock serialises PMD sharing, which one mm does not have: the trylock succeeds',
  },
  {
    c: 'hugetlb_vma_unlock_write',
    kind: 'dropped',
    arity: 1,
    from: 'v6.6',
    note: 'the hugetlb vma lock is not modelled (see hugetlb_vma_trylock_write)',
  },
  {
    c: 'huge_pmd_unshare',
    kind: 'constant',
    arity: 4,
    emit: 'false',
    from: 'v6.6',
    note: 'no PMD sharing with one mm: nothing to unshare',
  },
  {
    c: 'unmap_huge_pmd_locked',
    kind: 'choose',
    arity: 4,
    from: 'v6.6',
    note: 'the lazyfree PMD unmap (a backport in the Android v6.6 tree) is not modelled: both answers are explored',
    approximation: 'over',
  },
  {
    c: 'split_huge_pmd_locked',
    kind: 'dropped',
    arity: 5,
    from: 'v6.6',
    note: 'no PMD-mapped THP reaches try_to_unmap_one() in the tests (TTU_SPLIT_HUGE_PMD is never passed)',
    approximation: 'under',
  },
  {
    c: 'page_vma_mapped_walk_restart',
    kind: 'dropped',
    arity: 1,
    from: 'v6.6',
    note: 'the walk is not restarted (only after split_huge_pmd_locked(), never reached in the tests)',
    approximation: 'under',
  },
  ...[2, 3].map(
    (arity): CallRow => ({
      c: 'mlock_vma_folio',
      kind: 'dropped',
      arity,
      from: 'v6.6',
      note: 'mlock is not modelled (the v6.6 form has a third, compound argument)',
      approximation: 'under',
    }),
  ),
  { c: 'mlock_drain_local', kind: 'dropped', arity: 0, from: 'v6.6', note: 'mlock is not modelled' },
  { c: 'add_mm_counter', kind: 'dropped', arity: 3, note: 'mm counters have no observable effect here' },
  {
    c: 'swap_free',
    kind: 'dropped',
    arity: 1,
    note: 'swap slots are not reference-counted in the model',
    approximation: 'under',
  },
  ...['smp_mb', 'smp_rmb', 'smp_wmb'].map(
    (c): CallRow => ({
      c,
      kind: 'dropped',
      arity: 0,
      note: 'the model is sequentially consistent: a barrier orders nothing more',
    }),
  ),
  ...(
    [
      ['trace_android_vh_try_to_unmap_one', 5],
      ['trace_set_migration_pte', 3],
      ['set_src_usage', 2],
    ] as const
  ).map(([c, arity]): CallRow => ({ c, kind: 'dropped', arity, from: 'v6.6', note: NO_ANDROID })),
];

export const CALLS: readonly CallRow[] = [
  // The walk (page_vma_mapped_walk itself is the `while` loop, see translate.ts).
  { c: 'page_vma_mapped_walk_done', kind: 'primitive', arity: 1, emit: 'page_vma_mapped_walk_done($1)' },
  // Page table: the entry pointer (`pvmw.pte`, `pte`) is the entry at the address the model uses.
  { c: 'ptep_get', kind: 'primitive', arity: 1, emit: 'ptep_get($1)' },
  { c: 'ptep_clear_flush', kind: 'primitive', arity: 3, emit: 'ptep_clear_flush($2)' },
  { c: 'ptep_clear_flush_notify', kind: 'primitive', arity: 3, emit: 'ptep_clear_flush_notify($2)', until: 'v5.12' },
  { c: 'ptep_get_and_clear', kind: 'primitive', arity: 3, emit: 'ptep_get_and_clear($2)' },
  { c: 'set_pte_at', kind: 'primitive', arity: 4, emit: 'set_pte_at($2, $4)', note: NO_MM },
  {
    c: 'ptep_clear_flush_young_notify',
    kind: 'primitive',
    arity: 3,
    emit: 'ptep_clear_flush_young_notify($2)',
    hoist: 'young',
  },
  { c: 'pmdp_huge_clear_flush', kind: 'primitive', arity: 3, emit: 'pmdp_huge_clear_flush($2)' },
  { c: 'pmdp_invalidate', kind: 'primitive', arity: 3, emit: 'pmdp_invalidate($2)' },
  { c: 'set_pmd_at', kind: 'primitive', arity: 4, emit: 'set_pmd_at($2, $4)', note: NO_MM },
  { c: 'huge_ptep_clear_flush', kind: 'primitive', arity: 3, emit: 'huge_ptep_clear_flush($2)' },
  { c: 'set_huge_pte_at', kind: 'primitive', arity: 4, emit: 'set_huge_pte_at($2, $4)', until: 'v5.12' },
  {
    c: 'set_huge_pte_at',
    kind: 'primitive',
    arity: 5,
    emit: 'set_huge_pte_at($2, $4)',
    from: 'v6.6',
    note: 'the hugetlb page size argument (v6.6) is the entry level in the model',
  },
  {
    c: 'set_huge_swap_pte_at',
    kind: 'primitive',
    arity: 5,
    emit: 'set_huge_swap_pte_at($2, $4, $5)',
    until: 'v5.12',
    note: 'added in v4.13-rc1; the v4.12 rows serve v4.13-rc trees, whose notifier semantics are still v4.12',
  },
  // PTE and PMD values.
  ...[
    'pte_dirty',
    'pte_write',
    'pte_young',
    'pte_present',
    'pte_none',
    'pte_soft_dirty',
    'pte_wrprotect',
    'pte_mkclean',
    'pte_mkdirty',
    'pte_mkold',
    'pte_mkyoung',
    'pte_mkwrite',
    'pmd_dirty',
    'pmd_write',
    'pmd_young',
    'pmd_present',
    'pmd_wrprotect',
    'pmd_mkclean',
    'pmd_mkdirty',
    'pmd_mkold',
    'make_hwpoison_entry',
    'pte_pfn',
  ].map((c) => same(c, 1)),
  same('make_migration_entry', 2),
  {
    c: 'swp_entry_to_pte',
    kind: 'abstraction',
    arity: 1,
    emit: '$1',
    note: 'a swap entry is already its pte in the model (make_*_entry() build the pte)',
  },
  {
    c: 'pte_swp_mksoft_dirty',
    kind: 'abstraction',
    arity: 1,
    emit: '$1',
    note: 'soft-dirty bits of swap entries are not tracked: the entry is unchanged',
  },
  {
    c: 'page_private',
    kind: 'abstraction',
    arity: 1,
    emit: 'swp_entry_to_pte($1)',
    note: "page_private() of a swap-cache page is its swap entry: the model's swap pte names the page's slot",
  },
  // Notifiers (the mm argument disappears).
  {
    c: 'mmu_notifier_invalidate_page',
    kind: 'primitive',
    arity: 2,
    emit: 'mmu_notifier_invalidate_page($2)',
    until: 'v4.12',
    note: NO_MM,
  },
  {
    c: 'mmu_notifier_invalidate_range',
    kind: 'primitive',
    arity: 3,
    emit: 'mmu_notifier_invalidate_range($2, $3)',
    until: 'v5.12',
    note: NO_MM,
  },
  {
    c: 'mmu_notifier_invalidate_range_start',
    kind: 'primitive',
    arity: 3,
    emit: 'mmu_notifier_invalidate_range_start($2, $3)',
    until: 'v4.15',
    note: NO_MM,
  },
  {
    c: 'mmu_notifier_invalidate_range_end',
    kind: 'primitive',
    arity: 3,
    emit: 'mmu_notifier_invalidate_range_end($2, $3)',
    until: 'v4.15',
    note: NO_MM,
  },
  {
    c: 'mmu_notifier_invalidate_range_start',
    kind: 'primitive',
    arity: 1,
    emit: 'mmu_notifier_invalidate_range_start($1.start, $1.end)',
    from: 'v5.5',
    note: 'struct mmu_notifier_range is flattened into two locals, <range>_start and <range>_end',
  },
  {
    c: 'mmu_notifier_invalidate_range_end',
    kind: 'primitive',
    arity: 1,
    emit: 'mmu_notifier_invalidate_range_end($1.start, $1.end)',
    from: 'v5.5',
    note: 'struct mmu_notifier_range is flattened into two locals, <range>_start and <range>_end',
  },
  // TLB batching.
  {
    c: 'set_tlb_ubc_flush_pending',
    kind: 'primitive',
    arity: 2,
    emit: 'set_tlb_ubc_flush_pending($2<pte_dirty>)',
    until: 'v4.15',
    note: "the model's primitive takes the cleared entry and reads its dirty bit itself",
  },
  {
    c: 'set_tlb_ubc_flush_pending',
    kind: 'primitive',
    arity: 3,
    emit: 'set_tlb_ubc_flush_pending($2)',
    from: 'v6.6',
    note: 'the address argument only selects the batch: one batch per thread in the model',
  },
  {
    c: 'should_defer_flush',
    kind: 'routine',
    arity: 2,
    emit: 'should_defer_flush($2)',
    hoist: 'defer',
    note: "the prelude's should_defer_flush(flags): the cpumask test is a choose",
  },
  // Pages.
  {
    c: 'page_remove_rmap',
    kind: 'primitive',
    arity: 2,
    emit: 'page_remove_rmap($1)',
    until: 'v5.12',
    note: 'one page mapped once: the compound flag does not matter',
  },
  {
    c: 'page_remove_rmap',
    kind: 'primitive',
    arity: 3,
    emit: 'page_remove_rmap($1)',
    from: 'v6.6',
    note: 'one page mapped once in one vma: the vma and compound arguments do not matter',
  },
  ...[
    'put_page',
    'get_page',
    'set_page_dirty',
    'PageDirty',
    'PageAnon',
    'PageSwapBacked',
    'SetPageSwapBacked',
    'ClearPageSwapBacked',
    'PageSwapCache',
    'PageHWPoison',
    'PageHuge',
    'PageLocked',
    'PageTransHuge',
    'compound_order',
    'page_mapcount',
    'page_count',
    'vma_mmu_pagesize',
    'lock_page',
    'unlock_page',
    'trylock_page',
  ].map((c) => same(c, 1)),
  // Locks.
  ...[
    'spin_lock',
    'spin_unlock',
    'mutex_lock',
    'mutex_unlock',
    'down_read',
    'up_read',
    'down_write',
    'up_write',
    'mutex_trylock',
    'spin_trylock',
    'down_read_trylock',
    'down_write_trylock',
  ].map((c) => same(c, 1)),
  // Checks (statements or conditions of the language).
  ...['BUG_ON', 'VM_BUG_ON', 'WARN_ON', 'WARN_ON_ONCE'].map((c) => same(c, 1)),
  same('VM_BUG_ON_PAGE', 2),
  // Values the model fixes.
  {
    c: 'pte_unused',
    kind: 'constant',
    arity: 1,
    emit: 'false',
    note: "x86's pte_unused() is always 0 (s390 guests only): the branch is left out",
  },
  {
    c: 'swap_duplicate',
    kind: 'constant',
    arity: 1,
    emit: '0',
    note: 'swap_duplicate() never fails here (it needs SWAP_MAP_MAX users of one slot)',
  },
  {
    c: 'list_empty',
    kind: 'constant',
    arity: 1,
    emit: 'false',
    note: "the only list the imported code tests is swapoff's mm->mmlist, which is not modelled: the block that links the mm is left out",
  },
  {
    c: 'PageTransCompound',
    kind: 'abstraction',
    arity: 1,
    emit: 'PageTransHuge($1)',
    note: 'one page mapped once: a compound page is a THP',
  },
  // Conditions the model cannot decide.
  {
    c: 'arch_tlbbatch_should_defer',
    kind: 'choose',
    arity: 1,
    note: 'whether another CPU may cache the mm (the cpumask) is not modelled: both answers are explored',
    approximation: 'over',
  },
  // Calls left out.
  {
    c: 'flush_cache_page',
    kind: 'dropped',
    arity: 3,
    note: 'a no-op on x86, arm64 and the other architectures with SVA IOMMUs',
  },
  { c: 'flush_cache_range', kind: 'dropped', arity: 3, note: 'a no-op on x86 and arm64' },
  { c: 'update_hiwater_rss', kind: 'dropped', arity: 1, note: 'mm counters have no observable effect here' },
  { c: 'dec_mm_counter', kind: 'dropped', arity: 2, note: 'mm counters have no observable effect here' },
  { c: 'inc_mm_counter', kind: 'dropped', arity: 2, note: 'mm counters have no observable effect here' },
  { c: 'hugetlb_count_sub', kind: 'dropped', arity: 2, note: 'mm counters have no observable effect here' },
  { c: 'mlock_vma_page', kind: 'dropped', arity: 1, note: 'mlock is not modelled', approximation: 'under' },
  {
    c: 'split_huge_pmd_address',
    kind: 'dropped',
    arity: 4,
    note: 'no PMD-mapped THP reaches try_to_unmap_one() in the tests (TTU_SPLIT_HUGE_PMD)',
    approximation: 'under',
  },
  {
    c: 'arch_unmap_one',
    kind: 'constant',
    arity: 4,
    emit: '0',
    note: 'a no-op returning 0 on x86 (sparc ADI only)',
  },
  ...FOLIO_ROWS,
];

/**
 * Flags: the model's values (prelude/try_to_unmap.litmus's `enum ttu_flags`), not the kernel's bit
 * positions, which change between versions. The flags the prelude declares are emitted by name;
 * the others as a value of their own with the name in a comment.
 */
export interface ConstantRow {
  readonly c: string;
  readonly value: number;
  /** prelude/try_to_unmap.litmus declares it (`enum ttu_flags`): emitted by name. */
  readonly prelude?: true;
  readonly from?: KernelVersion;
  readonly until?: KernelVersion;
  readonly note?: string;
}

const NEVER_PASSED = "never passed by the model's callers";

export const CONSTANTS: readonly ConstantRow[] = [
  { c: 'TTU_BATCH_FLUSH', prelude: true, value: 1 },
  { c: 'TTU_MIGRATION', prelude: true, value: 2, until: 'v5.12' },
  { c: 'TTU_IGNORE_ACCESS', prelude: true, value: 4, until: 'v5.5' },
  { c: 'TTU_IGNORE_HWPOISON', prelude: true, value: 8, until: 'v5.12' },
  { c: 'TTU_HWPOISON', prelude: true, value: 16, from: 'v6.6' },
  { c: 'TTU_IGNORE_MLOCK', prelude: true, value: 32, note: NEVER_PASSED },
  { c: 'TTU_SYNC', prelude: true, value: 64, from: 'v5.12', note: NEVER_PASSED },
  { c: 'TTU_SPLIT_HUGE_PMD', prelude: true, value: 128, note: NEVER_PASSED },
  { c: 'TTU_MUNLOCK', value: 256, until: 'v5.12', note: NEVER_PASSED },
  { c: 'TTU_SPLIT_FREEZE', value: 512, from: 'v4.15', until: 'v5.12', note: NEVER_PASSED },
  { c: 'TTU_LZFREE', value: 1024, until: 'v4.12', note: NEVER_PASSED },
  {
    c: 'TTU_RMAP_LOCKED',
    value: 2048,
    note: "never passed by the model's callers (the hugetlb file-mapping path of memory_failure() that takes i_mmap_rwsem is not modelled)",
  },
];

/** Names the language already has (docs/language.md §2): emitted as they are. */
export const LANGUAGE_CONSTANTS: ReadonlySet<string> = new Set([
  'PAGE_SIZE',
  'PAGE_SHIFT',
  'PAGE_MASK',
  'PMD_SIZE',
  'PMD_SHIFT',
  'PMD_MASK',
  'HPAGE_PMD_SIZE',
  'HPAGE_PMD_MASK',
  'HPAGE_PMD_NR',
  'PUD_SIZE',
  'PUD_MASK',
  'ULONG_MAX',
  'true',
  'false',
  'NULL',
  'EAGAIN',
  'EBUSY',
  'EFAULT',
  'ENOMEM',
  'PVMW_SYNC',
  'PVMW_MIGRATION',
]);

/** `vma->vm_flags & VM_X` → a VMA field of the model, or a constant. */
export const VM_FLAGS: Readonly<Record<string, { emit: string; note?: string }>> = {
  VM_SHARED: { emit: 'vma.shared' },
  VM_WRITE: { emit: 'vma.writable' },
  VM_HUGETLB: { emit: 'vma.hugetlb' },
  VM_LOCKED: { emit: 'false', note: 'no mlocked VMAs in the model (VM_LOCKED is never set)' },
};

/** `vma->FIELD` → the model's VMA field. */
export const VMA_FIELDS: Readonly<Record<string, string>> = {
  vm_start: 'start',
  vm_end: 'end',
};

/** Config options the target functions test, with the value the import takes by default. */
export const CONFIG_DEFAULTS: Readonly<Record<string, boolean>> = {
  CONFIG_TRANSPARENT_HUGE_PAGECACHE: true,
  CONFIG_TRANSPARENT_HUGEPAGE: true,
  CONFIG_MIGRATION: true,
  CONFIG_HUGETLB_PAGE: true,
  CONFIG_MEMORY_FAILURE: true,
  CONFIG_ARCH_WANT_BATCHED_UNMAP_TLB_FLUSH: true,
  CONFIG_MMU_NOTIFIER: true,
  // PMD migration entries (set_pmd_migration_entry()) are not modelled: the PMD branch of
  // try_to_migrate_one() is left out unless given with --config.
  CONFIG_ARCH_ENABLE_THP_MIGRATION: false,
};

function holds(row: { from?: KernelVersion; until?: KernelVersion }, v: KernelVersion): boolean {
  const i = versionIndex(v);
  return (
    (row.from === undefined || i >= versionIndex(row.from)) && (row.until === undefined || i <= versionIndex(row.until))
  );
}

/** The call row for a name and arity at a kernel version, or why there is none. */
export function lookupCall(
  c: string,
  arity: number,
  v: KernelVersion,
): { row: CallRow } | { missing: 'name' | 'arity' | 'version'; rows: readonly CallRow[] } {
  const rows = CALLS.filter((r) => r.c === c);
  if (rows.length === 0) return { missing: 'name', rows };
  const byArity = rows.filter((r) => r.arity === arity);
  const row = byArity.find((r) => holds(r, v));
  if (row !== undefined) return { row };
  return { missing: byArity.length === 0 ? 'arity' : 'version', rows: byArity.length === 0 ? rows : byArity };
}

export function lookupConstant(c: string, v: KernelVersion): ConstantRow | undefined {
  return CONSTANTS.find((r) => r.c === c && holds(r, v));
}

/** `v4.12–v4.15`, `≥ v6.6`, … for messages and docs. */
export function versionRange(row: { from?: KernelVersion; until?: KernelVersion }): string {
  if (row.from === undefined && row.until === undefined) return 'all';
  if (row.from === undefined) return `≤ ${row.until}`;
  if (row.until === undefined) return `≥ ${row.from}`;
  return row.from === row.until ? row.from : `${row.from}–${row.until}`;
}
