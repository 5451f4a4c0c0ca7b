// A compiled test: the static description of the machine (frames, VMAs, secondaries, locks,
// threads) and, per thread, a flat array of instructions with routines, notifier callbacks and
// fault paths inlined. Instructions are closures compiled once per test; the explorer runs them
// on cloned machine states.

import type { ExpectItem, FinalCondition, LitmusFile, Location, SecondaryDef, ThreadKind } from '../lang/ast.js';
import type { SourceFile, Span } from '../lang/source.js';
import type { Machine, MutableMachine, ThreadState } from '../model/machine.js';
import { ownedScratch, type Scratch } from '../model/scratch.js';
import type { U64 } from '../model/u64.js';
import type { KernelVersion } from '../model/version.js';
import type { Footprint } from './footprint.js';
import type { Reduction } from './independence.js';

/** Returned by an instruction that cannot run in this state (a lock held, an await false). */
export const BLOCKED = -1;

/** One inlined call on the way to an instruction: the call site, and what was called. */
export interface CallFrame {
  readonly callee: string;
  readonly file: SourceFile;
  readonly span: Span;
}

/** Where an instruction comes from, for traces. */
export interface Site {
  readonly file: SourceFile;
  readonly span: Span;
  /** The statement (or condition) as it reads in the source. */
  readonly text: string;
  /** Calls that inlined this instruction, outermost first. */
  readonly chain: readonly CallFrame[];
}

export type InstrKind = 'local' | 'shared' | 'choose' | 'end';

export interface Instr {
  readonly kind: InstrKind;
  /** Runs the instruction on `x.m`; returns the next pc, or BLOCKED. Unused for `choose`/`end`. */
  run(x: Exec): number;
  /** Branch entry points of a `choose`. */
  readonly targets?: readonly number[];
  readonly site: Site;
  /** What the instruction may touch (see footprint.ts); absent: anything. */
  readonly fp?: Footprint;
}

/** Static types, used to print values and to check arguments. */
export type ValueType = 'int' | 'frame' | 'pte' | 'vma' | 'lock' | 'bool';

export interface FrameInfo {
  readonly name: string;
  readonly id: number;
  readonly thp: boolean;
  readonly file: boolean;
  /** A hugetlbfs page (compound, first mapped in a hugetlb vma): PageHuge(). */
  readonly hugetlb: boolean;
  /** The page address a file frame is cached for (its page-cache index), if any. */
  readonly pageCacheAddr: number | undefined;
}

export interface VmaInfo {
  readonly name: string;
  readonly id: number;
  readonly start: number;
  readonly end: number;
  readonly anon: boolean;
  readonly shared: boolean;
  readonly hugetlb: boolean;
  readonly writable: boolean;
}

export interface SecondaryInfo {
  readonly name: string;
  readonly index: number;
  readonly def: SecondaryDef;
  /** Index of its translation cache in `Machine.tlb`. */
  readonly tlb: number;
  /** Index of its first state variable in `Machine.vars`. */
  readonly varBase: number;
  readonly varNames: readonly string[];
  /** Index of its first lock in `Machine.locks`. */
  readonly lockBase: number;
  readonly lockNames: readonly string[];
  /** Walks the CPU page tables (ats): a miss walks the PTE, a fault goes to handle_mm_fault. */
  readonly sharesPageTables: boolean;
}

export interface LockInfo {
  readonly name: string;
  readonly kind: 'spinlock' | 'mutex' | 'rwsem';
}

export interface ThreadInfo {
  readonly name: string;
  readonly index: number;
  readonly kind: ThreadKind;
  /** The secondary a device thread accesses memory through. */
  readonly secondary: number | undefined;
  /** The translation cache of a cpu thread (or of a device's secondary). */
  readonly tlb: number | undefined;
  readonly code: Instr[];
  /** Per pc: the lowest pc the thread can reach from there (independence.ts computeFloors). */
  readonly floor: Int32Array;
  readonly regNames: string[];
  readonly regTypes: ValueType[];
  /** Thread-level registers (those a final condition can name). */
  readonly visible: ReadonlyMap<string, number>;
}

export interface Program {
  readonly test: LitmusFile;
  readonly version: KernelVersion;
  readonly frames: readonly FrameInfo[];
  readonly vmas: readonly VmaInfo[];
  readonly secondaries: readonly SecondaryInfo[];
  readonly threads: readonly ThreadInfo[];
  readonly locks: readonly LockInfo[];
  /** Names of `Machine.vars` entries: globals, then `secondary.var`. */
  readonly varNames: readonly string[];
  readonly globals: ReadonlyMap<string, number>;
  /** Names of the translation caches, in `Machine.tlb` order. */
  readonly tlbNames: readonly string[];
  readonly initial: Machine;
  /** Bits of properties turned off by `--no-check` or `config { check -P; }`. */
  readonly disabled: number;
  readonly condition: FinalCondition | undefined;
  readonly filter: FinalCondition['cond'] | undefined;
  readonly locations: readonly Location[];
  /** The address of every `pte(A)` / `tlb(s, A)` location, evaluated when the test is compiled. */
  readonly locationAddrs: ReadonlyMap<Location, number>;
  /** The named constants the test sees (`#define`, `enum`), which a final condition may compare with. */
  readonly constants?: ReadonlyMap<string, U64>;
  readonly expect: readonly ExpectItem[] | undefined;
  /** Static independence of steps, for the partial-order reduction; absent when it cannot apply. */
  readonly reduction: Reduction | undefined;
  /**
   * Each `choose` is a step of its own (`CompileOptions.chooseAlone`, for tests); by default it
   * is one step with the statement its branch leads to (runner.ts `takeStep`).
   */
  readonly chooseAlone: boolean;
  /**
   * Coverage, written by searches (not part of any state): per thread and pc, 1 once a step at
   * that instruction has written the page table. `mmu-litmus matrix` uses it to flag a cell whose
   * routine never changed an entry in any execution, where "safe" would mean nothing.
   */
  readonly ptChangedAt: readonly Uint8Array[];
}

/** A violation noticed during a step (only collected when describing a trace). */
export interface ViolationEvent {
  readonly property: number;
  readonly message: string;
}

/**
 * The context an instruction runs in: the machine being built for one successor, the thread
 * taking the step, and the violations it raises.
 */
export class Exec {
  /** Set by a primitive that cannot proceed (a lock held by another thread). */
  blocked = false;
  /** Collected only in describe mode (traces), to keep the search loop free of strings. */
  readonly events: ViolationEvent[] = [];
  th!: ThreadState;
  /** Index of the running thread. */
  t = 0;
  /** The secondary whose callback or fault routine is running (-1 outside). */
  sec = -1;
  /** True while `inAtomic` (mm.ts) reads which locks this thread holds, for the footprint check. */
  ownHoldings = false;

  /** Where the step writes the machine's arrays (`wPt(x.s)`, …); `s.m` is `m`. */
  s: Scratch;

  /** `m` owns its arrays (a clone), unless `s`, the scratch it lives in, is given. */
  constructor(
    public readonly prog: Program,
    public m: Machine,
    public readonly describe: boolean,
    s?: Scratch,
  ) {
    this.s = s ?? ownedScratch(m as MutableMachine);
  }

  /**
   * Records a violation of property `bit` in this execution (the first one: a property is violated
   * or not in an execution); `message` is only built for traces.
   */
  violate(bit: number, message: () => string): void {
    const b = 1 << bit;
    if ((this.prog.disabled & b) !== 0 || (this.m.mask & b) !== 0) return;
    this.m.mask |= b;
    if (this.describe) this.events.push({ property: bit, message: message() });
  }

  reg(slot: number): U64 {
    return this.th.regs[slot]!;
  }
}
