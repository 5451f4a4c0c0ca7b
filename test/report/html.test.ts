// The trace viewer (`--html`): one self-contained page with every trace embedded as data; and
// the matrix as a page (`matrix --html`) that opens the viewer on a cell's traces.

import { describe, expect, test } from 'vitest';
import { scriptJson } from '../../src/report/html.js';
import { packStates, UNPACK_JS } from '../../src/report/matrixHtml.js';
import { cli } from '../support/memoryIo.js';

const EXAMPLE = 'litmus/ttu+ats+notify-after-free.litmus';

interface PageData {
  test: string;
  testFile: string;
  files: Record<string, string>;
  threads: { name: string }[];
  traces: {
    kind: string;
    title: string;
    message: string;
    schedule: string;
    states: { '#meta': { index: number; file: string | null; chain: { file: string }[] } }[];
  }[];
}

async function page(args: string[]): Promise<{ code: number; html: string; data: PageData }> {
  const r = await cli(['run', ...args, '--html', 'out.html']);
  expect(r.stderr).toBe('');
  const html = r.written.get('out.html');
  expect(html).toBeDefined();
  const m = /const DATA = (.*);\n/.exec(html!);
  expect(m).not.toBeNull();
  return { code: r.code, html: html!, data: JSON.parse(m![1]!) as PageData };
}

function selfContained(html: string): void {
  expect(html).not.toMatch(/https?:\/\//);
  expect(html.match(/<script/g)).toHaveLength(1);
  expect(html.match(/<\/script>/g)).toHaveLength(1);
  expect(html).not.toMatch(/<link|<img|@import|src=/);
  expect(html).toMatch(/prefers-color-scheme: dark/);
}

describe('--html', () => {
  test('DESIGN §2 example: every violation, its steps and the source', async () => {
    const { html, data } = await page([EXAMPLE]);
    selfContained(html);
    expect(data.test).toBe('ttu+ats+notify-after-free');
    expect(data.files[EXAMPLE]).toContain('kernel K0 {');
    expect(data.threads.map((t) => t.name)).toEqual(['K0', 'D0']);
    expect(data.traces.map((t) => [t.kind, t.title])).toEqual([
      ['violation', 'use-after-free'],
      ['violation', 'dangling-translation'],
    ]);
    const uaf = data.traces[0]!;
    expect(uaf.schedule).toBe('0.0.0.0.0.0.0.1');
    expect(uaf.message).toBe('a load through tlb(iommu) of p, which is free');
    expect(uaf.states.map((s) => s['#meta'].index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('a long trace through prelude routines embeds the prelude files it touches', async () => {
    const { html, data } = await page(['litmus/properties/mirror+no-retry.litmus']);
    selfContained(html);
    expect(data.traces.length).toBeGreaterThanOrEqual(3);
    const steps = data.traces[0]!.states;
    expect(steps.length).toBeGreaterThan(20);
    const touched = new Set(steps.flatMap((s) => [s['#meta'].file, ...s['#meta'].chain.map((c) => c.file)]));
    for (const f of touched) if (f !== null) expect(data.files[f], f).toBeDefined();
    expect([...touched].some((f) => f?.startsWith('prelude/'))).toBe(true);
  });

  test('a schedule, and a safe test', async () => {
    const s = await page([EXAMPLE, '--schedule', '0.0']);
    expect(s.data.traces.map((t) => t.kind)).toEqual(['schedule']);
    expect(s.data.traces[0]!.states).toHaveLength(3);
    const ok = await page(['litmus/ttu+ats+notify-before-free.litmus']);
    selfContained(ok.html);
    expect(ok.data.traces.map((t) => t.kind)).toEqual(['ok']);
    expect(ok.data.traces[0]!.states).toHaveLength(1);
  });

  test('embedded JSON cannot close the script', () => {
    const value = { text: '</script><script>alert(1)</script><!-- & \u2028 https://example.org' };
    const s = scriptJson(value);
    expect(s).not.toMatch(/[<>&\u2028]|:\/\//);
    expect(JSON.parse(s)).toEqual(value);
  });

  test('one test only', async () => {
    const r = await cli(['run', 'litmus/properties', '--html', 'x.html']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--html writes the traces of one test/);
    const t = await cli(['test', 'litmus/properties', '--html', 'x.html']);
    expect(t.code).toBe(2);
    expect(t.stderr).toBe("mmu-litmus: --html is an option of 'run' (one test), not of 'test'.\n");
    const m = await cli(['matrix', '--itf', 'x.json']);
    expect(m.code).toBe(2);
    expect(m.stderr).toBe("mmu-litmus: --itf is an option of 'run' (one test), not of 'matrix'.\n");
    expect(m.written.size).toBe(0);
  });
});

interface MatrixData {
  files: Record<string, string>;
  cells: Record<string, { test: string; cell: string; replay: string; traces: { kind: string; title: string }[] }>;
}

describe('matrix --html', () => {
  test('one page: every row, a link and the traces for every unsafe or warned cell, the same stdout', async () => {
    const plain = await cli(['matrix', '--format', 'json']);
    const r = await cli(['matrix', '--format', 'json', '--html', 'matrix.html']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(plain.code);
    // The page is written beside the usual output, which does not change.
    expect(r.stdout).toBe(plain.stdout);
    const html = r.written.get('matrix.html')!;
    selfContained(html);
    expect(html).not.toMatch(/(src|href)="(?!#)/);
    const data = JSON.parse(/const MATRIX = (.*);\n/.exec(html)![1]!) as MatrixData;
    const json = JSON.parse(r.stdout) as {
      kinds: string[];
      rows: {
        scenario: string;
        routine: string;
        variant: string;
        cells: { violations: string[]; warnings: string[]; conditionFails: boolean | null }[];
      }[];
    };
    expect(json.rows.length).toBeGreaterThan(30);
    // A failing forall / ~exists condition has its witness as a trace (reclaim-lazyfree at v4.12).
    expect(json.rows.some((row) => row.cells.some((c) => c.conditionFails === true))).toBe(true);
    json.rows.forEach((row, i) => {
      expect(html).toContain(`<th>${row.scenario}</th><th>${row.routine}@${row.variant}</th>`);
      row.cells.forEach((c, k) => {
        const key = `${i},${k}`;
        const view = data.cells[key];
        if (c.violations.length === 0 && c.warnings.length === 0 && c.conditionFails !== true) {
          expect(view, key).toBeUndefined();
          return;
        }
        expect(html).toContain(`<a href="#cell=${key}">`);
        expect(view!.test).toBe(row.scenario);
        expect(view!.cell).toBe(`${row.scenario} · ${row.routine}@${row.variant} · ${json.kinds[k]}`);
        expect(view!.replay).toMatch(/^npx mmu-litmus run litmus\/matrix\/.* --secondary /);
        expect(view!.traces.map((t) => [t.kind, t.title])).toEqual([
          ...c.violations.map((p) => ['violation', p]),
          ...(c.conditionFails === true ? [['violation', 'final condition']] : []),
          ...c.warnings.map((p) => ['warning', p]),
        ]);
      });
    });
    // Source files are stored once for the whole page.
    expect(Object.keys(data.files)).toContain('litmus/matrix/writeback.litmus');
    expect(Object.keys(data.files).some((f) => f.startsWith('prelude/'))).toBe(true);
  });

  test('states stored as differences unpack to the states of the run page', async () => {
    const { data } = await page(['litmus/properties/mirror+no-retry.litmus']);
    const unpack = new Function(`${UNPACK_JS}; return unpackStates;`)() as (s: unknown[]) => unknown[];
    for (const t of data.traces) {
      const packed = JSON.parse(JSON.stringify(packStates(t.states as never))) as unknown[];
      expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(t.states).length);
      expect(unpack(packed)).toEqual(t.states);
    }
  });
});
