import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type Json } from '../api/support/clients.js';
import { streamSocket } from '../api/support/stream-socket.js';

// A second review (local mode, as `npm start` runs): through DNS rebinding any web page got the dev
// sign-in, and with it every agent's data. The page's own name, re-pointed at 127.0.0.1, is the Host
// it asks for and the Origin it sends, so "the Origin's host is the Host" made it our own page.

const SHOP = 'https://shop.example.com';
let s: TestServer;
let port: string;

beforeAll(async () => {
  s = await startTestServer({ env: { ALLOWED_ORIGINS: SHOP } });
  port = new URL(s.url).port;
});
afterAll(() => s?.close());

/** A request with the Host and Origin a browser would send (fetch may not set Host). */
function send(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  return sendTo(s.url, method, path, headers, body);
}

function sendTo(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; json: Json; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      {
        method,
        headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : {}, headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const rebound = () => ({
  Host: `rebind.attacker.example:${port}`,
  Origin: `http://rebind.attacker.example:${port}`,
});

describe('14. local mode answers the agent API only under its own names', () => {
  it('refuses the dev sign-in to a page that rebound its name to this server', async () => {
    // The route as sent, escaped, or with parameters its router strips.
    for (const path of ['/api/v1/dev/sign-in', '/%61pi/v1/dev/sign-in', '/api/v1/dev/sign-in;x']) {
      const res = await send('POST', path, rebound(), { agentId: 'supervisor_sam' });
      expect(res.status, path).toBe(403);
      expect(res.json.error.code).toBe('host_not_allowed');
      expect(res.json.token).toBeUndefined();
    }
  });

  it('refuses every /api/v1 route and the live stream under a foreign name, token or not', async () => {
    const sam = await signIn(s.url, 'supervisor_sam');
    const me = await send('GET', '/api/v1/me', { ...rebound(), Authorization: `Bearer ${sam.token}` });
    expect(me.status).toBe(403);
    expect(me.json.error.code).toBe('host_not_allowed');
    const agents = await send('GET', '/api/v1/agents', rebound());
    expect(agents.status).toBe(403);
    const stream = await streamSocket(s.url, sam.token, { headers: { host: rebound().Host } });
    expect(stream.status).toBe(403);
  });

  it('no longer takes the rebound page for one of its own on the customer endpoints', async () => {
    const preflight = await send('OPTIONS', '/widget/token', {
      ...rebound(),
      'Access-Control-Request-Method': 'POST',
    });
    expect(preflight.status).toBe(403);
    const token = await send('POST', '/widget/token', rebound(), {});
    expect(token.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a sign-in from another site’s page, even under a name of its own', async () => {
    for (const [origin, path] of [
      ['http://evil.example', '/api/v1/dev/sign-in'],
      [SHOP, '/api/v1/dev/sign-in'],
      [`http://localhost:${Number(port) + 1}`, '/api/v1/dev/sign-in'],
      ['null', '/api/v1/dev/sign-in'],
      ['http://evil.example', '/api/v1/dev/sign-in;x'],
    ] as const) {
      const res = await send(
        'POST',
        path,
        { Host: `127.0.0.1:${port}`, Origin: origin },
        { agentId: 'supervisor_sam' },
      );
      expect(res.status, origin).toBe(403);
      expect(res.json.error.code).toBe('origin_not_allowed');
    }
  });

  it('still signs in from its own pages at localhost or an address, and from tools without Origin', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      const res = await send(
        'POST',
        '/api/v1/dev/sign-in',
        { Host: host, Origin: `http://${host}` },
        { agentId: 'agent_alex' },
      );
      expect(res.status, host).toBe(200);
      expect(res.json.token).toEqual(expect.any(String));
    }
    const tool = await send(
      'POST',
      '/api/v1/dev/sign-in',
      { Host: `localhost:${port}` },
      { agentId: 'agent_alex' },
    );
    expect(tool.status).toBe(200);
    // The widget on a customer's site still gets its token.
    const widget = await send('POST', '/widget/token', { Host: `localhost:${port}`, Origin: SHOP }, {});
    expect(widget.status).toBe(200);
    expect(widget.headers['access-control-allow-origin']).toBe(SHOP);
  });

  it('answers under the name PUBLIC_URL gives it', async () => {
    const named = await startTestServer({ env: { PUBLIC_URL: 'http://switchboard.lan:3978' } });
    try {
      const { port: real } = named.app.server.address() as AddressInfo;
      const res = await sendTo(
        `http://127.0.0.1:${real}`,
        'POST',
        '/api/v1/dev/sign-in',
        { Host: 'switchboard.lan:3978', Origin: 'http://switchboard.lan:3978' },
        { agentId: 'agent_alex' },
      );
      expect(res.status).toBe(200);
    } finally {
      await named.close();
    }
  });
});
