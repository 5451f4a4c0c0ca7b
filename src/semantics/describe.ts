// What changed between two machine states, in the words of a trace: only the state a step
// touched, as `old -> new`.

import { formatPte, formatTlb, isPmdKey, keyAddr } from '../model/entry.js';
import {
  type Machine,
  PG_BACKED,
  PG_DIRTY,
  PG_FREE,
  PG_LOCKED,
  PG_PAGECACHE,
  PG_SWAPCACHE,
  RWSEM_WRITER,
} from '../model/machine.js';
import * as u from '../model/u64.js';
import { describeGather } from './gather.js';
import { frameName } from './mm.js';
import type { Program, ValueType } from './program.js';

function mapDiff(
  a: readonly number[],
  b: readonly number[],
  out: (key: number, before: number, after: number) => void,
): void {
  const keys = new Set<number>();
  for (let i = 0; i < a.length; i += 2) keys.add(a[i]!);
  for (let i = 0; i < b.length; i += 2) keys.add(b[i]!);
  for (const k of [...keys].sort((x, y) => x - y)) {
    const get = (m: readonly number[]) => {
      for (let i = 0; i < m.length; i += 2) if (m[i] === k) return m[i + 1]!;
      return 0;
    };
    const before = get(a);
    const after = get(b);
    if (before !== after) out(k, before, after);
  }
}

export function formatValue(prog: Program, v: u.U64, type: ValueType): string {
  switch (type) {
    case 'frame':
      return frameName(prog, Number(v));
    case 'pte':
      return formatPte(Number(v), (f) => frameName(prog, f));
    case 'vma':
      return prog.vmas[Number(v) - 1]?.name ?? 'NULL';
    case 'lock':
      return prog.locks[Number(v) - 1]?.name ?? '0';
    default:
      if (typeof v === 'bigint') return u.hex(v) === '0xffffffffffffffff' ? 'ULONG_MAX' : u.hex(v);
      return v >= 0x1000 ? u.hex(v) : String(v);
  }
}

function flagNames(f: number): string {
  const names: string[] = [];
  if (f & PG_DIRTY) names.push('dirty');
  if (f & PG_LOCKED) names.push('locked');
  if (f & PG_SWAPCACHE) names.push('swapcache');
  return names.length === 0 ? 'clean' : names.join(',');
}

/** The changes from `a` to `b`; `thread` is the thread that moved (its registers are shown). */
export function diffMachines(prog: Program, a: Machine, b: Machine, thread: number): string[] {
  const out: string[] = [];
  const fname = (id: number) => frameName(prog, id);
  mapDiff(a.pt, b.pt, (k, x, y) => {
    const where = isPmdKey(k) ? `pmd[${u.hex(keyAddr(k))}]` : `pte[${u.hex(k)}]`;
    out.push(`${where}: ${formatPte(x, fname)} -> ${formatPte(y, fname)}`);
  });
  for (let t = 0; t < b.tlb.length; t++) {
    mapDiff(a.tlb[t]!, b.tlb[t]!, (k, x, y) => {
      const show = (e: number) => (e === 0 ? 'none' : formatTlb(e, fname));
      out.push(`tlb(${prog.tlbNames[t]})[${u.hex(keyAddr(k))}]: ${show(x)} -> ${show(y)}`);
    });
  }
  for (let i = 0; i < b.content.length; i++) {
    const name = prog.frames[i]!.name;
    const parts: string[] = [];
    if (a.refcount[i] !== b.refcount[i]) parts.push(`refcount ${a.refcount[i]} -> ${b.refcount[i]}`);
    if (a.mapcount[i] !== b.mapcount[i]) parts.push(`mapcount ${a.mapcount[i]} -> ${b.mapcount[i]}`);
    const fa = a.fflags[i]!;
    const fb = b.fflags[i]!;
    if ((fa & PG_FREE) === 0 && (fb & PG_FREE) !== 0) parts.push('freed');
    if ((fa & PG_FREE) !== 0 && (fb & PG_FREE) === 0) parts.push('allocated');
    if (
      (fa & (PG_DIRTY | PG_LOCKED | PG_SWAPCACHE)) !== (fb & (PG_DIRTY | PG_LOCKED | PG_SWAPCACHE)) &&
      (fb & PG_FREE) === 0
    ) {
      parts.push(`${flagNames(fa)} -> ${flagNames(fb)}`);
    }
    // Page-cache membership changes only on delete_from_page_cache(): shown then, not on every step.
    if ((fa & PG_PAGECACHE) !== 0 && (fb & PG_PAGECACHE) === 0) parts.push('removed from the page cache');
    if (a.content[i] !== b.content[i]) parts.push(`content ${String(a.content[i])} -> ${String(b.content[i])}`);
    if (a.backing[i] !== b.backing[i] || (fa & PG_BACKED) !== (fb & PG_BACKED)) {
      parts.push(
        `backing ${(fa & PG_BACKED) !== 0 ? String(a.backing[i]) : 'none'} -> ${(fb & PG_BACKED) !== 0 ? String(b.backing[i]) : 'none'}`,
      );
    }
    if (parts.length > 0) out.push(`${name}: ${parts.join(', ')}`);
  }
  const owner = (o: number) => (o === 0 ? 'free' : (prog.threads[o - 1]?.name ?? `#${o}`));
  mapDiff(a.ptl, b.ptl, (k, x, y) => out.push(`ptl(${u.hex(k)}): ${owner(x)} -> ${owner(y)}`));
  for (let i = 0; i < b.locks.length; i++) {
    if (a.locks[i] === b.locks[i]) continue;
    const l = prog.locks[i]!;
    const show = (v: number) =>
      l.kind === 'rwsem'
        ? v >= RWSEM_WRITER
          ? `write(${owner((v & ~RWSEM_WRITER) + 1)})`
          : v === 0
            ? 'free'
            : `read x${v}`
        : owner(v);
    out.push(`${l.name}: ${show(a.locks[i]!)} -> ${show(b.locks[i]!)}`);
  }
  for (let i = 0; i < b.vars.length; i++) {
    if (a.vars[i] !== b.vars[i])
      out.push(
        `${prog.varNames[i]}: ${formatValue(prog, a.vars[i]!, 'int')} -> ${formatValue(prog, b.vars[i]!, 'int')}`,
      );
  }
  for (let s = 0; s < b.subSeq.length; s++) {
    if (a.subSeq[s] !== b.subSeq[s])
      out.push(`${prog.secondaries[s]!.name}.invalidate_seq: ${a.subSeq[s]} -> ${b.subSeq[s]}`);
  }
  if (a.srcu !== b.srcu) srcuDiff(prog, a.srcu, b.srcu, out);
  if (a.itreeSeq !== b.itreeSeq) out.push(`mm.invalidate_seq: ${a.itreeSeq} -> ${b.itreeSeq}`);
  if (a.batched !== b.batched) out.push(`mm.tlb_flush_batched: ${a.batched} -> ${b.batched}`);
  if (a.mmapLock !== b.mmapLock)
    out.push(`mm.mmap_lock: ${mmapLockText(prog, a.mmapLock)} -> ${mmapLockText(prog, b.mmapLock)}`);
  if (a.tlbFlushPending !== b.tlbFlushPending)
    out.push(`mm.tlb_flush_pending: ${a.tlbFlushPending} -> ${b.tlbFlushPending}`);
  if (thread >= 0) {
    const info = prog.threads[thread]!;
    const ta = a.threads[thread]!;
    const tb = b.threads[thread]!;
    for (const [name, slot] of info.visible) {
      if (ta.regs[slot] !== tb.regs[slot])
        out.push(`${name} = ${formatValue(prog, tb.regs[slot]!, info.regTypes[slot] ?? 'int')}`);
    }
    if (ta.brackets.length !== tb.brackets.length) {
      const b3 = tb.brackets;
      out.push(
        b3.length === 0
          ? 'invalidate_range bracket closed'
          : `open ${Array.from({ length: b3.length / 3 }, (_, i) => `[${u.hex(b3[3 * i]!)}, ${u.hex(b3[3 * i + 1]!)})`).join(' ')}`,
      );
    }
    if (ta.ubc !== tb.ubc)
      out.push(`tlb_ubc: ${tb.ubc === 0 ? 'flushed' : `flush pending${(tb.ubc & 2) !== 0 ? ' (writable)' : ''}`}`);
    if (!sameValues(ta.gather, tb.gather))
      out.push(`mmu_gather: ${describeGather(tb.gather, (id) => frameName(prog, id))}`);
    if (ta.status !== tb.status) out.push(tb.status === 1 ? 'finished' : tb.status === 2 ? 'killed' : 'running');
  }
  return out;
}

function sameValues(a: readonly u.U64[], b: readonly u.U64[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** mm->mmap_lock as a trace shows it. */
export function mmapLockText(prog: Program, v: number): string {
  if (v === 0) return 'free';
  if (v >= RWSEM_WRITER) return `write ${prog.threads[v & ~RWSEM_WRITER]?.name ?? '?'}`;
  return `read x${v}`;
}

const SUB_STATES = ['hashed', 'unhashed', 'gone'];

/** The subscriptions' list and SRCU (srcu.ts): who left the list, who reads, who waits for whom. */
function srcuDiff(prog: Program, a: readonly number[], b: readonly number[], out: string[]): void {
  const ns = prog.secondaries.length;
  const nt = prog.threads.length;
  const names = (mask: number) =>
    prog.threads
      .filter((_, u) => (mask & (1 << u)) !== 0)
      .map((t) => t.name)
      .join(' ') || 'none';
  for (let i = 0; i < b.length; i++) {
    if (a[i] === b[i]) continue;
    if (i < ns) out.push(`${prog.secondaries[i]!.name}: ${SUB_STATES[a[i]!]} -> ${SUB_STATES[b[i]!]}`);
    else if (i < ns + nt) out.push(`srcu readers: ${prog.threads[i - ns]!.name} ${a[i]} -> ${b[i]}`);
    else
      out.push(`synchronize_srcu of ${prog.threads[i - ns - nt]!.name} waits for: ${names(a[i]!)} -> ${names(b[i]!)}`);
  }
}
