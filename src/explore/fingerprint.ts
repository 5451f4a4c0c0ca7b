// 64-bit fingerprints of state encodings: two independent 32-bit lanes (a murmur3 block step and
// an xxhash32 round, with different seeds) over the words, crossed and avalanched at the end.

const SEED1 = 0x9747b28c;
const SEED2 = 0x5bd1e995;
const M1 = 0xcc9e2d51;
const M2 = 0x1b873593;
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
 * `out[1]` the low half. The caller owns `out` so that no object is allocated per state.
 */
export function fingerprint(words: ArrayLike<number>, start: number, len: number, out: Uint32Array): void {
  // The length seeds both lanes (and is mixed in again at the end) so that a prefix of zeros
  // cannot hide: [] and [0] and [0, 0] differ.
  let h1 = SEED1 ^ len;
  let h2 = (SEED2 + Math.imul(len, P1)) | 0;
  const end = start + len;
  for (let i = start; i < end; i++) {
    const w = words[i]! | 0;
    let k = Math.imul(w, M1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, M2);
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
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
