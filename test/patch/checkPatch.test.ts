// `mmu-litmus check-patch` on the fixture patches (test/fixtures/patch: kernel-style C written
// for the project), with the tests' double of the C front end: goldens of the text and JSON
// reports and of a replayed cell, exit codes, and what the report says about each cell.

import { describe, expect, test } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { runCheckPatch } from '../../src/cli/checkPatch.js';
import { loadImporter } from '../../src/cli/cImporter.js';
import { fakeImporter } from '../support/fakeImporter.js';
import { memoryIo, transcript } from '../support/memoryIo.js';

const F = 'test/fixtures/patch';

async function checkPatch(args: readonly string[], real = false) {
  const m = memoryIo();
  const importer = real ? { ...(await loadImporter()), calls: [] } : fakeImporter();
  const all = ['check-patch', ...args];
  let code: number;
  try {
    code = await runCheckPatch(parseArgs(all), m.io, async () => importer);
  } catch (e) {
    // Usage errors are printed by the CLI's run(); here they are part of the result.
    code = -1;
    m.io.stderr(`${(e as Error).message}\n`);
  }
  return { args: all, code, stdout: m.stdout(), stderr: m.stderr(), calls: importer.calls, written: m.written };
}

const RANGE = [`${F}/range.patch`, '--base', `${F}/mkclean.c`, '--kernel-before', 'v4.12', '--kernel-after', 'v4.13'];
/** One side of one cell of the broken patch, replayed alone (`--cell`). */
const BROKEN_CELL = [
  `${F}/broken.patch`,
  ...['--base', `${F}/mkclean.c`, '--kernel-before', 'v4.12', '--kernel-after', 'v4.12'],
  ...['--cell', 'writeback:ats:after'],
];

describe('check-patch on the fixture', () => {
  test('text report (golden)', async () => {
    const r = await checkPatch(RANGE);
    await expect(transcript(r.args, r)).toMatchFileSnapshot('../golden/patch/range.expected');
    expect(r.code).toBe(0);
    // Each side imported once, with its own variant and kernel, from its own image.
    expect(r.calls).toEqual([
      `${F}/mkclean.c page_mkclean_one @before v4.12`,
      `${F}/mkclean.c@after page_mkclean_one @after v4.13`,
    ]);
  });

  test('JSON report (golden)', async () => {
    const r = await checkPatch([...RANGE, '--format', 'json']);
    await expect(transcript(r.args, r)).toMatchFileSnapshot('../golden/patch/range-json.expected');
    const j = JSON.parse(r.stdout);
    expect(j.format).toBe('mmu-litmus-check-patch/1');
    const thp = j.cells.find(
      (c: { scenario: string; kind: string }) => c.scenario === 'writeback-thp' && c.kind === 'ats',
    );
    expect(thp).toMatchObject({
      routine: 'page_mkclean_one',
      change: 'fixed',
      before: { status: 'unsafe', violations: ['unnotified-change'], warnings: ['needless-invalidate'] },
      after: { status: 'safe', violations: [], warnings: ['late-invalidate'] },
    });
    // The warning sits at the `+` line of hunk 3 that adds the late invalidate_range.
    expect(j.warnings).toEqual([
      expect.objectContaining({
        name: 'late-invalidate',
        line: 72,
        hunk: 3,
        patchLine: 52,
        text: '+\t\t\tmmu_notifier_invalidate_range(vma->vm_mm, from, to);',
      }),
    ]);
  });

  test('the userptr mirror sleeps under the lock before and no longer after; THP is notified in full after', async () => {
    const r = await checkPatch([...RANGE, '--format', 'json', '--kinds', 'userptr,kvm']);
    const j = JSON.parse(r.stdout);
    expect(j.kinds).toEqual(['kvm', 'userptr']);
    const cell = (s: string, k: string) =>
      j.cells.find((c: { scenario: string; kind: string }) => c.scenario === s && c.kind === k);
    expect(cell('writeback', 'userptr').before.violations).toContain('sleep-in-atomic');
    expect(cell('writeback', 'userptr').after.violations).not.toContain('sleep-in-atomic');
    expect(cell('writeback-thp', 'kvm').before.violations).toEqual(['unnotified-change']);
    expect(cell('writeback-thp', 'kvm').after.violations).toEqual([]);
  });

  test('a patch that drops the notification breaks cells: exit 1, with a replay command per unsafe cell', async () => {
    const r = await checkPatch([
      `${F}/broken.patch`,
      '--base',
      `${F}/mkclean.c`,
      '--kernel',
      'v4.12',
      '--kinds',
      'ats',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^writeback +page_mkclean_one +ats +safe !late +lost-write,incoherent,unnotified +broken$/m,
    );
    expect(r.stdout).toContain(
      `writeback ats after: npx mmu-litmus check-patch ${F}/broken.patch --base ${F}/mkclean.c --kernel-before v4.12 --kernel-after v4.12 --cell writeback:ats:after`,
    );
  });

  test('the replay command replays the cell: its verdict and traces (golden)', async () => {
    const r = await checkPatch(BROKEN_CELL);
    await expect(transcript(r.args, r)).toMatchFileSnapshot('../golden/patch/broken-cell.expected');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Violation lost-write: /m);
    expect(r.stdout).toContain('mkclean.c@after.litmus');
  });

  test('--cell with --format json prints the run document of the cell: status, violations with traces, exit', async () => {
    const text = await checkPatch(BROKEN_CELL);
    const r = await checkPatch([...BROKEN_CELL, '--format', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.format).toBe('mmu-litmus-run/1');
    expect(j.exit).toBe(1);
    expect(j.tests).toHaveLength(1);
    const e = j.tests[0];
    expect(e).toMatchObject({ status: 'failed', conditionFails: false, diagnostics: [] });
    expect(e.file).toMatch(/writeback\.litmus$/);
    // The traces run through the imported routine of the patched side.
    expect(JSON.stringify(e.violations)).toContain('mkclean.c@after.litmus');
    // The same violations as the text replay, each with its trace.
    const named = [...text.stdout.matchAll(/^Violation ([\w-]+):/gm)].map((m) => m[1]);
    expect(e.violations.map((v: { property: string }) => v.property)).toEqual(named);
    expect(named).toContain('lost-write');
    for (const v of e.violations) expect(v.trace.length).toBeGreaterThan(0);
    expect(e.witness).toBeUndefined();
  });

  test('--cell with --format json on a side that is safe: status ok, exit 0', async () => {
    const r = await checkPatch([...RANGE, '--cell', 'writeback-thp:ats:after', '--format', 'json']);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout).tests[0];
    expect(e).toMatchObject({ status: 'ok', violations: [], conditionFails: false });
    expect(e.warnings.map((w: { warning: string }) => w.warning)).toEqual(['late-invalidate']);
  });

  test('--html writes the before/after table as a page whose cells carry their traces', async () => {
    const r = await checkPatch([...RANGE, '--kinds', 'ats', '--html', 'patch.html']);
    expect(r.code).toBe(0);
    const page = r.written.get('patch.html')!;
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain('page_mkclean_one@before');
    expect(page).toContain('page_mkclean_one@after');
    expect(page).toContain(`${F}/range.patch on ${F}/mkclean.c: @before (kernel v4.12) and @after (kernel v4.13)`);
    // Every row has a cell with a violation or a review warning: each links to its traces.
    for (const row of [0, 1, 2, 3]) expect(page).toContain(`href="#cell=${row},0"`);
    expect(page).not.toMatch(/https?:\/\//);
    // A cell's replay command is check-patch's own (the variants before/after exist only there).
    expect(page.replaceAll('\\/', '/')).toContain(
      `check-patch ${F}/range.patch --base ${F}/mkclean.c --kernel-before v4.12 --kernel-after v4.13 --cell writeback-thp:ats:before`,
    );
    expect(page).not.toContain('--variant page_mkclean_one=before');
  });

  test('a routine of the matrix that calls a touched helper is checked', async () => {
    const r = await checkPatch([
      `${F}/helper.patch`,
      '--base',
      `${F}/mkclean.c`,
      '--kernel',
      'v4.12',
      '--kinds',
      'ats',
    ]);
    expect(r.stdout).toContain(
      'Touched: note_skipped (hunk 1; not a routine of the matrix), page_mkclean_one (calls note_skipped)',
    );
    expect(r.stdout).toMatch(
      /^writeback-thp +page_mkclean_one +ats +unnotified !needless +unnotified !needless +unchanged$/m,
    );
    expect(r.code).toBe(0);
  });

  test('v6.6 folio code: a patch to the walk helper that drops the flush breaks the IOMMU cell (real C front end)', async () => {
    // mkclean-v66.c is folio-style C written for the project: DEFINE_FOLIO_VMA_WALK and the walk
    // handed by pointer to a helper; the patch turns its ptep_clear_flush() into
    // ptep_get_and_clear(), which in v6.6 also drops the secondary-TLB invalidation.
    const r = await checkPatch(
      [`${F}/folio-noflush.patch`, '--base', `${F}/mkclean-v66.c`, '--kernel', 'v6.6', '--kinds', 'ats,kvm'],
      true,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      'Touched: clean_walk (hunk 1; not a routine of the matrix), page_mkclean_one (calls clean_walk)',
    );
    expect(r.stdout).toMatch(/^writeback +page_mkclean_one +ats +safe +lost-write,incoherent +broken$/m);
    expect(r.stdout).toMatch(/^writeback +page_mkclean_one +kvm +safe +safe +unchanged$/m);
    expect(r.stdout).toMatch(/^writeback-thp +page_mkclean_one +ats +safe +safe +unchanged$/m);
    expect(r.code).toBe(1);
  });

  test('an imported routine that does not compile for its kernel is an error of the cells: exit 2', async () => {
    const r = await checkPatch([
      `${F}/helper.patch`,
      '--base',
      `${F}/mkclean.c`,
      '--kernel-before',
      'v4.12',
      '--kernel-after',
      'v4.13',
      '--kinds',
      'ats',
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('writeback ats after, writeback-thp ats after:\n');
    expect(r.stdout).toMatch(/error ML2004: 'mmu_notifier_invalidate_page' does not exist in kernel v4.13/);
  });

  test('the real C front end gives the fixture the verdicts and warning lines of the double', async () => {
    const args = [...RANGE, '--format', 'json', '--kinds', 'ats,userptr'];
    const strip = (j: {
      cells: unknown[];
      warnings: { name: string; line: number; hunk: number; text: string }[];
    }) => ({
      cells: j.cells.map((c) => {
        const { before, after, ...rest } = c as Record<string, Record<string, unknown>>;
        const side = (x: Record<string, unknown> | undefined) =>
          x === undefined ? x : { status: x['status'], violations: x['violations'], warnings: x['warnings'] };
        return { ...rest, before: side(before), after: side(after) };
      }),
      warnings: j.warnings.map((w) => [w.name, w.line, w.hunk, w.text]),
    });
    const real = await checkPatch(args, true);
    const double = await checkPatch(args);
    expect(real.stderr).toBe('');
    expect(strip(JSON.parse(real.stdout))).toEqual(strip(JSON.parse(double.stdout)));
  });

  test.each([
    [[`${F}/range.patch`], /needs --base/],
    [[`${F}/range.patch`, '--base', `${F}/mkclean.c`], /needs the kernel versions of both sides/],
    [[...RANGE, '--kinds', 'iommu'], /Unknown secondary kind 'iommu'/],
    [[...RANGE, '--cell', 'nowhere:ats:after'], /Unknown scenario 'nowhere'/],
    [
      [...RANGE, '--cell', 'migrate:ats:after'],
      /Scenario 'migrate' does not run a routine the patch changes \(page_mkclean_one\)/,
    ],
    [[`${F}/missing.patch`, '--base', `${F}/mkclean.c`, '--kernel', 'v4.13'], /Cannot read the patch/],
    [[...RANGE, '--itf', 'x.json'], /--itf is an option of 'run'/],
  ])('usage error %#', async (args, message) => {
    const r = await checkPatch(args);
    expect(r.code).toBe(-1);
    expect(r.stderr).toMatch(message);
  });

  test('--cell and --kinds are checked by the argument parser', () => {
    expect(() => parseArgs(['check-patch', 'p', '--cell', 'writeback:ats'])).toThrow(
      /--cell takes SCENARIO:KIND:before\|after/,
    );
    expect(() => parseArgs(['check-patch', 'p', '--kinds', 'ats,,kvm'])).toThrow(/--kinds takes secondary kinds/);
    expect(() => parseArgs(['check-patch', 'p', '--kernel-after', 'v9'])).toThrow(/--kernel-after is one of/);
  });
});
