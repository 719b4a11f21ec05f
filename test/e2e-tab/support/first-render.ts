/**
 * The tab's first meaningful render, measured the way an agent meets it: a signed-in agent opens (or
 * reloads) the tab in a fresh browser context, nothing cached, and sees the dashboard with their own
 * work items. The figure is the app's `switchboard:dashboard-ready` mark (Dashboard.tsx: set once the
 * agent's list is on screen, not a spinner), in ms from navigation start. The other marks and the
 * resource timings say where the time went; Chromium's CDP Performance metrics say how much of it
 * was the main thread busy.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';

const TAB_DIST = fileURLToPath(new URL('../../../tab/dist/tab/', import.meta.url));

export interface FirstRender {
  /** ms from navigation start to the dashboard with the agent's work items. */
  dashboardReady: number;
  /** ms from navigation start at which each step ended. */
  steps: Record<string, number>;
  /**
   * Main-thread time in ms until the dashboard was up (CDP Performance.getMetrics): wall time of
   * script, style, layout and all tasks; `cpu`, the CPU time the renderer's main thread got, and
   * `processCpu`, the whole renderer's (compile and raster threads too).
   * On a crowded machine the wall times stretch and `cpu` does not: it is what the tab costs.
   */
  busy: { script: number; layout: number; style: number; task: number; cpu: number; processCpu: number };
}

/** `expectText`: something of the agent's work items that must be visible when the figure is taken. */
export async function measureFirstRender(
  browser: Browser,
  serverUrl: string,
  token: string,
  expectText?: string,
): Promise<FirstRender> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'en-US',
    reducedMotion: 'reduce',
  });
  try {
    // A signed-in agent: the dev token is in the tab's session storage before any of its code runs.
    await context.addInitScript((t) => {
      try {
        sessionStorage.setItem('switchboard.devToken', t);
      } catch {
        // about:blank and other origins have no storage for us; the tab's page has.
      }
    }, token);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[first render page error]', err));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(`${serverUrl}/tab/`);
    await page.getByTestId('count-mine').filter({ hasText: /^\d+$/ }).waitFor({ timeout: 60_000 });
    if (expectText)
      await page
        .getByRole('tabpanel', { name: 'My work items' })
        .getByText(expectText)
        .first()
        .waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => performance.getEntriesByName('switchboard:dashboard-ready').length > 0);
    const { metrics } = (await cdp.send('Performance.getMetrics')) as {
      metrics: Array<{ name: string; value: number }>;
    };
    const metric = (name: string) => Math.round((metrics.find((m) => m.name === name)?.value ?? 0) * 1000);
    // A string, not a function: the TypeScript loaders (tsx, vitest) name functions with a helper
    // the page does not have.
    const timings = (await page.evaluate(`(() => {
      const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
      const nav = performance.getEntriesByType('navigation')[0];
      const resources = performance.getEntriesByType('resource');
      const ended = (test) => {
        const ends = resources.filter((r) => test(r.name)).map((r) => r.responseEnd);
        return ends.length ? Math.max(...ends) : NaN;
      };
      return {
        dashboardReady: mark('switchboard:dashboard-ready'),
        steps: {
          html: nav.responseEnd,
          'initial JS fetched': ended((u) => /\\/tab\\/assets\\/index-[^/]*\\.js$/.test(u)),
          'app code running': mark('switchboard:main'),
          'workspace code running': mark('switchboard:workspace-code'),
          'profile fetched': ended((u) => u.endsWith('/api/v1/me')),
          'my work items fetched': ended((u) => u.endsWith('/api/v1/work-items?view=mine')),
          'workspace shell drawn': mark('switchboard:workspace-shell'),
          'dashboard ready': mark('switchboard:dashboard-ready'),
        },
      };
    })()`)) as Pick<FirstRender, 'dashboardReady' | 'steps'>;
    return {
      ...timings,
      busy: {
        script: metric('ScriptDuration'),
        layout: metric('LayoutDuration'),
        style: metric('RecalcStyleDuration'),
        task: metric('TaskDuration'),
        cpu: metric('ThreadTime'),
        processCpu: metric('ProcessTime'),
      },
    };
  } finally {
    await context.close();
  }
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Gzip bytes of the JavaScript a first load of the built tab fetches (as tab/build.mjs counts it). */
export async function initialJsGzip(): Promise<number> {
  const manifest = JSON.parse(
    await readFile(path.join(TAB_DIST, '.vite', 'manifest.json'), 'utf8'),
  ) as Record<string, { file: string; isEntry?: boolean; imports?: string[] }>;
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  let total = 0;
  for (const f of files) total += gzipSync(await readFile(path.join(TAB_DIST, f)), { level: 9 }).length;
  return total;
}
