// Named constants: `#define NAME EXPR` and `enum { … };` in a test and in the prelude.

import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/verdict.js';
import { parseLitmus, parsePrelude } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { compile } from '../../src/semantics/compile.js';
import type { Prelude } from '../../src/semantics/context.js';
import { loadTestPrelude } from '../support/prelude.js';

const shipped = loadTestPrelude();

/** The shipped prelude plus one more file. */
function withPrelude(text: string): Prelude {
  const r = parsePrelude(sourceFile('prelude/extra.litmus', text));
  expect(r.diagnostics.map((d) => d.message)).toEqual([]);
  return {
    routines: [...shipped.routines, ...r.ast.routines],
    secondaries: shipped.secondaries,
    constants: [...(shipped.constants ?? []), ...r.ast.constants],
  };
}

function compileText(text: string, prelude: Prelude = shipped) {
  const parsed = parseLitmus(sourceFile('c.litmus', text));
  expect(parsed.diagnostics.map((d) => d.message)).toEqual([]);
  return compile(parsed.ast!, prelude);
}

function codes(text: string, prelude: Prelude = shipped): string[] {
  return compileText(text, prelude).diagnostics.map((d) => d.code);
}

function observation(text: string, prelude: Prelude = shipped): string | undefined {
  const c = compileText(text, prelude);
  expect(c.diagnostics.map((d) => d.message)).toEqual([]);
  return check(c.program!).observation;
}

describe('named constants', () => {
  test('enum members count on from the previous one, as in C', () => {
    const text = `MMU c
#define BASE 0x200000
enum ttu_flags { TTU_A = 1, TTU_B, TTU_C = TTU_B << 2, TTU_D };
{
  vma v = [BASE, BASE + PMD_SIZE) anon rw;
  global x = TTU_D | LATE;
}
#define LATE (TTU_A << 4)
enum { ZERO, ONE, };
kernel K0 {
  r0 = x & TTU_C;
  r1 = TTU_B + ONE + ZERO;
  r2 = v.start == BASE;
}
exists (K0:r0 = 8 /\\ K0:r1 = 3 /\\ K0:r2 = 1 /\\ x = 25)
`;
    expect(observation(text)).toBe('Always');
  });

  test('prelude constants are seen everywhere; a test constant only in the test', () => {
    const prelude = withPrelude(`#define FLAG_X 4
routine flagged(flags) {
  return (flags & FLAG_X) != 0;
}
`);
    expect(
      observation(
        `MMU c
#define MINE (FLAG_X | 1)
{
  global x = 0;
}
routine local() {
  return MINE;
}
kernel K0 {
  r0 = flagged(MINE);
  r1 = local();
}
exists (K0:r0 = 1 /\\ K0:r1 = 5)
`,
        prelude,
      ),
    ).toBe('Always');
    const hidden = withPrelude('routine peek() {\n  return MINE;\n}\n');
    expect(codes('MMU c\n#define MINE 1\n{}\nkernel K0 {\n  r0 = peek();\n}\n', hidden)).toEqual(['ML2001']);
  });

  test('a constant is defined once: the same value again is allowed, another is an error', () => {
    const t = (decls: string) => `MMU c\n${decls}\n{\n  global x = 0;\n}\nkernel K0 {\n  x = 1;\n}\n`;
    expect(codes(t('#define A 1\nenum { B, A };'))).toEqual([]);
    expect(codes(t('#define PAGE_SIZE 0x1000'))).toEqual([]);
    expect(codes(t('#define A 1\nenum { A = 2 };'))).toEqual(['ML2044']);
    expect(codes(t('enum { PMD_SHIFT = 22 };'))).toEqual(['ML2044']);
    expect(codes(t('#define B A'))).toEqual(['ML2001']);
    expect(codes(t('#define B C\n#define C 1'))).toEqual(['ML2001']);
    expect(codes(t('#define B x'))).toEqual(['ML2045']);
    expect(codes(t('#define B min(1, 2)'))).toEqual(['ML2045']);
    expect(codes(t('#define B (1 / 0)\n#define C (B + 1)'))).toEqual(['ML2045']);
    expect(codes(t('enum { A = 1 % 0, B, C };'))).toEqual(['ML2045']);
    // A test may not reuse a prelude constant's name with another value either.
    const prelude = withPrelude('#define FLAG_X 4\n');
    expect(codes(t('#define FLAG_X 4'), prelude)).toEqual([]);
    expect(codes(t('#define FLAG_X 8'), prelude)).toEqual(['ML2044']);
  });

  test('a final condition compares with constants', () => {
    const text = (cond: string) =>
      `MMU c\nenum { IDLE, BUSY = 0x10000 };\n{\n  global x = 0;\n}\nkernel K0 {\n  x = BUSY;\n  r0 = IDLE;\n}\n${cond}\n`;
    expect(observation(text('exists (x = BUSY /\\ K0:r0 = IDLE)'))).toBe('Always');
    expect(observation(text('exists (x = IDLE)'))).toBe('Never');
    expect(codes(text('exists (x = NOT_A_CONSTANT)'))).toEqual(['ML2001']);
  });

  test('names: no clash with the initial state, no assignment', () => {
    expect(codes('MMU c\n#define p 1\n{\n  frame p = 1;\n}\nkernel K0 {}\n')).toEqual(['ML2008']);
    expect(codes('MMU c\nenum { A };\n{}\nkernel K0 {\n  A = 1;\n}\n')).toEqual(['ML2007']);
    expect(codes('MMU c\nenum { A };\n{}\nroutine f() {\n  A = 1;\n}\nkernel K0 {\n  f();\n}\n')).toEqual(['ML2007']);
    const prelude = withPrelude('#define FLAG_X 4\n');
    expect(codes('MMU c\n{\n  global FLAG_X = 0;\n}\nkernel K0 {}\n', prelude)).toEqual(['ML2008']);
  });
});
