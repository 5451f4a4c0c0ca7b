// The seen-set: an open-addressing table (linear probing, power-of-two capacity) keyed by 64-bit
// fingerprints, mapping each to a dense state id, plus per id the parent id and the successor
// index that produced it. Nothing else is stored per state: traces are rebuilt by replaying.

/** Words per slot: fingerprint high half, low half, id + 1 (0 marks an empty slot). */
const STRIDE = 3;

export class StateStore {
  // One interleaved array rather than three parallel ones: a probe then touches one cache line
  // instead of three, which is what the search pays for at tens of millions of states.
  private table: Int32Array;
  private mask: number;
  private growAt: number;
  private parents: Int32Array;
  private actions: Uint16Array;
  private count = 0;

  constructor(capacityLog2 = 12) {
    const cap = 2 ** capacityLog2;
    this.table = new Int32Array(cap * STRIDE);
    this.mask = cap - 1;
    this.growAt = loadLimit(cap);
    const perId = Math.min(cap, 1 << 16);
    this.parents = new Int32Array(perId);
    this.actions = new Uint16Array(perId);
  }

  /** Number of stored states; ids are 0 … size - 1 in insertion order. */
  get size(): number {
    return this.count;
  }

  /**
   * Inserts a fingerprint (halves as uint32 or int32) with the state that produced it; returns the
   * new id, or -1 if the fingerprint was already present.
   */
  insert(hi: number, lo: number, parent: number, action: number): number {
    hi |= 0;
    lo |= 0;
    const t = this.table;
    const mask = this.mask;
    let slot = lo & mask;
    for (;;) {
      const b = slot * STRIDE;
      if (t[b + 2] === 0) {
        // Uint16 would silently wrap a larger index and replay the wrong successor.
        if (action > 0xffff) throw new RangeError(`successor index ${action} exceeds 65535`);
        const id = this.count++;
        t[b] = hi;
        t[b + 1] = lo;
        t[b + 2] = id + 1;
        if (id === this.parents.length) this.growPerId();
        this.parents[id] = parent;
        this.actions[id] = action;
        if (this.count > this.growAt) this.growTable();
        return id;
      }
      if (t[b + 1] === lo && t[b] === hi) return -1;
      slot = (slot + 1) & mask;
    }
  }

  /** The id stored for a fingerprint, or -1. */
  find(hi: number, lo: number): number {
    hi |= 0;
    lo |= 0;
    const t = this.table;
    const mask = this.mask;
    let slot = lo & mask;
    for (;;) {
      const b = slot * STRIDE;
      const v = t[b + 2]!;
      if (v === 0) return -1;
      if (t[b + 1] === lo && t[b] === hi) return v - 1;
      slot = (slot + 1) & mask;
    }
  }

  parentOf(id: number): number {
    return this.parents[id]!;
  }

  actionOf(id: number): number {
    return this.actions[id]!;
  }

  /** The successor indices from the initial state to `id`. */
  schedule(id: number): number[] {
    const out: number[] = [];
    for (let s = id; this.parents[s]! >= 0; s = this.parents[s]!) out.push(this.actions[s]!);
    return out.reverse();
  }

  /** Allocated bytes of the table and the per-id arrays, per stored state. */
  bytesPerState(): number {
    const bytes = this.table.byteLength + this.parents.byteLength + this.actions.byteLength;
    return this.count === 0 ? 0 : bytes / this.count;
  }

  private growPerId(): void {
    const n = this.parents.length * 2;
    const p = new Int32Array(n);
    p.set(this.parents);
    this.parents = p;
    const a = new Uint16Array(n);
    a.set(this.actions);
    this.actions = a;
  }

  private growTable(): void {
    const old = this.table;
    const cap = (this.mask + 1) * 2;
    const t = new Int32Array(cap * STRIDE);
    const mask = cap - 1;
    for (let b = 0; b < old.length; b += STRIDE) {
      const v = old[b + 2]!;
      if (v === 0) continue;
      const lo = old[b + 1]!;
      let slot = lo & mask;
      while (t[slot * STRIDE + 2] !== 0) slot = (slot + 1) & mask;
      const nb = slot * STRIDE;
      t[nb] = old[b]!;
      t[nb + 1] = lo;
      t[nb + 2] = v;
    }
    this.table = t;
    this.mask = mask;
    this.growAt = loadLimit(cap);
  }
}

/** Grow past a load of 5/8: linear probing stays at a few probes, mostly within a cache line. */
function loadLimit(cap: number): number {
  return Math.floor((cap * 5) / 8);
}
