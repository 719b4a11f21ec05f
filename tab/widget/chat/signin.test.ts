import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DirectLineError, type WidgetTokenInfo } from './directline.js';
import { REFUSAL, signedInToken } from './signin.js';

const info = (extra: Partial<WidgetTokenInfo> = {}): WidgetTokenInfo => ({
  conversationId: 'c1',
  token: 'tok',
  userId: 'dl_1',
  visitor: 'v'.repeat(22),
  ...extra,
});
const invalid = new DirectLineError(
  401,
  'POST /widget/token → 401',
  undefined,
  'Your sign-in has expired.',
  'chat.auth_invalid',
);
const notConfigured = new DirectLineError(
  400,
  'POST /widget/token → 400',
  undefined,
  'Signed-in chat is not set up',
  'chat.auth_not_configured',
);

/** A server answering from the list, recording the authToken of each request ('' for a guest). */
function server(answers: Array<WidgetTokenInfo | Error>) {
  const sent: string[] = [];
  const request = (authToken?: string) => {
    sent.push(authToken ?? '');
    const next = answers.shift();
    if (!next) throw new Error('unexpected request');
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
  return { request, sent };
}

/** A provider handing out these tokens in turn. */
function provider(...tokens: Array<string | null>) {
  const fn = vi.fn(() => Promise.resolve(tokens.shift() ?? null));
  return fn;
}

describe('a chat token for a signed-in visitor', () => {
  let warn: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('asks as a guest when the page has no provider or nobody is signed in', async () => {
    const a = server([info()]);
    expect(await signedInToken(a.request, null)).toEqual({ ok: true, info: info() });
    const b = server([info()]);
    const none = provider(null);
    expect((await signedInToken(b.request, none)).ok).toBe(true);
    expect([a.sent, b.sent, none.mock.calls.length]).toEqual([[''], [''], 1]);
  });

  it("sends the provider's token and keeps what the server verified", async () => {
    const verified = info({ verified: { name: 'Jordan Lee', email: 'jordan@example.com' } });
    const s = server([verified]);
    expect(await signedInToken(s.request, provider('jwt-1'))).toEqual({ ok: true, info: verified });
    expect(s.sent).toEqual(['jwt-1']);
  });

  it('asks the provider again once after a refusal, and a fresh token goes through', async () => {
    const s = server([invalid, info({ verified: { name: 'Jordan Lee' } })]);
    const p = provider('expired', 'fresh');
    expect((await signedInToken(s.request, p)).ok).toBe(true);
    expect(s.sent).toEqual(['expired', 'fresh']);
    expect(p).toHaveBeenCalledTimes(2);
  });

  it("refused twice, it starts nothing and hands back the server's words", async () => {
    const s = server([invalid, invalid]);
    expect(await signedInToken(s.request, provider('bad', 'still bad'))).toEqual({
      ok: false,
      message: REFUSAL,
    });
    expect(s.sent).toEqual(['bad', 'still bad']);
  });

  it('does not make a refused visitor a guest when the provider then has no token', async () => {
    const s = server([invalid]);
    expect(await signedInToken(s.request, provider('bad', null))).toEqual({
      ok: false,
      message: REFUSAL,
    });
    expect(s.sent).toEqual(['bad']);
  });

  it('says the same customer words however the server put its reason', async () => {
    const s = server([new DirectLineError(401, 'x'), new DirectLineError(401, 'x')]);
    expect(await signedInToken(s.request, provider('a', 'b'))).toEqual({
      ok: false,
      message: REFUSAL,
    });
  });

  it('chats as a guest at once when the server takes no signed-in chats', async () => {
    const s = server([notConfigured, info()]);
    const p = provider('jwt-1');
    expect(await signedInToken(s.request, p)).toEqual({ ok: true, info: info() });
    expect(s.sent).toEqual(['jwt-1', '']);
    expect(p).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/no signed-in chats/);
  });

  it('leaves any other failure to the caller, as for a guest', async () => {
    const down = new DirectLineError(0, 'network error');
    await expect(signedInToken(server([down]).request, provider('jwt'))).rejects.toBe(down);
    const badRequest = new DirectLineError(400, 'x', undefined, 'bad visitor', 'bad_request');
    await expect(signedInToken(server([badRequest]).request, provider('jwt'))).rejects.toBe(badRequest);
    await expect(signedInToken(server([invalid, down]).request, provider('a', 'b'))).rejects.toBe(down);
  });
});
