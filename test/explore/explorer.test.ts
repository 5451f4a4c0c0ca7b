// The explorer on systems whose state spaces are known exactly: counts, depth, terminals,
// violations (including the initial state and bit 31), each limit, and replay.

import { describe, expect, it } from 'vitest';
import { explore } from '../../src/explore/explorer.js';
import { encodingKey } from '../../src/explore/naive.js';
import { replaySchedule } from '../../src/explore/replay.js';
import type { TransitionSystem } from '../../src/explore/system.js';
import { binaryTree, counter } from './toySystem.js';

function terminalKeys<S>(system: TransitionSystem<S>, limits = {}): { keys: string[]; ids: number[] } {
  const keys: string[] = [];
  const ids: number[] = [];
  explore(system, {
    limits,
    onTerminal: (id, s) => {
      ids.push(id);
      keys.push(encodingKey(system, s));
    },
  });
  return { keys, ids };
}

describe('explore', () => {
  it('covers a binary tree of variable-length encodings', () => {
    const k = 10;
    const r = explore(binaryTree(k));
    expect(r).toMatchObject({
      complete: true,
      incomplete: undefined,
      states: 2 ** (k + 1) - 1,
      transitions: 2 ** (k + 1) - 2,
      terminals: 2 ** k,
      depth: k,
    });
    expect(r.bytesPerState).toBeGreaterThan(0);
    expect(r.peakRssBytes).toBeGreaterThan(0);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(0);
    // BFS: ids grow with the string, 0 = [], 1 = [0], 2 = [1], 3 = [0, 0], …
    expect(r.store.labels(0)).toEqual([]);
    expect(r.store.labels(3)).toEqual([0, 0]);
    expect(r.store.labels(6)).toEqual([1, 1]);
    const { keys, ids } = terminalKeys(binaryTree(3));
    expect(keys).toEqual(['0,0,0', '0,0,1', '0,1,0', '0,1,1', '1,0,0', '1,0,1', '1,1,0', '1,1,1']);
    expect(ids).toEqual([7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('records the first violation of each property, bit 31 included, as a shortest trace', () => {
    const system = binaryTree(4);
    const r = explore(system);
    expect([...r.firstViolation.keys()].sort((a, b) => a - b)).toEqual([0, 31]);
    expect(r.store.labels(r.firstViolation.get(0)!)).toEqual([1, 1]);
    expect(r.store.labels(r.firstViolation.get(31)!)).toEqual([0, 0, 0, 1]);
    const replay = replaySchedule(system, [1, 1]);
    expect(replay).toEqual({ ok: true, states: [[], [1], [1, 1]] });
  });

  it('handles cycles and checks the initial state', () => {
    const r = explore(counter(1000, true));
    expect(r).toMatchObject({ complete: true, states: 1000, transitions: 2000, terminals: 0 });
    expect(r.firstViolation.get(1)).toBe(0);
    // 999 = 2·499 + 1 and so on: the shortest path is found by BFS, not the +1 chain.
    const path = r.store.labels(r.firstViolation.get(0)!);
    expect(path.length).toBeLessThan(30);
    const replay = replaySchedule(counter(1000), path);
    expect(replay.ok && replay.states.at(-1)).toBe(999);
  });

  it('stores the successors of a state in emission order, dropping duplicates among them, at any limit', () => {
    // States are lists; [] has the successors [1], [2, 2, 2], [1] again, [3, 3] and [2, 2, 2]
    // again, of different lengths, so that the new ones are moved together in the next level.
    // Each of those has one successor, itself with a 9 appended, and [x…, 9] is terminal.
    const system: TransitionSystem<number[]> = {
      initial: () => [],
      encode: (s, out) => {
        for (const w of s) out.push(w);
      },
      decode: (words, start, length) => Array.from(words.subarray(start, start + length)),
      successors: (s, emit) => {
        if (s.length === 0) {
          const succ = [[1], [2, 2, 2], [1], [3, 3], [2, 2, 2]];
          for (let i = 0; i < succ.length; i++) emit(succ[i]!, i);
        } else if (s.at(-1) !== 9) emit([...s, 9], 0);
      },
      violations: (s) => (s.length === 3 && s[0] === 3 ? 1 : 0),
    };
    const terminals: string[] = [];
    const r = explore(system, { onTerminal: (_id, s) => terminals.push(s.join(',')) });
    expect(r).toMatchObject({ complete: true, states: 7, transitions: 8, terminals: 3 });
    expect([1, 2, 3, 4, 5, 6].map((id) => r.store.labels(id))).toEqual([[0], [1], [3], [0, 0], [1, 0], [3, 0]]);
    expect(terminals).toEqual(['1,9', '2,2,2,9', '3,3,9']);
    expect(r.store.labels(r.firstViolation.get(0)!)).toEqual([3, 0]);
    // A limit reached inside a batch: the successors before it are stored, the rest are not.
    expect(explore(system, { limits: { maxStates: 3 } })).toMatchObject({
      incomplete: 'max-states',
      states: 3,
      transitions: 4,
    });
    expect(explore(system, { limits: { stopAtFirst: true } })).toMatchObject({
      incomplete: 'stop-at-first',
      states: 7,
    });
  });

  it('stops at maxStates only when a state beyond the limit exists', () => {
    expect(explore(counter(50), { limits: { maxStates: 50 } })).toMatchObject({ complete: true, states: 50 });
    expect(explore(counter(50), { limits: { maxStates: 49 } })).toMatchObject({
      complete: false,
      incomplete: 'max-states',
      states: 49,
    });
  });

  it('cuts at maxDepth, and is complete when nothing lies beyond it', () => {
    const tree = binaryTree(5);
    const full = explore(tree, { limits: { maxDepth: 5 } });
    expect(full).toMatchObject({ complete: true, states: 63, terminals: 32, depth: 5 });
    const cut = explore(tree, { limits: { maxDepth: 3 } });
    expect(cut).toMatchObject({ complete: false, incomplete: 'max-depth', states: 15, terminals: 0, depth: 3 });
    expect(cut.transitions).toBe(14);
    expect(explore(counter(10), { limits: { maxDepth: 0 } })).toMatchObject({
      complete: false,
      incomplete: 'max-depth',
      states: 1,
      transitions: 0,
    });
    // Depth-bound states without successors are still reported as terminal.
    expect(terminalKeys(binaryTree(2), { maxDepth: 2 }).keys).toEqual(['0,0', '0,1', '1,0', '1,1']);
  });

  it('stops at the first violation', () => {
    const r = explore(binaryTree(12), { limits: { stopAtFirst: true } });
    expect(r).toMatchObject({ complete: false, incomplete: 'stop-at-first' });
    expect([...r.firstViolation.keys()]).toEqual([0]);
    expect(r.store.labels(r.firstViolation.get(0)!)).toEqual([1, 1]);
    expect(r.states).toBeLessThan(10);
    const initial = explore(counter(10, true), { limits: { stopAtFirst: true } });
    expect(initial).toMatchObject({ complete: false, incomplete: 'stop-at-first', states: 1, transitions: 0 });
  });

  it('times out before expanding anything when given no time', () => {
    const r = explore(binaryTree(8), { limits: { timeoutMs: 0 } });
    expect(r).toMatchObject({ complete: false, incomplete: 'timeout', states: 1, transitions: 0 });
    expect(explore(binaryTree(8), { limits: { timeoutMs: 60_000 } }).complete).toBe(true);
  });

  it('reports progress about once a second on a slow search', () => {
    const progress: number[] = [];
    const slow: TransitionSystem<number> = {
      ...counter(1_000_000),
      successors: (x, emit) => {
        const until = performance.now() + 0.002;
        while (performance.now() < until);
        emit((x + 1) % 1_000_000, 0);
      },
    };
    const r = explore(slow, { limits: { timeoutMs: 1_300 }, onProgress: (p) => progress.push(p.states) });
    expect(r.incomplete).toBe('timeout');
    expect(progress).toHaveLength(1);
    expect(progress[0]).toBeGreaterThan(1);
  });
});

describe('replaySchedule', () => {
  it('reports the step that asks for a missing successor', () => {
    expect(replaySchedule(binaryTree(3), [0, 2, 0])).toEqual({ ok: false, step: 1, available: 2 });
    expect(replaySchedule(binaryTree(1), [1, 0])).toEqual({ ok: false, step: 1, available: 0 });
    expect(replaySchedule(binaryTree(1), [-1])).toEqual({ ok: false, step: 0, available: 2 });
    expect(replaySchedule(binaryTree(1), [])).toEqual({ ok: true, states: [[]] });
  });
});
