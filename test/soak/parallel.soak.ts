// One search on several threads against the serial search on many random programs (`npm run
// soak`): the same verdict and the same parent tree, with and without the reduction and a stop at
// the first violation, on 2 and 3 threads, with chunks of two states so that every thread
// expands states every other thread wrote.

import { join } from 'node:path';
import { fc } from '@fast-check/vitest';
import { describe, test } from 'vitest';
import { preludeTexts } from '../../src/cli/searchThreads.js';
import { tableTuning } from '../../src/explore/parallel.js';
import { ROOT } from '../support/memoryIo.js';
import { parityProperty } from '../support/parity.js';
import { randomLitmus, randomMmLitmus, randomSyncLitmus } from '../support/randomLitmus.js';
import { soakParameters } from '../support/soak.js';

const prelude = preludeTexts(join(ROOT, 'prelude'));

describe('soak: parallel against serial', () => {
  test('random programs of every generator', async () => {
    const chunk = tableTuning.maxChunk;
    tableTuning.maxChunk = 2;
    try {
      await fc.assert(
        parityProperty(fc.oneof(randomLitmus, randomSyncLitmus, randomMmLitmus), prelude),
        soakParameters(),
      );
    } finally {
      tableTuning.maxChunk = chunk;
    }
  });
});
