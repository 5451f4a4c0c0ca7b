// The shipped prelude, parsed once for tests.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePrelude } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import type { Prelude } from '../../src/semantics/context.js';
import { ROOT } from './memoryIo.js';

export function loadTestPrelude(): Prelude {
  const dir = join(ROOT, 'prelude');
  const files = readdirSync(dir)
    .filter((n) => n.endsWith('.litmus'))
    .sort()
    .map((n) => parsePrelude(sourceFile(`prelude/${n}`, readFileSync(join(dir, n), 'utf8'))).ast);
  return {
    routines: files.flatMap((f) => f.routines),
    secondaries: files.flatMap((f) => f.secondaries),
    constants: files.flatMap((f) => f.constants),
  };
}
