import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localBotAuthOptions } from '../support/bot-auth-options.js';
import { startAppHarness, type BotHarness } from './support/app-harness.js';

// `/api/messages` with MicrosoftAppId set: a token that fails validation, however it fails, is the
// caller's problem (401); only signing keys that cannot be read are the server's (503 with
// Retry-After). docs/security.md, finding 12. A local server plays the Bot Connector's OpenID
// metadata and keys, once working and once with its keys endpoint down.

const APP_ID = '0b6d3c1e-5f0a-4c59-9a0e-1f5b7c3d2e4a';
const ISSUER = 'https://api.botframework.com';
const KID = 'local-test-key';

let fake: Server;
let fakeUrl = '';
let jwk: JWK;
let privateKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey as CryptoKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, use: 'sig', alg: 'RS256' };
  fake = createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    // /up/… serves its keys; /down/… has metadata whose keys endpoint fails.
    const m = /^\/(up|down)\/(openid|keys)$/.exec(req.url ?? '');
    if (!m) return json(404, {});
    if (m[2] === 'openid') return json(200, { issuer: ISSUER, jwks_uri: `${fakeUrl}/${m[1]}/keys` });
    if (m[1] === 'down') return json(503, { error: 'unavailable' });
    return json(200, { keys: [{ ...jwk, endorsements: ['msteams'] }] });
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => fake?.close(resolve));
});

/** The real app with botbuilder's OpenID metadata at `metadataUrl`. */
function appWithMetadataAt(metadataUrl: string) {
  return startAppHarness({
    env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret' },
    botAuthOverrides: {
      options: localBotAuthOptions({ loginUrl: `${fakeUrl}/token`, issuer: ISSUER, metadataUrl }),
    },
  });
}

const serviceUrl = () => `${fakeUrl}/connector`;
const claims = () => ({ iss: ISSUER, aud: APP_ID, serviceurl: serviceUrl() });

async function postToBot(h: BotHarness, token: string) {
  const res = await fetch(`${h.url}/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({
      type: 'message',
      id: `act-${Math.random().toString(36).slice(2)}`,
      channelId: 'msteams',
      serviceUrl: serviceUrl(),
      conversation: { id: 'a:teams-chat-1' },
      from: { id: '29:someone', name: 'Someone' },
      recipient: { id: `28:${APP_ID}`, name: 'Switchboard' },
      text: 'hello',
    }),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as { error?: { code?: string } },
  };
}

describe('a token the Bot Connector signing keys do not vouch for', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await appWithMetadataAt(`${fakeUrl}/up/openid`);
  });
  afterAll(async () => {
    await h?.close();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const refused: Array<[string, () => Promise<string>]> = [
    [
      'signed with HS256 (a shared secret, not the published key)',
      () =>
        new SignJWT(claims())
          .setProtectedHeader({ alg: 'HS256', kid: KID })
          .setIssuedAt()
          .setExpirationTime('10m')
          .sign(new TextEncoder().encode('x'.repeat(32))),
    ],
    [
      'not valid before an hour from now',
      () =>
        new SignJWT(claims())
          .setProtectedHeader({ alg: 'RS256', kid: KID })
          .setIssuedAt()
          .setNotBefore(now() + 3600)
          .setExpirationTime('2h')
          .sign(privateKey),
    ],
    [
      'expired',
      () =>
        new SignJWT(claims())
          .setProtectedHeader({ alg: 'RS256', kid: KID })
          .setIssuedAt(now() - 1200)
          .setExpirationTime(now() - 600)
          .sign(privateKey),
    ],
    [
      'with a signature that does not match',
      async () => {
        const [head, body] = (
          await new SignJWT(claims())
            .setProtectedHeader({ alg: 'RS256', kid: KID })
            .setIssuedAt()
            .setExpirationTime('10m')
            .sign(privateKey)
        ).split('.');
        return `${head}.${body}.${Buffer.from('not the signature').toString('base64url')}`;
      },
    ],
  ];

  it.each(refused)('is refused with 401 when %s, never 503', async (_what, token) => {
    const res = await postToBot(h, await token());
    expect(res).toMatchObject({
      status: 401,
      retryAfter: null,
      body: { error: { code: 'bot.unauthorized' } },
    });
  });
});

describe('signing keys that cannot be read', () => {
  it('make a well-formed token wait: 503 with Retry-After, the cause named', async () => {
    const h = await appWithMetadataAt(`${fakeUrl}/down/openid`);
    try {
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'RS256', kid: KID })
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey);
      const res = await postToBot(h, token);
      expect(res).toMatchObject({
        status: 503,
        retryAfter: '30',
        body: { error: { code: 'bot.auth_unavailable' } },
      });
    } finally {
      await h.close();
    }
  });
});
