// Litmus tests made from the primitive table (src/semantics/primitives.ts), so that every
// primitive, present and future, is raced against the others without anyone listing it here.
//
// `primitiveCalls` turns each table entry into call statements, one per choice of arguments from
// a menu per parameter kind over one fixed machine (two PTE-mapped pages, a free frame, a hugetlb
// page, a secondary, a global and one lock of each kind), and keeps those that compile and run
// alone without a model error (a wrong argument kind, an address outside every vma, …) in some
// kernel version. `raceLitmus` puts calls in two kernel threads; a primitive that works only in a
// secondary's callbacks is called from the secondary's `invalidate_range_start`, which its thread
// runs by opening and closing an invalidation.

import { check } from '../../src/check/verdict.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { compile } from '../../src/semantics/compile.js';
import type { Prelude } from '../../src/semantics/context.js';
import { type ArgType, LOCAL, MM, PRIMITIVES, type Primitive } from '../../src/semantics/primitives.js';
import type { Program } from '../../src/semantics/program.js';
import { LitmusSystem } from '../../src/semantics/system.js';

/** The kernel versions races are compiled for: before and after the `_notify` primitives went. */
export const RACE_KERNELS = ['v4.13', 'v6.6'] as const;
export type RaceKernel = (typeof RACE_KERNELS)[number];

/** Argument expressions per parameter kind, over the machine of `raceLitmus`. */
const MENU: Record<ArgType, readonly string[]> = {
  int: ['0x200000', '0x201000', '0x400000', '0', '1'],
  bool: ['0', '1'],
  pte: ['mk_pte(q, 1)', '0', 'swp_entry_to_pte(p)', 'mk_pte(p, 0)'],
  frame: ['p', 'q', 'n', 'h'],
  vma: ['v', 'hv'],
  lock: ['l', 'mu', 'sem'],
  any: ['0x200000', '1'],
};

/** At most this many argument choices are tried per primitive (spread over all of them). */
const MAX_CHOICES = 8;

export interface Call {
  readonly primitive: Primitive;
  /** The statement, e.g. `r = spin_trylock(l);`. */
  readonly text: string;
  /** Only inside a secondary's callbacks. */
  readonly inSecondary: boolean;
  /** The kernel versions it compiles and runs alone in. */
  readonly kernels: readonly RaceKernel[];
}

function argChoices(params: readonly ArgType[]): string[][] {
  let out: string[][] = [[]];
  for (const t of params) out = out.flatMap((prefix) => MENU[t].map((a) => [...prefix, a]));
  if (out.length <= MAX_CHOICES) return out;
  const step = out.length / MAX_CHOICES;
  return Array.from({ length: MAX_CHOICES }, (_, i) => out[Math.floor(i * step)]!);
}

/**
 * Primitives that work only inside a protocol, with what must come before and after them: the
 * mmu_gather's (a gather primitive without tlb_gather_mmu() is ML4050, a thread that ends with its
 * gather in use ML4053) and mmap_lock's (a thread that ends holding it is ML4054).
 */
const GATHER = 'tlb_gather_mmu(0x200000, 0x202000);';
const FINISH = 'tlb_finish_mmu(0x200000, 0x202000);';
const PROTOCOL: Readonly<Record<string, readonly [string, string]>> = {
  tlb_gather_mmu: ['', FINISH],
  tlb_gather_mmu_fullmm: ['', FINISH],
  tlb_finish_mmu: [GATHER, ''],
  tlb_remove_tlb_entry: [GATHER, FINISH],
  tlb_remove_pmd_tlb_entry: [GATHER, FINISH],
  __tlb_remove_page: [GATHER, FINISH],
  tlb_remove_page: [GATHER, FINISH],
  __tlb_reset_range: [GATHER, FINISH],
  tlb_flush_mmu_tlbonly: [GATHER, FINISH],
  tlb_flush_mmu_free: [GATHER, FINISH],
  tlb_flush_mmu: [GATHER, FINISH],
  mmap_read_lock: ['', 'mmap_read_unlock();'],
  mmap_read_trylock: ['', 'if (r) { mmap_read_unlock(); }'],
  mmap_read_unlock: ['mmap_read_lock();', ''],
  mmap_write_lock: ['', 'mmap_write_unlock();'],
  mmap_write_unlock: ['mmap_write_lock();', ''],
  mmap_write_downgrade: ['mmap_write_lock();', 'mmap_read_unlock();'],
};

function statement(p: Primitive, args: readonly string[]): string {
  const call = `${p.name}(${args.join(', ')})`;
  const text = p.ret === 'void' ? `${call};` : `r = ${call};`;
  const [before, after] = PROTOCOL[p.name] ?? ['', ''];
  return [before, text, after].filter((t) => t !== '').join(' ');
}

const MACHINE = `{
  vma v = [0x200000, 0x202000) anon rw;
  vma hv = [0x400000, 0x600000) anon hugetlb rw;
  frame p = 1;
  frame q = 2;
  frame n free;
  frame h = 3 thp;
  pte 0x200000 = p rw dirty;
  pte 0x201000 = q rw;
  pmd 0x400000 = h rw dirty;
  ref p;
  secondary s : gen;
  tlb s 0x200000 = p rw;
  global x = 0;
  global g0 = 0;
  global g1 = 0;
  lock l : spinlock;
  lock mu : mutex;
  lock sem : rwsem;
}`;

const INVALIDATE = [
  'mmu_notifier_invalidate_range_start(0x200000, 0x202000);',
  'mmu_notifier_invalidate_range_end(0x200000, 0x202000);',
];

/**
 * A test whose kernel threads run the given calls in order. The calls of every thread that works
 * in a secondary go into the secondary's `invalidate_range_start`, which each such thread runs.
 */
export function raceLitmus(
  kernel: RaceKernel,
  threads: readonly (readonly Call[])[],
  name = 'race',
  monitors = true,
): string {
  const secondary = threads.flatMap((calls) => calls.filter((c) => c.inSecondary).map((c) => c.text));
  const bodies = threads.map((calls, i) => {
    const own = calls.filter((c) => !c.inSecondary).map((c) => c.text);
    // A first step of its own, so that the local instructions after it run as part of a step (the
    // footprint check runs steps) rather than while the initial state is laid out.
    const lines = ['r = 0;', `g${i} = 1;`, ...own, ...(calls.some((c) => c.inSecondary) ? INVALIDATE : [])];
    return `kernel K${i} {\n  ${lines.join('\n  ')}\n}`;
  });
  return `MMU ${name}
config { kernel = "${kernel}";${monitors ? '' : ' check -dangling-translation; check -incoherent-translation;'} }
${MACHINE}
secondary gen {
  on invalidate_range_start(s, e) {
    r = 0;
    ${secondary.join('\n    ')}
  }
}
${bodies.join('\n')}
locations [x; [p]; [q]; ${threads.map((_, i) => `K${i}:r`).join('; ')}];
`;
}

/** The program of a test text, or undefined when it does not compile. */
export function compileRace(prelude: Prelude, text: string, name = 'race.litmus'): Program | undefined {
  const parsed = parseLitmus(sourceFile(name, text));
  if (parsed.diagnostics.length > 0 || parsed.ast === undefined) return undefined;
  const c = compile(parsed.ast, prelude);
  return c.diagnostics.length > 0 ? undefined : c.program;
}

/** Whether the program's full search runs to its end without a model error. */
export function runsCleanly(program: Program): boolean {
  try {
    return check(program, { maxStates: 20_000 }, undefined, false, new LitmusSystem(program, true)).result.complete;
  } catch {
    return false;
  }
}

/**
 * Every primitive of the table with the calls of it that compile and run alone; a primitive
 * with none is listed with no calls (the tests fail on it: the menus or the machine above must
 * learn its arguments).
 */
export function primitiveCalls(prelude: Prelude): Map<string, Call[]> {
  const out = new Map<string, Call[]>();
  for (const p of PRIMITIVES.values()) {
    const calls: Call[] = [];
    for (const args of argChoices(p.params)) {
      const text = statement(p, args);
      const probe: Call = { primitive: p, text, inSecondary: p.inSecondary === true, kernels: [] };
      const kernels = RACE_KERNELS.filter((k) => {
        const program = compileRace(prelude, raceLitmus(k, [[probe]]));
        return program !== undefined && runsCleanly(program);
      });
      if (kernels.length > 0) calls.push({ ...probe, kernels });
    }
    out.set(p.name, calls);
  }
  return out;
}

/** Whether the reduction may reorder a call of this primitive with other threads' steps. */
export function reorderable(p: Primitive): boolean {
  return p.footprint !== MM && p.footprint !== LOCAL;
}

/** Whether the primitive touches memory management, in parts (footprint.ts): its own races run with the monitors both on and off. */
export function touchesMmParts(p: Primitive): boolean {
  return typeof p.footprint === 'object' && 'mm' in p.footprint;
}

/** A small deterministic generator (mulberry32), so that sampled races are the same every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Race {
  readonly name: string;
  readonly kernel: RaceKernel;
  readonly threads: readonly (readonly Call[])[];
  /** Whether the monitors that read memory management after every step are on. */
  readonly monitors: boolean;
}

/**
 * The races of the differential test: every primitive the reduction may reorder (a footprint
 * other than LOCAL and MM) against every primitive, and every other primitive against
 * `partners` others drawn with `seed`. Thread K0 runs the subject then a drawn call (so that a
 * lock can be taken and released), K1 the partner. A pair with no kernel version in common is
 * left out.
 */
export function races(calls: Map<string, Call[]>, partners: number, seed: number): Race[] {
  const rnd = seeded(seed);
  const all = [...calls.values()].filter((c) => c.length > 0);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: Race[] = [];
  for (const subject of all) {
    const p = subject[0]!.primitive;
    const others = reorderable(p) ? all : Array.from({ length: partners }, () => pick(all));
    for (const other of others) {
      const a = pick(subject);
      const b = pick(other);
      const c = pick(pick(all));
      const common = RACE_KERNELS.filter((k) => a.kernels.includes(k) && b.kernels.includes(k));
      if (common.length === 0) continue;
      const kernel = pick(common);
      const first = c.kernels.includes(kernel) ? [a, c] : [a];
      // With the monitors on, a step that writes what they read is never reordered: a primitive
      // that touches parts of memory management is raced both ways.
      const both = touchesMmParts(p) || touchesMmParts(b.primitive);
      const name = `${p.name}-vs-${b.primitive.name}`;
      out.push({ name, kernel, threads: [first, [b]], monitors: true });
      if (both) out.push({ name: `${name}-unmonitored`, kernel, threads: [first, [b]], monitors: false });
    }
  }
  return out;
}
