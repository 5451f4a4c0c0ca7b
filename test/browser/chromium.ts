// Debian's chromium driven by playwright-core, shared by the browser tests. They are skipped when
// /usr/bin/chromium is absent (`apt-get install -y chromium` provides it); no browser is ever
// downloaded. Pages and screenshots go to $TMPDIR/mmu-litmus-viewer/.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CHROMIUM } from '../support/browserNotice.js';

export { CHROMIUM } from '../support/browserNotice.js';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const OUT = join(tmpdir(), 'mmu-litmus-viewer');

/** A page that records console errors and warnings, page errors, and any request off file://. */
export async function openBrowser(): Promise<{ browser: Browser; page: Page; errors: string[]; requests: string[] }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (q) => {
    if (!q.url().startsWith('file:')) requests.push(q.url());
  });
  return { browser, page, errors, requests };
}

/** Writes a page to OUT; returns its file URL. */
export function saveHtml(name: string, html: string): string {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `${name}.html`);
  writeFileSync(path, html);
  return pathToFileURL(path).href;
}
