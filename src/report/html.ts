// `--html FILE`: one self-contained page to step through traces (inline CSS and JS, no network):
// the test source with the step's line highlighted (and the inlined prelude routine's line with
// its call chain), one column per thread, panels for the machine state, the violations.
// The data of every trace is the ITF state list of report/itf.ts, embedded as JSON.

import type { TraceStep } from '../check/trace.js';
import type { SourceFile } from '../lang/source.js';
import type { Machine } from '../model/machine.js';
import type { Program } from '../semantics/program.js';
import { itfTrace } from './itf.js';

export interface HtmlTrace {
  /** `violation`, `warning`, `schedule` (a replayed `--schedule`), or `ok` (no trace: the initial state). */
  readonly kind: 'violation' | 'warning' | 'schedule' | 'ok';
  readonly title: string;
  readonly message: string;
  /** The replay schedule, dotted. */
  readonly schedule: string;
  readonly initial: Machine;
  readonly steps: readonly TraceStep[];
}

export interface HtmlOptions {
  /** The test's path as shown to the user. */
  readonly source: string;
  readonly tool: string;
  /** A line under the title: the verdict in a few words. */
  readonly summary: string;
}

/**
 * JSON that is safe inside a `<script>` element (no `</script>`, no `<!--`, no line separators),
 * with `/` escaped too so that no text of the data reads as a URL.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The data the page script reads. */
export function htmlData(prog: Program, traces: readonly HtmlTrace[], o: HtmlOptions) {
  const files = new Map<string, SourceFile>();
  files.set(prog.test.file.path, prog.test.file);
  for (const t of traces) {
    for (const s of t.steps) {
      if (s.site === undefined) continue;
      files.set(s.site.file.path, s.site.file);
      for (const c of s.site.chain) files.set(c.file.path, c.file);
    }
  }
  return {
    test: prog.test.name,
    description: prog.test.description ?? '',
    source: o.source,
    testFile: prog.test.file.path,
    kernel: prog.version,
    summary: o.summary,
    tool: o.tool,
    threads: prog.threads.map((t) => ({ name: t.name, kind: t.kind })),
    files: Object.fromEntries([...files].map(([path, f]) => [path, f.text])),
    traces: traces.map((t) => ({
      kind: t.kind,
      title: t.title,
      message: t.message,
      schedule: t.schedule,
      states: itfTrace(prog, t.initial, t.steps, {
        source: o.source,
        property: t.kind === 'violation' ? t.title : undefined,
        description: t.message,
        tool: o.tool,
      }).states,
    })),
  };
}

/** The start of a self-contained page, up to and including `</head>`. */
export function pageHead(title: string, tool: string, css: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeHtml(tool)}">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>`;
}

export function htmlPage(prog: Program, traces: readonly HtmlTrace[], o: HtmlOptions): string {
  const data = htmlData(prog, traces, o);
  return `${pageHead(`${prog.test.name} — mmu-litmus trace`, o.tool, VIEWER_CSS)}
<body>
<div id="viewer">
${VIEWER_BODY}</div>
<script>
const DATA = ${scriptJson(data)};
${VIEWER_JS}
${RUN_JS}
</script>
</body>
</html>
`;
}

/** The viewer's markup; the page script fills it (ids are what VIEWER_JS looks up). */
export const VIEWER_BODY = `<header>
  <h1 id="title"></h1>
  <p id="subtitle"></p>
  <nav id="traces" aria-label="Traces"></nav>
  <p id="message"></p>
</header>
<div id="controls">
  <button id="first" title="First step (Home)">|◀</button>
  <button id="prev" title="Previous step (←)">◀</button>
  <button id="next" title="Next step (→)">▶</button>
  <button id="last" title="Last step (End)">▶|</button>
  <input id="slider" type="range" min="0" max="0" value="0" aria-label="Step">
  <span id="stepno"></span>
</div>
<div id="now"></div>
<main>
  <section id="code">
    <h2 id="codeTitle">Source</h2>
    <div id="chain"></div>
    <pre id="src" class="src"></pre>
    <h2 id="routineTitle" hidden>Inlined routine</h2>
    <pre id="routine" class="src" hidden></pre>
  </section>
  <section id="seq">
    <h2>Steps per thread</h2>
    <div class="scroll"><table id="steps"></table></div>
  </section>
  <section id="state">
    <h2>State after the step</h2>
    <div id="panels"></div>
  </section>
</main>
<footer id="footer"></footer>
`;

/** The viewer's style; the matrix page (report/matrixHtml.ts) adds its table to it. */
export const VIEWER_CSS = `
:root {
  color-scheme: light dark;
  --bg: #fbfbfa; --fg: #1f2328; --muted: #6a737d; --panel: #ffffff; --border: #d8dee4;
  --hl: #fff3bf; --hl-strong: #ffd43b; --changed: #d3f9d8; --changed-fg: #1b5e20; --bad: #c92a2a;
  --bad-bg: #fff0f0; --accent: #1c7ed6; --call: #e7f5ff; --mark: #868e96;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #16181d; --fg: #e6e6e6; --muted: #9aa4ae; --panel: #1e2128; --border: #343a46;
    --hl: #3b3412; --hl-strong: #806b12; --changed: #1d3b24; --changed-fg: #a5e3b0; --bad: #ff8787;
    --bad-bg: #3a1d1f; --accent: #74c0fc; --call: #1b2b3a; --mark: #7a838c;
  }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 0 1.2rem 1.2rem; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
header h1 { font-size: 1.3rem; margin: 1rem 0 0.2rem; }
#subtitle { color: var(--muted); margin: 0 0 0.6rem; }
#traces { display: flex; flex-wrap: wrap; gap: 0.4rem; }
#traces button { border: 1px solid var(--border); background: var(--panel); color: var(--fg);
  border-radius: 999px; padding: 0.15rem 0.8rem; cursor: pointer; font: inherit; }
#traces button.violation { border-color: var(--bad); }
#traces button[aria-pressed="true"] { background: var(--accent); color: var(--bg); border-color: var(--accent); }
#message { margin: 0.5rem 0; }
#controls { position: sticky; top: 0; z-index: 2; display: flex; align-items: center; gap: 0.4rem;
  padding: 0.5rem 0; background: var(--bg); border-bottom: 1px solid var(--border); }
#controls button { font: inherit; min-width: 2.2rem; padding: 0.2rem 0.4rem; border-radius: 6px;
  border: 1px solid var(--border); background: var(--panel); color: var(--fg); cursor: pointer; }
#controls button:disabled { opacity: 0.4; cursor: default; }
#slider { flex: 1; max-width: 32rem; }
#stepno { font-variant-numeric: tabular-nums; color: var(--muted); }
#now { margin: 0.6rem 0; padding: 0.5rem 0.7rem; background: var(--panel); border: 1px solid var(--border);
  border-radius: 8px; }
#now .stmt { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-weight: 600; }
#now ul { margin: 0.3rem 0 0; padding-left: 1.2rem; }
#now .event { color: var(--bad); background: var(--bad-bg); border-radius: 6px; padding: 0.3rem 0.5rem;
  margin-top: 0.4rem; }
main { display: grid; grid-template-columns: minmax(22rem, 1.2fr) minmax(14rem, 1fr) minmax(20rem, 1.2fr);
  gap: 1rem; align-items: start; }
@media (max-width: 1100px) { main { grid-template-columns: 1fr; } }
section { background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 0.6rem 0.8rem;
  min-width: 0; }
h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); margin: 0.2rem 0 0.5rem; }
.src { margin: 0; font: 12.5px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace; overflow: auto;
  max-height: 30rem; }
#routine { max-height: 16rem; }
.src .ln { display: block; white-space: pre; padding-right: 0.5rem; }
.src .no { display: inline-block; width: 3.2em; text-align: right; color: var(--mark); padding-right: 0.8em;
  user-select: none; }
.src .pcs { display: inline-block; width: 4.5em; color: var(--accent); font-size: 11px; }
.src .ln.current { background: var(--hl); box-shadow: inset 3px 0 0 var(--hl-strong); }
.src .ln.call { background: var(--call); }
#chain { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; color: var(--muted);
  margin-bottom: 0.4rem; }
.scroll { overflow: auto; max-height: 40rem; }
table { border-collapse: collapse; width: 100%; }
#steps { table-layout: fixed; }
#steps th:first-child { width: 2.6em; }
#steps th { position: sticky; top: 0; background: var(--panel); z-index: 1; }
#steps th, #steps td { border-bottom: 1px solid var(--border); padding: 0.15rem 0.35rem; vertical-align: top;
  font-size: 12px; overflow-wrap: anywhere; }
#steps td { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
#steps td.n { color: var(--mark); text-align: right; width: 2.5em; }
#steps tr { cursor: pointer; }
#steps tr.current td { background: var(--hl); }
#steps tr.future td { opacity: 0.45; }
#steps td.bad { color: var(--bad); }
.panel { margin-bottom: 0.8rem; }
.panel h3 { font-size: 0.85rem; margin: 0 0 0.2rem; }
.panel table td, .panel table th { border-bottom: 1px solid var(--border); padding: 0.1rem 0.4rem;
  text-align: left; font-size: 12px; }
.panel table th { color: var(--muted); font-weight: 500; }
.panel td { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.panel .empty { color: var(--muted); font-style: italic; font-size: 12px; }
.changed { background: var(--changed); color: var(--changed-fg); }
.badtext { color: var(--bad); font-weight: 600; }
footer { color: var(--muted); font-size: 12px; margin-top: 1rem; }
`;

// The page scripts: plain JS without template literals (this file is a template literal).

/**
 * The viewer: Viewer.open(data, trace, step) shows one test's traces (the data of htmlData).
 * The page around it owns the URL hash: the viewer reports each move to Viewer.onMove, so that
 * the run page and the matrix page (which adds the cell) each write their own.
 */
export const VIEWER_JS = String.raw`
"use strict";
var Viewer = (function () {
  var DATA = null;
  var cur = { trace: 0, step: 0 };
  var moved = function () {};
  var $ = function (id) { return document.getElementById(id); };
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function fmt(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "boolean") return v ? "yes" : "no";
    if (typeof v !== "object") return String(v);
    if (Array.isArray(v)) return v.length === 0 ? "—" : v.map(fmt).join(", ");
    if ("#bigint" in v) return v["#bigint"];
    if ("#map" in v) return v["#map"].map(function (p) { return fmt(p[0]) + " → " + fmt(p[1]); }).join("; ");
    return Object.keys(v).map(function (k) { return k + "=" + fmt(v[k]); }).join(" ");
  }
  function trace() { return DATA.traces[cur.trace]; }
  function states() { return trace().states; }
  function get(obj, path) {
    var o = obj;
    for (var i = 0; i < path.length; i++) { if (o === null || o === undefined) return undefined; o = o[path[i]]; }
    return o;
  }
  function mapGet(m, key) {
    if (!m || !m["#map"]) return undefined;
    for (var i = 0; i < m["#map"].length; i++) if (m["#map"][i][0] === key) return m["#map"][i][1];
    return undefined;
  }
  function differs(a, b) { return JSON.stringify(a) !== JSON.stringify(b); }
  function testLine(meta) {
    if (!meta || meta.file === null) return null;
    if (meta.chain.length > 0) return meta.chain[0].file === DATA.testFile ? meta.chain[0].line : null;
    return meta.file === DATA.testFile ? meta.line : null;
  }
  function renderSource(pre, file, line, marks) {
    pre.textContent = "";
    var lines = (DATA.files[file] || "").split("\n");
    if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    var target = null;
    for (var i = 0; i < lines.length; i++) {
      var ln = el("span", "ln");
      ln.dataset.line = String(i + 1);
      ln.appendChild(el("span", "no", String(i + 1)));
      if (marks) ln.appendChild(el("span", "pcs", (marks[i + 1] || []).join(" ")));
      ln.appendChild(document.createTextNode(lines[i]));
      if (line === i + 1) { ln.classList.add("current"); target = ln; }
      pre.appendChild(ln);
    }
    if (target) {
      var top = target.offsetTop - pre.offsetTop - pre.clientHeight / 3;
      pre.scrollTop = Math.max(0, top);
    }
  }
  function renderHeader() {
    $("title").textContent = DATA.test;
    $("subtitle").textContent = DATA.source + " · kernel " + DATA.kernel + " · " + DATA.summary;
    var nav = $("traces");
    nav.textContent = "";
    DATA.traces.forEach(function (t, i) {
      var b = el("button", t.kind, (t.kind === "warning" ? "warning: " : "") + t.title);
      b.setAttribute("aria-pressed", i === cur.trace ? "true" : "false");
      b.title = t.message;
      b.addEventListener("click", function () { go(i, 0); });
      nav.appendChild(b);
    });
    var t = trace();
    var replay = (DATA.replay ? DATA.replay + " " : "") + "--schedule " + t.schedule;
    $("message").textContent = t.message + (t.schedule !== "" ? "  (replay: " + replay + ")" : "");
    $("message").className = t.kind === "violation" ? "badtext" : "";
    $("footer").textContent = "Generated by " + DATA.tool + ". Keys: ← → step, Home/End. The URL hash holds the step.";
  }
  function renderSteps() {
    var tbl = $("steps");
    tbl.textContent = "";
    var head = el("tr");
    head.appendChild(el("th", "", "#"));
    DATA.threads.forEach(function (th) { head.appendChild(el("th", "", th.name)); });
    tbl.appendChild(head);
    states().forEach(function (s, i) {
      if (i === 0) return;
      var m = s["#meta"];
      var tr = el("tr");
      tr.dataset.step = String(i);
      tr.appendChild(el("td", "n", String(i)));
      if (m.thread === null) {
        var td = el("td", "bad", m.statement);
        td.colSpan = DATA.threads.length;
        tr.appendChild(td);
      } else {
        DATA.threads.forEach(function (th) {
          var c = el("td", m.events.length > 0 && th.name === m.thread ? "bad" : "", th.name === m.thread ? m.statement : "");
          tr.appendChild(c);
        });
      }
      tr.addEventListener("click", function () { go(cur.trace, i); });
      tbl.appendChild(tr);
    });
  }
  function cell(c) {
    return el("td", (c.changed ? "changed" : "") + (c.bad ? " badtext" : ""), c.text);
  }
  function panel(title, headers, rows) {
    var p = el("div", "panel");
    p.appendChild(el("h3", "", title));
    if (rows.length === 0) { p.appendChild(el("div", "empty", "empty")); return p; }
    var t = el("table");
    if (headers) {
      var h = el("tr");
      headers.forEach(function (x) { h.appendChild(el("th", "", x)); });
      t.appendChild(h);
    }
    rows.forEach(function (r) {
      var tr = el("tr");
      tr.appendChild(el("th", "", r[0]));
      for (var i = 1; i < r.length; i++) tr.appendChild(cell(r[i]));
      t.appendChild(tr);
    });
    p.appendChild(t);
    return p;
  }
  function mapRows(now, prev) {
    var keys = [];
    (now["#map"] || []).forEach(function (p) { keys.push(p[0]); });
    ((prev && prev["#map"]) || []).forEach(function (p) { if (keys.indexOf(p[0]) < 0) keys.push(p[0]); });
    keys.sort();
    return keys.map(function (k) {
      var v = mapGet(now, k);
      var w = prev ? mapGet(prev, k) : v;
      return [k, { text: v === undefined ? "none" : fmt(v), changed: differs(v, w) }];
    });
  }
  function recordRows(now, prev, fields) {
    return Object.keys(now).map(function (name) {
      var row = [name];
      fields.forEach(function (f) {
        var v = get(now, [name, f]);
        var w = prev ? get(prev, [name, f]) : v;
        row.push({ text: fmt(v), changed: differs(v, w) });
      });
      return row;
    });
  }
  function renderPanels() {
    var ss = states();
    var s = ss[cur.step];
    var p = cur.step > 0 ? ss[cur.step - 1] : null;
    var box = $("panels");
    box.textContent = "";
    var pt = mapRows(s.pte, p && p.pte).concat(mapRows(s.pmd, p && p.pmd).map(function (r) { return ["pmd " + r[0], r[1]]; }));
    box.appendChild(panel("Page table", ["address", "entry"], pt));
    Object.keys(s.tlb).forEach(function (name) {
      box.appendChild(panel("TLB " + name, ["address", "translation"], mapRows(s.tlb[name], p && p.tlb[name])));
    });
    Object.keys(s.secondaries).forEach(function (name) {
      var now = s.secondaries[name];
      var before = p ? p.secondaries[name] : now;
      var rows = [];
      Object.keys(now.vars).forEach(function (v) {
        rows.push([v, { text: fmt(now.vars[v]), changed: differs(now.vars[v], before.vars[v]) }]);
      });
      Object.keys(now.locks).forEach(function (v) {
        rows.push(["lock " + v, { text: fmt(now.locks[v]), changed: differs(now.locks[v], before.locks[v]) }]);
      });
      rows.push(["open ranges", { text: fmt(now.open), changed: differs(now.open, before.open) }]);
      rows.push(["invalidate_seq", { text: fmt(now.invalidate_seq), changed: differs(now.invalidate_seq, before.invalidate_seq) }]);
      box.appendChild(panel("Secondary " + name + " (" + now.kind + ")", null, rows));
    });
    box.appendChild(panel("Frames", ["frame", "content", "backing", "ref", "map", "free", "flags"],
      recordRows(s.frames, p && p.frames, ["content", "backing", "refcount", "mapcount", "free", "flags"])));
    var locks = mapRows(s.ptl, p && p.ptl).map(function (r) { return ["ptl " + r[0], r[1]]; });
    Object.keys(s.locks).forEach(function (l) {
      locks.push([l, { text: fmt(s.locks[l]), changed: p ? differs(s.locks[l], p.locks[l]) : false }]);
    });
    box.appendChild(panel("Locks held", null, locks.filter(function (r) { return r[1].text !== "free" || r[1].changed; })));
    box.appendChild(panel("Threads", ["thread", "status", "line", "registers", "open brackets", "tlb_ubc", "mmu_gather"],
      recordRows(s.threads, p && p.threads, ["status", "pc", "regs", "brackets", "tlb_ubc", "mmu_gather"])));
    var mmRows = Object.keys(s.mm).map(function (k) {
      return [k, { text: fmt(s.mm[k]), changed: p ? differs(s.mm[k], p.mm[k]) : false }];
    });
    Object.keys(s.globals).forEach(function (g) {
      mmRows.push([g, { text: fmt(s.globals[g]), changed: p ? differs(s.globals[g], p.globals[g]) : false }]);
    });
    box.appendChild(panel("mm and globals", null, mmRows));
    box.appendChild(panel("Properties violated so far", null, s.violations.map(function (v) {
      var fresh = p !== null && p.violations.indexOf(v) < 0;
      return [v, { text: fresh ? "violated at this step" : "violated", changed: false, bad: fresh }];
    })));
  }
  function renderStep() {
    var ss = states();
    var s = ss[cur.step];
    var m = s["#meta"];
    $("slider").max = String(ss.length - 1);
    $("slider").value = String(cur.step);
    $("stepno").textContent = "step " + cur.step + " / " + (ss.length - 1);
    $("first").disabled = $("prev").disabled = cur.step === 0;
    $("last").disabled = $("next").disabled = cur.step === ss.length - 1;
    var now = $("now");
    now.textContent = "";
    if (cur.step === 0) {
      now.appendChild(el("span", "", "Initial state. " + (ss.length > 1 ? "Step forward with → or the buttons." : "")));
    } else {
      now.appendChild(el("span", "", "Step " + m.index + " — " + (m.thread === null ? "" : m.thread + ": ")));
      now.appendChild(el("span", "stmt", m.statement));
      if (m.file !== null) now.appendChild(el("span", "", "  (" + m.file + ":" + m.line + ")"));
      // a statement imported from C (mmu-litmus import): its C line too
      if (m.c) now.appendChild(el("span", "", "  [" + m.c.file + ":" + m.c.line + "]"));
      if (m.changes.length > 0) {
        var ul = el("ul");
        m.changes.forEach(function (c) { ul.appendChild(el("li", "", c)); });
        now.appendChild(ul);
      }
      m.events.forEach(function (e) { now.appendChild(el("div", "event", "Violation " + e.property + ": " + e.message)); });
    }
    var marks = {};
    Object.keys(s.threads).forEach(function (name) {
      var th = s.threads[name];
      if (th.status !== "running" || !th.pc) return;
      (marks[th.pc] = marks[th.pc] || []).push(name);
    });
    renderSource($("src"), DATA.testFile, testLine(m), marks);
    $("codeTitle").textContent = "Source · " + DATA.testFile;
    var inlined = cur.step > 0 && m.chain.length > 0 && m.file !== null;
    $("routine").hidden = $("routineTitle").hidden = !inlined;
    if (inlined) {
      $("routineTitle").textContent = "Inlined routine · " + m.file + ":" + m.line + (m.c ? " · " + m.c.file + ":" + m.c.line : "");
      $("chain").textContent = (m.thread || "") + " → " + m.chain.map(function (c) {
        return c.callee + " (called at " + c.file + ":" + c.line + ")";
      }).join(" → ");
      renderSource($("routine"), m.file, m.line, null);
    } else {
      $("chain").textContent = "";
    }
    var rows = $("steps").querySelectorAll("tr[data-step]");
    for (var i = 0; i < rows.length; i++) {
      var k = Number(rows[i].dataset.step);
      rows[i].classList.toggle("current", k === cur.step);
      rows[i].classList.toggle("future", k > cur.step);
      if (k === cur.step && rows[i].scrollIntoView) rows[i].scrollIntoView({ block: "nearest" });
    }
    renderPanels();
  }
  function go(t, step) {
    t = Math.max(0, Math.min(DATA.traces.length - 1, t));
    var changedTrace = t !== cur.trace || !$("steps").firstChild;
    cur.trace = t;
    cur.step = Math.max(0, Math.min(states().length - 1, step));
    if (changedTrace) { renderHeader(); renderSteps(); }
    renderStep();
    moved(cur.trace, cur.step);
  }
  $("first").addEventListener("click", function () { go(cur.trace, 0); });
  $("prev").addEventListener("click", function () { go(cur.trace, cur.step - 1); });
  $("next").addEventListener("click", function () { go(cur.trace, cur.step + 1); });
  $("last").addEventListener("click", function () { go(cur.trace, states().length - 1); });
  $("slider").addEventListener("input", function () { go(cur.trace, Number($("slider").value)); });
  document.addEventListener("keydown", function (e) {
    if (DATA === null || $("viewer").hidden) return; // the matrix page may be showing its table
    if (e.target && e.target.tagName === "INPUT") return; // the slider steps by itself
    if (e.key === "ArrowRight" || e.key === "ArrowDown") { go(cur.trace, cur.step + 1); e.preventDefault(); }
    else if (e.key === "ArrowLeft" || e.key === "ArrowUp") { go(cur.trace, cur.step - 1); e.preventDefault(); }
    else if (e.key === "Home") { go(cur.trace, 0); e.preventDefault(); }
    else if (e.key === "End") { go(cur.trace, states().length - 1); e.preventDefault(); }
  });
  return {
    /** Shows data (re-rendering everything) at a trace and step. */
    open: function (data, t, step) { DATA = data; cur.trace = -1; go(t, step); },
    /** Moves within the open data; re-renders only what changed. */
    go: function (t, step) { go(t, step); },
    at: function () { return { trace: cur.trace, step: cur.step }; },
    onMove: function (f) { moved = f; },
    /** The URL hash as a map of its key=value pairs. */
    hash: function () {
      var out = {};
      location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
        var i = kv.indexOf("=");
        if (i > 0) out[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1));
      });
      return out;
    },
  };
})();
/** A whole number from the hash, or the fallback. */
function hashNumber(v, fallback) {
  var n = Number(v);
  return v !== undefined && v !== "" && Number.isInteger(n) && n >= 0 ? n : fallback;
}
`;

/** The run page: one test, the hash holds step=N&trace=K. */
const RUN_JS = `
(function () {
  function wanted() {
    var h = Viewer.hash();
    return { trace: hashNumber(h.trace, 0), step: hashNumber(h.step, 0) };
  }
  Viewer.onMove(function (t, s) {
    var h = "#step=" + s + (t > 0 ? "&trace=" + t : "");
    if (location.hash !== h) history.replaceState(null, "", h);
  });
  window.addEventListener("hashchange", function () {
    var h = wanted();
    var at = Viewer.at();
    if (h.trace !== at.trace || h.step !== at.step) Viewer.go(h.trace, h.step);
  });
  var start = wanted();
  Viewer.open(DATA, start.trace, start.step);
})();
`;
