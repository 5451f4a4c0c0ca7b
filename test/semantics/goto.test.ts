// `goto label;` and `label:`: forward jumps within a body, out of loops and walks. A goto that
// leaves a walk does exactly what `break` does (the walk's lock stays as it is), and a goto is
// the same program as the if/else it stands for.

import { describe, expect, test } from 'vitest';
import { check, type Verdict } from '../../src/check/verdict.js';
import { explore } from '../../src/explore/explorer.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { compile } from '../../src/semantics/compile.js';
import type { Program } from '../../src/semantics/program.js';
import { LitmusSystem } from '../../src/semantics/system.js';
import { compileClean } from '../support/compileClean.js';
import { loadTestPrelude } from '../support/prelude.js';

const prelude = loadTestPrelude();

function build(text: string): Program {
  return compileClean('goto.litmus', text, prelude);
}

function errors(text: string): string[] {
  const parsed = parseLitmus(sourceFile('goto.litmus', text));
  expect(parsed.diagnostics.map((d) => d.message)).toEqual([]);
  return compile(parsed.ast!, prelude).diagnostics.map((d) => d.code);
}

/** What a verdict says, and every terminal state's registers and locks. */
function outcome(p: Program, reduce = false): { verdict: unknown; terminals: string[] } {
  const v: Verdict = check(p, {}, undefined, reduce);
  const terminals = new Set<string>();
  explore(new LitmusSystem(p), {
    reduce,
    onTerminal: (_id, m) => {
      terminals.add(JSON.stringify([m.threads.map((t) => t.regs), m.ptl, m.locks, m.stuck]));
    },
  });
  return {
    verdict: {
      finals: v.finals,
      observation: v.observation,
      violations: v.violations.map((x) => x.property),
      warnings: v.warnings.map((x) => x.property),
      states: v.result.states,
    },
    terminals: [...terminals].sort(),
  };
}

const WALK_INIT = `{
  vma v = [0x200000, 0x400000) anon rw;
  frame t = 1 thp;
  pte 0x200000 = t rw;
  pte 0x201000 = t rw;
  pte 0x202000 = t rw;
  ref t;
  global seen = 0;
}`;

/** K0 walks the PTE-mapped THP and leaves the walk at its second entry by `leave`. */
function walkTest(leave: string, after: string): string {
  return `MMU walk
${WALK_INIT}

routine visit(page, vma, address) {
  n = 0;
  foreach m in page_vma_mapped_walk(page, vma, address) {
    n = n + 1;
    if (n == 2) {
      ${leave}
    }
    seen = seen + 1;
  }
  ${after}
  return n;
}

kernel K0 {
  r0 = visit(t, v, 0x200000);
}

kernel K1 {
  pte_lock(0x200000);
  r1 = seen;
  pte_unlock(0x200000);
}

exists (K0:r0 = 2)
`;
}

describe('goto', () => {
  test('jumps forward in a thread and in a routine, once per call', () => {
    const p = build(`MMU g
{
  global x = 0;
}
routine f(a) {
  if (a == 1) {
    goto out;
  }
  x = x + 10;
out:
  return a + 1;
}
kernel K0 {
  r0 = f(1);
  r1 = f(2);
  if (r0 == 2) {
    goto done;
  }
  r2 = 99;
done: ;
}
exists (K0:r0 = 2 /\\ K0:r1 = 3 /\\ K0:r2 = 0 /\\ x = 10)
`);
    const v = check(p);
    expect(v.observation).toBe('Always');
    expect(v.violations).toEqual([]);
  });

  test('a label before a closing brace marks the end of its block', () => {
    const p = build(`MMU g
{
  global x = 0;
}
kernel K0 {
  r0 = 1;
  if (r0 == 1) {
    if (x == 0) {
      goto skip;
    }
    r1 = 5;
skip:
  } else {
    r1 = 7;
  }
  r2 = 3;
}
exists (K0:r1 = 0 /\\ K0:r2 = 3)
`);
    expect(check(p).observation).toBe('Always');
  });

  test('leaves while loops and choose branches', () => {
    const p = build(`MMU g
{
  global x = 0;
}
kernel K0 {
  while (1) {
    i = i + 1;
    while (1) {
      if (i == 3) {
        goto out;
      }
      break;
    }
  }
  r0 = 99;
out:
  choose {
    goto end;
  } or {
    x = 1;
  }
  r1 = 1;
end:
  r2 = i;
}
exists (K0:r0 = 0 /\\ K0:r2 = 3 /\\ (K0:r1 = 1 /\\ x = 1 \\/ K0:r1 = 0 /\\ x = 0))
`);
    const v = check(p);
    expect(v.observation).toBe('Always');
    expect(v.finals).toHaveLength(2);
  });

  test('leaving an atomic block ends its step', () => {
    const p = build(`MMU g
{
  global x = 0;
  global y = 0;
}
kernel K0 {
  atomic {
    x = 1;
    if (y == 0) {
      goto out;
    }
    x = 2;
  }
  x = 3;
out:
  r0 = x;
}
kernel K1 {
  y = 1;
  r1 = x;
}
locations [K0:r0; K1:r1];
`);
    const v = check(p, {}, undefined, false);
    // The block saw y = 0 and left by the goto (x stays 1), or it ran to its end (x = 2, then
    // 3): K1 never sees the x = 1 of the second way, nor anything between the block's statements.
    expect(v.finals.map((f) => f.line)).toEqual([
      'K0:r0=1; K1:r1=1;',
      'K0:r0=3; K1:r1=0;',
      'K0:r0=3; K1:r1=2;',
      'K0:r0=3; K1:r1=3;',
    ]);
    const reduced = check(p, {}, undefined, true);
    expect(reduced.finals).toEqual(v.finals);
  });

  test('in secondary callbacks and fault routines', () => {
    const p = build(`MMU g
config { kernel = "v6.10"; }
{
  vma v = [0x200000, 0x400000) anon rw;
  frame p = 1;
  pte 0x200000 = p rw;
  secondary s : mirror;
  global calls = 0;
}
secondary mirror {
  state seen = 0;
  on invalidate_range_start(start, end) {
    if (start != 0x200000) {
      goto out;
    }
    seen = seen + 1;
out:
    return 0;
  }
  fault(address, write) {
    e = ptep_get(address);
    if (!pte_present(e)) {
      goto fail;
    }
    stlb_fill(address, pte_page(e), write);
    return 0;
fail:
    return VM_FAULT_SIGSEGV;
  }
}
kernel K0 {
  mmu_notifier_invalidate_range_start(0x200000, 0x201000);
  mmu_notifier_invalidate_range_end(0x200000, 0x201000);
  mmu_notifier_invalidate_range_start(0x300000, 0x301000);
  mmu_notifier_invalidate_range_end(0x300000, 0x301000);
}
device D0 on s {
  r0 = load(0x200000);
}
exists (s.seen = 1 /\\ D0:r0 = 1)
`);
    const v = check(p);
    expect(v.observation).toBe('Always');
    expect(v.violations).toEqual([]);
  });

  test('out of a walk keeps the lock exactly as break does', () => {
    // Without page_vma_mapped_walk_done the lock stays held: K0 unlocks it by hand.
    const held = 'pte_unlock(0x200000);';
    const byBreak = outcome(build(walkTest('break;', held)));
    const byGoto = outcome(build(walkTest('goto out;', `out:\n  ${held}`)));
    expect(byGoto).toEqual(byBreak);
    expect(byBreak.verdict).toMatchObject({ observation: 'Always', violations: [] });
    // With it (the kernel's page_vma_mapped_walk_done(&pvmw); goto out;) the lock is dropped.
    const done = 'page_vma_mapped_walk_done(m);\n      ';
    const doneBreak = outcome(build(walkTest(`${done}break;`, '')));
    const doneGoto = outcome(build(walkTest(`${done}goto out;`, 'out:')));
    expect(doneGoto).toEqual(doneBreak);
    expect(doneBreak.verdict).toMatchObject({ observation: 'Always', violations: [] });
    // Leaving the lock held and not unlocking it: K1 can never take it after K0 is done.
    const stuck = outcome(build(walkTest('goto out;', 'out:')));
    expect(stuck).toEqual(outcome(build(walkTest('break;', ''))));
  });

  test('and the reduced search agrees with the full one', () => {
    for (const text of [walkTest('goto out;', 'out:\n  pte_unlock(0x200000);'), walkTest('goto out;', 'out:')]) {
      const p = build(text);
      const full = outcome(p, false);
      const reduced = outcome(p, true);
      expect(reduced.terminals).toEqual(full.terminals);
      expect({ ...(reduced.verdict as object), states: 0 }).toEqual({ ...(full.verdict as object), states: 0 });
    }
  });

  test('bad gotos are errors', () => {
    const body = (b: string) => `MMU g\n{\n  global x = 0;\n}\nkernel K0 {\n${b}\n}\n`;
    expect(errors(body('goto nowhere;'))).toEqual(['ML2040']);
    expect(errors(body('a:\n  x = 1;\na:\n  x = 2;'))).toEqual(['ML2041']);
    expect(errors(body('a:\n  x = 1;\n  goto a;'))).toEqual(['ML2042']);
    // A goto to itself is backward too.
    expect(errors(body('a: goto a;'))).toEqual(['ML2042']);
    expect(errors(body('goto in;\n  if (x) {\nin:\n    x = 1;\n  }'))).toEqual(['ML2043']);
    expect(errors(body('goto in;\n  atomic {\nin:\n    x = 1;\n  }'))).toEqual(['ML2043']);
    // Labels belong to their body: a routine cannot jump to its caller's label, nor the caller
    // into the routine.
    const routine = (r: string, k: string) =>
      `MMU g\n{\n  global x = 0;\n}\nroutine f() {\n${r}\n}\nkernel K0 {\n${k}\n}\n`;
    expect(errors(routine('goto out;', 'f();\nout:'))).toEqual(['ML2040']);
    expect(errors(routine('out:\n  x = 1;', 'goto out;\n  f();'))).toEqual(['ML2040']);
    // A routine called twice reports its mistake once.
    expect(errors(routine('goto nowhere;', 'f();\n  f();'))).toEqual(['ML2040']);
  });
});
