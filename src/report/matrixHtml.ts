// `mmu-litmus matrix --html FILE`: the matrix as one self-contained page. The table is static
// HTML; every cell with a violation or a review warning links to its traces, shown in the trace
// viewer of report/html.ts on the same page (`#cell=ROW,COL&trace=K&step=N`).
//
// The traces come from the verdicts the matrix already holds: each checked cell keeps its compiled
// program and the shortest schedule of every property it violates, so a trace is one replay of
// that schedule — no cell is explored twice, and plain `matrix` output does not change.

import type { Cell, MatrixResult, MatrixRow } from '../check/matrix.js';
import { foundTrace, replay } from '../check/trace.js';
import type { FoundViolation } from '../check/verdict.js';
import { renderDiagnostic } from '../lang/diagnostic.js';
import {
  escapeHtml,
  type HtmlTrace,
  htmlData,
  pageHead,
  scriptJson,
  VIEWER_BODY,
  VIEWER_CSS,
  VIEWER_JS,
} from './html.js';
import { cellStatus, cellText, matrixLegend } from './matrix.js';
import { violationMessage } from './text.js';

export interface MatrixHtmlOptions {
  readonly tool: string;
  /** The matrix definition's path as shown to the user. */
  readonly spec: string;
  /** The page's heading and title (default: `mmu-litmus matrix`; check-patch names itself). */
  readonly title?: string;
}

type Checked = Extract<Cell, { kind: 'checked' }>;

/** The cell's class in the table: what colour it gets. */
function cellClass(c: Cell): string {
  if (c.kind === 'not-applicable') return 'na';
  if (c.kind === 'error') return 'error';
  const v = c.verdict;
  const status = cellStatus(c);
  const base = status === 'unsafe' ? 'unsafe' : status !== 'safe' || v.warnings.length > 0 ? 'warned' : 'safe';
  return v.result.complete ? base : `${base} incomplete`;
}

/** What the cell means, in full words (the table uses short names). */
function cellTitle(row: MatrixRow, kind: string, c: Cell): string {
  const where = `${row.scenario} · ${row.routine}@${row.variant} · ${kind}`;
  if (c.kind === 'not-applicable') return `${where}: ${c.why}`;
  if (c.kind === 'error') return `${where}:\n${c.diagnostics.map(renderDiagnostic).join('')}`;
  return `${where}: ${verdictWords(c)}`;
}

function verdictWords(c: Checked): string {
  const v = c.verdict;
  const props = v.violations.length === 0 ? 'no property violated' : `violates ${names(v.violations)}`;
  const cond = c.conditionFails ? "; the scenario's final condition fails" : '';
  const warns = v.warnings.length === 0 ? '' : `; warns ${names(v.warnings)}`;
  const idle = c.changesPageTable ? '' : '; the routine changed no page-table entry in any execution';
  return `${props}${cond}${warns}${idle}${v.result.complete ? '' : ' (search incomplete)'}`;
}

function names(found: readonly FoundViolation[]): string {
  return found.map((x) => x.property).join(', ');
}

/**
 * Top-level keys of a state whose value is a record of records (one entry per thread, frame,
 * secondary, TLB): a step usually changes one entry, so only that entry is stored.
 */
const RECORDS = new Set(['threads', 'frames', 'secondaries', 'tlb', 'locks', 'mm', 'globals']);

/**
 * Stores each state after the first as what differs from the one before: a top-level key left
 * out is unchanged, and `{ "#changed": { … } }` replaces only some entries of a record. A trace
 * repeats most of the machine at every step; this keeps the page a few times smaller.
 * UNPACK_JS undoes it in the page.
 */
export function packStates(states: readonly Readonly<Record<string, unknown>>[]): Record<string, unknown>[] {
  return states.map((s, i) => {
    if (i === 0) return s;
    const prev = states[i - 1]!;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) {
      const w = prev[k];
      if (JSON.stringify(v) === JSON.stringify(w)) continue;
      if (RECORDS.has(k) && isRecord(v) && isRecord(w) && sameKeys(v, w)) {
        const changed: Record<string, unknown> = {};
        for (const [x, y] of Object.entries(v)) if (JSON.stringify(y) !== JSON.stringify(w[x])) changed[x] = y;
        out[k] = { '#changed': changed };
      } else out[k] = v;
    }
    return out;
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !('#map' in v);
}

function sameKeys(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

/** The traces of one cell: its violations, then its review warnings, as `run --html` shows them. */
function cellTraces(c: Checked): HtmlTrace[] {
  const program = c.verdict.program;
  const trace = (kind: 'violation' | 'warning', x: FoundViolation): HtmlTrace => {
    const { steps, initial } = foundTrace(program, x);
    return {
      kind,
      title: x.property,
      message: violationMessage(steps, x.property),
      schedule: x.schedule.join('.'),
      initial,
      steps,
    };
  };
  const witness = c.verdict.witness;
  const condition: HtmlTrace[] = [];
  if (c.conditionFails && witness !== undefined) {
    const r = replay(program, witness);
    condition.push({
      kind: 'violation',
      title: 'final condition',
      message: "The scenario's final condition fails in the final state of this execution.",
      schedule: witness.join('.'),
      initial: r.ok ? r.initial : program.initial,
      steps: r.ok ? r.steps : [],
    });
  }
  return [
    ...c.verdict.violations.map((x) => trace('violation', x)),
    ...condition,
    ...c.verdict.warnings.map((x) => trace('warning', x)),
  ];
}

/** The data of every cell that has traces, by `ROW,COL`; source files are shared by all cells. */
function matrixData(m: MatrixResult, o: MatrixHtmlOptions) {
  const files: Record<string, string> = {};
  const cells: Record<string, unknown> = {};
  m.rows.forEach((row, r) => {
    row.cells.forEach((c, k) => {
      if (c.kind !== 'checked') return;
      const traces = cellTraces(c);
      if (traces.length === 0) return;
      const kind = m.kinds[k]!;
      const d = htmlData(c.verdict.program, traces, {
        source: c.verdict.program.test.file.path,
        tool: o.tool,
        summary: `${row.routine}@${row.variant} with ${kind}: ${verdictWords(c)}`,
      });
      Object.assign(files, d.files);
      const { files: _shared, tool: _tool, ...rest } = d;
      cells[`${r},${k}`] = {
        ...rest,
        cell: `${row.scenario} · ${row.routine}@${row.variant} · ${kind}`,
        replay: c.replay,
        traces: d.traces.map((t) => ({ ...t, states: packStates(t.states) })),
      };
    });
  });
  return { tool: o.tool, spec: o.spec, title: o.title ?? 'mmu-litmus matrix', files, cells };
}

function tableHtml(m: MatrixResult, data: ReturnType<typeof matrixData>): string {
  const head = ['scenario', 'routine@variant', ...m.kinds].map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const rows = m.rows.map((row, r) => {
    const first = r === 0 || m.rows[r - 1]!.scenario !== row.scenario;
    const cells = row.cells.map((c, k) => {
      // Long property lists may wrap after a comma, so that every column fits on a screen.
      const text = escapeHtml(cellText(c)).replace(/,/g, ',<wbr>');
      const title = escapeHtml(cellTitle(row, m.kinds[k]!, c));
      const inner = data.cells[`${r},${k}`] === undefined ? text : `<a href="#cell=${r},${k}">${text}</a>`;
      return `<td class="${cellClass(c)}" title="${title}">${inner}</td>`;
    });
    return `<tr${first ? ' class="first"' : ''}><th>${escapeHtml(row.scenario)}</th><th>${escapeHtml(`${row.routine}@${row.variant}`)}</th>${cells.join('')}</tr>`;
  });
  return `<table id="grid">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

export function matrixHtmlPage(m: MatrixResult, o: MatrixHtmlOptions): string {
  const data = matrixData(m, o);
  const checked = m.rows.flatMap((r) => r.cells).filter((c) => c.kind === 'checked');
  // Every status is counted, so that a cell that is not plainly safe (a WARN reached, a search
  // cut short, a routine that never changed the page table) is never hidden in the summary.
  const counts = new Map<string, number>();
  for (const c of checked) counts.set(cellStatus(c), (counts.get(cellStatus(c)) ?? 0) + 1);
  const statusSummary = (['unsafe', 'warn', 'incomplete', 'vacuous', 'safe'] as const)
    .filter((k) => k === 'unsafe' || k === 'safe' || (counts.get(k) ?? 0) > 0)
    .map((k) => `${counts.get(k) ?? 0} ${k}`)
    .join(', ');
  const title = data.title;
  const legend = matrixLegend(m)
    .map((l) => `<li>${escapeHtml(l)}</li>`)
    .join('');
  return `${pageHead(title, o.tool, VIEWER_CSS + MATRIX_CSS)}
<body>
<div id="matrix">
<header>
  <h1>${escapeHtml(title)}</h1>
  <p id="matrixSummary">${escapeHtml(o.spec)} · ${m.rows.length} rows × ${m.kinds.length} secondary kinds · ${checked.length} cells checked: ${statusSummary} · click a cell to step through its traces</p>
</header>
<div class="scroll">
${tableHtml(m, data)}
</div>
<ul id="legend">${legend}</ul>
<footer>Generated by ${escapeHtml(o.tool)}. Each link opens the cell's shortest traces; the URL hash names the cell, trace and step.</footer>
</div>
<div id="viewer" hidden>
<p id="back"><a href="#">← matrix</a> <span id="cellName"></span></p>
${VIEWER_BODY}</div>
<script>
const MATRIX = ${scriptJson(data)};
${VIEWER_JS}
${UNPACK_JS}
${MATRIX_JS}
</script>
</body>
</html>
`;
}

const MATRIX_CSS = `
#matrix .scroll { max-height: none; }
#grid { width: auto; font: 12.5px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace; }
#grid th, #grid td { padding: 0.15rem 0.7rem; text-align: left; white-space: nowrap;
  border-bottom: 1px solid var(--border); vertical-align: top; }
#grid td { white-space: normal; max-width: 15rem; }
#grid thead th { position: sticky; top: 0; background: var(--bg); color: var(--muted); font-weight: 600; }
#grid tbody th { font-weight: 500; }
#grid tr.first > * { border-top: 2px solid var(--border); }
#grid td.unsafe { background: var(--bad-bg); color: var(--bad); font-weight: 600; }
#grid td.warned { background: var(--hl); }
#grid td.na, #grid td.incomplete { color: var(--muted); }
#grid td.error { color: var(--bad); font-style: italic; }
#grid a { color: inherit; text-decoration: none; display: block; }
#grid a:hover, #grid a:focus { text-decoration: underline; }
#legend { color: var(--muted); font-size: 12px; padding-left: 1.2rem; }
#back { margin: 0.8rem 0 0; }
#back a { color: var(--accent); }
#cellName { color: var(--muted); margin-left: 0.6rem; }
`;

/** Rebuilds the full states that packStates stored as differences. */
export const UNPACK_JS = `
function unpackStates(packed) {
  var out = [];
  packed.forEach(function (s, i) {
    if (i === 0) { out.push(s); return; }
    var prev = out[i - 1];
    var full = {};
    Object.keys(prev).forEach(function (k) { full[k] = prev[k]; });
    Object.keys(s).forEach(function (k) {
      var v = s[k];
      if (v !== null && typeof v === "object" && !Array.isArray(v) && "#changed" in v) {
        var r = {};
        Object.keys(prev[k]).forEach(function (x) { r[x] = prev[k][x]; });
        Object.keys(v["#changed"]).forEach(function (x) { r[x] = v["#changed"][x]; });
        full[k] = r;
      } else full[k] = v;
    });
    out.push(full);
  });
  return out;
}
`;

/**
 * The matrix page: the hash is empty (the table) or names a cell; opening a cell is a new
 * history entry (a link), so the browser's back button returns to the table; stepping within
 * a cell replaces the entry, as on the run page.
 */
const MATRIX_JS = `
(function () {
  var open = null;
  var matrix = document.getElementById("matrix");
  var viewer = document.getElementById("viewer");
  function showTable() {
    var was = open;
    open = null;
    viewer.hidden = true;
    matrix.hidden = false;
    document.title = MATRIX.title;
    if (was !== null) {
      var a = matrix.querySelector('a[href="#cell=' + was + '"]');
      if (a) { a.focus(); a.scrollIntoView({ block: "center" }); }
    }
  }
  function showCell(key, t, s) {
    var data = MATRIX.cells[key];
    matrix.hidden = true;
    viewer.hidden = false;
    if (open === key) { Viewer.go(t, s); return; }
    open = key;
    if (!data.unpacked) {
      data.files = MATRIX.files;
      data.tool = MATRIX.tool;
      data.traces.forEach(function (tr) { tr.states = unpackStates(tr.states); });
      data.unpacked = true;
    }
    var name = document.getElementById("cellName");
    name.textContent = data.cell;
    name.dataset.cell = key;
    document.title = data.cell + " — " + MATRIX.title;
    window.scrollTo(0, 0);
    Viewer.open(data, t, s);
  }
  function route() {
    var h = Viewer.hash();
    if (h.cell !== undefined && MATRIX.cells[h.cell] !== undefined) {
      showCell(h.cell, hashNumber(h.trace, 0), hashNumber(h.step, 0));
    } else showTable();
  }
  Viewer.onMove(function (t, s) {
    if (open === null) return;
    var h = "#cell=" + open + "&trace=" + t + "&step=" + s;
    if (location.hash !== h) history.replaceState(null, "", h);
  });
  window.addEventListener("hashchange", route);
  route();
})();
`;
