// `--format json`: a versioned summary of a run. The shape is an API: add fields, never change
// the meaning of one without bumping the format version.

import type { TraceStep } from '../check/trace.js';
import type { FoundViolation, Verdict } from '../check/verdict.js';
import { cLocationOf } from '../lang/cMarker.js';
import { lineAndColumn, lineText, type SourceFile } from '../lang/source.js';
import { CHECKS } from '../model/properties.js';
import { printCond } from './cond.js';
import { expectLine, kindOf, searchLine, settled, type TextOptions, validated, violationMessage } from './text.js';

export const JSON_FORMAT = 'mmu-litmus/1';

/** `{ c: { file, line } }` for a statement imported from C (its `// file.c:LINE` marker), else `{}`. */
function cLocation(file: SourceFile, offset: number): { c?: { file: string; line: number } } {
  const c = cLocationOf(lineText(file, lineAndColumn(file, offset).line));
  return c === undefined ? {} : { c: { file: c.path, line: c.line } };
}

function step(s: TraceStep) {
  return {
    step: s.index,
    thread: s.thread ?? null,
    location:
      s.site === undefined
        ? null
        : {
            file: s.site.file.path,
            line: lineAndColumn(s.site.file, s.site.span.start).line,
            ...cLocation(s.site.file, s.site.span.start),
            chain: s.site.chain.map((c) => ({
              callee: c.callee,
              file: c.file.path,
              line: lineAndColumn(c.file, c.span.start).line,
              ...cLocation(c.file, c.span.start),
            })),
          },
    statement:
      s.thread === undefined
        ? 'deadlock'
        : s.branch !== undefined
          ? `choose: branch ${s.branch + 1}`
          : (s.site?.text ?? ''),
    changes: s.changes,
    violations: s.events.map((e) => ({ property: CHECKS[e.property], message: e.message })),
  };
}

type Traced = readonly { v: FoundViolation; steps: readonly TraceStep[] }[];

export function jsonVerdict(
  v: Verdict,
  o: TextOptions,
  traces: Traced,
  warningTraces: Traced,
  witness?: readonly TraceStep[],
) {
  const r = v.result;
  return {
    format: JSON_FORMAT,
    test: v.program.test.name,
    file: o.displayPath,
    kernel: v.program.version,
    kind: kindOf(v),
    condition:
      v.program.condition === undefined
        ? null
        : `${v.program.condition.quantifier} (${printCond(v.program.condition.cond)})`,
    states: v.finals.map((f) => ({ state: f.line, holds: f.holds })),
    // null without a condition, or when a cut-off search found no final state that settles it.
    validated: v.program.condition === undefined || !settled(v) ? null : validated(v),
    positive: v.positive,
    negative: v.negative,
    observation: v.observation ?? null,
    warnings: warningTraces.map((t) => ({
      warning: t.v.property,
      message: violationMessage(t.steps, t.v.property),
      schedule: t.v.schedule.join('.'),
      trace: t.steps.map(step),
    })),
    violations: traces.map((t) => ({
      property: t.v.property,
      message: violationMessage(t.steps, t.v.property),
      schedule: t.v.schedule.join('.'),
      trace: t.steps.map(step),
    })),
    // Only with --witness (null: no final state answers the condition).
    ...(witness === undefined
      ? {}
      : { witness: v.witness === undefined ? null : { schedule: v.witness.join('.'), trace: witness.map(step) } }),
    expect: {
      ok: v.expectation.ok,
      undecided: v.expectation.undecided,
      failures: v.expectation.failures,
      summary: expectLine(v),
    },
    search: {
      complete: r.complete,
      incomplete: r.incomplete ?? null,
      states: r.states,
      transitions: r.transitions,
      depth: r.depth,
      summary: searchLine(v),
      ...(o.stats
        ? {
            elapsedMs: r.elapsedMs,
            bytesPerState: r.bytesPerState,
            peakRssBytes: r.peakRssBytes,
            reducedExpansions: r.reducedExpansions,
          }
        : {}),
    },
    hash: o.hash,
  };
}
