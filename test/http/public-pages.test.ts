import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIRECT_LINE_SECRET } from '../support/server.js';
import { exited, spawnServer } from '../support/server-process.js';
import { ensureWebBuilt } from '../support/web-build.js';

// What a person opens from what Switchboard hands out: the Teams package's privacy and terms links,
// and every URL the start-up banner prints — the server as `npm start` runs it.

let dir = '';
let child: ReturnType<typeof spawnServer> | undefined;
let banner = '';
let base = '';

beforeAll(async () => {
  ensureWebBuilt();
  dir = await mkdtemp(path.join(tmpdir(), 'switchboard-pages-'));
  child = spawnServer({ PORT: '0', DATA_DIR: dir, DIRECT_LINE_SECRET: TEST_DIRECT_LINE_SECRET });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const started = child;
  await new Promise<void>((resolve, reject) => {
    started.stderr?.on('data', () => {
      const m = /\nSwitchboard is running[\s\S]*?\n {2}Health +(\S+)\n/.exec(stderr);
      if (!m) return;
      banner = m[0];
      base = new URL(m[1]!).origin;
      resolve();
    });
    started.once('exit', (code) => reject(new Error(`the server exited (${code}): ${stderr}`)));
  });
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    await exited(child);
  }
  await rm(dir, { recursive: true, force: true });
});

describe('the privacy and terms pages the Teams package links to', () => {
  const manifest = readFileSync(path.resolve('manifest/manifest.template.json'), 'utf8');

  it.each(['privacyUrl', 'termsOfUseUrl'])('%s opens a page', (field) => {
    expect(manifest).toMatch(new RegExp(`"${field}": "\\{\\{PUBLIC_URL\\}\\}/(privacy|terms)"`));
  });

  it.each(['/privacy', '/terms'])(
    '%s is a page with the security headers of the others, loading nothing from elsewhere',
    async (p) => {
      const res = await fetch(`${base}${p}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const home = await fetch(`${base}/`);
      for (const h of ['content-security-policy', 'x-content-type-options', 'x-frame-options'])
        expect(res.headers.get(h), h).toBe(home.headers.get(h));
      const html = await res.text();
      expect(html).not.toMatch(/<script|<link|<img|https?:\/\//i);
    },
  );

  it('says what is kept, for how long, and who answers for it', async () => {
    const text = await (await fetch(`${base}/privacy`)).text();
    for (const kept of ['Conversations', "Customers' details", 'Files'])
      expect(text).toContain(`<strong>${kept}</strong>`);
    expect(text).toContain('deleted after 24 hours');
    expect(text).toContain('until the\norganisation running it deletes them');
    expect(text).toMatch(/organisation that runs this server[\s\S]*responsible/);
  });
});

describe('pages asked with HEAD, as link checkers and uptime monitors ask', () => {
  it.each([
    '/',
    '/privacy',
    '/terms',
    '/tab/?view=agent&inTeams=1',
    '/favicon.ico',
    '/api/health',
    '/api/v1/openapi.json',
  ])('%s answers HEAD as it answers GET, without the body', async (p) => {
    const get = await fetch(`${base}${p}`);
    const head = await fetch(`${base}${p}`, { method: 'HEAD' });
    expect(head.status).toBe(get.status);
    expect(get.status).toBe(200);
    // restify leaves a HEAD answer's JSON unformatted, type and all; pages keep theirs.
    if (!p.startsWith('/api/'))
      expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(await head.text()).toBe('');
  });
});

describe('the start-up banner', () => {
  it('prints only URLs that open, and says which are base paths', async () => {
    const lines = banner.split('\n').filter((l) => /https?:\/\//.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) {
      if (/\bbase path,/.test(line)) continue;
      for (const url of line.match(/https?:\/\/\S+/g) ?? []) {
        const res = await fetch(url);
        expect(res.status, `${url} (${line.trim()})`).not.toBe(404);
        expect(res.status, url).toBeLessThan(500);
      }
    }
    expect(banner).toMatch(/Direct Line channel +\S+\/v3\/directline \(a base path/);
  });
});
