/**
 * Teams, played in Chromium for the tab's sign-in: https://teams.microsoft.com (a page of ours)
 * frames the tab at https://sb.test, which is the real server under test behind a route (teams-js
 * only opens https sign-in windows). The host page answers teams-js as Teams does: initialize,
 * getContext, getAuthToken (whatever the test's `token` says), and authenticate, for which it opens
 * the sign-in window and relays what that window reports back to the tab. Entra's authorize
 * endpoint is played by `entra`, which answers as a user who gave consent would be sent back. The
 * live stream is not carried to the server: these tests are about signing in.
 */
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { newPage } from './tab-browser.js';

export const TAB_ORIGIN = 'https://sb.test';
const TEAMS = 'https://teams.microsoft.com';
const AUTHORIZE = /^https:\/\/login\.microsoftonline\.com\/[^/]+\/oauth2\/v2\.0\/authorize/;

/** What Teams' getAuthToken answers: a token, or the failure reason Teams gives. */
export type TokenAnswer = { token: string } | { fails: string };

export interface TeamsHostOptions {
  /** The real server (http://127.0.0.1:port) that https://sb.test stands for. */
  serverUrl: string;
  /** Asked at every getAuthToken. */
  token: () => Promise<TokenAnswer>;
  /** Rewrites an API answer's headers (e.g. a shorter Retry-After), by path. */
  rewriteHeaders?: (path: string, status: number, headers: Record<string, string>) => void;
  /** Entra's authorize endpoint: where to send the window back to; default a consent given. */
  entra?: (authorize: URL) => string;
  tenantId?: string;
}

export interface TeamsHost {
  page: Page;
  context: BrowserContext;
  /** The tab's frame, once it is there. */
  tab(): Promise<Frame>;
  /** How many times the tab asked Teams for a token. */
  tokenAsks(): Promise<number>;
  /** Every API call the tab (and its sign-in window) made: `GET /api/v1/me 401`. */
  apiCalls: string[];
  /** Every request to Entra's authorize endpoint. */
  authorizeRequests: URL[];
}

/** Teams' answer to initialize: the frame context, the client type, the runtime and the version. */
const runtime = JSON.stringify({
  apiVersion: 4,
  supports: { app: {}, appEntity: {}, authentication: {}, pages: { appButton: {}, tabs: {}, config: {} } },
});

function hostPage(tenantId: string, tabUrl: string): string {
  return `<!doctype html><html><body style="margin:0">
<iframe id="tab" title="Switchboard" style="width:1200px;height:800px;border:0" src="${tabUrl}"></iframe>
<script>
window.tokenAsks = 0;
const context = { theme: 'default', entityId: 'workspace', subEntityId: '', locale: 'en-us',
  frameContext: 'content', hostClientType: 'web', userObjectId: 'oid-alex', tid: ${JSON.stringify(tenantId)},
  loginHint: 'alex@northwind.example', userPrincipalName: 'alex@northwind.example', appSessionId: 's' };
let signIn = null;
const answer = (to, id, args) => to.source.postMessage({ id: id.id, uuidAsString: id.uuidAsString, args }, to.origin);
window.addEventListener('message', async (e) => {
  const m = e.data;
  if (!m || typeof m !== 'object' || typeof m.func !== 'string') return;
  const reply = (args) => answer(e, m, args);
  const fromWindow = signIn && e.source === signIn.window;
  if (m.func === 'initialize') {
    reply([fromWindow ? 'authentication' : 'content', 'web', ${JSON.stringify(runtime)}, '2.58.0']);
  } else if (m.func === 'getContext') {
    reply([{ ...context, frameContext: fromWindow ? 'authentication' : 'content' }]);
  } else if (m.func === 'authentication.getAuthToken') {
    window.tokenAsks++;
    const a = await window.teamsToken();
    reply('token' in a ? [true, a.token] : [false, a.fails]);
  } else if (m.func === 'authentication.authenticate') {
    const [url, width, height] = m.args;
    const w = window.open(url, 'teams-sign-in', 'width=' + width + ',height=' + height);
    if (!w) return reply([false, 'FailedToOpenWindow']);
    signIn = { window: w, to: e, id: m, done: false };
    const finish = (args) => {
      if (signIn.done) return;
      signIn.done = true;
      answer(signIn.to, signIn.id, args);
    };
    signIn.finish = finish;
    const watch = setInterval(() => {
      if (!w.closed) return;
      clearInterval(watch);
      finish([false, 'CancelledByUser']);
    }, 100);
  } else if (fromWindow && m.func === 'authentication.authenticate.success') {
    signIn.finish([true, m.args[0]]);
  } else if (fromWindow && m.func === 'authentication.authenticate.failure') {
    signIn.finish([false, m.args[0]]);
  } else {
    reply([]);
  }
});
</script></body></html>`;
}

/** Opens `path` of the tab (default the workspace) inside the played Teams. */
export async function openInTeams(
  browser: Browser,
  opts: TeamsHostOptions,
  path = '/tab/?view=agent&inTeams=1',
): Promise<TeamsHost> {
  const { context, page } = await newPage(browser, 'teams');
  const apiCalls: string[] = [];
  const authorizeRequests: URL[] = [];
  const server = new URL(opts.serverUrl);

  await context.route(`${TAB_ORIGIN}/**`, async (route) => {
    const req = route.request();
    const url = new URL(req.url());
    const body = req.postDataBuffer();
    const res = await fetch(`${server.origin}${url.pathname}${url.search}`, {
      method: req.method(),
      headers: req.headers(),
      body: body ? new Uint8Array(body) : undefined,
      redirect: 'manual',
    });
    if (url.pathname.startsWith('/api/')) apiCalls.push(`${req.method()} ${url.pathname} ${res.status}`);
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      if (k !== 'content-encoding' && k !== 'transfer-encoding' && k !== 'content-length') headers[k] = v;
    });
    opts.rewriteHeaders?.(url.pathname, res.status, headers);
    await route.fulfill({ status: res.status, headers, body: Buffer.from(await res.arrayBuffer()) });
  });
  await context.route(AUTHORIZE, async (route) => {
    const authorize = new URL(route.request().url());
    authorizeRequests.push(authorize);
    const back =
      opts.entra?.(authorize) ??
      `${authorize.searchParams.get('redirect_uri')}#code=consented&state=${authorize.searchParams.get('state')}`;
    await route.fulfill({ status: 302, headers: { Location: back } });
  });
  await context.route(`${TEAMS}/**`, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html',
      body: hostPage(opts.tenantId ?? 'tenant-0001', `${TAB_ORIGIN}${path}`),
    }),
  );
  await page.exposeFunction('teamsToken', () => opts.token());
  await page.goto(`${TEAMS}/_#/apps/switchboard`);

  return {
    page,
    context,
    apiCalls,
    authorizeRequests,
    tokenAsks: () => page.evaluate(() => (window as unknown as { tokenAsks: number }).tokenAsks),
    async tab() {
      await page.locator('iframe#tab').waitFor();
      const frame = await (await page.$('iframe#tab'))!.contentFrame();
      if (!frame) throw new Error('the tab has no frame');
      return frame;
    },
  };
}
