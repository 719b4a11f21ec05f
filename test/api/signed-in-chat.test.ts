/**
 * Signed-in chat: a site's server signs its signed-in customer a token (HS256 with CHAT_AUTH_SECRET),
 * the widget hands it over when the chat starts, and the agent sees a verified customer — the same
 * customer record in every chat. A token the site did not sign, or signed for something else or for
 * too long, is refused with the reason; a page's own claim to be signed in never verifies anyone.
 * Over the real server and the local Direct Line channel.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { openStream, signIn, type ApiClient, type Json, type LiveStream } from './support/clients.js';
import {
  CHAT_AUTH_SECRET,
  chatAsksForAPerson as asks,
  signChatToken as sign,
  widgetToken as tokenFrom,
} from './support/signed-in.js';

let server: TestServer;
let alex: ApiClient;
let alexStream: LiveStream;

const widgetToken = (body: Record<string, unknown>, url = server.url) => tokenFrom(url, body);

/** The chat asks for a person; resolves with the offer Alex gets. */
async function chatAsksForAPerson(token: string, name: string, visitor: Record<string, unknown> = {}) {
  await asks(server.url, token, name, visitor);
  return alexStream.waitFor(
    `the offer for ${name}`,
    (f) => f.type === 'offer.created' && f.customerName === name,
    30_000,
  );
}

const visitorOf = async (conversationId: string) =>
  ((await alex.call('GET', `/conversations/${conversationId}`)).body.context as Json).visitor as Json;

beforeAll(async () => {
  server = await startTestServer({ env: { CHAT_AUTH_SECRET } });
  for (const other of ['agent_emma', 'agent_farah', 'agent_chen', 'supervisor_sam']) {
    await (await signIn(server.url, other)).call('PUT', '/me/presence', { presence: 'away' });
  }
  alex = await signIn(server.url, 'agent_alex');
  alexStream = await openStream(server.url, alex.token);
  await alex.call('PUT', '/me/presence', { presence: 'available' });
}, 60_000);
afterAll(async () => {
  await alexStream?.close();
  await server?.close();
});

describe('a chat the site signed its customer in to', () => {
  it('is a verified customer to the agent, the same customer record in every chat', async () => {
    const token = await sign({ name: 'Jordan Lee', email: 'jordan@northwind.example' });
    const first = await widgetToken({ authToken: token });
    expect(first.status).toBe(200);
    expect(first.body.verified).toEqual({ name: 'Jordan Lee', email: 'jordan@northwind.example' });
    // Another device, another visitor credential, the same customer.
    const again = await widgetToken({ authToken: await sign({ name: 'Jordan Lee' }) });
    expect(again.body.userId).toBe(first.body.userId);
    const guest = await widgetToken({});
    expect(guest.body.userId).not.toBe(first.body.userId);
    expect(guest.body).not.toHaveProperty('verified');

    const offer = await chatAsksForAPerson(first.body.token as string, 'Jordan Lee');
    expect(await visitorOf(offer.conversationId as string)).toMatchObject({
      authenticated: true,
      verified: { id: 'cust-1001', name: 'Jordan Lee', email: 'jordan@northwind.example' },
    });
    // The customer record keeps what the site knows, not what was typed in the survey.
    expect((await alex.call('POST', `/offers/${offer.offerId}/accept`)).status).toBe(200);
    const summary = (await alex.call('GET', `/conversations/${offer.conversationId}/summary`)).body;
    expect(summary.customer).toMatchObject({ name: 'Jordan Lee', email: 'jordan@northwind.example' });
  }, 90_000);

  it('is refused, with the reason, when the token is not the site’s, is stale or is for something else', async () => {
    const cases: Array<[Promise<string> | string, RegExp]> = [
      [sign({}, { secret: 'another-secret-of-at-least-32-characters!!' }), /signature does not match/],
      [sign({}, { expires: '-5m' }), /expired/],
      [sign({}, { aud: 'someone-else' }), /"aud" must be "switchboard-chat"/],
      [sign({}, { expires: '3h' }), /more than an hour/],
      [sign({}, { sub: null }), /"sub"/],
      [sign({ email: 'not an address' }), /"email"/],
      ['not.a.jwt', /not a signed token/],
    ];
    for (const [token, reason] of cases) {
      const res = await widgetToken({ authToken: await token });
      expect([res.status, (res.body.error as Json).code]).toEqual([401, 'chat.auth_invalid']);
      expect((res.body.error as Json).message).toMatch(reason);
    }
    // An unsigned token ("alg": "none") is not a token at all.
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: 'cust-1001', aud: 'switchboard-chat', exp: Math.floor(Date.now() / 1000) + 60 }),
    ).toString('base64url')}.`;
    expect((await widgetToken({ authToken: none })).status).toBe(401);
  });

  it('is never what a page claims of itself', async () => {
    const guest = await widgetToken({});
    const offer = await chatAsksForAPerson(guest.body.token as string, 'Mallory Ames', {
      authenticated: true,
      verified: { id: 'cust-1001', name: 'Jordan Lee' },
    });
    const visitor = await visitorOf(offer.conversationId as string);
    expect(visitor).toMatchObject({ authenticated: false, reportedAuthenticated: true });
    expect(visitor).not.toHaveProperty('verified');
  }, 90_000);

  it('is refused plainly by a server that takes no signed-in chats', async () => {
    const plain = await startTestServer();
    try {
      const res = await widgetToken({ authToken: await sign({}) }, plain.url);
      expect([res.status, (res.body.error as Json).code]).toEqual([400, 'chat.auth_not_configured']);
    } finally {
      await plain.close();
    }
  });
});

describe("a chat signed with the site's own key, whose public half it publishes (CHAT_AUTH_JWKS_URL)", () => {
  it('is verified with the published keys, beside the shared secret, and refused with the reason', async () => {
    const site = await generateKeyPair('RS256');
    const stranger = await generateKeyPair('RS256');
    const keys = createServer((req, res) => {
      void (async () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            keys: [{ ...(await exportJWK(site.publicKey)), kid: 'site-1', alg: 'RS256', use: 'sig' }],
          }),
        );
      })();
    });
    await new Promise<void>((resolve) => keys.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(keys.address() as AddressInfo).port}/.well-known/jwks.json`;
    const both = await startTestServer({ env: { CHAT_AUTH_SECRET, CHAT_AUTH_JWKS_URL: jwksUrl } });
    const onlyKeys = await startTestServer({ env: { CHAT_AUTH_JWKS_URL: jwksUrl } });
    const signed = (key: CryptoKey, kid: string, expires = '10m') =>
      new SignJWT({ name: 'Jordan Lee' })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setSubject('cust-1001')
        .setAudience('switchboard-chat')
        .setIssuedAt()
        .setExpirationTime(expires)
        .sign(key);
    try {
      const byKey = await widgetToken({ authToken: await signed(site.privateKey, 'site-1') }, both.url);
      expect([byKey.status, byKey.body.verified]).toEqual([200, { name: 'Jordan Lee' }]);
      // The same customer, whichever way the site signs.
      const bySecret = await widgetToken({ authToken: await sign({}) }, both.url);
      expect(bySecret.body.userId).toBe(byKey.body.userId);

      const cases: Array<[string, RegExp]> = [
        [await signed(stranger.privateKey, 'site-1'), /signature does not match/],
        [await signed(stranger.privateKey, 'stolen-1'), /no key at CHAT_AUTH_JWKS_URL has its "kid"/],
        [await signed(site.privateKey, 'site-1', '-5m'), /expired/],
        // No shared secret on this server: HS256 is not taken at all.
        [await sign({}), /must be signed with RS256, ES256, PS256/],
      ];
      for (const [token, reason] of cases) {
        const res = await widgetToken({ authToken: token }, onlyKeys.url);
        expect([res.status, (res.body.error as Json).code]).toEqual([401, 'chat.auth_invalid']);
        expect((res.body.error as Json).message).toMatch(reason);
      }
      // The site's keys out of reach: said as such, and the customer can still chat as a guest.
      await new Promise<void>((resolve) => keys.close(() => resolve()));
      keys.closeAllConnections();
      const fresh = await startTestServer({ env: { CHAT_AUTH_JWKS_URL: jwksUrl } });
      try {
        const down = await widgetToken({ authToken: await signed(site.privateKey, 'site-1') }, fresh.url);
        expect([down.status, (down.body.error as Json).message]).toEqual([
          401,
          expect.stringMatching(/could not be read from CHAT_AUTH_JWKS_URL/),
        ]);
        expect((await widgetToken({}, fresh.url)).status).toBe(200);
      } finally {
        await fresh.close();
      }
    } finally {
      if (keys.listening) keys.close();
      await both.close();
      await onlyKeys.close();
    }
  }, 90_000);
});
