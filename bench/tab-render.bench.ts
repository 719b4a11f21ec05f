import os from 'node:os';
import type { BenchRow } from './bench-row.js';
import { startTestServer } from '../test/support/server.js';
import { ensureWebBuilt, launch } from '../test/e2e-tab/support/tab-browser.js';
import { liveConversation, type LiveConversation } from '../test/api/support/live-conversation.js';
import {
  initialJsGzip,
  measureFirstRender,
  median,
  type FirstRender,
} from '../test/e2e-tab/support/first-render.js';

// The Teams tab's first meaningful render (docs: README, "The agent workspace"): a signed-in agent
// opens the tab in headless Chromium with nothing cached and sees the dashboard with their work
// items. Median of several cold loads against the real server; the baseline is the demo page's load
// in the same browser, so a busy machine shows as a lower baseline, not as a slower tab.

const LOADS = Number(process.env.TAB_RENDER_LOADS ?? 7);
// `TAB_RENDER_AB=<folder holding another build's tab/>`: also load that build (e.g. the previous
// commit's tab/dist), alternating with this one, and quote this build against it.

export async function run(): Promise<BenchRow[]> {
  ensureWebBuilt();
  const server = await startTestServer();
  const browser = await launch();
  let live: LiveConversation | undefined;
  try {
    live = await liveConversation(server.url, 'agent_alex', {
      userId: 'dl_benchcustomer01',
      name: 'Dana Whitfield',
    });
    const token = live.agent.token;
    // One load first: the server's code paths and the OS file cache warm up, as on a running server.
    await measureFirstRender(browser, server.url, token, 'Dana Whitfield');

    const samples: FirstRender[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      baseline.push(await demoPageLoad(browser, server.url));
      samples.push(await measureFirstRender(browser, server.url, token, 'Dana Whitfield'));
    }
    const ab = process.env.TAB_RENDER_AB ? await compareWith(process.env.TAB_RENDER_AB, browser) : [];
    const ready = samples.map((s) => s.dashboardReady);
    const base = median(baseline);
    const renderMs = median(ready);
    const steps = Object.keys(samples[0]!.steps)
      .map((k) => `${k} ${median(samples.map((s) => s.steps[k]!)).toFixed(0)}`)
      .join(', ');
    const busy = (k: keyof FirstRender['busy']) => median(samples.map((s) => s.busy[k])).toFixed(0);
    const gzip = await initialJsGzip();
    const load = os.loadavg()[0]! / os.cpus().length;
    process.stderr.write(
      `tab first meaningful render: median ${renderMs.toFixed(0)} ms of ${ready.map((r) => r.toFixed(0)).join(', ')} ms\n` +
        `  steps (median ms from navigation start): ${steps}\n` +
        `  main thread (median ms): script ${busy('script')}, style ${busy('style')}, layout ${busy('layout')}, all tasks ${busy('task')}; CPU time it got ${busy('cpu')} (whole renderer ${busy('processCpu')})\n` +
        `  initial JS ${(gzip / 1024).toFixed(1)} KB gzip; demo page load ${base.toFixed(0)} ms; load ${load.toFixed(1)} per core\n`,
    );
    return [
      ...ab,
      {
        name: 'tab first meaningful render (signed-in agent, cold, dashboard with work items)',
        opsPerSec: 1000 / renderMs,
        baseline: { name: 'demo page load in the same browser', opsPerSec: 1000 / base },
        ratio: base / renderMs,
        notes:
          `median ${renderMs.toFixed(0)} ms (${Math.min(...ready).toFixed(0)}–${Math.max(...ready).toFixed(0)}) of ${LOADS} loads, target ≤ 1500 ms; ` +
          `initial JS ${(gzip / 1024).toFixed(1)} KB gzip; main thread CPU ${busy('cpu')} ms, renderer ${busy('processCpu')} ms (script ${busy('script')} ms wall); load ${load.toFixed(1)}/core`,
      },
    ];
  } finally {
    live?.customer.end();
    await browser.close();
    await server.close();
  }
}

async function demoPageLoad(browser: Awaited<ReturnType<typeof launch>>, url: string): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${url}/`, { waitUntil: 'load' });
    return await page.evaluate(
      () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd,
    );
  } finally {
    await context.close();
  }
}

/** This build against another (served by a second server), loads alternating so both see the same machine. */
async function compareWith(
  otherRoot: string,
  browser: Awaited<ReturnType<typeof launch>>,
): Promise<BenchRow[]> {
  const servers = [await startTestServer(), await startTestServer({ app: { webRoot: otherRoot } })];
  try {
    const tokens: string[] = [];
    for (const [i, s] of servers.entries()) {
      const live = await liveConversation(s.url, 'agent_alex', {
        userId: `dl_benchab0${i}`,
        name: 'Dana Whitfield',
      });
      live.customer.end();
      tokens.push(live.agent.token);
      await measureFirstRender(browser, s.url, live.agent.token, 'Dana Whitfield');
    }
    const times: number[][] = [[], []];
    const cpu: number[][] = [[], []];
    for (let i = 0; i < LOADS; i++)
      for (const k of [0, 1]) {
        const r = await measureFirstRender(browser, servers[k]!.url, tokens[k]!, 'Dana Whitfield');
        times[k]!.push(r.dashboardReady);
        cpu[k]!.push(r.busy.cpu);
      }
    const [mine, other] = times.map(median) as [number, number];
    const [mineCpu, otherCpu] = cpu.map(median) as [number, number];
    process.stderr.write(
      `A/B: this build median ${mine.toFixed(0)} ms (${times[0]!.map((t) => t.toFixed(0)).join(', ')}), ` +
        `${otherRoot} median ${other.toFixed(0)} ms (${times[1]!.map((t) => t.toFixed(0)).join(', ')}); ` +
        `main thread CPU ${mineCpu.toFixed(0)} vs ${otherCpu.toFixed(0)} ms\n`,
    );
    return [
      {
        name: 'tab first meaningful render, this build vs another',
        opsPerSec: 1000 / mine,
        baseline: { name: `build in ${otherRoot}`, opsPerSec: 1000 / other },
        ratio: other / mine,
        notes: `median ${mine.toFixed(0)} ms vs ${other.toFixed(0)} ms, main thread CPU ${mineCpu.toFixed(0)} vs ${otherCpu.toFixed(0)} ms, ${LOADS} alternating loads each`,
      },
    ];
  } finally {
    for (const s of servers) await s.close();
  }
}
