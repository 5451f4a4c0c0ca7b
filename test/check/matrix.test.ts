// The matrix's own rules: the routine each scenario calls per kernel version, and cells that must
// not read "safe" (a WARN reached, a routine that changed nothing, a search cut short).

import { describe, expect, test } from 'vitest';
import { type MatrixScenario, routineAt } from '../../src/check/matrix.js';
import { cli } from '../support/memoryIo.js';

interface JsonCell {
  kind: string;
  status: string;
  complete: boolean | null;
  changesPageTable: boolean | null;
  conditionFails: boolean | null;
  violations: string[];
  warnings: string[];
  replay: string | null;
}
interface JsonRow {
  scenario: string;
  routine: string;
  variant: string;
  cells: JsonCell[];
}

async function matrixRows(args: string[]): Promise<JsonRow[]> {
  const r = await cli(['matrix', '--format', 'json', ...args]);
  return (JSON.parse(r.stdout) as { rows: JsonRow[] }).rows;
}

describe('routineAt', () => {
  const migrate: MatrixScenario = {
    file: 'migrate.litmus',
    routine: 'try_to_unmap_one',
    calls: [{ since: 'v5.14', routine: 'try_to_migrate_one' }],
    secondary: 'dev',
  };
  test('the routine changes at the version that split it', () => {
    expect(routineAt(migrate, 'v4.15')).toBe('try_to_unmap_one');
    expect(routineAt(migrate, 'v5.12')).toBe('try_to_unmap_one');
    expect(routineAt(migrate, 'v5.14')).toBe('try_to_migrate_one');
    expect(routineAt(migrate, 'v6.6')).toBe('try_to_migrate_one');
  });
});

describe('the built-in matrix', () => {
  let builtIn: Promise<JsonRow[]> | undefined;
  const rowsOnce = () => {
    builtIn ??= matrixRows([]);
    return builtIn;
  };

  test('migration runs try_to_migrate_one where the kernel has it, never try_to_unmap_one@v6.6', async () => {
    const rows = await rowsOnce();
    const migrate = rows.filter((r) => r.scenario === 'migrate').map((r) => `${r.routine}@${r.variant}`);
    expect(migrate).toContain('try_to_migrate_one@v6.6');
    expect(migrate).not.toContain('try_to_unmap_one@v6.6');
  });

  test('every checked cell ran its routine to a page-table change and reached no WARN', async () => {
    const rows = await rowsOnce();
    const bad = rows.flatMap((r) =>
      r.cells
        .filter((c) => c.status !== 'not-applicable' && (c.changesPageTable !== true || c.status === 'warn'))
        .map((c) => `${r.scenario} ${r.routine}@${r.variant} ${c.kind}: ${c.status}`),
    );
    expect(bad).toEqual([]);
  });

  test('reclaim of a lazily-freed page under KVM at v4.12 loses the store (cond)', async () => {
    // No property follows a page reclaim discarded on purpose; the scenario's forall does.
    const rows = await rowsOnce();
    const row = rows.find((r) => r.scenario === 'reclaim-lazyfree' && r.variant === 'v4.12')!;
    const kvm = row.cells.filter((c) => c.kind === 'kvm' || c.kind === 'kvm@v4.12');
    expect(kvm.map((c) => [c.status, c.conditionFails])).toEqual([
      ['unsafe', true],
      ['unsafe', true],
    ]);
    const v413 = rows.find((r) => r.scenario === 'reclaim-lazyfree' && r.variant === 'v4.13')!;
    expect(v413.cells.filter((c) => c.kind.startsWith('kvm')).map((c) => c.status)).toEqual(['safe', 'safe']);
  });
});

describe('cells that are not safe', () => {
  test('a WARN reached is `warn`, a routine that changed nothing is `vacuous`', async () => {
    const rows = await matrixRows(['test/fixtures/matrix/spec.json']);
    const status = Object.fromEntries(rows.map((r) => [`${r.scenario} ${r.routine}@${r.variant}`, r.cells[0]!]));
    expect(status['migrate-with-ttu try_to_unmap_one@v6.6']!.status).toBe('warn');
    expect(status['migrate-with-ttu try_to_unmap_one@v6.6']!.warnings).toContain('kernel-warning');
    expect(status['migrate-with-ttu try_to_unmap_one@v4.15']!.status).toBe('safe');
    expect(status['migrate-by-version try_to_migrate_one@v6.6']!.status).toBe('safe');
    expect(status['mkclean-clean-page page_mkclean_one@v6.6']!.status).toBe('vacuous');
    expect(status['mkclean-clean-page page_mkclean_one@v6.6']!.changesPageTable).toBe(false);
    // Every cell that is not safe has a replay command.
    for (const c of Object.values(status)) expect(c.replay === null).toBe(c.status === 'safe');
  });

  test('a failing forall / ~exists condition is `unsafe` (cond) without a property; a failing exists is not', async () => {
    const rows = await matrixRows(['test/fixtures/matrix/spec-condition.json']);
    const cell = Object.fromEntries(rows.map((r) => [r.scenario, r.cells[0]!]));
    for (const name of ['condition-forall', 'condition-notexists']) {
      expect(cell[name]!.status).toBe('unsafe');
      expect(cell[name]!.conditionFails).toBe(true);
      expect(cell[name]!.violations).toEqual([]);
      expect(cell[name]!.replay).toMatch(/ --witness$/);
    }
    expect(cell['condition-exists']!.status).toBe('safe');
    expect(cell['condition-exists']!.conditionFails).toBe(false);
    const text = await cli(['matrix', 'test/fixtures/matrix/spec-condition.json']);
    expect(text.stdout).toMatch(/^condition-forall +try_to_unmap_one@v4\.15 +cond$/m);
    expect(text.stdout).toMatch(/^cond = the scenario's final condition/m);
  });

  test('--max-states applies per cell: a cut cell is incomplete, never safe, and the exit is 3', async () => {
    const r = await cli(['matrix', '--format', 'json', '--max-states', '300']);
    expect(r.code).toBe(3);
    const cells = (JSON.parse(r.stdout) as { rows: JsonRow[] }).rows.flatMap((row) => row.cells);
    const cut = cells.filter((c) => c.complete === false);
    expect(cut.length).toBeGreaterThan(0);
    for (const c of cut) expect(['unsafe', 'warn', 'incomplete']).toContain(c.status);
  });

  test('--kernel, --variant, --secondary and --no-check are refused: each row has its own', async () => {
    for (const args of [
      ['--kernel', 'v4.13'],
      ['--variant', 'try_to_unmap_one=v4.13'],
      ['--secondary', 'dev=kvm'],
      ['--no-check', 'lost-write'],
    ]) {
      const r = await cli(['matrix', ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        new RegExp(`^mmu-litmus: ${args[0]} is (not an option of|an option of 'run' and 'test', not of) 'matrix'`),
      );
    }
  });
});
