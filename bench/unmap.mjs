// bench/unmap.mjs — writes the litmus equivalents of ../shared/bench/spin/unmap.pml (the SPIN
// anchor of DESIGN §8) for NPAGES × NDEV and the variants correct / BUG_AFTER / NO_SEQ.
//
//   node bench/unmap.mjs [OUTDIR]      writes OUTDIR/unmap-<n>x<m>[-bug-after|-no-seq].litmus
//                                      (default bench/unmap/), one per row of MODELS
//
// scripts/bench.mjs imports `unmapLitmus` and `MODELS` from here.
//
// How the Promela model maps to the litmus language
// --------------------------------------------------
// unmap.pml                                   | here
// --------------------------------------------+-----------------------------------------------
// byte pte[NPAGES], PFN(i) = i + 1            | `pte 0x200000 + i*0x1000 = p<i> rw;` frames p0..
// bit frame[]: ALLOCATED / FREED              | the frame's refcount: put_page to 0 frees it
// bit ptl; lock(ptl) = atomic { ptl == 0 -> } | pte_lock(a) / pte_unlock(a) (blocks while held)
// tlb_t tlb[NDEV] (one entry per page)        | each `secondary d<j> : dev` has its own TLB
// bit devlock[d], byte seq[d]                 | `lock update : spinlock; state seq` of `dev`
// kernel: lock; pfn = pte[i]; pte[i] = NONE;  | pte_lock; e = ptep_get_and_clear(a); pte_unlock
// notify_invalidate(i) (loop over devices:    | mmu_notifier_invalidate_range_start(a, a+4K):
//   lock devlock; seq++; tlb.e[i] = NONE;     |   one bookkeeping step, then dev's callback per
//   unlock)                                   |   registered device (lock; seq++; stlb_zap;
//                                             |   unlock); ..._end closes the bracket (no callback)
// frame[pfn] = FREED                          | atomic { page_remove_rmap(p); put_page(p); }
// -DBUG_AFTER: notify after the free          | the same, start/end after the atomic free
// device: do :: select(i) ...                 | while (true) { choose { load(a0) } or { … } }
// d_step { TLB hit -> assert + touch }        | a load that hits its TLB is one step (lookup and
//                                             |   access atomic, like the d_step)
// miss: s = seq; p = pte[i]                   | the mirror's fault(a): snap = seq; e = ptep_get(a)
//   (no PTL)                                  |   (no PTL)
// lock devlock; if seq == s -> fill; touch    | spin_lock(update); if (seq == snap) stlb_fill;
//   unlock                                    |   spin_unlock; the load retries and touches
//                                             |   the frame through the TLB it filled
// -DNO_SEQ: fill without the check            | stlb_fill without the `seq == snap` test
// assert(frame[...] != FREED)                 | the property use-after-free (a load of a free
//                                             |   frame); the verdict compared is "UAF or not"
// p = 0; s = 0; hit = 0 (reset locals)        | routine locals are cleared when fault returns
// atomic in init, run kernel/devices          | the initial state block
//
// Where the two encodings differ (state counts need not be equal; verdicts must):
// - Step granularity: SPIN counts loop tests, `d++`, `i++`, `select` and local assignments as
//   steps; here a step is one shared statement, local statements run with the step before them,
//   and a notifier call adds a bookkeeping step (start and end). No one-to-one state mapping.
// - The device touches the frame under its driver lock right after the fill in SPIN; here the
//   load touches it on retry, after the fault routine dropped the lock (an invalidation may zap
//   the entry in between: then the load faults again). Both are safe in the correct variant.
// - A device whose walk finds no PTE (or loses the seq race) retries the same page here (a mirror
//   load retries until it hits); SPIN picks a page again. A failed walk changes no shared state,
//   so the device reaches nothing in SPIN that it cannot reach here by picking the other page.
// - SPIN devices leave their loop once the kernel is done (`kdone`); here they loop forever.
//   No final state, hence no final condition; the assertion is checked at every step in both.
// - Frames hold content 0 so that the register of a load carries no state; SPIN has no content.
// - Our other monitors that would fire on these models without a device touching a freed frame
//   (dangling-translation, incoherent-translation, unnotified-change: the PTE is cleared before
//   the notifier opens its bracket, as in unmap.pml) are turned off with `check -…`: SPIN's model
//   asserts only on touches. use-after-free, deadlock, assertion, sleep-in-atomic and
//   notifier-imbalance stay on.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VARIANTS = ['correct', 'bug-after', 'no-seq'];

/** SPIN's -D flags for a variant. */
export function spinFlags(pages, devices, variant) {
  const flags = [`-DNPAGES=${pages}`, `-DNDEV=${devices}`];
  if (variant === 'bug-after') flags.push('-DBUG_AFTER');
  if (variant === 'no-seq') flags.push('-DNO_SEQ');
  return flags;
}

export function modelName(pages, devices, variant) {
  return `unmap-${pages}x${devices}${variant === 'correct' ? '' : `-${variant}`}`;
}

const BASE = 0x200000;
const hex = (n) => `0x${n.toString(16)}`;
const addr = (i) => hex(BASE + i * 0x1000);

/** The litmus text equivalent to `spin -a -DNPAGES=pages -DNDEV=devices [-DBUG_AFTER|-DNO_SEQ] unmap.pml`. */
export function unmapLitmus(pages, devices, variant) {
  if (!VARIANTS.includes(variant)) throw new Error(`unknown variant ${variant}`);
  const name = modelName(pages, devices, variant);
  const out = [];
  out.push(`MMU ${name}`);
  out.push(
    `"unmap.pml ${spinFlags(pages, devices, variant).join(' ')}: ${pages} page(s) unmapped, ${devices} device(s) with their own TLB"`,
  );
  out.push('');
  out.push('(* Generated by bench/unmap.mjs; its header maps every Promela construct to this encoding. *)');
  out.push('');
  out.push('config {');
  out.push('  check -dangling-translation;');
  out.push('  check -incoherent-translation;');
  out.push('  check -unnotified-change;');
  out.push('}');
  out.push('');
  out.push('{');
  out.push(`  vma v = [${hex(BASE)}, ${hex(BASE + pages * 0x1000)}) anon rw;`);
  for (let i = 0; i < pages; i++) out.push(`  frame p${i} = 0;`);
  for (let i = 0; i < pages; i++) out.push(`  pte ${addr(i)} = p${i} rw;`);
  for (let d = 0; d < devices; d++) out.push(`  secondary d${d} : dev;`);
  out.push('}');
  out.push('');
  out.push('secondary dev {');
  out.push('  state seq = 0;');
  out.push('  lock update : spinlock;');
  out.push('  on invalidate_range_start(s, e) {');
  out.push('    spin_lock(update);');
  out.push('    seq = seq + 1;');
  out.push('    stlb_zap(s, e);');
  out.push('    spin_unlock(update);');
  out.push('  }');
  out.push('  fault(a, write) {');
  out.push('    snap = seq;');
  out.push('    e = ptep_get(a);');
  out.push('    if (pte_present(e)) {');
  out.push('      spin_lock(update);');
  if (variant === 'no-seq') {
    out.push('      stlb_fill(a, pte_page(e), 0);');
  } else {
    out.push('      if (seq == snap) {');
    out.push('        stlb_fill(a, pte_page(e), 0);');
    out.push('      }');
  }
  out.push('      spin_unlock(update);');
  out.push('    }');
  out.push('  }');
  out.push('}');
  out.push('');
  out.push('routine unmap_one(a, page) {');
  out.push('  pte_lock(a);');
  out.push('  e = ptep_get_and_clear(a);');
  out.push('  pte_unlock(a);');
  const notify = [
    '  mmu_notifier_invalidate_range_start(a, a + PAGE_SIZE);',
    '  mmu_notifier_invalidate_range_end(a, a + PAGE_SIZE);',
  ];
  const free = '  atomic { page_remove_rmap(page); put_page(page); }';
  if (variant === 'bug-after') out.push(free, ...notify);
  else out.push(notify[0], free, notify[1]);
  out.push('}');
  out.push('');
  out.push('kernel K {');
  for (let i = 0; i < pages; i++) out.push(`  unmap_one(${addr(i)}, p${i});`);
  out.push('}');
  for (let d = 0; d < devices; d++) {
    out.push('');
    out.push(`device D${d} on d${d} {`);
    out.push('  while (true) {');
    if (pages === 1) {
      out.push(`    r = load(${addr(0)});`);
    } else {
      const branches = [];
      for (let i = 0; i < pages; i++) branches.push(`{ r = load(${addr(i)}); }`);
      out.push(`    choose ${branches.join(' or ')}`);
    }
    out.push('  }');
    out.push('}');
  }
  out.push('');
  out.push(variant === 'correct' ? 'expect safe;' : 'expect violates use-after-free;');
  return `${out.join('\n')}\n`;
}

/** The rows of the bench: pages × devices 1..3 × 1..3 plus 4×2, each in every variant. */
export const MODELS = (() => {
  const rows = [];
  const sizes = [];
  for (let p = 1; p <= 3; p++) for (let d = 1; d <= 3; d++) sizes.push([p, d]);
  sizes.push([4, 2]);
  for (const [p, d] of sizes) for (const v of VARIANTS) rows.push({ pages: p, devices: d, variant: v });
  return rows;
})();

export function writeModels(dir) {
  mkdirSync(dir, { recursive: true });
  const files = [];
  for (const m of MODELS) {
    const file = join(dir, `${modelName(m.pages, m.devices, m.variant)}.litmus`);
    writeFileSync(file, unmapLitmus(m.pages, m.devices, m.variant));
    files.push(file);
  }
  return files;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'unmap');
  const files = writeModels(dir);
  process.stdout.write(`wrote ${files.length} models to ${dir}\n`);
}
