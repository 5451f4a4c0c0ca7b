// The explorer's view of a compiled test.

import type { TransitionSystem, WordWriter } from '../explore/system.js';
import { decodeMachine, encodeMachine, type Machine } from '../model/machine.js';
import type { Program } from './program.js';
import { expand, expandPersistent, type StepInfo } from './runner.js';

export class LitmusSystem implements TransitionSystem<Machine> {
  constructor(readonly prog: Program) {}

  initial(): Machine {
    return this.prog.initial;
  }

  encode(s: Machine, out: WordWriter): void {
    encodeMachine(s, out);
  }

  decode(words: Int32Array, start: number): Machine {
    return decodeMachine(words, start);
  }

  successors(s: Machine, emit: (next: Machine, label: number) => void): void {
    expand(this.prog, s, false, (next, label) => emit(next, label));
  }

  persistent(s: Machine, emit: (next: Machine, label: number) => void): boolean {
    return expandPersistent(this.prog, s, emit);
  }

  violations(s: Machine): number {
    return s.mask;
  }

  /** Successors with what each step did (for traces; not the hot path). */
  describe(s: Machine): { next: Machine; info: StepInfo }[] {
    const out: { next: Machine; info: StepInfo }[] = [];
    expand(this.prog, s, true, (next, _label, info) => out.push({ next, info: info! }));
    return out;
  }
}
