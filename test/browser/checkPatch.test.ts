// The check-patch page (`mmu-litmus check-patch … --html`) in a real browser (test/browser/chromium.ts:
// Debian's chromium, skipped when absent), on the fixture patch (test/fixtures/patch: kernel-style
// C written for the project) imported by the real C front end: the before/after table renders, a
// cell the patch fixes opens its trace in the viewer, and its replay command is check-patch's.
// Screenshots go to $TMPDIR/mmu-litmus-viewer/.

import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { runCheckPatch } from '../../src/cli/checkPatch.js';
import { loadImporter } from '../../src/cli/cImporter.js';
import { memoryIo } from '../support/memoryIo.js';
import { HAVE_CHROMIUM, OUT, openBrowser, saveHtml } from './chromium.js';

const F = 'test/fixtures/patch';
const ARGS = [
  'check-patch',
  `${F}/range.patch`,
  '--base',
  `${F}/mkclean.c`,
  '--kernel-before',
  'v4.12',
  '--kernel-after',
  'v4.13',
  '--kinds',
  'ats,userptr',
  '--html',
  'patch.html',
];

describe.skipIf(!HAVE_CHROMIUM)('check-patch page in chromium', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  let requests: string[] = [];
  let url = '';

  beforeAll(async () => {
    ({ browser, page, errors, requests } = await openBrowser());
    const m = memoryIo();
    const importer = await loadImporter();
    const code = await runCheckPatch(parseArgs(ARGS), m.io, async () => importer);
    const html = m.written.get('patch.html');
    if (html === undefined) throw new Error(`no page written (exit ${code}): ${m.stderr()}`);
    url = saveHtml('check-patch', html);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  const hash = () => new URL(page.url()).hash;

  test('the before/after matrix renders', async () => {
    await page.goto(url);
    const rows = page.locator('#grid tbody tr');
    // Two scenarios of page_mkclean_one, each before and after the patch.
    expect(await rows.count()).toBe(4);
    const names = await page.locator('#grid tbody tr th').allTextContents();
    expect(names.filter((n) => n.includes('page_mkclean_one@before'))).toHaveLength(2);
    expect(names.filter((n) => n.includes('page_mkclean_one@after'))).toHaveLength(2);
    expect(await page.locator('#grid thead').textContent()).toContain('ats');
    expect(await page.locator('#grid thead').textContent()).toContain('userptr');
    expect(await page.locator('#viewer').isHidden()).toBe(true);
    // The page says it is check-patch's, and its summary counts every status (unsafe included).
    expect(await page.locator('#matrix header h1').textContent()).toBe('mmu-litmus check-patch');
    expect(await page.title()).toBe('mmu-litmus check-patch');
    expect(await page.locator('#matrixSummary').textContent()).toMatch(/8 cells checked: [1-9]\d* unsafe, .*\d+ safe/);
    // The patch fixes the THP write-back with an IOMMU: unsafe before, safe (with a review warning) after.
    const before = rows.filter({ hasText: 'writeback-thp' }).filter({ hasText: '@before' }).locator('td').first();
    const after = rows.filter({ hasText: 'writeback-thp' }).filter({ hasText: '@after' }).locator('td').first();
    expect(await before.getAttribute('class')).toBe('unsafe');
    expect(await after.getAttribute('class')).not.toBe('unsafe');
    await page.screenshot({ path: join(OUT, 'check-patch.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  test('a cell opens its trace in the viewer', async () => {
    await page.goto(url);
    const cell = page
      .locator('#grid tbody tr')
      .filter({ hasText: 'writeback-thp' })
      .filter({ hasText: '@before' })
      .locator('td')
      .first();
    await cell.locator('a').click();
    await expect.poll(() => page.locator('#viewer').isVisible()).toBe(true);
    expect(await page.locator('#matrix').isHidden()).toBe(true);
    expect(await page.locator('#cellName').textContent()).toBe('writeback-thp · page_mkclean_one@before · ats');
    expect(await page.locator('#subtitle').textContent()).toContain('violates unnotified-change');
    expect(await page.locator('#traces button').allTextContents()).toContain('unnotified-change');
    // The replay command is check-patch's own: the variants before/after exist only there.
    expect(await page.locator('#message').textContent()).toContain(
      `check-patch ${F}/range.patch --base ${F}/mkclean.c --kernel-before v4.12 --kernel-after v4.13 --cell writeback-thp:ats:before`,
    );
    expect(hash()).toMatch(/^#cell=\d+,0&trace=0&step=0$/);
    // The violation is at the last step of the trace.
    await page.keyboard.press('End');
    const last = Number(await page.locator('#slider').getAttribute('max'));
    expect(last).toBeGreaterThan(0);
    expect(await page.locator('#stepno').textContent()).toBe(`step ${last} / ${last}`);
    expect(await page.locator('#now .event').first().textContent()).toMatch(/^Violation unnotified-change: /);
    await page.screenshot({ path: join(OUT, 'check-patch-cell.png'), fullPage: true });
    await page.goBack();
    await expect.poll(() => page.locator('#matrix').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });
});
