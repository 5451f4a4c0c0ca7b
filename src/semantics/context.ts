// Compile-time context shared by the compiler's parts: what the test declares, where a name
// resolves, diagnostics, and the emitter that appends instructions to one thread's code.

import type { ConstDecl, RoutineDef, SecondaryDef } from '../lang/ast.js';
import { type Diagnostic, error } from '../lang/diagnostic.js';
import type { SourceFile, Span } from '../lang/source.js';
import type { U64 } from '../model/u64.js';
import type { KernelVersion } from '../model/version.js';
import { EMPTY, type Footprint } from './footprint.js';
import type { Labels } from './labels.js';
import type {
  CallFrame,
  Exec,
  FrameInfo,
  Instr,
  InstrKind,
  LockInfo,
  SecondaryInfo,
  Site,
  ValueType,
  VmaInfo,
} from './program.js';

/** What a name stands for at a point of the source. */
export type Binding =
  | { readonly kind: 'reg'; readonly slot: number }
  | { readonly kind: 'var'; readonly index: number }
  | { readonly kind: 'frame'; readonly id: number }
  | { readonly kind: 'vma'; readonly id: number }
  | { readonly kind: 'lock'; readonly id: number }
  | { readonly kind: 'const'; readonly value: U64; readonly type: ValueType }
  /** A page_vma_mapped_walk cursor: registers base+0.. (see walk.ts). */
  | { readonly kind: 'cursor'; readonly base: number };

export interface Prelude {
  readonly routines: readonly RoutineDef[];
  readonly secondaries: readonly SecondaryDef[];
  /** `#define` and `enum` declarations of the prelude files, in load order. */
  readonly constants?: readonly ConstDecl[];
}

/** A `#define` or `enum` constant (constants.ts). */
export interface NamedConstant {
  readonly value: U64;
  readonly type: ValueType;
  /** Declared in the prelude: visible everywhere; otherwise only in the test's own code. */
  readonly prelude: boolean;
  readonly file: SourceFile;
  readonly span: Span;
}

/** Program-wide facts the compiler needs. */
export interface CompileCtx {
  readonly version: KernelVersion;
  readonly testFile: SourceFile;
  readonly frames: readonly FrameInfo[];
  readonly vmas: readonly VmaInfo[];
  readonly locks: LockInfo[];
  readonly secondaries: SecondaryInfo[];
  readonly globals: ReadonlyMap<string, number>;
  /** Test-level names visible to the test's own code: frames, vmas, locks, globals. */
  readonly testNames: ReadonlyMap<string, Binding>;
  readonly testRoutines: readonly RoutineDef[];
  readonly prelude: Prelude;
  readonly diagnostics: Diagnostic[];
  /** Routine name → the variant a call without `@variant` uses (the matrix, `--variant`). */
  readonly variants: ReadonlyMap<string, string>;
  /** The prelude's and the test's named constants (constants.ts), filled before anything else. */
  readonly constants: Map<string, NamedConstant>;
  /** Routines called somewhere without `@variant`: the ones a `--variant` override can choose. */
  readonly resolved: Set<string>;
  /**
   * The test lets a secondary leave (mmu_notifier_unregister, _put, _synchronize): notifier walks
   * are SRCU read-side sections that skip unhashed subscriptions (srcu.ts). False for every other
   * test, whose code and states stay as they were.
   */
  readonly srcu: boolean;
}

export function report(ctx: CompileCtx, code: string, file: SourceFile, span: Span, message: string): void {
  ctx.diagnostics.push(error(code, file, span, message));
}

export interface LoopTargets {
  readonly breakJumps: { pc: number }[];
  readonly continueTo: () => number;
  /** A `foreach` loop: the first register of its cursor, which a goto out of it clears. */
  readonly cursor?: number;
}

/** Where code is being compiled: names in scope, the enclosing routine, loops and call chain. */
export interface Scope {
  readonly file: SourceFile;
  readonly names: Map<string, Binding>;
  /** The test's own names are visible (false inside prelude definitions). */
  readonly seesTest: boolean;
  /** The secondary whose callback or fault routine this is. */
  readonly sec: SecondaryInfo | undefined;
  readonly routine: { readonly retSlot: number; readonly exitJumps: { pc: number }[] } | undefined;
  readonly loops: LoopTargets[];
  readonly chain: readonly CallFrame[];
  /** Names of routines being inlined, to reject recursion. */
  readonly inlining: readonly string[];
  /** Inside an `atomic` block: everything compiled runs in one step. */
  readonly atomic: boolean;
  /** The labels of the body being compiled (labels.ts); absent outside a body. */
  readonly labels?: Labels;
}

/** A scope outside every body: for constant expressions and declarations of `file`. */
export function topScope(file: SourceFile, seesTest: boolean): Scope {
  return {
    file,
    names: new Map(),
    seesTest,
    sec: undefined,
    routine: undefined,
    loops: [],
    chain: [],
    inlining: [],
    atomic: false,
  };
}

/** Appends instructions to one thread's code. */
export class Emitter {
  readonly code: Instr[] = [];
  readonly regNames: string[] = [];
  readonly regTypes: ValueType[] = [];
  /**
   * Backward jumps as [from, to] pairs (loops, fault retries). Every other jump goes forward; the
   * reduction relies on it to bound what a thread may still do (independence.ts), and the runner
   * checks it at every step.
   */
  readonly backJumps: number[] = [];

  constructor(
    readonly ctx: CompileCtx,
    readonly threadName: string,
    readonly threadIndex: number,
    readonly threadKind: 'kernel' | 'cpu' | 'device',
    /** The secondary a device accesses memory through. */
    readonly deviceSecondary: SecondaryInfo | undefined,
    /** The translation cache a cpu thread uses. */
    readonly cpuTlb: number | undefined,
  ) {}

  /**
   * Registers are a stack: slots [0, regTop) are in use. A routine's registers (and those of an
   * access or a notifier call) are released when its code ends, where they are all zero, so that
   * the next routine reuses them: a thread then has as many registers as its deepest nesting
   * needs, not one per inlined local of every call, and a state is that much shorter to copy and
   * encode. `regNames` and `regTypes` name a slot after its latest owner; only the thread's own
   * registers (never released) are shown in traces.
   */
  private regTop = 0;

  newReg(name: string, type: ValueType = 'int'): number {
    const slot = this.regTop++;
    this.regNames[slot] = name;
    this.regTypes[slot] = type;
    return slot;
  }

  /** The mark to release back to: registers allocated after it are released together. */
  get regMark(): number {
    return this.regTop;
  }

  /** Registers ever allocated: slots [0, regCount) exist in the thread's state. */
  get regCount(): number {
    return this.regNames.length;
  }

  /**
   * Releases the registers allocated since `mark`. The caller guarantees that the code emitted so
   * far leaves every one of them zero on every path that goes on (states stay canonical and the
   * next owner starts from zero).
   */
  releaseRegs(mark: number): void {
    this.regTop = mark;
  }

  get pc(): number {
    return this.code.length;
  }

  /** Appends an instruction; without `fp` it counts as touching anything (footprint.ts). */
  emit(kind: InstrKind, run: (x: Exec) => number, site: Site, targets?: number[], fp?: Footprint): number {
    const instr: Instr = {
      kind,
      run,
      site,
      ...(targets === undefined ? {} : { targets }),
      ...(fp === undefined ? {} : { fp }),
    };
    this.code.push(instr);
    return this.code.length - 1;
  }

  /** Records that the instruction about to be emitted may jump back to `to`. */
  backJump(to: number): void {
    this.backJumps.push(this.pc, to);
  }

  /** A local instruction that continues at a pc known later: returns the patch slot. */
  jump(site: Site): { pc: number } {
    const target = { pc: -1 };
    this.emit('local', () => target.pc, site, undefined, EMPTY);
    return target;
  }
}

/** The statement text for traces: the first line of the span, whitespace collapsed. */
export function siteText(file: SourceFile, span: Span): string {
  const raw = file.text.slice(span.start, span.end);
  const firstLine = raw.split('\n')[0] ?? '';
  return firstLine.replace(/\s+/g, ' ').trim().replace(/;$/, '');
}

export function site(scope: Scope, span: Span, text?: string): Site {
  return { file: scope.file, span, text: text ?? siteText(scope.file, span), chain: scope.chain };
}
