import { createServer } from 'node:net';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { localBotAuthOptions } from '../support/bot-auth-options.js';
import { expectHealthy, post, storeSnapshot } from './support.js';

// docs/security.md, finding 12: with MicrosoftAppId set and the Bot Connector's OpenID metadata unreachable,
// a made-up token got a 500 carrying the library's raw error. Now: 401 or a 503 naming the cause.

let s: TestServer;

/** A loopback port with nothing listening: the metadata URL that cannot be reached. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const unreachable = `http://127.0.0.1:${await closedPort()}/openid`;
  s = await startTestServer({
    env: { MicrosoftAppId: 'app-under-test', MicrosoftAppPassword: 'not-a-secret' },
    app: {
      botAuthOverrides: {
        options: localBotAuthOptions({
          loginUrl: `${unreachable}/token`,
          issuer: 'https://api.botframework.com',
          metadataUrl: unreachable,
        }),
      },
    },
  });
});
afterAll(async () => {
  await s?.close();
});

describe('12. the identity provider out of reach', () => {
  it('answers a made-up token with 401 or a 503 naming the cause, never library text', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ aud: 'app-under-test', serviceurl: 'https://example.invalid/' })
      .setProtectedHeader({ alg: 'RS256', kid: 'made-up' })
      .setIssuer('https://api.botframework.com')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
    const before = await storeSnapshot(s.services.store);
    const res = await post(
      s.url,
      '/api/messages',
      {
        type: 'message',
        channelId: 'msteams',
        serviceUrl: 'https://example.invalid/',
        conversation: { id: 'c1' },
        from: { id: 'u1' },
        recipient: { id: 'app-under-test' },
        text: 'hi',
      },
      { Authorization: `Bearer ${token}` },
    );
    expect([401, 503]).toContain(res.status);
    expect(res.json.error?.code).toMatch(/^bot\./);
    if (res.status === 503) expect(res.json.error?.message).toMatch(/authentication is unavailable/);
    expect(JSON.stringify(res.json)).not.toMatch(/openID|fetch failed|ECONNREFUSED|Failed to load|Error:/i);
    expect(await storeSnapshot(s.services.store)).toEqual(before);
    await expectHealthy(s.url);
  });
});
