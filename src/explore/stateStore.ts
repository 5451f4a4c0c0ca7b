// The seen-set: an open-addressing table (linear probing, power-of-two capacity) keyed by 64-bit
// fingerprints, mapping each to a dense state id, plus per id the parent id and the successor
// index that produced it. Nothing else is stored per state: traces are rebuilt by replaying.


export class StateStore {
  private hi: Uint32Array;
  private lo: Uint32Array;
  /** Slot → id + 1 (0 = empty slot), so that (0, 0) fingerprints need no special case. */
  private ids: Uint32Array;
  private mask: number;
  private parents: Int32Array;
  private actions: Uint16Array;
  size = 0;

  constructor(capacityLog2 = 12) {
    const cap = 1 << capacityLog2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.ids = new Uint32Array(cap);
    this.mask = cap - 1;
    this.parents = new Int32Array(1024);
    this.actions = new Uint16Array(1024);
  }

  /** Inserts a fingerprint; returns the new id, or -1 if it was already present. */
  insert(hi: number, lo: number, parent: number, action: number): number {
    if ((this.size + 1) * 4 > this.ids.length * 3) this.grow();
    const mask = this.mask;
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    const ids = this.ids;
    for (;;) {
      const v = ids[slot]!;
      if (v === 0) break;
      if (this.lo[slot] === lo && this.hi[slot] === hi) return -1;
      slot = (slot + 1) & mask;
    }
    const id = this.size++;
    ids[slot] = id + 1;
    this.hi[slot] = hi;
    this.lo[slot] = lo;
    if (id >= this.parents.length) {
      const p = new Int32Array(this.parents.length * 2);
      p.set(this.parents);
      this.parents = p;
      const a = new Uint16Array(this.actions.length * 2);
      a.set(this.actions);
      this.actions = a;
    }
    this.parents[id] = parent;
    this.actions[id] = action;
    return id;
  }

  private grow(): void {
    const { hi, lo, ids } = this;
    const cap = ids.length * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.ids = new Uint32Array(cap);
    this.mask = cap - 1;
    for (let s = 0; s < ids.length; s++) {
      const v = ids[s]!;
      if (v === 0) continue;
      let slot = (lo[s]! ^ Math.imul(hi[s]!, 0x9e3779b1)) & this.mask;
      while (this.ids[slot] !== 0) slot = (slot + 1) & this.mask;
      this.ids[slot] = v;
      this.hi[slot] = hi[s]!;
      this.lo[slot] = lo[s]!;
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

  /** Allocated bytes of the table and the per-state arrays, per stored state. */
  bytesPerState(): number {
    const bytes = this.ids.length * 12 + this.parents.length * 4 + this.actions.length * 2;
    return this.size === 0 ? 0 : bytes / this.size;
  }
}

