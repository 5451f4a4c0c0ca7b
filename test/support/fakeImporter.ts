// A double of the C front end for the check-patch tests: it finds the functions of kernel-style
// C by their layout (a definition starts at column 0 and its body ends at the next `}` at column
// 0), and "imports" a function by picking a hand-written translation from
// test/fixtures/patch/NAME.TAG.litmus. Each line of a translation that ends with `// c: TEXT`
// comes from the first C line of the function, at or after the previous one, that contains TEXT:
// that is its cLineOf.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { error } from '../../src/lang/diagnostic.js';
import { sourceFile } from '../../src/lang/source.js';
import type { CFunction, CImport, Importer } from '../../src/patch/importer.js';
import { ROOT } from './memoryIo.js';

export const FIXTURES = 'test/fixtures/patch';

/** Which translation a function gets: the first whose `contains` the C text has. */
export interface Canned {
  readonly name: string;
  readonly contains: string;
  readonly tag: string;
  /** Same-file helpers the translation stands for (the real importer brings them along). */
  readonly helpers?: readonly string[];
}

export const MKCLEAN: readonly Canned[] = [
  { name: 'page_mkclean_one', contains: 'mmu_notifier_invalidate_range(', tag: 'after', helpers: ['note_skipped'] },
  { name: 'page_mkclean_one', contains: 'mmu_notifier_invalidate_page(', tag: 'before', helpers: ['note_skipped'] },
  { name: 'page_mkclean_one', contains: '', tag: 'broken', helpers: ['note_skipped'] },
];

export function findFunctionsByLayout(text: string): CFunction[] {
  const lines = text.split('\n');
  const out: CFunction[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(?:static\s+)?(?:inline\s+)?[A-Za-z_][\w\s*]*?\b([A-Za-z_]\w*)\s*\(/.exec(lines[i]!);
    if (m === null || lines[i]!.trimEnd().endsWith(';')) continue;
    let open = i;
    while (open < lines.length && lines[open] !== '{') open++;
    let close = open;
    while (close < lines.length && lines[close] !== '}') close++;
    if (close >= lines.length) break;
    out.push({ name: m[1]!, startLine: i + 1, endLine: close + 1 });
    i = close;
  }
  return out;
}

export function fakeImporter(table: readonly Canned[] = MKCLEAN): Importer & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    findFunctions: findFunctionsByLayout,
    importFunctions(file, functions, opts): CImport {
      calls.push(`${file.path} ${functions.join(',')} @${opts.variant} ${opts.kernel}`);
      const cLines = file.text.split('\n');
      const fns = findFunctionsByLayout(file.text);
      let litmus = '';
      const map = new Map<number, number>();
      const routines: string[] = [];
      for (const name of functions) {
        const f = fns.find((x) => x.name === name);
        const body = f === undefined ? undefined : cLines.slice(f.startLine - 1, f.endLine).join('\n');
        const entry = table.find((c) => c.name === name && body?.includes(c.contains));
        if (f === undefined || entry === undefined) {
          const src = sourceFile(file.path, file.text);
          return {
            ok: false,
            litmus: '',
            routines: [],
            diagnostics: [
              error('ML7099', src, { start: 0, end: 1 }, `The importer double has no translation of ${name}.`),
            ],
            report: undefined,
            cLineOf: () => undefined,
          };
        }
        routines.push(name, ...(entry.helpers ?? []));
        const text = readFileSync(join(ROOT, FIXTURES, `${name}.${entry.tag}.litmus`), 'utf8').replaceAll(
          'VARIANT',
          opts.variant,
        );
        const offset = litmus.split('\n').length - 1;
        let from = f.startLine;
        text.split('\n').forEach((l, i) => {
          const m = /\/\/ c: (.*)$/.exec(l);
          if (m === null) return;
          for (let c = from; c <= f.endLine; c++) {
            if (cLines[c - 1]!.includes(m[1]!)) {
              map.set(offset + i + 1, c);
              from = c;
              return;
            }
          }
          throw new Error(`${name}.${entry.tag}.litmus:${i + 1}: no C line of ${name} contains '${m[1]}'`);
        });
        litmus += text.endsWith('\n') ? text : `${text}\n`;
      }
      return { ok: true, litmus, routines, diagnostics: [], report: undefined, cLineOf: (l) => map.get(l) };
    },
  };
}
