// `goto label;` and `label:` (C's goto, as kernel code uses it: `goto out;`, `goto discard;`).
//
// A goto jumps forward to a label of the same body (a thread, a routine, a callback or a fault
// routine; routines are inlined, so each call has its own labels), in the goto's own block or an
// enclosing one. Every jump of the compiled code goes forward except the recorded loop and retry
// jumps (context.ts `backJumps`), which the partial-order reduction relies on; a backward goto
// would break that, so it is an error (ML2042), as are a missing label (ML2040), a label defined
// twice (ML2041) and a jump into a nested block (ML2043).
//
// Leaving a `foreach` by a goto does what `break` does: the walk's page-table lock stays as it is
// (the kernel calls page_vma_mapped_walk_done() first when it must drop it) and the cursor is
// forgotten.

import type { Block, Stmt } from '../lang/ast.js';
import { lineAndColumn, type SourceFile, type Span } from '../lang/source.js';
import { type CompileCtx, report } from './context.js';

/** A label of the body being compiled. */
export interface LabelTarget {
  /** Loops (while, foreach) around the label within its body. */
  readonly loopDepth: number;
  /** Jumps of the gotos to this label, patched when the label is compiled. */
  readonly jumps: { pc: number }[];
}

/** The labels of one body, and its gotos that passed the checks. */
export interface Labels {
  readonly targets: ReadonlyMap<string, LabelTarget>;
  readonly valid: ReadonlySet<Stmt>;
}

interface Seen {
  readonly order: number;
  /** The blocks enclosing the statement, outermost first. */
  readonly path: readonly Block[];
  readonly loopDepth: number;
  readonly stmt: Extract<Stmt, { kind: 'label' }>;
}

/** Statements already reported, per compilation: an inlined routine is checked at every call. */
const reported = new WeakMap<object, WeakSet<Stmt>>();

/** Checks the gotos and labels of a body and returns its label table. */
export function bodyLabels(ctx: CompileCtx, file: SourceFile, body: Block): Labels {
  const labels = new Map<string, Seen>();
  const gotos: { stmt: Extract<Stmt, { kind: 'goto' }>; order: number; path: readonly Block[] }[] = [];
  let done = reported.get(ctx.diagnostics);
  if (done === undefined) {
    done = new WeakSet();
    reported.set(ctx.diagnostics, done);
  }
  const seen = done;
  const err = (s: Stmt, code: string, span: Span, message: string): void => {
    if (seen.has(s)) return;
    seen.add(s);
    report(ctx, code, file, span, message);
  };
  let order = 0;
  const visit = (b: Block, path: readonly Block[], loopDepth: number): void => {
    const here = [...path, b];
    for (const s of b.stmts) {
      order++;
      switch (s.kind) {
        case 'label': {
          const before = labels.get(s.name);
          if (before !== undefined) {
            const line = lineAndColumn(file, before.stmt.span.start).line;
            err(s, 'ML2041', s.nameSpan, `The label '${s.name}' is already defined in this body, at line ${line}.`);
          } else {
            labels.set(s.name, { order, path: here, loopDepth, stmt: s });
          }
          break;
        }
        case 'goto':
          gotos.push({ stmt: s, order, path: here });
          break;
        case 'if':
          visit(s.then, here, loopDepth);
          if (s.else !== undefined) visit(s.else, here, loopDepth);
          break;
        case 'while':
        case 'foreach':
          visit(s.body, here, loopDepth + 1);
          break;
        case 'atomic':
        case 'block':
          visit(s.body, here, loopDepth);
          break;
        case 'choose':
          for (const branch of s.branches) visit(branch, here, loopDepth);
          break;
        default:
          break;
      }
    }
  };
  visit(body, [], 0);

  const valid = new Set<Stmt>();
  for (const g of gotos) {
    const l = labels.get(g.stmt.label);
    if (l === undefined) {
      err(g.stmt, 'ML2040', g.stmt.labelSpan, `No label '${g.stmt.label}:' in this body.`);
    } else if (l.order < g.order) {
      err(
        g.stmt,
        'ML2042',
        g.stmt.span,
        `'goto ${g.stmt.label}' jumps backward to line ${lineAndColumn(file, l.stmt.span.start).line}, which is not supported (only loops jump back); write the loop with 'while'.`,
      );
    } else if (!l.path.every((b, i) => g.path[i] === b)) {
      err(
        g.stmt,
        'ML2043',
        g.stmt.span,
        `'goto ${g.stmt.label}' jumps into a block it is not in; a goto can only leave blocks.`,
      );
    } else {
      valid.add(g.stmt);
    }
  }
  const targets = new Map<string, LabelTarget>();
  for (const [name, l] of labels) targets.set(name, { loopDepth: l.loopDepth, jumps: [] });
  return { targets, valid };
}
