// lost-update (src/semantics/lostUpdate.ts): the last store per page, in the execution's order;
// one frame behind two addresses; data moved with or without its last store; the check turned off;
// the discard of a lazily-freed page, right (written before MADV_FREE) and wrong (written after).
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

// The discard of a lazily-freed page: K0 marks p lazily freed (mark_page_lazyfree(), as MADV_FREE
// does), C0 stores before or after that, and K0 then discards the page the way try_to_unmap_one()
// does for a clean lazily-freed page, without looking at the dirty bit (the bug): the PTE left none.
function discard(opts: { storeFirst: boolean; gather?: boolean; between?: string; poison?: boolean }): string {
  const open = opts.gather ? 'tlb_gather_mmu(0x200000, 0x201000);' : '';
  const close = opts.gather ? 'tlb_finish_mmu(0x200000, 0x201000);' : '';
  return `kernel K0 {
  ${opts.storeFirst ? 'await (stored == 1);' : ''}
  ClearPageSwapBacked(p);
  lazy = 1;
  ${opts.storeFirst ? '' : 'await (stored == 1);'}
  ${opts.between ?? ''}
  ${open}
  pte_lock(0x200000);
  e = ptep_clear_flush(0x200000);
  ${opts.poison ? 'set_pte_at(0x200000, make_hwpoison_entry(p));' : ''}
  pte_unlock(0x200000);
  ${close}
}
cpu C0 {
  ${opts.storeFirst ? '' : 'await (lazy == 1);'}
  store(0x200000, 5);
  stored = 1;
}`;
}
const LAZY_INIT = 'pte 0x200000 = p rw;\n  ref p;\n  global lazy = 0;\n  global stored = 0;';

describe('lost-update: the discard of a lazily-freed page', () => {
  test('a store after MADV_FREE, then a discard: lost', () => {
    expect(violations('', LAZY_INIT, discard({ storeFirst: false }))).toEqual(['lost-update']);
  });

  test('a store before MADV_FREE, then a discard: MADV_FREE allowed it', () => {
    expect(violations('', LAZY_INIT, discard({ storeFirst: true }))).toEqual([]);
  });

  test('a second MADV_FREE after the store allows the discard again', () => {
    const v = violations('', LAZY_INIT, discard({ storeFirst: false, between: 'ClearPageSwapBacked(p);' }));
    expect(v).toEqual([]);
  });

  test('a zap (the thread has an mmu_gather open: munmap, MADV_DONTNEED) is not a discard', () => {
    expect(violations('', LAZY_INIT, discard({ storeFirst: false, gather: true }))).toEqual([]);
  });

  test('an hwpoison entry is not a discard', () => {
    expect(violations('', LAZY_INIT, discard({ storeFirst: false, poison: true }))).toEqual([]);
  });

  test('MODEL: a store while any thread has a gather open is taken as racing with the madvise', () => {
    const v = violations(
      '',
      `${LAZY_INIT}\n  global opened = 0;\n  global done = 0;`,
      `${discard({ storeFirst: false }).replace('await (lazy == 1);', 'await (lazy == 1 && opened == 1);').replace('stored = 1;', 'stored = 1;\n  done = 1;')}
kernel K1 {
  tlb_gather_mmu(0x300000, 0x301000);
  opened = 1;
  await (done == 1);
  tlb_finish_mmu(0x300000, 0x301000);
}`,
    );
    expect(v).toEqual([]);
  });

  test('the check turned off reports nothing', () => {
    expect(violations('check -lost-update;', LAZY_INIT, discard({ storeFirst: false }))).toEqual([]);
  });
});
