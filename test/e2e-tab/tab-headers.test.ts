import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { ensureWebBuilt } from './support/tab-browser.js';

let s: TestServer;
beforeAll(async () => {
  ensureWebBuilt();
  s = await startTestServer();
}, 180_000);
afterAll(async () => {
  await s?.close();
});

describe('serving the agent tab', () => {
  it('serves the built tab at /tab/, and its deep links, framable by Teams and Microsoft 365 hosts only', async () => {
    for (const path of ['/tab/', '/tab/sessions/abc']) {
      const res = await fetch(`${s.url}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<div id="root"></div>');
      const csp = res.headers.get('content-security-policy') ?? '';
      const ancestors = /frame-ancestors ([^;]*)/.exec(csp)?.[1]?.split(/\s+/) ?? [];
      expect(ancestors).toEqual(
        expect.arrayContaining([
          'https://teams.microsoft.com',
          'https://*.teams.microsoft.com',
          'https://*.cloud.microsoft',
          'https://*.office.com',
          'https://outlook.office.com',
        ]),
      );
      expect(
        ancestors.every((a) =>
          /^https:\/\/(\*\.)?[a-z0-9.-]*(microsoft|office|office365|microsoft365)\.com$|^https:\/\/\*\.cloud\.microsoft$/.test(
            a,
          ),
        ),
      ).toBe(true);
    }
  });

  it('leaves other pages to their own framing rules', async () => {
    const res = await fetch(`${s.url}/api/health`);
    expect(res.headers.get('content-security-policy') ?? '').not.toContain('teams.microsoft.com');
  });
});
