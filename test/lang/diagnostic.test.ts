// Rendering diagnostics for a terminal: control characters in a source line are escaped (carets
// follow), and one file shows at most MAX_SHOWN diagnostics, then one line counting the rest.

import { describe, expect, test } from 'vitest';
import {
  type Diagnostic,
  error,
  escapeControls,
  MAX_SHOWN,
  renderDiagnostic,
  renderDiagnostics,
} from '../../src/lang/diagnostic.js';
import { sourceFile } from '../../src/lang/source.js';

describe('control characters', () => {
  test('are escaped, printable text is kept', () => {
    expect(escapeControls('a\x1b[31mb\x00c\x7f\x9b\u202ed\té')).toBe('a\\x1b[31mb\\x00c\\x7f\\x9b\\u202ed\té');
    expect(escapeControls('plain text')).toBe('plain text');
  });

  test('in a source excerpt, with the carets under the escaped span', () => {
    const f = sourceFile('x.litmus', 'MMU x\n\x1b\x07 vma;\n');
    const d = error('ML1001', f, { start: 7, end: 8 }, 'Unexpected character "\\u0007".');
    const out = renderDiagnostic(d);
    expect(out).toBe(
      'x.litmus:2:2: error ML1001: Unexpected character "\\u0007".\n  |\n2 | \\x1b\\x07 vma;\n  |     ^^^^\n',
    );
    expect([...out].every((c) => c === '\n' || c >= ' ')).toBe(true);
  });
});

describe('a cap per file', () => {
  const f = sourceFile('g.litmus', '$'.repeat(MAX_SHOWN + 7));
  const many: Diagnostic[] = [...f.text].map((_, i) => error('ML1001', f, { start: i, end: i + 1 }, 'Unexpected.'));

  test(`shows ${MAX_SHOWN}, then counts the rest on one line`, () => {
    const out = renderDiagnostics(many);
    expect(out.match(/^g\.litmus:1:\d+: error/gm)?.length).toBe(MAX_SHOWN);
    expect(out.endsWith(`… 7 more diagnostics in g.litmus (the first ${MAX_SHOWN} are shown).\n`)).toBe(true);
  });

  test('shows all when there are few', () => {
    expect(renderDiagnostics(many.slice(0, 3))).toBe(many.slice(0, 3).map(renderDiagnostic).join(''));
  });
});
