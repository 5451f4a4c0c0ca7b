// A litmus system forwarded method by method, to test what an explorer does with the optional
// methods: without `successorsBut`, a persistent set the cycle proviso refused is built again by
// the full expansion; `encodes` counts the successors built.

import type { TransitionSystem } from '../../src/explore/system.js';
import type { Machine } from '../../src/model/machine.js';
import type { LitmusSystem } from '../../src/semantics/system.js';

export type CountingSystem = TransitionSystem<Machine> & { encodes: number };

/** `system` forwarded; `successorsBut` only when `merge`. */
export function countingSystem(system: LitmusSystem, merge: boolean): CountingSystem {
  const counting: CountingSystem = {
    encodes: 0,
    initial: () => system.initial(),
    encode(s, out) {
      counting.encodes++;
      system.encode(s, out);
    },
    decode: (w, start, length, stable) => system.decode(w, start, length, stable),
    successors: (s, emit) => system.successors(s, emit),
    persistent: (s, emit) => system.persistent(s, emit),
    violations: (s) => system.violations(s),
  };
  if (merge) counting.successorsBut = (s, done, emit) => system.successorsBut(s, done, emit);
  return counting;
}
