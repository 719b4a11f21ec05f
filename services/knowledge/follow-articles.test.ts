import { describe, expect, it } from 'vitest';
import type { KnowledgeArticle } from '../domain/index.js';
import { followArticles, type ArticleSource } from './follow-articles.js';

/** An article store in memory: writes through it are told; `sneak` writes as another instance would. */
function memorySource() {
  const articles = new Map<string, KnowledgeArticle>();
  const listeners = new Set<() => void>();
  let stamp = 0;
  const put = (id: string) => {
    const at = new Date(++stamp);
    articles.set(id, { id, title: id, keywords: [], body: id, product: '', createdAt: at, updatedAt: at });
  };
  const source: ArticleSource = {
    all: () => Promise.resolve([...articles.values()]),
    fingerprint: () => Promise.resolve(`${articles.size}:${stamp}`),
    onChange: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return {
    source,
    write(id: string) {
      put(id);
      for (const l of listeners) l();
    },
    sneak: put,
  };
}

const ids = (articles: KnowledgeArticle[]) => articles.map((a) => a.id).sort();

describe('followArticles', () => {
  it('hears a write told at any step of a rebuild finishing', async () => {
    for (let step = 0; step < 12; step++) {
      const m = memorySource();
      m.write('a');
      const followed = followArticles(m.source, ids);
      await followed.current();
      m.write('b');
      // Let the rebuild run `step` microtasks, then write again: the new article must be built in.
      for (let i = 0; i < step; i++) await Promise.resolve();
      m.write('c');
      await expect.poll(() => followed.latest()).toEqual(['a', 'b', 'c']);
    }
  });

  it('serves the build it has while a rebuild runs, and waits for it only when asked to', async () => {
    const m = memorySource();
    m.write('a');
    const followed = followArticles(m.source, ids);
    expect(await followed.current()).toEqual(['a']);
    m.write('b');
    expect(followed.latest()).toEqual(['a']);
    expect(await followed.current()).toEqual(['a', 'b']);
  });

  it('finds another writer’s change by its fingerprint once the check is due', async () => {
    const m = memorySource();
    let clock = 0;
    m.write('a');
    const followed = followArticles(m.source, ids, { checkEveryMs: 30_000, now: () => clock });
    await followed.current();
    m.sneak('b');
    clock += 29_000;
    expect(await followed.current()).toEqual(['a']);
    clock += 2_000;
    followed.latest();
    await expect.poll(() => followed.latest()).toEqual(['a', 'b']);
  });
});
