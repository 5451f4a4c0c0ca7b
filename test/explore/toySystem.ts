// Small transition systems for the explorer tests: random "programs" of threads over a shared
// array of small values (with a fast-check generator), a binary tree of variable-length
// encodings, and a cyclic counter; plus a plain Map-based BFS to compare depths against.

import fc from 'fast-check';
import { encodingKey } from '../../src/explore/naive.js';
import type { TransitionSystem, WordWriter } from '../../src/explore/system.js';

export type Instr =
  | { readonly op: 'write'; readonly cell: number; readonly value: number }
  | { readonly op: 'add'; readonly cell: number; readonly value: number }
  /** Nondeterministic: writes `value` or `alt` (two successors). */
  | { readonly op: 'choose'; readonly cell: number; readonly value: number; readonly alt: number }
  /** Blocks the thread until the cell holds `value` (deadlocks are possible). */
  | { readonly op: 'await'; readonly cell: number; readonly value: number }
  /** Goes to `target` if the cell holds `value`, else falls through (backward jumps make cycles). */
  | { readonly op: 'jump'; readonly cell: number; readonly value: number; readonly target: number };

export interface ToyProgram {
  readonly modulus: number;
  readonly init: readonly number[];
  readonly threads: readonly (readonly Instr[])[];
  /** Property i is violated once cell `props[i].cell` holds `props[i].value`. */
  readonly props: readonly { readonly cell: number; readonly value: number }[];
}

/** A state is its own encoding: [pc per thread…, cells…, violation mask]. */
export type ToyState = number[];

export class ToySystem implements TransitionSystem<ToyState> {
  readonly nThreads: number;

  constructor(readonly program: ToyProgram) {
    this.nThreads = program.threads.length;
  }

  initial(): ToyState {
    const s = [...this.program.threads.map(() => 0), ...this.program.init, 0];
    s[s.length - 1] = this.maskOf(s, 0);
    return s;
  }

  encode(s: ToyState, out: WordWriter): void {
    for (const w of s) out.push(w);
  }

  decode(words: Int32Array, start: number, length: number): ToyState {
    return Array.from(words.subarray(start, start + length));
  }

  successors(s: ToyState, emit: (next: ToyState, label: number) => void): void {
    const { threads, modulus } = this.program;
    let label = 0;
    for (let t = 0; t < threads.length; t++) {
      const code = threads[t]!;
      const pc = s[t]!;
      const ins = code[pc];
      if (ins === undefined) continue;
      const at = this.nThreads + ins.cell;
      const step = (cellValue: number | undefined, nextPc: number): void => {
        const n = s.slice();
        n[t] = nextPc;
        if (cellValue !== undefined) n[at] = cellValue;
        n[n.length - 1] = this.maskOf(n, s[s.length - 1]!);
        emit(n, label++);
      };
      switch (ins.op) {
        case 'write':
          step(ins.value, pc + 1);
          break;
        case 'add':
          step((s[at]! + ins.value) % modulus, pc + 1);
          break;
        case 'choose':
          step(ins.value, pc + 1);
          step(ins.alt, pc + 1);
          break;
        case 'await':
          if (s[at] === ins.value) step(undefined, pc + 1);
          break;
        case 'jump':
          step(undefined, s[at] === ins.value ? ins.target : pc + 1);
          break;
      }
    }
  }

  violations(s: ToyState): number {
    return s[s.length - 1]!;
  }

  private maskOf(s: ToyState, mask: number): number {
    this.program.props.forEach((p, i) => {
      if (s[this.nThreads + p.cell] === p.value) mask |= 1 << i;
    });
    return mask;
  }
}

/** Random programs; `cyclic` adds jumps (in any direction), otherwise every run terminates. */
export function toyProgram(cyclic: boolean, maxThreads = 3, maxLength = 4): fc.Arbitrary<ToyProgram> {
  return fc
    .record({ modulus: fc.integer({ min: 2, max: 3 }), cells: fc.integer({ min: 1, max: 3 }) })
    .chain(({ modulus, cells }) => {
      const cell = fc.integer({ min: 0, max: cells - 1 });
      const value = fc.integer({ min: 0, max: modulus - 1 });
      const ops: fc.WeightedArbitrary<Instr>[] = [
        { weight: 3, arbitrary: fc.record({ op: fc.constant('write' as const), cell, value }) },
        { weight: 4, arbitrary: fc.record({ op: fc.constant('add' as const), cell, value }) },
        { weight: 1, arbitrary: fc.record({ op: fc.constant('choose' as const), cell, value, alt: value }) },
        { weight: 1, arbitrary: fc.record({ op: fc.constant('await' as const), cell, value }) },
      ];
      if (cyclic) {
        const target = fc.integer({ min: 0, max: maxLength - 1 });
        ops.push({ weight: 2, arbitrary: fc.record({ op: fc.constant('jump' as const), cell, value, target }) });
      }
      return fc.record({
        modulus: fc.constant(modulus),
        init: fc.array(value, { minLength: cells, maxLength: cells }),
        // size 'max': the default size bias would make most programs one or two instructions long.
        threads: fc.array(fc.array(fc.oneof(...ops), { minLength: 1, maxLength, size: 'max' }), {
          minLength: 1,
          maxLength: maxThreads,
          size: 'max',
        }),
        props: fc.array(fc.record({ cell, value }), { minLength: 1, maxLength: 3 }),
      });
    });
}

/**
 * Binary strings of length ≤ `k` (the state is the string itself): 2^(k+1) - 1 states, the 2^k
 * full strings are terminal, and the encodings differ in length ([] vs [0] vs [0, 0]). Property 0
 * is violated by strings containing two 1s in a row; property 31 by strings of length k ending in 1.
 */
export function binaryTree(k: number): TransitionSystem<number[]> {
  const maskOf = (s: number[]): number => {
    let m = 0;
    for (let i = 1; i < s.length; i++) if (s[i - 1] === 1 && s[i] === 1) m |= 1;
    if (s.length === k && s[k - 1] === 1) m |= 1 << 31;
    return m;
  };
  return {
    initial: () => [],
    encode: (s, out) => {
      for (const w of s) out.push(w);
    },
    decode: (words, start, length) => Array.from(words.subarray(start, start + length)),
    successors: (s, emit) => {
      if (s.length < k) {
        emit([...s, 0], 0);
        emit([...s, 1], 1);
      }
    },
    violations: maskOf,
  };
}

/**
 * A cycle: x → x+1 and x → 2x (mod n). Every state is reachable, none is terminal; property 0
 * holds at x = n - 1 (the initial state 0 violates property 1 when `initialViolation`).
 */
export function counter(n: number, initialViolation = false): TransitionSystem<number> {
  return {
    initial: () => 0,
    encode: (x, out) => out.push(x),
    decode: (words, start) => words[start]!,
    successors: (x, emit) => {
      emit((x + 1) % n, 0);
      emit((2 * x) % n, 1);
    },
    violations: (x) => (x === n - 1 ? 1 : 0) | (initialViolation && x === 0 ? 2 : 0),
  };
}

/** Distance from the initial state of every reachable state, by encoding: a plain BFS. */
export function naiveBfs<S>(system: TransitionSystem<S>): Map<string, { depth: number; state: S }> {
  const seen = new Map<string, { depth: number; state: S }>();
  const init = system.initial();
  seen.set(encodingKey(system, init), { depth: 0, state: init });
  let frontier = [init];
  for (let depth = 1; frontier.length > 0; depth++) {
    const next: S[] = [];
    for (const s of frontier) {
      system.successors(s, (n) => {
        const key = encodingKey(system, n);
        if (seen.has(key)) return;
        seen.set(key, { depth, state: n });
        next.push(n);
      });
    }
    frontier = next;
  }
  return seen;
}
