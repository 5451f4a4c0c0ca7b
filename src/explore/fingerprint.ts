// 64-bit fingerprints of state encodings: two independent 32-bit lanes over the words, crossed and
// avalanched at the end (murmur3's finaliser).
//
// Each lane takes a word with one multiplication: lane 1 multiplies after xoring the word in,
// lane 2 (an xxhash32 round) adds the word's product and multiplies. Both steps are bijections of
// the lane for a fixed word, and a word enters each lane injectively, so two encodings of one
// length that differ in a single word always differ in both lanes before the finaliser. Three
// multiplications per word where murmur3 plus xxhash took five: hashing is a tenth of the search
// (docs/performance.md, "One core against pan"), and the collision counts measured there match
// those of random 32-bit halves.

const SEED1 = 0x9747b28c;
const SEED2 = 0x5bd1e995;
const M1 = 0xcc9e2d51;
const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Writes the fingerprint of `words[start, start + len)` to `out`: `out[0]` is the high half,
 * `out[1]` the low half. The caller owns `out` so that no object is allocated per state. The
 * halves are signed: a Uint32Array element of 2^31 or more is a heap number wherever it is read
 * into a value, and was most of the search's allocation (docs/performance.md).
 */
export function fingerprint(words: ArrayLike<number>, start: number, len: number, out: Int32Array): void {
  // The length seeds both lanes (and is mixed in again at the end) so that a prefix of zeros
  // cannot hide: [] and [0] and [0, 0] differ.
  let h1 = SEED1 ^ len;
  let h2 = (SEED2 + Math.imul(len, P1)) | 0;
  const end = start + len;
  for (let i = start; i < end; i++) {
    const w = words[i]! | 0;
    h1 = Math.imul(h1 ^ w, M1);
    h1 = (h1 << 15) | (h1 >>> 17);
    h2 = (h2 + Math.imul(w, P2)) | 0;
    h2 = (h2 << 13) | (h2 >>> 19);
    h2 = Math.imul(h2, P1);
  }
  h1 ^= len;
  h2 ^= len;
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  out[0] = h1;
  out[1] = h2;
}
