// The canonical encoding of a Machine: decoding gives the machine back, equal machines encode to
// equal words (whether a thread's words are reused from the last decoded machine or written
// afresh), and machines that differ anywhere encode differently.

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { decodeMachine, encodeMachine } from '../../src/model/encoding.js';
import {
  cloneMachine,
  emptyMachine,
  insertPairAt,
  type Machine,
  mapSet,
  removeAt,
  type ThreadState,
} from '../../src/model/machine.js';
import { copyMachine, newScratch, wContent, wTlb } from '../../src/model/scratch.js';
import type { U64 } from '../../src/model/u64.js';

function words(m: Machine): number[] {
  const out: number[] = [];
  encodeMachine(m, { push: (w) => out.push(w) });
  return out;
}

function bulk(m: Machine): Int32Array {
  let out = new Int32Array(0);
  encodeMachine(m, {
    push: () => {
      throw new Error('bulk sink expected');
    },
    pushWords: (w, n) => {
      out = w.slice(0, n);
    },
  });
  return out;
}

/** The words written straight into a sink that offers `reserve` (as the explorer's buffers do). */
function direct(m: Machine, before = 3): number[] {
  let words = new Int32Array(before + 1);
  const sink = {
    length: before,
    push: () => {
      throw new Error('direct writing expected');
    },
    reserve(extra: number): Int32Array {
      if (this.length + extra > words.length) {
        const w = new Int32Array(this.length + extra);
        w.set(words);
        words = w;
      }
      return words;
    },
  };
  encodeMachine(m, sink);
  return Array.from(words.subarray(before, sink.length));
}

function thread(regs: U64[], pc = 1, gather: U64[] = []): ThreadState {
  return { pc, status: 0, regs, brackets: [], pending: [], weak: [], nonblock: 0, ubc: 0, gather, mmap: 0 };
}

function machine(regs: U64[][], content: U64[] = [0, 0, 0]): Machine {
  return {
    content,
    backing: [0, 0, 0],
    refcount: [1, 0, 1],
    mapcount: [1, 0, 0],
    fflags: [34, 1, 34],
    pt: [0x200000, 265],
    tlb: [[], [0x200000, 32]],
    ptl: [],
    locks: [0, 0x40000001],
    vars: [0, 2n ** 60n, 2 ** 40],
    subOpen: [0],
    subSeq: [1],
    srcu: [],
    stores: [0x200000, 2n ** 60n, 0x201000, 0],
    itreeSeq: 2,
    itreeActive: 0,
    batched: 0,
    tlbFlushPending: 0,
    mmapLock: 0,
    threads: regs.map((r, i) => thread(r, i + 1)),
    mask: 0,
    stuck: 0,
  };
}

const value = fc.oneof(
  fc.constant<U64>(0),
  fc.constant<U64>(0),
  fc.integer({ min: 1, max: 5 }),
  fc.constantFrom<U64>(0x7fffffff, 0x80000000, 0xffffffff, 2 ** 32, 2 ** 53 - 1, 2n ** 53n, 2n ** 64n - 1n),
);
const regs = fc.array(value, { maxLength: 40 });

describe('machine encoding', () => {
  it('writes runs of zeros as one word, across the fields of a thread', () => {
    // pc, then one run (status, five registers), 7, then one run (a register, the three lengths,
    // nonblock, ubc, the gather's length).
    const t = words(machine([[0, 0, 0, 0, 0, 7, 0]]));
    const one = words(machine([[7]]));
    expect(t.length).toBe(one.length);
    expect(words(machine([Array.from({ length: 40 }, () => 0)])).length).toBe(words(machine([[0]])).length);
  });

  it('writes the subscriptions list and SRCU only for a program that has them', () => {
    // An empty `srcu` (every test that never unregisters) adds no word; a program's fixed-length
    // one round-trips through its shape.
    const plain = machine([[7]]);
    const withSrcu = { ...plain, srcu: [1, 0, 0, 2, 0, 1] };
    const w = Int32Array.from(words(withSrcu));
    expect(decodeMachine(w, 0, withSrcu)).toEqual(withSrcu);
    expect(w.length).toBeGreaterThan(words(plain).length);
    expect(words({ ...plain, srcu: [] })).toEqual(words(plain));
  });

  it('grows its buffer for a large machine, midway through an encoding', () => {
    const big: U64[] = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? 2n ** 63n + BigInt(i) : i));
    const m = machine([[1, 0, 2], big, big.slice(0, 500)]);
    const w = Int32Array.from(words(m));
    expect(w.length).toBeGreaterThan(4000);
    expect(decodeMachine(w, 0, m)).toEqual(m);
    expect(Array.from(bulk(m))).toEqual(Array.from(w));
  });

  test.prop([fc.array(regs, { minLength: 1, maxLength: 3 }), fc.array(value, { minLength: 3, maxLength: 3 })])(
    'decodes to the same machine and the same words',
    (rs, content) => {
      const m = machine(rs, content);
      const w = Int32Array.from(words(m));
      const d = decodeMachine(w, 0, m);
      expect(d).toEqual(m);
      expect(words(d)).toEqual(Array.from(w));
      expect(Array.from(bulk(d))).toEqual(Array.from(w));
      expect(direct(d)).toEqual(Array.from(w));
      expect(direct(m)).toEqual(Array.from(w));
    },
  );

  test.prop([fc.array(regs, { minLength: 2, maxLength: 3 }), fc.nat(), regs])(
    'a successor encodes as if built afresh, its untouched threads reused from the decoded state',
    (rs, pick, changed) => {
      const d = decodeMachine(Int32Array.from(words(machine(rs))), 0, machine(rs));
      const t = pick % rs.length;
      const next = cloneMachine(d, t);
      next.threads[t]!.regs = changed;
      next.content[1] = 5;
      const fresh = machine(
        rs.map((r, i) => (i === t ? changed : r)),
        [0, 5, 0],
      );
      expect(words(next)).toEqual(words(fresh));
    },
  );

  test.prop([fc.array(value, { maxLength: 6 }), fc.nat({ max: 3 })])(
    "a thread's mmu_gather and the mm's tlb_flush_pending decode to themselves and tell states apart",
    (gather, pending) => {
      const m = machine([[1], [0]]);
      m.threads[1] = thread([0], 2, gather);
      m.tlbFlushPending = pending;
      const w = Int32Array.from(words(m));
      const d = decodeMachine(w, 0, machine([[1], [0]]));
      expect(d).toEqual(m);
      expect(direct(d)).toEqual(Array.from(w));
      const other = machine([[1], [0]]);
      other.threads[1] = thread([0], 2, [...gather, 1]);
      other.tlbFlushPending = pending;
      expect(words(other)).not.toEqual(Array.from(w));
      other.threads[1] = thread([0], 2, gather);
      other.tlbFlushPending = pending + 1;
      expect(words(other)).not.toEqual(Array.from(w));
    },
  );

  // Equal machines encode equally; machines of one program (same fixed lengths) that differ
  // anywhere encode differently.
  test.prop([regs, regs])('machines differing in a thread encode differently', (a, b0) => {
    const b = a.map((_, i) => b0[i] ?? 0);
    fc.pre(a.some((v, i) => v !== b[i]));
    const wa = words(machine([a, [0]]));
    decodeMachine(Int32Array.from(words(machine([b, [0]]))), 0, machine([b, [0]]));
    expect(words(machine([b, [0]]))).not.toEqual(wa);
  });
});

describe('reused storage', () => {
  const machines = fc.tuple(
    fc.array(regs, { minLength: 1, maxLength: 3 }),
    fc.array(value, { minLength: 3, maxLength: 3 }),
  );

  test.prop([fc.array(machines, { minLength: 1, maxLength: 4 }), fc.nat()])(
    'a copy into a scratch, reused from machine to machine, equals a clone and leaves its source alone',
    (ms, pick) => {
      const s = newScratch();
      for (const [rs, content] of ms) {
        const m = machine(rs, content);
        const before = words(m);
        const t = pick % rs.length;
        const c = copyMachine(s, m, t);
        expect(c).toEqual(cloneMachine(m, t));
        expect(c.threads[t]).not.toBe(m.threads[t]);
        // Writing the copy, its own thread included, changes nothing of the source.
        c.threads[t]!.regs.push(9);
        c.threads[t]!.pc++;
        wContent(s)[0] = 7;
        wTlb(s, 1).length = 0;
        expect(c.content[0]).toBe(7);
        expect(c.tlb[1]).toEqual([]);
        expect(words(m)).toEqual(before);
      }
    },
  );

  test.prop([
    fc.array(fc.tuple(fc.nat(), fc.array(value, { minLength: 3, maxLength: 3 })), { minLength: 2, maxLength: 6 }),
  ])('decoding one state after another of one program into the same machine skips nothing it should not', (changes) => {
    // One shape; each state changes one thread's registers and the content of the last.
    const shape = machine([[0, 0], [0], [0, 0, 0]]);
    const into = emptyMachine();
    let rs = shape.threads.map((t) => t.regs.slice());
    for (const [pick, content] of changes) {
      const t = pick % rs.length;
      rs = rs.map((r, i) => (i === t ? r.map((v, j) => (j === pick % r.length ? content[0]! : v)) : r));
      const m = machine(rs, pick % 2 === 0 ? content : [0, 0, 0]);
      const d = decodeMachine(Int32Array.from(words(m)), 0, shape, into);
      expect(d).toEqual(m);
      expect(words(d)).toEqual(words(m));
    }
  });

  test.prop([fc.array(machines, { minLength: 1, maxLength: 4 })])(
    'decoding into a machine decoded before gives the machine a fresh decode gives',
    (ms) => {
      const into = emptyMachine();
      for (const [rs, content] of ms) {
        const m = machine(rs, content);
        const w = Int32Array.from(words(m));
        const d = decodeMachine(w, 0, m, into);
        expect(d).toBe(into);
        expect(d).toEqual(m);
        expect(words(d)).toEqual(Array.from(w));
      }
    },
  );

  test.prop([
    fc.array(fc.tuple(fc.nat(), fc.array(value, { minLength: 3, maxLength: 3 })), { minLength: 1, maxLength: 6 }),
  ])(
    'decoding in place (stable words, as the explorer does) gives what decoding a copy gives, successors included',
    (changes) => {
      // The states one after another in one array, as in a frontier; after each decoding a
      // successor is built copy-on-write (sharing all but one thread and the frames) and encoded,
      // which reads the unchanged segments from the decoded words.
      const shape = machine([[0, 0], [0], [0, 0, 0]]);
      let rs = shape.threads.map((t) => t.regs.slice());
      const states: Machine[] = [];
      for (const [pick, content] of changes) {
        const t = pick % rs.length;
        rs = rs.map((r, i) => (i === t ? r.map((v, j) => (j === pick % r.length ? content[0]! : v)) : r));
        states.push(machine(rs, pick % 2 === 0 ? content : [0, 0, 0]));
      }
      const frontier: number[] = [];
      const at: number[] = [];
      for (const m of states) {
        at.push(frontier.length);
        frontier.push(...words(m));
      }
      const w = Int32Array.from(frontier);
      const into = emptyMachine();
      const s = newScratch();
      states.forEach((m, i) => {
        const d = decodeMachine(w, at[i]!, shape, into, true);
        expect(d).toEqual(m);
        const c = copyMachine(s, d, 0);
        c.threads[0]!.pc++;
        wContent(s)[1] = 3;
        const expected = cloneMachine(m, 0);
        expected.threads[0]!.pc++;
        expected.content[1] = 3;
        expect(direct(c)).toEqual(words(expected));
      });
      expect(Array.from(w)).toEqual(frontier);
    },
  );

  test.prop([fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 3 })), { maxLength: 30 })])(
    'mapSet, insertPairAt and removeAt keep a sorted map as a reference Map does',
    (ops) => {
      const a: number[] = [];
      const ref = new Map<number, number>();
      for (const [k, v] of ops) {
        mapSet(a, k, v, 0);
        if (v === 0) ref.delete(k);
        else ref.set(k, v);
      }
      expect(a).toEqual([...ref.entries()].sort((x, y) => x[0] - y[0]).flat());
      const b = [1, 2, 3, 4, 5];
      insertPairAt(b, 2, 8, 9);
      expect(b).toEqual([1, 2, 8, 9, 3, 4, 5]);
      removeAt(b, 1, 3);
      expect(b).toEqual([1, 3, 4, 5]);
    },
  );
});
