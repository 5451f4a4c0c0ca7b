// The seen-set: an open-addressing table (linear probing, power-of-two capacity) keyed by 64-bit
// fingerprints, mapping each to a dense state id, plus per id the parent id and the label of the
// transition that produced it (TransitionSystem.successors). Nothing else is stored per state:
// traces are rebuilt by replaying.

/** Words per slot: fingerprint high half, low half, id + 1 (0 marks an empty slot). */
const STRIDE = 3;

// Parent ids and successor indices are kept in chunks of 2^16 ids (the first one grows to that
// size by doubling): adding states never copies them, and at most one chunk is partly unused,
// where a doubled array left up to half of itself unused (a sixth of the store at 5 M states).
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

export class StateStore {
  // One interleaved array rather than three parallel ones: a probe then touches one cache line
  // instead of three, which is what the search pays for at tens of millions of states.
  private table: Int32Array;
  private mask: number;
  private growAt: number;
  private readonly parents: Int32Array[];
  private readonly actions: Uint16Array[];
  private count = 0;
  /** Ids the per-id chunks have room for (a number: a typed array's length is not free to read). */
  private idCap: number;
  /** Folded from the slots `touch` read (only there so that the reads are kept). */
  touched = 0;

  constructor(capacityLog2 = 12) {
    const cap = 2 ** capacityLog2;
    this.table = new Int32Array(cap * STRIDE);
    this.mask = cap - 1;
    this.growAt = loadLimit(cap);
    const perId = Math.min(cap, CHUNK);
    this.parents = [new Int32Array(perId)];
    this.actions = [new Uint16Array(perId)];
    this.idCap = perId;
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
        // Uint16 would silently wrap a larger label and replay the wrong successor.
        if (action > 0xffff) throw new RangeError(`transition label ${action} exceeds 65535`);
        const id = this.count++;
        t[b] = hi;
        t[b + 1] = lo;
        t[b + 2] = id + 1;
        const c = id >>> CHUNK_BITS;
        const j = id & CHUNK_MASK;
        if (id === this.idCap) this.growPerId(c);
        this.parents[c]![j] = parent;
        this.actions[c]![j] = action;
        if (this.count > this.growAt) this.growTable();
        return id;
      }
      if (t[b + 1] === lo && t[b] === hi) return -1;
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Reads the first slot a fingerprint with this low half probes, and nothing else: a later
   * `insert` or `find` of it then finds the slot in the cache. The value read goes to `touched` so
   * that the read is not optimised away.
   */
  touch(lo: number): void {
    this.touched ^= this.table[(lo & this.mask) * STRIDE + 2]!;
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
    return this.parents[id >>> CHUNK_BITS]![id & CHUNK_MASK]!;
  }

  actionOf(id: number): number {
    return this.actions[id >>> CHUNK_BITS]![id & CHUNK_MASK]!;
  }

  /** The transition labels from the initial state to `id` (explorer.ts turns them into a schedule). */
  labels(id: number): number[] {
    const out: number[] = [];
    for (let s = id; this.parentOf(s) >= 0; s = this.parentOf(s)) out.push(this.actionOf(s));
    return out.reverse();
  }

  /** Allocated bytes of the table and the per-id arrays, per stored state. */
  bytesPerState(): number {
    let bytes = this.table.byteLength;
    for (const p of this.parents) bytes += p.byteLength;
    for (const a of this.actions) bytes += a.byteLength;
    return this.count === 0 ? 0 : bytes / this.count;
  }

  /** Room for the next id in chunk `c`: a new chunk, or the first one doubled. */
  private growPerId(c: number): void {
    if (c === this.parents.length) {
      this.parents.push(new Int32Array(CHUNK));
      this.actions.push(new Uint16Array(CHUNK));
      this.idCap += CHUNK;
      return;
    }
    const n = this.parents[c]!.length * 2;
    this.idCap = n;
    const p = new Int32Array(n);
    p.set(this.parents[c]!);
    this.parents[c] = p;
    const a = new Uint16Array(n);
    a.set(this.actions[c]!);
    this.actions[c] = a;
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
