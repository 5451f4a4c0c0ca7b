// The fingerprint table: dense ids in insertion order, one id per fingerprint across growth,
// parent links and label paths, and a model-based check against a Map.

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { StateStore } from '../../src/explore/stateStore.js';

describe('StateStore', () => {
  it('hands out dense ids and rejects duplicates, including the all-zero fingerprint', () => {
    const s = new StateStore();
    expect(s.insert(0, 0, -1, 0)).toBe(0);
    expect(s.insert(0, 1, 0, 0)).toBe(1);
    expect(s.insert(1, 0, 0, 1)).toBe(2);
    expect(s.insert(0xffffffff, 0xffffffff, 1, 3)).toBe(3);
    expect(s.insert(0, 0, 2, 0)).toBe(-1);
    expect(s.insert(-1, -1, 2, 0)).toBe(-1); // int32 and uint32 halves are the same fingerprint
    expect(s.size).toBe(4);
    expect(s.find(1, 0)).toBe(2);
    expect(s.find(0xffffffff, -1)).toBe(3);
    expect(s.find(2, 2)).toBe(-1);
    expect(s.parentOf(3)).toBe(1);
    expect(s.actionOf(3)).toBe(3);
    expect(s.labels(0)).toEqual([]);
    expect(s.labels(3)).toEqual([0, 3]);
  });

  it('keeps every id through many doublings', () => {
    const s = new StateStore(1);
    const m = 100_000;
    const hi = (j: number) => Math.imul(j, 0x9e3779b1);
    const lo = (j: number) => Math.imul(j + 1, 0x85ebca77);
    // Two fingerprints per low half, so that probing has to compare the high halves too. Counted
    // rather than asserted one by one: 600k expect calls would dominate the suite's time.
    let wrong = 0;
    for (let j = 0; j < m; j++) {
      if (s.insert(hi(j), lo(j), j - 1, j % 7) !== 2 * j) wrong++;
      if (s.insert(hi(j) ^ 1, lo(j), 0, 0) !== 2 * j + 1) wrong++;
      if (s.insert(hi(j), lo(j), 0, 0) !== -1) wrong++;
    }
    expect(wrong).toBe(0);
    expect(s.size).toBe(2 * m);
    for (let j = 0; j < m; j++) {
      if (s.find(hi(j), lo(j)) !== 2 * j) wrong++;
      if (s.find(hi(j) ^ 1, lo(j)) !== 2 * j + 1) wrong++;
      if (s.insert(hi(j) ^ 1, lo(j), 0, 0) !== -1) wrong++;
    }
    expect(wrong).toBe(0);
    expect(s.size).toBe(2 * m);
    expect(s.parentOf(10)).toBe(4);
    expect(s.actionOf(10)).toBe(5);
    expect(s.bytesPerState()).toBeGreaterThan(6);
    expect(s.bytesPerState()).toBeLessThan(48);
  });

  it('refuses a transition label that does not fit, leaving the store unchanged', () => {
    const s = new StateStore();
    s.insert(1, 1, -1, 0);
    expect(() => s.insert(2, 2, 0, 65536)).toThrow(RangeError);
    expect(s.size).toBe(1);
    expect(s.find(2, 2)).toBe(-1);
    expect(s.insert(2, 2, 0, 65535)).toBe(1);
    expect(s.actionOf(1)).toBe(65535);
  });

  const op = fc.record({ hi: fc.integer({ min: 0, max: 5 }), lo: fc.integer({ min: -3, max: 40 }) });
  test.prop([fc.array(op, { maxLength: 300 })], { numRuns: 100 })(
    'behaves like a Map from fingerprint to id',
    (ops) => {
      const s = new StateStore(1);
      const model = new Map<string, number>();
      for (const [i, { hi, lo }] of ops.entries()) {
        const key = `${hi}:${lo >>> 0}`;
        const expected = model.has(key) ? -1 : model.size;
        if (expected >= 0) model.set(key, expected);
        expect(s.insert(hi, lo, expected - 1, i)).toBe(expected);
        expect(s.size).toBe(model.size);
      }
      for (const [key, id] of model) {
        const [hi, lo] = key.split(':').map(Number) as [number, number];
        expect(s.find(hi, lo)).toBe(id);
        expect(s.parentOf(id)).toBe(id - 1);
      }
    },
  );
});
