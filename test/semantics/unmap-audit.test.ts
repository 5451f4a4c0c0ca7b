// Findings of the line-check of prelude/unmap.litmus against the kernel trees (docs/audit.md):
// each test fails on the prelude as it was before the fix it names.
//   - v6.6 x86 selects MMU_GATHER_MERGE_VMAS, so tlb_end_vma() does not flush a vma that is not
//     VM_PFNMAP: the secondaries hear of a munmap from tlb_finish_mmu(), after
//     invalidate_range_end, not from unmap_page_range().
//   - v6.6 vm_munmap() is __vm_munmap(start, len, false): mmap_lock stays held for write across
//     unmap_region(); only munmap(2) (__vm_munmap(…, true)) downgrades it.
//   - v5.2+ (read in v5.12.9): the nested flush of tlb_finish_mmu() resets the range of a fullmm
//     gather, so the secondaries hear of [~0, ~0) from it, not of [start, end) (v4.13–v5.1).

import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/verdict.js';
import type { Program } from '../../src/semantics/program.js';
import { compileClean } from '../support/compileClean.js';
import { cli } from '../support/memoryIo.js';
import { loadTestPrelude } from '../support/prelude.js';

const prelude = loadTestPrelude();

/** A secondary that numbers the range_end and secondary-TLB callbacks in the order they come. */
const ORDER = `
secondary ord {
  state seq = 0, end_at = 0, tlb_at = 0;
  on invalidate_range_end(s, e) { seq = seq + 1; end_at = seq; }
  on invalidate_range(s, e) { seq = seq + 1; tlb_at = seq; }
  on arch_invalidate_secondary_tlbs(s, e) { seq = seq + 1; tlb_at = seq; }
}`;

function build(kernel: string, threads: string, condition: string): Program {
  const text = `MMU unmap-audit
config { kernel = "${kernel}"; }
{
  vma v = [0x200000, 0x201000) anon rw;
  frame p = 1;
  frame n free;
  pte 0x200000 = p rw dirty young;
  secondary r : ord;
}
${ORDER}
${threads}
${condition}
`;
  return compileClean('unmap-audit.litmus', text, prelude);
}

function finals(p: Program): string[] {
  const full = check(p, {}, undefined, false);
  expect(full.violations.map((v) => v.property)).toEqual([]);
  return full.finals.map((f) => f.line);
}

describe('unmap paths, line-checked', () => {
  test.each([
    // v4.12/v4.13: x86 tlb_end_vma() is empty; the core's range_end calls invalidate_range (1)
    // then invalidate_range_end (2); tlb_flush_mmu_tlbonly() calls mmu_notifier_invalidate_range()
    // from tlb_finish_mmu() (3).
    ['v4.12', 'r.end_at=2; r.tlb_at=3;'],
    ['v4.13', 'r.end_at=2; r.tlb_at=3;'],
    // v6.6: generic tlb_end_vma() with MMU_GATHER_MERGE_VMAS (x86) flushes only VM_PFNMAP vmas;
    // flush_tlb_mm_range() from tlb_finish_mmu() calls arch_invalidate_secondary_tlbs().
    ['v6.6', 'r.end_at=1; r.tlb_at=2;'],
  ])('%s: munmap tells the secondary TLBs after invalidate_range_end (tlb_finish_mmu)', (k, line) => {
    const p = build(k, 'kernel K0 {\n  r0 = vm_munmap(v, 0x200000, 0x1000);\n}', 'locations [r.end_at; r.tlb_at];');
    expect(finals(p)).toEqual([line]);
  });

  // C1 holds mmap_lock for read while K0's gather is open (mm->tlb_flush_pending): possible only
  // if K0 downgraded the lock before unmap_region().
  const RACE = `cpu C1 {
  r0 = mmap_read_trylock();
  if (r0 != 0) {
    r1 = mm_tlb_flush_pending();
    mmap_read_unlock();
  }
}`;

  test('v6.6: vm_munmap() keeps mmap_lock for write across unmap_region()', () => {
    const p = build(
      'v6.6',
      `kernel K0 {\n  r0 = vm_munmap(v, 0x200000, 0x1000);\n}\n${RACE}`,
      'locations [C1:r0; C1:r1];',
    );
    expect(finals(p)).not.toContain('C1:r0=1; C1:r1=1;');
  });

  test.each([
    ['v4.12', false],
    ['v6.6', true],
  ])('%s: munmap(2) (sys_munmap) downgrades mmap_lock before unmap_region(): %s', (k, downgraded) => {
    const p = build(k, `kernel K0 {\n  r0 = sys_munmap(v, 0x200000, 0x1000);\n}\n${RACE}`, 'locations [C1:r0; C1:r1];');
    const lines = finals(p);
    expect(lines.includes('C1:r0=1; C1:r1=1;')).toBe(downgraded);
    expect(lines).toContain('C1:r0=0; C1:r1=0;');
  });
});

describe('zap_page_range() per version', () => {
  // The witness trace names every step: flush_tlb_range() between the zap and range_end only
  // where the kernel has 4647706ebeee (checked in v4.15; absent from v4.13.9).
  test.each([
    ['v4.13', false],
    ['v4.15', true],
    ['v5.5', false],
    // v5.12.9 mm/memory.c: no flush_tlb_range() either.
    ['v5.12', false],
  ])('%s: flush_tlb_range() inside the bracket: %s', async (k, flushes) => {
    const r = await cli(['run', '--witness', '--kernel', k, 'test/fixtures/unmap/zap-page-range.litmus']);
    expect(r.code).toBe(0);
    const steps = r.stdout.split('\n').filter((l) => /^\s+\d+\s+K0\s/.test(l));
    const at = (what: string) => steps.findIndex((l) => l.includes(what));
    expect(at('flush_tlb_range(') !== -1).toBe(flushes);
    if (flushes) {
      expect(at('flush_tlb_range(')).toBeGreaterThan(at('ptep_get_and_clear_full('));
      expect(at('flush_tlb_range(')).toBeLessThan(at('mmu_notifier_invalidate_range_end('));
    }
    expect(at('tlb_finish_mmu(')).toBeGreaterThan(at('mmu_notifier_invalidate_range_end('));
  });
});

describe('the nested flush of tlb_finish_mmu() per version', () => {
  // Two MADV_DONTNEED of one page at once: the one that finishes while the other's gather is open
  // does the nested flush. Before v5.2 its ->invalidate_range covers [start, end); from v5.2 the
  // range was reset (fullmm) and is [~0, ~0) (gather.ts finishNested).
  const text = (kernel: string) => `MMU nested-flush
config { kernel = "${kernel}"; }
{
  vma v = [0x200000, 0x201000) anon rw;
  frame p = 1;
  frame n free;
  pte 0x200000 = p rw dirty young;
  secondary r : rng;
}
secondary rng {
  state odd = 0;
  on invalidate_range(s, e) { if (s != 0x200000) { odd = 1; } }
}
kernel K0 {
  r0 = do_madvise(v, 0x200000, 0x1000, MADV_DONTNEED);
}
kernel K1 {
  r0 = do_madvise(v, 0x200000, 0x1000, MADV_DONTNEED);
}
locations [r.odd];
`;
  test.each([
    ['v4.13', ['r.odd=0;']],
    ['v5.5', ['r.odd=0;', 'r.odd=1;']],
    ['v5.12', ['r.odd=0;', 'r.odd=1;']],
  ])('%s: a range other than [start, end) reaches ->invalidate_range: %j', (k, lines) => {
    expect(finals(compileClean('nested-flush.litmus', text(k), prelude))).toEqual(lines);
  });
});
