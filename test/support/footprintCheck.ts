// Checks footprints against what instructions really do: runs an instruction on a machine that
// records every field and element it reads or writes, and compares that with the instruction's
// footprint (src/semantics/footprint.ts). Used on every reachable state of the primitive races.

import type { Machine, MutableMachine } from '../../src/model/machine.js';
import { cloneMachine, RUNNING } from '../../src/model/machine.js';
import { lockObject, varObject } from '../../src/semantics/footprint.js';
import { BLOCKED, Exec, type Program } from '../../src/semantics/program.js';

/** What one instruction touched: lock and variable objects, and whether anything else. */
interface Touched {
  readonly reads: Set<number>;
  readonly writes: Set<number>;
  /** Fields of memory management (or another thread's state) it read or wrote. */
  readonly mm: Set<string>;
}

/** Fields an instruction may touch whatever its footprint: the violation mask (or'ed in). */
const FREE = new Set(['mask']);

/**
 * A view of `m` (a clone the instruction may write) that records into `touched()`: locks and
 * variables element by element, the running thread's own state not at all, anything else as
 * memory management.
 */
function recording(m: MutableMachine, thread: number): { machine: Machine; touched: () => Touched; reset: () => void } {
  let t: Touched = { reads: new Set(), writes: new Set(), mm: new Set() };
  const objectArray = (field: 'locks' | 'vars', arr: unknown[]) =>
    new Proxy(arr, {
      get(target, prop, recv) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) {
          const i = Number(prop);
          t.reads.add(field === 'locks' ? lockObject(i + 1) : varObject(i));
        } else if (prop === 'length' || prop === Symbol.iterator) t.mm.add(`${field} (all of it)`);
        return Reflect.get(target, prop, recv);
      },
      set(target, prop, value, recv) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) {
          const i = Number(prop);
          t.writes.add(field === 'locks' ? lockObject(i + 1) : varObject(i));
        } else t.mm.add(`${field} (all of it)`);
        return Reflect.set(target, prop, value, recv);
      },
    });
  const threads = new Proxy(m.threads, {
    get(target, prop, recv) {
      if (typeof prop === 'string' && /^\d+$/.test(prop) && Number(prop) !== thread) t.mm.add(`threads[${prop}]`);
      if (prop === 'length' || prop === Symbol.iterator) t.mm.add('threads (all of them)');
      return Reflect.get(target, prop, recv);
    },
  });
  const locks = objectArray('locks', m.locks as unknown[]);
  const vars = objectArray('vars', m.vars as unknown[]);
  const machine = new Proxy(m, {
    get(target, prop, recv) {
      if (prop === 'locks') return locks;
      if (prop === 'vars') return vars;
      if (prop === 'threads') return threads;
      if (typeof prop === 'string' && !FREE.has(prop)) t.mm.add(prop);
      return Reflect.get(target, prop, recv);
    },
    set(target, prop, value, recv) {
      if (typeof prop === 'string' && !FREE.has(prop)) t.mm.add(prop);
      return Reflect.set(target, prop, value, recv);
    },
  });
  return {
    machine,
    touched: () => t,
    reset: () => {
      t = { reads: new Set(), writes: new Set(), mm: new Set() };
    },
  };
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
  const rec = recording(clone, t);
  const x = new Exec(prog, rec.machine, false);
  x.t = t;
  x.th = clone.threads[t]!;
  const code = prog.threads[t]!.code;
  let pc = m.threads[t]!.pc;
  for (let first = true; ; first = false) {
    const ins = code[pc]!;
    if (!first && ins.kind !== 'local') break;
    if (ins.kind === 'choose' || ins.kind === 'end') break;
    rec.reset();
    let next: number;
    try {
      next = ins.run(x);
    } catch {
      break;
    }
    const fp = ins.fp;
    const touched = rec.touched();
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
