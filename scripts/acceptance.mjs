// `npm run acceptance`: check-patch on the real seed patch (issue 10, item 8), when the kernel
// input beside the repository exists (../shared/kernel: mm/rmap.c as of v4.13-rc7 and the v1
// patch; GPL kernel code, kept outside the project). Not part of `npm test`.
//
// It runs
//   mmu-litmus check-patch ../shared/kernel/glisse-v1-02-13.patch \
//     --base ../shared/kernel/rmap-v4.13-rc7.c --kernel-before v4.12 --kernel-after v4.13
// prints its report and how long it took, then checks what the history says it must find:
//   - before: unnotified-change in the THP and hugetlb scenarios, sleep-in-atomic with the userptr
//     mirror; after: neither;
//   - late-invalidate at the `+ mmu_notifier_invalidate_range` lines that follow
//     set_huge_swap_pte_at() and the set_pte_at() of swap and migration entries;
//   - every cell agrees with the hand-written rows of `mmu-litmus matrix`: before with @v4.12,
//     after with @seed (violations and review warnings);
//   - under 30 s.
// Then the same for the v2 posting (glisse-v2-02-13.patch, merged as 369ea8242c0f): its
// post-image is mm/rmap.c of v4.13 (blob c570f82e6827), so before must agree with @v4.12 and after
// with the hand-written @v4.13 rows, with neither unnotified-change nor sleep-in-atomic after.
// Exit 0 when every expectation holds, 1 otherwise; a skip is exit 0.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const KERNEL = join(ROOT, '..', 'shared', 'kernel');
const PATCH = join(KERNEL, 'glisse-v1-02-13.patch');
const PATCH_V2 = join(KERNEL, 'glisse-v2-02-13.patch');
const BASE = join(KERNEL, 'rmap-v4.13-rc7.c');
const show = (p) => relative(process.cwd(), p);

if (!existsSync(PATCH) || !existsSync(BASE)) {
  console.log(`acceptance: skipped: ${show(KERNEL)} does not hold the seed patch and its base (see issue 10, item 8).`);
  process.exit(0);
}

const cli = join(ROOT, 'bin', 'mmu-litmus.js');
const patchArgs = (patch) => [
  'check-patch',
  show(patch),
  '--base',
  show(BASE),
  '--kernel-before',
  'v4.12',
  '--kernel-after',
  'v4.13',
];
const args = patchArgs(PATCH);

function run(extra, patchArgs = args) {
  const start = performance.now();
  const r = spawnSync(process.execPath, [cli, ...patchArgs, ...extra], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { ...r, seconds: (performance.now() - start) / 1000 };
}

console.log(`$ mmu-litmus ${args.join(' ')}`);
const text = run([]);
process.stdout.write(text.stdout);
process.stderr.write(text.stderr);
console.log(`(exit ${text.status}, ${text.seconds.toFixed(1)} s)\n`);
if (text.status === 2 || text.status === 4 || text.status === null) {
  console.log('acceptance: FAILED: check-patch did not run to a verdict.');
  process.exit(1);
}

const json = run(['--format', 'json']);
const report = JSON.parse(json.stdout);
const matrix = JSON.parse(
  execFileSync(process.execPath, [cli, 'matrix', '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 }),
);

const results = [];
const expect = (ok, what, detail = '') => results.push({ ok, what, detail });
const checked = (side) =>
  report.cells.filter((c) => c[side] !== null && Array.isArray(c[side].violations) && c[side].complete !== null);
const has = (c, side, p) => c[side].violations.includes(p);
const names = (cells, side) =>
  cells.map((c) => `${c.scenario} ${c.kind} ${side}: ${c[side].status} ${c[side].violations.join(',')}`).join('; ');

// Before: unnotified-change in the THP and hugetlb scenarios (invalidate_page covers 4 KiB of 2 MiB).
for (const scenario of ['writeback-thp', 'hwpoison-hugetlb']) {
  const cells = checked('before').filter((c) => c.scenario === scenario);
  const missing = cells.filter((c) => !has(c, 'before', 'unnotified-change'));
  expect(
    cells.length > 0 && missing.length === 0,
    `before: unnotified-change in every ${scenario} cell`,
    missing.length > 0 ? names(missing, 'before') : `${cells.length} cells`,
  );
}
// Before: the userptr mirror sleeps in invalidate_page under the page-table lock.
{
  const cells = checked('before').filter((c) => c.kind === 'userptr');
  const sleeping = cells.filter((c) => has(c, 'before', 'sleep-in-atomic'));
  expect(
    sleeping.length > 0,
    'before: sleep-in-atomic with the userptr mirror',
    `${sleeping.length} of ${cells.length} userptr cells: ${sleeping.map((c) => c.scenario).join(', ')}`,
  );
}
// After: neither.
for (const p of ['unnotified-change', 'sleep-in-atomic']) {
  const cells = checked('after').filter((c) => has(c, 'after', p));
  expect(cells.length === 0, `after: no ${p} in any cell`, cells.length > 0 ? names(cells, 'after') : '');
}

// late-invalidate at the `+ mmu_notifier_invalidate_range` lines the review names.
{
  const late = report.warnings.filter((w) => w.name === 'late-invalidate');
  const post = postImage();
  // What the seven lines before the warned line must show (mm/rmap.c of v4.13-rc7 + the patch).
  const anchors = [
    ['set_huge_swap_pte_at', (b) => b.some((l) => /set_huge_swap_pte_at\(/.test(l))],
    [
      'set_pte_at of a migration entry',
      (b) => b.some((l) => /set_pte_at\(.*swp_pte/.test(l)) && b.some((l) => /make_migration_entry/.test(l)),
    ],
    [
      'set_pte_at of a swap entry',
      (b) => b.some((l) => /set_pte_at\(.*swp_pte/.test(l)) && !b.some((l) => /make_migration_entry/.test(l)),
    ],
  ];
  for (const [what, follows] of anchors) {
    const hit = late.find(
      (w) =>
        w.hunk !== null &&
        w.line !== null &&
        /^\+\s*mmu_notifier_invalidate_range\(/.test(w.text) &&
        follows(post.slice(Math.max(0, w.line - 8), w.line - 1)),
    );
    expect(
      hit !== undefined,
      `after: late-invalidate at the + mmu_notifier_invalidate_range after ${what}`,
      hit === undefined
        ? `warnings: ${late.map((w) => `${w.file}:${w.line}`).join(', ')}`
        : `${hit.file}:${hit.line}, hunk ${hit.hunk} (patch line ${hit.patchLine})`,
    );
  }
}

// Agreement with the hand-written rows of the matrix: before = @v4.12, after = @seed.
agreement(report, 'seed');

/** Every cell of a check-patch report against the hand-written rows: before @v4.12, after @`after`. */
function agreement(report, after) {
  const disagree = [];
  let compared = 0;
  for (const c of report.cells) {
    for (const [side, variant] of [
      ['before', 'v4.12'],
      ['after', after],
    ]) {
      const row = matrix.rows.find((r) => r.file === c.file && r.routine === c.routine && r.variant === variant);
      const hand = row?.cells.find((x) => x.kind === c.kind);
      const mine = c[side];
      if (hand === undefined || mine === null) {
        disagree.push(`${c.scenario} ${c.kind} ${side}: no hand-written cell @${variant}`);
        continue;
      }
      compared++;
      const a = `${mine.status} ${[...mine.violations].sort().join(',')} !${[...mine.warnings].sort().join(',')}`;
      const b = `${hand.status} ${[...hand.violations].sort().join(',')} !${[...hand.warnings].sort().join(',')}`;
      if (a !== b) disagree.push(`${c.scenario} ${c.kind} ${side}: imported ${a}; hand-written @${variant} ${b}`);
    }
  }
  expect(
    disagree.length === 0,
    `every cell agrees with the hand-written @v4.12 (before) and @${after} (after) rows`,
    disagree.length > 0 ? `\n      ${disagree.join('\n      ')}` : `${compared} cells compared`,
  );
}

expect(text.seconds < 30, 'check-patch on the seed patch under 30 s', `${text.seconds.toFixed(1)} s`);

// The v2 posting: its post-image is mm/rmap.c of v4.13, which the matrix has as @v4.13.
if (existsSync(PATCH_V2)) {
  const argsV2 = patchArgs(PATCH_V2);
  console.log(`$ mmu-litmus ${argsV2.join(' ')} --format json`);
  const v2 = run(['--format', 'json'], argsV2);
  console.log(`(exit ${v2.status}, ${v2.seconds.toFixed(1)} s)\n`);
  const r2 = JSON.parse(v2.stdout);
  const blob = execFileSync('git', ['hash-object', '--stdin'], {
    input: postImage(PATCH_V2).join('\n'),
    encoding: 'utf8',
  });
  expect(blob.startsWith('c570f82e6827'), 'v2: the post-image is mm/rmap.c of v4.13 (blob c570f82e6827)', blob.trim());
  const after = r2.cells.filter((c) => c.after !== null && Array.isArray(c.after.violations));
  for (const p of ['unnotified-change', 'sleep-in-atomic']) {
    const bad = after.filter((c) => c.after.violations.includes(p));
    expect(bad.length === 0, `v2 after: no ${p} in any cell`, bad.length > 0 ? names(bad, 'after') : '');
  }
  const broken = r2.cells.filter((c) => c.change === 'broken');
  expect(v2.status === 0 && broken.length === 0, 'v2: exit 0, no cell broken', `exit ${v2.status}`);
  agreement(r2, 'v4.13');
}

console.log('Acceptance (issue 10, item 8):');
for (const r of results)
  console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.what}${r.detail === '' ? '' : ` — ${r.detail}`}`);
const failed = results.filter((r) => !r.ok).length;
console.log(failed === 0 ? 'acceptance: every expectation holds.' : `acceptance: ${failed} expectation(s) FAILED.`);
process.exit(failed === 0 ? 0 : 1);

/** The post-image, as `git apply` makes it (the patch applies to the base exactly). */
function postImage(patch = PATCH) {
  const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
  execFileSync('mkdir', ['-p', join(dir, 'mm')]);
  execFileSync('cp', [BASE, join(dir, 'mm', 'rmap.c')]);
  execFileSync('git', ['init', '-q'], { cwd: dir });
  execFileSync('git', ['apply', patch], { cwd: dir });
  const lines = readFileSync(join(dir, 'mm', 'rmap.c'), 'utf8').split('\n');
  execFileSync('rm', ['-rf', dir]);
  return lines;
}
