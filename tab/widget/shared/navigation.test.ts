import { describe, expect, it } from 'vitest';
import {
  appendNav,
  lastSeq,
  MAX_NAV_ENTRIES,
  parseNav,
  toEntry,
  unsentNav,
  type NavEntry,
} from './navigation.js';

const at = '2026-11-25T10:00:00.000Z';
const page = (n: number): NavEntry => ({
  kind: 'page',
  title: `Page ${n}`,
  url: `https://portal.test/p/${n}`,
  at,
});

describe('navigation recorder', () => {
  it('keeps only the last 50 entries, oldest dropped first', () => {
    let list = parseNav([]);
    for (let i = 1; i <= 60; i++) list = appendNav(list, page(i));
    expect(list).toHaveLength(MAX_NAV_ENTRIES);
    expect(list[0]?.title).toBe('Page 11');
    expect(list.at(-1)?.title).toBe('Page 60');
    expect(lastSeq(list)).toBe(60);
  });

  it('drops what is older than 30 minutes when it stores an entry, and keeps counting', () => {
    const minutes = (m: number) => new Date(Date.parse(at) + m * 60_000).toISOString();
    let list = appendNav([], { ...page(1), at: minutes(0) });
    list = appendNav(list, { ...page(2), at: minutes(20) });
    list = appendNav(list, { ...page(3), at: minutes(45) });
    expect(list.map((e) => [e.title, e.seq])).toEqual([
      ['Page 2', 2],
      ['Page 3', 3],
    ]);
    list = appendNav(list, { ...page(4), at: minutes(120) });
    expect(list.map((e) => [e.title, e.seq])).toEqual([['Page 4', 4]]);
  });

  it('gives the chat only what it has not sent yet, without bookkeeping fields', () => {
    let list = appendNav([], page(1));
    list = appendNav(list, page(2));
    const sent = lastSeq(list);
    list = appendNav(list, {
      kind: 'search',
      title: 'router lights',
      url: 'https://portal.test/?q=router',
      at,
    });
    expect(unsentNav(list, sent)).toEqual([
      { kind: 'search', title: 'router lights', url: 'https://portal.test/?q=router', at },
    ]);
    expect(unsentNav(list, lastSeq(list))).toEqual([]);
  });

  it('survives a storage round trip and drops corrupt entries', () => {
    const list = appendNav(appendNav([], page(1)), page(2));
    const stored = JSON.parse(
      JSON.stringify([...list, { kind: 'page', title: 'no seq', url: 'https://x.test', at }, 42]),
    );
    expect(parseNav(stored)).toEqual(list);
    expect(parseNav('not a list')).toEqual([]);
  });

  it('validates what hosts pass to Switchboard.track', () => {
    const now = new Date(at);
    expect(
      toEntry({ kind: 'article', title: ' Router  lights ', url: '/kb/1' }, now, 'https://portal.test/help'),
    ).toEqual({
      kind: 'article',
      title: 'Router lights',
      url: 'https://portal.test/kb/1',
      at,
    });
    expect(toEntry({ kind: 'search', title: 'x' }, now, 'https://portal.test/')?.url).toBe(
      'https://portal.test/',
    );
    expect(toEntry({ kind: 'video', title: 'x' }, now, 'https://portal.test/')).toBeNull();
    // Query strings and fragments carry reset and OAuth tokens: only the path is recorded.
    expect(
      toEntry(
        { kind: 'page', title: 'Reset', url: 'https://portal.test/reset?token=s3cr3t#access_token=abc' },
        now,
        'https://portal.test/',
      )?.url,
    ).toBe('https://portal.test/reset');
    expect(
      toEntry({ kind: 'article', title: 'x', url: 'javascript:alert(1)' }, now, 'https://portal.test/'),
    ).toBeNull();
    expect(toEntry(null, now, 'https://portal.test/')).toBeNull();
    expect(
      toEntry({ kind: 'search', title: 'a'.repeat(1000) }, now, 'https://portal.test/')?.title.length,
    ).toBe(300);
  });
});
