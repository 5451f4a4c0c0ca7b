// Without chromium the browser tests are skipped, and the run says why once (vitest.config.ts).

import { describe, expect, test } from 'vitest';
import { browserNotice, CHROMIUM } from '../support/browserNotice.js';

describe('browser tests without chromium', () => {
  test('one line says why they are skipped and how to run them', () => {
    expect(browserNotice('/nonexistent/chromium')).toBe(
      "Browser tests (test/browser/) skipped: /nonexistent/chromium is missing; install it with 'apt-get install chromium' to run them.\n",
    );
  });

  test('nothing is said when chromium is there', () => {
    expect(browserNotice(process.execPath)).toBeUndefined();
    expect(CHROMIUM).toBe('/usr/bin/chromium');
  });
});
