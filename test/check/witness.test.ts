// `run --witness`: on every catalogue test with a final condition, the witness schedule replays
// to a final state that answers the condition (holds for exists/~exists, fails for forall), and
// there is one exactly when some final state answers it.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/verdict.js';
import { replaySchedule } from '../../src/explore/replay.js';
import { parseLitmus } from '../../src/lang/parser.js';
import { sourceFile } from '../../src/lang/source.js';
import { FINISHED, KILLED } from '../../src/model/machine.js';
import { compile } from '../../src/semantics/compile.js';
import { evalCond } from '../../src/semantics/final.js';
import { LitmusSystem } from '../../src/semantics/system.js';
import { catalogueFiles } from '../support/catalogue.js';
import { loadTestPrelude } from '../support/prelude.js';

const prelude = loadTestPrelude();

describe('witness', () => {
  it('replays to a final state that answers the condition, on every catalogue test', () => {
    let checked = 0;
    for (const f of catalogueFiles()) {
      const parsed = parseLitmus(sourceFile(f, readFileSync(f, 'utf8')));
      const program = compile(parsed.ast!, prelude).program!;
      const cond = program.condition;
      if (cond === undefined) continue;
      const v = check(program);
      const wanted = cond.quantifier !== 'forall';
      const answered = wanted ? v.positive : v.negative;
      expect(v.witness !== undefined, f).toBe(answered > 0);
      if (v.witness === undefined) continue;
      const r = replaySchedule(new LitmusSystem(program), v.witness);
      expect(r.ok, f).toBe(true);
      if (!r.ok) continue;
      const last = r.states[r.states.length - 1]!;
      expect(last.stuck, f).toBe(0);
      for (const th of last.threads) expect([FINISHED, KILLED], f).toContain(th.status);
      expect(evalCond(program, last, cond.cond), f).toBe(wanted);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });
});
