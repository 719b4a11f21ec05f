import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ env: { ALLOWED_ORIGINS: 'https://shop.example.com' } });
});
afterAll(async () => {
  await s?.close();
});

describe('HTTP server', () => {
  it('reports health with the store kind and version', async () => {
    const res = await fetch(`${s.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      store: 'embedded',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
  });

  it('answers an unknown route with a JSON 404 in the error format', async () => {
    const res = await fetch(`${s.url}/api/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('refuses a body over the size limit with 413 before any handler runs', async () => {
    const res = await fetch(`${s.url}/api/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(300 * 1024) }),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it("answers headers over Node's limit with a 431 that says so in the error format", async () => {
    const res = await fetch(`${s.url}/api/v1/people?q=${'q'.repeat(20_000)}`);
    expect(res.status).toBe(431);
    expect(await res.json()).toEqual({
      error: { code: 'headers_too_large', message: expect.stringMatching(/at most 16 KB/) },
    });
  });

  it('answers a request that is not HTTP with a 400 in the error format', async () => {
    const socket = connect(Number(new URL(s.url).port), '127.0.0.1');
    socket.write('HELLO THERE\r\n\r\n');
    let raw = '';
    socket.on('data', (chunk) => (raw += chunk));
    await once(socket, 'close');
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({
      error: { code: 'malformed_request' },
    });
  });

  it.each([
    '/widget/../../package.json',
    '/widget/%2e%2e/%2e%2e/package.json',
    '/demo/..%2f..%2fpackage.json',
  ])('never serves a file outside the web folder (%s)', async (p) => {
    const res = await fetch(`${s.url}${p}`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('"dependencies"');
  });

  it('serves a page at / for newcomers', async () => {
    const res = await fetch(`${s.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
  });
  it("answers the browser's icon request with the app icon, not a 404 in every page's console", async () => {
    const res = await fetch(`${s.url}/favicon.ico`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(body.readUInt32BE(16)).toBe(192); // width, from the IHDR chunk
  });
});

describe('Direct Line from another origin', () => {
  it('answers the browser preflight of an allowed site so the widget works there', async () => {
    const res = await fetch(`${s.url}/v3/directline/conversations`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://shop.example.com',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type, x-requested-with, x-ms-bot-agent',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/X-Requested-With/i);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/x-ms-bot-agent/i);
  });

  it('lets the page of an allowed site read the answers of the widget token endpoint', async () => {
    const res = await fetch(`${s.url}/widget/token`, {
      method: 'POST',
      headers: { Origin: 'https://shop.example.com' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
  });

  it('refuses the preflight of a site that is not allowed', async () => {
    const res = await fetch(`${s.url}/v3/directline/conversations`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example.net', 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('does not open the rest of the API to other origins', async () => {
    const res = await fetch(`${s.url}/api/health`, { headers: { Origin: 'https://shop.example.com' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('agent workspace link', () => {
  it('answers a person with a page saying the tab is not in this build (no tab/dist/tab yet)', async () => {
    // A web root without a built tab: the checkout's own tab/dist has one once `npm run build:web` ran.
    const webRoot = await mkdtemp(path.join(tmpdir(), 'no-tab-'));
    const bare = await startTestServer({ app: { webRoot } });
    onTestFinished(async () => {
      await bare.close();
      await rm(webRoot, { recursive: true, force: true });
    });
    const res = await fetch(`${bare.url}/tab/`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('agent workspace is not in this build');
  });
});
