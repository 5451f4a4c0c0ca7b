// Unsigned 64-bit integers with C wraparound, fast in the common case.
//
// A value is a JS number when it is below 2^53 and a bigint otherwise; every operation returns
// this canonical form, so `===` is equality and a number is always smaller than a bigint. Values
// that fit in 32 bits (addresses below 4 GiB, counters, frame ids) never leave the number path.

export type U64 = number | bigint;

const TWO53 = 2 ** 53;
const MASK64 = (1n << 64n) - 1n;
const TWO32 = 2 ** 32;

/** The canonical form of a bigint taken modulo 2^64. */
export function fromBig(b: bigint): U64 {
  const m = b & MASK64;
  return m < 9007199254740992n ? Number(m) : m;
}

export function toBig(v: U64): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

export const ULONG_MAX: U64 = MASK64;

export function add(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    if (s < TWO53) return s;
  }
  return fromBig(toBig(a) + toBig(b));
}

export function sub(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number' && a >= b) return a - b;
  return fromBig(toBig(a) - toBig(b));
}

export function mul(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number') {
    const p = a * b;
    if (p < TWO53) return p;
  }
  return fromBig(toBig(a) * toBig(b));
}

/** Division; the caller reports division by zero. */
export function div(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number') return Math.floor(a / b);
  return fromBig(toBig(a) / toBig(b));
}

export function mod(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number') return a % b;
  return fromBig(toBig(a) % toBig(b));
}

export function and(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number' && a < TWO32 && b < TWO32) return (a & b) >>> 0;
  return fromBig(toBig(a) & toBig(b));
}

export function or(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number' && a < TWO32 && b < TWO32) return (a | b) >>> 0;
  return fromBig(toBig(a) | toBig(b));
}

export function xor(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number' && a < TWO32 && b < TWO32) return (a ^ b) >>> 0;
  return fromBig(toBig(a) ^ toBig(b));
}

/** `a << b`; as on x86-64 the shift count is taken modulo 64. */
export function shl(a: U64, b: U64): U64 {
  const n = Number(toBig(b) & 63n);
  return fromBig(toBig(a) << BigInt(n));
}

export function shr(a: U64, b: U64): U64 {
  const n = Number(toBig(b) & 63n);
  if (typeof a === 'number' && a < TWO32) return n >= 32 ? 0 : a >>> n;
  return fromBig(toBig(a) >> BigInt(n));
}

export function not(a: U64): U64 {
  return fromBig(~toBig(a));
}

export function neg(a: U64): U64 {
  if (a === 0) return 0;
  return fromBig(-toBig(a));
}

export function lt(a: U64, b: U64): boolean {
  return a < b;
}

export function truthy(a: U64): boolean {
  return a !== 0;
}

export function bool(b: boolean): U64 {
  return b ? 1 : 0;
}

export function min(a: U64, b: U64): U64 {
  return a < b ? a : b;
}

export function max(a: U64, b: U64): U64 {
  return a < b ? b : a;
}

/** `ALIGN(x, a)` as in include/linux/align.h: `(x + a - 1) & ~(a - 1)`, wrapping like C. */
export function alignUp(x: U64, a: U64): U64 {
  const m = sub(a, 1);
  return and(add(x, m), not(m));
}

export function alignDown(x: U64, a: U64): U64 {
  return and(x, not(sub(a, 1)));
}

/** Hex with a 0x prefix, as kernel developers write addresses. */
export function hex(v: U64): string {
  return `0x${v.toString(16)}`;
}

/** Splits into two 32-bit words (high, low) for the state encoding. */
export function hiWord(v: U64): number {
  return typeof v === 'number' ? Math.floor(v / TWO32) | 0 : Number((v >> 32n) & 0xffffffffn) | 0;
}

export function loWord(v: U64): number {
  return typeof v === 'number' ? (v % TWO32) | 0 : Number(v & 0xffffffffn) | 0;
}

export function fromWords(hi: number, lo: number): U64 {
  const h = hi >>> 0;
  const l = lo >>> 0;
  if (h < 0x200000) return h * TWO32 + l;
  return (BigInt(h) << 32n) | BigInt(l);
}
