import { describe, expect, it } from 'vitest';
import { appendNav, lastSeq } from '../shared/navigation.js';
import { navigationUpdate, visitorContext } from './context.js';

const at = '2026-11-25T10:00:00.000Z';
const CHROME_WIN =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('context for the agent', () => {
  it('starts a conversation with visitor details, the last 30 minutes of navigation and the host context', () => {
    const before = new Date(Date.parse(at) - 31 * 60_000).toISOString();
    let nav = appendNav([], {
      kind: 'search',
      title: 'an earlier visit',
      url: 'https://portal.test/',
      at: before,
    });
    nav = appendNav(nav, { kind: 'page', title: 'Help', url: 'https://portal.test/', at });
    nav = appendNav(nav, { kind: 'search', title: 'router', url: 'https://portal.test/?q=router', at });
    const value = visitorContext(
      {
        baseUrl: 'https://cc.test',
        title: 'Support',
        context: { plan: 'Gigabit', address: { city: 'Seattle' } },
        authenticated: true,
        userName: 'Jordan Lee',
      },
      { userAgent: CHROME_WIN, language: 'en-US' },
      nav,
      Date.parse(at) + 60_000,
    );
    expect(value).toEqual({
      visitor: {
        browser: 'Chrome 131',
        os: 'Windows',
        language: 'en-US',
        authenticated: true,
        device: 'desktop',
      },
      portalNavigation: [
        { kind: 'page', title: 'Help', url: 'https://portal.test/', at },
        { kind: 'search', title: 'router', url: 'https://portal.test/?q=router', at },
      ],
      custom: { plan: 'Gigabit', address: '{"city":"Seattle"}' },
      userName: 'Jordan Lee',
    });
  });

  it('leaves out the user name when the host gave none', () => {
    const value = visitorContext(
      { baseUrl: 'https://cc.test', title: 'Support', context: {}, authenticated: false },
      { userAgent: CHROME_WIN, language: 'fr-FR' },
      [],
    );
    expect(value).not.toHaveProperty('userName');
    expect(value.portalNavigation).toEqual([]);
  });

  it('sends only navigation recorded since the last update', () => {
    const nav = appendNav([], { kind: 'page', title: 'Help', url: 'https://portal.test/', at });
    const sent = lastSeq(nav);
    expect(navigationUpdate(nav, sent)).toBeNull();
    const more = appendNav(nav, {
      kind: 'article',
      title: 'Router lights',
      url: 'https://portal.test/kb/1',
      at,
    });
    expect(navigationUpdate(more, sent)).toEqual({
      entries: [{ kind: 'article', title: 'Router lights', url: 'https://portal.test/kb/1', at }],
    });
  });
});
