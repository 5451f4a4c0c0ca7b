// A litmus transition system that checks the promise of `decode(…, stable)`: the words of a
// stable decoding stay unchanged until the next decoding. Loaded by the workers of the parallel
// search (it is plain JavaScript over the built code, dist/, which `npm test` builds first) and
// wrapped around the coordinating thread's system by test/explore/parallel.test.ts.

import { createSystem as createLitmusSystem } from '../../dist/check/parallelSystem.js';

/** `system`, whose `decode` throws when the words of the last stable decoding have changed. */
export function stableChecked(system) {
  let last;
  return {
    initial: () => system.initial(),
    encode: (s, out) => system.encode(s, out),
    decode(words, start, length, stable) {
      if (last !== undefined) {
        for (let j = 0; j < last.copy.length; j++) {
          if (last.words[last.start + j] !== last.copy[j])
            throw new Error('the words of a stable decoding changed before the next decoding');
        }
      }
      last = stable ? { words, start, copy: words.slice(start, start + length) } : undefined;
      return system.decode(words, start, length, stable);
    },
    successors: (s, emit) => system.successors(s, emit),
    persistent: (s, emit) => system.persistent(s, emit),
    violations: (s) => system.violations(s),
  };
}

export function createSystem(data) {
  return stableChecked(createLitmusSystem(data));
}
