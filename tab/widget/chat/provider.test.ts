import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { askTokenProvider } from './provider.js';

describe("the host page's token provider", () => {
  let warn: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    warn.mockRestore();
    vi.useRealTimers();
  });

  it('takes a token given at once or later', async () => {
    expect(await askTokenProvider('getChatToken', { getChatToken: () => 'eyJ.a.b' })).toBe('eyJ.a.b');
    expect(
      await askTokenProvider('getChatToken', { getChatToken: () => Promise.resolve(' eyJ.c.d\n') }),
    ).toBe('eyJ.c.d');
    expect(warn).not.toHaveBeenCalled();
  });

  it('calls it as a method of the page, as a global function is', async () => {
    const host = {
      token: 'eyJ.e.f',
      getChatToken(this: { token: string }) {
        return this.token;
      },
    };
    expect(await askTokenProvider('getChatToken', host)).toBe('eyJ.e.f');
  });

  it('hears "nobody signed in" in null, undefined and an empty string, quietly', async () => {
    for (const answer of [null, undefined, '', Promise.resolve(null)])
      expect(await askTokenProvider('getChatToken', { getChatToken: () => answer })).toBeNull();
    expect(warn).not.toHaveBeenCalled();
  });

  it('turns every failure into no token, and says so on the console', async () => {
    const cases: Array<[object, RegExp]> = [
      [{}, /window\.getChatToken is not a function/],
      [{ getChatToken: 'eyJ.a.b' }, /is not a function/],
      [
        {
          getChatToken: () => {
            throw new Error('session store down');
          },
        },
        /window\.getChatToken failed/,
      ],
      [{ getChatToken: () => Promise.reject(new Error('401 from /me')) }, /failed/],
      [{ getChatToken: () => ({ token: 'eyJ.a.b' }) }, /returned a object, not a string/],
      [{ getChatToken: () => 42 }, /returned a number/],
    ];
    for (const [host, why] of cases) {
      warn.mockClear();
      expect(await askTokenProvider('getChatToken', host)).toBeNull();
      expect(String(warn.mock.calls[0]?.[0])).toMatch(why);
    }
  });

  it('stops waiting for a provider that never answers', async () => {
    vi.useFakeTimers();
    const asked = askTokenProvider('getChatToken', { getChatToken: () => new Promise(() => undefined) });
    await vi.advanceTimersByTimeAsync(9_999);
    let settled = false;
    void asked.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await asked).toBeNull();
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/did not answer within 10 s/);
  });

  it('takes a slow answer that comes in time', async () => {
    vi.useFakeTimers();
    const asked = askTokenProvider('getChatToken', {
      getChatToken: () => new Promise((resolve) => setTimeout(() => resolve('eyJ.late'), 9_000)),
    });
    await vi.advanceTimersByTimeAsync(9_000);
    expect(await asked).toBe('eyJ.late');
    expect(vi.getTimerCount()).toBe(0);
  });
});
