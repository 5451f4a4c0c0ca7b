// Where a step builds a successor: copy-on-write over the machine it starts from.
//
// The search builds a successor, encodes it and drops it: a Scratch is storage reused from one
// successor to the next (a state's dozens of small arrays were most of the search's garbage), and
// it copies only the arrays the step writes.

import {
  copyInto,
  copyThreadInto,
  emptyMachine,
  emptyThread,
  type Machine,
  type MutableMachine,
  type ThreadState,
  truncate,
} from './machine.js';
import type { U64 } from './u64.js';

/** A machine whose fields may be pointed at other arrays (a scratch's); its arrays stay read-only. */
type Repointable = { -readonly [K in Exclude<keyof Machine, 'tlb'>]: Machine[K] } & { tlb: (readonly number[])[] };

/**
 * Where a step builds a successor: a machine that starts out sharing every array with the state
 * it is copied from (no copy at all), and storage of its own that an array is copied into before
 * the step's first write to it (`wPt`, `wContent`, …, `wTlb`). The thread that steps always gets
 * a copy of its own. Reused from successor to successor (the search's hot path allocates
 * nothing), so a successor lives until the next copy into the same scratch.
 */
export interface Scratch {
  readonly m: Repointable;
  /** Thread states of its own, by thread index (the stepping thread's copy). */
  readonly own: ThreadState[];
  /** Storage of its own for the machine-level arrays, by field (F_*). */
  readonly spare: U64[][];
  readonly spareTlb: number[][];
  /** Bit F_x: `m`'s array x is the scratch's own (written since the copy). */
  owned: number;
  /** 1 at t: `m.tlb[t]` is the scratch's own. */
  readonly ownedTlb: number[];
}

const F_CONTENT = 0;
const F_BACKING = 1;
const F_REFCOUNT = 2;
const F_MAPCOUNT = 3;
const F_FFLAGS = 4;
const F_PT = 5;
const F_PTL = 6;
const F_LOCKS = 7;
const F_VARS = 8;
const F_SUBOPEN = 9;
const F_SUBSEQ = 10;
const F_STORES = 11;
const F_SRCU = 12;
const ALL_FIELDS = (1 << 13) - 1;

export function newScratch(): Scratch {
  return {
    m: emptyMachine(),
    own: [],
    spare: Array.from({ length: 13 }, () => []),
    spareTlb: [],
    owned: 0,
    ownedTlb: [],
  };
}

/** A scratch around a machine that owns all its arrays (a clone): writes go straight to it. */
export function ownedScratch(m: MutableMachine): Scratch {
  return { m, own: [], spare: [], spareTlb: [], owned: ALL_FIELDS, ownedTlb: m.tlb.map(() => 1) };
}

/**
 * Copies a machine into `s` for a step of `thread` (-1: none): shares every array and every other
 * thread's state with `m`, copies `thread`'s state. The machine returned is `s.m`. Nothing of `m`
 * is changed by writes through `s`.
 */
export function copyMachine(s: Scratch, m: Machine, thread: number): Machine {
  const d = s.m;
  d.content = m.content;
  d.backing = m.backing;
  d.refcount = m.refcount;
  d.mapcount = m.mapcount;
  d.fflags = m.fflags;
  d.pt = m.pt;
  const tlb = m.tlb;
  const dtlb = d.tlb;
  truncate(dtlb, tlb.length);
  for (let i = 0; i < dtlb.length; i++) dtlb[i] = tlb[i]!;
  for (let i = dtlb.length; i < tlb.length; i++) dtlb.push(tlb[i]!);
  const ownedTlb = s.ownedTlb;
  for (let i = 0; i < tlb.length; i++) ownedTlb[i] = 0;
  d.ptl = m.ptl;
  d.locks = m.locks;
  d.vars = m.vars;
  d.subOpen = m.subOpen;
  d.subSeq = m.subSeq;
  d.srcu = m.srcu;
  d.stores = m.stores;
  s.owned = 0;
  d.itreeSeq = m.itreeSeq;
  d.itreeActive = m.itreeActive;
  d.batched = m.batched;
  d.tlbFlushPending = m.tlbFlushPending;
  d.mmapLock = m.mmapLock;
  copyInto(d.threads, m.threads);
  if (thread >= 0) {
    while (s.own.length <= thread) s.own.push(emptyThread());
    const own = s.own[thread]!;
    copyThreadInto(own, m.threads[thread]!);
    d.threads[thread] = own;
  }
  d.mask = m.mask;
  d.stuck = m.stuck;
  return d;
}

/** `a` copied into the scratch's storage for field f, now owned. */
function own<T>(s: Scratch, f: number, a: readonly T[]): T[] {
  const d = s.spare[f]! as T[];
  copyInto(d, a);
  s.owned |= 1 << f;
  return d;
}

// The arrays of a scratch's machine, to write. Each is copied into the scratch's storage before the
// first write of a step; the machine's field then points at the copy.
export function wContent(s: Scratch): U64[] {
  if ((s.owned & (1 << F_CONTENT)) === 0) s.m.content = own(s, F_CONTENT, s.m.content);
  return s.m.content as U64[];
}
export function wBacking(s: Scratch): U64[] {
  if ((s.owned & (1 << F_BACKING)) === 0) s.m.backing = own(s, F_BACKING, s.m.backing);
  return s.m.backing as U64[];
}
export function wRefcount(s: Scratch): number[] {
  if ((s.owned & (1 << F_REFCOUNT)) === 0) s.m.refcount = own(s, F_REFCOUNT, s.m.refcount);
  return s.m.refcount as number[];
}
export function wMapcount(s: Scratch): number[] {
  if ((s.owned & (1 << F_MAPCOUNT)) === 0) s.m.mapcount = own(s, F_MAPCOUNT, s.m.mapcount);
  return s.m.mapcount as number[];
}
export function wFflags(s: Scratch): number[] {
  if ((s.owned & (1 << F_FFLAGS)) === 0) s.m.fflags = own(s, F_FFLAGS, s.m.fflags);
  return s.m.fflags as number[];
}
export function wPt(s: Scratch): number[] {
  if ((s.owned & (1 << F_PT)) === 0) s.m.pt = own(s, F_PT, s.m.pt);
  return s.m.pt as number[];
}
export function wPtl(s: Scratch): number[] {
  if ((s.owned & (1 << F_PTL)) === 0) s.m.ptl = own(s, F_PTL, s.m.ptl);
  return s.m.ptl as number[];
}
export function wLocks(s: Scratch): number[] {
  if ((s.owned & (1 << F_LOCKS)) === 0) s.m.locks = own(s, F_LOCKS, s.m.locks);
  return s.m.locks as number[];
}
export function wVars(s: Scratch): U64[] {
  if ((s.owned & (1 << F_VARS)) === 0) s.m.vars = own(s, F_VARS, s.m.vars);
  return s.m.vars as U64[];
}
export function wSubOpen(s: Scratch): number[] {
  if ((s.owned & (1 << F_SUBOPEN)) === 0) s.m.subOpen = own(s, F_SUBOPEN, s.m.subOpen);
  return s.m.subOpen as number[];
}
export function wSubSeq(s: Scratch): number[] {
  if ((s.owned & (1 << F_SUBSEQ)) === 0) s.m.subSeq = own(s, F_SUBSEQ, s.m.subSeq);
  return s.m.subSeq as number[];
}

export function wSrcu(s: Scratch): number[] {
  if ((s.owned & (1 << F_SRCU)) === 0) s.m.srcu = own(s, F_SRCU, s.m.srcu);
  return s.m.srcu as number[];
}

export function wStores(s: Scratch): U64[] {
  if ((s.owned & (1 << F_STORES)) === 0) s.m.stores = own(s, F_STORES, s.m.stores);
  return s.m.stores as U64[];
}
export function wTlb(s: Scratch, t: number): number[] {
  if (s.ownedTlb[t] !== 1) {
    while (s.spareTlb.length <= t) s.spareTlb.push([]);
    const d = s.spareTlb[t]!;
    copyInto(d, s.m.tlb[t]!);
    s.m.tlb[t] = d;
    s.ownedTlb[t] = 1;
  }
  return s.m.tlb[t] as number[];
}
