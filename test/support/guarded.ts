// A LitmusSystem wrapped to check, after each expansion, that the expanded state is exactly what
// it was before (a step never writes the state it starts from: model/scratch.ts).

import { expect } from 'vitest';
import type { TransitionSystem } from '../../src/explore/system.js';
import type { Machine } from '../../src/model/machine.js';
import type { LitmusSystem } from '../../src/semantics/system.js';

/** Everything a machine holds, as text (no encoding shortcut can hide a changed array). */
export function snapshot(m: Machine): string {
  return JSON.stringify(m, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

/** `inner`, checking that expanding a state leaves it unchanged. */
export function guarded(inner: LitmusSystem): TransitionSystem<Machine> & { expansions: number } {
  const g = {
    expansions: 0,
    initial: () => inner.initial(),
    encode: inner.encode.bind(inner),
    decode: inner.decode.bind(inner),
    violations: inner.violations.bind(inner),
    successors(s: Machine, emit: (next: Machine, label: number) => void): void {
      const before = snapshot(s);
      inner.successors(s, emit);
      expect(snapshot(s)).toBe(before);
      g.expansions++;
    },
    persistent(s: Machine, emit: (next: Machine, label: number) => void): boolean {
      const before = snapshot(s);
      const r = inner.persistent(s, emit);
      expect(snapshot(s)).toBe(before);
      return r;
    },
  };
  return g;
}
