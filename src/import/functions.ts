// Function definitions of a C file: their names and line ranges, looking through top-level
// `#ifdef`/`#if` blocks (a definition may sit in one).

import type { Node, Tree } from 'web-tree-sitter';

export interface CFunction {
  readonly name: string;
  /** 1-based, inclusive: the line of the definition's first token (`static`, the type). */
  readonly startLine: number;
  /** 1-based, inclusive: the line of the closing brace. */
  readonly endLine: number;
}

/** The identifier a function declarator declares (through pointers and parentheses). */
export function declaredName(declarator: Node | null): string | undefined {
  let d = declarator;
  while (d !== null) {
    if (d.type === 'identifier') return d.text;
    if (d.type === 'function_declarator' || d.type === 'pointer_declarator' || d.type === 'parenthesized_declarator') {
      d = d.childForFieldName('declarator') ?? d.namedChildren.find((c) => c !== null) ?? null;
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** Every function definition in the tree, in file order, with its node. */
export function functionNodes(tree: Tree): { fn: CFunction; node: Node }[] {
  const out: { fn: CFunction; node: Node }[] = [];
  const visit = (n: Node): void => {
    for (const c of n.namedChildren) {
      if (c === null) continue;
      if (c.type === 'function_definition') {
        const name = declaredName(c.childForFieldName('declarator'));
        if (name !== undefined)
          out.push({
            fn: { name, startLine: c.startPosition.row + 1, endLine: c.endPosition.row + 1 },
            node: c,
          });
      } else if (c.type.startsWith('preproc_') || c.type === 'ERROR' || c.type === 'linkage_specification') {
        visit(c);
      }
    }
  };
  visit(tree.rootNode);
  return out;
}
