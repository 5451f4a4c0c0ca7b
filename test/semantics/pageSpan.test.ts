// pageSpan(): a secondary-TLB invalidation reaches whole pages (aac2fea94f7a's byte ranges).

import { describe, expect, test } from 'vitest';
import { ULONG_MAX } from '../../src/model/u64.js';
import { pageSpan } from '../../src/semantics/mm.js';

describe('pageSpan', () => {
  test('a page-aligned range is kept', () => {
    expect(pageSpan(0x200000, 0x201000)).toEqual([0x200000, 0x201000]);
    expect(pageSpan(0x200000, 0x400000)).toEqual([0x200000, 0x400000]);
  });

  test('a byte range widens to the pages it touches', () => {
    // aac2fea94f7a on a 4 KiB page: address + (1UL << 0).
    expect(pageSpan(0x200000, 0x200001)).toEqual([0x200000, 0x201000]);
    // ... and on a 2 MiB THP: address + (1UL << 9), one page, not the PMD.
    expect(pageSpan(0x200000, 0x200200)).toEqual([0x200000, 0x201000]);
    expect(pageSpan(0x200800, 0x201800)).toEqual([0x200000, 0x202000]);
  });

  test('the whole address space stays whole', () => {
    expect(pageSpan(0, ULONG_MAX)).toEqual([0, ULONG_MAX]);
  });
});
