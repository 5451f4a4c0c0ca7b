// What an instruction may read and write, for the partial-order reduction (independence.ts).
//
// The objects are globals and secondary state variables (one object each), declared or secondary
// locks (one each), and the parts of memory management, each one object:
//
// - PT_OBJECT: the page table (every pte and pmd entry);
// - PTL_OBJECT: the page-table locks;
// - FRAMES_OBJECT: every frame's content, backing copy, refcount, mapcount and flags;
// - STORES_OBJECT: the last user stores, for `lost-update` (lostUpdate.ts);
// - CORE_OBJECT: everything else — the notifier core and SRCU, the mm-wide counters, mmap_lock,
//   and every thread's brackets, unnotified changes, review marks, mmu_gather and deferred flush
//   (a thread's own share too: other threads read it, e.g. incoherent-translation's quiescence);
// - tlbObject(t): translation cache t (a cpu thread's TLB or a secondary's).
//
// Registers, the program counter and the status belong to the thread and are no object at all;
// so is the violation mask, which properties are or'ed into in any order. An instruction without
// a footprint may touch anything, and so does every instruction the compiler does not mark. A
// footprint is only ever an over-approximation; test/semantics/footprints.test.ts checks it.
// The monitors that run after every step read some of these objects: independence.ts makes a
// step that writes what an enabled monitor reads conflict with everything.

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

// Memory-management objects are negative, so that they never meet a variable or a lock.
export const PT_OBJECT = -1;
export const PTL_OBJECT = -2;
export const FRAMES_OBJECT = -3;
export const STORES_OBJECT = -4;
export const CORE_OBJECT = -5;

/** Translation cache t (`Machine.tlb[t]`). */
export function tlbObject(t: number): number {
  return -6 - t;
}

export function isMmObject(object: number): boolean {
  return object < 0;
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
