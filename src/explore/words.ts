// Copying encoded states between word arrays in the search's hot path.

/**
 * Copies `from[at, at + len)` into `to` from `start` on, word by word: `to.set(from.subarray(…))`
 * would allocate a view per call, and these copies run per successor (the search allocates
 * nothing per state: test/explore/allocation.test.ts). The two ranges must not overlap.
 */
export function copyWords(to: Int32Array, start: number, from: Int32Array, at: number, len: number): void {
  for (let k = 0; k < len; k++) to[start + k] = from[at + k]!;
}
