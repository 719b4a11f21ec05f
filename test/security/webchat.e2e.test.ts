import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { launch, newRecordedContext, screenshot } from '../e2e-widget/support/browser.js';
import { startTestServer, TEST_DIRECT_LINE_SECRET, type TestServer } from '../support/server.js';

// docs/security.md, finding 7: Microsoft's own Web Chat (the official botframework-webchat
// bundle) on a site of another origin converses with Switchboard over the WebSocket stream. The site
// works as Microsoft's docs say: its server exchanges the Direct Line secret for a token, and only
// the token reaches the browser.

// The package ships its browser bundle in dist/ (not exported as a module path).
const WEBCHAT_JS = fileURLToPath(
  new URL('../../node_modules/botframework-webchat/dist/webchat.js', import.meta.url),
);
const USER = 'dl_webchatvisitor01';

let site: Server;
let siteUrl = '';
let sb: TestServer;
let browser: Browser;

beforeAll(async () => {
  const bundle = await readFile(WEBCHAT_JS);
  site = createServer((req, res) => {
    void (async () => {
      if (req.url === '/webchat.js') {
        res.writeHead(200, { 'Content-Type': 'text/javascript' });
        return res.end(bundle);
      }
      if (req.url === '/token') {
        // The site's server side: secret in, token out.
        const gen = await fetch(`${sb.url}/v3/directline/tokens/generate`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${TEST_DIRECT_LINE_SECRET}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ user: { id: USER } }),
        });
        res.writeHead(gen.status, { 'Content-Type': 'application/json' });
        return res.end(await gen.text());
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head><title>Partner site</title>
<style>html,body,#webchat{height:100%;margin:0}</style></head>
<body><div id="webchat" role="main"></div>
<script src="/webchat.js"></script>
<script>
  fetch('/token', { method: 'POST' }).then((r) => r.json()).then(({ token }) => {
    window.WebChat.renderWebChat(
      { directLine: window.WebChat.createDirectLine({ domain: '${sb.url}/v3/directline', token }), userID: '${USER}' },
      document.getElementById('webchat'),
    );
  });
</script></body></html>`);
    })();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  sb = await startTestServer({ env: { ALLOWED_ORIGINS: siteUrl } });
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sb?.close();
  await new Promise((resolve) => site?.close(resolve));
});

describe('Microsoft Web Chat on another origin', () => {
  it('converses with the bot over the WebSocket stream', async () => {
    expect(new URL(siteUrl).origin).not.toBe(new URL(sb.url).origin);
    const { page, context, requests } = await newRecordedContext(browser);
    onTestFailed(() => screenshot(page, 'webchat-failed'));
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    try {
      // A 4 MB bundle: parsing it on a loaded CI machine takes a while.
      await page.goto(`${siteUrl}/`, { timeout: 60_000 });
      await page
        .getByText('please tell us a little about yourself', { exact: false })
        .first()
        .waitFor({ timeout: 20_000 });

      const input = page.getByRole('textbox').first();
      await input.fill('Hello from Web Chat');
      await input.press('Enter');
      await expect
        .poll(
          async () => {
            const log = await sb.services.store
              .collection<{ json: string }>('directline_activities')
              .find({}, { limit: 100 });
            return log.some((a) => a.json.includes('Hello from Web Chat') && a.json.includes(USER));
          },
          { timeout: 15_000 },
        )
        .toBe(true);
      await page.getByText('Hello from Web Chat').first().waitFor();
      await screenshot(page, 'webchat-other-origin');

      expect(sockets.some((u) => u.startsWith(sb.url.replace(/^http/, 'ws')) && u.includes('/stream'))).toBe(
        true,
      );
      // Over the stream, not by polling: Web Chat never asked for the activity list.
      expect(requests.some((u) => u.startsWith(sb.url) && u.includes('/activities?watermark'))).toBe(false);
    } finally {
      await context.close();
    }
  }, 90_000);
});
