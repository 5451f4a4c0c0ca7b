// The matrix as a table (rows `scenario  routine@variant`, one column per secondary kind) with a
// replay command for every unsafe cell, and as versioned JSON.

import type { Cell, MatrixResult } from '../check/matrix.js';
import { renderDiagnostic, sortDiagnostics } from '../lang/diagnostic.js';
import { PROPERTIES, PROPERTY_DOCS } from '../model/properties.js';
import { diagnosticJson } from './json.js';

/** Short names for cells, from the check table (src/model/properties.ts). */
export const SHORT: Record<string, string> = Object.fromEntries(PROPERTY_DOCS.map((d) => [d.name, d.short]));

/** Review warnings written `!short` after the verdict (kernel-warning is a word of its own). */
const REVIEW_WARNINGS: readonly string[] = ['late-invalidate', 'needless-invalidate'];

type Checked = Extract<Cell, { kind: 'checked' }>;

/** The routine reached a kernel WARN_ON: a can't-happen path, where it gave up its work. */
export function reachedWarn(c: Checked): boolean {
  return c.verdict.warnings.some((w) => w.property === 'kernel-warning');
}

/**
 * What a checked cell says, worst first: `unsafe` (a property violated, or the scenario's
 * `forall`/`~exists` condition failing), `warn` (a kernel
 * WARN_ON reached), `vacuous` (the routine changed no page-table entry in any execution, so
 * there was nothing to get wrong), else `safe`. Never `safe` for a path that did not do the work.
 */
export function cellStatus(c: Checked): 'unsafe' | 'warn' | 'incomplete' | 'vacuous' | 'safe' {
  if (c.verdict.violations.length > 0 || c.conditionFails) return 'unsafe';
  if (reachedWarn(c)) return 'warn';
  if (!c.verdict.result.complete) return 'incomplete';
  if (!c.changesPageTable) return 'vacuous';
  return 'safe';
}

export function cellText(c: Cell): string {
  switch (c.kind) {
    case 'not-applicable':
      return 'n/a';
    case 'error':
      return 'ERROR';
    case 'checked': {
      const v = c.verdict;
      const words = v.violations.map((x) => SHORT[x.property] ?? x.property);
      if (c.conditionFails) words.push('cond');
      if (reachedWarn(c)) words.push(SHORT['kernel-warning']!);
      // A search cut short proves nothing by what it did not find: no "safe", no "vacuous".
      if (!c.changesPageTable && v.result.complete) words.push('vacuous');
      const warned = v.warnings.filter((x) => REVIEW_WARNINGS.includes(x.property)).map((x) => SHORT[x.property]!);
      const status = words.length === 0 ? (v.result.complete ? 'safe' : '') : words.join(',');
      const text = `${status}${v.result.complete ? '' : '?'}`;
      return `${text}${warned.length === 0 ? '' : ` !${warned.join(',')}`}`;
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
  const checked = m.rows.flatMap((r) => r.cells.filter((c): c is Checked => c.kind === 'checked'));

  const notes: string[] = [];
  if (checked.some(reachedWarn))
    notes.push(
      "warn = the routine reached a kernel WARN_ON (a path the kernel says cannot happen: it gave up, so the cell is not 'safe')",
    );
  if (checked.some((c) => !c.changesPageTable && c.verdict.result.complete))
    notes.push('vacuous = the routine changed no page-table entry in any execution: there was nothing to check');
  if (checked.some((c) => c.conditionFails))
    notes.push(
      "cond = the scenario's final condition (forall / ~exists: what every execution must satisfy) fails in some execution, whether or not a property flags it too (a wrong answer no property follows still shows); its replay adds --witness",
    );
  const userptr = m.kinds.indexOf('userptr');
  if (
    userptr >= 0 &&
    m.rows.every((r) => r.cells[userptr]?.kind !== 'checked' || cellStatus(r.cells[userptr] as Checked) === 'unsafe')
  )
    notes.push(
      'userptr: the 2017 amdgpu mirror is unsafe in every row because of its own race (it knows when an invalidation starts, not when it ends, so it can pin the page again before the PTE changes), not because of the routines; compare its cells with each other',
    );
  return [
    'safe = no property violated, no WARN reached, and the routine changed an entry; n/a = the secondary kind does not exist in that kernel; ? = search cut short (--max-states, --max-depth or --timeout): what it found so far',
    `${REVIEW_WARNINGS.map((w) => `!${SHORT[w]} = review warning ${w}`).join('; ')} (docs/properties.md)`,
    ...notes,
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
      c.kind === 'checked' && cellStatus(c) !== 'safe'
        ? [`  ${r.scenario} ${r.routine}@${r.variant} ${m.kinds[i]}: ${c.replay}`]
        : [],
    ),
  );
  if (unsafe.length > 0) out += `\nReplay the cells that are not safe:\n${unsafe.join('\n')}\n`;
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

/** `matrix --format json` (docs/json.md); `exit` is the command's exit code. */
export function matrixJson(m: MatrixResult, exit: number) {
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
        status: c.kind === 'checked' ? cellStatus(c) : c.kind,
        complete: c.kind === 'checked' ? c.verdict.result.complete : null,
        changesPageTable: c.kind === 'checked' ? c.changesPageTable : null,
        conditionFails: c.kind === 'checked' ? c.conditionFails : null,
        violations: c.kind === 'checked' ? c.verdict.violations.map((v) => v.property) : [],
        warnings: c.kind === 'checked' ? c.verdict.warnings.map((v) => v.property) : [],
        replay: c.kind === 'checked' && cellStatus(c) !== 'safe' ? c.replay : null,
        states: c.kind === 'checked' ? c.verdict.result.states : null,
        diagnostics: c.kind === 'error' ? sortDiagnostics(c.diagnostics).map(diagnosticJson) : [],
      })),
    })),
    exit,
  };
}
