/**
 * The widget's and the tab's files go out compressed (brotli or gzip, as the browser accepts), each
 * encoding under its own ETag, with `Vary: Accept-Encoding`; an unchanged file is answered 304. Over
 * real HTTP, against a web root of the test's own.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { png } from '../support/sample-files.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let webRoot: string;
const script = `export function chat() {\n${'  console.log("a line the widget repeats");\n'.repeat(2000)}}\n`;

/** A GET as a browser sends it, the body as it came over the wire (not decompressed). */
function get(
  file: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${file}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  webRoot = await mkdtemp(path.join(tmpdir(), 'web-root-'));
  await mkdir(path.join(webRoot, 'widget'));
  await writeFile(path.join(webRoot, 'widget', 'chat.js'), script);
  await writeFile(path.join(webRoot, 'widget', 'launcher.png'), png(16));
  server = await startTestServer({ app: { webRoot } });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await rm(webRoot, { recursive: true, force: true });
});

describe('the web assets', () => {
  it('go out as brotli or gzip, as the browser accepts, each under its own ETag', async () => {
    const br = await get('/widget/chat.js', { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    expect(br.status).toBe(200);
    expect(br.headers).toMatchObject({
      'content-encoding': 'br',
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
      vary: 'Accept-Encoding',
      'content-length': String(br.body.length),
    });
    expect(br.body.length).toBeLessThan(script.length / 20);
    expect(brotliDecompressSync(br.body).toString()).toBe(script);

    const gz = await get('/widget/chat.js', { 'Accept-Encoding': 'gzip, br;q=0' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(script);

    const plain = await get('/widget/chat.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(plain.body.toString()).toBe(script);

    const etags = [br, gz, plain].map((r) => r.headers.etag);
    expect(new Set(etags).size).toBe(3);
    // The widget's page rules go with every encoding.
    expect(br.headers['content-security-policy']).toBe(plain.headers['content-security-policy']);
  });

  it('answers 304 to a browser holding the same bytes, and the new ones once the file changed', async () => {
    const first = await get('/widget/chat.js', { 'Accept-Encoding': 'br' });
    const again = await get('/widget/chat.js', {
      'Accept-Encoding': 'br',
      'If-None-Match': first.headers.etag as string,
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers).toMatchObject({ etag: first.headers.etag, vary: 'Accept-Encoding' });
    // A cached gzip copy is not the brotli one.
    const other = await get('/widget/chat.js', {
      'Accept-Encoding': 'gzip',
      'If-None-Match': first.headers.etag as string,
    });
    expect(other.status).toBe(200);

    const changed = `${script}// a new release\n`;
    await writeFile(path.join(webRoot, 'widget', 'chat.js'), changed);
    const fresh = await get('/widget/chat.js', {
      'Accept-Encoding': 'br',
      'If-None-Match': first.headers.etag as string,
    });
    expect(fresh.status).toBe(200);
    expect(brotliDecompressSync(fresh.body).toString()).toBe(changed);
  });

  it('sends pictures as they are: they are compressed already', async () => {
    const picture = await get('/widget/launcher.png', { 'Accept-Encoding': 'gzip, br' });
    expect(picture.status).toBe(200);
    expect(picture.headers['content-encoding']).toBeUndefined();
    expect(picture.headers.vary).toBeUndefined();
    expect(picture.body.equals(png(16))).toBe(true);
  });
});
