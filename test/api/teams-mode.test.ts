import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../support/server.js';
import { startLocalEntra, type LocalEntra } from '../support/local-entra.js';
import { call } from './support/clients.js';

// Teams mode on the real server: the tab's SSO token is checked against a key set served over HTTP
// by a local stand-in for Entra, so the real validation runs; dev sign-in does not exist.

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
let entra: LocalEntra;
let server: TestServer;

beforeAll(async () => {
  entra = await startLocalEntra(CLIENT_ID);
  server = await startTestServer({
    env: { AUTH_MODE: 'teams', TAB_SSO_CLIENT_ID: CLIENT_ID },
    app: { identityOverrides: { jwksUrl: entra.jwksUrl, issuersFor: entra.issuersFor } },
  });
  await server.services.repos.agents.update('agent_alex', { aadObjectId: 'oid-alex' });
}, 60_000);
afterAll(async () => {
  await server.close();
  await entra.close();
});

describe('Teams sign-in', () => {
  it('maps a valid SSO token to the agent with that Entra object id', async () => {
    const res = await call(server.url, 'GET', '/me', await entra.token({ oid: 'oid-alex' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'agent_alex', authMode: 'teams' });
    expect(res.headers.get('x-switchboard-auth')).toBeNull();
  });

  it('refuses forged, expired and wrong-audience tokens with 401, and strangers with 403', async () => {
    const cases: Array<[string, Promise<string>, number, RegExp]> = [
      ['forged', entra.token({ oid: 'oid-alex' }, { forgedKey: true }), 401, /signature/],
      ['expired', entra.token({ oid: 'oid-alex' }, { expiresInSeconds: -600 }), 401, /expired/],
      [
        'wrong audience',
        entra.token({ oid: 'oid-alex' }, { audience: 'api://other-app' }),
        401,
        /another application/,
      ],
      ['not an agent', entra.token({ oid: 'oid-nobody' }), 403, /not set up as a Switchboard agent/],
    ];
    for (const [what, token, status, message] of cases) {
      const res = await call(server.url, 'GET', '/me', await token);
      expect(res.status, what).toBe(status);
      expect(res.body.error.message, what).toMatch(message);
    }
  });

  it('has no dev sign-in and no agent picker', async () => {
    expect((await call(server.url, 'GET', '/agents')).status).toBe(404);
    expect(
      (await call(server.url, 'POST', '/dev/sign-in', undefined, { agentId: 'agent_alex' })).status,
    ).toBe(404);
  });

  it('opens the live stream only with a valid token', async () => {
    const open = (token: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/stream?access_token=${token}`);
        ws.once('open', () => {
          ws.close();
          resolve(101);
        });
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      });
    expect(await open(await entra.token({ oid: 'oid-alex' }))).toBe(101);
    expect(await open(await entra.token({ oid: 'oid-alex' }, { expiresInSeconds: -600 }))).toBe(401);
  });
});

describe('Teams sign-in while Entra cannot be reached', () => {
  let cut: TestServer;
  beforeAll(async () => {
    // A port nothing listens on: the key set cannot be fetched, whatever the token.
    const gone = await startLocalEntra(CLIENT_ID);
    await gone.close();
    cut = await startTestServer({
      env: { AUTH_MODE: 'teams', TAB_SSO_CLIENT_ID: CLIENT_ID },
      app: { identityOverrides: { jwksUrl: gone.jwksUrl, issuersFor: entra.issuersFor } },
    });
  }, 60_000);
  afterAll(() => cut.close());

  it('answers 503 with Retry-After, not 401: the token is not at fault and a new one would not help', async () => {
    const res = await call(cut.url, 'GET', '/me', await entra.token({ oid: 'oid-alex' }));
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('auth.unavailable');
    expect(res.body.error.message).toMatch(/signing keys could not be fetched/);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
