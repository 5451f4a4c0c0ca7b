// Checks a set of routine and secondary definitions (a test's own, or the whole prelude) for the
// two mistakes name resolution would otherwise settle silently: a second definition of the same
// name and variant (the first would win), and a routine named like a primitive (the primitive
// would win, and the routine would never run).

import type { RoutineDef, SecondaryDef } from '../lang/ast.js';
import { type Diagnostic, error } from '../lang/diagnostic.js';
import { lineAndColumn } from '../lang/source.js';
import { BUILTIN_FUNCTIONS } from './expr.js';
import { isNotifierCall } from './notifiers.js';
import { PRIMITIVES, SPECIAL_CALLS } from './primitives.js';

/** Names a call resolves before any routine: primitives, accesses, notifier calls, builtins. */
export function isBuiltinCall(name: string): boolean {
  return (
    PRIMITIVES.has(name) ||
    SPECIAL_CALLS.has(name) ||
    BUILTIN_FUNCTIONS.has(name) ||
    isNotifierCall(name) ||
    name === 'page_vma_mapped_walk'
  );
}

/** ML2033 (same name and variant twice) and ML2034 (a routine named like a primitive). */
export function checkDefinitions(routines: readonly RoutineDef[], secondaries: readonly SecondaryDef[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [what, defs] of [
    ['routine', routines],
    ['secondary', secondaries],
  ] as const) {
    const seen = new Map<string, RoutineDef | SecondaryDef>();
    for (const d of defs) {
      const key = d.variant === undefined ? d.name : `${d.name}@${d.variant}`;
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, d);
        continue;
      }
      const at = `${first.file.path}:${lineAndColumn(first.file, first.nameSpan.start).line}`;
      out.push(error('ML2033', d.file, d.nameSpan, `The ${what} '${key}' is already defined at ${at}.`));
    }
  }
  for (const r of routines) {
    if (isBuiltinCall(r.name))
      out.push(
        error(
          'ML2034',
          r.file,
          r.nameSpan,
          `'${r.name}' is a primitive, so calls of it would never reach this routine; rename the routine.`,
        ),
      );
  }
  return out;
}
