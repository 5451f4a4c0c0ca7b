// Which functions a patch touches: every removed line is looked up among the functions of the
// pre-image, every added line among those of the post-image (the two sides have their own line
// numbers). A changed line outside every function (a comment or declaration at file scope) is
// kept apart, so that the report can name it.

import type { FilePatch } from './diff.js';
import type { CFunction } from './importer.js';

export interface TouchedFunction {
  readonly name: string;
  /** Where it is in the pre-image and the post-image (undefined when the patch adds or removes it). */
  readonly pre: CFunction | undefined;
  readonly post: CFunction | undefined;
  /** Hunk numbers that change it, ascending. */
  readonly hunks: readonly number[];
}

export interface Touched {
  readonly functions: readonly TouchedFunction[];
  /** Changed lines outside every function: hunk number and patch line. */
  readonly outside: readonly { readonly hunk: number; readonly patchLine: number }[];
}

function containing(fns: readonly CFunction[], line: number): CFunction | undefined {
  return fns.find((f) => f.startLine <= line && line <= f.endLine);
}

export function touchedFunctions(fp: FilePatch, pre: readonly CFunction[], post: readonly CFunction[]): Touched {
  const hunksOf = new Map<string, Set<number>>();
  const outside: { hunk: number; patchLine: number }[] = [];
  for (const h of fp.hunks) {
    for (const l of h.lines) {
      if (l.op === ' ') continue;
      const f = l.op === '-' ? containing(pre, l.oldLine!) : containing(post, l.newLine!);
      if (f === undefined) {
        outside.push({ hunk: h.index, patchLine: l.patchLine });
        continue;
      }
      const set = hunksOf.get(f.name) ?? new Set<number>();
      set.add(h.index);
      hunksOf.set(f.name, set);
    }
  }
  const functions = [...hunksOf].map(([name, hunks]) => ({
    name,
    pre: pre.find((f) => f.name === name),
    post: post.find((f) => f.name === name),
    hunks: [...hunks].sort((a, b) => a - b),
  }));
  // In file order: by the first hunk, then by name.
  functions.sort((a, b) => a.hunks[0]! - b.hunks[0]! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { functions, outside };
}
