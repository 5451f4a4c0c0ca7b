// The explorer's view of a compiled test.

import type { TransitionSystem, WordWriter } from '../explore/system.js';
import { decodeMachine, encodeMachine } from '../model/encoding.js';
import { emptyMachine, type Machine, type MutableMachine } from '../model/machine.js';
import type { Program } from './program.js';
import { expand, expandPersistent, labelThread, type StepInfo, StepPool } from './runner.js';

export class LitmusSystem implements TransitionSystem<Machine> {
  private readonly pool: StepPool | undefined;
  private readonly decoded: MutableMachine | undefined;

  /**
   * With `reuse`, the system reuses storage as `TransitionSystem` allows: a decoded state lives
   * until the next decode, an emitted successor until `emit` returns (what the explorer needs,
   * and allocates nothing per state). Without it every state is a machine of its own (replay,
   * traces, the naive enumerator keep the states they are given).
   */
  constructor(
    readonly prog: Program,
    reuse = false,
  ) {
    this.pool = reuse ? new StepPool(prog) : undefined;
    this.decoded = reuse ? emptyMachine() : undefined;
  }

  initial(): Machine {
    return this.prog.initial;
  }

  encode(s: Machine, out: WordWriter): void {
    encodeMachine(s, out);
  }

  decode(words: Int32Array, start: number, _length: number, stable = false): Machine {
    return decodeMachine(words, start, this.prog.initial, this.decoded, stable);
  }

  successors(s: Machine, emit: (next: Machine, label: number) => void): void {
    expand(this.prog, s, false, emit, this.pool);
  }

  persistent(s: Machine, emit: (next: Machine, label: number) => void): boolean {
    return expandPersistent(this.prog, s, emit, this.pool);
  }

  successorsBut(s: Machine, done: readonly number[], emit: (next: Machine, label: number) => void): void {
    // A persistent set takes every branch of each of its threads (runner.ts): skip those threads.
    let threads = 0;
    for (const label of done) threads |= 1 << labelThread(label);
    expand(this.prog, s, false, emit, this.pool, threads);
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
