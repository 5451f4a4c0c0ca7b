// A secondary leaving (src/semantics/srcu.ts): a notifier walk skips a subscription unhashed
// before it reached it and finishes the callback of one unhashed under it; synchronize_srcu()
// waits for the readers under way when it began, and only for those; mmu_notifier_release()
// unhashes every subscription, calls the interval subscriptions' ->invalidate (v5.5+) and waits;
// a test that never lets a secondary leave pays nothing.

import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/verdict.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { compile } from '../../src/semantics/compile.js';
import type { Program } from '../../src/semantics/program.js';
import { compileClean } from '../support/compileClean.js';
import { loadTestPrelude } from '../support/prelude.js';

const prelude = loadTestPrelude();

function build(kernel: string, secondary: string, threads: string, condition: string): Program {
  const text = `MMU srcu
config { kernel = "${kernel}"; }
{
  vma v = [0x200000, 0x201000) anon rw;
  frame p = 1;
  pte 0x200000 = p rw dirty young;
  secondary gpu : drv;
  global calls = 0;
  global phase = 0;
  global started = 0;
}
secondary drv {
${secondary}
  fault(a, write) {
  }
}
${threads}
${condition}
`;
  return compileClean('srcu.litmus', text, prelude);
}

function run(p: Program) {
  const full = check(p, {}, undefined, false);
  const reduced = check(p, {}, undefined, true);
  expect(reduced.finals).toEqual(full.finals);
  expect(reduced.violations.map((v) => v.property)).toEqual(full.violations.map((v) => v.property));
  return { finals: full.finals.map((f) => f.line), violations: full.violations.map((v) => v.property) };
}

describe('a secondary leaving the list', () => {
  test('a walk skips a subscription put before it reached it, and finishes one put under it', () => {
    const p = build(
      'v6.6',
      '  on arch_invalidate_secondary_tlbs(s, e) { calls = calls + 1; }',
      `kernel K0 { mmu_notifier_arch_invalidate_secondary_tlbs(0x200000, 0x201000); }
kernel K1 { mmu_notifier_put(gpu); r = calls; }`,
      'locations [calls; K1:r];',
    );
    // calls=0: put first; calls=1, r=0: the walk was at the subscription when it was put, and its
    // callback ran after the put returned; calls=1, r=1: the walk was over first.
    expect(run(p)).toEqual({
      finals: ['calls=0; K1:r=0;', 'calls=1; K1:r=0;', 'calls=1; K1:r=1;'],
      violations: [],
    });
  });

  test('mmu_notifier_unregister() calls ->release and returns only after the callbacks under way', () => {
    const p = build(
      'v6.6',
      `  on release() { phase = phase + 10; }
  on arch_invalidate_secondary_tlbs(s, e) { calls = calls + 1; }`,
      `kernel K0 { mmu_notifier_arch_invalidate_secondary_tlbs(0x200000, 0x201000); }
kernel K1 { mmu_notifier_unregister(gpu); r = calls; }`,
      'locations [calls; phase; K1:r];',
    );
    // Never calls=1 with r=0: a callback that began before the unregister ended before it returned.
    expect(run(p)).toEqual({
      finals: ['calls=0; phase=10; K1:r=0;', 'calls=1; phase=10; K1:r=1;'],
      violations: [],
    });
  });

  test('synchronize_srcu() waits for the readers under way when it began, not for later ones', () => {
    // K0's call holds its read-side section open (its callback waits for phase 2). K1 begins to
    // synchronize meanwhile. K3's call then enters its callback (started = 1) and waits for K1 to
    // be through (phase 3); only then does K2 let K0's call end. K1, which waits for K0 alone, is
    // through while K3 is still in its section. Had it waited for every reader (until none is
    // left), it would wait for K3, which waits for it: no execution would end.
    const p = build(
      'v6.6',
      `  on arch_invalidate_secondary_tlbs(s, e) {
    if (phase == 0) {
      phase = 1;
      await (phase == 2);
    } else {
      started = 1;
      await (phase == 3);
    }
  }`,
      `kernel K0 { mmu_notifier_arch_invalidate_secondary_tlbs(0x200000, 0x201000); }
kernel K1 { await (phase == 1); mmu_notifier_synchronize(); r = started; phase = 3; }
kernel K2 { await (started == 1); phase = 2; }
kernel K3 { await (phase == 1); mmu_notifier_arch_invalidate_secondary_tlbs(0x200000, 0x201000); }`,
      'locations [K1:r];',
    );
    const r = run(p);
    expect(r.finals).toEqual(['K1:r=1;']);
    // A synchronize that begins after K3's call began waits for it too: the kernel deadlocks there.
    expect(r.violations).toEqual(['deadlock']);
  });

  test('exit’s mmu_notifier_release() unhashes every subscription: a later walk calls nobody', () => {
    const p = build(
      'v6.6',
      `  on release() { phase = 1; }
  on arch_invalidate_secondary_tlbs(s, e) { calls = calls + 1; }`,
      `kernel K0 {
  mmu_notifier_release();
  mmu_notifier_arch_invalidate_secondary_tlbs(0x200000, 0x201000);
  mmu_notifier_unregister(gpu);
}`,
      'locations [calls; phase];',
    );
    // The unregister finds it unhashed: no second ->release, no second unhash, no error.
    expect(run(p)).toEqual({ finals: ['calls=0; phase=1;'], violations: [] });
  });

  test('put twice and unregister from a callback are model errors at the step', () => {
    const twice = build(
      'v6.6',
      '  on release() { }',
      'kernel K0 { mmu_notifier_put(gpu); mmu_notifier_put(gpu); }',
      '',
    );
    expect(() => check(twice, {}, undefined, false)).toThrow(/leaves twice/);
    // Two threads unregistering it at once: both may find it hashed, both call ->release; the
    // second unhash is the one too many.
    const racing = build(
      'v6.6',
      '  on release() { }',
      'kernel K0 { mmu_notifier_unregister(gpu); }\nkernel K1 { mmu_notifier_unregister(gpu); }',
      '',
    );
    expect(() => check(racing, {}, undefined, false)).toThrow(/leaves twice/);
    const callback = build(
      'v6.6',
      '  on arch_invalidate_secondary_tlbs(s, e) { mmu_notifier_unregister(gpu); }',
      'kernel K0 { mmu_notifier_arch_invalidate_secondary_tlbs(0x200000, 0x201000); }',
      '',
    );
    expect(() => check(callback, {}, undefined, false)).toThrow(/would wait for itself/);
  });
});

describe('mmu_notifier_release() and the interval subscriptions (v5.5+)', () => {
  test('mn_itree_release: ->invalidate over the whole address space, the sequence odd meanwhile', () => {
    const text = `MMU itree
config { kernel = "v6.6"; }
{
  vma v = [0x200000, 0x201000) anon rw;
  frame p = 1;
  pte 0x200000 = p rw dirty young;
  secondary gpu : mirror;
  global lo = 1;
  global hi = 0;
}
secondary mirror {
  on invalidate(s, e, cur_seq) {
    lo = s;
    hi = e;
    mmu_interval_set_seq(cur_seq);
    return true;
  }
  fault(a, write) {
  }
}
kernel K0 { mmu_notifier_release(); }
locations [lo; hi];
`;
    const p = compileClean('itree.litmus', text, prelude);
    expect(run(p).finals).toEqual(['lo=0; hi=0xffffffffffffffff;']);
  });
});

describe('the cost for other tests', () => {
  test('a test that never lets a secondary leave has no SRCU state and no extra step', () => {
    const plain = build(
      'v6.6',
      '  on arch_invalidate_secondary_tlbs(s, e) { calls = calls + 1; }',
      'kernel K0 { mmu_notifier_arch_invalidate_secondary_tlbs(0x200000, 0x201000); }',
      '',
    );
    expect(plain.initial.srcu).toEqual([]);
    const leaving = build(
      'v6.6',
      '  on arch_invalidate_secondary_tlbs(s, e) { calls = calls + 1; }',
      `kernel K0 { mmu_notifier_arch_invalidate_secondary_tlbs(0x200000, 0x201000); }
kernel K1 { mmu_notifier_synchronize(); }`,
      '',
    );
    // One secondary and two threads: its state, two nestings, two wait masks.
    expect(leaving.initial.srcu).toEqual([0, 0, 0, 0, 0]);
    // The walk gains two steps: the visit of the subscription and srcu_read_unlock (the lock is
    // part of the core's step).
    const steps = (q: Program) => q.threads[0]!.code.filter((i) => i.kind === 'shared').length;
    expect(steps(leaving) - steps(plain)).toBe(2);
  });
});

describe('kernel versions and bad input', () => {
  function diagnose(kernel: string, body: string): string[] {
    const text = `MMU bad
config { kernel = "${kernel}"; }
{
  vma v = [0x200000, 0x201000) anon rw;
  frame p = 1;
  pte 0x200000 = p rw;
  secondary vm : kvm;
}
kernel K0 { ${body} }
`;
    const parsed = parseLitmus(sourceFile('bad.litmus', text));
    expect(parsed.diagnostics).toEqual([]);
    return compile(parsed.ast!, prelude).diagnostics.map((d) => `${d.code}: ${d.message}`);
  }

  test('mmu_notifier_put and _synchronize came with v5.4: ML2004 before', () => {
    expect(diagnose('v4.15', 'mmu_notifier_put(vm);')).toEqual([
      "ML2004: 'mmu_notifier_put' does not exist in kernel v4.15: it was added in v5.4 (the model's kernels have it from v5.5).",
    ]);
    expect(diagnose('v4.15', 'mmu_notifier_synchronize();')[0]).toMatch(/^ML2004: /);
    expect(diagnose('v4.12', 'mmu_notifier_unregister(vm);')).toEqual([]);
    expect(diagnose('v5.5', 'mmu_notifier_put(vm);')).toEqual([]);
  });

  test('an argument that is not a registered secondary, and variants the core does not have', () => {
    expect(diagnose('v6.6', 'mmu_notifier_put(0x200000);')[0]).toMatch(/^ML2090: /);
    expect(diagnose('v6.6', 'mmu_notifier_put(p);')[0]).toMatch(/^ML2090: .*'p' is none/);
    expect(diagnose('v6.6', 'mmu_notifier_unregister(vm, vm);')[0]).toMatch(/^ML2003: /);
    expect(diagnose('v6.6', 'mmu_notifier_put@751efd8610d3(vm);')[0]).toMatch(/^ML2016: /);
    expect(diagnose('v6.6', 'mmu_notifier_unregister@751efd8610d3(vm);')).toEqual([]);
  });
});
