import { describe, expect, it, vi } from 'vitest';
import { flatContext, readConfig } from './config.js';

const attrs = (map: Record<string, string>) => (name: string) => map[name] ?? null;

describe('loader configuration', () => {
  it('defaults the server to the origin the loader was served from', () => {
    const c = readConfig(
      attrs({}),
      'https://cc.northwind.test/widget/loader.js',
      'https://www.northwind.test/help',
    );
    expect(c).toEqual({
      baseUrl: 'https://cc.northwind.test',
      title: 'Chat with us',
      context: {},
      authenticated: false,
    });
  });

  it('reads every data attribute', () => {
    const c = readConfig(
      attrs({
        'data-switchboard-url': 'https://cc.test/switchboard/',
        'data-title': 'Support',
        'data-context': '{"plan":"Gigabit"}',
        'data-authenticated': 'true',
        'data-user-name': 'Jordan Lee',
      }),
      'https://cdn.test/loader.js',
      'https://www.test/',
    );
    expect(c).toEqual({
      baseUrl: 'https://cc.test/switchboard',
      title: 'Support',
      context: { plan: 'Gigabit' },
      authenticated: true,
      userName: 'Jordan Lee',
    });
  });

  it("reads the name of the host page's token provider, and only a plain name", () => {
    const read = (value: string) =>
      readConfig(attrs({ 'data-auth-token-provider': value }), 'https://a.test/l.js', 'https://a.test/')
        .authTokenProvider;
    expect(read('getChatToken')).toBe('getChatToken');
    expect(read(' $sb_token2 ')).toBe('$sb_token2');
    expect(read('')).toBeUndefined();
    expect('authTokenProvider' in readConfig(attrs({}), 'https://a.test/l.js', 'https://a.test/')).toBe(
      false,
    );
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (const bad of ['app.getToken', 'getToken()', 'alert(1)', '1st', 'get-token', 'a'.repeat(101)])
      expect(read(bad)).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(6);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/data-auth-token-provider/);
    warn.mockRestore();
  });

  it('ignores a malformed data-context instead of breaking the host page', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(
      readConfig(attrs({ 'data-context': '{plan:' }), 'https://a.test/l.js', 'https://a.test/').context,
    ).toEqual({});
    expect(
      readConfig(attrs({ 'data-context': '[1]' }), 'https://a.test/l.js', 'https://a.test/').context,
    ).toEqual({});
    warn.mockRestore();
  });

  it('flattens custom context to what the bot stores: safe keys, primitive values', () => {
    expect(
      flatContext({
        plan: 'Gigabit',
        seats: 3,
        vip: true,
        address: { city: 'Seattle' },
        'bad.key': 1,
        $x: 2,
        n: null,
      }),
    ).toEqual({ plan: 'Gigabit', seats: 3, vip: true, address: '{"city":"Seattle"}' });
  });
});
