// node scripts/screenshot.mjs   (after npm run build; by hand, not part of the tests)
//
// The README's pictures: docs/viewer.png, the trace viewer on DESIGN §2's example at the step
// where the device reads the freed page, and docs/matrix.png, the matrix page. Pages come from the
// built CLI (`run --html`, `matrix --html`); the browser is Debian's /usr/bin/chromium driven by
// playwright-core, never a downloaded one.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing (apt-get install -y chromium).`);
  process.exit(2);
}
const tmp = mkdtempSync(join(tmpdir(), 'mmu-litmus-screenshot-'));
const cli = (...args) => {
  // run exits 1 when a property is violated: that is the point here.
  try {
    execFileSync(process.execPath, [join(root, 'bin/mmu-litmus.js'), ...args], { cwd: root, stdio: 'ignore' });
  } catch (e) {
    if (e.status !== 1) throw e;
  }
};
const viewerPage = join(tmp, 'viewer.html');
const matrixPage = join(tmp, 'matrix.html');
cli('run', 'litmus/ttu+ats+notify-after-free.litmus', '--html', viewerPage);
cli('matrix', '--html', matrixPage);

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
  // Step 8: D0's load through the IOMMU's stale translation of the freed page (use-after-free).
  await page.goto(`${pathToFileURL(viewerPage).href}#step=8`);
  await page.locator('#now .event').waitFor();
  await page.screenshot({ path: join(root, 'docs/viewer.png') });
  await page.goto(pathToFileURL(matrixPage).href);
  await page.locator('#grid').waitFor();
  await page.setViewportSize({ width: 1400, height: 760 });
  await page.screenshot({ path: join(root, 'docs/matrix.png') });
} finally {
  await browser.close();
  rmSync(tmp, { recursive: true, force: true });
}
for (const f of ['docs/viewer.png', 'docs/matrix.png']) {
  console.log(`${f}: ${Math.round(statSync(join(root, f)).size / 1024)} KB`);
}
