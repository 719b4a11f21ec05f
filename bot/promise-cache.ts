/**
 * Promises kept by key, at most `size` (the oldest goes first). A promise that rejects is dropped, so
 * the next caller tries again instead of getting the same failure for good.
 */
export class PromiseCache<V> {
  private readonly entries = new Map<string, Promise<V>>();

  constructor(private readonly size: number) {}

  get(key: string, create: () => Promise<V>): Promise<V> {
    let value = this.entries.get(key);
    if (!value) {
      value = create();
      value.catch(() => this.entries.delete(key));
      if (this.entries.size >= this.size) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, value);
    }
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
