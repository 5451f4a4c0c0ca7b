import { test } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { runCheckPatch } from '../../src/cli/checkPatch.js';
import { fakeImporter } from '../support/fakeImporter.js';
import { memoryIo } from '../support/memoryIo.js';

test('try', async () => {
  for (const p of ['range', 'broken', 'helper', 'unrelated', 'stale']) {
    const m = memoryIo();
    const code = await runCheckPatch(
      parseArgs([
        'check-patch',
        `test/fixtures/patch/${p}.patch`,
        '--base',
        'test/fixtures/patch/mkclean.c',
        '--kernel-before',
        'v4.12',
        '--kernel-after',
        'v4.13',
      ]),
      m.io,
      async () => fakeImporter(),
    );
    console.log(p, code, '\n' + m.stdout() + m.stderr());
  }
});
