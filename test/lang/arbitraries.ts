// fast-check generators of small syntax trees, for the printer/parser round trip. Spans are all
// empty: the round trip compares trees without them.

import { fc } from '@fast-check/vitest';
import type {
  BinaryOp,
  Block,
  Cond,
  CondValue,
  ConfigItem,
  ConstDecl,
  EntryInit,
  ExpectItem,
  Expr,
  InitDecl,
  LitmusFile,
  Location,
  Param,
  PteFlag,
  RoutineDef,
  SecondaryDef,
  Stmt,
  ThreadDef,
} from '../../src/lang/ast.js';
import { type Span, sourceFile } from '../../src/lang/source.js';

const S: Span = { start: 0, end: 0 };
const FILE = sourceFile('generated.litmus', '');

/** Words with a meaning somewhere in the grammar; generated names avoid them all. */
const KEYWORDS = new Set(
  (
    'if else while break continue return choose or await assert atomic foreach in on true false none MMU ' +
    'routine secondary kernel cpu device locations filter exists forall expect config state lock fault ' +
    'walks_cpu_page_table vma frame pte pmd ref flag tlb global free file thp anon shared hugetlb ro rw ' +
    'dirty young soft_dirty swap migration hwpoison freed check never sometimes always safe violates goto enum ' +
    'define'
  ).split(' '),
);

export const ident: fc.Arbitrary<string> = fc
  .stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,5}$/)
  .filter((s) => !KEYWORDS.has(s));

const variant = fc.option(fc.stringMatching(/^[a-z0-9_][a-z0-9_.]{0,5}$/), { nil: undefined });

const num: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: 0n, max: 0x2000n }),
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
);

const BINARY_OPS: BinaryOp[] = [
  '+',
  '-',
  '*',
  '/',
  '%',
  '&',
  '|',
  '^',
  '<<',
  '>>',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '&&',
  '||',
];
const COMPOUND_OPS: BinaryOp[] = ['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>'];

type Call = Extract<Expr, { kind: 'call' }>;

export const { expr, call } = fc.letrec<{ expr: Expr; call: Call }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    num.map((value): Expr => ({ kind: 'num', value, span: S })),
    ident.map((name): Expr => ({ kind: 'name', name, span: S })),
    fc
      .tuple(fc.constantFrom('-', '~', '!') as fc.Arbitrary<'-' | '~' | '!'>, tie('expr'))
      .map(([op, arg]): Expr => ({ kind: 'unary', op, arg, span: S })),
    fc
      .tuple(fc.constantFrom(...BINARY_OPS), tie('expr'), tie('expr'))
      .map(([op, left, right]): Expr => ({ kind: 'binary', op, left, right, span: S })),
    fc
      .tuple(tie('expr'), tie('expr'), tie('expr'))
      .map(([test, then, otherwise]): Expr => ({ kind: 'cond', test, then, else: otherwise, span: S })),
    tie('call'),
    fc.tuple(tie('expr'), ident).map(([target, field]): Expr => ({ kind: 'field', target, field, span: S })),
  ),
  call: fc
    .tuple(ident, variant, fc.array(tie('expr'), { maxLength: 3 }))
    .map(([callee, v, args]): Call => ({ kind: 'call', callee, variant: v, args, calleeSpan: S, span: S })),
}));

export const { stmt, block } = fc.letrec<{ stmt: Stmt; block: Block }>((tie) => ({
  block: fc.array(tie('stmt'), { maxLength: 3 }).map((stmts): Block => ({ stmts, span: S })),
  stmt: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    fc
      .tuple(ident, fc.option(fc.constantFrom(...COMPOUND_OPS), { nil: undefined }), expr)
      .map(([target, op, value]): Stmt => ({ kind: 'assign', target, targetSpan: S, op, value, span: S })),
    call.map((e): Stmt => ({ kind: 'expr', expr: e, span: S })),
    fc
      .tuple(expr, tie('block'), fc.option(tie('block'), { nil: undefined }))
      .map(([test, then, otherwise]): Stmt => ({ kind: 'if', test, then, else: otherwise, span: S })),
    fc.tuple(expr, tie('block')).map(([test, body]): Stmt => ({ kind: 'while', test, body, span: S })),
    fc.constantFrom('break', 'continue').map((kind): Stmt => ({ kind, span: S })),
    fc.option(expr, { nil: undefined }).map((value): Stmt => ({ kind: 'return', value, span: S })),
    fc
      .array(tie('block'), { minLength: 2, maxLength: 3 })
      .map((branches): Stmt => ({ kind: 'choose', branches, span: S })),
    fc.tuple(fc.constantFrom('await', 'assert'), expr).map(([kind, test]): Stmt => ({ kind, test, span: S })),
    tie('block').map((body): Stmt => ({ kind: 'atomic', body, span: S })),
    fc
      .tuple(ident, call, tie('block'))
      .map(([cursor, walk, body]): Stmt => ({ kind: 'foreach', cursor, cursorSpan: S, walk, body, span: S })),
    tie('block').map((body): Stmt => ({ kind: 'block', body, span: S })),
    ident.map((label): Stmt => ({ kind: 'goto', label, labelSpan: S, span: S })),
    ident.map((name): Stmt => ({ kind: 'label', name, nameSpan: S, span: S })),
  ),
}));

const PTE_FLAGS: PteFlag[] = ['ro', 'rw', 'dirty', 'young', 'soft_dirty'];

const entry: fc.Arbitrary<EntryInit> = fc.oneof(
  fc
    .tuple(ident, fc.array(fc.constantFrom(...PTE_FLAGS), { maxLength: 3 }))
    .map(([frame, flags]): EntryInit => ({ kind: 'present', frame, frameSpan: S, flags, span: S })),
  fc
    .tuple(fc.constantFrom('swap', 'hwpoison') as fc.Arbitrary<'swap' | 'hwpoison'>, ident)
    .map(([kind, frame]): EntryInit => ({ kind, frame, frameSpan: S, span: S })),
  fc
    .tuple(ident, fc.boolean())
    .map(([frame, write]): EntryInit => ({ kind: 'migration', frame, frameSpan: S, write, span: S })),
  fc.constant<EntryInit>({ kind: 'none', span: S }),
);

const lockKind = fc.constantFrom('spinlock', 'mutex', 'rwsem') as fc.Arbitrary<'spinlock' | 'mutex' | 'rwsem'>;

export const initDecl: fc.Arbitrary<InitDecl> = fc.oneof(
  fc
    .record({
      name: ident,
      start: expr,
      end: expr,
      backing: fc.constantFrom('anon', 'file') as fc.Arbitrary<'anon' | 'file'>,
      shared: fc.boolean(),
      hugetlb: fc.boolean(),
      prot: fc.constantFrom('ro', 'rw') as fc.Arbitrary<'ro' | 'rw'>,
    })
    .map((r): InitDecl => ({ kind: 'vma', ...r, nameSpan: S, span: S })),
  fc.tuple(ident, expr, fc.boolean(), fc.boolean()).map(
    ([name, content, file, thp]): InitDecl => ({
      kind: 'frame',
      name,
      nameSpan: S,
      content,
      file,
      thp,
      free: false,
      span: S,
    }),
  ),
  ident.map(
    (name): InitDecl => ({
      kind: 'frame',
      name,
      nameSpan: S,
      content: undefined,
      file: false,
      thp: false,
      free: true,
      span: S,
    }),
  ),
  fc
    .tuple(fc.constantFrom('pte', 'pmd') as fc.Arbitrary<'pte' | 'pmd'>, expr, entry)
    .map(([kind, addr, e]): InitDecl => ({ kind, addr, entry: e, span: S })),
  ident.map((frame): InitDecl => ({ kind: 'ref', frame, frameSpan: S, span: S })),
  fc
    .tuple(ident, ident)
    .map(([frame, flag]): InitDecl => ({ kind: 'flag', frame, frameSpan: S, flag, flagSpan: S, span: S })),
  fc.tuple(ident, ident, variant).map(
    ([name, type, v]): InitDecl => ({
      kind: 'secondary',
      name,
      nameSpan: S,
      type,
      variant: v,
      typeSpan: S,
      span: S,
    }),
  ),
  fc.tuple(ident, expr, ident, fc.boolean(), fc.boolean()).map(
    ([owner, addr, frame, write, dirty]): InitDecl => ({
      kind: 'tlb',
      owner,
      ownerSpan: S,
      addr,
      frame,
      frameSpan: S,
      write,
      dirty,
      span: S,
    }),
  ),
  fc.tuple(ident, expr).map(([name, value]): InitDecl => ({ kind: 'global', name, nameSpan: S, value, span: S })),
  fc.tuple(ident, lockKind).map(([name, k]): InitDecl => ({ kind: 'lock', name, nameSpan: S, lockKind: k, span: S })),
);

/** `use-after-free`-like names. */
const propertyName = fc.array(ident, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('-'));

const location: fc.Arbitrary<Location> = fc.oneof(
  fc.tuple(ident, ident).map(([thread, reg]): Location => ({ kind: 'reg', thread, reg, span: S })),
  ident.map((frame): Location => ({ kind: 'content', frame, span: S })),
  expr.map((addr): Location => ({ kind: 'pte', addr, span: S })),
  fc.tuple(ident, expr).map(([owner, addr]): Location => ({ kind: 'tlb', owner, addr, span: S })),
  fc
    .tuple(fc.option(ident, { nil: undefined }), ident)
    .map(([owner, name]): Location => ({ kind: 'global', owner, name, span: S })),
);

const condValue: fc.Arbitrary<CondValue> = fc.oneof(
  num.map((value): CondValue => ({ kind: 'num', value, span: S })),
  fc.oneof(ident, fc.constant('none')).map((name): CondValue => ({ kind: 'name', name, span: S })),
);

export const { cond } = fc.letrec<{ cond: Cond }>((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    fc.constantFrom('true', 'false').map((kind): Cond => ({ kind, span: S })),
    fc
      .tuple(fc.constantFrom('and', 'or', 'implies'), tie('cond'), tie('cond'))
      .map(([kind, left, right]): Cond => ({ kind, left, right, span: S })),
    tie('cond').map((arg): Cond => ({ kind: 'not', arg, span: S })),
    fc
      .tuple(fc.constantFrom('eq', 'ne'), location, condValue)
      .map(([kind, loc, value]): Cond => ({ kind, loc, value, span: S })),
    fc
      .tuple(fc.constantFrom('freed', 'dirty'), ident)
      .map(([pred, frame]): Cond => ({ kind: 'pred', pred, frame, span: S })),
    propertyName.map((name): Cond => ({ kind: 'prop', name, span: S })),
  ),
}));

export const constDecl: fc.Arbitrary<ConstDecl> = fc.oneof(
  fc
    .tuple(ident, expr)
    .map(([name, value]): ConstDecl => ({ kind: 'define', name, nameSpan: S, value, span: S, file: FILE })),
  fc
    .tuple(
      fc.option(ident, { nil: undefined }),
      fc.array(
        fc
          .tuple(ident, fc.option(expr, { nil: undefined }))
          .map(([name, value]) => ({ name, nameSpan: S, value, span: S })),
        { minLength: 1, maxLength: 3 },
      ),
    )
    .map(([tag, members]): ConstDecl => ({ kind: 'enum', tag, members, span: S, file: FILE })),
);

const params: fc.Arbitrary<Param[]> = fc.array(
  ident.map((name): Param => ({ name, span: S })),
  { maxLength: 3 },
);

const routine: fc.Arbitrary<RoutineDef> = fc.tuple(ident, variant, params, block).map(([name, v, ps, body]) => ({
  kind: 'routine',
  name,
  variant: v,
  nameSpan: S,
  params: ps,
  body,
  span: S,
  file: FILE,
  doc: undefined,
}));

const CALLBACKS = [
  'release',
  'invalidate_range_start',
  'invalidate_range_end',
  'invalidate_range',
  'invalidate_page',
  'change_pte',
  'clear_flush_young',
  'arch_invalidate_secondary_tlbs',
  'invalidate',
] as const;

const secondary: fc.Arbitrary<SecondaryDef> = fc
  .record({
    name: ident,
    variant,
    state: fc.array(
      fc.tuple(ident, expr).map(([name, value]) => ({ name, value, span: S })),
      { maxLength: 2 },
    ),
    locks: fc.array(
      fc.tuple(ident, lockKind).map(([name, k]) => ({ name, lockKind: k, span: S })),
      { maxLength: 2 },
    ),
    callbacks: fc.array(
      fc
        .tuple(fc.constantFrom(...CALLBACKS), params, block)
        .map(([name, ps, body]) => ({ name, nameSpan: S, params: ps, body, span: S })),
      { maxLength: 2 },
    ),
    fault: fc.option(
      fc.tuple(params, block).map(([ps, body]) => ({ params: ps, body, span: S })),
      { nil: undefined },
    ),
    sharesPageTables: fc.boolean(),
  })
  .map((r) => ({ kind: 'secondary', ...r, nameSpan: S, span: S, file: FILE, doc: undefined }));

const thread: fc.Arbitrary<ThreadDef> = fc
  .tuple(fc.constantFrom('kernel', 'cpu', 'device'), ident, ident, block)
  .map(([threadKind, name, on, body]) => ({
    kind: 'thread',
    threadKind,
    name,
    nameSpan: S,
    on: threadKind === 'device' ? { name: on, span: S } : undefined,
    body,
    span: S,
  }));

const configItem: fc.Arbitrary<ConfigItem> = fc.oneof(
  fc
    .tuple(ident, fc.oneof(fc.string({ maxLength: 8 }), num, ident))
    .map(([key, value]) => ({ key, keySpan: S, value, valueSpan: S, span: S })),
  fc
    .tuple(fc.constantFrom('-', '+'), propertyName)
    .map(([sign, name]) => ({ key: 'check', keySpan: S, value: `${sign}${name}`, valueSpan: S, span: S })),
);

const expectItem: fc.Arbitrary<ExpectItem> = fc.oneof(
  fc.constantFrom('never', 'sometimes', 'always', 'safe').map((kind): ExpectItem => ({ kind, span: S })),
  fc
    .array(
      propertyName.map((name) => ({ name, span: S })),
      { minLength: 1, maxLength: 3 },
    )
    .map((props): ExpectItem => ({ kind: 'violates', props, span: S })),
);

export const litmusFile: fc.Arbitrary<LitmusFile> = fc
  .record({
    name: fc.stringMatching(/^[A-Za-z0-9_+.-]{1,12}$/),
    description: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    config: fc.array(configItem, { maxLength: 2 }),
    constants: fc.array(constDecl, { maxLength: 2 }),
    init: fc.array(initDecl, { maxLength: 4 }),
    routines: fc.array(routine, { maxLength: 2 }),
    secondaries: fc.array(secondary, { maxLength: 1 }),
    threads: fc.array(thread, { minLength: 1, maxLength: 2 }),
    locations: fc.array(location, { maxLength: 3 }),
    filter: fc.option(cond, { nil: undefined }),
    condition: fc.option(
      fc
        .tuple(fc.constantFrom('exists', '~exists', 'forall'), cond)
        .map(([quantifier, c]) => ({ quantifier, cond: c, span: S })),
      { nil: undefined },
    ),
    expect: fc.option(fc.array(expectItem, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  })
  .map((r) => ({ kind: 'litmus', file: FILE, nameSpan: S, resultComment: undefined, ...r }));
