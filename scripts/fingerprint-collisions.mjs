// node scripts/fingerprint-collisions.mjs FILE… [--no-reduce]
//
// How the 64-bit fingerprints of a whole search behave (explore/fingerprint.ts), on the built
// code (npm run build first): after the serial search, counts the pairs of stored states whose
// high halves are equal and those whose low halves are equal, against what random 32-bit halves
// would give (n(n-1)/2 / 2^32 pairs each). A fingerprint collision (two states, one fingerprint)
// loses a state silently; it cannot be counted from the fingerprints alone, but with halves that
// behave like random ones its expected number is n(n-1)/2 / 2^64 (for 2 M states, 1e-7).

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { check } = await import(join(root, 'dist/check/verdict.js'));
const { compileSpec } = await import(join(root, 'dist/check/parallelSystem.js'));
const { preludeTexts } = await import(join(root, 'dist/cli/searchThreads.js'));

const argv = process.argv.slice(2);
const reduce = !argv.includes('--no-reduce');

/** Pairs of equal values in `a` (sorted in place). */
function equalPairs(a) {
  a.sort();
  let pairs = 0;
  for (let i = 0, run = 1; i < a.length; i++) {
    if (i + 1 < a.length && a[i + 1] === a[i]) run++;
    else {
      pairs += (run * (run - 1)) / 2;
      run = 1;
    }
  }
  return pairs;
}

for (const file of argv.filter((a) => !a.startsWith('--'))) {
  const path = resolve(file);
  const program = compileSpec({ path, text: readFileSync(path, 'utf8'), prelude: preludeTexts(join(root, 'prelude')) });
  const res = check(program, {}, undefined, reduce).result;
  // The store's table: [hi, lo, id + 1] per slot (stateStore.ts), read from outside for this count.
  const table = res.store.table;
  const n = res.states;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  let k = 0;
  for (let b = 0; b < table.length; b += 3) {
    if (table[b + 2] === 0) continue;
    hi[k] = table[b];
    lo[k] = table[b + 1];
    k++;
  }
  const expected = (n * (n - 1)) / 2 / 2 ** 32;
  console.log(
    `${file}: ${n} states, ${res.transitions} transitions; equal high halves ${equalPairs(hi)} pairs, equal low halves ${equalPairs(lo)} pairs (random: ${expected.toFixed(1)})`,
  );
}
