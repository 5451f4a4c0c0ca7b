// The matrix as a table (rows `scenario  routine@variant`, one column per secondary kind) with a
// replay command for every unsafe cell, and as versioned JSON.

import type { Cell, MatrixResult } from '../check/matrix.js';
import { renderDiagnostic } from '../lang/diagnostic.js';
import { PROPERTIES } from '../model/properties.js';

/** Short names for cells; the legend under the table spells them out. */
export const SHORT: Record<string, string> = {
  'use-after-free': 'uaf',
  'dangling-translation': 'dangling',
  'lost-write': 'lost-write',
  'incoherent-translation': 'incoherent',
  'sleep-in-atomic': 'sleep',
  deadlock: 'deadlock',
  'notifier-imbalance': 'imbalance',
  'unnotified-change': 'unnotified',
  assertion: 'assert',
};

/** Review warnings, marked with `!` after the verdict. */
const WARN: Record<string, string> = { 'late-invalidate': 'late', 'needless-invalidate': 'needless' };

export function cellText(c: Cell): string {
  switch (c.kind) {
    case 'not-applicable':
      return 'n/a';
    case 'error':
      return 'ERROR';
    case 'checked': {
      const v = c.verdict;
      const props = v.violations.map((x) => SHORT[x.property] ?? x.property);
      const warned = v.warnings.map((x) => WARN[x.property] ?? x.property);
      const text = `${props.length === 0 ? 'safe' : props.join(',')}${warned.length === 0 ? '' : ` !${warned.join(',')}`}`;
      return v.result.complete ? text : `${text}?`;
    }
  }
}

/** The lines under the table: what the cell texts mean (the short names only of properties that occur). */
export function matrixLegend(m: MatrixResult): string[] {
  const used = new Set(
    m.rows.flatMap((r) =>
      r.cells.flatMap((c) => (c.kind === 'checked' ? c.verdict.violations.map((v) => v.property) : [])),
    ),
  );
  const legend = PROPERTIES.filter((p) => used.has(p)).map((p) => `${SHORT[p]} = ${p}`);
  return [
    'safe = no property violated; n/a = the secondary kind does not exist in that kernel; ? = search incomplete',
    '!late = review warning late-invalidate; !needless = review warning needless-invalidate (docs/properties.md)',
    ...(legend.length > 0 ? [legend.join('; ')] : []),
  ];
}

export function matrixText(m: MatrixResult): string {
  const header = ['scenario', 'routine@variant', ...m.kinds];
  const rows = m.rows.map((r) => [r.scenario, `${r.routine}@${r.variant}`, ...r.cells.map(cellText)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cols: string[]) =>
    cols
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  let out = `${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`;
  for (const r of rows) out += `${line(r)}\n`;
  out += `\n${matrixLegend(m)
    .map((l) => `${l}\n`)
    .join('')}`;
  const unsafe = m.rows.flatMap((r) =>
    r.cells.flatMap((c, i) =>
      c.kind === 'checked' && c.verdict.violations.length > 0
        ? [`  ${r.scenario} ${r.routine}@${r.variant} ${m.kinds[i]}: ${c.replay}`]
        : [],
    ),
  );
  if (unsafe.length > 0) out += `\nReplay the unsafe cells:\n${unsafe.join('\n')}\n`;
  const errors = m.rows.flatMap((r) =>
    r.cells.flatMap((c, i) =>
      c.kind === 'error'
        ? [`${r.scenario} ${r.routine}@${r.variant} ${m.kinds[i]}:\n${c.diagnostics.map(renderDiagnostic).join('')}`]
        : [],
    ),
  );
  if (errors.length > 0) out += `\nErrors:\n${errors.join('\n')}`;
  return out;
}

export function matrixJson(m: MatrixResult) {
  return {
    format: 'mmu-litmus-matrix/1',
    kinds: m.kinds,
    rows: m.rows.map((r) => ({
      scenario: r.scenario,
      file: r.file,
      routine: r.routine,
      variant: r.variant,
      kernel: r.kernel,
      cells: r.cells.map((c, i) => ({
        kind: m.kinds[i],
        status: c.kind === 'checked' ? (c.verdict.violations.length === 0 ? 'safe' : 'unsafe') : c.kind,
        complete: c.kind === 'checked' ? c.verdict.result.complete : null,
        violations: c.kind === 'checked' ? c.verdict.violations.map((v) => v.property) : [],
        warnings: c.kind === 'checked' ? c.verdict.warnings.map((v) => v.property) : [],
        replay: c.kind === 'checked' && c.verdict.violations.length > 0 ? c.replay : null,
        states: c.kind === 'checked' ? c.verdict.result.states : null,
      })),
    })),
  };
}
