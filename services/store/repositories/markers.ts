import type { Collection } from '../port.js';

interface MarkerDoc {
  id: string;
  at: Date;
}

/** One-time facts about the store itself, e.g. "demo data seeded". */
export class Markers {
  constructor(private readonly collection: Collection<MarkerDoc>) {}

  async has(name: string): Promise<boolean> {
    return (await this.collection.count({ id: name })) > 0;
  }

  /** Sets the marker; `true` if this call set it, `false` if it was already there. */
  async set(name: string, at: Date): Promise<boolean> {
    const before = await this.collection.findOneAndUpdate(
      { id: name },
      { $setOnInsert: { at } },
      { upsert: true, returnDocument: 'before' },
    );
    return before === null;
  }
}
