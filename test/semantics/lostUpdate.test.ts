// lost-update (src/semantics/lostUpdate.ts): the last store per page, in the execution's order;
// one frame behind two addresses; data moved with or without its last store; the check turned off.
// (The kernel threads here do not notify: unnotified-change is turned off.)

import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/verdict.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { compile } from '../../src/semantics/compile.js';
import { loadTestPrelude } from '../support/prelude.js';

const prelude = loadTestPrelude();

function violations(config: string, init: string, threads: string): string[] {
  const text = `MMU lost-update
config { kernel = "v4.13"; check -unnotified-change; ${config} }
{
  vma v = [0x200000, 0x202000) anon rw;
  frame p = 1;
  frame q = 0;
  frame n free;
  ${init}
}
${threads}
`;
  const parsed = parseLitmus(sourceFile('lost.litmus', text));
  expect(parsed.diagnostics).toEqual([]);
  const c = compile(parsed.ast!, prelude);
  expect(c.diagnostics).toEqual([]);
  return check(c.program!, {}, undefined, false).violations.map((v) => v.property);
}

// K0 moves the data of 0x200000 from p to q under the PTL, flushing first: a store before the
// clear must be copied, one after it faults and waits for the new entry.
const move = (copy: boolean) => `kernel K0 {
  pte_lock(0x200000);
  e = ptep_clear_flush(0x200000);
  ${copy ? 'copy_page(q, p);' : ''}
  set_pte_at(0x200000, pte_mkdirty(mk_pte(q, 1)));
  pte_unlock(0x200000);
}`;

describe('lost-update', () => {
  test('two racing stores to one page: whichever is last is the value, never a loss', () => {
    const v = violations(
      '',
      'pte 0x200000 = p rw dirty;',
      'cpu C0 { store(0x200000, 1); }\ncpu C1 { store(0x200000, 2); }',
    );
    expect(v).toEqual([]);
  });

  test('one frame behind two addresses: a store to one is the last store of both', () => {
    const v = violations(
      '',
      'pte 0x200000 = p rw dirty;\n  pte 0x201000 = p rw dirty;\n  ref p;',
      'cpu C0 { store(0x200000, 1); store(0x201000, 2); }',
    );
    expect(v).toEqual([]);
  });

  test('data moved with a copy keeps the last store', () => {
    const v = violations('', 'pte 0x200000 = p rw dirty;\n  ref q;', `${move(true)}\ncpu C0 { store(0x200000, 5); }`);
    expect(v).toEqual([]);
  });

  test('data moved without the copy loses a store made before the move', () => {
    const v = violations('', 'pte 0x200000 = p rw dirty;\n  ref q;', `${move(false)}\ncpu C0 { store(0x200000, 5); }`);
    expect(v).toEqual(['lost-update']);
  });

  test('config { check -lost-update; } records nothing and reports nothing', () => {
    const v = violations(
      'check -lost-update;',
      'pte 0x200000 = p rw dirty;\n  ref q;',
      `${move(false)}\ncpu C0 { store(0x200000, 5); }`,
    );
    expect(v).toEqual([]);
  });

  test('a page unmapped under its lock is forgotten: the fault after it maps a new page', () => {
    const v = violations(
      '',
      'pte 0x200000 = p rw dirty;\n  ref p;',
      `kernel K0 {
  pte_lock(0x200000);
  e = ptep_clear_flush(0x200000);
  pte_unlock(0x200000);
}
cpu C0 { store(0x200000, 5); r = load(0x200000); }`,
    );
    expect(v).toEqual([]);
  });
});
