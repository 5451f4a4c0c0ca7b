// Static independence of steps, computed once per test for the partial-order reduction
// (runner.ts `expandPersistent`, explore/explorer.ts).
//
// A step of thread t is its instruction at pc followed by the local instructions up to its next
// scheduling point; its footprint here is the instruction's, together with those of the local
// instructions that follow it in the code up to the next shared one (the runner refuses the step,
// at run time, if it runs a local instruction outside that footprint). Thread u's *future* from
// pc is everything in its code from `floor[pc]` on, where the floor is the lowest pc u can reach
// (jumps go forward except the recorded loop and retry jumps, context.ts `backJumps`; the runner
// checks that at every step). Thread t's step *conflicts with* u's future when one writes an
// object the other reads or writes: then some step u may still take does not commute with it.
//
// The monitors that run after every step (runner.ts `afterStep`) read memory management:
// dangling-translation the page table, the TLBs and the frames; incoherent-translation the page
// table, the TLBs, the page-table locks and the core (brackets, gathers, deferred flushes). When
// such a monitor is enabled for the test, a step that writes what it reads is *visible* and is
// given "may touch anything": it conflicts with every other running thread, so a persistent set
// that holds it holds every running thread (the visibility condition of partial-order
// reduction). The checks a step makes itself (use-after-free at an access, a BUG, a lock
// misused) read only what the step's footprint already covers, so any reordering that keeps the
// step's dependencies keeps what they see; the checks at a thread's end read that thread's own
// brackets and unnotified changes, which no other thread writes; the checks at the end of the
// execution read a terminal state, which the reduction keeps exactly.
//
// Footprints become bitsets here: one word with a bit per global, secondary variable and lock
// (more than 30 share bits), one with a bit per memory-management object (more than 32 share
// bits); a shared bit only adds conflicts.

import { DANGLING_TRANSLATION, INCOHERENT_TRANSLATION } from '../model/properties.js';
import { CORE_OBJECT, FRAMES_OBJECT, isMmObject, PT_OBJECT, PTL_OBJECT, tlbObject } from './footprint.js';
import type { Instr } from './program.js';

export interface ThreadTables {
  /**
   * Per pc, the step that starts there (its instruction and the local ones after it): objects it
   * reads / writes (bitsets, `Mm` for memory management); `stepAny` 1 = may touch anything.
   */
  readonly stepReads: Int32Array;
  readonly stepWrites: Int32Array;
  readonly stepMmReads: Int32Array;
  readonly stepMmWrites: Int32Array;
  readonly stepAny: Uint8Array;
  /** Per pc, the instruction alone (what a local instruction may touch within a step). */
  readonly insReads: Int32Array;
  readonly insWrites: Int32Array;
  readonly insMmReads: Int32Array;
  readonly insMmWrites: Int32Array;
  readonly insAny: Uint8Array;
  /** Per pc: the union of the footprints of everything the thread may still run from there. */
  readonly futureReads: Int32Array;
  readonly futureWrites: Int32Array;
  readonly futureMmReads: Int32Array;
  readonly futureMmWrites: Int32Array;
  readonly futureAny: Uint8Array;
}

export interface Reduction {
  readonly threads: readonly ThreadTables[];
}

/** Bitmasks of running threads hold one bit per thread. */
const MAX_THREADS = 31;
const OBJECT_BITS = 30;
const MM_BITS = 32;

function objectBit(object: number): number {
  return 1 << (object % OBJECT_BITS);
}

function mmBit(object: number): number {
  return 1 << ((-1 - object) % MM_BITS);
}

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

/**
 * The memory-management objects (as a bitset) that the monitors run after every step read, for
 * a test with `disabled` properties and `tlbs` translation caches.
 */
export function monitoredObjects(disabled: number, tlbs: number): number {
  let mask = 0;
  const dangling = (disabled & (1 << DANGLING_TRANSLATION)) === 0;
  const incoherent = (disabled & (1 << INCOHERENT_TRANSLATION)) === 0;
  if (dangling || incoherent) {
    mask |= mmBit(PT_OBJECT);
    for (let t = 0; t < tlbs; t++) mask |= mmBit(tlbObject(t));
  }
  if (dangling) mask |= mmBit(FRAMES_OBJECT);
  if (incoherent) mask |= mmBit(PTL_OBJECT) | mmBit(CORE_OBJECT);
  return mask;
}

export function computeReduction(
  threads: readonly { readonly code: readonly Instr[]; readonly floor: Int32Array }[],
  monitored = -1,
  chooseAlone = false,
): Reduction | undefined {
  if (threads.length > MAX_THREADS) return undefined;
  return { threads: threads.map(({ code, floor }) => threadTables(code, floor, monitored, chooseAlone)) };
}

/** Five per-pc bitsets: objects read, written, memory-management objects read, written, anything. */
interface Bits {
  readonly reads: Int32Array;
  readonly writes: Int32Array;
  readonly mmReads: Int32Array;
  readonly mmWrites: Int32Array;
  readonly any: Uint8Array;
}

function bits(n: number): Bits {
  return {
    reads: new Int32Array(n),
    writes: new Int32Array(n),
    mmReads: new Int32Array(n),
    mmWrites: new Int32Array(n),
    any: new Uint8Array(n),
  };
}

/** `to[i] |= from[j]`, in each of the five. */
function orAt(to: Bits, i: number, from: Bits, j: number): void {
  to.reads[i]! |= from.reads[j]!;
  to.writes[i]! |= from.writes[j]!;
  to.mmReads[i]! |= from.mmReads[j]!;
  to.mmWrites[i]! |= from.mmWrites[j]!;
  to.any[i]! |= from.any[j]!;
}

function threadTables(
  code: readonly Instr[],
  floor: Int32Array,
  monitored: number,
  chooseAlone: boolean,
): ThreadTables {
  const n = code.length;
  const ins = bits(n);
  code.forEach((instr, pc) => {
    const fp = instr.fp;
    if (fp === undefined) {
      ins.any[pc] = 1;
      return;
    }
    for (const o of fp.reads) {
      if (isMmObject(o)) ins.mmReads[pc]! |= mmBit(o);
      else ins.reads[pc]! |= objectBit(o);
    }
    for (const o of fp.writes) {
      if (isMmObject(o)) ins.mmWrites[pc]! |= mmBit(o);
      else ins.writes[pc]! |= objectBit(o);
    }
  });
  // A step: its instruction and the local ones that follow it up to the next shared one.
  const step = bits(n);
  for (let pc = 0; pc < n; pc++) {
    orAt(step, pc, ins, pc);
    for (let p = pc + 1; p < n && code[p]!.kind === 'local'; p++) orAt(step, pc, ins, p);
  }
  // A `choose` runs the branch it takes up to its first shared instruction and that instruction's
  // step (runner.ts `takeStep`): its step is the union of those, over its branches.
  for (let pc = 0; pc < n; pc++) {
    const targets = code[pc]!.targets;
    if (chooseAlone || code[pc]!.kind !== 'choose' || targets === undefined) continue;
    for (const target of targets) {
      let p = target;
      for (; p < n && code[p]!.kind === 'local'; p++) orAt(step, pc, ins, p);
      if (p < n && code[p]!.kind === 'shared') orAt(step, pc, step, p);
    }
  }
  // Visible: a step that writes what a monitor reads after it.
  for (let pc = 0; pc < n; pc++) if ((step.mmWrites[pc]! & monitored) !== 0) step.any[pc] = 1;
  // Suffix unions, then each pc takes the suffix from its floor.
  const suffix = bits(n + 1);
  for (let pc = n - 1; pc >= 0; pc--) {
    orAt(suffix, pc, suffix, pc + 1);
    orAt(suffix, pc, ins, pc);
  }
  const future = bits(n);
  for (let pc = 0; pc < n; pc++) orAt(future, pc, suffix, floor[pc]!);
  return {
    stepReads: step.reads,
    stepWrites: step.writes,
    stepMmReads: step.mmReads,
    stepMmWrites: step.mmWrites,
    stepAny: step.any,
    insReads: ins.reads,
    insWrites: ins.writes,
    insMmReads: ins.mmReads,
    insMmWrites: ins.mmWrites,
    insAny: ins.any,
    futureReads: future.reads,
    futureWrites: future.writes,
    futureMmReads: future.mmReads,
    futureMmWrites: future.mmWrites,
    futureAny: future.any,
  };
}

/**
 * Whether the local instruction at `pc` touches only what the step that started at `from`
 * declares (so that the step's footprint covers it).
 */
export function coveredBy(t: ThreadTables, from: number, pc: number): boolean {
  if (t.insAny[pc] === 1) return t.stepAny[from] === 1;
  return (
    (t.insReads[pc]! & ~t.stepReads[from]!) === 0 &&
    (t.insWrites[pc]! & ~t.stepWrites[from]!) === 0 &&
    (t.insMmReads[pc]! & ~t.stepMmReads[from]!) === 0 &&
    (t.insMmWrites[pc]! & ~t.stepMmWrites[from]!) === 0
  );
}

/**
 * Whether the step of thread t at `pc` may depend on anything thread u may still do from `pu`:
 * one writes what the other reads or writes.
 */
export function conflictsWithFuture(t: ThreadTables, pc: number, u: ThreadTables, pu: number): boolean {
  if (t.stepAny[pc] === 1) return true;
  const r = t.stepReads[pc]!;
  const w = t.stepWrites[pc]!;
  const mr = t.stepMmReads[pc]!;
  const mw = t.stepMmWrites[pc]!;
  if ((r | w | mr | mw) === 0) return false;
  if (u.futureAny[pu] === 1) return true;
  return (
    (w & (u.futureReads[pu]! | u.futureWrites[pu]!)) !== 0 ||
    (u.futureWrites[pu]! & r) !== 0 ||
    (mw & (u.futureMmReads[pu]! | u.futureMmWrites[pu]!)) !== 0 ||
    (u.futureMmWrites[pu]! & mr) !== 0
  );
}
