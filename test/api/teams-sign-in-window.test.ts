import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { call } from './support/clients.js';

// The tab's sign-in window (tab/agent/src/consent.ts) asks Entra for a first-time user's consent
// to the tab's app registration: it learns which one from the server, before anyone is signed in.

const CLIENT_ID = '11111111-2222-4333-8444-555555555555';

describe("the tab's app registration for its sign-in window", () => {
  let teams: TestServer;
  let local: TestServer;
  beforeAll(async () => {
    teams = await startTestServer({ env: { AUTH_MODE: 'teams', TAB_SSO_CLIENT_ID: CLIENT_ID } });
    local = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  }, 60_000);
  afterAll(async () => {
    await teams?.close();
    await local?.close();
  });

  it('is given without a token in Teams mode', async () => {
    const res = await call(teams.url, 'GET', '/sign-in/teams');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ clientId: CLIENT_ID });
  });

  it('does not exist in local mode, which has no Teams sign-in', async () => {
    expect((await call(local.url, 'GET', '/sign-in/teams')).status).toBe(404);
  });
});
