// `--format json`: one versioned document per command (docs/json.md). The shapes are an API: add
// fields, never change the meaning of one without bumping its format version.

import { stepStatement, type TraceStep } from '../check/trace.js';
import type { FoundViolation, Verdict } from '../check/verdict.js';
import { cLocationOf } from '../lang/cMarker.js';
import type { Diagnostic } from '../lang/diagnostic.js';
import { lineAndColumn, lineText, type SourceFile } from '../lang/source.js';
import { CHECKS } from '../model/properties.js';
import { printCond } from './cond.js';
import { expectLine, kindOf, searchLine, settled, type TextOptions, validated, violationMessage } from './text.js';

/** The format of `run --format json`: `{ format, tests: [entry…], exit }`, whatever the number of files. */
export const RUN_FORMAT = 'mmu-litmus-run/1';
/** The format of `test --format json`. */
export const TEST_FORMAT = 'mmu-litmus-test/1';

/** What became of one file: its expectations met, failed, a search cut short, or it did not compile. */
export type FileStatus = 'ok' | 'failed' | 'incomplete' | 'error';

/** A diagnostic as data: the same fields in every command's JSON (`import` included). */
export function diagnosticJson(d: Diagnostic) {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.file.path,
    ...lineAndColumn(d.file, d.span.start),
  };
}

/** A problem with no place in a source file (a file that cannot be read): no code, no line. */
export function fileProblemJson(file: string, message: string) {
  return { code: null, severity: 'error' as const, message, file, line: null, column: null };
}

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
    statement: stepStatement(s),
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

/** `run --schedule S --format json`: the one execution replayed, as an entry of `tests`. */
export function jsonSchedule(
  o: {
    test: string;
    file: string;
    schedule: readonly number[];
    violations: readonly string[];
    warnings: readonly string[];
    running: readonly string[];
  },
  steps: readonly TraceStep[],
) {
  return {
    test: o.test,
    file: o.file,
    schedule: o.schedule.join('.'),
    trace: steps.map(step),
    violations: o.violations,
    warnings: o.warnings,
    running: o.running,
  };
}
