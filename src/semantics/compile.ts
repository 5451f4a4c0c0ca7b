// Compiles a parsed test (plus the prelude) into a Program: checks the configuration and the
// initial state (DESIGN §2.3), lays out the machine, and compiles every thread with routines,
// callbacks and fault paths inlined.

import type { Cond, EntryInit, Expr, LitmusFile, Location, SecondaryDef } from '../lang/ast.js';
import type { Diagnostic } from '../lang/diagnostic.js';
import { lineAndColumn, type Span } from '../lang/source.js';
import {
  makePte,
  PTE_DIRTY,
  PTE_HUGE,
  PTE_HWPOISON,
  PTE_MIGRATION,
  PTE_PRESENT,
  PTE_SOFT_DIRTY,
  PTE_SWAP,
  PTE_WRITE,
  PTE_YOUNG,
  pmdKey,
  tlbEntry,
} from '../model/entry.js';
import {
  emptyMachine,
  type MutableMachine,
  mapGet,
  mapSet,
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
  RUNNING,
} from '../model/machine.js';
import { isCheck, isProperty, isWarning, propertyBit } from '../model/properties.js';
import * as u from '../model/u64.js';
import { DEFAULT_VERSION, isVersion, type KernelVersion, VERSIONS } from '../model/version.js';
import { defineConstants } from './constants.js';
import { type Binding, type CompileCtx, Emitter, type Prelude, report, type Scope, site, topScope } from './context.js';
import { checkDefinitions } from './definitions.js';
import { compileExpr, constantNames } from './expr.js';
import { EMPTY } from './footprint.js';
import { computeFloors, computeReduction, monitoredObjects } from './independence.js';
import { PAGE_SIZE, PMD_SIZE, TASK_SIZE } from './mm.js';
import { lettingLeave } from './notifiers.js';
import { checkOverrideValues, checkVariantsUsed } from './overrides.js';
import {
  Exec,
  type FrameInfo,
  type LockInfo,
  type Program,
  type SecondaryInfo,
  type ThreadInfo,
  type VmaInfo,
} from './program.js';
import { RuntimeModelError, runLocals } from './runner.js';
import { SRCU_MAX_THREADS, srcuLength } from './srcu.js';
import { assignedNames, compileBody, MAX_THREADS, pickVariant, threadEndJumps } from './stmt.js';

export interface CompileOptions {
  /** `--kernel`: overrides the test's `config { kernel = …; }`. */
  readonly kernel?: KernelVersion;
  /** `--no-check`: property names to turn off. */
  readonly noCheck?: readonly string[];
  /** `--variant NAME=VAR`: the variant a call of NAME without `@variant` uses. */
  readonly variants?: ReadonlyMap<string, string>;
  /** `--secondary NAME=KIND[@VAR]`: registers secondary NAME with another kind. */
  readonly secondaryKinds?: ReadonlyMap<string, string>;
  /**
   * A `choose` is a step of its own instead of one with the statement its branch leads to
   * (`Program.chooseAlone`): the finer semantics the default one is tested against.
   */
  readonly chooseAlone?: boolean;
}

export interface CompileResult {
  readonly program: Program | undefined;
  readonly diagnostics: Diagnostic[];
}

const FLAG_NAMES: ReadonlyMap<string, number> = new Map([
  ['dirty', PG_DIRTY],
  ['locked', PG_LOCKED],
  ['swapbacked', PG_SWAPBACKED],
  ['swapcache', PG_SWAPCACHE],
  ['mlocked', PG_MLOCKED],
  ['hwpoison', PG_HWPOISON],
]);

export function compile(test: LitmusFile, prelude: Prelude, options: CompileOptions = {}): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const file = test.file;
  const err = (code: string, span: Span, message: string) =>
    report({ diagnostics } as CompileCtx, code, file, span, message);

  // --- config -----------------------------------------------------------------------------
  let version: KernelVersion = DEFAULT_VERSION;
  let disabled = 0;
  const useVariants = new Map<string, string>();
  for (const c of test.config) {
    if (c.key === 'kernel') {
      if (typeof c.value === 'string' && isVersion(c.value)) version = c.value;
      else
        err(
          'ML2018',
          c.valueSpan,
          `Unknown kernel version ${JSON.stringify(String(c.value))}: use one of ${VERSIONS.join(', ')}.`,
        );
    } else if (c.key === 'check') {
      const v = String(c.value);
      const name = v.replace(/^[-+]/, '');
      if (!isCheck(name)) err('ML2010', c.valueSpan, `Unknown property '${name}'.`);
      else if (v.startsWith('-')) disabled |= 1 << propertyBit(name);
    } else if (c.key === 'use') {
      // `use = "wp_page_copy@no_notify";`: calls of that routine without a variant use this one.
      const m = /^([A-Za-z_]\w*)@([A-Za-z0-9_.]+)$/.exec(String(c.value));
      if (m === null)
        err('ML2018', c.valueSpan, `'use' takes "routine@variant", not ${JSON.stringify(String(c.value))}.`);
      else useVariants.set(m[1]!, m[2]!);
    } else {
      err('ML2018', c.keySpan, `Unknown config key '${c.key}': the keys are 'kernel', 'check' and 'use'.`);
    }
  }
  if (options.kernel !== undefined) version = options.kernel;
  for (const name of options.noCheck ?? []) if (isCheck(name)) disabled |= 1 << propertyBit(name);
  // A bad override is reported on the option alone: compiling with it would only cascade.
  const variants = options.variants ?? new Map<string, string>();
  const overrideErrors = checkOverrideValues(test, prelude, variants, options.secondaryKinds ?? new Map(), version);
  if (overrideErrors.length > 0) return { program: undefined, diagnostics: [...diagnostics, ...overrideErrors] };

  diagnostics.push(...checkDefinitions(test.routines, test.secondaries));

  // --- names declared by the test -------------------------------------------------------------
  const testNames = new Map<string, Binding>();
  const declared = new Map<string, Span>();
  const declare = (name: string, span: Span, b: Binding) => {
    if (declared.has(name)) {
      err('ML2008', span, `'${name}' is already declared.`);
      return;
    }
    declared.set(name, span);
    testNames.set(name, b);
  };
  const frames: FrameInfo[] = [];
  const vmas: VmaInfo[] = [];
  const locks: LockInfo[] = [];
  const globals = new Map<string, number>();
  const globalInit: u.U64[] = [];
  const varNames: string[] = [];
  for (const d of test.init) {
    if (d.kind === 'frame') {
      const id = frames.length + 1;
      frames.push({ name: d.name, id, thp: d.thp, file: d.file, hugetlb: false, pageCacheAddr: undefined });
      declare(d.name, d.nameSpan, { kind: 'frame', id });
    } else if (d.kind === 'vma') {
      declare(d.name, d.nameSpan, { kind: 'vma', id: vmas.length + 1 });
      vmas.push({
        name: d.name,
        id: vmas.length + 1,
        start: 0,
        end: 0,
        anon: d.backing === 'anon',
        shared: d.shared,
        hugetlb: d.hugetlb,
        writable: d.prot === 'rw',
      });
    } else if (d.kind === 'lock') {
      declare(d.name, d.nameSpan, { kind: 'lock', id: locks.length + 1 });
      locks.push({ name: d.name, kind: d.lockKind });
    } else if (d.kind === 'global') {
      declare(d.name, d.nameSpan, { kind: 'var', index: varNames.length });
      globals.set(d.name, varNames.length);
      varNames.push(d.name);
      globalInit.push(0);
    }
  }
  const ctx: CompileCtx = {
    version,
    testFile: file,
    frames,
    vmas,
    locks,
    secondaries: [],
    globals,
    testNames,
    testRoutines: test.routines,
    prelude,
    diagnostics,
    // Command-line (and matrix) choices override the test's own `use`.
    variants: new Map([...useVariants, ...variants]),
    constants: new Map(),
    resolved: new Set(),
    srcu: lettingLeave(test),
  };
  // --- named constants: the prelude's, then the test's (constants.ts) ---------------------
  defineConstants(ctx, prelude.constants ?? [], true);
  defineConstants(ctx, test.constants, false);
  for (const [name, c] of ctx.constants) {
    const at = declared.get(name);
    if (at === undefined) continue;
    if (c.prelude) {
      const where = `${c.file.path}:${lineAndColumn(c.file, c.span.start).line}`;
      err('ML2008', at, `'${name}' is already declared: it is a constant of the prelude (${where}).`);
    } else {
      err('ML2008', c.span, `'${name}' is already declared.`);
    }
  }
  const constScope = topScope(file, true);
  const constEval = (e: Expr, scope: Scope = constScope): u.U64 | undefined => {
    const before = diagnostics.length;
    const c = compileExpr({ ctx, scope, regType: () => 'int' }, e);
    if (diagnostics.length > before) return undefined;
    if (c.shared) {
      report(ctx, 'ML3008', scope.file, e.span, 'An initial value must be a constant expression.');
      return undefined;
    }
    try {
      return c.fn(dummyExec());
    } catch {
      report(ctx, 'ML3008', scope.file, e.span, 'This initial value cannot be computed (division by zero?).');
      return undefined;
    }
  };

  // --- initial state ------------------------------------------------------------------------
  const nf = frames.length;
  const m: MutableMachine = {
    ...emptyMachine(),
    content: new Array<u.U64>(nf).fill(0),
    backing: new Array<u.U64>(nf).fill(0),
    refcount: new Array<number>(nf).fill(0),
    mapcount: new Array<number>(nf).fill(0),
    fflags: new Array<number>(nf).fill(0),
    // __mmu_notifier_register() (mm/mmu_notifier.c) starts invalidate_seq at 2: even, idle.
    itreeSeq: 2,
  };
  const frameOf = (name: string, span: Span): number | undefined => {
    const b = testNames.get(name);
    if (b?.kind !== 'frame') {
      err('ML2001', span, `Unknown frame '${name}'.`);
      return undefined;
    }
    return b.id;
  };
  const mutableFrames = frames as { -readonly [K in keyof FrameInfo]: FrameInfo[K] }[];
  let vmaIndex = 0;
  let frameIndex = 0;
  const addr = (e: Expr, what: string, align: number): number | undefined => {
    const v = constEval(e);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || v >= TASK_SIZE) {
      err('ML3001', e.span, `The ${what} ${u.hex(v)} is not a user address (below 2^47).`);
      return undefined;
    }
    if (v % align !== 0) {
      err('ML3001', e.span, `The ${what} ${u.hex(v)} is not aligned to ${u.hex(align)}.`);
      return undefined;
    }
    return v;
  };
  const vmaAt = (a: number) => vmas.find((v) => v.start <= a && a < v.end);
  const secondaryDecls: Extract<LitmusFile['init'][number], { kind: 'secondary' }>[] = [];
  const tlbDecls: Extract<LitmusFile['init'][number], { kind: 'tlb' }>[] = [];
  for (const d of test.init) {
    switch (d.kind) {
      case 'vma': {
        const v = vmas[vmaIndex++] as { -readonly [K in keyof VmaInfo]: VmaInfo[K] };
        const start = addr(d.start, 'vma start', PAGE_SIZE);
        const end = d.end.kind === 'num' && d.end.value === 1n << 47n ? TASK_SIZE : addr(d.end, 'vma end', PAGE_SIZE);
        if (start === undefined || end === undefined) break;
        if (start >= end) {
          err('ML3001', d.span, `The vma [${u.hex(start)}, ${u.hex(end)}) is empty.`);
          break;
        }
        if (vmas.some((o) => o !== v && o.end > start && o.start < end)) {
          err('ML3002', d.span, `The vma '${d.name}' overlaps another vma.`);
          break;
        }
        v.start = start;
        v.end = end;
        break;
      }
      case 'frame': {
        const i = frameIndex++;
        if (d.free) {
          m.fflags[i] = PG_FREE;
          break;
        }
        const c = d.content === undefined ? 0 : constEval(d.content);
        m.content[i] = c ?? 0;
        if (d.file) {
          // A page-cache page: the cache's own reference keeps it until truncation or reclaim
          // removes it (delete_from_page_cache()), whatever its mappings do.
          m.backing[i] = c ?? 0;
          m.fflags[i] = PG_BACKED | PG_PAGECACHE;
          m.refcount[i]!++;
        } else {
          m.fflags[i] = PG_ANON | PG_SWAPBACKED;
        }
        break;
      }
      case 'pte':
      case 'pmd': {
        const huge = d.kind === 'pmd';
        const a = addr(d.addr, `${d.kind} address`, huge ? PMD_SIZE : PAGE_SIZE);
        if (a === undefined) break;
        const v = vmaAt(a);
        if (v === undefined) {
          err('ML3003', d.addr.span, `No vma contains ${u.hex(a)}.`);
          break;
        }
        const key = huge ? pmdKey(a) : a;
        if (mapGet(m.pt, key, 0) !== 0) {
          err('ML3004', d.span, `${d.kind} ${u.hex(a)} is declared twice.`);
          break;
        }
        const e = entryValue(d.entry, huge);
        if (e === undefined) break;
        if (e !== 0) mapSet(m.pt, key, e, 0);
        if (d.entry.kind === 'none') break;
        const id = frameOf(d.entry.frame, d.entry.frameSpan);
        if (id === undefined) break;
        const i = id - 1;
        const info = mutableFrames[i]!;
        if (d.entry.kind === 'present') {
          if ((m.fflags[i]! & PG_FREE) !== 0) {
            err('ML3004', d.entry.frameSpan, `Frame '${info.name}' is free, so no entry can map it.`);
            break;
          }
          if (huge && !info.thp) {
            err('ML3006', d.entry.frameSpan, `A pmd entry maps a PMD-sized page: declare '${info.name}' as 'thp'.`);
            break;
          }
          if (!huge && info.thp && v.hugetlb) {
            err('ML3006', d.entry.frameSpan, `A hugetlb page is mapped by a pmd entry, not a pte.`);
            break;
          }
          m.refcount[i]!++;
          m.mapcount[i]!++;
          if (info.file && info.pageCacheAddr === undefined) info.pageCacheAddr = a;
          if (v.hugetlb) info.hugetlb = true;
          if (v.anon && !info.file) m.fflags[i]! |= PG_ANON | PG_SWAPBACKED;
        } else if (d.entry.kind === 'swap') {
          // The swap entry names the frame whose backing copy (the swap slot) holds the data.
          m.fflags[i]! |= PG_BACKED;
          m.backing[i] = m.content[i]!;
          if ((m.fflags[i]! & PG_FREE) === 0) m.fflags[i]! |= PG_SWAPCACHE;
        } else if (d.entry.kind === 'hwpoison') {
          m.fflags[i]! |= PG_HWPOISON;
        }
        break;
      }
      case 'ref': {
        const id = frameOf(d.frame, d.frameSpan);
        if (id === undefined) break;
        if ((m.fflags[id - 1]! & PG_FREE) !== 0)
          err('ML3004', d.frameSpan, `Frame '${d.frame}' is free, so nothing can hold a reference to it.`);
        else m.refcount[id - 1]!++;
        break;
      }
      case 'flag': {
        const id = frameOf(d.frame, d.frameSpan);
        const f = FLAG_NAMES.get(d.flag);
        if (f === undefined) {
          err('ML3007', d.flagSpan, `Unknown page flag '${d.flag}': use ${[...FLAG_NAMES.keys()].join(', ')}.`);
          break;
        }
        if (id !== undefined) m.fflags[id - 1]! |= f;
        break;
      }
      case 'global': {
        const v = constEval(d.value);
        const index = globals.get(d.name);
        if (v !== undefined && index !== undefined) globalInit[index] = v;
        break;
      }
      case 'secondary':
        secondaryDecls.push(d);
        break;
      case 'tlb':
        tlbDecls.push(d);
        break;
      case 'lock':
        break;
    }
  }
  function entryValue(e: EntryInit, huge: boolean): number | undefined {
    if (e.kind === 'none') return 0;
    const id = frameOf(e.frame, e.frameSpan);
    if (id === undefined) return undefined;
    const h = huge ? PTE_HUGE : 0;
    switch (e.kind) {
      case 'present': {
        let f = h;
        for (const fl of e.flags) {
          if (fl === 'rw') f |= PTE_WRITE;
          else if (fl === 'dirty') f |= PTE_DIRTY;
          else if (fl === 'young') f |= PTE_YOUNG;
          else if (fl === 'soft_dirty') f |= PTE_SOFT_DIRTY;
        }
        return makePte(PTE_PRESENT, id, f);
      }
      case 'swap':
        return makePte(PTE_SWAP, id, h);
      case 'migration':
        return makePte(PTE_MIGRATION, id, h | (e.write ? PTE_WRITE : 0));
      case 'hwpoison':
        return makePte(PTE_HWPOISON, id, h);
    }
  }

  // --- threads, secondaries, translation caches ----------------------------------------------
  const threadNames = new Map<string, number>();
  for (const t of test.threads) {
    if (threadNames.has(t.name) || declared.has(t.name)) err('ML2008', t.nameSpan, `'${t.name}' is already declared.`);
    threadNames.set(t.name, threadNames.size);
  }
  const tlbNames: string[] = [];
  const cpuTlb = new Map<string, number>();
  for (const t of test.threads) {
    if (t.threadKind === 'cpu') {
      cpuTlb.set(t.name, tlbNames.length);
      tlbNames.push(t.name);
      m.tlb.push([]);
    }
  }
  // Secondaries whose kind is unknown (ML2014): what names them is not reported again.
  const unknownKind = new Set<string>();
  for (const d of secondaryDecls) {
    const override = options.secondaryKinds?.get(d.name)?.split('@');
    const kind = override?.[0] ?? d.type;
    const kindVariant = override === undefined ? d.variant : override[1];
    const def = findSecondary(test, prelude, kind, kindVariant, version);
    if (def === undefined) {
      const all = [...test.secondaries, ...prelude.secondaries];
      const label = (s: SecondaryDef) => (s.variant ? `${s.name}@${s.variant}` : s.name);
      const same = all.filter((s) => s.name === kind);
      if (same.length > 0 && kindVariant === undefined) {
        err(
          'ML2014',
          d.typeSpan,
          `Secondary kind '${kind}' has no variant for kernel ${version} (available: ${same.map(label).join(', ')}).`,
        );
      } else {
        const have = [...new Set(all.map(label))].join(', ');
        err(
          'ML2014',
          d.typeSpan,
          `Unknown secondary kind '${kind}${kindVariant ? `@${kindVariant}` : ''}' (available: ${have}).`,
        );
      }
      unknownKind.add(d.name);
      continue;
    }
    if (declared.has(d.name) || threadNames.has(d.name)) {
      err('ML2008', d.nameSpan, `'${d.name}' is already declared.`);
      continue;
    }
    declared.set(d.name, d.nameSpan);
    const index = ctx.secondaries.length;
    const info: SecondaryInfo = {
      name: d.name,
      index,
      def,
      tlb: tlbNames.length,
      varBase: varNames.length,
      varNames: def.state.map((s) => s.name),
      lockBase: locks.length,
      lockNames: def.locks.map((l) => l.name),
      sharesPageTables: def.sharesPageTables,
    };
    tlbNames.push(d.name);
    m.tlb.push([]);
    for (const s of def.state) {
      varNames.push(`${d.name}.${s.name}`);
      const secScope: Scope = { ...constScope, file: def.file, seesTest: def.file === file, names: new Map() };
      globalInit.push(constEval(s.value, secScope) ?? 0);
    }
    for (const l of def.locks) locks.push({ name: `${d.name}.${l.name}`, kind: l.lockKind });
    ctx.secondaries.push(info);
    m.subOpen.push(0);
    // A new interval subscription starts at an odd value different from the mm's (mmu_notifier.c).
    m.subSeq.push(1);
  }
  m.vars = globalInit;
  m.locks = new Array<number>(locks.length).fill(0);
  for (const d of tlbDecls) {
    const t = cpuTlb.get(d.owner) ?? ctx.secondaries.find((s) => s.name === d.owner)?.tlb;
    if (unknownKind.has(d.owner)) continue;
    if (t === undefined) {
      err('ML2015', d.ownerSpan, `'${d.owner}' is neither a secondary nor a cpu thread, so it has no TLB.`);
      continue;
    }
    const a = addr(d.addr, 'tlb address', PAGE_SIZE);
    const id = frameOf(d.frame, d.frameSpan);
    if (a === undefined || id === undefined) continue;
    const pmd = mapGet(m.pt, pmdKey(a - (a % PMD_SIZE)), 0);
    const huge = pmd !== 0;
    const key = huge ? pmdKey(a - (a % PMD_SIZE)) : a;
    const e = huge ? pmd : mapGet(m.pt, a, 0);
    if ((e & 7) !== PTE_PRESENT || e >>> 8 !== id) {
      err('ML3005', d.span, `No present entry maps '${d.frame}' at ${u.hex(a)}, so no TLB can hold this translation.`);
      continue;
    }
    if (d.write && (e & PTE_WRITE) === 0) {
      err('ML3005', d.span, `The entry at ${u.hex(a)} is read-only, so the translation cannot be writable.`);
      continue;
    }
    const isSecondary = t >= cpuTlb.size;
    const cachesDirty = !isSecondary || ctx.secondaries.find((s) => s.tlb === t)!.sharesPageTables;
    if (d.dirty && cachesDirty && (e & PTE_DIRTY) === 0) {
      err('ML3005', d.span, `The entry at ${u.hex(a)} is clean, so a TLB cannot cache it dirty.`);
      continue;
    }
    mapSet(m.tlb[t]!, key, tlbEntry(id, d.write, d.dirty, huge), 0);
  }

  // --- compile the threads -------------------------------------------------------------------
  const threads: ThreadInfo[] = [];
  const extra = test.threads[MAX_THREADS];
  if (extra !== undefined) err('ML2024', extra.nameSpan, `A test has at most ${MAX_THREADS} threads.`);
  if (ctx.srcu && test.threads.length > SRCU_MAX_THREADS) {
    const t = test.threads[SRCU_MAX_THREADS]!;
    err(
      'ML2092',
      t.nameSpan,
      `A test that lets a secondary leave (mmu_notifier_unregister, _put, _synchronize) has at most ${SRCU_MAX_THREADS} threads.`,
    );
  }
  test.threads.forEach((t, index) => {
    let sec: SecondaryInfo | undefined;
    if (t.threadKind === 'device') {
      sec = ctx.secondaries.find((s) => s.name === t.on?.name);
      if (sec === undefined && t.on !== undefined && !diagnostics.some((d) => d.code === 'ML2014')) {
        err('ML2015', t.on.span, `'${t.on.name}' is not a secondary declared in the initial state.`);
      }
      if (t.on === undefined) err('ML2015', t.nameSpan, `A device thread needs 'on SECONDARY'.`);
    }
    const em = new Emitter(ctx, t.name, index, t.threadKind, sec, cpuTlb.get(t.name));
    const names = new Map<string, Binding>();
    for (const [name, span] of assignedNames(t.body)) {
      if (globals.has(name)) continue;
      if (!checkAssignable(ctx, file, name, span, testNames)) continue;
      names.set(name, { kind: 'reg', slot: em.newReg(name) });
    }
    const visible = new Map<string, number>();
    for (const [name, b] of names) if (b.kind === 'reg') visible.set(name, b.slot);
    const scope: Scope = {
      file,
      names,
      seesTest: true,
      sec: undefined,
      routine: undefined,
      loops: [],
      chain: [],
      inlining: [],
      atomic: false,
    };
    if (t.threadKind !== 'device' || sec !== undefined) compileBody(em, scope, t.body);
    const end = em.emit(
      'end',
      () => em.code.length - 1,
      site(scope, { start: t.body.span.end - 1, end: t.body.span.end }, '}'),
      undefined,
      EMPTY,
    );
    for (const j of threadEndJumps(em)) j.pc = end;
    threads.push({
      name: t.name,
      index,
      kind: t.threadKind,
      secondary: sec?.index,
      tlb: sec !== undefined ? sec.tlb : cpuTlb.get(t.name),
      code: em.code,
      floor: computeFloors(em.code.length, em.backJumps),
      regNames: em.regNames,
      regTypes: em.regTypes,
      visible,
    });
    m.threads.push({
      pc: 0,
      status: RUNNING,
      regs: new Array<u.U64>(em.regNames.length).fill(0),
      brackets: [],
      pending: [],
      weak: [],
      nonblock: 0,
      ubc: 0,
      gather: [],
      mmap: 0,
    });
  });

  // --- final condition and expectations ----------------------------------------------------
  const locationAddrs = new Map<Location, number>();
  const checkLoc = (l: Location) => {
    switch (l.kind) {
      case 'reg': {
        const t = threads.find((th) => th.name === l.thread);
        if (t === undefined) err('ML2009', l.span, `Unknown thread '${l.thread}'.`);
        else if (!t.visible.has(l.reg)) err('ML2009', l.span, `Thread ${l.thread} has no register '${l.reg}'.`);
        return;
      }
      case 'content':
        frameOf(l.frame, l.span);
        return;
      case 'pte':
      case 'tlb': {
        if (l.kind === 'tlb' && !tlbNames.includes(l.owner) && !unknownKind.has(l.owner)) {
          err('ML2015', l.span, `'${l.owner}' is neither a secondary nor a cpu thread, so it has no TLB.`);
        }
        const a = addr(l.addr, `${l.kind} location address`, PAGE_SIZE);
        if (a !== undefined) locationAddrs.set(l, a);
        return;
      }
      case 'global': {
        const name = l.owner === undefined ? l.name : `${l.owner}.${l.name}`;
        if (!varNames.includes(name) && !unknownKind.has(l.owner ?? ''))
          err('ML2001', l.span, `Unknown variable '${name}'.`);
        return;
      }
    }
  };
  const checkCond = (c: Cond): void => {
    switch (c.kind) {
      case 'true':
      case 'false':
        return;
      case 'and':
      case 'or':
      case 'implies':
        checkCond(c.left);
        checkCond(c.right);
        return;
      case 'not':
        checkCond(c.arg);
        return;
      case 'eq':
      case 'ne':
        checkLoc(c.loc);
        if (
          c.value.kind === 'name' &&
          c.value.name !== 'none' &&
          testNames.get(c.value.name)?.kind !== 'frame' &&
          !ctx.constants.has(c.value.name) &&
          !['NULL', 'true', 'false'].includes(c.value.name)
        ) {
          err(
            'ML2001',
            c.value.span,
            `Unknown value '${c.value.name}': use a number, a frame name, a constant or 'none'.`,
          );
        }
        return;
      case 'pred':
        frameOf(c.frame, c.span);
        return;
      case 'prop':
        if (!isCheck(c.name)) err('ML2010', c.span, `Unknown property '${c.name}'.`);
        return;
    }
  };
  if (test.condition !== undefined) checkCond(test.condition.cond);
  if (test.filter !== undefined) checkCond(test.filter);
  for (const l of test.locations) checkLoc(l);
  for (const item of test.expect ?? []) {
    if (item.kind === 'violates' || item.kind === 'warns')
      for (const p of item.props) {
        const ok = item.kind === 'warns' ? isWarning(p.name) : isProperty(p.name);
        if (!ok) err('ML2010', p.span, `Unknown ${item.kind === 'warns' ? 'review warning' : 'property'} '${p.name}'.`);
      }
  }

  if (ctx.srcu) m.srcu = new Array<number>(srcuLength(ctx.secondaries.length, threads.length)).fill(0);
  if (diagnostics.length === 0) diagnostics.push(...checkVariantsUsed(test, prelude, variants, ctx.resolved));
  if (diagnostics.some((d) => d.severity === 'error')) return { program: undefined, diagnostics };
  const program: Program = {
    test,
    version,
    frames,
    vmas,
    secondaries: ctx.secondaries,
    threads,
    locks,
    varNames,
    globals,
    tlbNames,
    initial: m,
    disabled,
    condition: test.condition,
    filter: test.filter,
    locations: test.locations,
    locationAddrs,
    constants: new Map([...ctx.constants].map(([name, c]) => [name, c.value])),
    expect: test.expect,
    reduction: computeReduction(threads, monitoredObjects(disabled, tlbNames.length), options.chooseAlone === true),
    chooseAlone: options.chooseAlone === true,
    ptChangedAt: threads.map((t) => new Uint8Array(t.code.length)),
  };
  // Threads start with their leading local statements already run.
  try {
    for (let t = 0; t < threads.length; t++) {
      const x = new Exec(program, m, false);
      x.t = t;
      x.th = m.threads[t]!;
      runLocals(x, 0);
    }
  } catch (e) {
    if (!(e instanceof RuntimeModelError)) throw e;
    report(ctx, e.code, e.site.file, e.site.span, e.message);
    return { program: undefined, diagnostics };
  }
  return { program, diagnostics };
}

/** A name of the test that is not a value holder cannot be assigned (ML2007). */
function checkAssignable(
  ctx: CompileCtx,
  file: LitmusFile['file'],
  name: string,
  span: Span,
  names: ReadonlyMap<string, Binding>,
): boolean {
  const b = names.get(name);
  const what =
    b?.kind === 'frame'
      ? 'a frame'
      : b?.kind === 'vma'
        ? 'a vma'
        : b?.kind === 'lock'
          ? 'a lock'
          : constantNames().includes(name) || ctx.constants.has(name)
            ? 'a constant'
            : undefined;
  if (what === undefined) return true;
  report(ctx, 'ML2007', file, span, `Cannot assign to '${name}': it is ${what}, not a register.`);
  return false;
}

function findSecondary(
  test: LitmusFile,
  prelude: Prelude,
  name: string,
  variant: string | undefined,
  version: string,
): SecondaryDef | undefined {
  const local = test.secondaries.filter((s) => s.name === name);
  const candidates = local.length > 0 ? local : prelude.secondaries.filter((s) => s.name === name);
  return pickVariant(candidates, variant, version);
}

function dummyExec(): Exec {
  const x = new Exec({ disabled: 0 } as Program, emptyMachine(), false);
  return x;
}
