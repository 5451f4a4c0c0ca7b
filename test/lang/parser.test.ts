import { describe, expect, test } from 'vitest';
import type { Cond, Expr, LitmusFile } from '../../src/lang/ast.js';
import { parseExpression, parsePrelude } from '../../src/lang/parser.js';
import { printCond, printConst, printInit, printLocation, printStmt } from '../../src/lang/printer.js';
import { sourceFile } from '../../src/lang/source.js';
import { DESIGN_EXAMPLE, parse, wrapThread } from './fixtures.js';

/** Every compound expression in parentheses, so the tree shape is visible. */
function full(e: Expr): string {
  switch (e.kind) {
    case 'num':
      return e.value.toString();
    case 'name':
      return e.name;
    case 'unary':
      return `(${e.op}${full(e.arg)})`;
    case 'binary':
      return `(${full(e.left)} ${e.op} ${full(e.right)})`;
    case 'cond':
      return `(${full(e.test)} ? ${full(e.then)} : ${full(e.else)})`;
    case 'call':
      return `${e.callee}${e.variant === undefined ? '' : `@${e.variant}`}(${e.args.map(full).join(', ')})`;
    case 'field':
      return `${full(e.target)}.${e.field}`;
  }
}

function fullCond(c: Cond): string {
  switch (c.kind) {
    case 'and':
      return `(${fullCond(c.left)} /\\ ${fullCond(c.right)})`;
    case 'or':
      return `(${fullCond(c.left)} \\/ ${fullCond(c.right)})`;
    case 'implies':
      return `(${fullCond(c.left)} => ${fullCond(c.right)})`;
    case 'not':
      return `~${fullCond(c.arg)}`;
    default:
      return printCond(c);
  }
}

/** Parses a valid test and returns its tree. */
function ok(text: string): LitmusFile {
  const r = parse(text);
  expect(r.diagnostics.map((d) => d.message)).toEqual([]);
  if (r.ast === undefined) throw new Error('no tree');
  return r.ast;
}

function checkExpr(input: string, expected: string): void {
  const r = parseExpression(sourceFile('e', input));
  expect(r.diagnostics.map((d) => d.message)).toEqual([]);
  expect(r.ast && full(r.ast)).toBe(expected);
}

/** Statements of a thread body, printed back canonically. */
function checkStmts(input: string, expected: string): void {
  const body = ok(wrapThread(input)).threads[0]?.body.stmts ?? [];
  expect(body.map((s) => printStmt(s)).join('\n')).toBe(expected);
}

function checkInit(input: string, expected: string): void {
  const init = ok(`MMU t\n{\n  ${input}\n}\nkernel K0 {}\n`).init;
  expect(init.map(printInit).join('\n')).toBe(expected);
}

function checkCond(input: string, expected: string): void {
  const c = ok(`MMU t\n{}\nkernel K0 {}\nexists ${input}\n`).condition;
  expect(c && fullCond(c.cond)).toBe(expected);
}

function checkExpect(input: string, expected: unknown): void {
  const e = ok(`MMU t\n{}\nkernel K0 {}\nexpect ${input}\n`).expect;
  expect(e?.map((i) => (i.kind === 'violates' ? ['violates', ...i.props.map((p) => p.name)] : i.kind))).toEqual(
    expected,
  );
}

function checkConfig(input: string, expected: [string, string | bigint][]): void {
  const c = ok(`MMU t\nconfig { ${input} }\n{}\nkernel K0 {}\n`).config;
  expect(c.map((i) => [i.key, i.value])).toEqual(expected);
}

describe('expressions', () => {
  test('C precedence and associativity', () => {
    checkExpr('a + b * c', '(a + (b * c))');
    checkExpr('a - b - c', '((a - b) - c)');
    checkExpr('a / b % c', '((a / b) % c)');
    checkExpr('a << 1 + 2', '(a << (1 + 2))');
    checkExpr('a < b == c > d', '((a < b) == (c > d))');
    checkExpr('a & b ^ c | d', '(((a & b) ^ c) | d)');
    checkExpr('a | b && c || d', '(((a | b) && c) || d)');
    checkExpr('a == b & c', '((a == b) & c)');
    checkExpr('a || b ? c : d', '((a || b) ? c : d)');
    checkExpr('a ? b : c ? d : e', '(a ? b : (c ? d : e))');
    checkExpr('a ? b ? c : d : e', '(a ? (b ? c : d) : e)');
  });

  test('unary operators bind tighter than binary ones', () => {
    checkExpr('-1', '(-1)');
    checkExpr('-a * b', '((-a) * b)');
    checkExpr('~a & b', '((~a) & b)');
    checkExpr('!a && !b', '((!a) && (!b))');
    checkExpr('- -a', '(-(-a))');
    checkExpr('-EAGAIN', '(-EAGAIN)');
  });

  test('postfix: calls, variants and fields', () => {
    checkExpr('min(v.end, (start & PMD_MASK) + PMD_SIZE)', 'min(v.end, ((start & PMD_MASK) + PMD_SIZE))');
    checkExpr('f()', 'f()');
    checkExpr('try_to_unmap_one@v4.12(p, v, a)', 'try_to_unmap_one@v4.12(p, v, a)');
    checkExpr('m.pte.x', 'm.pte.x');
    checkExpr('-m.address', '(-m.address)');
    checkExpr('(a + b).x', '(a + b).x');
  });

  test('parentheses and literals', () => {
    checkExpr('(a + b) * c', '((a + b) * c)');
    checkExpr('0x1000', '4096');
    checkExpr('0xffff_ffff_ffff_ffff', '18446744073709551615');
  });
});

describe('statements', () => {
  test('assignments', () => {
    checkStmts('x = 1;', 'x = 1;');
    checkStmts('x += 1; x -= y; x *= 2; x /= 2; x %= 3;', 'x += 1;\nx -= y;\nx *= 2;\nx /= 2;\nx %= 3;');
    checkStmts('x &= 1; x |= 1; x ^= 1; x <<= 1; x >>= 1;', 'x &= 1;\nx |= 1;\nx ^= 1;\nx <<= 1;\nx >>= 1;');
    checkStmts('x++; x--;', 'x += 1;\nx -= 1;');
    checkStmts('e = ptep_clear_flush(0x200000);', 'e = ptep_clear_flush(0x200000);');
  });

  test('x++ is an assignment with op + and value 1', () => {
    const s = ok(wrapThread('x++;')).threads[0]?.body.stmts[0];
    expect(s).toMatchObject({ kind: 'assign', target: 'x', op: '+', value: { kind: 'num', value: 1n } });
  });

  test('calls', () => {
    checkStmts('put_page(p);', 'put_page(p);');
    checkStmts('try_to_unmap_one@seed(p, v, a);', 'try_to_unmap_one@seed(p, v, a);');
  });

  test('control flow', () => {
    checkStmts('if (a) { b(); }', 'if (a) {\n  b();\n}');
    checkStmts('if (a) { b(); } else { c(); }', 'if (a) {\n  b();\n} else {\n  c();\n}');
    checkStmts('if (a) { b(); } else if (c) { d(); } else {}', 'if (a) {\n  b();\n} else if (c) {\n  d();\n} else {}');
    checkStmts(
      'while (i < 3) { i++; if (i == 2) { break; } continue; }',
      'while (i < 3) {\n  i += 1;\n  if (i == 2) {\n    break;\n  }\n  continue;\n}',
    );
    checkStmts('return; return -EAGAIN;', 'return;\nreturn -EAGAIN;');
  });

  test('choose, await, assert, atomic, blocks', () => {
    checkStmts('choose { a(); } or { b(); }', 'choose {\n  a();\n} or {\n  b();\n}');
    checkStmts('choose { a(); } or {} or { c(); }', 'choose {\n  a();\n} or {} or {\n  c();\n}');
    checkStmts('await (x == 1);', 'await (x == 1);');
    checkStmts('assert (x != 0);', 'assert (x != 0);');
    checkStmts('atomic { x = 1; y = 2; }', 'atomic {\n  x = 1;\n  y = 2;\n}');
    checkStmts('{ x = 1; }', '{\n  x = 1;\n}');
  });

  test('foreach', () => {
    checkStmts(
      'foreach m in page_vma_mapped_walk(p, v, a) { e = ptep_get(m.address); }',
      'foreach m in page_vma_mapped_walk(p, v, a) {\n  e = ptep_get(m.address);\n}',
    );
  });

  test('goto and labels', () => {
    checkStmts('if (a) { goto out; } b(); out: return r;', 'if (a) {\n  goto out;\n}\nb();\nout:\nreturn r;');
    // C's `out: ;` and a label before a closing brace are a label alone.
    checkStmts('if (a) { goto out; } b(); out: ;', 'if (a) {\n  goto out;\n}\nb();\nout:');
    checkStmts('{ goto done; done: }', '{\n  goto done;\ndone:\n}');
    const [g, l] = ok(wrapThread('goto discard;\ndiscard:\n  x = 1;')).threads[0]!.body.stmts;
    expect(g).toMatchObject({ kind: 'goto', label: 'discard' });
    expect(l).toMatchObject({ kind: 'label', name: 'discard' });
    // `goto` is a keyword, not a name.
    expect(parse(wrapThread('x = goto;')).diagnostics.map((d) => d.code)).toEqual(['ML1050']);
    expect(parse(wrapThread('goto;')).diagnostics.map((d) => d.code)).toEqual(['ML1012']);
  });

  test('else if is an else block holding one if', () => {
    const s = ok(wrapThread('if (a) {} else if (b) {}')).threads[0]?.body.stmts[0];
    expect(s).toMatchObject({ kind: 'if', else: { stmts: [{ kind: 'if' }] } });
  });
});

describe('initial state', () => {
  test('vma', () => {
    checkInit('vma v = [0x200000, 0x400000) anon rw;', 'vma v = [0x200000, 0x400000) anon rw;');
    checkInit('vma v = [0, PMD_SIZE) file hugetlb shared ro;', 'vma v = [0, PMD_SIZE) file shared hugetlb ro;');
  });

  test('frame', () => {
    checkInit('frame p = 1;', 'frame p = 1;');
    checkInit('frame f = 5 file;', 'frame f = 5 file;');
    checkInit('frame t = 1 thp;', 'frame t = 1 thp;');
    checkInit('frame n free;', 'frame n free;');
  });

  test('pte and pmd entries', () => {
    checkInit('pte 0x200000 = p rw dirty young;', 'pte 0x200000 = p rw dirty young;');
    checkInit('pte 0x200000 + PAGE_SIZE = q ro soft_dirty;', 'pte 0x200000 + PAGE_SIZE = q ro soft_dirty;');
    checkInit('pte 0x201000 = swap(p);', 'pte 0x201000 = swap(p);');
    checkInit('pte 0x201000 = migration(p, rw);', 'pte 0x201000 = migration(p, rw);');
    checkInit('pte 0x201000 = migration(p, ro);', 'pte 0x201000 = migration(p, ro);');
    checkInit('pte 0x201000 = hwpoison(p);', 'pte 0x201000 = hwpoison(p);');
    checkInit('pte 0x201000 = none;', 'pte 0x201000 = none;');
    checkInit('pmd 0x200000 = t rw;', 'pmd 0x200000 = t rw;');
  });

  test('references, flags, secondaries, TLBs, globals, locks', () => {
    checkInit('ref p;', 'ref p;');
    checkInit('flag p locked;', 'flag p locked;');
    checkInit('secondary iommu : ats;', 'secondary iommu : ats;');
    checkInit('secondary k : kvm@v4.12;', 'secondary k : kvm@v4.12;');
    checkInit('tlb iommu 0x200000 = p rw;', 'tlb iommu 0x200000 = p rw;');
    checkInit('tlb C0 0x200000 = p rw dirty;', 'tlb C0 0x200000 = p rw dirty;');
    checkInit('tlb s 0x200000 = p;', 'tlb s 0x200000 = p ro;');
    checkInit('global x = 0;', 'global x = 0;');
    checkInit(
      'lock l : spinlock; lock m : mutex; lock r : rwsem;',
      'lock l : spinlock;\nlock m : mutex;\nlock r : rwsem;',
    );
  });
});

describe('final conditions', () => {
  test('atoms', () => {
    checkCond('(D0:r0 = 1)', 'D0:r0 = 1');
    checkCond('(K0:r0 != 0)', 'K0:r0 != 0');
    checkCond('([p] = 2)', '[p] = 2');
    checkCond('(pte(0x200000) = none)', 'pte(0x200000) = none');
    checkCond('(tlb(iommu, 0x200000) = p)', 'tlb(iommu, 0x200000) = p');
    checkCond('(x = 3)', 'x = 3');
    checkCond('(gpu.seq = 1)', 'gpu.seq = 1');
    checkCond('(freed(p) /\\ dirty(q))', '(freed(p) /\\ dirty(q))');
    checkCond('(use-after-free)', 'use-after-free');
    checkCond('(deadlock)', 'deadlock');
    checkCond('(true \\/ false)', '(true \\/ false)');
  });

  test('parentheses are optional around the whole condition', () => {
    checkCond('D0:r0 = 1 /\\ freed(p)', '(D0:r0 = 1 /\\ freed(p))');
  });

  test('precedence: ~ then /\\ then \\/ then => (right-associative)', () => {
    checkCond('(a \\/ b /\\ c)', '(a \\/ (b /\\ c))');
    checkCond('(a /\\ b \\/ c)', '((a /\\ b) \\/ c)');
    checkCond('(~a /\\ b)', '(~a /\\ b)');
    checkCond('(~(a /\\ b))', '~(a /\\ b)');
    checkCond('(a => b => c)', '(a => (b => c))');
    checkCond('(a \\/ b => c /\\ d)', '((a \\/ b) => (c /\\ d))');
    checkCond('(a /\\ b /\\ c)', '((a /\\ b) /\\ c)');
  });

  test('a negative value is stored wrapped to 64 bits', () => {
    const c = ok('MMU t\n{}\nkernel K0 {}\nexists (K0:r0 = -1)\n').condition?.cond;
    expect(c).toMatchObject({ kind: 'eq', value: { kind: 'num', value: (1n << 64n) - 1n } });
  });

  test('quantifiers and filter', () => {
    const q = (s: string) => ok(`MMU t\n{}\nkernel K0 {}\n${s}\n`).condition?.quantifier;
    expect(q('exists (x = 1)')).toBe('exists');
    expect(q('~exists (x = 1)')).toBe('~exists');
    expect(q('forall (x = 1)')).toBe('forall');
    const f = ok('MMU t\n{}\nkernel K0 {}\nfilter (x = 0)\nexists (y = 1)\n').filter;
    expect(f && printCond(f)).toBe('x = 0');
  });

  test('locations', () => {
    const locs = ok(
      'MMU t\n{}\nkernel K0 {}\nlocations [K0:r0; [p]; pte(0x200000); tlb(s, 0); x; s.seq;];\n',
    ).locations;
    expect(locs.map(printLocation)).toEqual(['K0:r0', '[p]', 'pte(0x200000)', 'tlb(s, 0)', 'x', 's.seq']);
  });
});

describe('expect and config', () => {
  test('expect items', () => {
    checkExpect('never;', ['never']);
    checkExpect('sometimes, safe;', ['sometimes', 'safe']);
    checkExpect('always;', ['always']);
    checkExpect('sometimes, violates dangling-translation, use-after-free;', [
      'sometimes',
      ['violates', 'dangling-translation', 'use-after-free'],
    ]);
    checkExpect('violates deadlock, never;', [['violates', 'deadlock'], 'never']);
  });

  test('config items', () => {
    checkConfig('kernel = "v4.13";', [['kernel', 'v4.13']]);
    checkConfig('kernel = v4_13; depth = 10;', [
      ['kernel', 'v4_13'],
      ['depth', 10n],
    ]);
    checkConfig('check -incoherent-translation; check +sleep-in-atomic;', [
      ['check', '-incoherent-translation'],
      ['check', '+sleep-in-atomic'],
    ]);
  });
});

describe('files and definitions', () => {
  test('the DESIGN §2 example parses without diagnostics', () => {
    const f = ok(DESIGN_EXAMPLE);
    expect(f.name).toBe('ttu+ats+notify-after-free');
    expect(f.description).toBe('try_to_unmap_one with the notifier placed after the page is freed');
    expect(f.init).toHaveLength(6);
    expect(f.threads.map((t) => [t.threadKind, t.name, t.on?.name])).toEqual([
      ['kernel', 'K0', undefined],
      ['device', 'D0', 'iommu'],
    ]);
    expect(f.threads[0]?.body.stmts).toHaveLength(9);
    expect(f.condition?.quantifier).toBe('exists');
    expect(f.expect).toHaveLength(2);
  });

  test('CRLF line ends and a byte-order mark change nothing', () => {
    const names = (text: string) => ok(text).threads.map((t) => t.body.stmts.length);
    expect(names(DESIGN_EXAMPLE.replace(/\n/g, '\r\n'))).toEqual([9, 1]);
    expect(names(`\uFEFF${DESIGN_EXAMPLE}`)).toEqual([9, 1]);
  });

  test('spans point into the source', () => {
    const f = ok(DESIGN_EXAMPLE);
    const k0 = f.threads[0];
    expect(k0 && DESIGN_EXAMPLE.slice(k0.nameSpan.start, k0.nameSpan.end)).toBe('K0');
    expect(DESIGN_EXAMPLE.slice(f.nameSpan.start, f.nameSpan.end)).toBe('ttu+ats+notify-after-free');
  });

  test('routines keep the comment block right before them as doc', () => {
    const f = ok(
      'MMU t\n{}\n// unrelated\n\n// Models mm/rmap.c: page_mkclean_one() (v4.13).\n// MODEL: one PTE.\nroutine f@v4.13(p, v) {\n  put_page(p);\n}\n/* plain */\nroutine g() {}\nroutine h() {}\nkernel K0 { f@v4.13(p, v); }\n',
    );
    expect(f.routines.map((r) => [r.name, r.variant, r.params.map((p) => p.name), r.doc])).toEqual([
      ['f', 'v4.13', ['p', 'v'], 'Models mm/rmap.c: page_mkclean_one() (v4.13).\nMODEL: one PTE.'],
      ['g', undefined, [], 'plain'],
      ['h', undefined, [], undefined],
    ]);
  });

  test('secondary definitions', () => {
    const f = ok(`MMU t
{}
/**
 * A GPU mirror.
 */
secondary gpu@v1 {
  state seq = 0, busy = 0;
  state other = 1;
  lock update : mutex;
  walks_cpu_page_table;
  on invalidate_range_start(s, e) { mutex_lock(update); busy = busy + 1; stlb_zap(s, e); mutex_unlock(update); }
  on invalidate_range_end(s, e) { seq = seq + 1; }
  fault(a, write) { snap = seq; }
}
kernel K0 {}
`);
    const s = f.secondaries[0];
    expect(s?.doc).toBe('A GPU mirror.');
    expect(s?.variant).toBe('v1');
    expect(s?.state.map((v) => v.name)).toEqual(['seq', 'busy', 'other']);
    expect(s?.locks).toMatchObject([{ name: 'update', lockKind: 'mutex' }]);
    expect(s?.callbacks.map((c) => c.name)).toEqual(['invalidate_range_start', 'invalidate_range_end']);
    expect(s?.fault?.params.map((p) => p.name)).toEqual(['a', 'write']);
    expect(s?.sharesPageTables).toBe(true);
  });

  test('threads of every kind', () => {
    const f = ok('MMU t\n{}\nkernel K0 {}\ncpu C0 { store(0x200000, 1); }\ndevice D0 on gpu { r0 = load(0); }\n');
    expect(f.threads.map((t) => t.threadKind)).toEqual(['kernel', 'cpu', 'device']);
  });

  test('Result: in the leading comment', () => {
    const r = (pre: string) => ok(`${pre}MMU t\n${pre}{}\nkernel K0 {}\n`).resultComment?.value;
    expect(r('(* Result: Never *)\n')).toBe('never');
    expect(r('// Result: Sometimes\n')).toBe('sometimes');
    expect(r('/*\n * Result: Always\n */\n')).toBe('always');
    expect(r('// Results: none\n')).toBeUndefined();
    const text = 'MMU t\n// Result: Never\n{}\nkernel K0 {}\n';
    const span = ok(text).resultComment?.span;
    expect(span && text.slice(span.start, span.end)).toBe('Result: Never');
  });

  test('#define and enum, anywhere among the top-level items', () => {
    const f = ok(
      'MMU t\n#define A 1\nenum ttu_flags { B = A << 2, C, D = 0x10, };\n{\n  global x = C;\n}\n' +
        'enum { E };\nkernel K0 {}\n#define F (E + 1) // comment\nroutine r() {}\n',
    );
    expect(f.constants.map(printConst)).toEqual([
      '#define A 1',
      'enum ttu_flags { B = A << 2, C, D = 16 };',
      'enum { E };',
      '#define F E + 1',
    ]);
    expect(f.routines.map((r) => r.name)).toEqual(['r']);
    // The value of a #define ends with its line.
    const codes = (text: string) => parse(`MMU t\n${text}\n{}\nkernel K0 {}\n`).diagnostics.map((d) => d.code);
    expect(codes('#define A\n')).toEqual(['ML1012']);
    expect(codes('#define A 1 +\n2')).toEqual(['ML1050']);
    expect(codes('#define A 1 2')).toEqual(['ML1012']);
    expect(codes('#define F(x) x')).toEqual(['ML1101']);
    expect(codes('#define F (x)')).toEqual([]);
    expect(codes('#include "x.h"')).toEqual(['ML1100']);
    expect(codes('#if 0')).toEqual(['ML1100']);
    expect(codes('"description" #define A 1')).toEqual(['ML1100']);
    // Inside a body or the initial state, a directive is reported and its line skipped.
    expect(parse(wrapThread('#define A 1\n  x = 1;')).diagnostics.map((d) => d.code)).toEqual(['ML1100']);
    expect(parse(wrapThread('x = 1;', '#define A 1')).diagnostics.map((d) => d.code)).toEqual(['ML1100']);
    expect(codes('enum { A = 1 B };')).toEqual(['ML1012']);
    expect(codes('enum { };')).toEqual(['ML1012']);
    expect(codes('enum t { A }')).toEqual(['ML1012']);
  });

  test('a prelude holds definitions only', () => {
    const r = parsePrelude(sourceFile('p.litmus', 'routine a() {}\nsecondary s { walks_cpu_page_table; }\n'));
    expect(r.diagnostics).toEqual([]);
    expect(r.ast.routines.map((x) => x.name)).toEqual(['a']);
    expect(r.ast.secondaries.map((x) => x.name)).toEqual(['s']);
    const consts = parsePrelude(sourceFile('p.litmus', '#define A 1\nroutine a() {}\nenum { B = A };\n'));
    expect(consts.diagnostics).toEqual([]);
    expect(consts.ast.constants.map(printConst)).toEqual(['#define A 1', 'enum { B = A };']);
    const bad = parsePrelude(sourceFile('p.litmus', 'kernel K0 {}\nroutine a() {}\n'));
    expect(bad.diagnostics.map((d) => d.code)).toEqual(['ML1013']);
    expect(bad.ast.routines).toHaveLength(1);
  });
});
