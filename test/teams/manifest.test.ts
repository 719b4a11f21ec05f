import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { AppManifestUtils, type TeamsManifest } from '@microsoft/app-manifest';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAppPackage, unicodeSafePattern } from '../../manifest/build.js';

// `npm run manifest` as an administrator runs it: configuration in the environment, a zip out. The
// zip's manifest is checked here against Microsoft's schema independently of the script's own check.

const root = path.resolve(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const APP_ID = '6f1c2a9e-2a43-4b7e-9d7a-0c1e5b8f3a21';
const SSO_ID = '0b7d51e4-8c3f-4f2a-a1d6-3e9b7c2f5d10';

/** The fields of manifest.json these tests read. */
interface ManifestJson {
  id: string;
  manifestVersion: string;
  bots: Array<{ botId: string; scopes: string[]; supportsFiles?: boolean }>;
  webApplicationInfo: { id: string; resource: string };
  validDomains: string[];
  staticTabs: Array<{ contentUrl?: string }>;
  localizationInfo: { additionalLanguages: Array<{ languageTag: string; file: string }> };
}

function runManifest(env: Record<string, string>, args: string[] = []) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(MicrosoftApp|TAB_SSO|PUBLIC_URL|AUTH_MODE)/.test(k)),
    );
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'manifest', 'build.ts'), ...args],
      { cwd: root, env: { ...clean, ...env } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function officialSchema(file: string) {
  const pkg = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  return require(path.join(pkg, 'build', 'json-schemas', 'teams', 'v1.30', file)) as never;
}

/** Width, height and RGBA pixels of a PNG written with filter type 0 (as ours are). */
function decodePng(png: Uint8Array) {
  const buf = Buffer.from(png);
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  expect({ bitDepth: buf[24], colourType: buf[25] }).toEqual({ bitDepth: 8, colourType: 6 });
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length;) {
    const len = buf.readUInt32BE(at);
    if (buf.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(buf.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const rows = inflateSync(Buffer.concat(idat));
  const pixel = (x: number, y: number) => {
    const row = y * (width * 4 + 1);
    expect(rows[row]).toBe(0);
    const i = row + 1 + x * 4;
    return [rows[i]!, rows[i + 1]!, rows[i + 2]!, rows[i + 3]!] as const;
  };
  return { width, height, pixel };
}

describe('npm run manifest', () => {
  let dir: string;
  let zip: Record<string, Uint8Array>;
  let manifest: ManifestJson;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-manifest-'));
    const out = path.join(dir, 'app.zip');
    const run = await runManifest(
      { MicrosoftAppId: APP_ID, TAB_SSO_CLIENT_ID: SSO_ID, PUBLIC_URL: 'https://cc.northwind.example/' },
      ['--out', out],
    );
    expect(run.stderr).toContain('passes schema');
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(out);
    zip = unzipSync(new Uint8Array(await readFile(out)));
    manifest = JSON.parse(Buffer.from(zip['manifest.json']!).toString('utf8')) as ManifestJson;
  }, 60_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("produces a zip whose manifest passes Microsoft's official schema", async () => {
    expect(Object.keys(zip).sort()).toEqual([
      'color.png',
      'de-de.json',
      'en-us.json',
      'manifest.json',
      'outline.png',
    ]);
    const errors = await AppManifestUtils.validateAgainstSchema(
      manifest as unknown as TeamsManifest,
      officialSchema('MicrosoftTeams.schema.json'),
    );
    expect(errors).toEqual([]);
    expect(manifest.manifestVersion).toBe('1.30');
  });

  it('fills ids and URLs from configuration', () => {
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0]?.botId).toBe(APP_ID);
    // Personal only: the helpdesk serves an employee in their own chat, and everything agents get
    // (offers, consults, alerts, queues) comes to theirs; nothing of it belongs in a team or group.
    expect(manifest.bots[0]?.scopes).toEqual(['personal']);
    // Without it Teams neither lets customers attach files in the bot's chat nor shows consent cards.
    expect(manifest.bots[0]?.supportsFiles).toBe(true);
    expect(manifest.webApplicationInfo).toEqual({
      id: SSO_ID,
      resource: `api://cc.northwind.example/${SSO_ID}`,
    });
    expect(manifest.validDomains).toEqual(['cc.northwind.example']);
    expect(manifest.staticTabs.map((t) => t.contentUrl).filter(Boolean)).toEqual([
      'https://cc.northwind.example/tab/?view=agent&inTeams=1',
      'https://cc.northwind.example/tab/?view=supervisor&inTeams=1',
    ]);
    expect(JSON.stringify(manifest)).not.toContain('{{');
  });

  it('ships the icons Teams asks for: colour 192×192 and a white outline 32×32 on transparency', () => {
    const color = decodePng(zip['color.png']!);
    expect([color.width, color.height]).toEqual([192, 192]);
    expect(color.pixel(96, 30)[3]).toBe(255);
    expect(color.pixel(0, 0)[3]).toBe(0);

    const outline = decodePng(zip['outline.png']!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let transparent = 0;
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const [r, g, b, a] = outline.pixel(x, y);
        if (a === 0) transparent++;
        else expect([r, g, b]).toEqual([255, 255, 255]);
      }
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.5);
  });

  it('carries language files that pass the localization schema and cover the localisable strings', async () => {
    for (const file of ['en-us.json', 'de-de.json']) {
      const strings = JSON.parse(Buffer.from(zip[file]!).toString('utf8'));
      expect(strings['name.short']).toBeTruthy();
      expect(strings['staticTabs[0].name']).toBeTruthy();
      expect(Object.keys(strings).sort()).toEqual(
        Object.keys(JSON.parse(Buffer.from(zip['en-us.json']!).toString('utf8'))).sort(),
      );
    }
    expect(manifest.localizationInfo.additionalLanguages).toEqual([
      { languageTag: 'de-de', file: 'de-de.json' },
    ]);
  });

  it('refuses to build without the configuration it needs, naming each variable', async () => {
    const run = await runManifest({ PUBLIC_URL: 'http://localhost:3978' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('MicrosoftAppId: required');
    expect(run.stderr).toContain('PUBLIC_URL: Teams loads tabs and bots only over https');
    expect(run.stdout).toBe('');
  }, 60_000);

  it('refuses a public URL that does not parse in one line naming it, not a stack trace', async () => {
    const run = await runManifest({ MicrosoftAppId: APP_ID, PUBLIC_URL: 'https://[::1' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'Cannot build the Teams app package:\nPUBLIC_URL: must be an absolute http(s) URL\n',
    );
    expect(run.stdout).toBe('');
  }, 60_000);

  it('answers --help with its usage, and a wrong argument with what is wrong, building nothing', async () => {
    const env = {
      MicrosoftAppId: APP_ID,
      TAB_SSO_CLIENT_ID: SSO_ID,
      PUBLIC_URL: 'https://cc.northwind.example',
    };
    const help = await runManifest({}, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run manifest/);
    for (const [args, said] of [
      [['--bogus'], 'unknown argument "--bogus"'],
      [['--out'], '--out needs the file to write'],
      [['--out', '--bogus'], '--out needs the file to write'],
      [['--out', 'a.zip', 'b.zip'], 'unknown argument "b.zip"'],
    ] as const) {
      const run = await runManifest(env, [...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.split('\n')[0], args.join(' ')).toBe(said);
      expect(run.stdout).toBe('');
    }
  }, 60_000);

  it('reports schema errors instead of zipping an invalid package', async () => {
    const pkg = await buildAppPackage({
      appId: 'bot-1',
      ssoClientId: SSO_ID,
      publicUrl: 'https://cc.northwind.example',
      version: '0.1.0',
    });
    expect(pkg.errors.join('\n')).toMatch(/manifest\.json: \/id must match pattern/);
    expect(pkg.errors.join('\n')).toMatch(/manifest\.json: \/bots\/0\/botId must match pattern/);
  });

  it('escapes only the lone brackets of a pattern', () => {
    expect(unicodeSafePattern('^a\\[\\b([0-9]|1[0-5])\\b]\\.x$')).toBe('^a\\[\\b([0-9]|1[0-5])\\b\\]\\.x$');
    expect(new RegExp(unicodeSafePattern('^a\\[\\b([0-9])\\b]$'), 'u').test('a[7]')).toBe(true);
  });
});
