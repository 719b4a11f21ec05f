import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

// The public page behind the knowledge links agents send to customers.
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

describe('knowledge pages', () => {
  it('shows an article to anyone who opens its link, steps as a list', async () => {
    const res = await fetch(`${s.url}/kb/kb_outage_check`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<h1>Check for an outage in your area</h1>');
    expect(html).toMatch(/<ol>\s*<li>Open status\.northwindfiber\.example/);
  });

  it('shows what an article writes in markdown as formatting, its links as links, and HTML as text', async () => {
    await s.services.repos.knowledgeArticles.create({
      id: 'kb_markdown',
      title: 'Moving house',
      body: [
        '## Before you move',
        '**Important:** book the move two weeks ahead on [our help site](https://help.example.com/move).',
        'Or see https://status.example.com for outages.',
        '',
        '- Unplug the router',
        '- Pack the fiber box',
        '',
        'Not a link: [click](javascript:alert(1)) and <img src=x onerror=alert(1)>',
      ].join('\n'),
    });
    const html = await (await fetch(`${s.url}/kb/kb_markdown`)).text();
    expect(html).toContain('<h2>Before you move</h2>');
    expect(html).toContain('<strong>Important:</strong>');
    expect(html).toContain('<a href="https://help.example.com/move">our help site</a>');
    expect(html).toContain('<a href="https://status.example.com">https://status.example.com</a>');
    expect(html).toMatch(/<ul>\s*<li>Unplug the router<\/li>\s*<li>Pack the fiber box<\/li>/);
    expect(html).not.toContain('javascript:alert(1)"');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('escapes what an article holds and forbids scripts on the page', async () => {
    await s.services.repos.knowledgeArticles.create({
      id: 'kb_tricky',
      title: 'Tags like <b> & "quotes"',
      body: 'Never run <script>alert(1)</script> here.',
    });
    const res = await fetch(`${s.url}/kb/kb_tricky`);
    const html = await res.text();
    expect(html).toContain('<h1>Tags like &lt;b&gt; &amp; &quot;quotes&quot;</h1>');
    expect(html).not.toContain('<script>');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('answers an unknown article with a readable 404 page', async () => {
    const res = await fetch(`${s.url}/kb/kb_gone`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('no longer available');
  });
});
