// The primitives of DESIGN §2.5 (and the extra page-flag and VMA helpers the prelude needs), with
// their kernel names. Each runs inside one step of the calling thread. Pure helpers (PTE value
// arithmetic) touch no shared state and are not scheduling points.
//
// Notifier calls, user accesses, page_vma_mapped_walk and the flush primitives that invoke
// secondary callbacks are compiled specially (compile.ts, notifiers.ts, access.ts); their entries
// here give the part that runs in the caller's own step.

import {
  isPresent,
  makePte,
  PTE_DIRTY,
  PTE_HUGE,
  PTE_HWPOISON,
  PTE_INVALID,
  PTE_MIGRATION,
  PTE_NONE,
  PTE_PRESENT,
  PTE_SOFT_DIRTY,
  PTE_SWAP,
  PTE_WRITE,
  PTE_YOUNG,
  pmdKey,
  pteFrame,
  pteType,
  TLB_DIRTY,
  tlbEntry,
  tlbFrame,
} from '../model/entry.js';
import {
  mapGet,
  mapSet,
  PG_ANON,
  PG_BACKED,
  PG_DIRTY,
  PG_FREE,
  PG_HWPOISON,
  PG_LOCKED,
  PG_MLOCKED,
  PG_PAGECACHE,
  PG_SWAPBACKED,
  PG_SWAPCACHE,
  RWSEM_WRITER,
} from '../model/machine.js';
import { wBacking, wContent, wFflags, wLocks, wMapcount, wPtl, wRefcount, wSubSeq, wTlb } from '../model/scratch.js';
import { bool, hex, type U64, ULONG_MAX } from '../model/u64.js';
import type { KernelVersion } from '../model/version.js';
import {
  adjustRange,
  decFlushPending,
  freePages,
  gatherFlushAfter,
  gatherFlushRun,
  gatherMmu,
  NO_RANGE,
  removePage,
  resetRangePrimitive,
} from './gather.js';
import { entryAt, hugePteKeyAt, pteKeyAt } from './hugetlb.js';
import { allowDiscard, forgetUnmapped } from './lostUpdate.js';
import {
  bug,
  checkFrame,
  flushCpuTlbs,
  frameName,
  getEntry,
  getPage,
  isFree,
  ModelError,
  mightSleep,
  PAGE_SIZE,
  PMD_SIZE,
  pageOf,
  putPage,
  regionOf,
  setEntry,
  touchContent,
  translationOf,
  userAddr,
  warnOn,
  zapTlb,
} from './mm.js';
import type { Exec, ValueType } from './program.js';

export type ArgType = ValueType | 'any';

/**
 * What a primitive may touch, for the partial-order reduction (footprint.ts, independence.ts). The
 * compiler derives every instruction's footprint from these (expr.ts `exprFootprint`); a footprint
 * narrower than what `impl` really reads or writes would let the reduction drop interleavings, so
 * test/semantics/footprints.test.ts runs every primitive of this table, in every state of random
 * programs made from this table, and checks what it touches against what it declares.
 *
 * - `LOCAL`: only the calling thread's registers and status, and the violation mask (properties
 *   are or'ed in, in any order). Not a scheduling point: it runs with the step before it.
 * - `{ lock: i }`: only the declared or secondary lock passed as argument i (its state; on misuse
 *   the thread itself, through a BUG). It must not sleep: might_sleep() reads the page-table locks.
 * - `{ mm: { reads, writes } }`: only these parts of memory management (footprint.ts): the page
 *   table, the page-table locks, the frames, the last stores, the core (notifier state, SRCU,
 *   mm-wide counters, every thread's brackets, unnotified changes, gather and deferred flush,
 *   this thread's too), or the translation cache of the secondary whose callback or fault
 *   routine calls it (`selfTlb`). What it reads to decide whether to block must be among them.
 * - `MM`: memory management (page table, page-table locks, TLBs, frames, notifier state, any
 *   thread's brackets): may touch anything, never reordered. Always sound; the default to pick.
 */
export type PrimitiveFootprint =
  | typeof LOCAL
  | typeof MM
  | { readonly lock: number }
  | { readonly mm: { readonly reads: readonly MmPart[]; readonly writes: readonly MmPart[] } };

/** A part of memory management a primitive may touch (footprint.ts objects). */
export type MmPart = 'pt' | 'ptl' | 'frames' | 'stores' | 'core' | 'selfTlb';

export const LOCAL = 'local';
export const MM = 'mm';

/** Whether a primitive touches nothing shared (runs with the step before it). */
export function isLocal(p: Primitive): boolean {
  return p.footprint === LOCAL;
}

export interface Primitive {
  readonly name: string;
  readonly params: readonly ArgType[];
  /** Number of required arguments when some are optional (defaults to all). */
  readonly minArgs?: number;
  readonly ret: ValueType | 'void';
  /**
   * What it touches, for the partial-order reduction: required, so that no primitive is added
   * without saying (see PrimitiveFootprint). `LOCAL` also makes it part of the step before it.
   */
  readonly footprint: PrimitiveFootprint;
  /** First version that has it (inclusive). */
  readonly since?: KernelVersion;
  /** First version that no longer has it. */
  readonly removedIn?: KernelVersion;
  /** Only inside a secondary's callbacks and fault routine. */
  readonly inSecondary?: boolean;
  impl(x: Exec, a: readonly U64[]): U64;
}

const num = (v: U64): number => (typeof v === 'number' ? v : Number(v & 0xffffffffn));

function frameId(x: Exec, v: U64, what: string): number {
  return checkFrame(x, num(v), what) + 1;
}

/** The entry a `pte_t *` for this address points at: the PTE, or the huge entry of a hugetlb vma. */
function pteKey(x: Exec, v: U64): number {
  return pteKeyAt(x.prog, userAddr(v));
}

/**
 * ptep_clear_flush() (mm/pgtable-generic.c): clear, then flush_tlb_page(vma, address), which on x86
 * invalidates the page of `address` (flush_tlb_mm_range(mm, a, a + PAGE_SIZE, …): INVLPG, or a
 * full flush). On a hugetlb entry this drops the 2 MiB translation too: INVLPG "flushes all TLB
 * entries for that page", and when the linear address is mapped by a page larger than 4 KBytes
 * "the instruction invalidates all of them" (Intel SDM vol. 2A, INVLPG, footnote 1); the model's
 * flush drops every cached translation overlapping the range.
 */
function clearFlush(x: Exec, key: number, v: U64): number {
  const old = setEntry(x, key, PTE_NONE);
  const page = pageOf(userAddr(v));
  flushCpuTlbs(x, page, page + PAGE_SIZE);
  return old;
}

function pmdKeyOf(v: U64): number {
  return pmdKey(regionOf(userAddr(v)));
}

/**
 * The address a primitive that changes an entry names: aligned to the entry's size (a page for a
 * pte, PMD_SIZE for a pmd or a hugetlb entry), as the initial state requires (ML3001), instead of
 * being aligned silently (ML4010). Lookups take any address in the entry, as pte_offset_map().
 */
function aligned(v: U64, size: number): U64 {
  const a = userAddr(v);
  if (a % size !== 0)
    throw new ModelError(
      'ML4010',
      `The address ${hex(a)} of the ${size === PAGE_SIZE ? 'pte' : 'pmd'} to change is not aligned to ${hex(size)}.`,
    );
  return a;
}

function flag(x: Exec, v: U64, f: number, what: string): U64 {
  const i = checkFrame(x, num(v), what);
  return bool((x.m.fflags[i]! & f) !== 0);
}

function setFlag(x: Exec, v: U64, f: number, on: boolean, what: string): void {
  const i = checkFrame(x, num(v), what);
  if (on) wFflags(x.s)[i]! |= f;
  else wFflags(x.s)[i]! &= ~f;
}

// ---------------------------------------------------------------------------------------------
// Locks

function ptlOwner(x: Exec, region: number): number {
  return mapGet(x.m.ptl, region, 0);
}

function lockIndex(x: Exec, v: U64, what: string): number {
  const i = num(v) - 1;
  if (i < 0 || i >= x.prog.locks.length)
    throw new ModelError('ML4004', `'${what}' needs a lock, but the value is ${String(v)}.`);
  return i;
}

function spinAcquire(x: Exec, i: number): void {
  const owner = x.t + 1;
  const cur = x.m.locks[i]!;
  if (cur !== 0) {
    x.blocked = true; // held: spin (a self-deadlock shows up as a deadlock)
    return;
  }
  wLocks(x.s)[i] = owner;
}

/** Takes a free spinlock or mutex: 1; a held one (by anyone, this thread too): 0. */
function tryAcquire(x: Exec, i: number): U64 {
  if (x.m.locks[i] !== 0) return 0;
  wLocks(x.s)[i] = x.t + 1;
  return 1;
}

function release(x: Exec, i: number, what: string): void {
  if (x.m.locks[i] !== x.t + 1) {
    bug(x, `${what}(${x.prog.locks[i]!.name}) by a thread that does not hold it`);
    return;
  }
  wLocks(x.s)[i] = 0;
}

function checkKind(x: Exec, i: number, kind: 'spinlock' | 'mutex' | 'rwsem', what: string): void {
  const l = x.prog.locks[i]!;
  if (l.kind !== kind) throw new ModelError('ML4005', `'${what}' needs a ${kind}, but '${l.name}' is a ${l.kind}.`);
}

// ---------------------------------------------------------------------------------------------
// The table

const P = (p: Primitive): Primitive => p;

const pure = (name: string, params: readonly ArgType[], ret: ValueType, impl: (a: readonly U64[]) => U64): Primitive =>
  P({ name, params, ret, footprint: LOCAL, impl: (_x, a) => impl(a) });

const e0 = (a: readonly U64[]): number => num(a[0]!);

function pteValueHelpers(prefix: 'pte' | 'pmd'): Primitive[] {
  const huge = prefix === 'pmd' ? PTE_HUGE : 0;
  return [
    // pmd_present() is also true for an invalidated PMD (pmdp_invalidate), as in the kernel.
    pure(`${prefix}_present`, ['pte'], 'bool', (a) =>
      bool(isPresent(e0(a)) || (prefix === 'pmd' && pteType(e0(a)) === PTE_INVALID)),
    ),
    pure(`${prefix}_none`, ['pte'], 'bool', (a) => bool(e0(a) === 0)),
    pure(`${prefix}_write`, ['pte'], 'bool', (a) => bool((e0(a) & PTE_WRITE) !== 0)),
    pure(`${prefix}_dirty`, ['pte'], 'bool', (a) => bool((e0(a) & PTE_DIRTY) !== 0)),
    pure(`${prefix}_young`, ['pte'], 'bool', (a) => bool((e0(a) & PTE_YOUNG) !== 0)),
    pure(`${prefix}_soft_dirty`, ['pte'], 'bool', (a) => bool((e0(a) & PTE_SOFT_DIRTY) !== 0)),
    pure(`${prefix}_pfn`, ['pte'], 'frame', (a) => pteFrame(e0(a))),
    pure(`${prefix}_page`, ['pte'], 'frame', (a) => pteFrame(e0(a))),
    pure(`${prefix}_wrprotect`, ['pte'], 'pte', (a) => (e0(a) & ~PTE_WRITE) >>> 0),
    pure(`${prefix}_mkwrite`, ['pte'], 'pte', (a) => (e0(a) | PTE_WRITE) >>> 0),
    pure(`${prefix}_mkclean`, ['pte'], 'pte', (a) => (e0(a) & ~PTE_DIRTY) >>> 0),
    pure(`${prefix}_mkdirty`, ['pte'], 'pte', (a) => (e0(a) | PTE_DIRTY) >>> 0),
    pure(`${prefix}_mkold`, ['pte'], 'pte', (a) => (e0(a) & ~PTE_YOUNG) >>> 0),
    pure(`${prefix}_mkyoung`, ['pte'], 'pte', (a) => (e0(a) | PTE_YOUNG) >>> 0),
    pure(`${prefix}_mksoft_dirty`, ['pte'], 'pte', (a) => (e0(a) | PTE_SOFT_DIRTY) >>> 0),
    pure(`${prefix}_same`, ['pte', 'pte'], 'bool', (a) => bool(e0(a) === num(a[1]!))),
    pure(`mk_${prefix}`, ['frame', 'int'], 'pte', (a) =>
      makePte(PTE_PRESENT, e0(a), huge | (a[1] !== 0 ? PTE_WRITE : 0)),
    ),
  ];
}

const TABLE: Primitive[] = [
  // --- PTE values (pure) -------------------------------------------------------------------
  ...pteValueHelpers('pte'),
  ...pteValueHelpers('pmd'),
  pure('swp_entry_to_pte', ['frame'], 'pte', (a) => makePte(PTE_SWAP, e0(a), 0)),
  pure('make_migration_entry', ['frame', 'int'], 'pte', (a) =>
    makePte(PTE_MIGRATION, e0(a), a[1] !== 0 ? PTE_WRITE : 0),
  ),
  pure('make_hwpoison_entry', ['frame'], 'pte', (a) => makePte(PTE_HWPOISON, e0(a), 0)),
  pure('is_swap_pte', ['pte'], 'bool', (a) => bool(pteType(e0(a)) >= PTE_SWAP)),
  pure('is_migration_entry', ['pte'], 'bool', (a) => bool(pteType(e0(a)) === PTE_MIGRATION)),
  pure('is_hwpoison_entry', ['pte'], 'bool', (a) => bool(pteType(e0(a)) === PTE_HWPOISON)),
  pure('is_write_migration_entry', ['pte'], 'bool', (a) =>
    bool(pteType(e0(a)) === PTE_MIGRATION && (e0(a) & PTE_WRITE) !== 0),
  ),
  pure('swp_entry_page', ['pte'], 'frame', (a) => pteFrame(e0(a))),
  pure('migration_entry_to_page', ['pte'], 'frame', (a) => pteFrame(e0(a))),

  // --- Page table ---------------------------------------------------------------------------
  P({
    name: 'ptep_get',
    params: ['int'],
    ret: 'pte',
    footprint: { mm: { reads: ['pt'], writes: [] } },
    impl: (x, a) => getEntry(x.m, pteKey(x, a[0]!)),
  }),
  P({
    name: 'set_pte_at',
    params: ['int', 'pte'],
    ret: 'void',
    footprint: { mm: { reads: ['pt', 'core'], writes: ['pt', 'core'] } },
    impl: (x, a) => {
      const key = pteKey(x, aligned(a[0]!, PAGE_SIZE));
      setEntry(x, key, entryAt(key, num(a[1]!)));
      return 0;
    },
  }),
  P({
    name: 'ptep_get_and_clear',
    params: ['int'],
    ret: 'pte',
    footprint: { mm: { reads: ['pt', 'core'], writes: ['pt', 'core'] } },
    impl: (x, a) => setEntry(x, pteKey(x, aligned(a[0]!, PAGE_SIZE)), PTE_NONE),
  }),
  P({
    name: 'pte_clear',
    params: ['int'],
    ret: 'void',
    footprint: { mm: { reads: ['pt', 'core'], writes: ['pt', 'core'] } },
    impl: (x, a) => {
      setEntry(x, pteKey(x, aligned(a[0]!, PAGE_SIZE)), PTE_NONE);
      return 0;
    },
  }),
  // ptep_get_and_clear_full(mm, addr, ptep, full) (include/linux/pgtable.h, x86 pgtable.h): on
  // x86 the `full` hint only skips the Xen paravirt update; the entry is cleared without a flush.
  P({
    name: 'ptep_get_and_clear_full',
    params: ['int', 'int'],
    ret: 'pte',
    footprint: MM,
    impl: (x, a) => setEntry(x, pteKey(x, aligned(a[0]!, PAGE_SIZE)), PTE_NONE),
  }),
  // pte_clear_not_present_full(mm, addr, ptep, full): for swap, migration and hwpoison entries;
  // on x86 it is pte_clear(), which clears whatever is there.
  P({
    name: 'pte_clear_not_present_full',
    params: ['int', 'int'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      setEntry(x, pteKey(x, aligned(a[0]!, PAGE_SIZE)), PTE_NONE);
      return 0;
    },
  }),
  P({
    name: 'ptep_clear_flush',
    params: ['int'],
    ret: 'pte',
    footprint: MM,
    impl: (x, a) => clearFlush(x, pteKey(x, aligned(a[0]!, PAGE_SIZE)), a[0]!),
  }),
  P({
    name: 'ptep_clear_flush_notify',
    params: ['int'],
    ret: 'pte',
    footprint: MM,
    removedIn: 'v6.6',
    impl: (x, a) => clearFlush(x, pteKey(x, aligned(a[0]!, PAGE_SIZE)), a[0]!),
  }),
  P({
    name: 'ptep_set_wrprotect',
    params: ['int'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      const key = pteKey(x, aligned(a[0]!, PAGE_SIZE));
      const e = getEntry(x.m, key);
      if (isPresent(e)) setEntry(x, key, e & ~PTE_WRITE);
      return 0;
    },
  }),
  P({
    name: 'ptep_test_and_clear_young',
    params: ['int'],
    ret: 'bool',
    footprint: MM,
    impl: (x, a) => testAndClearYoung(x, pteKey(x, aligned(a[0]!, PAGE_SIZE))),
  }),
  // MODEL: as on x86, clearing the accessed bit does not flush the TLB (ptep_clear_flush_young).
  P({
    name: 'ptep_clear_flush_young',
    params: ['int'],
    ret: 'bool',
    footprint: MM,
    impl: (x, a) => testAndClearYoung(x, pteKey(x, aligned(a[0]!, PAGE_SIZE))),
  }),
  P({
    name: 'ptep_clear_flush_young_notify',
    params: ['int'],
    ret: 'bool',
    footprint: MM,
    impl: (x, a) => testAndClearYoung(x, pteKey(x, aligned(a[0]!, PAGE_SIZE))),
  }),
  P({
    name: 'ptep_set_access_flags',
    params: ['int', 'pte'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      // Only ever relaxes the entry (young, dirty, write). MODEL: as on x86, no TLB flush
      // (flush_tlb_fix_spurious_fault is a no-op there); a stale read-only entry just faults again.
      const key = pteKey(x, aligned(a[0]!, PAGE_SIZE));
      setEntry(x, key, entryAt(key, num(a[1]!)));
      return 0;
    },
  }),
  P({ name: 'pmdp_get', params: ['int'], ret: 'pte', footprint: MM, impl: (x, a) => getEntry(x.m, pmdKeyOf(a[0]!)) }),
  P({
    name: 'set_pmd_at',
    params: ['int', 'pte'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      const e = num(a[1]!);
      setEntry(x, pmdKeyOf(aligned(a[0]!, PMD_SIZE)), e === 0 ? 0 : e | PTE_HUGE);
      return 0;
    },
  }),
  P({
    name: 'pmdp_invalidate',
    params: ['int'],
    ret: 'pte',
    footprint: MM,
    impl: (x, a) => {
      // mm/pgtable-generic.c pmdp_invalidate(): pmd_mkinvalid() and flush; the entry keeps its
      // page and flags and stays pmd_present() for the kernel until set_pmd_at() replaces it.
      const key = pmdKeyOf(aligned(a[0]!, PMD_SIZE));
      const old = getEntry(x.m, key);
      if (isPresent(old)) setEntry(x, key, (old & ~7) | PTE_INVALID);
      const r = key - 1;
      flushCpuTlbs(x, r, r + PMD_SIZE);
      return old;
    },
  }),
  ...['pmdp_huge_clear_flush', 'pmdp_huge_clear_flush_notify'].map((name) =>
    P({
      name,
      params: ['int'],
      ret: 'pte',
      footprint: MM,
      ...(name === 'pmdp_huge_clear_flush_notify' ? { removedIn: 'v6.6' as const } : {}),
      impl: (x, a) => {
        const key = pmdKeyOf(aligned(a[0]!, PMD_SIZE));
        const old = setEntry(x, key, PTE_NONE);
        const r = key - 1;
        flushCpuTlbs(x, r, r + PMD_SIZE);
        return old;
      },
    }),
  ),
  // hugetlb entries (hugetlb.ts): on x86 these are the ptep_* functions on the huge entry —
  // huge_ptep_clear_flush() is ptep_clear_flush() (arch/x86/include/asm/hugetlb.h in v4.x, the
  // asm-generic/hugetlb.h fallback later), so it flushes the page of `address`, which drops the huge
  // translation; set_huge_pte_at() and set_huge_swap_pte_at() are set_pte_at() (the size argument
  // matters only where one huge page spans several entries, not on x86).
  P({
    name: 'huge_ptep_clear_flush',
    params: ['int'],
    ret: 'pte',
    footprint: MM,
    impl: (x, a) => clearFlush(x, hugePteKeyAt(x.prog, aligned(a[0]!, PMD_SIZE), 'huge_ptep_clear_flush'), a[0]!),
  }),
  P({
    name: 'set_huge_swap_pte_at',
    params: ['int', 'pte', 'int'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      const key = hugePteKeyAt(x.prog, aligned(a[0]!, PMD_SIZE), 'set_huge_swap_pte_at');
      setEntry(x, key, entryAt(key, num(a[1]!)));
      return 0;
    },
  }),
  P({
    name: 'set_huge_pte_at',
    params: ['int', 'pte'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      const key = hugePteKeyAt(x.prog, aligned(a[0]!, PMD_SIZE), 'set_huge_pte_at');
      setEntry(x, key, entryAt(key, num(a[1]!)));
      return 0;
    },
  }),
  P({
    name: 'huge_ptep_get',
    params: ['int'],
    ret: 'pte',
    footprint: MM,
    impl: (x, a) => getEntry(x.m, hugePteKeyAt(x.prog, a[0]!, 'huge_ptep_get')),
  }),

  // --- Locks --------------------------------------------------------------------------------
  P({
    name: 'pte_lock',
    params: ['int'],
    ret: 'void',
    footprint: { mm: { reads: ['ptl'], writes: ['ptl'] } },
    impl: (x, a) => {
      const r = regionOf(userAddr(a[0]!));
      if (ptlOwner(x, r) !== 0) x.blocked = true;
      else mapSet(wPtl(x.s), r, x.t + 1, 0);
      return 0;
    },
  }),
  P({
    name: 'pte_unlock',
    params: ['int'],
    ret: 'void',
    footprint: { mm: { reads: ['ptl', 'stores', 'pt', 'frames', 'core'], writes: ['ptl', 'stores'] } },
    impl: (x, a) => {
      const r = regionOf(userAddr(a[0]!));
      if (ptlOwner(x, r) !== x.t + 1) bug(x, `pte_unlock(${hex(r)}) by a thread that does not hold it`);
      else {
        mapSet(wPtl(x.s), r, 0, 0);
        forgetUnmapped(x, r);
      }
      return 0;
    },
  }),
  P({
    name: 'spin_lock',
    params: ['lock'],
    ret: 'void',
    footprint: { lock: 0 },
    impl: (x, a) => {
      const i = lockIndex(x, a[0]!, 'spin_lock');
      checkKind(x, i, 'spinlock', 'spin_lock');
      spinAcquire(x, i);
      return 0;
    },
  }),
  P({
    name: 'spin_unlock',
    params: ['lock'],
    ret: 'void',
    footprint: { lock: 0 },
    impl: (x, a) => {
      const i = lockIndex(x, a[0]!, 'spin_unlock');
      checkKind(x, i, 'spinlock', 'spin_unlock');
      release(x, i, 'spin_unlock');
      return 0;
    },
  }),
  P({
    name: 'mutex_lock',
    params: ['lock'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      const i = lockIndex(x, a[0]!, 'mutex_lock');
      checkKind(x, i, 'mutex', 'mutex_lock');
      mightSleep(x, `mutex_lock(${x.prog.locks[i]!.name})`);
      spinAcquire(x, i);
      return 0;
    },
  }),
  P({
    name: 'mutex_unlock',
    params: ['lock'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      const i = lockIndex(x, a[0]!, 'mutex_unlock');
      checkKind(x, i, 'mutex', 'mutex_unlock');
      release(x, i, 'mutex_unlock');
      return 0;
    },
  }),
  P({
    name: 'down_read',
    params: ['lock'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      const i = lockIndex(x, a[0]!, 'down_read');
      checkKind(x, i, 'rwsem', 'down_read');
      mightSleep(x, `down_read(${x.prog.locks[i]!.name})`);
      const cur = x.m.locks[i]!;
      if (cur >= RWSEM_WRITER) x.blocked = true;
      else wLocks(x.s)[i] = cur + 1;
      return 0;
    },
  }),
  P({
    name: 'up_read',
    params: ['lock'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      const i = lockIndex(x, a[0]!, 'up_read');
      checkKind(x, i, 'rwsem', 'up_read');
      const cur = x.m.locks[i]!;
      if (cur <= 0 || cur >= RWSEM_WRITER) bug(x, `up_read(${x.prog.locks[i]!.name}) without a reader`);
      else wLocks(x.s)[i] = cur - 1;
      return 0;
    },
  }),
  P({
    name: 'down_write',
    params: ['lock'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      const i = lockIndex(x, a[0]!, 'down_write');
      checkKind(x, i, 'rwsem', 'down_write');
      mightSleep(x, `down_write(${x.prog.locks[i]!.name})`);
      if (x.m.locks[i] !== 0) x.blocked = true;
      else wLocks(x.s)[i] = RWSEM_WRITER | x.t;
      return 0;
    },
  }),
  P({
    name: 'up_write',
    params: ['lock'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      const i = lockIndex(x, a[0]!, 'up_write');
      checkKind(x, i, 'rwsem', 'up_write');
      if (x.m.locks[i] !== (RWSEM_WRITER | x.t)) bug(x, `up_write(${x.prog.locks[i]!.name}) by a non-owner`);
      else wLocks(x.s)[i] = 0;
      return 0;
    },
  }),
  // Trylocks take the lock when it is free and return 1, else return 0; they never block and
  // never sleep (include/linux/spinlock.h, kernel/locking/mutex.c mutex_trylock(),
  // kernel/locking/rwsem.c down_read_trylock()/down_write_trylock()).
  P({
    name: 'spin_trylock',
    params: ['lock'],
    ret: 'bool',
    footprint: { lock: 0 },
    impl: (x, a) => {
      const i = lockIndex(x, a[0]!, 'spin_trylock');
      checkKind(x, i, 'spinlock', 'spin_trylock');
      return tryAcquire(x, i);
    },
  }),
  P({
    name: 'mutex_trylock',
    params: ['lock'],
    ret: 'bool',
    footprint: { lock: 0 },
    impl: (x, a) => {
      const i = lockIndex(x, a[0]!, 'mutex_trylock');
      checkKind(x, i, 'mutex', 'mutex_trylock');
      return tryAcquire(x, i);
    },
  }),
  P({
    name: 'down_read_trylock',
    params: ['lock'],
    ret: 'bool',
    footprint: { lock: 0 },
    impl: (x, a) => {
      const i = lockIndex(x, a[0]!, 'down_read_trylock');
      checkKind(x, i, 'rwsem', 'down_read_trylock');
      const cur = x.m.locks[i]!;
      if (cur >= RWSEM_WRITER) return 0;
      wLocks(x.s)[i] = cur + 1;
      return 1;
    },
  }),
  P({
    name: 'down_write_trylock',
    params: ['lock'],
    ret: 'bool',
    footprint: { lock: 0 },
    impl: (x, a) => {
      const i = lockIndex(x, a[0]!, 'down_write_trylock');
      checkKind(x, i, 'rwsem', 'down_write_trylock');
      if (x.m.locks[i] !== 0) return 0;
      wLocks(x.s)[i] = RWSEM_WRITER | x.t;
      return 1;
    },
  }),
  P({
    name: 'lock_page',
    params: ['frame'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      mightSleep(x, 'lock_page');
      const i = checkFrame(x, num(a[0]!), 'lock_page');
      if ((x.m.fflags[i]! & PG_LOCKED) !== 0) x.blocked = true;
      else wFflags(x.s)[i]! |= PG_LOCKED;
      return 0;
    },
  }),
  P({
    name: 'trylock_page',
    params: ['frame'],
    ret: 'bool',
    footprint: MM,
    impl: (x, a) => {
      const i = checkFrame(x, num(a[0]!), 'trylock_page');
      if ((x.m.fflags[i]! & PG_LOCKED) !== 0) return 0;
      wFflags(x.s)[i]! |= PG_LOCKED;
      return 1;
    },
  }),
  P({
    name: 'unlock_page',
    params: ['frame'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      const i = checkFrame(x, num(a[0]!), 'unlock_page');
      if ((x.m.fflags[i]! & PG_LOCKED) === 0) bug(x, `unlock_page(${frameName(x.prog, i + 1)}) on an unlocked page`);
      else wFflags(x.s)[i]! &= ~PG_LOCKED;
      return 0;
    },
  }),
  P({
    name: 'PageLocked',
    params: ['frame'],
    ret: 'bool',
    footprint: MM,
    impl: (x, a) => flag(x, a[0]!, PG_LOCKED, 'PageLocked'),
  }),

  // --- CPU TLB ------------------------------------------------------------------------------
  P({
    name: 'flush_tlb_page',
    params: ['int'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      const p = pageOf(userAddr(a[0]!));
      flushCpuTlbs(x, p, p + PAGE_SIZE);
      return 0;
    },
  }),
  P({
    name: 'flush_tlb_range',
    params: ['int', 'int'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      flushCpuTlbs(x, a[0]!, a[1]!);
      return 0;
    },
  }),
  P({
    name: 'flush_tlb_mm',
    params: [],
    ret: 'void',
    footprint: MM,
    impl: (x) => {
      flushCpuTlbs(x, 0, ULONG_MAX);
      return 0;
    },
  }),
  P({
    name: 'set_tlb_ubc_flush_pending',
    params: ['pte'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      // mm/rmap.c set_tlb_ubc_flush_pending(): nothing to do for an entry the TLB cannot hold.
      const e = num(a[0]!);
      if (!isPresent(e)) return 0;
      x.th.ubc |= 1;
      if ((e & PTE_DIRTY) !== 0) x.th.ubc |= 2;
      x.m.batched = 1;
      return 0;
    },
  }),
  P({
    name: 'try_to_unmap_flush',
    params: [],
    ret: 'void',
    footprint: MM,
    impl: (x) => {
      if ((x.th.ubc & 1) !== 0) flushCpuTlbs(x, 0, ULONG_MAX);
      x.th.ubc = 0;
      return 0;
    },
  }),
  P({
    name: 'try_to_unmap_flush_dirty',
    params: [],
    ret: 'void',
    footprint: MM,
    impl: (x) => {
      if ((x.th.ubc & 2) !== 0) {
        flushCpuTlbs(x, 0, ULONG_MAX);
        x.th.ubc = 0;
      }
      return 0;
    },
  }),
  // 3ea277194daa "mm, mprotect: flush TLB if potentially racing with a parallel reclaim leaving
  // stale TLB entries" (Mel Gorman, posted 2017-07-13 after the v4.12 release, in v4.13; backported
  // to the v4.4+ stable series, which the model's v4.12 is not).
  P({
    name: 'flush_tlb_batched_pending',
    params: [],
    ret: 'void',
    footprint: MM,
    since: 'v4.13',
    impl: (x) => {
      if (x.m.batched !== 0) {
        flushCpuTlbs(x, 0, ULONG_MAX);
        x.m.batched = 0;
      }
      return 0;
    },
  }),

  // --- mmap_lock ----------------------------------------------------------------------------
  // include/linux/mmap_lock.h (v5.8+; before, down_read(&mm->mmap_sem) and co.): the mm's rwsem.
  // MODEL: one mm, so no argument; fair ordering of waiters (a writer waiting blocks new readers)
  // is not modelled: a reader enters whenever no writer holds the lock. Footprint MM: the lock is
  // mm state, taken inside the fault path, and the reduction keeps it with the rest of the mm.
  P({
    name: 'mmap_read_lock',
    params: [],
    ret: 'void',
    footprint: MM,
    impl: (x) => {
      mightSleep(x, 'mmap_read_lock');
      if (x.m.mmapLock >= RWSEM_WRITER) x.blocked = true;
      else {
        x.m.mmapLock++;
        x.th.mmap++;
      }
      return 0;
    },
  }),
  P({
    name: 'mmap_read_trylock',
    params: [],
    ret: 'bool',
    footprint: MM,
    impl: (x) => {
      if (x.m.mmapLock >= RWSEM_WRITER) return 0;
      x.m.mmapLock++;
      x.th.mmap++;
      return 1;
    },
  }),
  P({
    name: 'mmap_read_unlock',
    params: [],
    ret: 'void',
    footprint: MM,
    impl: (x) => {
      if (x.th.mmap === 0 || x.th.mmap >= RWSEM_WRITER) bug(x, 'mmap_read_unlock() without holding mmap_lock for read');
      else {
        x.m.mmapLock--;
        x.th.mmap--;
      }
      return 0;
    },
  }),
  P({
    name: 'mmap_write_lock',
    params: [],
    ret: 'void',
    footprint: MM,
    impl: (x) => {
      mightSleep(x, 'mmap_write_lock');
      if (x.m.mmapLock !== 0) x.blocked = true;
      else {
        x.m.mmapLock = RWSEM_WRITER | x.t;
        x.th.mmap = RWSEM_WRITER;
      }
      return 0;
    },
  }),
  P({
    name: 'mmap_write_unlock',
    params: [],
    ret: 'void',
    footprint: MM,
    impl: (x) => {
      if (x.th.mmap !== RWSEM_WRITER) bug(x, 'mmap_write_unlock() without holding mmap_lock for write');
      else {
        x.m.mmapLock = 0;
        x.th.mmap = 0;
      }
      return 0;
    },
  }),
  // mmap_write_downgrade(): the writer becomes a reader without letting a writer in between
  // (munmap from v4.20, dd2283f2605e: the page tables are torn down under the read lock).
  P({
    name: 'mmap_write_downgrade',
    params: [],
    ret: 'void',
    footprint: MM,
    impl: (x) => {
      if (x.th.mmap !== RWSEM_WRITER) bug(x, 'mmap_write_downgrade() without holding mmap_lock for write');
      else {
        x.m.mmapLock = 1;
        x.th.mmap = 1;
      }
      return 0;
    },
  }),

  // --- mmu_gather (gather.ts) ------------------------------------------------------------------
  // include/asm-generic/tlb.h, mm/memory.c (≤ v4.19) and mm/mmu_gather.c (v4.20+). The three that
  // flush — tlb_flush_mmu_tlbonly(), tlb_flush_mmu(), tlb_finish_mmu() — notify secondaries and are
  // compiled by notifiers.ts (compileNotifyingPrimitive) in two steps around the callbacks; their
  // `impl` here is the same work in one step, for a caller with no callback to run.
  // Footprints: all MM. A gather is the thread's own, but whether it owes a flush decides
  // quiescence, which the incoherent-translation monitor reads after every step; and its flushes
  // and frees touch TLBs and frames. mm->tlb_flush_pending is mm state read by the same monitor.
  P({
    name: 'tlb_gather_mmu',
    params: ['int', 'int'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      // v4.12–v5.12: `tlb->fullmm = !(start | (end+1))`: [0, ~0) is the whole mm.
      gatherMmu(x, a[0] === 0 && a[1] === ULONG_MAX);
      return 0;
    },
  }),
  P({
    name: 'tlb_gather_mmu_fullmm',
    params: [],
    ret: 'void',
    footprint: MM,
    impl: (x) => {
      gatherMmu(x, true);
      return 0;
    },
  }),
  P({
    name: 'tlb_remove_tlb_entry',
    params: ['int'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      adjustRange(x, 'tlb_remove_tlb_entry', a[0]!, PAGE_SIZE);
      return 0;
    },
  }),
  P({
    name: 'tlb_remove_pmd_tlb_entry',
    params: ['int'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      adjustRange(x, 'tlb_remove_pmd_tlb_entry', regionOf(userAddr(a[0]!)), PMD_SIZE);
      return 0;
    },
  }),
  P({
    name: '__tlb_remove_page',
    params: ['frame'],
    ret: 'bool',
    footprint: MM,
    impl: (x, a) => {
      removePage(x, num(a[0]!), '__tlb_remove_page');
      return 0; // MODEL: the batch is never full (gather.ts)
    },
  }),
  P({
    name: 'tlb_remove_page',
    params: ['frame'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      removePage(x, num(a[0]!), 'tlb_remove_page');
      return 0;
    },
  }),
  P({
    name: '__tlb_reset_range',
    params: [],
    ret: 'void',
    footprint: MM,
    impl: (x) => {
      resetRangePrimitive(x);
      return 0;
    },
  }),
  P({
    name: 'tlb_flush_mmu_free',
    params: [],
    ret: 'void',
    footprint: MM,
    impl: (x) => {
      freePages(x, 'tlb_flush_mmu_free');
      return 0;
    },
  }),
  P({
    name: 'tlb_flush_mmu_tlbonly',
    params: [],
    ret: 'void',
    footprint: MM,
    impl: (x) => {
      gatherFlushRun(x, 'tlb_flush_mmu_tlbonly', NO_RANGE);
      return 0;
    },
  }),
  P({
    name: 'tlb_flush_mmu',
    params: [],
    ret: 'void',
    footprint: MM,
    impl: (x) => {
      gatherFlushRun(x, 'tlb_flush_mmu', NO_RANGE);
      gatherFlushAfter(x, 'tlb_flush_mmu');
      return 0;
    },
  }),
  P({
    name: 'tlb_finish_mmu',
    params: ['int', 'int'],
    minArgs: 0,
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      gatherFlushRun(x, 'tlb_finish_mmu', a);
      gatherFlushAfter(x, 'tlb_finish_mmu');
      return 0;
    },
  }),
  P({
    name: 'inc_tlb_flush_pending',
    params: [],
    ret: 'void',
    footprint: MM,
    impl: (x) => {
      x.m.tlbFlushPending++;
      return 0;
    },
  }),
  P({
    name: 'dec_tlb_flush_pending',
    params: [],
    ret: 'void',
    footprint: MM,
    impl: (x) => {
      decFlushPending(x);
      return 0;
    },
  }),
  P({
    name: 'mm_tlb_flush_pending',
    params: [],
    ret: 'bool',
    footprint: MM,
    impl: (x) => bool(x.m.tlbFlushPending > 0),
  }),
  // 99baac21e458 (v4.13): more than one thread batching changes of this mm.
  P({
    name: 'mm_tlb_flush_nested',
    params: [],
    ret: 'bool',
    footprint: MM,
    since: 'v4.13',
    impl: (x) => bool(x.m.tlbFlushPending > 1),
  }),

  // --- Pages --------------------------------------------------------------------------------
  P({
    name: 'get_page',
    params: ['frame'],
    ret: 'void',
    footprint: { mm: { reads: ['frames'], writes: ['frames'] } },
    impl: (x, a) => {
      getPage(x, num(a[0]!));
      return 0;
    },
  }),
  P({
    name: 'put_page',
    params: ['frame'],
    ret: 'void',
    footprint: { mm: { reads: ['frames'], writes: ['frames'] } },
    impl: (x, a) => {
      putPage(x, num(a[0]!));
      return 0;
    },
  }),
  P({
    name: 'page_add_anon_rmap',
    params: ['frame'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      const i = frameId(x, a[0]!, 'page_add_anon_rmap') - 1;
      wMapcount(x.s)[i]!++;
      wFflags(x.s)[i]! |= PG_ANON;
      return 0;
    },
  }),
  P({
    name: 'page_add_new_anon_rmap',
    params: ['frame'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      const i = frameId(x, a[0]!, 'page_add_new_anon_rmap') - 1;
      wMapcount(x.s)[i] = 1;
      wFflags(x.s)[i]! |= PG_ANON | PG_SWAPBACKED;
      return 0;
    },
  }),
  P({
    name: 'page_add_file_rmap',
    params: ['frame'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      wMapcount(x.s)[frameId(x, a[0]!, 'page_add_file_rmap') - 1]!++;
      return 0;
    },
  }),
  P({
    name: 'page_remove_rmap',
    params: ['frame'],
    ret: 'void',
    footprint: { mm: { reads: ['frames'], writes: ['frames'] } },
    impl: (x, a) => {
      const i = frameId(x, a[0]!, 'page_remove_rmap') - 1;
      if (x.m.mapcount[i]! <= 0) bug(x, `page_remove_rmap on ${frameName(x.prog, i + 1)} with mapcount 0`);
      else wMapcount(x.s)[i]!--;
      return 0;
    },
  }),
  P({
    name: 'page_mapcount',
    params: ['frame'],
    ret: 'int',
    footprint: MM,
    impl: (x, a) => x.m.mapcount[frameId(x, a[0]!, 'page_mapcount') - 1]!,
  }),
  P({
    name: 'page_count',
    params: ['frame'],
    ret: 'int',
    footprint: MM,
    impl: (x, a) => x.m.refcount[frameId(x, a[0]!, 'page_count') - 1]!,
  }),
  P({
    name: 'set_page_dirty',
    params: ['frame'],
    ret: 'bool',
    footprint: MM,
    impl: (x, a) => {
      const was = flag(x, a[0]!, PG_DIRTY, 'set_page_dirty');
      setFlag(x, a[0]!, PG_DIRTY, true, 'set_page_dirty');
      return was === 0 ? 1 : 0;
    },
  }),
  P({
    name: 'PageDirty',
    params: ['frame'],
    ret: 'bool',
    footprint: MM,
    impl: (x, a) => flag(x, a[0]!, PG_DIRTY, 'PageDirty'),
  }),
  P({
    name: 'ClearPageDirty',
    params: ['frame'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      setFlag(x, a[0]!, PG_DIRTY, false, 'ClearPageDirty');
      return 0;
    },
  }),
  // MODEL: the kernel's clear_page_dirty_for_io() also calls page_mkclean(); here the caller does
  // (the prelude's writeback path calls page_mkclean before it), so the primitive only
  // test-and-clears PG_dirty.
  P({
    name: 'clear_page_dirty_for_io',
    params: ['frame'],
    ret: 'bool',
    footprint: MM,
    impl: (x, a) => {
      const was = flag(x, a[0]!, PG_DIRTY, 'clear_page_dirty_for_io');
      setFlag(x, a[0]!, PG_DIRTY, false, 'clear_page_dirty_for_io');
      return was;
    },
  }),
  P({
    name: 'PageAnon',
    params: ['frame'],
    ret: 'bool',
    footprint: MM,
    impl: (x, a) => flag(x, a[0]!, PG_ANON, 'PageAnon'),
  }),
  P({
    name: 'PageSwapBacked',
    params: ['frame'],
    ret: 'bool',
    footprint: MM,
    impl: (x, a) => flag(x, a[0]!, PG_SWAPBACKED, 'PageSwapBacked'),
  }),
  P({
    name: 'PageSwapCache',
    params: ['frame'],
    ret: 'bool',
    footprint: MM,
    impl: (x, a) => flag(x, a[0]!, PG_SWAPCACHE, 'PageSwapCache'),
  }),
  P({
    name: 'PageHWPoison',
    params: ['frame'],
    ret: 'bool',
    footprint: MM,
    impl: (x, a) => flag(x, a[0]!, PG_HWPOISON, 'PageHWPoison'),
  }),
  P({
    name: 'PageMlocked',
    params: ['frame'],
    ret: 'bool',
    footprint: MM,
    impl: (x, a) => flag(x, a[0]!, PG_MLOCKED, 'PageMlocked'),
  }),
  P({
    name: 'ClearPageSwapBacked',
    params: ['frame'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      setFlag(x, a[0]!, PG_SWAPBACKED, false, 'ClearPageSwapBacked');
      // mark_page_lazyfree(): what was stored in the page so far may now be discarded.
      allowDiscard(x, num(a[0]!));
      return 0;
    },
  }),
  P({
    name: 'SetPageSwapBacked',
    params: ['frame'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      setFlag(x, a[0]!, PG_SWAPBACKED, true, 'SetPageSwapBacked');
      return 0;
    },
  }),
  P({
    name: 'PageHuge',
    params: ['frame'],
    ret: 'bool',
    footprint: MM,
    impl: (x, a) => bool(x.prog.frames[frameId(x, a[0]!, 'PageHuge') - 1]!.hugetlb),
  }),
  P({
    name: 'PageTransHuge',
    params: ['frame'],
    ret: 'bool',
    footprint: MM,
    impl: (x, a) => bool(x.prog.frames[frameId(x, a[0]!, 'PageTransHuge') - 1]!.thp),
  }),
  P({
    name: 'compound_order',
    params: ['frame'],
    ret: 'int',
    footprint: MM,
    impl: (x, a) => (x.prog.frames[frameId(x, a[0]!, 'compound_order') - 1]!.thp ? 9 : 0),
  }),
  P({
    name: 'alloc_page',
    params: [],
    ret: 'frame',
    footprint: MM,
    impl: (x) => {
      // GFP_KERNEL / GFP_HIGHUSER_MOVABLE allocations may enter reclaim and sleep.
      mightSleep(x, 'alloc_page');
      const m = x.m;
      for (let i = 0; i < m.fflags.length; i++) {
        if ((m.fflags[i]! & PG_FREE) !== 0 && !x.prog.frames[i]!.thp) {
          // MODEL: the page keeps its stale content (no __GFP_ZERO); its backing copy is not its own.
          wFflags(x.s)[i] = 0;
          wRefcount(x.s)[i] = 1;
          wMapcount(x.s)[i] = 0;
          return i + 1;
        }
      }
      return 0;
    },
  }),
  P({
    name: 'copy_page',
    params: ['frame', 'frame'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      const src = touchContent(x, num(a[1]!), 'copy_page reads the content');
      const dst = touchContent(x, num(a[0]!), 'copy_page writes the content');
      wContent(x.s)[dst] = x.m.content[src]!;
      return 0;
    },
  }),
  P({
    name: 'clear_page',
    params: ['frame'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      wContent(x.s)[touchContent(x, num(a[0]!), 'clear_page writes the content')] = 0;
      return 0;
    },
  }),
  P({
    name: 'page_content',
    params: ['frame'],
    ret: 'int',
    footprint: MM,
    impl: (x, a) => x.m.content[touchContent(x, num(a[0]!), 'page_content reads the content')]!,
  }),
  P({
    name: 'pageout',
    params: ['frame'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      // Writeback: the backing copy takes the content and PG_dirty is cleared (mm/vmscan.c pageout()).
      const i = touchContent(x, num(a[0]!), 'pageout reads the content');
      wBacking(x.s)[i] = x.m.content[i]!;
      wFflags(x.s)[i] = (x.m.fflags[i]! | PG_BACKED) & ~PG_DIRTY;
      return 0;
    },
  }),
  P({
    name: 'add_to_swap',
    params: ['frame'],
    ret: 'bool',
    footprint: MM,
    impl: (x, a) => {
      // Allocates a swap slot and puts the page in the swap cache, dirty: the slot becomes the
      // page's backing copy once pageout() writes it. MODEL: the swap cache holds no reference of
      // its own; a swap entry finds the page through the frame it names while that is allocated.
      const i = checkFrame(x, num(a[0]!), 'add_to_swap');
      wFflags(x.s)[i]! |= PG_SWAPCACHE | PG_DIRTY;
      return 1;
    },
  }),
  P({
    name: 'delete_from_swap_cache',
    params: ['frame'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      // The swap slot is released with it: the page no longer has a backing copy.
      const i = checkFrame(x, num(a[0]!), 'delete_from_swap_cache');
      wFflags(x.s)[i]! &= ~(PG_SWAPCACHE | PG_BACKED);
      return 0;
    },
  }),
  P({
    name: 'lookup_swap_cache',
    params: ['pte'],
    ret: 'frame',
    footprint: MM,
    impl: (x, a) => {
      // The swap entry names the frame whose backing copy holds the data; while that frame is
      // allocated it is the swap-cache page. Like the kernel's (find_get_page(), which only takes
      // a reference on a page whose count is not zero), the lookup takes the reference itself.
      const f = pteFrame(num(a[0]!));
      if (f === 0 || f > x.prog.frames.length || isFree(x.m, f)) return 0;
      getPage(x, f);
      return f;
    },
  }),
  P({
    name: 'swap_readpage',
    params: ['frame', 'pte'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      // Fills a newly allocated page from the swap slot the entry names; the page joins the swap cache.
      const dst = checkFrame(x, num(a[0]!), 'swap_readpage');
      const slot = checkFrame(x, pteFrame(num(a[1]!)), 'swap_readpage');
      wContent(x.s)[dst] = x.m.backing[slot]!;
      wBacking(x.s)[dst] = x.m.backing[slot]!;
      wFflags(x.s)[dst]! |= PG_BACKED | PG_SWAPCACHE | PG_SWAPBACKED | PG_ANON;
      return 0;
    },
  }),
  // delete_from_page_cache() (mm/filemap.c): truncation and reclaim (__remove_mapping(), whose
  // page_ref_freeze(page, 2) takes the cache's reference with it) remove a page from the page
  // cache, which drops the reference the cache held.
  P({
    name: 'delete_from_page_cache',
    params: ['frame'],
    ret: 'void',
    footprint: MM,
    impl: (x, a) => {
      const i = checkFrame(x, num(a[0]!), 'delete_from_page_cache');
      if ((x.m.fflags[i]! & PG_PAGECACHE) === 0) {
        bug(x, `delete_from_page_cache(${frameName(x.prog, i + 1)}) on a page that is not in the page cache`);
        return 0;
      }
      wFflags(x.s)[i]! &= ~PG_PAGECACHE;
      putPage(x, i + 1);
      return 0;
    },
  }),
  // page_mapping(page) != NULL for a page-cache page (the anon and swap cases are PageAnon and
  // PageSwapCache): whether the page is in the page cache.
  P({
    name: 'page_mapping',
    params: ['frame'],
    ret: 'bool',
    footprint: MM,
    impl: (x, a) => flag(x, a[0]!, PG_PAGECACHE, 'page_mapping'),
  }),
  P({
    name: 'find_get_page',
    params: ['int'],
    ret: 'frame',
    footprint: MM,
    impl: (x, a) => {
      // The page-cache page for this file offset: the file frame first mapped there, if still cached.
      const p = pageOf(userAddr(a[0]!));
      for (const f of x.prog.frames) {
        const base = f.pageCacheAddr;
        const covers = base !== undefined && (f.thp ? base <= p && p < base + PMD_SIZE : base === p);
        if (covers && (x.m.fflags[f.id - 1]! & PG_PAGECACHE) !== 0) {
          getPage(x, f.id);
          return f.id;
        }
      }
      return 0;
    },
  }),

  // --- VMAs ---------------------------------------------------------------------------------
  P({
    name: 'find_vma',
    params: ['int'],
    ret: 'vma',
    footprint: LOCAL,
    impl: (x, a) => {
      const addr = a[0]!;
      for (const v of x.prog.vmas) if (v.start <= addr && addr < v.end) return v.id;
      return 0;
    },
  }),
  P({
    name: 'vma_is_anonymous',
    params: ['vma'],
    ret: 'bool',
    footprint: LOCAL,
    impl: (x, a) => bool(vma(x, a[0]!).anon),
  }),
  P({
    name: 'is_vm_hugetlb_page',
    params: ['vma'],
    ret: 'bool',
    footprint: LOCAL,
    impl: (x, a) => bool(vma(x, a[0]!).hugetlb),
  }),
  P({
    name: 'vma_mmu_pagesize',
    params: ['vma'],
    ret: 'int',
    footprint: LOCAL,
    impl: (x, a) => (vma(x, a[0]!).hugetlb ? PMD_SIZE : PAGE_SIZE),
  }),

  // --- Kernel helpers -----------------------------------------------------------------------
  P({
    name: 'might_sleep',
    params: [],
    ret: 'void',
    footprint: MM,
    impl: (x) => {
      mightSleep(x, 'might_sleep()');
      return 0;
    },
  }),
  // WARN_ON(c) / WARN_ON_ONCE(c) (include/asm-generic/bug.h): evaluate to whether c holds, so
  // `if (WARN_ON_ONCE(x)) …` reads as in the kernel. MODEL: the _ONCE variant prints only the
  // first time per call site and boot; a warning is per execution here, so both are the same.
  ...['WARN_ON', 'WARN_ON_ONCE'].map((name) =>
    P({
      name,
      params: ['int'],
      ret: 'bool',
      footprint: LOCAL,
      impl: (x, a) => {
        if (a[0] === 0) return 0;
        warnOn(x, name);
        return 1;
      },
    }),
  ),
  P({
    name: 'BUG_ON',
    params: ['int'],
    ret: 'void',
    footprint: LOCAL,
    impl: (x, a) => {
      if (a[0] !== 0) bug(x, 'BUG_ON');
      return 0;
    },
  }),
  // The CONFIG_DEBUG_VM assertions (include/linux/mmdebug.h): BUG_ON when the kernel is built
  // with CONFIG_DEBUG_VM. MODEL: always on, like a debug kernel; the _PAGE/_VMA forms name the
  // object the kernel dumps (dump_page(), dump_vma()).
  P({
    name: 'VM_BUG_ON',
    params: ['int'],
    ret: 'void',
    footprint: LOCAL,
    impl: (x, a) => {
      if (a[0] !== 0) bug(x, 'VM_BUG_ON');
      return 0;
    },
  }),
  P({
    name: 'VM_BUG_ON_PAGE',
    params: ['int', 'frame'],
    ret: 'void',
    footprint: LOCAL,
    impl: (x, a) => {
      if (a[0] !== 0) bug(x, `VM_BUG_ON_PAGE, page ${frameName(x.prog, num(a[1]!))}`);
      return 0;
    },
  }),
  P({
    name: 'VM_BUG_ON_VMA',
    params: ['int', 'vma'],
    ret: 'void',
    footprint: LOCAL,
    impl: (x, a) => {
      if (a[0] !== 0) bug(x, `VM_BUG_ON_VMA, vma ${x.prog.vmas[num(a[1]!) - 1]?.name ?? String(a[1])}`);
      return 0;
    },
  }),

  // --- Inside a secondary -------------------------------------------------------------------
  P({
    name: 'stlb_fill',
    params: ['int', 'frame', 'int'],
    ret: 'void',
    footprint: { mm: { reads: ['selfTlb'], writes: ['selfTlb'] } },
    inSecondary: true,
    impl: (x, a) => {
      const s = selfSecondary(x);
      const f = frameId(x, a[1]!, 'stlb_fill');
      mapSet(wTlb(x.s, s.tlb), pageOf(userAddr(a[0]!)), tlbEntry(f, a[2] !== 0, false, false), 0);
      return 0;
    },
  }),
  P({
    name: 'stlb_zap',
    params: ['int', 'int'],
    ret: 'void',
    footprint: { mm: { reads: ['selfTlb'], writes: ['selfTlb'] } },
    inSecondary: true,
    impl: (x, a) => {
      zapTlb(x.s, selfSecondary(x).tlb, a[0]!, a[1]!);
      return 0;
    },
  }),
  P({
    name: 'stlb_zap_dirty',
    params: ['int', 'int'],
    ret: 'void',
    footprint: MM,
    inSecondary: true,
    impl: (x, a) => {
      const dropped = zapTlb(x.s, selfSecondary(x).tlb, a[0]!, a[1]!);
      for (let i = 0; i < dropped.length; i += 2) {
        const ent = dropped[i + 1]!;
        if ((ent & TLB_DIRTY) !== 0) {
          const f = tlbFrame(ent);
          // kvm_set_pfn_dirty()/set_page_dirty() on a freed page is itself a use of freed memory.
          if (isFree(x.m, f)) touchContent(x, f, 'set_page_dirty from the secondary');
          else wFflags(x.s)[f - 1]! |= PG_DIRTY;
        }
      }
      return 0;
    },
  }),
  P({
    name: 'stlb_lookup',
    params: ['int'],
    ret: 'frame',
    footprint: MM,
    inSecondary: true,
    impl: (x, a) => {
      return tlbFrame(translationOf(x.m, selfSecondary(x).tlb, userAddr(a[0]!)));
    },
  }),
  P({
    name: 'mmu_interval_read_begin',
    params: [],
    ret: 'int',
    footprint: MM,
    inSecondary: true,
    impl: (x) => {
      // mm/mmu_notifier.c mmu_interval_read_begin(): sleeps while this interval is being invalidated.
      mightSleep(x, 'mmu_interval_read_begin');
      const s = selfSecondary(x);
      const seq = x.m.subSeq[s.index]!;
      if (seq === x.m.itreeSeq) x.blocked = true;
      return seq;
    },
  }),
  P({
    name: 'mmu_interval_read_retry',
    params: ['int'],
    ret: 'bool',
    footprint: MM,
    inSecondary: true,
    impl: (x, a) => bool(x.m.subSeq[selfSecondary(x).index] !== a[0]),
  }),
  P({
    name: 'mmu_interval_check_retry',
    params: ['int'],
    ret: 'bool',
    footprint: MM,
    inSecondary: true,
    impl: (x, a) => bool(x.m.subSeq[selfSecondary(x).index] !== a[0]),
  }),
  P({
    name: 'mmu_interval_set_seq',
    params: ['int'],
    ret: 'void',
    footprint: MM,
    inSecondary: true,
    impl: (x, a) => {
      wSubSeq(x.s)[selfSecondary(x).index] = num(a[0]!);
      return 0;
    },
  }),
  P({
    name: 'mmu_notifier_range_blockable',
    params: [],
    ret: 'bool',
    footprint: MM,
    inSecondary: true,
    impl: (x) => bool(x.th.nonblock === 0),
  }),
];

function vma(x: Exec, v: U64) {
  const i = num(v) - 1;
  const info = x.prog.vmas[i];
  if (info === undefined)
    throw new ModelError('ML4006', `A vma is needed here, but the value is ${v === 0 ? 'NULL' : String(v)}.`);
  return info;
}

function testAndClearYoung(x: Exec, key: number): U64 {
  const e = getEntry(x.m, key);
  if (!isPresent(e) || (e & PTE_YOUNG) === 0) return 0;
  setEntry(x, key, e & ~PTE_YOUNG);
  return 1;
}

function selfSecondary(x: Exec) {
  const s = x.prog.secondaries[x.sec];
  // The compiler only allows these primitives inside a secondary (ML2013).
  if (s === undefined) throw new Error('secondary primitive run outside a secondary');
  return s;
}

export const PRIMITIVES: ReadonlyMap<string, Primitive> = new Map(TABLE.map((p) => [p.name, p]));

/** Names that are compiled specially (statement-level calls with inlined code). */
export const SPECIAL_CALLS = new Set([
  'load',
  'store',
  'mmu_notifier_invalidate_range_start',
  'mmu_notifier_invalidate_range_start_nonblock',
  'mmu_notifier_invalidate_range_end',
  'mmu_notifier_invalidate_range_only_end',
  'mmu_notifier_invalidate_range',
  'mmu_notifier_invalidate_page',
  'mmu_notifier_change_pte',
  'mmu_notifier_clear_flush_young',
  'mmu_notifier_arch_invalidate_secondary_tlbs',
  'mmu_notifier_release',
  'mmu_notifier_unregister',
  'mmu_notifier_put',
  'mmu_notifier_synchronize',
  'page_vma_mapped_walk_done',
]);
