// 64-bit fingerprints of encoded states: two independent 32-bit lanes (murmur3-style mixing with
// different seeds) over the words and the length, returned as two uint32 halves.

/** Scratch for the two halves: [hi, lo]. Read right after calling `fingerprint`. */
export const FP = new Uint32Array(2);

export function fingerprint(words: Int32Array, start: number, len: number): void {
  let h1 = 0x9747b28c ^ len;
  let h2 = 0x85ebca6b ^ Math.imul(len, 0x27d4eb2f);
  for (let i = start, end = start + len; i < end; i++) {
    let k = words[i]!;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let j = words[i]! ^ 0x5bd1e995;
    j = Math.imul(j, 0x85ebca77);
    j = (j << 17) | (j >>> 15);
    j = Math.imul(j, 0xc2b2ae3d);
    h2 ^= j;
    h2 = (h2 << 11) | (h2 >>> 21);
    h2 = (Math.imul(h2, 9) + 0x165667b1) | 0;
  }
  // Final avalanche of each lane, then cross-mix so both halves depend on everything.
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  h2 ^= h2 >>> 15;
  h2 = Math.imul(h2, 0x2c1b3c6d);
  h2 ^= h2 >>> 12;
  h2 = Math.imul(h2, 0x297a2d39);
  h2 ^= h2 >>> 15;
  FP[0] = h1 ^ (h2 >>> 7);
  FP[1] = h2 ^ Math.imul(h1, 0x9e3779b1);
}
