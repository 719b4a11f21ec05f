/**
 * Signed-in chat in widget tests: tokens signed as a site's server signs them, and a host page whose
 * provider (`window.getChatToken`) hands them to the widget, as a portal with a signed-in customer does.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import type { Page } from 'playwright-core';

/** A test key, as long as the server requires of `CHAT_AUTH_SECRET`. */
export const CHAT_AUTH_SECRET = 'test-chat-auth-secret-0123456789abcdef';

/** A chat token for customer cust-1001, Jordan Lee, signed with `secret`; `expired` makes it stale. */
export function chatToken(secret = CHAT_AUTH_SECRET, opts: { expired?: boolean } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ name: 'Jordan Lee', email: 'jordan@example.com' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('cust-1001')
    .setAudience('switchboard-chat')
    .setIssuedAt(opts.expired ? now - 1200 : now)
    .setExpirationTime(opts.expired ? now - 600 : '10m')
    .sign(new TextEncoder().encode(secret));
}

export interface SignedInSite {
  /** The site's account page, with the widget and a provider (`data-auth-token-provider`). */
  url: string;
  origin: string;
  close(): Promise<void>;
}

/**
 * A site of its own origin (a real server on localhost: Chromium lets only such a page reach a
 * loopback WebSocket) whose account page embeds the widget of `serverUrl()`, asked when a page loads.
 */
export async function startSignedInSite(serverUrl: () => string): Promise<SignedInSite> {
  const site = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>My account · Northwind Fiber</title></head>
<body><main><h1>My account</h1><p>Welcome back, Jordan.</p></main>
<script src="${serverUrl()}/widget/loader.js" data-title="Northwind Fiber Support" data-auth-token-provider="getChatToken"></script>
</body></html>`);
  });
  await new Promise<void>((r) => site.listen(0, 'localhost', r));
  const origin = `http://localhost:${(site.address() as AddressInfo).port}`;
  return {
    url: `${origin}/account`,
    origin,
    close: async () => {
      site.closeAllConnections();
      await new Promise<void>((r) => site.close(() => r()));
    },
  };
}

/**
 * The page's provider (`window.getChatToken`): answers these tokens in turn (the last one from then
 * on), a little later, as a call to the site's own server would.
 */
export async function provideTokens(page: Page, tokens: string[]): Promise<void> {
  await page.addInitScript((list: string[]) => {
    const w = window as unknown as { getChatToken: () => Promise<string>; __providerCalls: number };
    w.__providerCalls = 0;
    w.getChatToken = () => {
      const token = list[Math.min(w.__providerCalls++, list.length - 1)]!;
      return new Promise((resolve) => setTimeout(() => resolve(token), 50));
    };
  }, tokens);
}

/** How many times the page's provider was asked since the page loaded. */
export function providerCalls(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __providerCalls: number }).__providerCalls);
}
