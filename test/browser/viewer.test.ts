// The trace viewer in a real browser (test/browser/chromium.ts: Debian's chromium, skipped when
// absent). Screenshots go to $TMPDIR/mmu-litmus-viewer/.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli, ROOT } from '../support/memoryIo.js';
import { HAVE_CHROMIUM, OUT, openBrowser, saveHtml } from './chromium.js';

const PROPERTY_TESTS = readdirSync(join(ROOT, 'litmus/properties')).filter((f) => f.endsWith('.litmus'));

/** Writes the page of `mmu-litmus run TEST --html` to OUT; returns its file URL. */
async function pageOf(test: string, name: string): Promise<string> {
  const r = await cli(['run', test, '--html', 'out.html']);
  const html = r.written.get('out.html');
  if (html === undefined) throw new Error(`no page written: ${r.stderr}`);
  return saveHtml(name, html);
}

describe.skipIf(!HAVE_CHROMIUM)('trace viewer in chromium', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  let requests: string[] = [];

  beforeAll(async () => {
    ({ browser, page, errors, requests } = await openBrowser());
  });

  afterAll(async () => {
    await browser?.close();
  });

  const currentLine = (id: string) => page.locator(`#${id} .ln.current`).getAttribute('data-line');

  test("DESIGN §2's example: stepping, the hash, the panels, the violations", async () => {
    const url = await pageOf('litmus/ttu+ats+notify-after-free.litmus', 'design-example');
    await page.goto(`${url}#step=3`);
    await expect.poll(() => page.locator('#stepno').textContent()).toBe('step 3 / 8');
    // Step 3 is `e = ptep_clear_flush(0x200000)` on line 18: the page table is empty after it.
    expect(await currentLine('src')).toBe('18');
    expect(await page.locator('#now').textContent()).toContain('pte[0x200000]: p rw dirty young -> none');
    const pt = page.locator('.panel', { hasText: 'Page table' });
    // The removed entry shows as `none`, highlighted as changed.
    expect(await pt.locator('td.changed').textContent()).toBe('none');
    expect(await page.locator('#steps tr.current td').first().textContent()).toBe('3');
    // Arrow keys step and update the hash.
    await page.keyboard.press('ArrowRight');
    expect(await currentLine('src')).toBe('19');
    expect(new URL(page.url()).hash).toBe('#step=4');
    await page.keyboard.press('End');
    expect(await page.locator('#stepno').textContent()).toBe('step 8 / 8');
    expect(await page.locator('#now .event').textContent()).toBe(
      'Violation use-after-free: a load through tlb(iommu) of p, which is free',
    );
    const frames = page.locator('.panel', { hasText: 'Frames' });
    expect(await frames.locator('tr', { hasText: 'p' }).last().textContent()).toContain('yes');
    await page.screenshot({ path: join(OUT, 'design-example-step8.png'), fullPage: true });
    // The buttons.
    await page.click('#prev');
    expect(new URL(page.url()).hash).toBe('#step=7');
    await page.click('#first');
    expect(await page.locator('#src .ln.current').count()).toBe(0);
    // The second violation is selectable; the hash names it.
    await page.click('#traces button:has-text("dangling-translation")');
    expect(await page.locator('#message').textContent()).toContain('p is free while tlb(iommu)[0x200000] maps it');
    expect(new URL(page.url()).hash).toBe('#step=0&trace=1');
    // A link opens at its step.
    await page.goto(`${url}#step=7&trace=1`);
    await expect.poll(() => page.locator('#stepno').textContent()).toBe('step 7 / 7');
    expect(await page.locator('#now .event').textContent()).toContain('dangling-translation');
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  test('a 30-step trace through an inlined routine, in dark mode', async () => {
    const url = await pageOf('litmus/properties/mirror+no-retry.litmus', 'mirror-no-retry');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${url}#step=26&trace=0`);
    await expect.poll(() => page.locator('#stepno').textContent()).toBe('step 26 / 30');
    // D0's `mutex_lock(update)` inside gpu.fault, called from `r0 = load(0x200000)` on line 57.
    expect(await currentLine('src')).toBe('57');
    expect(await currentLine('routine')).toBe('35');
    expect(await page.locator('#chain').textContent()).toContain('gpu.fault');
    const locks = page.locator('.panel', { hasText: 'Locks held' });
    expect(await locks.locator('td.changed').textContent()).toBe('D0');
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(bg).toBe('rgb(22, 24, 29)');
    await page.screenshot({ path: join(OUT, 'mirror-no-retry-step26-dark.png'), fullPage: true });
    // The slider moves too.
    await page.locator('#slider').fill('30');
    expect(await page.locator('#stepno').textContent()).toBe('step 30 / 30');
    expect(await page.locator('#now .event').textContent()).toContain('use-after-free');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  test.each(PROPERTY_TESTS)('every trace of %s renders at every step', async (file) => {
    const url = await pageOf(`litmus/properties/${file}`, file.replace(/\.litmus$/, ''));
    await page.goto(url);
    const traces = await page.locator('#traces button').count();
    for (let t = 0; t < traces; t++) {
      await page.locator('#traces button').nth(t).click();
      const last = Number(await page.locator('#slider').getAttribute('max'));
      for (let s = 0; s <= last; s++) {
        expect(await page.locator('#stepno').textContent()).toBe(`step ${s} / ${last}`);
        if (s > 0) expect(await page.locator('#steps tr.current').count()).toBe(1);
        await page.keyboard.press('ArrowRight');
      }
    }
    expect(errors).toEqual([]);
  });
});
