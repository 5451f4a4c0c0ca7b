// The trace viewer (`--html`): one self-contained page with every trace embedded as data.

import { describe, expect, test } from 'vitest';
import { scriptJson } from '../../src/report/html.js';
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
    const m = await cli(['matrix', '--html', 'x.html']);
    expect(m.code).toBe(2);
    expect(m.stderr).toBe("mmu-litmus: --html is an option of 'run' (one test), not of 'matrix'.\n");
    expect(m.written.size).toBe(0);
  });
});
