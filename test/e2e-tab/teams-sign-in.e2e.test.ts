/**
 * The tab's Teams sign-in, in Chromium inside a played Teams (support/teams-host.ts) against the real
 * server in Teams mode, its tokens checked against a local stand-in for Entra's keys. What Teams
 * hands the tab, and what the server makes of it, decide what an agent sees: the workspace, a
 * second token asked for once, or the problem in words with a way on — never a loop of requests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Frame } from 'playwright-core';
import { startLocalEntra, type LocalEntra } from '../support/local-entra.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ensureWebBuilt, launch } from './support/tab-browser.js';
import { openInTeams, TAB_ORIGIN, type TeamsHost, type TokenAnswer } from './support/teams-host.js';

const CLIENT_ID = '11111111-2222-4333-8444-555555555555';

let entra: LocalEntra;
let browser: Browser;
let host: TeamsHost | undefined;
const servers: TestServer[] = [];

async function teamsServer(jwksUrl = entra.jwksUrl): Promise<TestServer> {
  const server = await startTestServer({
    env: { AUTH_MODE: 'teams', TAB_SSO_CLIENT_ID: CLIENT_ID },
    app: { identityOverrides: { jwksUrl, issuersFor: entra.issuersFor } },
  });
  await server.services.repos.agents.update('agent_alex', { aadObjectId: 'oid-alex' });
  servers.push(server);
  return server;
}

const valid = async (): Promise<TokenAnswer> => ({ token: await entra.token({ oid: 'oid-alex' }) });

/**
 * Signed in: the server answered Alex's profile and the tab shows no sign-in problem. (The workspace
 * itself needs storage that a third-party frame in a private window does not get; the sign-in is
 * what these tests are about.)
 */
async function signedIn(h: TeamsHost, tab: Frame): Promise<void> {
  await expect.poll(() => h.apiCalls.includes('GET /api/v1/me 200')).toBe(true);
  expect(await tab.getByRole('button', { name: 'Try again' }).count()).toBe(0);
}

const refusals = (h: TeamsHost) => h.apiCalls.filter((c) => c.endsWith(' 401')).length;

beforeAll(async () => {
  ensureWebBuilt();
  entra = await startLocalEntra(CLIENT_ID);
  browser = await launch();
}, 180_000);

afterEach(async () => {
  await host?.context.close();
  host = undefined;
});

afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  await entra?.close();
});

describe('Teams sign-in: a token the server refuses', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await teamsServer();
  }, 60_000);

  it('asks Teams for one more token, then stops and says why, with Try again', async () => {
    // Issued for another app registration: every token Teams gives is refused.
    host = await openInTeams(browser, {
      serverUrl: server.url,
      token: async () => ({ token: await entra.token({ oid: 'oid-alex' }, { audience: 'api://other-app' }) }),
    });
    const tab = await host.tab();
    const problem = tab.getByRole('main');
    await problem.getByText("Switchboard doesn't accept this app's sign-in").waitFor();
    await expect.poll(() => problem.textContent()).toMatch(/another application/);
    // A setting is wrong, not something the agent can fix: the administrator is told which.
    await expect.poll(() => problem.textContent()).toMatch(/TAB_SSO_CLIENT_ID/);
    expect(await host.tokenAsks()).toBe(2);
    // The first screen's calls with each of the two tokens, and the stream's check: not hundreds.
    expect(refusals(host)).toBeLessThanOrEqual(16);
    const before = host.apiCalls.length;

    await problem.getByRole('button', { name: 'Try again' }).click();
    // One more token and one more round of calls, then the same problem again.
    await expect.poll(() => host!.tokenAsks()).toBe(3);
    await problem.getByText("Switchboard doesn't accept this app's sign-in").waitFor();
    await expect.poll(() => host!.apiCalls.length - before).toBeGreaterThan(0);
    expect(host.apiCalls.length - before).toBeLessThanOrEqual(8);
  }, 120_000);

  it('says in plain words that an expired sign-in was refused, without sending the agent to an administrator', async () => {
    host = await openInTeams(browser, {
      serverUrl: server.url,
      token: async () => ({ token: await entra.token({ oid: 'oid-alex' }, { expiresInSeconds: -600 }) }),
    });
    const problem = (await host.tab()).getByRole('main');
    await problem.getByText("Switchboard didn't accept your sign-in").waitFor();
    await expect.poll(() => problem.textContent()).toMatch(/it has expired/);
    expect(await problem.textContent()).not.toMatch(/administrator|TAB_SSO_CLIENT_ID/);
    expect(await host.tokenAsks()).toBe(2);
    await problem.getByRole('button', { name: 'Try again' }).waitFor();
  }, 120_000);

  it('signs in with the second token when the first was refused', async () => {
    let asked = 0;
    host = await openInTeams(browser, {
      serverUrl: server.url,
      token: async () =>
        ++asked === 1
          ? { token: await entra.token({ oid: 'oid-alex' }, { expiresInSeconds: -600 }) }
          : valid(),
    });
    await signedIn(host, await host.tab());
    expect(await host.tokenAsks()).toBe(2);
  }, 120_000);
});

describe('Teams sign-in: Teams gives no token', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await teamsServer();
  }, 60_000);

  it('lets a first-time user give consent in the sign-in window, then signs them in', async () => {
    let consented = false;
    host = await openInTeams(browser, {
      serverUrl: server.url,
      token: async () => (consented ? valid() : { fails: 'resourceRequiresConsent' }),
      entra: (authorize) => {
        consented = true;
        const back = authorize.searchParams.get('redirect_uri');
        return `${back}#code=consented&state=${authorize.searchParams.get('state')}`;
      },
    });
    const tab = await host.tab();
    const problem = tab.getByRole('main');
    await problem.getByRole('button', { name: 'Sign in' }).waitFor();
    const words = (await problem.textContent()) ?? '';
    // Plain words: no error code in the sentence, no administrator for what the user can do.
    expect(words).not.toMatch(/TAB_SSO_CLIENT_ID|administrator/);
    expect(words.replace(/Teams said: .*/, '')).not.toMatch(/resourceRequiresConsent/);
    await problem.getByRole('button', { name: 'Try again' }).waitFor();

    const signInWindow = host.page.waitForEvent('popup');
    await problem.getByRole('button', { name: 'Sign in' }).click();
    await (await signInWindow).waitForEvent('close');
    await signedIn(host, tab);

    // Entra was asked, for this app and tenant, to send the window back to the tab's own page.
    expect(host.authorizeRequests).toHaveLength(1);
    const asked = host.authorizeRequests[0]!;
    expect(asked.pathname).toBe('/tenant-0001/oauth2/v2.0/authorize');
    expect(asked.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(asked.searchParams.get('redirect_uri')).toBe(`${TAB_ORIGIN}/tab/consent/end`);
    expect(asked.searchParams.get('response_type')).toBe('code');
    expect(asked.searchParams.get('code_challenge_method')).toBe('S256');
    expect(asked.searchParams.get('login_hint')).toBe('alex@northwind.example');
    expect(await host.tokenAsks()).toBe(2);
  }, 120_000);

  it('says so when the user turns consent down in the sign-in window, and offers it again', async () => {
    host = await openInTeams(browser, {
      serverUrl: server.url,
      token: async () => ({ fails: 'resourceRequiresConsent' }),
      entra: (authorize) =>
        `${authorize.searchParams.get('redirect_uri')}#error=access_denied&error_description=${encodeURIComponent(
          'AADSTS65004: User declined to consent to access the app.',
        )}&state=${authorize.searchParams.get('state')}`,
    });
    const problem = (await host.tab()).getByRole('main');
    const signInWindow = host.page.waitForEvent('popup');
    await problem.getByRole('button', { name: 'Sign in' }).click();
    await (await signInWindow).waitForEvent('close');
    await problem.getByText("You didn't allow Switchboard to sign you in").waitFor();
    await problem.getByRole('button', { name: 'Sign in' }).waitFor();
  }, 120_000);

  it('sends the user to their administrator only when the app is set up wrong', async () => {
    host = await openInTeams(browser, {
      serverUrl: server.url,
      token: async () => ({ fails: 'App resource defined in manifest and iframe origin do not match' }),
    });
    const problem = (await host.tab()).getByRole('main');
    await problem.getByText("Single sign-on isn't set up right for Switchboard").waitFor();
    await expect.poll(() => problem.textContent()).toMatch(/administrator.*TAB_SSO_CLIENT_ID/s);
    await problem.getByRole('button', { name: 'Try again' }).waitFor();
  }, 120_000);
});

describe("Teams sign-in: Entra's keys cannot be fetched", () => {
  let keys: KeyGate;
  let server: TestServer;
  beforeAll(async () => {
    keys = await keyGate(entra.jwksUrl);
    server = await teamsServer(keys.url);
  }, 60_000);
  afterAll(() => keys?.close());

  it('says sign-in cannot be checked right now and tries again after Retry-After, with the same token', async () => {
    host = await openInTeams(browser, {
      serverUrl: server.url,
      token: valid,
      // The server's 30 s, shortened so the test does not sit through it.
      rewriteHeaders: (_path, status, headers) => {
        if (status === 503 && headers['retry-after']) headers['retry-after'] = '2';
      },
    });
    const tab = await host.tab();
    const problem = tab.getByRole('main');
    await problem.getByText("Sign-in can't be checked right now").waitFor();
    await expect.poll(() => problem.textContent()).toMatch(/trying again in \d+ s/i);
    expect(await host.tokenAsks()).toBe(1);

    keys.open = true;
    await signedIn(host, tab);
    // The token was never at fault: none other was asked for.
    expect(await host.tokenAsks()).toBe(1);
    expect(refusals(host)).toBe(0);
  }, 120_000);
});

interface KeyGate {
  url: string;
  /** While false, the key set's address answers nothing a key set would. */
  open: boolean;
  close(): Promise<void>;
}

/** Entra's key set behind a switch: unreachable until the test turns it on. */
async function keyGate(jwksUrl: string): Promise<KeyGate> {
  const gate: KeyGate = { url: '', open: false, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    if (!gate.open) {
      res.statusCode = 502;
      res.end('Bad gateway');
      return;
    }
    void fetch(jwksUrl).then(async (r) => {
      res.statusCode = r.status;
      res.setHeader('Content-Type', 'application/json');
      res.end(await r.text());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gate.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
  gate.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return gate;
}
