// The 64-bit fingerprint: distinct small inputs give distinct fingerprints, the length counts,
// only the window is read, one changed word always changes it, and one flipped input bit flips
// about half of the output bits.

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/explore/fingerprint.js';

function fp(words: ArrayLike<number>, start = 0, len = words.length): string {
  const out = new Int32Array(2);
  fingerprint(words, start, len, out);
  return `${out[0]!.toString(16)}:${out[1]!.toString(16)}`;
}

function popcount(x: number): number {
  let n = 0;
  for (x >>>= 0; x !== 0; x &= x - 1) n++;
  return n;
}

describe('fingerprint', () => {
  it('gives distinct fingerprints to all short sequences of small and extreme words', () => {
    const values = [0, 1, 2, 3, -1, -2, 0x7fffffff, -0x80000000];
    const seqs: number[][] = [[]];
    for (let len = 1; len <= 3; len++) {
      for (const prefix of seqs.filter((s) => s.length === len - 1)) for (const v of values) seqs.push([...prefix, v]);
    }
    const all = new Set(seqs.map((s) => fp(s)));
    expect(all.size).toBe(seqs.length);
    // The table indexes by the low half, so it alone should already separate these.
    const lows = new Set(seqs.map((s) => fp(s).split(':')[1]));
    expect(lows.size).toBe(seqs.length);
  });

  it('depends on the length, not only on the nonzero words', () => {
    expect(new Set([fp([]), fp([0]), fp([0, 0]), fp([0, 0, 0])]).size).toBe(4);
    expect(fp([1, 0])).not.toBe(fp([1]));
    expect(fp([0, 1])).not.toBe(fp([1]));
  });

  it('reads only the window and treats words as 32-bit', () => {
    expect(fp([9, 9, 1, 2, 3, 9], 2, 3)).toBe(fp([1, 2, 3]));
    expect(fp(new Int32Array([5, 1, 2]), 1, 2)).toBe(fp([1, 2]));
    expect(fp([0xffffffff])).toBe(fp([-1]));
  });

  test.prop([fc.array(fc.integer(), { minLength: 1, maxLength: 40 }), fc.nat(), fc.integer()], { numRuns: 300 })(
    'always separates two encodings of one length that differ in one word (the lanes and the finaliser are bijections)',
    (words, at, value) => {
      const i = at % words.length;
      fc.pre((words[i]! | 0) !== (value | 0));
      const w = words.slice();
      w[i] = value;
      expect(fp(w)).not.toBe(fp(words));
    },
  );

  test.prop([fc.array(fc.integer(), { minLength: 1, maxLength: 6 })], { numRuns: 50 })(
    'avalanches: one flipped input bit flips about 32 of the 64 output bits on average',
    (words) => {
      const base = new Int32Array(2);
      const out = new Int32Array(2);
      fingerprint(words, 0, words.length, base);
      let flipped = 0;
      let trials = 0;
      for (let i = 0; i < words.length; i++) {
        for (let bit = 0; bit < 32; bit++) {
          const w = words.slice();
          w[i] = w[i]! ^ (1 << bit);
          fingerprint(w, 0, w.length, out);
          const d = popcount(out[0]! ^ base[0]!) + popcount(out[1]! ^ base[1]!);
          expect(d).toBeGreaterThan(0);
          flipped += d;
          trials++;
        }
      }
      // The mean of `trials` Binomial(64, 1/2) draws has a standard deviation of 4/sqrt(trials) ≤ 0.71.
      expect(Math.abs(flipped / trials - 32)).toBeLessThan(4);
    },
  );
});
