// Applies one file's hunks to a base text, as `git apply` does without offsets or fuzz: every
// context and removed line must read exactly as the hunk says, at the line the hunk names. The
// kernel's patches apply that way to the tree they were made against; a hunk that does not is
// reported with its number and the first line that differs.

import { type Diagnostic, error } from '../lang/diagnostic.js';
import type { SourceFile } from '../lang/source.js';
import type { FilePatch } from './diff.js';

function splitLines(text: string): { lines: string[]; finalNewline: boolean } {
  if (text === '') return { lines: [], finalNewline: false };
  const finalNewline = text.endsWith('\n');
  const lines = (finalNewline ? text.slice(0, -1) : text).split('\n');
  return { lines, finalNewline };
}

function quote(s: string, max = 60): string {
  const t = s.replace(/\t/g, '    ').trim();
  return `'${t.length > max ? `${t.slice(0, max)}…` : t}'`;
}

/** The post-image, or the diagnostic of the first hunk that does not apply (at its `@@` line). */
export function applyFilePatch(
  base: string,
  basePath: string,
  fp: FilePatch,
  patchFile: SourceFile,
): { text: string } | { diagnostic: Diagnostic } {
  const { lines: old, finalNewline } = splitLines(base);
  const out: string[] = [];
  let next = 0; // 0-based index of the first old line not yet copied
  let endNewline = finalNewline;
  for (const h of fp.hunks) {
    const at = h.oldCount === 0 ? h.oldStart : h.oldStart - 1;
    const fail = (message: string) => ({
      diagnostic: error('ML7002', patchFile, h.span, `Hunk ${h.index} does not apply to '${basePath}': ${message}.`),
    });
    if (at < next) return fail(`it starts at line ${h.oldStart}, inside or before the hunk before it`);
    if (at + h.oldCount > old.length)
      return fail(`it needs old lines ${h.oldStart}–${h.oldStart + h.oldCount - 1} and the file has ${old.length}`);
    for (const l of h.lines) {
      if (l.op === '+' || l.oldLine === undefined) continue;
      const actual = old[l.oldLine - 1]!;
      if (actual !== l.text)
        return fail(
          `patch line ${l.patchLine} expects line ${l.oldLine} to read ${quote(l.text)}, and it reads ${quote(actual)}`,
        );
    }
    for (let k = next; k < at; k++) out.push(old[k]!);
    for (const l of h.lines) if (l.op !== '-') out.push(l.text);
    next = at + h.oldCount;
    if (next === old.length) endNewline = !h.newNoNewline;
  }
  for (let k = next; k < old.length; k++) out.push(old[k]!);
  return { text: out.length === 0 ? '' : `${out.join('\n')}${endNewline ? '\n' : ''}` };
}
