// Final conditions (DESIGN §2.8): the values a final state gives to locations, whether a herd
// condition holds, and the line that identifies a final state in the herd-style block.

import type { Cond, CondValue, Expr, Location } from '../lang/ast.js';
import { printExpr } from '../lang/printer.js';
import { formatPte, isPresent, pmdKey, pteFrame, tlbFrame } from '../model/entry.js';
import { type Machine, mapGet, PG_DIRTY, PG_FREE } from '../model/machine.js';
import { propertyBit } from '../model/properties.js';
import * as u from '../model/u64.js';
import { frameName, isFree, PMD_SIZE, translationOf } from './mm.js';
import type { Program, ValueType } from './program.js';

/** A location's value in a final state, with its type for printing. */
interface Value {
  readonly v: u.U64;
  readonly type: ValueType | 'entry' | 'tlb';
}

function locationValue(prog: Program, m: Machine, l: Location): Value {
  switch (l.kind) {
    case 'reg': {
      const t = prog.threads.find((th) => th.name === l.thread)!;
      const slot = t.visible.get(l.reg)!;
      const type = t.regTypes[slot] ?? 'int';
      return { v: m.threads[t.index]!.regs[slot]!, type: type === 'pte' ? 'entry' : type };
    }
    case 'content': {
      const f = prog.frames.find((fr) => fr.name === l.frame)!;
      return { v: m.content[f.id - 1]!, type: 'int' };
    }
    case 'pte': {
      const a = prog.locationAddrs.get(l) ?? 0;
      const pmd = mapGet(m.pt, pmdKey(a - (a % PMD_SIZE)), 0);
      return { v: pmd !== 0 ? pmd : mapGet(m.pt, a, 0), type: 'entry' };
    }
    case 'tlb': {
      const t = prog.tlbNames.indexOf(l.owner);
      return { v: translationOf(m, t, prog.locationAddrs.get(l) ?? 0), type: 'tlb' };
    }
    case 'global': {
      const name = l.owner === undefined ? l.name : `${l.owner}.${l.name}`;
      return { v: m.vars[prog.varNames.indexOf(name)]!, type: 'int' };
    }
  }
}

function formatValue(prog: Program, val: Value): string {
  switch (val.type) {
    case 'frame':
      return frameName(prog, Number(val.v));
    case 'pte':
    case 'entry':
      return formatPte(Number(val.v), (f) => frameName(prog, f)).replace(/ /g, '|');
    case 'tlb':
      return val.v === 0 ? 'none' : frameName(prog, tlbFrame(Number(val.v)));
    default:
      return typeof val.v === 'bigint' || val.v >= 0x10000 ? u.hex(val.v) : String(val.v);
  }
}

function valueMatches(prog: Program, val: Value, want: CondValue): boolean {
  if (want.kind === 'num') {
    if (val.type === 'entry' || val.type === 'tlb') return Number(val.v) === Number(want.value);
    return val.v === u.fromBig(want.value);
  }
  const name = want.name;
  const frame = prog.frames.find((f) => f.name === name);
  switch (val.type) {
    case 'entry': {
      const e = Number(val.v);
      if (name === 'none') return e === 0;
      return frame !== undefined && isPresent(e) && pteFrame(e) === frame.id;
    }
    case 'tlb':
      if (name === 'none') return val.v === 0;
      return frame !== undefined && val.v !== 0 && tlbFrame(Number(val.v)) === frame.id;
    default: {
      if (frame !== undefined) return val.v === frame.id;
      if (name === 'NULL' || name === 'none' || name === 'false') return val.v === 0;
      if (name === 'true') return val.v === 1;
      const constant = prog.constants?.get(name);
      if (constant !== undefined) return val.v === constant;
      return false;
    }
  }
}

export function evalCond(prog: Program, m: Machine, c: Cond): boolean {
  switch (c.kind) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'and':
      return evalCond(prog, m, c.left) && evalCond(prog, m, c.right);
    case 'or':
      return evalCond(prog, m, c.left) || evalCond(prog, m, c.right);
    case 'implies':
      return !evalCond(prog, m, c.left) || evalCond(prog, m, c.right);
    case 'not':
      return !evalCond(prog, m, c.arg);
    case 'eq':
    case 'ne': {
      const same = valueMatches(prog, locationValue(prog, m, c.loc), c.value);
      return c.kind === 'eq' ? same : !same;
    }
    case 'pred': {
      const f = prog.frames.find((fr) => fr.name === c.frame)!;
      if (c.pred === 'freed') return isFree(m, f.id);
      // dirty(p): the kernel knows the page is dirty: PG_dirty, or a dirty present entry maps it.
      if ((m.fflags[f.id - 1]! & (PG_DIRTY | PG_FREE)) === PG_DIRTY) return true;
      for (let i = 0; i < m.pt.length; i += 2) {
        const e = m.pt[i + 1]!;
        if (isPresent(e) && pteFrame(e) === f.id && (e & 16) !== 0) return true;
      }
      return false;
    }
    case 'prop':
      return (m.mask & (1 << propertyBit(c.name))) !== 0;
  }
}

/**
 * Text of a location as herd prints it: `K0:r0`, `[p]`, `pte(0x200000)`, … With `prog`, an
 * address prints as its value; without, as written.
 */
export function locationText(l: Location, prog?: Program): string {
  const where = (x: Location & { addr: Expr }) => {
    const a = prog?.locationAddrs.get(x);
    return a === undefined ? printExpr(x.addr) : u.hex(a);
  };
  switch (l.kind) {
    case 'reg':
      return `${l.thread}:${l.reg}`;
    case 'content':
      return `[${l.frame}]`;
    case 'pte':
      return `pte(${where(l)})`;
    case 'tlb':
      return `tlb(${l.owner},${where(l)})`;
    case 'global':
      return l.owner === undefined ? l.name : `${l.owner}.${l.name}`;
  }
}

type Atom =
  | { kind: 'loc'; loc: Location }
  | { kind: 'pred'; pred: 'freed' | 'dirty'; frame: string }
  | { kind: 'prop'; name: string };

function atomsOf(c: Cond | undefined, out: Atom[]): void {
  if (c === undefined) return;
  switch (c.kind) {
    case 'and':
    case 'or':
    case 'implies':
      atomsOf(c.left, out);
      atomsOf(c.right, out);
      return;
    case 'not':
      atomsOf(c.arg, out);
      return;
    case 'eq':
    case 'ne':
      out.push({ kind: 'loc', loc: c.loc });
      return;
    case 'pred':
      out.push({ kind: 'pred', pred: c.pred, frame: c.frame });
      return;
    case 'prop':
      out.push({ kind: 'prop', name: c.name });
      return;
    case 'true':
    case 'false':
      return;
  }
}

/**
 * The printed final state: `locations` first, then every atom of the condition (so that a line
 * determines whether the condition holds), each once, as `loc=value;`.
 */
export function finalLine(prog: Program, m: Machine): string {
  const atoms: Atom[] = prog.locations.map((loc) => ({ kind: 'loc', loc }));
  atomsOf(prog.condition?.cond, atoms);
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const a of atoms) {
    let key: string;
    let value: string;
    if (a.kind === 'loc') {
      key = locationText(a.loc, prog);
      value = formatValue(prog, locationValue(prog, m, a.loc));
    } else if (a.kind === 'pred') {
      key = `${a.pred}(${a.frame})`;
      value = evalCond(prog, m, { kind: 'pred', pred: a.pred, frame: a.frame, span: { start: 0, end: 0 } }) ? '1' : '0';
    } else {
      key = a.name;
      value = (m.mask & (1 << propertyBit(a.name))) !== 0 ? '1' : '0';
    }
    if (seen.has(key)) continue;
    seen.add(key);
    parts.push(`${key}=${value};`);
  }
  return parts.join(' ');
}
