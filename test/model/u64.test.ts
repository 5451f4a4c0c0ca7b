// Unsigned 64-bit arithmetic: C wraparound, canonical number/bigint forms.

import { fc, test as prop } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import * as u from '../../src/model/u64.js';

const M = (1n << 64n) - 1n;
const big = (v: u.U64) => u.toBig(v);

function check(name: string, got: u.U64, want: bigint) {
  test(name, () => {
    expect(big(got)).toBe(want & M);
    // Canonical: a number exactly when below 2^53.
    expect(typeof got).toBe((want & M) < 2n ** 53n ? 'number' : 'bigint');
  });
}

describe('u64', () => {
  check('ULONG_MAX + 1 wraps to 0', u.add(u.ULONG_MAX, 1), 0n);
  check('0 - 1 is ULONG_MAX', u.sub(0, 1), M);
  check('-1 is ULONG_MAX', u.neg(1), M);
  check('ALIGN of an end near ULONG_MAX overflows to 0 as in C', u.alignUp(u.sub(u.ULONG_MAX, 0x10), 0x1000), 0n);
  check('ALIGN_DOWN', u.alignDown(0x201234, 0x1000), 0x201000n);
  check('PMD_MASK arithmetic', u.add(u.and(0x201000, u.not(0x1fffff)), 0x200000), 0x400000n);
  check('shift count is taken modulo 64', u.shl(1, 65), 2n);
  check('large shift right', u.shr(u.ULONG_MAX, 60), 15n);
  check('multiplication wraps', u.mul(u.ULONG_MAX, 2), M - 1n);
  check('division of big values', u.div(u.ULONG_MAX, 2), M / 2n);
  check('xor above 32 bits', u.xor(2 ** 40, 1), 2n ** 40n + 1n);
  test('numbers compare below bigints', () => {
    expect(u.lt(2 ** 53 - 1, u.ULONG_MAX)).toBe(true);
    expect(u.min(u.ULONG_MAX, 5)).toBe(5);
  });
  test('words round-trip', () => {
    for (const v of [0, 1, 0xffffffff, 2 ** 40 + 3, u.ULONG_MAX, u.fromBig(2n ** 60n + 7n)]) {
      expect(u.fromWords(u.hiWord(v), u.loWord(v))).toBe(v);
    }
  });
});

const arb = fc.bigInt({ min: 0n, max: M }).map(u.fromBig);
const ops: [string, (a: u.U64, b: u.U64) => u.U64, (a: bigint, b: bigint) => bigint][] = [
  ['add', u.add, (a, b) => a + b],
  ['sub', u.sub, (a, b) => a - b],
  ['mul', u.mul, (a, b) => a * b],
  ['and', u.and, (a, b) => a & b],
  ['or', u.or, (a, b) => a | b],
  ['xor', u.xor, (a, b) => a ^ b],
];
describe('u64 agrees with bigint arithmetic modulo 2^64', () => {
  for (const [name, f, g] of ops) {
    prop.prop([arb, arb])(name, (a, b) => {
      const r = f(a, b);
      expect(big(r)).toBe(g(big(a), big(b)) & M);
      expect(typeof r === 'number').toBe(big(r) < 2n ** 53n);
    });
  }
});
