// Checks footprints against what instructions really do: runs an instruction on a machine that
// records every field and element it reads or writes, and compares that with the instruction's
// footprint (src/semantics/footprint.ts). Used on every reachable state of the primitive races.

import type { Machine, MutableMachine, ThreadState } from '../../src/model/machine.js';
import { cloneMachine, RUNNING } from '../../src/model/machine.js';
import {
  CORE_OBJECT,
  FRAMES_OBJECT,
  lockObject,
  PT_OBJECT,
  PTL_OBJECT,
  STORES_OBJECT,
  tlbObject,
  varObject,
} from '../../src/semantics/footprint.js';
import { BLOCKED, Exec, type Program } from '../../src/semantics/program.js';

/** What one instruction touched: objects (footprint.ts), and what no object names. */
interface Touched {
  readonly reads: Set<number>;
  readonly writes: Set<number>;
  /** Fields no object stands for (another thread's registers or program counter, a whole array of objects). */
  readonly mm: Set<string>;
}

/** Fields an instruction may touch whatever its footprint: the violation mask (or'ed in). */
const FREE = new Set(['mask']);

/** The memory-management object each machine field belongs to (tlb: one per cache, below). */
const FIELD_OBJECT: ReadonlyMap<string, number> = new Map([
  ['pt', PT_OBJECT],
  ['ptl', PTL_OBJECT],
  ['content', FRAMES_OBJECT],
  ['backing', FRAMES_OBJECT],
  ['refcount', FRAMES_OBJECT],
  ['mapcount', FRAMES_OBJECT],
  ['fflags', FRAMES_OBJECT],
  ['stores', STORES_OBJECT],
  ['subOpen', CORE_OBJECT],
  ['subSeq', CORE_OBJECT],
  ['srcu', CORE_OBJECT],
  ['itreeSeq', CORE_OBJECT],
  ['itreeActive', CORE_OBJECT],
  ['batched', CORE_OBJECT],
  ['tlbFlushPending', CORE_OBJECT],
  ['mmapLock', CORE_OBJECT],
]);

/** A thread's own fields that belong to the core (brackets, gather, …): the rest is its own. */
const THREAD_CORE = ['brackets', 'pending', 'weak', 'nonblock', 'ubc', 'gather', 'mmap'] as const;

/**
 * A view of `m` (a clone the instruction may write) that records the objects read into
 * `touched()`: locks, variables and TLBs element by element, the other fields by the object they
 * belong to, the running thread's core fields as the core, its registers and status not at all.
 * Writes are found by comparing snapshots (`snapshot`), since a step writes arrays it got by a read.
 */
function recording(
  m: MutableMachine,
  thread: number,
  ownHoldings: () => boolean,
): { machine: Machine; own: ThreadState; touched: () => Touched; reset: () => void } {
  let t: Touched = { reads: new Set(), writes: new Set(), mm: new Set() };
  const objectArray = (field: 'locks' | 'vars' | 'tlb', arr: unknown[]) =>
    new Proxy(arr, {
      get(target, prop, recv) {
        // Which locks the thread itself holds, which no other thread can change (mm.ts inAtomic).
        if (field === 'locks' && ownHoldings()) return Reflect.get(target, prop, recv);
        if (typeof prop === 'string' && /^\d+$/.test(prop)) t.reads.add(elementObject(field, Number(prop)));
        else if (prop === 'length' || prop === Symbol.iterator) t.mm.add(`${field} (all of it)`);
        return Reflect.get(target, prop, recv);
      },
      set(target, prop, value, recv) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) t.writes.add(elementObject(field, Number(prop)));
        else t.mm.add(`${field} (all of it)`);
        return Reflect.set(target, prop, value, recv);
      },
    });
  // A thread's core fields are the core; another thread's registers, pc and status are no object.
  const threadView = (u: number) =>
    new Proxy(m.threads[u]!, {
      get(target, prop, recv) {
        if ((THREAD_CORE as readonly (string | symbol)[]).includes(prop)) t.reads.add(CORE_OBJECT);
        else if (u !== thread && typeof prop === 'string') t.mm.add(`threads[${u}].${prop}`);
        return Reflect.get(target, prop, recv);
      },
    });
  const views = m.threads.map((_, u) => threadView(u));
  const own = views[thread]!;
  const threads = new Proxy(m.threads, {
    get(target, prop, recv) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) return views[Number(prop)];
      if (prop === Symbol.iterator)
        return function* () {
          yield* views;
        };
      return Reflect.get(target, prop, recv);
    },
  });
  const locks = objectArray('locks', m.locks as unknown[]);
  const vars = objectArray('vars', m.vars as unknown[]);
  const tlb = objectArray('tlb', m.tlb as unknown[]);
  const machine = new Proxy(m, {
    get(target, prop, recv) {
      if (prop === 'locks') return locks;
      if (prop === 'vars') return vars;
      if (prop === 'tlb') return tlb;
      if (prop === 'threads') return threads;
      if (typeof prop === 'string' && !FREE.has(prop) && !(prop === 'ptl' && ownHoldings())) {
        const o = FIELD_OBJECT.get(prop);
        if (o !== undefined) t.reads.add(o);
        else t.mm.add(prop);
      }
      return Reflect.get(target, prop, recv);
    },
    set(target, prop, value, recv) {
      if (typeof prop === 'string' && !FREE.has(prop)) {
        const o = FIELD_OBJECT.get(prop);
        if (o !== undefined) t.writes.add(o);
        else t.mm.add(prop);
      }
      return Reflect.set(target, prop, value, recv);
    },
  });
  return {
    machine,
    own,
    touched: () => t,
    reset: () => {
      t = { reads: new Set(), writes: new Set(), mm: new Set() };
    },
  };
}

function elementObject(field: 'locks' | 'vars' | 'tlb', i: number): number {
  return field === 'locks' ? lockObject(i + 1) : field === 'vars' ? varObject(i) : tlbObject(i);
}

/** The memory-management objects' contents (read around the recording view), to see which changed. */
function snapshot(m: MutableMachine): Map<number, string> {
  const out = new Map<number, string>();
  const add = (o: number, v: unknown): void => {
    out.set(o, (out.get(o) ?? '') + JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x)));
  };
  for (const [field, o] of FIELD_OBJECT) add(o, (m as unknown as Record<string, unknown>)[field]);
  for (let i = 0; i < m.tlb.length; i++) add(tlbObject(i), m.tlb[i]);
  for (const th of m.threads) for (const f of THREAD_CORE) add(CORE_OBJECT, th[f]);
  return out;
}

export interface Mismatch {
  readonly thread: string;
  readonly site: string;
  readonly problem: string;
}

/**
 * Runs thread t's step from `m` (its shared instruction, then the local ones up to its next
 * scheduling point, as the runner does) on a recording copy, and returns every instruction that
 * touched more than its footprint says. Model errors end the step (the search would stop there).
 */
export function checkStepFootprints(prog: Program, m: Machine, t: number): Mismatch[] {
  const out: Mismatch[] = [];
  const clone = cloneMachine(m, t);
  let x: Exec | undefined;
  const rec = recording(clone, t, () => x?.ownHoldings === true);
  x = new Exec(prog, rec.machine, false);
  x.t = t;
  x.th = rec.own;
  const code = prog.threads[t]!.code;
  let pc = m.threads[t]!.pc;
  for (let first = true; ; first = false) {
    const ins = code[pc]!;
    if (!first && ins.kind !== 'local') break;
    if (ins.kind === 'choose' || ins.kind === 'end') break;
    rec.reset();
    const before = snapshot(clone);
    let next: number;
    try {
      next = ins.run(x);
    } catch {
      break;
    }
    const fp = ins.fp;
    const touched = rec.touched();
    for (const [o, v] of snapshot(clone)) if (before.get(o) !== v) touched.writes.add(o);
    if (fp !== undefined) {
      const where = { thread: prog.threads[t]!.name, site: ins.site.text };
      const declared = new Set([...fp.reads, ...fp.writes]);
      for (const f of touched.mm) out.push({ ...where, problem: `touches ${f} outside its footprint` });
      for (const o of touched.reads)
        if (!declared.has(o)) out.push({ ...where, problem: `reads object ${o} outside its footprint` });
      for (const o of touched.writes)
        if (!fp.writes.includes(o)) out.push({ ...where, problem: `writes object ${o} outside its footprint` });
    }
    if (next === BLOCKED || x.blocked || x.th.status !== RUNNING) break;
    pc = next;
  }
  return out;
}
