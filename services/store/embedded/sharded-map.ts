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

/** Deleted positions before the order is copied without them: at least this many, and half of it. */
const MIN_DEAD_TO_COMPACT = 1024;

/**
 * A ShardedMap that is also iterated, in the order keys were first set (as a Map is): a
 * collection's documents by `_id`, scanned in the order they were stored. The values sit in an
 * array in that order and the map gives each key's position (a number, nothing allocated per
 * value; a slot object per document was 40 bytes of heap); a delete empties its position, and the
 * array is copied without empty positions once they are half of it — never while an iteration is
 * under way, so an iteration sees every change as a Map's would. Growing or copying an array moves
 * pointers without hashing anything: a millisecond where a Map's rehash of the same size took 46.
 * Values know their keys (`keyOf`), so a copy can give the map their new positions.
 */
export class InsertionOrderedMap<V extends object> {
  private readonly positions = new ShardedMap<number>();
  private order: Array<V | undefined> = [];
  private dead = 0;
  private iterating = 0;

  constructor(private readonly keyOf: (value: V) => string) {}

  has(key: string): boolean {
    return this.positions.get(key) !== undefined;
  }

  set(key: string, value: V): this {
    const at = this.positions.get(key);
    if (at !== undefined) this.order[at] = value;
    else {
      this.positions.set(key, this.order.length);
      this.order.push(value);
    }
    return this;
  }

  delete(key: string): boolean {
    const at = this.positions.get(key);
    if (at === undefined) return false;
    this.positions.delete(key);
    this.order[at] = undefined;
    this.dead += 1;
    this.compactIfDue();
    return true;
  }

  get size(): number {
    return this.order.length - this.dead;
  }

  *values(): IterableIterator<V> {
    this.iterating += 1;
    try {
      // Keys first set while this runs are visited, as by a Map's iterator.
      const order = this.order;
      for (let i = 0; i < order.length; i++) {
        const value = order[i];
        if (value !== undefined) yield value;
      }
    } finally {
      this.iterating -= 1;
      this.compactIfDue();
    }
  }

  private compactIfDue(): void {
    if (this.iterating > 0 || this.dead < MIN_DEAD_TO_COMPACT || this.dead * 2 < this.order.length) return;
    const live: V[] = [];
    for (const value of this.order) {
      if (value === undefined) continue;
      this.positions.set(this.keyOf(value), live.length);
      live.push(value);
    }
    this.order = live;
    this.dead = 0;
  }
}
