// The ITF export (`--itf`): the schema rules of conventions.md §3.5 on DESIGN §2's example, and
// a golden of the file.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { itfInt } from '../../src/report/itf.js';
import { cli, ROOT } from '../support/memoryIo.js';

const PROPERTY_TESTS = readdirSync(join(ROOT, 'litmus/properties')).filter((f) => f.endsWith('.litmus'));

const EXAMPLE = 'litmus/ttu+ats+notify-after-free.litmus';
const MAX = 2 ** 53 - 1;

/** Every schema violation in an ITF expression, with its path. */
function exprErrors(v: unknown, path: string, out: string[]): void {
  if (typeof v === 'boolean' || typeof v === 'string') return;
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || Math.abs(v) > MAX) out.push(`${path}: ${v} is not an integer within ±(2^53−1)`);
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      exprErrors(x, `${path}[${i}]`, out);
    });
    return;
  }
  if (v === null || typeof v !== 'object') {
    out.push(`${path}: ${String(v)} is not an ITF expression`);
    return;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.some((k) => k.startsWith('#'))) {
    if (keys.length !== 1) {
      out.push(`${path}: a '#' form has one key, not ${keys.join(', ')}`);
      return;
    }
    const k = keys[0]!;
    const x = o[k];
    if (k === '#bigint') {
      if (typeof x !== 'string' || !/^-?[0-9]+$/.test(x)) out.push(`${path}: bad #bigint ${String(x)}`);
    } else if (k === '#map') {
      if (!Array.isArray(x)) out.push(`${path}: #map is not an array`);
      else
        x.forEach((e, i) => {
          if (!Array.isArray(e) || e.length !== 2) out.push(`${path}.#map[${i}]: not a [key, value] pair`);
          else {
            exprErrors(e[0], `${path}.#map[${i}][0]`, out);
            exprErrors(e[1], `${path}.#map[${i}][1]`, out);
          }
        });
    } else if (k === '#set' || k === '#tup') {
      if (!Array.isArray(x)) out.push(`${path}: ${k} is not an array`);
      else
        x.forEach((e, i) => {
          exprErrors(e, `${path}.${k}[${i}]`, out);
        });
    } else if (k !== '#unserializable') {
      out.push(`${path}: unknown form ${k}`);
    }
    return;
  }
  for (const k of keys) exprErrors(o[k], `${path}.${k}`, out);
}

function schemaErrors(trace: object): string[] {
  const t = trace as { vars?: unknown; states?: unknown };
  const out: string[] = [];
  const vars = t.vars as unknown;
  const states = t.states as unknown;
  if (!Array.isArray(vars) || !vars.every((x) => typeof x === 'string')) return ['vars is not an array of strings'];
  if (!Array.isArray(states)) return ['states is not an array'];
  for (const k of Object.keys(t)) {
    if (!['#meta', 'params', 'vars', 'states', 'loop'].includes(k)) out.push(`unknown top-level key ${k}`);
  }
  states.forEach((s: Record<string, unknown>, i) => {
    for (const v of vars) if (!(v in s)) out.push(`states[${i}]: ${v} missing`);
    for (const k of Object.keys(s)) {
      if (k === '#meta') continue;
      if (!vars.includes(k)) out.push(`states[${i}]: ${k} is not in vars`);
      else exprErrors(s[k], `states[${i}].${k}`, out);
    }
  });
  return out;
}

interface Parsed {
  '#meta': Record<'format' | 'format-description' | 'source' | 'status' | 'property' | 'tool' | 'description', unknown>;
  vars: unknown;
  states: {
    '#meta': { index: number };
    pte: unknown;
    violations: unknown;
    threads: Record<string, unknown>;
  }[];
}

async function itfOf(args: string[]): Promise<{ code: number; text: string }> {
  const r = await cli(['run', ...args, '--itf', 'out.itf.json']);
  expect(r.stderr).toBe('');
  const text = r.written.get('out.itf.json');
  expect(text).toBeDefined();
  return { code: r.code, text: text! };
}

describe('--itf', () => {
  test('DESIGN §2 example: the schema rules hold', async () => {
    const { text } = await itfOf([EXAMPLE]);
    const t = JSON.parse(text) as Parsed;
    expect(schemaErrors(t)).toEqual([]);
    const meta = t['#meta'];
    expect(meta.format).toBe('ITF');
    expect(meta['format-description']).toBe('https://apalache-mc.org/docs/adr/015adr-trace.html');
    expect(meta.source).toBe(EXAMPLE);
    expect(meta.status).toBe('violation');
    expect(meta.property).toBe('use-after-free');
    expect(meta.tool).toBe('mmu-litmus 0.1.0');
    expect(typeof meta.description).toBe('string');
    // The trace of the text output has 8 steps: 9 states, the initial one first.
    const states = t.states;
    expect(states).toHaveLength(9);
    const metas = states.map((s) => s['#meta']);
    expect(metas.map((m) => m.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(metas[8]).toMatchObject({ thread: 'D0', statement: 'r0 = load(0x200000)', file: EXAMPLE, line: 28 });
    expect(states[0]!.pte).toEqual({ '#map': [['0x200000', 'p rw dirty young']] });
    expect(states[3]!.pte).toEqual({ '#map': [] });
    expect(states[8]!.violations).toEqual(['use-after-free', 'dangling-translation']);
    expect(states[8]!.threads['D0']).toMatchObject({
      status: 'finished',
      regs: { r0: 1 },
    });
  });

  test('DESIGN §2 example: golden', async () => {
    const { text } = await itfOf([EXAMPLE]);
    await expect(text).toMatchFileSnapshot('../golden/itf/ttu+ats+notify-after-free.itf.json');
  });

  test('a schedule, and a safe test', async () => {
    const s = await itfOf([EXAMPLE, '--schedule', '0.0']);
    const t = JSON.parse(s.text) as Parsed;
    expect(schemaErrors(t)).toEqual([]);
    expect(t.states.length).toBe(3);
    expect(t['#meta'].status).toBe('ok');
    const ok = await itfOf(['litmus/ttu+ats+notify-before-free.litmus']);
    const u = JSON.parse(ok.text) as Parsed;
    expect(schemaErrors(u)).toEqual([]);
    expect(u['#meta']).toMatchObject({ status: 'ok', property: null });
    expect(u.states.length).toBe(1);
  });

  test('integers beyond ±(2^53−1) are #bigint', () => {
    expect(itfInt(5)).toBe(5);
    expect(itfInt(MAX)).toBe(MAX);
    expect(itfInt(2 ** 53)).toEqual({ '#bigint': '9007199254740992' });
    expect(itfInt(2n ** 64n - 1n)).toEqual({ '#bigint': '18446744073709551615' });
  });

  test.each(PROPERTY_TESTS)('the schema rules hold for %s', async (file) => {
    const { text } = await itfOf([`litmus/properties/${file}`]);
    expect(schemaErrors(JSON.parse(text) as Parsed)).toEqual([]);
  });

  test('a secondary leaving: its place on the list, the readers, whom a synchronize waits for', async () => {
    // Only a test that lets a secondary leave has these fields (src/semantics/srcu.ts).
    const { text } = await itfOf(['litmus/secondaries/put+free-before-grace-period.litmus']);
    const t = JSON.parse(text) as Parsed;
    expect(schemaErrors(t)).toEqual([]);
    const first = t.states[0]! as unknown as {
      secondaries: Record<string, Record<string, unknown>>;
      threads: Record<string, Record<string, unknown>>;
    };
    const last = t.states[t.states.length - 1]! as unknown as typeof first;
    expect(first.secondaries['gpu']).toMatchObject({ list: 'hashed' });
    expect(first.threads['K1']).toMatchObject({ srcu_read_lock: 0, synchronize_srcu_waits_for: [] });
    expect(last.secondaries['gpu']).toMatchObject({ list: 'gone' });
    const plain = JSON.parse((await itfOf([EXAMPLE])).text) as Parsed;
    const s0 = plain.states[0]! as unknown as typeof first;
    expect(Object.keys(s0.secondaries['iommu']!)).not.toContain('list');
    expect(Object.keys(s0.threads['K0']!)).not.toContain('srcu_read_lock');
  });

  test('one test only', async () => {
    const r = await cli(['run', 'litmus/properties', '--itf', 'x.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--itf writes the traces of one test/);
  });
});
