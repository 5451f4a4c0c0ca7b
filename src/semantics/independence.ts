// Static independence of steps, computed once per test for the partial-order reduction
// (runner.ts `expandPersistent`, explore/explorer.ts).
//
// The step of thread t at pc is *safe* in a state when its instruction's footprint conflicts
// with nothing another running thread u may still do: everything in u's code from `floor[pc_u]`
// on, where the floor is the lowest pc u can reach (jumps go forward except the recorded loop
// and retry jumps, context.ts `backJumps`; the runner checks that at every step). A safe step
// that is enabled forms a persistent set on its own: nothing the other threads can do before t
// moves depends on it, disables it or is disabled by it, and the monitors see the same memory in
// either order (a step with a footprint does not touch memory management, see footprint.ts).
//
// Footprints become bitsets here: one bit per global, secondary variable and lock. With more
// than 30 such objects several share a bit, which only adds conflicts.

import type { Footprint } from './footprint.js';
import type { Instr } from './program.js';

export interface ThreadTables {
  /** Per pc: objects the instruction reads / writes (bitsets); `stepAny` 1 = may touch anything. */
  readonly stepReads: Int32Array;
  readonly stepWrites: Int32Array;
  readonly stepAny: Uint8Array;
  /** Per pc: the union of the footprints of everything the thread may still run from there. */
  readonly futureReads: Int32Array;
  readonly futureWrites: Int32Array;
  readonly futureAny: Uint8Array;
}

export interface Reduction {
  readonly threads: readonly ThreadTables[];
}

/** Bitmasks of running threads hold one bit per thread. */
const MAX_THREADS = 31;
const OBJECT_BITS = 30;

/**
 * The lowest pc reachable from each pc of a thread's code, given its backward jumps ([from, to]
 * pairs): from pc every later pc is assumed reachable, so is the target of any backward jump
 * from a later pc, and so on.
 */
export function computeFloors(length: number, backJumps: readonly number[]): Int32Array {
  // lowestFrom[p]: the lowest target of a backward jump whose source is at p or later.
  const lowestFrom = new Int32Array(length + 1).fill(length);
  for (let i = 0; i < backJumps.length; i += 2) {
    const from = backJumps[i]!;
    const to = backJumps[i + 1]!;
    if (to < lowestFrom[from]!) lowestFrom[from] = to;
  }
  for (let p = length - 1; p >= 0; p--) lowestFrom[p] = Math.min(lowestFrom[p]!, lowestFrom[p + 1]!);
  const floor = new Int32Array(length);
  for (let p = 0; p < length; p++) {
    let lo = Math.min(p, lowestFrom[p]!);
    while (lowestFrom[lo]! < lo) lo = lowestFrom[lo]!;
    floor[p] = lo;
  }
  return floor;
}

export function computeReduction(
  threads: readonly { readonly code: readonly Instr[]; readonly floor: Int32Array }[],
): Reduction | undefined {
  if (threads.length > MAX_THREADS) return undefined;
  const bit = (object: number): number => 1 << (object % OBJECT_BITS);
  const bits = (objects: readonly number[]): number => objects.reduce((m, o) => m | bit(o), 0);
  return {
    threads: threads.map(({ code, floor }) => {
      const n = code.length;
      const stepReads = new Int32Array(n);
      const stepWrites = new Int32Array(n);
      const stepAny = new Uint8Array(n);
      code.forEach((ins, pc) => {
        const fp: Footprint | undefined = ins.fp;
        if (fp === undefined) {
          stepAny[pc] = 1;
          return;
        }
        stepReads[pc] = bits(fp.reads);
        stepWrites[pc] = bits(fp.writes);
      });
      // Suffix unions, then each pc takes the suffix from its floor.
      const sufReads = new Int32Array(n + 1);
      const sufWrites = new Int32Array(n + 1);
      const sufAny = new Uint8Array(n + 1);
      for (let pc = n - 1; pc >= 0; pc--) {
        sufReads[pc] = sufReads[pc + 1]! | stepReads[pc]!;
        sufWrites[pc] = sufWrites[pc + 1]! | stepWrites[pc]!;
        sufAny[pc] = sufAny[pc + 1]! | stepAny[pc]!;
      }
      const futureReads = new Int32Array(n);
      const futureWrites = new Int32Array(n);
      const futureAny = new Uint8Array(n);
      for (let pc = 0; pc < n; pc++) {
        const lo = floor[pc]!;
        futureReads[pc] = sufReads[lo]!;
        futureWrites[pc] = sufWrites[lo]!;
        futureAny[pc] = sufAny[lo]!;
      }
      return { stepReads, stepWrites, stepAny, futureReads, futureWrites, futureAny };
    }),
  };
}

/** Whether the instruction at `pc` touches only registers. */
export function isPure(t: ThreadTables, pc: number): boolean {
  return t.stepAny[pc] === 0 && (t.stepReads[pc]! | t.stepWrites[pc]!) === 0;
}

/**
 * Whether the step of thread t at `pc` may depend on anything thread u may still do from `pu`:
 * one writes what the other reads or writes.
 */
export function conflictsWithFuture(t: ThreadTables, pc: number, u: ThreadTables, pu: number): boolean {
  if (t.stepAny[pc] === 1) return true;
  const r = t.stepReads[pc]!;
  const w = t.stepWrites[pc]!;
  if ((r | w) === 0) return false;
  return (
    u.futureAny[pu] === 1 || (w & (u.futureReads[pu]! | u.futureWrites[pu]!)) !== 0 || (u.futureWrites[pu]! & r) !== 0
  );
}
