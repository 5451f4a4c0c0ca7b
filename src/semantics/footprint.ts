// What an instruction may read and write, for the partial-order reduction (independence.ts).
//
// The objects are globals and secondary state variables (one object each) and declared or
// secondary locks (one each). Registers and the program counter belong to the thread and are no
// object at all. Memory management (page table, page-table locks, TLBs, frames, notifier state,
// every thread's brackets and batched-flush state) is deliberately not split: the monitors that
// run after every step (dangling-translation, incoherent-translation) read all of it, so two
// steps that write it never commute with respect to them. An instruction that touches it has no
// footprint, which means "may touch anything"; so does every instruction the compiler does not
// mark. A footprint is only ever an over-approximation. What a primitive touches is on its table
// entry (primitives.ts `PrimitiveFootprint`); expr.ts `exprFootprint` derives the rest.

export interface Footprint {
  readonly reads: readonly number[];
  readonly writes: readonly number[];
}

/** Touches only the thread's own registers. */
export const EMPTY: Footprint = { reads: [], writes: [] };

export function varObject(index: number): number {
  return 2 * index + 1;
}

/** `id` is a lock value (1-based index into `Program.locks`). */
export function lockObject(id: number): number {
  return 2 * id;
}

export function union(a: Footprint | undefined, b: Footprint | undefined): Footprint | undefined {
  if (a === undefined || b === undefined) return undefined;
  if (a === EMPTY) return b;
  if (b === EMPTY) return a;
  return { reads: merge(a.reads, b.reads), writes: merge(a.writes, b.writes) };
}

function merge(a: readonly number[], b: readonly number[]): number[] {
  const out = [...a];
  for (const x of b) if (!out.includes(x)) out.push(x);
  return out;
}
