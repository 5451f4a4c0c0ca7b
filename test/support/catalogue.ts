// The catalogue's test files, for tests that run every one of them.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './memoryIo.js';

/** Every `.litmus` file under `litmus/` (or `dir`), sorted, as absolute paths. */
export function catalogueFiles(dir = join(ROOT, 'litmus')): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) return catalogueFiles(p);
      return p.endsWith('.litmus') ? [p] : [];
    });
}
