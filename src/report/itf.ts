// `--itf FILE`: a trace in the Informal Trace Format (Apalache ADR-015), as
// conventions.md §3.5 specifies: `#meta`, a fixed list of `vars`, one state object per step with
// the initial state first. Page tables and TLBs are `#map`s with readable values; integers are
// JSON numbers within ±(2^53−1), `{"#bigint": "…"}` beyond.

import { stepStatement, type TraceStep } from '../check/trace.js';
import { cLocationOf } from '../lang/cMarker.js';
import { lineAndColumn, lineText, type SourceFile } from '../lang/source.js';
import { formatPte, formatTlb, isPmdKey, keyAddr } from '../model/entry.js';
import {
  KILLED,
  type Machine,
  PG_ANON,
  PG_BACKED,
  PG_DIRTY,
  PG_FREE,
  PG_HWPOISON,
  PG_LOCKED,
  PG_MLOCKED,
  PG_PAGECACHE,
  PG_SWAPBACKED,
  PG_SWAPCACHE,
  PG_WRITEBACK,
  RUNNING,
  RWSEM_WRITER,
} from '../model/machine.js';
import { CHECKS, PROPERTIES } from '../model/properties.js';
import * as u from '../model/u64.js';
import { formatValue, mmapLockText } from '../semantics/describe.js';
import { describeGather } from '../semantics/gather.js';
import { frameName } from '../semantics/mm.js';
import type { Program } from '../semantics/program.js';

export const ITF_FORMAT_DESCRIPTION = 'https://apalache-mc.org/docs/adr/015adr-trace.html';

/** The state variables of every state, in this order. */
export const ITF_VARS = [
  'pte',
  'pmd',
  'tlb',
  'frames',
  'ptl',
  'locks',
  'globals',
  'secondaries',
  'mm',
  'threads',
  'violations',
] as const;

export type ItfValue =
  | boolean
  | string
  | number
  | { readonly '#bigint': string }
  | { readonly '#map': readonly (readonly [ItfValue, ItfValue])[] }
  | readonly ItfValue[]
  | { readonly [field: string]: ItfValue };

export interface ItfState {
  readonly '#meta': Record<string, unknown>;
  readonly [v: string]: unknown;
}

export interface ItfTrace {
  readonly '#meta': Record<string, unknown>;
  readonly vars: readonly string[];
  readonly states: readonly ItfState[];
}

/** An integer as ITF wants it: a JSON number when it is safe, a `#bigint` otherwise. */
export function itfInt(v: u.U64): ItfValue {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  return { '#bigint': BigInt(v).toString() };
}

function itfMap(entries: [string, ItfValue][]): ItfValue {
  return { '#map': entries };
}

const FLAG_NAMES: [number, string][] = [
  [PG_ANON, 'anon'],
  [PG_DIRTY, 'dirty'],
  [PG_LOCKED, 'locked'],
  [PG_SWAPBACKED, 'swapbacked'],
  [PG_SWAPCACHE, 'swapcache'],
  [PG_PAGECACHE, 'pagecache'],
  [PG_MLOCKED, 'mlocked'],
  [PG_HWPOISON, 'hwpoison'],
  [PG_WRITEBACK, 'writeback'],
];

function ownerName(prog: Program, owner: number): string {
  return owner === 0 ? 'free' : (prog.threads[owner - 1]?.name ?? `#${owner}`);
}

function lockValue(prog: Program, i: number, v: number): string {
  const l = prog.locks[i]!;
  if (l.kind !== 'rwsem') return ownerName(prog, v);
  if (v >= RWSEM_WRITER) return `write(${ownerName(prog, (v & ~RWSEM_WRITER) + 1)})`;
  return v === 0 ? 'free' : `read x${v}`;
}

function regValue(prog: Program, v: u.U64, type: string): ItfValue {
  switch (type) {
    case 'bool':
      return u.truthy(v);
    case 'int':
      return itfInt(v);
    default:
      return formatValue(prog, v, type as 'frame' | 'pte' | 'vma' | 'lock');
  }
}

/** Where a thread's pc rests: the line of the test source (the call site when inlined) and the instruction's own place. */
export function threadPc(prog: Program, m: Machine, t: number): { line: number; at: string } {
  const info = prog.threads[t]!;
  const instr = info.code[m.threads[t]!.pc];
  if (instr === undefined) return { line: 0, at: '' };
  const s = instr.site;
  const own = lineAndColumn(s.file, s.span.start).line;
  const outer = s.chain[0];
  const line = outer === undefined ? own : lineAndColumn(outer.file, outer.span.start).line;
  return { line, at: `${s.file.path}:${own}` };
}

/** Every state variable of `m`, named and readable. */
export function itfStateVars(prog: Program, m: Machine): Record<(typeof ITF_VARS)[number], ItfValue> {
  const fname = (id: number) => frameName(prog, id);
  const pte: [string, ItfValue][] = [];
  const pmd: [string, ItfValue][] = [];
  for (let i = 0; i < m.pt.length; i += 2) {
    const k = m.pt[i]!;
    (isPmdKey(k) ? pmd : pte).push([u.hex(keyAddr(k)), formatPte(m.pt[i + 1]!, fname)]);
  }
  const tlb: Record<string, ItfValue> = {};
  m.tlb.forEach((t, i) => {
    const entries: [string, ItfValue][] = [];
    for (let j = 0; j < t.length; j += 2) entries.push([u.hex(keyAddr(t[j]!)), formatTlb(t[j + 1]!, fname)]);
    tlb[prog.tlbNames[i]!] = itfMap(entries);
  });
  const frames: Record<string, ItfValue> = {};
  prog.frames.forEach((f, i) => {
    const fl = m.fflags[i]!;
    frames[f.name] = {
      content: itfInt(m.content[i]!),
      backing: (fl & PG_BACKED) !== 0 ? itfInt(m.backing[i]!) : 'none',
      refcount: m.refcount[i]!,
      mapcount: m.mapcount[i]!,
      free: (fl & PG_FREE) !== 0,
      flags: FLAG_NAMES.filter(([b]) => (fl & b) !== 0).map(([, n]) => n),
    };
  });
  const ptl: [string, ItfValue][] = [];
  for (let i = 0; i < m.ptl.length; i += 2) ptl.push([u.hex(m.ptl[i]!), ownerName(prog, m.ptl[i + 1]!)]);
  const locks: Record<string, ItfValue> = {};
  prog.locks.forEach((l, i) => {
    locks[l.name] = lockValue(prog, i, m.locks[i]!);
  });
  const globals: Record<string, ItfValue> = {};
  for (const [name, slot] of prog.globals) globals[name] = itfInt(m.vars[slot]!);
  const secondaries: Record<string, ItfValue> = {};
  prog.secondaries.forEach((s, i) => {
    const vars: Record<string, ItfValue> = {};
    s.varNames.forEach((n, j) => {
      vars[n] = itfInt(m.vars[s.varBase + j]!);
    });
    const lockState: Record<string, ItfValue> = {};
    s.lockNames.forEach((n, j) => {
      lockState[n] = lockValue(prog, s.lockBase + j, m.locks[s.lockBase + j]!);
    });
    secondaries[s.name] = {
      kind: s.def.name,
      vars,
      locks: lockState,
      open: m.subOpen[i] ?? 0,
      invalidate_seq: m.subSeq[i] ?? 0,
      // Only in a test that lets a secondary leave (src/semantics/srcu.ts).
      ...(m.srcu.length > 0 ? { list: SUB_STATES[m.srcu[i]!] ?? 'hashed' } : {}),
    };
  });
  const threads: Record<string, ItfValue> = {};
  prog.threads.forEach((info, t) => {
    const th = m.threads[t]!;
    const regs: Record<string, ItfValue> = {};
    for (const [name, slot] of info.visible) regs[name] = regValue(prog, th.regs[slot]!, info.regTypes[slot] ?? 'int');
    const brackets: ItfValue[] = [];
    for (let i = 0; i + 1 < th.brackets.length; i += 3) {
      brackets.push(`[${u.hex(th.brackets[i]!)}, ${u.hex(th.brackets[i + 1]!)})`);
    }
    const pc = threadPc(prog, m, t);
    threads[info.name] = {
      kind: info.kind,
      status: th.status === RUNNING ? 'running' : th.status === KILLED ? 'killed' : 'finished',
      pc: pc.line,
      at: pc.at,
      regs,
      brackets,
      tlb_ubc: th.ubc === 0 ? 'none' : `flush pending${(th.ubc & 2) !== 0 ? ' (writable)' : ''}`,
      mmu_gather: describeGather(th.gather, (id) => frameName(prog, id)),
      ...(m.srcu.length > 0 ? srcuOfThread(prog, m, t) : {}),
    };
  });
  return {
    pte: itfMap(pte),
    pmd: itfMap(pmd),
    tlb,
    frames,
    ptl: itfMap(ptl),
    locks,
    globals,
    secondaries,
    mm: {
      invalidate_seq: m.itreeSeq,
      active_invalidate_ranges: m.itreeActive,
      tlb_flush_batched: m.batched !== 0,
      tlb_flush_pending: m.tlbFlushPending,
      mmap_lock: mmapLockText(prog, m.mmapLock),
    },
    threads,
    violations: PROPERTIES.filter((_, i) => (m.mask & (1 << i)) !== 0),
  };
}

/** The per-state `#meta` of a step. */
export function stepMeta(s: TraceStep): Record<string, unknown> {
  const site = s.site;
  return {
    index: s.index,
    thread: s.thread ?? null,
    statement: stepStatement(s),
    file: site?.file.path ?? null,
    line: site === undefined ? null : lineAndColumn(site.file, site.span.start).line,
    // a statement imported from C (`mmu-litmus import`): its C file and line
    ...(site === undefined ? {} : cSite(site.file, site.span.start)),
    chain:
      site?.chain.map((c) => ({
        callee: c.callee,
        file: c.file.path,
        line: lineAndColumn(c.file, c.span.start).line,
        ...cSite(c.file, c.span.start),
      })) ?? [],
    changes: s.changes,
    events: s.events.map((e) => ({ property: CHECKS[e.property], message: e.message })),
  };
}

function cSite(file: SourceFile, offset: number): { c?: { file: string; line: number } } {
  const c = cLocationOf(lineText(file, lineAndColumn(file, offset).line));
  return c === undefined ? {} : { c: { file: c.path, line: c.line } };
}

export interface ItfOptions {
  /** The test's path as shown to the user. */
  readonly source: string;
  /** The property whose trace this is, if any. */
  readonly property: string | undefined;
  readonly description: string;
  readonly tool: string;
}

export function itfTrace(prog: Program, initial: Machine, steps: readonly TraceStep[], o: ItfOptions): ItfTrace {
  const states: ItfState[] = [
    {
      '#meta': {
        index: 0,
        thread: null,
        statement: 'initial state',
        file: prog.test.file.path,
        line: null,
        chain: [],
        changes: [],
        events: [],
      },
      ...itfStateVars(prog, initial),
    },
  ];
  for (const s of steps) states.push({ '#meta': stepMeta(s), ...itfStateVars(prog, s.state) });
  return {
    '#meta': {
      format: 'ITF',
      'format-description': ITF_FORMAT_DESCRIPTION,
      source: o.source,
      status: o.property === undefined ? 'ok' : 'violation',
      property: o.property ?? null,
      description: o.description,
      tool: o.tool,
    },
    vars: [...ITF_VARS],
    states,
  };
}

const SUB_STATES = ['hashed', 'unhashed', 'gone'];

/** A thread's SRCU read-side nesting and the readers its synchronize_srcu() waits for (srcu.ts). */
function srcuOfThread(prog: Program, m: Machine, t: number): Record<string, ItfValue> {
  const ns = prog.secondaries.length;
  const nt = prog.threads.length;
  const mask = m.srcu[ns + nt + t]!;
  return {
    srcu_read_lock: m.srcu[ns + t]!,
    synchronize_srcu_waits_for: prog.threads.filter((_, u) => (mask & (1 << u)) !== 0).map((i) => i.name),
  };
}
