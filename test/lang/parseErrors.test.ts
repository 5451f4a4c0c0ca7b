import { describe, expect, test } from 'vitest';
import { printStmt } from '../../src/lang/printer.js';
import { codes, parse, wrapThread } from './fixtures.js';

/** The codes of the diagnostics with the 1-based line of each. */
function where(text: string): string[] {
  const lines = (offset: number) => text.slice(0, offset).split('\n').length;
  return parse(text).diagnostics.map((d) => `${lines(d.span.start)}:${d.code}`);
}

describe('error recovery', () => {
  test('reports every error of a file with many', () => {
    const text = `MMU multi
{
  vma v = [0x200000, 0x400000) anon;
  frame p = 1 dirty;
  lock l : semaphore;
}
kernel K0 {
  r0 = ;
  put_page(p)
  if (r0) r1 = 2;
  x + 1;
}
device D0 {
  r0 = load(0x200000);
}
exists (D0:r0 = )
expect sometime;
`;
    expect(where(text)).toEqual([
      '3:ML1022',
      '4:ML1021',
      '5:ML1023',
      '8:ML1050',
      '9:ML1012',
      '10:ML1041',
      '11:ML1043',
      '13:ML1012',
      '16:ML1061',
      '17:ML1070',
    ]);
  });

  test('every message is one sentence', () => {
    const text = 'MMU x\n{ vma v = [0, 1) rw; bogus; }\nkernel K0 { if x { } r0 = 1 r1 = 2; }\nexists (@)\n';
    for (const d of parse(text).diagnostics) {
      expect(d.message).toMatch(/^[A-Z'].*\.$/);
      expect(d.message.slice(0, -1)).not.toMatch(/\.\s/);
    }
  });

  test('a missing semicolon at the end of a line is assumed', () => {
    const r = parse(wrapThread('  a()\n  b();\n  c = 1'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['ML1012', 'ML1012']);
    expect(r.ast?.threads[0]?.body.stmts.map((s) => printStmt(s))).toEqual(['a();', 'b();', 'c = 1;']);
  });

  test('a broken statement is skipped up to its semicolon', () => {
    const r = parse(wrapThread('a(; b(); c = = 2; d();'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['ML1050', 'ML1050']);
    expect(r.ast?.threads[0]?.body.stmts.map((s) => printStmt(s))).toEqual(['b();', 'd();']);
  });

  test('a broken if is skipped with its body', () => {
    const r = parse(wrapThread('if x { a(); } else { b(); }\nc();'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['ML1012']);
    expect(r.ast?.threads[0]?.body.stmts.map((s) => printStmt(s))).toEqual(['c();']);
  });

  test('a braceless body is reported and kept', () => {
    const r = parse(wrapThread('while (x) x--;\nif (a) b(); else c();'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['ML1041', 'ML1041', 'ML1041']);
    expect(r.ast?.threads[0]?.body.stmts).toHaveLength(2);
  });

  test('an unclosed thread body stops at the next thread', () => {
    const r = parse('MMU t\n{}\nkernel K0 {\n  a();\n\ndevice D0 on s {\n  r0 = load(0);\n}\nexists (D0:r0 = 1)\n');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['ML1018']);
    expect(r.ast?.threads.map((t) => t.name)).toEqual(['K0', 'D0']);
    expect(r.ast?.condition).toBeDefined();
  });

  test('an unclosed initial state stops at the first thread', () => {
    const r = parse('MMU t\n{\n  ref p;\nkernel K0 { a(); }\n');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['ML1018']);
    expect(r.ast?.init).toHaveLength(1);
    expect(r.ast?.threads).toHaveLength(1);
  });

  test('unknown top-level text is skipped to the next keyword', () => {
    const r = parse('MMU t\n{}\nhello world;\nkernel K0 {}\n} }\nexists (x = 1)\n');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['ML1013', 'ML1013']);
    expect(r.ast?.threads).toHaveLength(1);
    expect(r.ast?.condition).toBeDefined();
  });

  test('an error in a condition does not hide the expectation after it', () => {
    expect(codes('MMU t\n{}\nkernel K0 {}\nexists (K0:r0 =)\nexpect never\n')).toEqual(['ML1061', 'ML1012']);
  });

  test('sections out of order and duplicated', () => {
    expect(codes('MMU t\n{}\nconfig { kernel = "v5.5"; }\nkernel K0 {}\n')).toEqual(['ML1016']);
    expect(codes('MMU t\n{}\nkernel K0 {}\nexists (x = 1)\nkernel K1 {}\n')).toEqual(['ML1016']);
    expect(codes('MMU t\n{}\n{}\nkernel K0 {}\n')).toEqual(['ML1017']);
    expect(codes('MMU t\n{}\nkernel K0 {}\nexists (x = 1)\nexists (x = 2)\n')).toEqual(['ML1017']);
  });

  test('a missing header, initial state or thread', () => {
    expect(codes('{}\nkernel K0 {}\n')).toEqual(['ML1010']);
    expect(codes('MMU\n{}\nkernel K0 {}\n')).toEqual(['ML1011']);
    expect(codes('MMU t\nkernel K0 {}\n')).toEqual(['ML1014']);
    expect(codes('MMU t\n{}\n')).toEqual(['ML1015']);
    expect(parse('').ast).toBeUndefined();
  });

  test('deep nesting is a diagnostic, not a stack overflow', () => {
    const deep = `${'('.repeat(5000)}1${')'.repeat(5000)}`;
    expect(codes(wrapThread(`r0 = ${deep};`))).toEqual(['ML1051']);
    expect(codes(wrapThread(`r0 = ${'- '.repeat(3000)}1;`))).toEqual(['ML1051']);
    expect(codes(wrapThread(`${'{'.repeat(3000)}${'}'.repeat(3000)}`))).toContain('ML1051');
    expect(codes(`MMU t\n{}\nkernel K0 {}\nexists ${'~('.repeat(3000)}`)).toEqual(['ML1051']);
  });
});
