import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../services/log.js';
import { ConnectorError, httpConnector, type Connector } from './connector.js';
import { Pacer } from './pacer.js';
import { ProactiveSender } from './proactive-sender.js';
import { RecentIds } from './recent-ids.js';
import { isRetryable, retryAfterMs, retryDelayMs } from './retry.js';

describe('retry delays', () => {
  const now = new Date('2026-12-02T06:00:00Z');

  it('honours Retry-After in seconds or as a date, never earlier, with at most 10% jitter', () => {
    expect(retryDelayMs(1, '3', now, () => 0)).toBe(3000);
    expect(retryDelayMs(1, '3', now, () => 0.999)).toBeLessThanOrEqual(3300);
    expect(retryAfterMs('Wed, 02 Dec 2026 06:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('soon', now)).toBeNull();
  });

  it('backs off exponentially with jitter when the server names no time', () => {
    const low = [1, 2, 3, 4].map((a) => retryDelayMs(a, null, now, () => 0));
    const high = [1, 2, 3, 4].map((a) => retryDelayMs(a, null, now, () => 1));
    expect(low).toEqual([250, 500, 1000, 2000]);
    expect(high).toEqual([500, 1000, 2000, 4000]);
    expect(retryDelayMs(20, null, now, () => 1)).toBe(30_000);
  });

  it('retries throttling, server errors and silence, not the caller’s mistakes', () => {
    expect([429, 500, 502, 503, 504, 0].every(isRetryable)).toBe(true);
    expect([400, 401, 403, 404, 501].some(isRetryable)).toBe(false);
  });
});

describe('pacing per conversation', () => {
  it('lets 7 through in a second, then waits for the window', () => {
    const p = new Pacer();
    const waits = Array.from({ length: 9 }, () => p.reserve('c', 10_000));
    expect(waits).toEqual([0, 0, 0, 0, 0, 0, 0, 1000, 1000]);
    expect(p.reserve('other', 10_000)).toBe(0);
  });

  it('keeps to 1,800 an hour', () => {
    const p = new Pacer();
    let t = 0;
    for (let i = 0; i < 1800; i++) {
      t += p.reserve('c', t) + 200;
    }
    const wait = p.reserve('c', t);
    expect(t + wait).toBeGreaterThanOrEqual(3_600_000);
  });
});

describe('the proactive sender', () => {
  function setup(fail: Array<ConnectorError | null>) {
    const calls: number[] = [];
    let clock = 0;
    const slept: number[] = [];
    const connector: Connector = {
      async send() {
        calls.push(clock);
        const next = fail.shift();
        if (next) throw next;
        return { id: `a${calls.length}` };
      },
      async update() {},
    };
    const sender = new ProactiveSender({
      connector,
      now: () => new Date(clock),
      random: () => 0,
      log: silentLogger,
      sleep: async (ms) => {
        slept.push(ms);
        clock += ms;
      },
    });
    return { sender, calls, slept };
  }
  const target = { serviceUrl: 'http://127.0.0.1:1', conversationId: 'a:1' };

  it('waits what Retry-After says after a 429, then succeeds', async () => {
    const { sender, calls, slept } = setup([new ConnectorError('throttled', 429, '2')]);
    await expect(sender.send(target, { type: 'message' })).resolves.toEqual({ id: 'a2' });
    expect(slept).toEqual([2000]);
    expect(calls).toEqual([0, 2000]);
  });

  it('gives up after five attempts of 503, and at once on a 400', async () => {
    const busy = setup(Array.from({ length: 6 }, () => new ConnectorError('busy', 503)));
    await expect(busy.sender.send(target, { type: 'message' })).rejects.toThrow('busy');
    expect(busy.calls).toHaveLength(5);
    const bad = setup([new ConnectorError('bad', 400)]);
    await expect(bad.sender.send(target, { type: 'message' })).rejects.toThrow('bad');
    expect(bad.calls).toHaveLength(1);
  });

  it('paces a burst into one conversation', async () => {
    const { sender, calls } = setup([]);
    await Promise.all(Array.from({ length: 10 }, () => sender.send(target, { type: 'message' })));
    expect(calls.filter((t) => t < 1000)).toHaveLength(7);
    expect(calls.slice(7).every((t) => t >= 1000)).toBe(true);
  });
});

describe('the HTTP connector', () => {
  it('does not post again when a connector takes an activity without naming its id', async () => {
    // Agents Playground answers 202 with no body when it splits a message into several.
    let posts = 0;
    const server = createServer((req, res) => {
      posts++;
      req.resume();
      // Not chained: restify, once loaded in the process, replaces writeHead with one returning nothing.
      res.writeHead(202);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const sender = new ProactiveSender({
        connector: httpConnector({ token: async () => undefined }),
        now: () => new Date(),
        random: () => 0,
        log: silentLogger,
        sleep: async () => {},
      });
      const sent = sender.send({ serviceUrl, conversationId: 'a:1' }, { type: 'message', text: 'hi' });
      await expect(sent).rejects.toMatchObject({ status: 202 });
      expect(posts).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('recent activity ids', () => {
  it('recognises a redelivery within the window and forgets it after', () => {
    const ids = new RecentIds(1000, 3);
    expect(ids.firstTime('a', 0)).toBe(true);
    expect(ids.firstTime('a', 500)).toBe(false);
    expect(ids.firstTime('a', 1500)).toBe(true);
    for (const k of ['b', 'c', 'd', 'e']) ids.firstTime(k, 1600);
    expect(ids.firstTime('b', 1700)).toBe(true);
  });
});
