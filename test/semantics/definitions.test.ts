// Definitions that name resolution would settle silently are errors: the same routine or
// secondary (name and variant) twice, a routine named like a primitive. Variants of one name
// are not duplicates, and a test's definition may shadow the prelude's (docs/language.md §10).

import { describe, expect, test } from 'vitest';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { compile } from '../../src/semantics/compile.js';
import { checkDefinitions } from '../../src/semantics/definitions.js';
import { loadTestPrelude } from '../support/prelude.js';

const prelude = loadTestPrelude();

function codes(defs: string): string[] {
  const text = `MMU defs
{
  vma v = [0x200000, 0x400000) anon rw;
  frame p = 1;
  pte 0x200000 = p rw dirty young;
  secondary dev : mine;
}
${defs}
kernel K0 {
  zap(0x200000);
}
device D0 on dev {
  r0 = load(0x200000);
}
`;
  const parsed = parseLitmus(sourceFile('defs.litmus', text));
  expect(parsed.diagnostics).toEqual([]);
  return compile(parsed.ast!, prelude).diagnostics.map((d) => d.code);
}

const ZAP = 'routine zap(a) { pte_lock(a); e = ptep_get_and_clear(a); pte_unlock(a); }';
const MINE = 'secondary mine { walks_cpu_page_table; }';

describe('definitions', () => {
  test('one of each compiles', () => {
    expect(codes(`${ZAP}\n${MINE}`)).toEqual([]);
  });

  test('a routine defined twice is ML2033', () => {
    expect(codes(`${ZAP}\n${ZAP}\n${MINE}`)).toEqual(['ML2033']);
  });

  test('a secondary kind defined twice is ML2033', () => {
    expect(codes(`${ZAP}\n${MINE}\n${MINE}`)).toEqual(['ML2033']);
  });

  test('two variants of one routine are not duplicates', () => {
    const v = (x: string) => ZAP.replace('routine zap', `routine zap@${x}`);
    expect(codes(`${v('v4.13')}\n${v('v6.6')}\n${MINE}`)).toEqual([]);
    expect(codes(`${v('v6.6')}\n${v('v6.6')}\n${MINE}`)).toEqual(['ML2033']);
  });

  test('a routine named like a primitive, a notifier call or an access is ML2034', () => {
    for (const name of ['ptep_get', 'mmu_notifier_invalidate_range_start', 'load', 'min', 'page_vma_mapped_walk']) {
      expect(codes(`${ZAP}\n${MINE}\nroutine ${name}(a) { return 5; }`)).toEqual(['ML2034']);
    }
  });

  test('a test routine may shadow a prelude routine', () => {
    expect(codes(`${ZAP}\n${MINE}\nroutine try_to_unmap_one(a) { return 5; }`)).toEqual([]);
  });

  test('the shipped prelude has neither duplicates nor routines named like primitives', () => {
    expect(checkDefinitions(prelude.routines, prelude.secondaries)).toEqual([]);
  });
});
