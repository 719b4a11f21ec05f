import { describe, expect, it } from 'vitest';
import { PromiseCache } from './promise-cache.js';

describe('PromiseCache', () => {
  it('creates once per key and keeps at most its size, the oldest going first', async () => {
    const cache = new PromiseCache<number>(2);
    let created = 0;
    const make = (n: number) => () => Promise.resolve((created++, n));
    expect(await cache.get('a', make(1))).toBe(1);
    expect(await cache.get('a', make(9))).toBe(1);
    await cache.get('b', make(2));
    await cache.get('c', make(3)); // 'a' goes
    expect(created).toBe(3);
    expect(await cache.get('b', make(9))).toBe(2);
    expect(await cache.get('a', make(4))).toBe(4);
    expect(created).toBe(4);
  });

  it('drops a promise that failed, and a key deleted, so the next caller creates again', async () => {
    const cache = new PromiseCache<string>(10);
    await expect(cache.get('k', () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    expect(await cache.get('k', () => Promise.resolve('read'))).toBe('read');
    cache.delete('k');
    expect(await cache.get('k', () => Promise.resolve('read again'))).toBe('read again');
  });
});
