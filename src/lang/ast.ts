// The syntax tree of a litmus file (and of prelude files, which hold only definitions).
// Plain readonly data in unions tagged with `kind`. Every node carries its span (offsets into the
// file it was parsed from); a routine or secondary also remembers its file, because prelude
// definitions are inlined into tests that live in other files.

import type { SourceFile, Span } from './source.js';

// ---------------------------------------------------------------------------------------------
// Expressions

export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '&'
  | '|'
  | '^'
  | '<<'
  | '>>'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '&&'
  | '||';

export type UnaryOp = '-' | '~' | '!';

export type Expr =
  /** An integer literal; `value` is already reduced modulo 2^64. */
  | { readonly kind: 'num'; readonly value: bigint; readonly span: Span }
  /** A register, a parameter, a global, a frame, a secondary state variable, a lock or a constant. */
  | { readonly kind: 'name'; readonly name: string; readonly span: Span }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly arg: Expr; readonly span: Span }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span: Span }
  /** `c ? a : b` */
  | { readonly kind: 'cond'; readonly test: Expr; readonly then: Expr; readonly else: Expr; readonly span: Span }
  /** `name(args)` or `name@variant(args)`: a routine, a primitive or a pure helper. */
  | {
      readonly kind: 'call';
      readonly callee: string;
      readonly variant: string | undefined;
      readonly args: readonly Expr[];
      readonly calleeSpan: Span;
      readonly span: Span;
    }
  /** `e.field`: `v.start`, `m.address`, … */
  | { readonly kind: 'field'; readonly target: Expr; readonly field: string; readonly span: Span };

// ---------------------------------------------------------------------------------------------
// Statements

export interface Block {
  readonly stmts: readonly Stmt[];
  readonly span: Span;
}

export type Stmt =
  /** `x = e;` and the compound forms `x += e;` etc. (`op` is the binary operator, if any). */
  | {
      readonly kind: 'assign';
      readonly target: string;
      readonly targetSpan: Span;
      readonly op: BinaryOp | undefined;
      readonly value: Expr;
      readonly span: Span;
    }
  /** A call used as a statement: `put_page(p);` */
  | { readonly kind: 'expr'; readonly expr: Expr; readonly span: Span }
  | {
      readonly kind: 'if';
      readonly test: Expr;
      readonly then: Block;
      /** `else { … }`; an `else if` is an else block holding one `if` statement. */
      readonly else: Block | undefined;
      readonly span: Span;
    }
  | { readonly kind: 'while'; readonly test: Expr; readonly body: Block; readonly span: Span }
  | { readonly kind: 'break'; readonly span: Span }
  | { readonly kind: 'continue'; readonly span: Span }
  | { readonly kind: 'return'; readonly value: Expr | undefined; readonly span: Span }
  /** `choose { … } or { … } [or { … }]` */
  | { readonly kind: 'choose'; readonly branches: readonly Block[]; readonly span: Span }
  | { readonly kind: 'await'; readonly test: Expr; readonly span: Span }
  | { readonly kind: 'assert'; readonly test: Expr; readonly span: Span }
  | { readonly kind: 'atomic'; readonly body: Block; readonly span: Span }
  /** `foreach m in page_vma_mapped_walk(p, v, a) { … }`; `walk` is the call expression. */
  | {
      readonly kind: 'foreach';
      readonly cursor: string;
      readonly cursorSpan: Span;
      readonly walk: Extract<Expr, { kind: 'call' }>;
      readonly body: Block;
      readonly span: Span;
    }
  | { readonly kind: 'block'; readonly body: Block; readonly span: Span }
  /** `goto label;`: a forward jump to a label of the same body, in this block or an enclosing one. */
  | { readonly kind: 'goto'; readonly label: string; readonly labelSpan: Span; readonly span: Span }
  /**
   * `label:`: marks the statement after it, or the end of its block when it is the last one
   * (`out: ;` and `out: }` both parse to a label alone).
   */
  | { readonly kind: 'label'; readonly name: string; readonly nameSpan: Span; readonly span: Span };

// ---------------------------------------------------------------------------------------------
// Named constants

/** A member of an `enum { … }`: `NAME` or `NAME = EXPR`. */
export interface EnumMember {
  readonly name: string;
  readonly nameSpan: Span;
  /** Absent: the previous member's value + 1 (0 for the first), as in C. */
  readonly value: Expr | undefined;
  readonly span: Span;
}

/** A top-level constant declaration of a test or a prelude file. */
export type ConstDecl =
  /** `#define NAME EXPR` on one line. */
  | {
      readonly kind: 'define';
      readonly name: string;
      readonly nameSpan: Span;
      readonly value: Expr;
      readonly span: Span;
      readonly file: SourceFile;
    }
  /** `enum [tag] { A = 1, B, … };` */
  | {
      readonly kind: 'enum';
      readonly tag: string | undefined;
      readonly members: readonly EnumMember[];
      readonly span: Span;
      readonly file: SourceFile;
    };

// ---------------------------------------------------------------------------------------------
// Initial state (DESIGN §2.3)

export type PteFlag = 'ro' | 'rw' | 'dirty' | 'young' | 'soft_dirty';

/** The right-hand side of `pte A = …;` / `pmd A = …;`. */
export type EntryInit =
  | {
      readonly kind: 'present';
      readonly frame: string;
      readonly frameSpan: Span;
      readonly flags: readonly PteFlag[];
      readonly span: Span;
    }
  | { readonly kind: 'swap'; readonly frame: string; readonly frameSpan: Span; readonly span: Span }
  | {
      readonly kind: 'migration';
      readonly frame: string;
      readonly frameSpan: Span;
      readonly write: boolean;
      readonly span: Span;
    }
  | { readonly kind: 'hwpoison'; readonly frame: string; readonly frameSpan: Span; readonly span: Span }
  | { readonly kind: 'none'; readonly span: Span };

export type InitDecl =
  | {
      readonly kind: 'vma';
      readonly name: string;
      readonly nameSpan: Span;
      readonly start: Expr;
      readonly end: Expr;
      readonly backing: 'anon' | 'file';
      readonly shared: boolean;
      readonly hugetlb: boolean;
      readonly prot: 'ro' | 'rw';
      readonly span: Span;
    }
  | {
      readonly kind: 'frame';
      readonly name: string;
      readonly nameSpan: Span;
      /** Absent for `frame n free;`. */
      readonly content: Expr | undefined;
      readonly file: boolean;
      readonly thp: boolean;
      readonly free: boolean;
      readonly span: Span;
    }
  | { readonly kind: 'pte'; readonly addr: Expr; readonly entry: EntryInit; readonly span: Span }
  | { readonly kind: 'pmd'; readonly addr: Expr; readonly entry: EntryInit; readonly span: Span }
  | { readonly kind: 'ref'; readonly frame: string; readonly frameSpan: Span; readonly span: Span }
  | {
      readonly kind: 'flag';
      readonly frame: string;
      readonly frameSpan: Span;
      /** A page flag name as written: `dirty`, `locked`, `swapbacked`, `swapcache`, `mlocked`, `hwpoison`. */
      readonly flag: string;
      readonly flagSpan: Span;
      readonly span: Span;
    }
  | {
      readonly kind: 'secondary';
      readonly name: string;
      readonly nameSpan: Span;
      /** The kind: a built-in kind (`ats`, `kvm`, `hmm`, …) or a `secondary` defined in the test. */
      readonly type: string;
      readonly variant: string | undefined;
      readonly typeSpan: Span;
      readonly span: Span;
    }
  | {
      readonly kind: 'tlb';
      /** A secondary name or a cpu thread name. */
      readonly owner: string;
      readonly ownerSpan: Span;
      readonly addr: Expr;
      readonly frame: string;
      readonly frameSpan: Span;
      readonly write: boolean;
      readonly dirty: boolean;
      readonly span: Span;
    }
  | {
      readonly kind: 'global';
      readonly name: string;
      readonly nameSpan: Span;
      readonly value: Expr;
      readonly span: Span;
    }
  | {
      readonly kind: 'lock';
      readonly name: string;
      readonly nameSpan: Span;
      readonly lockKind: 'spinlock' | 'mutex' | 'rwsem';
      readonly span: Span;
    };

// ---------------------------------------------------------------------------------------------
// Definitions (DESIGN §2.6, §2.7)

export interface Param {
  readonly name: string;
  readonly span: Span;
}

/** `routine name[@variant](params) { … }` */
export interface RoutineDef {
  readonly kind: 'routine';
  readonly name: string;
  readonly variant: string | undefined;
  readonly nameSpan: Span;
  readonly params: readonly Param[];
  readonly body: Block;
  readonly span: Span;
  readonly file: SourceFile;
  /** The comment block right before the definition (citation, `MODEL:` notes), without markers. */
  readonly doc: string | undefined;
}

export type CallbackName =
  | 'release'
  | 'invalidate_range_start'
  | 'invalidate_range_end'
  | 'invalidate_range'
  | 'invalidate_page'
  | 'change_pte'
  | 'clear_flush_young'
  | 'arch_invalidate_secondary_tlbs'
  | 'invalidate';

/** `on NAME(params) { … }` inside a secondary. */
export interface CallbackDef {
  readonly name: CallbackName;
  readonly nameSpan: Span;
  readonly params: readonly Param[];
  readonly body: Block;
  readonly span: Span;
}

/** `secondary name[@variant] { state …; lock …; on …; fault(a, write) { … } }` */
export interface SecondaryDef {
  readonly kind: 'secondary';
  readonly name: string;
  readonly variant: string | undefined;
  readonly nameSpan: Span;
  /** `state seq = 0, busy = 0;` (several `state` lines allowed; order kept). */
  readonly state: readonly { readonly name: string; readonly value: Expr; readonly span: Span }[];
  /** `lock update : mutex;` */
  readonly locks: readonly {
    readonly name: string;
    readonly lockKind: 'spinlock' | 'mutex' | 'rwsem';
    readonly span: Span;
  }[];
  readonly callbacks: readonly CallbackDef[];
  /** `fault(a, write) { … }`; absent for secondaries that share the CPU page tables (ats). */
  readonly fault: { readonly params: readonly Param[]; readonly body: Block; readonly span: Span } | undefined;
  /**
   * `walks_cpu_page_table;` — the secondary shares the CPU page tables (ATS/PASID): a TLB miss walks
   * the PTE in hardware instead of calling `fault`.
   */
  readonly sharesPageTables: boolean;
  readonly span: Span;
  readonly file: SourceFile;
  readonly doc: string | undefined;
}

export type ThreadKind = 'kernel' | 'cpu' | 'device';

export interface ThreadDef {
  readonly kind: 'thread';
  readonly threadKind: ThreadKind;
  readonly name: string;
  readonly nameSpan: Span;
  /** The secondary a device issues its accesses through. */
  readonly on: { readonly name: string; readonly span: Span } | undefined;
  readonly body: Block;
  readonly span: Span;
}

// ---------------------------------------------------------------------------------------------
// Final condition (DESIGN §2.8), herd syntax

/** A value place in a final state. */
export type Location =
  /** `K0:r0` */
  | { readonly kind: 'reg'; readonly thread: string; readonly reg: string; readonly span: Span }
  /** `[p]`: the content of a frame. */
  | { readonly kind: 'content'; readonly frame: string; readonly span: Span }
  /** `pte(A)` */
  | { readonly kind: 'pte'; readonly addr: Expr; readonly span: Span }
  /** `tlb(s, A)` */
  | { readonly kind: 'tlb'; readonly owner: string; readonly addr: Expr; readonly span: Span }
  /** A global variable, or `s.var` for a secondary's state variable (owner set). */
  | { readonly kind: 'global'; readonly owner: string | undefined; readonly name: string; readonly span: Span };

/** The right-hand side of `=`: a number, `none`, or a frame name. */
export type CondValue =
  | { readonly kind: 'num'; readonly value: bigint; readonly span: Span }
  | { readonly kind: 'name'; readonly name: string; readonly span: Span };

export type Cond =
  | { readonly kind: 'true' | 'false'; readonly span: Span }
  | { readonly kind: 'and' | 'or' | 'implies'; readonly left: Cond; readonly right: Cond; readonly span: Span }
  | { readonly kind: 'not'; readonly arg: Cond; readonly span: Span }
  | { readonly kind: 'eq' | 'ne'; readonly loc: Location; readonly value: CondValue; readonly span: Span }
  /** `freed(p)`, `dirty(p)` */
  | { readonly kind: 'pred'; readonly pred: 'freed' | 'dirty'; readonly frame: string; readonly span: Span }
  /** A property name (`use-after-free`): violated in this execution. */
  | { readonly kind: 'prop'; readonly name: string; readonly span: Span };

export interface FinalCondition {
  readonly quantifier: 'exists' | '~exists' | 'forall';
  readonly cond: Cond;
  readonly span: Span;
}

export type ExpectItem =
  | { readonly kind: 'never' | 'sometimes' | 'always' | 'safe'; readonly span: Span }
  | {
      /** `violates P…`: exactly these properties; `warns W…`: at least these review warnings. */
      readonly kind: 'violates' | 'warns';
      readonly props: readonly { readonly name: string; readonly span: Span }[];
      readonly span: Span;
    };

export interface ConfigItem {
  readonly key: string;
  readonly keySpan: Span;
  /** `kernel = "v4.13";` gives a string; `check -incoherent-translation;` gives key `check` and value `-incoherent-translation`. */
  readonly value: string | bigint;
  readonly valueSpan: Span;
  readonly span: Span;
}

/** A whole `.litmus` test. */
export interface LitmusFile {
  readonly kind: 'litmus';
  readonly file: SourceFile;
  readonly name: string;
  readonly nameSpan: Span;
  readonly description: string | undefined;
  readonly config: readonly ConfigItem[];
  /** `#define` and `enum` declarations, in file order (wherever they stand among the sections). */
  readonly constants: readonly ConstDecl[];
  readonly init: readonly InitDecl[];
  readonly routines: readonly RoutineDef[];
  readonly secondaries: readonly SecondaryDef[];
  readonly threads: readonly ThreadDef[];
  readonly locations: readonly Location[];
  readonly filter: Cond | undefined;
  readonly condition: FinalCondition | undefined;
  readonly expect: readonly ExpectItem[] | undefined;
  /** `Result: Never|Sometimes|Always` found in the leading comment (herd habit). */
  readonly resultComment: { readonly value: 'never' | 'sometimes' | 'always'; readonly span: Span } | undefined;
}

/** A prelude file: definitions only. */
export interface PreludeFile {
  readonly kind: 'prelude';
  readonly file: SourceFile;
  readonly constants: readonly ConstDecl[];
  readonly routines: readonly RoutineDef[];
  readonly secondaries: readonly SecondaryDef[];
}
