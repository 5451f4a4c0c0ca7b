// vitest globalSetup: the browser tests (test/browser/) are skipped when Debian's chromium is
// absent; say so once, with the reason and how to run them, instead of a silent skip count.

import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

/** The line to print when the browser tests cannot run, or undefined when they can. */
export function browserNotice(path = CHROMIUM): string | undefined {
  if (existsSync(path)) return undefined;
  return `Browser tests (test/browser/) skipped: ${path} is missing; install it with 'apt-get install chromium' to run them.\n`;
}

export function setup(): void {
  const notice = browserNotice();
  if (notice !== undefined) process.stderr.write(notice);
}
