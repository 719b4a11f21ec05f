import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_DIRECT_LINE_SECRET, type TestServer } from '../support/server.js';
import { expectHealthy, raw, startCustomer, type StartedConversation } from './support.js';

// docs/security.md (after the findings): malformed bodies, encodings, headers, URL escapes and upgrade requests sent to
// every route, the stream included, over raw TCP (what fetch would refuse to send). Whatever arrives,
// the server answers below 500 and stays up. Run counts are bounded for a loaded 2-core CI machine.

let s: TestServer;
let c: StartedConversation;

beforeAll(async () => {
  s = await startTestServer({ env: { ALLOWED_ORIGINS: 'https://shop.example.com' } });
  c = await startCustomer(s.url);
});
afterAll(async () => {
  await s?.services.bot.idle();
  await s?.close();
});

const escapes = fc.constantFrom(
  '%ZZ',
  '%',
  '%00',
  '%2e%2e',
  '%2F',
  '%E0%A4%A',
  '%C0%AF',
  '..',
  '%u0041',
  '\u00e9',
  '',
);
const segment = fc.oneof(
  fc
    .constantFrom(
      () => c.conversationId,
      () => 'dlconv_nope',
    )
    .map((f) => f()),
  escapes,
  fc.stringMatching(/^[A-Za-z0-9._~-]{0,12}$/),
  fc.tuple(fc.stringMatching(/^[a-z]{0,4}$/), escapes).map(([a, b]) => a + b),
);

const paths = fc.oneof(
  fc.constantFrom(
    '/api/health',
    '/api/messages',
    '/v3/directline/tokens/generate',
    '/v3/directline/tokens/refresh',
    '/v3/directline/conversations',
    '/widget/token',
    '/',
    '/widget/loader.js',
    '/demo/index.html',
    '/tab/',
  ),
  segment.map((id) => `/v3/directline/conversations/${id}`),
  fc
    .tuple(segment, fc.constantFrom('activities', 'upload', 'stream', ''))
    .map(([id, tail]) => `/v3/directline/conversations/${id}/${tail}`),
  fc
    .tuple(segment, segment)
    .map(([id, reply]) => `/v3/directline/v3/conversations/${id}/activities/${reply}`),
  fc.tuple(fc.constantFrom('/widget/', '/demo/', '/tab/', '/v3/directline/'), segment).map(([a, b]) => a + b),
  fc
    .tuple(fc.constantFrom('/api/health', '/v3/directline/conversations'), fc.string({ maxLength: 20 }))
    .map(([p, q]) => `${p}?watermark=${encodeURIComponent(q)}&${q.replace(/[\s#]/g, '')}`),
);

const deepJson = fc
  .integer({ min: 50, max: 5000 })
  .map((n) => `{"type":"message","text":"x","value":${'['.repeat(n)}${']'.repeat(n)}}`);
const bodies = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ type: 'message', text: 'hi', value: v })),
  fc
    .record({
      type: fc.constantFrom('message', 'event', 'typing', 'endOfConversation', 'conversationUpdate', 'bogus'),
      channelId: fc.constantFrom('directline', 'emulator', 'webchat', 'msteams'),
      serviceUrl: fc.constantFrom('http://127.0.0.1:9/x', 'not a url', 'https://example.invalid/'),
      conversation: fc.record({ id: fc.constantFrom('dlconv_nope', 'x') }),
      from: fc.record({ id: fc.string({ maxLength: 10 }) }),
      text: fc.string({ maxLength: 50 }),
      name: fc.string({ maxLength: 10 }),
      value: fc.jsonValue({ maxDepth: 2 }),
    })
    .map((o) => JSON.stringify(o)),
  deepJson,
  fc.string({ maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.constant('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"type":"message"}'),
  fc.constant(''),
);

const headerSets = fc.record({
  contentType: fc.constantFrom(
    'application/json',
    'application/json; charset=latin1',
    'application/vnd.api+json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json;;;',
    '',
  ),
  contentEncoding: fc.constantFrom('', 'gzip', 'deflate', 'br', 'identity', 'gzip, gzip', 'x-unknown'),
  authorization: fc.constantFrom(
    () => '',
    () => `Bearer ${c.token}`,
    () => `Bearer ${TEST_DIRECT_LINE_SECRET}`,
    () => 'Bearer eyJhbGciOiJub25lIn0.eyJjb252IjoieCJ9.',
    () => 'Basic Zm9vOmJhcg==',
    () => 'Bearer ' + 'A'.repeat(3000),
  ),
  origin: fc.constantFrom(
    '',
    'https://shop.example.com',
    'https://evil.example.net',
    'null',
    'not an origin',
  ),
  lengthLies: fc.constantFrom('exact', 'short', 'chunked'),
});

type HeaderSet = typeof headerSets extends fc.Arbitrary<infer T> ? T : never;

function request(method: string, path: string, body: string, h: HeaderSet): Buffer {
  const payload = Buffer.from(body, 'latin1');
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  if (h.contentType) lines.push(`Content-Type: ${h.contentType}`);
  if (h.contentEncoding) lines.push(`Content-Encoding: ${h.contentEncoding}`);
  const auth = h.authorization();
  if (auth) lines.push(`Authorization: ${auth}`);
  if (h.origin) lines.push(`Origin: ${h.origin}`);
  if (h.lengthLies === 'chunked') {
    lines.push('Transfer-Encoding: chunked');
    const chunk =
      payload.length > 0
        ? Buffer.concat([Buffer.from(`${payload.length.toString(16)}\r\n`), payload, Buffer.from('\r\n')])
        : Buffer.alloc(0);
    return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n'), chunk, Buffer.from('0\r\n\r\n')]);
  }
  // "short": the header promises fewer bytes than follow (the rest is a second, garbage request).
  const declared = h.lengthLies === 'short' ? Math.floor(payload.length / 2) : payload.length;
  lines.push(`Content-Length: ${declared}`);
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n'), payload]);
}

describe('fuzzing every route', () => {
  it('answers malformed requests below 500 and stays healthy', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH'),
        paths,
        bodies,
        headerSets,
        async (method, path, body, headers) => {
          const answer = await raw(s.url, [request(method, path, body, headers)], { waitMs: 10_000 });
          expect(answer.status, `${method} ${path}\n${answer.text.slice(0, 300)}`).not.toBeNull();
          expect(answer.status!, `${method} ${path}\n${answer.text.slice(0, 300)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 250, seed: 14 },
    );
    await expectHealthy(s.url);
  }, 120_000);

  it('answers malformed upgrade requests, the stream included, and stays healthy', async () => {
    await fc.assert(
      fc.asyncProperty(
        paths,
        fc.constantFrom(
          () => '',
          () => `?t=${encodeURIComponent(c.token)}`,
          () => '?t=%ZZ',
          () => `?t=${c.token}&watermark=-1`,
          () => '?watermark=99999999999999999999',
        ),
        fc.constantFrom(
          '',
          'Origin: https://evil.example.net\r\n',
          'Origin: https://shop.example.com\r\n',
          'Sec-WebSocket-Key: !!\r\n',
          `Authorization: Bearer ${'x'.repeat(100)}\r\n`,
        ),
        fc.boolean(),
        async (path, query, extra, goodKey) => {
          const q = (query as unknown as () => string)();
          const key = goodKey ? 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' : '';
          const text =
            `GET ${path}${path.includes('?') ? '' : q} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n` +
            `Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n${key}${extra}\r\n`;
          const answer = await raw(s.url, [text], { waitMs: 1500 });
          if (answer.status === 101) return; // a real stream opened (the customer's own token)
          expect(answer.status, `${path}${q}\n${answer.text.slice(0, 200)}`).not.toBeNull();
          expect(answer.status!).toBeLessThan(500);
        },
      ),
      { numRuns: 120, seed: 14 },
    );
    await expectHealthy(s.url);
  }, 120_000);
});
