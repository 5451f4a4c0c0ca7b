// The text output of `mmu-litmus run` (DESIGN §6): the herd-compatible block first, then our
// lines (violations, expectation, search summary), then one shortest trace per violation with a
// replay command. Deterministic unless statistics are asked for.

import { stepStatement, type TraceStep } from '../check/trace.js';
import type { Verdict } from '../check/verdict.js';
import { cLocationOf } from '../lang/cMarker.js';
import { lineAndColumn, lineText, type SourceFile } from '../lang/source.js';
import { CHECKS } from '../model/properties.js';
import { printCond } from './cond.js';

export interface TextOptions {
  /** How the test file is named on the replay line. */
  readonly displayPath: string;
  /** Hash of the test text (herd's `Hash=`). */
  readonly hash: string;
  readonly stats: boolean;
  /** Extra options to repeat on the replay line (e.g. `--kernel v4.13`). */
  readonly replayOptions: string;
}

export function kindOf(v: Verdict): string {
  const q = v.program.condition?.quantifier;
  return q === '~exists' ? 'Forbidden' : q === 'forall' ? 'Required' : 'Allowed';
}

/** Whether herd would print `Ok` (the condition is validated). */
export function validated(v: Verdict): boolean {
  const q = v.program.condition?.quantifier;
  if (q === 'exists') return v.positive > 0;
  if (q === '~exists') return v.positive === 0;
  return v.negative === 0 && v.positive > 0;
}

export function searchLine(v: Verdict): string {
  const r = v.result;
  const counts = `${r.states} states, ${r.transitions} transitions, depth ${r.depth}`;
  if (r.complete) return `Search complete: ${counts}`;
  const why =
    r.incomplete === 'max-states'
      ? 'the state limit was reached'
      : r.incomplete === 'max-depth'
        ? 'the depth limit was reached'
        : r.incomplete === 'timeout'
          ? 'the time limit was reached'
          : 'it stopped at the first violation';
  return `Search INCOMPLETE (${why}): ${counts}; verdicts are not exhaustive`;
}

export function expectLine(v: Verdict): string {
  const e = v.expectation;
  if (e.ok) return 'Expect ok';
  if (e.undecided) return 'Expect undecided (search incomplete)';
  return `Expect FAILED: ${e.failures.join(' ')}`;
}

/**
 * Whether herd's `Ok`/`No` is settled by the final states found: always after a complete search;
 * after an incomplete one only when a state found already decides it (a witness for `exists`, a
 * counterexample for `~exists` or `forall`).
 */
export function settled(v: Verdict): boolean {
  if (v.result.complete) return true;
  const q = v.program.condition?.quantifier;
  return q === 'forall' ? v.negative > 0 : v.positive > 0;
}

export function verdictBlock(v: Verdict, o: TextOptions): string {
  const name = v.program.test.name;
  const complete = v.result.complete;
  const lines: string[] = [];
  lines.push(`Test ${name} ${kindOf(v)}`);
  // A cut-off search reports what it found so far; nothing below may read as a verdict on the
  // states it did not reach (herd's `Observation … Unknown` stays).
  if (!complete) lines.push(`Search cut short: found in the ${v.result.states} states searched so far`);
  lines.push(`States ${v.finals.length}`);
  for (const f of v.finals) lines.push(f.line === '' ? '(no locations)' : f.line);
  const cond = v.program.condition;
  if (cond !== undefined) {
    if (settled(v)) lines.push(validated(v) ? 'Ok' : 'No');
    lines.push('Witnesses');
    const q = cond.quantifier;
    const pos = q === '~exists' ? v.negative : v.positive;
    const neg = q === '~exists' ? v.positive : v.negative;
    lines.push(`Positive: ${pos} Negative: ${neg}`);
    lines.push(`Condition ${q} (${printCond(cond.cond)})`);
    lines.push(`Observation ${name} ${v.observation ?? 'Unknown'} ${v.positive} ${v.negative}`);
  }
  const names = v.violations.map((x) => x.property);
  const sofar = complete ? ' ' : ' found so far: ';
  lines.push(`Violations${sofar}${names.length === 0 ? 'none' : names.join(' ')}`);
  if (v.warnings.length > 0) lines.push(`Warnings${sofar}${v.warnings.map((x) => x.property).join(' ')}`);
  lines.push(expectLine(v));
  lines.push(searchLine(v));
  if (o.stats) {
    const r = v.result;
    const secs = r.elapsedMs / 1000;
    lines.push(
      `Stats: ${secs.toFixed(2)} s, ${Math.round(r.states / Math.max(secs, 1e-9))} states/s, ${r.bytesPerState.toFixed(1)} bytes per stored state, peak memory ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MB, ${r.reducedExpansions} states expanded with a persistent set`,
    );
  }
  lines.push(`Hash=${o.hash}`);
  return `${lines.join('\n')}\n`;
}

/** Traces are kept to this width (a terminal of 120 columns), folding what would not fit. */
const TRACE_WIDTH = 120;

/** `file:line` of one point (`:line` when `prev` is the same file), with its C line if imported. */
function point(file: SourceFile, offset: number, prev: string | undefined): string {
  const line = lineAndColumn(file, offset).line;
  // a statement imported from C (`mmu-litmus import`) also names its C line
  const c = cLocationOf(lineText(file, line));
  const at = c === undefined ? '' : ` (${c.path}:${c.line})`;
  return `${file.path === prev ? '' : file.path}:${line}${at}`;
}

/** Where the step's statement is: `test.litmus:17`, or for an inlined routine its own line. */
function location(step: TraceStep): string {
  const s = step.site;
  if (s === undefined) return '-';
  return point(s.file, s.span.start, undefined);
}

/**
 * The calls a step runs inside, outermost first: `test.litmus:44 > shrink_page
 * prelude/try_to_unmap.litmus:729 > try_to_unmap_one@v4.13`. Printed on a line of its own when
 * it changes, so the step lines keep only the innermost location.
 */
function callChain(step: TraceStep): string {
  const s = step.site;
  if (s === undefined || s.chain.length === 0) return '';
  const parts: string[] = [];
  let prev: string | undefined;
  s.chain.forEach((c, i) => {
    parts.push(`${i === 0 ? '' : `${s.chain[i - 1]!.callee} `}${point(c.file, c.span.start, prev)}`);
    prev = c.file.path;
  });
  parts.push(s.chain[s.chain.length - 1]!.callee);
  return parts.join(' > ');
}

/** `text` after `indent`, broken at `sep` so that no line is wider than the trace width. */
function fold(indent: string, text: string, sep: string, more: string): string[] {
  const words = text.split(sep);
  const lines: string[] = [];
  let cur = indent + words[0]!;
  for (const w of words.slice(1)) {
    if (cur.length + sep.length + w.length > TRACE_WIDTH) {
      lines.push(cur + sep.trimEnd());
      cur = more + w;
    } else cur += sep + w;
  }
  lines.push(cur);
  return lines;
}

export function traceText(steps: readonly TraceStep[]): string {
  const rows = steps.map((s) => {
    const what = s.thread === undefined ? `deadlock: ${s.waiting ?? ''}` : stepStatement(s);
    return {
      n: String(s.index),
      t: s.thread ?? '--',
      loc: location(s),
      chain: callChain(s),
      what,
      changes: s.changes.join('; '),
      events: s.events,
    };
  });
  const wn = Math.max(1, ...rows.map((r) => r.n.length));
  const wt = Math.max(2, ...rows.map((r) => r.t.length));
  const wl = Math.max(1, ...rows.map((r) => r.loc.length));
  // The statement column is as wide as its longest entry, but never so wide that it alone pushes
  // the changes past the trace width; a longer statement moves the changes to the next line.
  const head = (n: string, t: string, loc: string) => `  ${n.padStart(wn)}  ${t.padEnd(wt)}  ${loc.padEnd(wl)}  `;
  const headWidth = head('', '', '').length;
  const ww = Math.min(Math.max(1, ...rows.map((r) => r.what.length)), Math.max(24, TRACE_WIDTH - headWidth - 40));
  const indent = ' '.repeat(wn + 4);
  const out: string[] = [];
  const lastChain = new Map<string, string>();
  for (const r of rows) {
    if (r.chain !== '' && lastChain.get(r.t) !== r.chain) {
      out.push(...fold(`${indent}${r.t} in `, r.chain, ' > ', `${indent}     `));
    }
    lastChain.set(r.t, r.chain);
    const h = head(r.n, r.t, r.loc);
    if (r.changes === '') out.push(`${h}${r.what}`.trimEnd());
    else if (r.what.length <= ww && h.length + ww + 2 + r.changes.length <= TRACE_WIDTH)
      out.push(`${h}${r.what.padEnd(ww)}  ${r.changes}`.trimEnd());
    else {
      out.push(`${h}${r.what}`.trimEnd());
      out.push(...fold(`${' '.repeat(h.length)}→ `, r.changes, '; ', `${' '.repeat(h.length + 2)}`));
    }
    for (const e of r.events)
      out.push(...fold(`${indent}! `, `${CHECKS[e.property]}: ${e.message}`, ' ', `${indent}  `));
  }
  return `${out.join('\n')}\n`;
}

/** The message of the event that violates `property` at the last step of its trace. */
export function violationMessage(steps: readonly TraceStep[], property: string): string {
  for (let i = steps.length - 1; i >= 0; i--) {
    for (const e of steps[i]!.events) if (CHECKS[e.property] === property) return e.message;
  }
  return 'violated in the initial state';
}

/**
 * The heading of a witness trace: an execution to a final state where the condition's
 * proposition holds (`exists`, `~exists`) or fails (`forall`).
 */
export function witnessHeading(v: Verdict): string {
  const c = v.program.condition!;
  const prop = printCond(c.cond);
  const none = v.witness === undefined;
  if (c.quantifier === 'forall')
    return none ? `Witness: no final state where (${prop}) fails` : `Witness: a final state where (${prop}) fails`;
  return none ? `Witness: no final state where (${prop}) holds` : `Witness: a final state where (${prop}) holds`;
}

export function replayLine(o: TextOptions, schedule: readonly number[]): string {
  const s = schedule.length === 0 ? '' : ` --schedule ${schedule.join('.')}`;
  return `Replay: npx mmu-litmus run ${o.displayPath}${o.replayOptions}${s}`;
}
