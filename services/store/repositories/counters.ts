import type { Collection } from '../port.js';

interface CounterDoc {
  id: string;
  value: number;
}

/**
 * Named counters (global event sequence, case numbers) advanced with one atomic `$inc`. Each
 * counter document is created once at start-up, so the increment itself never has to upsert: two
 * concurrent upserts could otherwise create two counters on a store without unique indexes.
 */
export class Counters {
  constructor(private readonly collection: Collection<CounterDoc>) {}

  async ensure(name: string, start = 0): Promise<void> {
    await this.collection.updateOne({ id: name }, { $setOnInsert: { value: start } }, { upsert: true });
  }

  /**
   * The next value (start + 1, start + 2 …). With `by` > 1 it takes a block of that many values in
   * the same single write and returns the block's last one.
   */
  async next(name: string, by = 1): Promise<number> {
    if (!Number.isInteger(by) || by < 1) throw new Error(`Counter ${name}: cannot advance by ${by}`);
    const doc = await this.collection.findOneAndUpdate({ id: name }, { $inc: { value: by } });
    if (!doc) throw new Error(`Counter ${name} was not created at start-up`);
    return doc.value;
  }

  async current(name: string): Promise<number> {
    return (await this.collection.findOne({ id: name }))?.value ?? 0;
  }
}
