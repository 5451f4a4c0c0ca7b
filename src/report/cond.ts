// Prints a final condition in herd syntax, as the `Condition` line shows it.

import type { Cond } from '../lang/ast.js';
import { hex } from '../model/u64.js';
import { locationText } from '../semantics/final.js';

export function printCond(c: Cond, outer = 0): string {
  const wrap = (s: string, p: number) => (p < outer ? `(${s})` : s);
  switch (c.kind) {
    case 'true':
    case 'false':
      return c.kind;
    case 'and':
      return wrap(`${printCond(c.left, 3)} /\\ ${printCond(c.right, 3)}`, 3);
    case 'or':
      return wrap(`${printCond(c.left, 2)} \\/ ${printCond(c.right, 2)}`, 2);
    case 'implies':
      return wrap(`${printCond(c.left, 2)} => ${printCond(c.right, 1)}`, 1);
    case 'not':
      return `~${printCond(c.arg, 5)}`;
    case 'eq':
    case 'ne': {
      const v =
        c.value.kind === 'num' ? (c.value.value >= 0x1000n ? hex(c.value.value) : String(c.value.value)) : c.value.name;
      return `${locationText(c.loc)}${c.kind === 'eq' ? '=' : '!='}${v}`;
    }
    case 'pred':
      return `${c.pred}(${c.frame})`;
    case 'prop':
      return c.name;
  }
}
