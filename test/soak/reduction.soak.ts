// The reduced search against the full one on many random programs (`npm run soak`): the same
// outcome, traces that replay. The suite's own property tests run a few dozen programs each; this
// runs SOAK_RUNS (default 1000) from SOAK_SEED (default: the date), for a search change that
// could give a wrong verdict only on a rare program.

import { fc, test } from '@fast-check/vitest';
import { describe } from 'vitest';
import { compileClean } from '../support/compileClean.js';
import { loadTestPrelude } from '../support/prelude.js';
import { randomLitmus, randomMmLitmus, randomSyncLitmus } from '../support/randomLitmus.js';
import { soakParameters } from '../support/soak.js';
import { expectReplays, expectSame } from '../support/verdicts.js';

const prelude = loadTestPrelude();

describe('soak: reduced against full', () => {
  test.prop([fc.oneof(randomLitmus, randomSyncLitmus, randomMmLitmus)], soakParameters())(
    'random programs of every generator',
    ({ text }) => {
      const program = compileClean('random.litmus', text, prelude);
      const { reduced } = expectSame(program);
      expectReplays(program, reduced);
    },
  );
});
