// A Map split over a fixed number of smaller Maps by a cheap hash of the key. A JavaScript Map
// grows by rehashing every entry into a table twice the size, in one step: 23 ms at 131,072 string
// keys and 46 ms at 262,144 here, and every index of a collection crosses those sizes on the same
// insert — a soak's event log stalled the server 40–120 ms that way, longer the more it held.
// Sixty-four parts make each such step a sixty-fourth as long. Only for maps never iterated: the
// parts give no single insertion order.

const PART_BITS = 6;
const PARTS = 1 << PART_BITS;

/**
 * From a string's last three characters (ids and sequence numbers vary most at their end) or a
 * number's integer part (so 0 and -0, equal as Map keys, meet), mixed by a multiplicative hash
 * whose top bits pick the part (a missing character counts as 0).
 */
function part(key: string | number): number {
  let mixed: number;
  if (typeof key === 'number') mixed = key | 0;
  else {
    const n = key.length;
    mixed = key.charCodeAt(n - 1) ^ (key.charCodeAt(n - 2) << 8) ^ (key.charCodeAt(n - 3) << 16);
  }
  return Math.imul(mixed, 0x9e3779b1) >>> (32 - PART_BITS);
}

/** Keys are strings or numbers (a number is its own key, as in a Map). */
export class ShardedMap<V> {
  private readonly parts: Array<Map<string | number, V>> = Array.from({ length: PARTS }, () => new Map());

  get(key: string | number): V | undefined {
    return this.parts[part(key)]!.get(key);
  }

  set(key: string | number, value: V): this {
    this.parts[part(key)]!.set(key, value);
    return this;
  }

  delete(key: string | number): boolean {
    return this.parts[part(key)]!.delete(key);
  }

  get size(): number {
    let n = 0;
    for (const p of this.parts) n += p.size;
    return n;
  }
}

/** A chunk of the order holds 2^12 places: copying one without its empty places renumbers at most that many keys. */
const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;

/**
 * A ShardedMap that is also iterated, in the order keys were first set (as a Map is): a
 * collection's documents by `_id`, scanned in the order they were stored. The values sit in that
 * order in chunks of 4,096 places and the map gives each key its place (a number, nothing
 * allocated per value; a slot object per document was 40 bytes of heap). A delete empties its
 * place; a chunk half empty is copied without its empty places, renumbering only its own keys — a
 * copy of the whole order renumbered them all, 150 ms at a million — and never while an iteration
 * is under way, so an iteration sees every change as a Map's would. Values know their keys
 * (`keyOf`), so a copy can give the map their new places.
 */
export class InsertionOrderedMap<V extends object> {
  private readonly places = new ShardedMap<number>();
  private readonly chunks: Array<Array<V | undefined>> = [[]];
  private readonly emptyIn: number[] = [0];
  /** Chunks half empty, copied once no iteration is under way. */
  private readonly due = new Set<number>();
  private count = 0;
  private iterating = 0;

  constructor(private readonly keyOf: (value: V) => string) {}

  has(key: string): boolean {
    return this.places.get(key) !== undefined;
  }

  set(key: string, value: V): this {
    const at = this.places.get(key);
    if (at === undefined) return this.add(key, value);
    this.chunks[at >>> CHUNK_BITS]![at & (CHUNK - 1)] = value;
    return this;
  }

  /**
   * `set` for a key the caller knows is not in the map (a new document's `_id`), without looking it
   * up first: one hash lookup an insert instead of two.
   */
  add(key: string, value: V): this {
    // New keys go at the end of the last chunk; a copied chunk before it stays as short as it is.
    let last = this.chunks.length - 1;
    if (this.chunks[last]!.length === CHUNK) {
      this.chunks.push([]);
      this.emptyIn.push(0);
      last += 1;
    }
    const chunk = this.chunks[last]!;
    this.places.set(key, (last << CHUNK_BITS) | chunk.length);
    chunk.push(value);
    this.count += 1;
    return this;
  }

  delete(key: string): boolean {
    const at = this.places.get(key);
    if (at === undefined) return false;
    this.places.delete(key);
    const c = at >>> CHUNK_BITS;
    this.chunks[c]![at & (CHUNK - 1)] = undefined;
    this.count -= 1;
    this.emptyIn[c]! += 1;
    if (this.emptyIn[c]! * 2 >= this.chunks[c]!.length) {
      this.due.add(c);
      this.copyDue();
    }
    return true;
  }

  get size(): number {
    return this.count;
  }

  *values(): IterableIterator<V> {
    this.iterating += 1;
    try {
      // Keys first set while this runs are visited, as by a Map's iterator.
      const chunks = this.chunks;
      for (let c = 0; c < chunks.length; c++) {
        const chunk = chunks[c]!;
        for (let i = 0; i < chunk.length; i++) {
          const value = chunk[i];
          if (value !== undefined) yield value;
        }
      }
    } finally {
      this.iterating -= 1;
      this.copyDue();
    }
  }

  private copyDue(): void {
    if (this.iterating > 0 || this.due.size === 0) return;
    for (const c of this.due) {
      const live: V[] = [];
      for (const value of this.chunks[c]!) {
        if (value === undefined) continue;
        this.places.set(this.keyOf(value), (c << CHUNK_BITS) | live.length);
        live.push(value);
      }
      this.chunks[c] = live;
      this.emptyIn[c] = 0;
    }
    this.due.clear();
  }
}
