// Golden transcripts of the edges of the CLI: incomplete searches, bad overrides, duplicate
// names, unreadable files, malformed input (`vitest run -u` rewrites them).

import { describe, expect, test } from 'vitest';
import { cli, transcript } from '../support/memoryIo.js';

const CASES: [string, string[]][] = [
  // `violates P…` means exactly these: a cut-off search cannot confirm it.
  ['run-incomplete-violates', ['run', '--max-states', '20', 'litmus/properties/free+stale-tlb.litmus']],
  ['test-incomplete-violates', ['test', '--max-states', '20', 'litmus/properties/free+stale-tlb.litmus']],
];

describe('edge transcripts', () => {
  test.each(CASES)('%s', async (name, args) => {
    const r = await cli(args);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    await expect(transcript(args, r)).toMatchFileSnapshot(`../golden/cli/${name}.expected`);
  });
});
