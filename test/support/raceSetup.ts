// The primitive races shared by the footprint check and the differential test: computed once per
// test file (the calls take a few seconds to validate).

import { encodingKey } from '../../src/explore/naive.js';
import type { Machine } from '../../src/model/machine.js';
import type { Primitive, PrimitiveFootprint } from '../../src/semantics/primitives.js';
import { PRIMITIVES } from '../../src/semantics/primitives.js';
import type { Program } from '../../src/semantics/program.js';
import { LitmusSystem } from '../../src/semantics/system.js';

/** Every state reachable from the program's initial state (up to `max`), in BFS order. */
export function reachableStates(program: Program, max: number): Machine[] {
  const system = new LitmusSystem(program);
  const seen = new Set<string>();
  const out: Machine[] = [];
  const queue = [system.initial()];
  seen.add(encodingKey(system, queue[0]!));
  while (queue.length > 0 && out.length < max) {
    const s = queue.shift()!;
    out.push(s);
    system.successors(s, (n) => {
      const k = encodingKey(system, n);
      if (seen.has(k)) return;
      seen.add(k);
      queue.push(n);
    });
  }
  return out;
}

/**
 * Runs `fn` with primitive `name`'s table entry given `footprint` instead of its own (the
 * mutation tests: a wrong footprint must fail a test), then puts it back.
 */
export function withFootprint<T>(name: string, footprint: PrimitiveFootprint, fn: () => T): T {
  const p = PRIMITIVES.get(name) as { footprint: PrimitiveFootprint } & Primitive;
  const saved = p.footprint;
  p.footprint = footprint;
  try {
    return fn();
  } finally {
    p.footprint = saved;
  }
}
