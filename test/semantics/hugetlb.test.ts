// hugetlb as the kernel sees it: page_vma_mapped_walk() gives a hugetlb page's entry through
// `m.pte` (the kernel's pvmw->pte; m.pmd is 0 as pvmw->pmd is NULL), and the ptep_* / huge_ptep_*
// primitives at an address of a hugetlb vma act on that entry, flushing and notifying as x86 does.

import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/verdict.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { compile } from '../../src/semantics/compile.js';
import { loadTestPrelude } from '../support/prelude.js';

const prelude = loadTestPrelude();

// A secondary that records the last range it was told to invalidate, in any version.
const RECORDER = `
secondary rec {
  state s0 = 0, e0 = 0, calls = 0;
  on invalidate_range(s, e) { s0 = s; e0 = e; calls = calls + 1; }
  on arch_invalidate_secondary_tlbs(s, e) { s0 = s; e0 = e; calls = calls + 1; }
}`;

function run(kernel: string, state: string, body: string, condition: string, extra = '') {
  const text = `MMU t
config { kernel = "${kernel}"; }
{
${state}
}
${extra}
kernel K0 {
${body}
}
cpu C0 {
  r = 0;
}
${condition}
`;
  const parsed = parseLitmus(sourceFile('t.litmus', text));
  expect(parsed.diagnostics.map((d) => d.message)).toEqual([]);
  const c = compile(parsed.ast!, prelude);
  expect(c.diagnostics.map((d) => d.message)).toEqual([]);
  const v = check(c.program!);
  return { observation: v.observation, violations: v.violations.map((x) => x.property).sort() };
}

// The clears below run outside any notifier bracket, so each is an unnotified change.
const UNNOTIFIED = ['unnotified-change'];

const HUGETLB = `
  vma v = [0x200000, 0x400000) anon hugetlb rw;
  frame h = 1 thp;                  // a 2 MiB hugetlb page
  pmd 0x200000 = h rw dirty young;
  ref h;
  tlb C0 0x200000 = h rw dirty;     // a CPU's 2 MiB translation`;

describe('page_vma_mapped_walk on a hugetlb vma', () => {
  test.each(['v4.12', 'v4.13', 'v6.6'])('gives the huge entry in m.pte and leaves m.pmd 0 (%s)', (kernel) => {
    const body = `
  foreach m in page_vma_mapped_walk(h, v, 0x200000) {
    n = n + 1;
    a = m.address;
    d = m.pmd;
    present = pte_present(m.pte);
    pfn = pte_pfn(m.pte);
    dirty = pte_dirty(m.pte);
    young = pte_young(m.pte);
    same = pte_same(ptep_get(m.address), m.pte);
    tail = pte_same(ptep_get(m.address + 0x1ff000), m.pte);   // any address of the page
    huge = pte_same(huge_ptep_get(m.address), m.pte);
  }`;
    const cond = `exists (K0:n = 1 /\\ K0:a = 0x200000 /\\ K0:d = 0 /\\ K0:present = 1 /\\ K0:pfn = h /\\
  K0:dirty = 1 /\\ K0:young = 1 /\\ K0:same = 1 /\\ K0:tail = 1 /\\ K0:huge = 1)`;
    expect(run(kernel, HUGETLB, body, cond)).toEqual({ observation: 'Always', violations: [] });
  });

  test('a PMD-mapped THP still comes through m.pmd, with m.pte 0', () => {
    const state = `
  vma v = [0x200000, 0x400000) file shared rw;
  frame t = 5 thp file;
  pmd 0x200000 = t rw dirty;`;
    const body = `
  foreach m in page_vma_mapped_walk(t, v, 0x200000) {
    n = n + 1;
    e = m.pte;
    pfn = pmd_pfn(m.pmd);
  }`;
    expect(run('v6.6', state, body, 'exists (K0:n = 1 /\\ K0:e = 0 /\\ K0:pfn = t)')).toEqual({
      observation: 'Always',
      violations: [],
    });
  });

  test('with PVMW_MIGRATION it finds a hugetlb migration entry', () => {
    const body = `
  pte_lock(0x200000);
  e = huge_ptep_clear_flush(0x200000);
  set_huge_pte_at(0x200000, make_migration_entry(h, 1));
  pte_unlock(0x200000);
  foreach m in page_vma_mapped_walk(h, v, 0x200000, PVMW_MIGRATION) {
    n = n + 1;
    mig = is_migration_entry(m.pte);
  }
  foreach m in page_vma_mapped_walk(h, v, 0x200000) {
    plain = plain + 1;
  }`;
    const cond = 'exists (K0:n = 1 /\\ K0:mig = 1 /\\ K0:plain = 0)';
    expect(run('v6.6', HUGETLB, body, cond)).toEqual({ observation: 'Always', violations: UNNOTIFIED });
  });
});

describe('ptep primitives on a hugetlb entry', () => {
  test.each([
    ['ptep_clear_flush at the head', 'e = ptep_clear_flush(0x200000);'],
    ['ptep_clear_flush at the last page (INVLPG of any page drops the 2 MiB entry)', 'e = ptep_clear_flush(0x3ff000);'],
    ['huge_ptep_clear_flush', 'e = huge_ptep_clear_flush(0x200000);'],
  ])('%s clears the huge entry and the CPU TLB', (_name, clear) => {
    const body = `
  pte_lock(0x200000);
  ${clear}
  pte_unlock(0x200000);
  pfn = pte_pfn(e);
  left = pmdp_get(0x200000);`;
    const cond = 'exists (K0:pfn = h /\\ K0:left = 0 /\\ tlb(C0, 0x200000) = none /\\ pte(0x200000) = none)';
    expect(run('v4.13', HUGETLB, body, cond)).toEqual({ observation: 'Always', violations: UNNOTIFIED });
  });

  test('ptep_get_and_clear clears it without a flush', () => {
    const body = `
  pte_lock(0x200000);
  e = ptep_get_and_clear(0x200000);
  pte_unlock(0x200000);
  flush_tlb_page(0x200000);`;
    // Until the flush the CPU keeps its translation of the cleared entry (incoherent-translation).
    const cond = 'exists (tlb(C0, 0x200000) = none /\\ pte(0x200000) = none)';
    expect(run('v4.13', HUGETLB, body, cond)).toEqual({
      observation: 'Always',
      violations: ['incoherent-translation', 'unnotified-change'],
    });
  });

  test('set_pte_at writes a hwpoison entry in place of the huge entry, as v4.12 did', () => {
    const body = `
  pte_lock(0x200000);
  e = ptep_clear_flush(0x200000);
  set_pte_at(0x200000, make_hwpoison_entry(h));
  pte_unlock(0x200000);
  hw = is_hwpoison_entry(ptep_get(0x200000));
  hwpmd = is_hwpoison_entry(pmdp_get(0x200000));
  small = ptep_get(0x200000) == pmdp_get(0x200000);`;
    expect(run('v4.12', HUGETLB, body, 'exists (K0:hw = 1 /\\ K0:hwpmd = 1 /\\ K0:small = 1)')).toEqual({
      observation: 'Always',
      violations: UNNOTIFIED,
    });
  });

  test('ptep_clear_flush_young sees the young bit of the huge entry', () => {
    const body = `
  pte_lock(0x200000);
  y = ptep_clear_flush_young(0x200000);
  again = ptep_test_and_clear_young(0x200000);
  pte_unlock(0x200000);
  old = pte_young(ptep_get(0x200000));`;
    expect(run('v4.13', HUGETLB, body, 'exists (K0:y = 1 /\\ K0:again = 0 /\\ K0:old = 0)')).toEqual({
      observation: 'Always',
      violations: [],
    });
  });

  test('ptep_set_wrprotect and set_pte_at keep the entry huge', () => {
    const body = `
  pte_lock(0x200000);
  ptep_set_wrprotect(0x200000);
  wr = pte_write(ptep_get(0x200000));
  e = ptep_clear_flush(0x200000);
  set_pte_at(0x200000, pte_mkclean(e));
  pte_unlock(0x200000);
  pfn = pmd_pfn(pmdp_get(0x200000));
  dirty = pte_dirty(ptep_get(0x200000));`;
    const cond = 'exists (K0:wr = 0 /\\ K0:pfn = h /\\ K0:dirty = 0 /\\ pte(0x200000) = h)';
    expect(run('v4.13', HUGETLB, body, cond)).toEqual({ observation: 'Always', violations: UNNOTIFIED });
  });
});

describe('what the flush of a hugetlb entry notifies', () => {
  const withRec = `${HUGETLB}
  secondary dev : rec;`;
  const clear = (call: string) => `
  pte_lock(0x200000);
  e = ${call}(0x200000);
  pte_unlock(0x200000);`;

  test.each([
    // v6.6 (6bbd42e2df8f): x86 flush_tlb_mm_range() notifies what flush_tlb_page() flushes.
    ['v6.6', 'huge_ptep_clear_flush', 'dev.calls = 1 /\\ dev.s0 = 0x200000 /\\ dev.e0 = 0x201000'],
    ['v6.6', 'ptep_clear_flush', 'dev.calls = 1 /\\ dev.s0 = 0x200000 /\\ dev.e0 = 0x201000'],
    // Before v6.6 the TLB flush notifies nothing.
    ['v4.13', 'huge_ptep_clear_flush', 'dev.calls = 0'],
    ['v4.13', 'ptep_clear_flush', 'dev.calls = 0'],
  ])('%s %s', (kernel, call, cond) => {
    // No bracket: v4.13 notifies nothing, and in v6.6 one page does not cover the 2 MiB entry
    // for `unnotified-change` (MODEL, notifiers.ts): a secondary holding 4 KiB pieces of the huge
    // page would keep those outside it.
    expect(run(kernel, withRec, clear(call), `exists (${cond})`, RECORDER)).toEqual({
      observation: 'Always',
      violations: ['unnotified-change'],
    });
  });

  test('v6.6 pmdp_huge_clear_flush of a THP notifies the whole PMD', () => {
    const state = `
  vma v = [0x200000, 0x400000) anon rw;
  frame t = 1 thp;
  pmd 0x200000 = t rw dirty;
  ref t;
  secondary dev : rec;`;
    const cond = 'exists (dev.calls = 1 /\\ dev.s0 = 0x200000 /\\ dev.e0 = 0x400000)';
    expect(run('v6.6', state, clear('pmdp_huge_clear_flush'), cond, RECORDER)).toEqual({
      observation: 'Always',
      violations: [],
    });
  });

  test('inside a bracket over the huge page the one-page notification is enough', () => {
    const body = `
  mmu_notifier_invalidate_range_start(0x200000, 0x400000);
  ${clear('huge_ptep_clear_flush')}
  mmu_notifier_invalidate_range_end(0x200000, 0x400000);`;
    expect(run('v6.6', withRec, body, 'exists (dev.calls = 1)', RECORDER)).toEqual({
      observation: 'Always',
      violations: [],
    });
  });
});

describe('try_to_unmap_one on a young hugetlb page', () => {
  // Without TTU_IGNORE_ACCESS, ptep_clear_flush_young_notify() through pvmw.pte finds the huge
  // entry young, and the unmap gives up (the page is referenced). The model used to look at the
  // 4 KiB PTE slot of the address, which is empty for a hugetlb page, and unmapped it.
  test.each(['v4.12', 'v4.13', 'v4.15'])('%s keeps the mapping', (kernel) => {
    const state = `
  vma v = [0x200000, 0x400000) anon hugetlb rw;
  frame h = 1 thp;
  pmd 0x200000 = h rw dirty young;
  ref h;
  flag h hwpoison;
  flag h locked;`;
    const body = `
  r0 = try_to_unmap(h, v, 0x200000, 0);
  unlock_page(h);`;
    expect(run(kernel, state, body, 'exists (K0:r0 = 0 /\\ pte(0x200000) = h)')).toEqual({
      observation: 'Always',
      violations: [],
    });
  });
});
