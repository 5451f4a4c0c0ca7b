// The unified-diff reader of `check-patch`: a patch as `git format-patch` or `git diff` writes it
// (mail headers, message and diffstat before the first file are skipped), read into files,
// hunks and lines, each line with its line number in the old and the new text and in the patch.
// Reading never throws: what it cannot read is a diagnostic at the patch's line.

import { type Diagnostic, error } from '../lang/diagnostic.js';
import type { SourceFile, Span } from '../lang/source.js';

export interface DiffLine {
  /** ' ' context, '-' removed, '+' added. */
  readonly op: ' ' | '-' | '+';
  readonly text: string;
  /** 1-based line in the old text (context and removed lines). */
  readonly oldLine: number | undefined;
  /** 1-based line in the new text (context and added lines). */
  readonly newLine: number | undefined;
  /** 1-based line of the patch file that holds it. */
  readonly patchLine: number;
}

export interface Hunk {
  /** 1-based number of the hunk in its file. */
  readonly index: number;
  readonly oldStart: number;
  readonly oldCount: number;
  readonly newStart: number;
  readonly newCount: number;
  /** What follows the second `@@` (git prints the enclosing function's first line there). */
  readonly heading: string;
  /** 1-based line of the `@@` header in the patch. */
  readonly patchLine: number;
  readonly span: Span;
  readonly lines: readonly DiffLine[];
  /** The old text ended without a newline (`\ No newline at end of file` after its last line). */
  readonly oldNoNewline: boolean;
  readonly newNoNewline: boolean;
}

export interface FilePatch {
  /** Path before and after, without git's `a/` and `b/` prefixes; `/dev/null` for a created or deleted file. */
  readonly oldPath: string;
  readonly newPath: string;
  /** The blob hashes of the `index OLD..NEW` line (abbreviated as git writes them), when there is one. */
  readonly index: { readonly old: string; readonly new: string; readonly span: Span } | undefined;
  /** The `---` line: where a file's diagnostics point when no hunk is meant. */
  readonly span: Span;
  readonly hunks: readonly Hunk[];
}

export interface Patch {
  readonly file: SourceFile;
  readonly files: readonly FilePatch[];
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;
const INDEX = /^index ([0-9a-f]{4,64})\.\.([0-9a-f]{4,64})(?: [0-7]+)?$/;

function stripPrefix(path: string): string {
  const p = path.split('\t')[0]!.trim();
  return p === '/dev/null' ? p : p.replace(/^[ab]\//, '');
}

/** Reads a unified diff; `patch` is undefined when a diagnostic was reported. */
export function parsePatch(file: SourceFile): { patch: Patch | undefined; diagnostics: Diagnostic[] } {
  const text = file.text;
  const lines: { text: string; start: number; end: number }[] = [];
  for (let start = 0; start < text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const t = text.slice(start, end);
    lines.push({ text: t.endsWith('\r') ? t.slice(0, -1) : t, start, end });
    start = end + 1;
  }
  const diagnostics: Diagnostic[] = [];
  const spanOf = (i: number): Span => {
    const l = lines[Math.min(i, lines.length - 1)];
    return l === undefined ? { start: 0, end: 0 } : { start: l.start, end: Math.max(l.end, l.start + 1) };
  };
  const fail = (i: number, message: string) => {
    diagnostics.push(error('ML7001', file, spanOf(i), message));
    return { patch: undefined, diagnostics };
  };
  const files: FilePatch[] = [];
  let i = 0;
  let pendingIndex: FilePatch['index'];
  while (i < lines.length) {
    const l = lines[i]!.text;
    if (l.startsWith('diff --git ')) {
      pendingIndex = undefined;
      i++;
      continue;
    }
    const idx = INDEX.exec(l);
    if (idx !== null) {
      pendingIndex = { old: idx[1]!, new: idx[2]!, span: spanOf(i) };
      i++;
      continue;
    }
    if (!(l.startsWith('--- ') && lines[i + 1]?.text.startsWith('+++ '))) {
      // Mail headers, the message, the diffstat, git's extended headers, the signature.
      if (HUNK.test(l)) return fail(i, "A hunk header comes before any '--- FILE' and '+++ FILE' lines.");
      i++;
      continue;
    }
    const fileSpan = spanOf(i);
    const oldPath = stripPrefix(l.slice(4));
    const newPath = stripPrefix(lines[i + 1]!.text.slice(4));
    i += 2;
    const hunks: Hunk[] = [];
    while (i < lines.length) {
      const m = HUNK.exec(lines[i]!.text);
      if (m === null) break;
      const header = i;
      const oldStart = Number(m[1]);
      const oldCount = m[2] === undefined ? 1 : Number(m[2]);
      const newStart = Number(m[3]);
      const newCount = m[4] === undefined ? 1 : Number(m[4]);
      // An empty side starts at the line before it (`-0,0` for a new file, `-12,0` after line 12).
      let oldNext = oldCount === 0 ? oldStart + 1 : oldStart;
      let newNext = newCount === 0 ? newStart + 1 : newStart;
      let oldLeft = oldCount;
      let newLeft = newCount;
      let oldNoNewline = false;
      let newNoNewline = false;
      const body: DiffLine[] = [];
      i++;
      let last: DiffLine['op'] | undefined;
      while (oldLeft > 0 || newLeft > 0 || lines[i]?.text.startsWith('\\')) {
        const line = lines[i];
        if (line === undefined)
          return fail(
            header,
            `Hunk ${hunks.length + 1} ends early: its header promises ${oldCount} old and ${newCount} new lines, and the patch ends ${oldLeft} old and ${newLeft} new lines short.`,
          );
        const t = line.text;
        if (t.startsWith('\\')) {
          // "\ No newline at end of file" applies to the line before it.
          if (last === '-' || last === ' ') oldNoNewline = true;
          if (last === '+' || last === ' ') newNoNewline = true;
          i++;
          continue;
        }
        // An empty line in a hunk is an empty context line (some mailers strip the space).
        const op = t === '' ? ' ' : t[0];
        if (op !== ' ' && op !== '-' && op !== '+')
          return fail(
            i,
            `Hunk ${hunks.length + 1} has a line that is neither context (' '), removed ('-') nor added ('+') before its ${oldLeft} remaining old and ${newLeft} remaining new lines.`,
          );
        if ((op !== '+' && oldLeft === 0) || (op !== '-' && newLeft === 0))
          return fail(
            i,
            `Hunk ${hunks.length + 1} has more lines than its header '@@ -${oldStart},${oldCount} +${newStart},${newCount} @@' counts.`,
          );
        body.push({
          op,
          text: t.slice(1),
          oldLine: op === '+' ? undefined : oldNext++,
          newLine: op === '-' ? undefined : newNext++,
          patchLine: i + 1,
        });
        if (op !== '+') oldLeft--;
        if (op !== '-') newLeft--;
        last = op;
        i++;
      }
      if (body.every((b) => b.op === ' '))
        return fail(header, `Hunk ${hunks.length + 1} changes nothing: it has no '-' or '+' line.`);
      hunks.push({
        index: hunks.length + 1,
        oldStart,
        oldCount,
        newStart,
        newCount,
        heading: m[5] ?? '',
        patchLine: header + 1,
        span: spanOf(header),
        lines: body,
        oldNoNewline,
        newNoNewline,
      });
    }
    if (hunks.length === 0) return fail(i, `The diff of '${newPath}' has no hunk ('@@ -A,B +C,D @@').`);
    files.push({ oldPath, newPath, index: pendingIndex, span: fileSpan, hunks });
    pendingIndex = undefined;
  }
  if (files.length === 0)
    return fail(0, "The file holds no unified diff: no '--- FILE' line followed by '+++ FILE' and a hunk.");
  return { patch: { file, files }, diagnostics };
}
