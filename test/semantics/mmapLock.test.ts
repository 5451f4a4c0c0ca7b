// mmap_lock: an rwsem over the mm. Readers share it, a writer excludes everyone, a downgrade lets
// readers in but keeps writers out, and the fault path and get_user_pages take it for read.

import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/verdict.js';
import type { Program } from '../../src/semantics/program.js';
import { compileClean } from '../support/compileClean.js';
import { loadTestPrelude } from '../support/prelude.js';

const prelude = loadTestPrelude();

function build(threads: string, condition: string): Program {
  const text = `MMU mmaplock
config { kernel = "v6.6"; }
{
  vma v = [0x200000, 0x201000) anon rw;
  frame p = 1;
  frame n free;
  pte 0x200000 = p rw dirty young;
  global x = 0;
}
${threads}
${condition}
`;
  return compileClean('mmaplock.litmus', text, prelude);
}

function run(p: Program) {
  const full = check(p, {}, undefined, false);
  const reduced = check(p, {}, undefined, true);
  expect(reduced.finals).toEqual(full.finals);
  return { finals: full.finals.map((f) => f.line), violations: full.violations.map((v) => v.property) };
}

describe('mmap_lock', () => {
  test('a reader never sees the middle of a writer’s critical section', () => {
    const p = build(
      `kernel K0 { mmap_write_lock(); x = 1; x = 2; mmap_write_unlock(); }
kernel K1 { mmap_read_lock(); r = x; mmap_read_unlock(); }`,
      'locations [K1:r];',
    );
    expect(run(p)).toEqual({ finals: ['K1:r=0;', 'K1:r=2;'], violations: [] });
  });

  test('readers share it: two readers inside at once', () => {
    const p = build(
      `kernel K0 { mmap_read_lock(); x = x + 1; await (x == 2); mmap_read_unlock(); }
kernel K1 { mmap_read_lock(); x = x + 1; await (x == 2); mmap_read_unlock(); }`,
      'locations [x];',
    );
    expect(run(p)).toEqual({ finals: ['x=2;'], violations: [] });
  });

  test('after a downgrade readers enter, writers still wait, trylock fails only against a writer', () => {
    const p = build(
      `kernel K0 { mmap_write_lock(); x = 1; mmap_write_downgrade(); await (x == 2); mmap_read_unlock(); }
kernel K1 { await (x == 1); r = mmap_read_trylock(); if (r) { mmap_read_unlock(); } x = 2; }`,
      'locations [K1:r; x];',
    );
    // r = 0: tried while K0 still held it for write; r = 1: after the downgrade.
    expect(run(p)).toEqual({ finals: ['K1:r=0; x=2;', 'K1:r=1; x=2;'], violations: [] });
  });

  test('a fault waits for a writer: a cpu access in the middle of a write-locked section never completes there', () => {
    const p = build(
      `kernel K0 {
  mmap_write_lock();
  pte_lock(0x200000);
  e = ptep_clear_flush(0x200000);
  pte_unlock(0x200000);
  x = 1;
  set_pte_at(0x200000, e);
  x = 2;
  mmap_write_unlock();
  m = page_count(n);
}
cpu C0 { r = load(0x200000); }`,
      'locations [C0:r; K0:m];',
    );
    // C0 reads p through its TLB or after its fault waited for the entry to come back: it never
    // faults a new page (n) into the window where the entry is none.
    expect(run(p)).toEqual({ finals: ['C0:r=1; K0:m=0;'], violations: [] });
  });

  test('unlocking what the thread does not hold is a kernel BUG', () => {
    const p = build('kernel K0 { mmap_read_unlock(); }', '');
    expect(run(p).violations).toEqual(['assertion']);
  });

  test('taking it for read while holding it for write deadlocks', () => {
    const p = build('kernel K0 { mmap_write_lock(); mmap_read_lock(); mmap_read_unlock(); mmap_write_unlock(); }', '');
    expect(run(p).violations).toEqual(['deadlock']);
  });
});
