// The mmu_gather per kernel version: what tlb_gather_mmu() does to mm->tlb_flush_pending, which
// callback the flush calls and with which range, the nested flush of tlb_finish_mmu(), and the
// order flush → secondaries → free.

import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/verdict.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { compile } from '../../src/semantics/compile.js';
import type { Program } from '../../src/semantics/program.js';
import { compileClean } from '../support/compileClean.js';
import { loadTestPrelude } from '../support/prelude.js';

const prelude = loadTestPrelude();

/** A secondary that records the last range it was told of, per callback. */
const RECORDER = `
secondary rec {
  state rs = 0, re = 0, as = 0, ae = 0, calls = 0;
  on invalidate_range(s, e) { rs = s; re = e; calls = calls + 1; }
  on arch_invalidate_secondary_tlbs(s, e) { as = s; ae = e; calls = calls + 1; }
}`;

function build(kernel: string, threads: string, condition: string, extra = ''): Program {
  const text = `MMU gather
config { kernel = "${kernel}"; }
{
  vma v = [0x200000, 0x400000) anon rw;
  frame p = 1;
  frame q = 2;
  pte 0x200000 = p rw dirty young;
  pte 0x201000 = q rw young;
  secondary r : rec;
  ${extra}
}
${RECORDER}
${threads}
${condition}
`;
  return compileClean('gather.litmus', text, prelude);
}

function finals(p: Program): string[] {
  const full = check(p, {}, undefined, false);
  const reduced = check(p, {}, undefined, true);
  expect(reduced.finals).toEqual(full.finals);
  expect(full.violations.map((v) => v.property)).toEqual([]);
  return full.finals.map((f) => f.line);
}

const ZAP_BOTH = `
  pte_lock(0x200000);
  e = ptep_get_and_clear_full(0x200000, 0);
  tlb_remove_tlb_entry(0x200000);
  page_remove_rmap(p);
  __tlb_remove_page(p);
  e = ptep_get_and_clear_full(0x201000, 0);
  tlb_remove_tlb_entry(0x201000);
  page_remove_rmap(q);
  __tlb_remove_page(q);
  pte_unlock(0x200000);`;

describe('mmu_gather', () => {
  test.each([
    ['v4.12', 0],
    ['v4.13', 1],
    ['v6.6', 1],
  ])('%s: tlb_gather_mmu() raises mm->tlb_flush_pending by %i, tlb_finish_mmu() lowers it again', (k, n) => {
    const p = build(
      k,
      `kernel K0 {
  tlb_gather_mmu(0x200000, 0x202000);
  r0 = mm_tlb_flush_pending();
  tlb_finish_mmu(0x200000, 0x202000);
  r1 = mm_tlb_flush_pending();
}`,
      'locations [K0:r0; K0:r1];',
    );
    expect(finals(p)).toEqual([`K0:r0=${n}; K0:r1=0;`]);
  });

  test.each([
    ['v4.13', 'r.rs=0x200000; r.re=0x202000; r.as=0; r.ae=0; r.calls=1;'],
    ['v6.6', 'r.rs=0; r.re=0; r.as=0x200000; r.ae=0x202000; r.calls=1;'],
  ])('%s: the flush tells the secondaries of the gathered range once, by the version’s callback', (k, line) => {
    const p = build(
      k,
      `kernel K0 {
  tlb_gather_mmu(0x200000, 0x400000);${ZAP_BOTH}
  tlb_finish_mmu(0x200000, 0x400000);
  n = page_count(p) + page_count(q);
}`,
      'locations [r.rs; r.re; r.as; r.ae; r.calls; K0:n];',
    );
    expect(finals(p)).toEqual([`${line} K0:n=0;`]);
  });

  test('a gather that recorded nothing flushes nothing and tells no secondary', () => {
    const p = build(
      'v4.13',
      `kernel K0 {
  tlb_gather_mmu(0x200000, 0x202000);
  tlb_finish_mmu(0x200000, 0x202000);
}`,
      'locations [r.calls];',
    );
    expect(finals(p)).toEqual(['r.calls=0;']);
  });

  test.each([
    // v4.x: fullmm keeps tlb->end at ~0, so the flush runs and notifies [start, ~0) (nothing
    // before the first entry); v6.6 flushes the whole mm and notifies [0, ~0).
    ['v4.13', 'r.rs=0x200000; r.re=0xffffffffffffffff; r.as=0; r.ae=0;'],
    ['v6.6', 'r.rs=0; r.re=0; r.as=0; r.ae=0xffffffffffffffff;'],
  ])('%s: a fullmm gather (exit_mmap) flushes the whole mm', (k, line) => {
    const p = build(
      k,
      `kernel K0 {
  ${k === 'v6.6' ? 'tlb_gather_mmu_fullmm();' : 'tlb_gather_mmu(0, ULONG_MAX);'}${ZAP_BOTH}
  tlb_finish_mmu(0, ULONG_MAX);
}`,
      'cpu C0 { }\nlocations [r.rs; r.re; r.as; r.ae; tlb(C0, 0x200000)];',
      'tlb C0 0x200000 = p rw dirty;',
    );
    expect(finals(p)).toEqual([`${line} tlb(C0,0x200000)=none;`]);
  });

  test('the pages are freed only after the secondaries were told (a callback sees them allocated)', () => {
    const text = `MMU order
config { kernel = "v4.13"; }
{
  vma v = [0x200000, 0x400000) anon rw;
  frame p = 1;
  pte 0x200000 = p rw dirty young;
  secondary r : seen;
}
secondary seen {
  state refs = 9;
  on invalidate_range(s, e) { refs = page_count(p); }
}
kernel K0 {
  tlb_gather_mmu(0x200000, 0x201000);
  pte_lock(0x200000);
  e = ptep_get_and_clear_full(0x200000, 0);
  tlb_remove_tlb_entry(0x200000);
  page_remove_rmap(p);
  __tlb_remove_page(p);
  pte_unlock(0x200000);
  tlb_finish_mmu(0x200000, 0x201000);
  n = page_count(p);
}
locations [r.refs; K0:n];
`;
    const parsed = parseLitmus(sourceFile('order.litmus', text));
    const c = compile(parsed.ast!, prelude);
    expect(c.diagnostics.map((d) => d.message)).toEqual([]);
    expect(finals(c.program!)).toEqual(['r.refs=1; K0:n=0;']);
  });

  test.each([
    // 99baac21e458 (v4.13): with another gather under way, tlb_finish_mmu() flushes the range it
    // was given even though this thread cleared nothing; v6.6 flushes the whole mm. v4.12 does not.
    ['v4.12', 'r.calls=0; tlb(C0,0x200000)=p;'],
    ['v4.13', 'r.calls=1; tlb(C0,0x200000)=none;'],
    ['v6.6', 'r.calls=1; tlb(C0,0x200000)=none;'],
  ])('%s: the nested flush of tlb_finish_mmu()', (k, line) => {
    const p = build(
      k,
      `kernel K0 {
  inc_tlb_flush_pending();
  tlb_gather_mmu(0x200000, 0x201000);
  tlb_finish_mmu(0x200000, 0x201000);
  dec_tlb_flush_pending();
}`,
      'cpu C0 { }\nlocations [r.calls; tlb(C0, 0x200000)];',
      'tlb C0 0x200000 = p rw dirty;',
    );
    expect(finals(p)).toEqual([line]);
  });
});
