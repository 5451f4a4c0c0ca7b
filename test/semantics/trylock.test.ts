// Trylocks: spin_trylock, mutex_trylock, down_read_trylock, down_write_trylock take a free lock
// and give 1, or give 0 without blocking; they never sleep.

import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/verdict.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { compile } from '../../src/semantics/compile.js';
import type { Program } from '../../src/semantics/program.js';
import { compileClean } from '../support/compileClean.js';
import { loadTestPrelude } from '../support/prelude.js';

const prelude = loadTestPrelude();

function build(threads: string, condition = ''): Program {
  const text = `MMU trylock
{
  vma v = [0x200000, 0x400000) anon rw;
  frame p = 1;
  pte 0x200000 = p rw;
  global x = 0;
  lock s : spinlock;
  lock mu : mutex;
  lock sem : rwsem;
}
${threads}
${condition}
`;
  return compileClean('trylock.litmus', text, prelude);
}

/** The final values of `locations`, one sorted line per distinct final state, both searches agreeing. */
function finals(p: Program): string[] {
  const full = check(p, {}, undefined, false);
  const reduced = check(p, {}, undefined, true);
  expect(reduced.finals).toEqual(full.finals);
  expect(reduced.violations.map((v) => v.property)).toEqual(full.violations.map((v) => v.property));
  return full.finals.map((f) => f.line);
}

describe('trylocks', () => {
  test.each([
    ['spin_trylock', 'spin_unlock', 's'],
    ['mutex_trylock', 'mutex_unlock', 'mu'],
    ['down_write_trylock', 'up_write', 'sem'],
  ])('%s: exactly one of two racing threads gets the lock while it is held', (trylock, unlock, l) => {
    const p = build(
      `kernel K0 {
  r0 = ${trylock}(${l});
  if (r0) {
    x = x + 1;
    ${unlock}(${l});
  }
}
kernel K1 {
  r1 = ${trylock}(${l});
  if (r1) {
    x = x + 1;
    ${unlock}(${l});
  }
}`,
      'locations [K0:r0; K1:r1; x];',
    );
    // Both succeed only one after the other; both failing is impossible.
    expect(finals(p)).toEqual(['K0:r0=0; K1:r1=1; x=1;', 'K0:r0=1; K1:r1=0; x=1;', 'K0:r0=1; K1:r1=1; x=2;']);
  });

  test('a held lock gives 0 without blocking, also to its owner', () => {
    const p = build(
      `kernel K0 {
  spin_lock(s);
  r0 = spin_trylock(s);
  spin_unlock(s);
  r1 = spin_trylock(s);
  spin_unlock(s);
}`,
      'exists (K0:r0 = 0 /\\ K0:r1 = 1)',
    );
    const v = check(p);
    expect(v.observation).toBe('Always');
    expect(v.violations).toEqual([]);
  });

  test('readers share an rwsem; a writer trylock fails while a reader holds it', () => {
    const p = build(
      `kernel K0 {
  r0 = down_read_trylock(sem);
  r1 = down_read_trylock(sem);
  r2 = down_write_trylock(sem);
  up_read(sem);
  up_read(sem);
  r3 = down_write_trylock(sem);
  r4 = down_read_trylock(sem);
  up_write(sem);
}`,
      'exists (K0:r0 = 1 /\\ K0:r1 = 1 /\\ K0:r2 = 0 /\\ K0:r3 = 1 /\\ K0:r4 = 0)',
    );
    expect(check(p).observation).toBe('Always');
  });

  test('a trylock never sleeps: mutex_trylock under the page-table lock is no sleep-in-atomic', () => {
    const trylock = build(`kernel K0 {
  pte_lock(0x200000);
  if (mutex_trylock(mu)) {
    mutex_unlock(mu);
  }
  if (down_read_trylock(sem)) {
    up_read(sem);
  }
  pte_unlock(0x200000);
}`);
    expect(check(trylock).violations).toEqual([]);
    const lock = build(`kernel K0 {
  pte_lock(0x200000);
  mutex_lock(mu);
  mutex_unlock(mu);
  pte_unlock(0x200000);
}`);
    expect(check(lock).violations.map((v) => v.property)).toEqual(['sleep-in-atomic']);
  });

  test('a spinlock taken by spin_trylock makes sleeping atomic, as spin_lock does', () => {
    const p = build(`kernel K0 {
  if (spin_trylock(s)) {
    mutex_lock(mu);
    mutex_unlock(mu);
    spin_unlock(s);
  }
}`);
    expect(check(p).violations.map((v) => v.property)).toEqual(['sleep-in-atomic']);
  });

  test('a lock of the wrong kind is an error', () => {
    const text = `MMU t\n{\n  lock s : spinlock;\n  frame p = 1;\n}\nkernel K0 {\n  r = BODY;\n}\n`;
    const parsed = parseLitmus(sourceFile('t.litmus', text.replace('BODY', 'spin_trylock(p)')));
    expect(compile(parsed.ast!, prelude).diagnostics.map((d) => d.code)).toEqual(['ML2023']);
    const kind = parseLitmus(sourceFile('t.litmus', text.replace('BODY', 'mutex_trylock(s)')));
    // The kind of a lock value is checked when the step runs (ML4005), as for mutex_lock.
    expect(() => check(compile(kind.ast!, prelude).program!)).toThrow(/needs a mutex/);
  });
});
