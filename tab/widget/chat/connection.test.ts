import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Activity } from './activity.js';
import { Connection, type ConnectionOptions } from './connection.js';
import { DirectLineApi } from './directline.js';

type Route = (init: {
  method: string;
  token?: string;
  body?: unknown;
}) => [number, unknown] | [number, unknown, Record<string, string>];

/** A Direct Line server as a table of `METHOD path` → answer, recording the calls. */
function fakeServer(routes: Record<string, Route>) {
  const calls: string[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    const u = new URL(url);
    const path = u.pathname.replace('/v3/directline', '');
    const key = `${init.method} ${path}`;
    const token = (init.headers as Record<string, string>).Authorization?.slice(7);
    calls.push(`${key}${u.search} ${token ?? ''}`.trim());
    const route = routes[key];
    const [status, body, headers] = route
      ? route({
          method: init.method!,
          token,
          body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body,
        })
      : [404, {}];
    return new Response(JSON.stringify(body), { status, headers });
  }) as unknown as typeof fetch;
  return { api: new DirectLineApi('http://cc.test/v3/directline', fetchFn), calls };
}

class NeverOpens {
  static urls: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(url: string) {
    NeverOpens.urls.push(url);
    setTimeout(() => this.onclose?.(), 0);
  }
  close() {}
}

/** A socket the page's CSP refuses, as Chromium reports it: `error`, and never `close`. */
class Refused {
  static urls: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: (() => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(url: string) {
    Refused.urls.push(url);
    setTimeout(() => this.onerror?.(), 0);
  }
  close() {}
}

/** A socket whose upgrade a proxy swallows: no event, ever. */
class Silent {
  static opened = 0;
  static closed = 0;
  onopen: (() => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: (() => void) | null = null;
  onclose: (() => void) | null = null;
  constructor() {
    Silent.opened++;
  }
  close() {
    Silent.closed++;
  }
}

/** A server whose conversation c1 has one activity, and whose streams are at `stream`. */
const oneActivity = () =>
  fakeServer({
    'GET /conversations/c1/activities': () => [
      200,
      { activities: [{ type: 'message', id: 'c1|1', text: 'Hi! How can I help?' }], watermark: '1' },
    ],
    'GET /conversations/c1': () => [
      200,
      { conversationId: 'c1', token: 'old', streamUrl: '/v3/directline/conversations/c1/stream' },
    ],
  });

function connection(api: DirectLineApi, extra: Partial<ConnectionOptions> = {}) {
  const seen: Activity[] = [];
  const events = { seen, tokens: [] as string[], ended: [] as string[] };
  const conn = new Connection({
    api,
    conversationId: 'c1',
    token: 'old',
    tokenExpiresAt: Date.now() + 30 * 60_000,
    onActivities: (a) => seen.push(...a),
    onToken: (t) => events.tokens.push(t),
    onStatus: () => undefined,
    onEnded: (r) => events.ended.push(r),
    ...extra,
  });
  return { conn, events };
}

describe('Direct Line connection', () => {
  it('refreshes an expired token once and retries (403 means expired)', async () => {
    const { api, calls } = fakeServer({
      'POST /conversations/c1/activities': ({ token }) =>
        token === 'new' ? [200, { id: 'c1|7' }] : [403, {}],
      'POST /tokens/refresh': () => [200, { conversationId: 'c1', token: 'new', expires_in: 1800 }],
    });
    const { conn, events } = connection(api);
    await expect(conn.send({ type: 'message', text: 'hi' })).resolves.toBe('c1|7');
    expect(calls).toEqual([
      'POST /conversations/c1/activities old',
      'POST /tokens/refresh old',
      'POST /conversations/c1/activities new',
    ]);
    expect(events.tokens).toEqual(['new']);
    conn.close();
  });

  describe('when the server asks to wait (429 with Retry-After)', () => {
    /** Refuses the first `times` posts; `accepted` lists the texts it took, in order. */
    const busy = (times: number) => {
      let refusals = 0;
      const accepted: string[] = [];
      const server = fakeServer({
        'POST /conversations/c1/activities': ({ body }) => {
          if (++refusals <= times) return [429, { error: { code: 'rate_limited' } }, { 'Retry-After': '2' }];
          accepted.push((body as Activity).text ?? (body as Activity).type);
          return [200, { id: 'c1|9' }];
        },
      });
      return { ...server, accepted };
    };
    beforeEach(() => void vi.useFakeTimers());
    afterEach(() => void vi.useRealTimers());

    it('sends the message again once the wait is over, a little later for some customers than others', async () => {
      const { api, calls } = busy(2);
      const { conn } = connection(api, { random: () => 0.5 });
      const sent = conn.send({ type: 'message', text: 'hi' });
      await vi.advanceTimersByTimeAsync(2_000);
      expect(calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(100);
      expect(calls).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(2_100);
      await expect(sent).resolves.toBe('c1|9');
      expect(calls).toHaveLength(3);
      conn.close();
    });

    it('keeps the chat in order: what is sent while a message waits goes after it', async () => {
      const { api, accepted } = busy(1);
      const { conn } = connection(api, { random: () => 0 });
      const first = conn.send({ type: 'message', text: 'my bill doubled' });
      await vi.advanceTimersByTimeAsync(500);
      const second = conn.send({ type: 'message', text: 'since March' });
      await vi.advanceTimersByTimeAsync(2_000);
      await expect(Promise.all([first, second])).resolves.toEqual(['c1|9', 'c1|9']);
      expect(accepted).toEqual(['my bill doubled', 'since March']);
      conn.close();
    });

    it('gives up after a minute and a half of waiting, and never waits to send typing or to leave', async () => {
      const { api, calls } = busy(1_000);
      const { conn } = connection(api, { random: () => 0 });
      const sent = conn.send({ type: 'message', text: 'hi' });
      const failed = expect(sent).rejects.toMatchObject({ status: 429, retryAfterMs: 2_000 });
      // Every 2 s as asked, 45 times; the next wait would end past 90 s.
      await vi.advanceTimersByTimeAsync(31_000);
      expect(calls).toHaveLength(16);
      await vi.advanceTimersByTimeAsync(59_000);
      await failed;
      expect(calls).toHaveLength(46);

      await expect(conn.send({ type: 'typing' })).rejects.toMatchObject({ status: 429 });
      await expect(conn.send({ type: 'endOfConversation' })).rejects.toMatchObject({ status: 429 });
      expect(calls).toHaveLength(48);
      conn.close();
    });
  });

  describe('when the answer never came or the server could not finish (it may have stored it)', () => {
    /** Fails the first posts with each of `failures` in turn ('network' = no answer at all). */
    const failing = (failures: Array<number | 'network'>) => {
      const bodies: Activity[] = [];
      const server = fakeServer({
        'POST /conversations/c1/activities': ({ body }) => {
          bodies.push(body as Activity);
          const failure = failures.shift();
          if (failure === 'network') throw new TypeError('Failed to fetch');
          if (failure !== undefined) return [failure, { error: { code: 'store.unavailable' } }];
          return [200, { id: 'c1|3' }];
        },
      });
      return { ...server, bodies };
    };
    const message = (clientActivityId?: string): Activity => ({
      type: 'message',
      text: 'my bill doubled',
      ...(clientActivityId ? { channelData: { clientActivityId } } : {}),
    });
    beforeEach(() => void vi.useFakeTimers());
    afterEach(() => void vi.useRealTimers());

    it('sends it again with the same client id after 1 s, then 2 s, …', async () => {
      const { api, calls, bodies } = failing([503, 'network', 504, 502]);
      const { conn } = connection(api, { random: () => 0 });
      const sent = conn.send(message('cid-1'));
      await vi.advanceTimersByTimeAsync(999);
      expect(calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(2_000);
      expect(calls).toHaveLength(3);
      await vi.advanceTimersByTimeAsync(4_000 + 8_000);
      await expect(sent).resolves.toBe('c1|3');
      expect(calls).toHaveLength(5);
      expect(new Set(bodies.map((b) => b.channelData?.clientActivityId))).toEqual(new Set(['cid-1']));
      conn.close();
    });

    it('does not send again what has no client id, nor what the server refused outright', async () => {
      for (const [failure, activity] of [
        [503, message()],
        ['network', message()],
        [500, message('cid-2')],
        [400, message('cid-3')],
      ] as const) {
        const { api, calls } = failing([failure]);
        const { conn } = connection(api);
        await expect(conn.send(activity)).rejects.toBeDefined();
        await vi.advanceTimersByTimeAsync(20_000);
        expect(calls).toHaveLength(1);
        conn.close();
      }
    });

    it('sends a file again too, with the same client id, the server keeping it once', async () => {
      const failures: Array<number | 'network'> = [503, 'network'];
      const forms: FormData[] = [];
      const { api, calls } = fakeServer({
        'POST /conversations/c1/upload': ({ body }) => {
          forms.push(body as FormData);
          const failure = failures.shift();
          if (failure === 'network') throw new TypeError('Failed to fetch');
          if (failure !== undefined) return [failure, { error: { code: 'store.unavailable' } }];
          return [200, { id: 'c1|4' }];
        },
      });
      const { conn } = connection(api, { random: () => 0 });
      const file = new File([new Uint8Array([1, 2, 3])], 'bill.pdf', { type: 'application/pdf' });
      const sent = conn.upload(file, { ...message('cid-5'), from: { id: 'dl_u' } });
      await vi.advanceTimersByTimeAsync(3_000);
      await expect(sent).resolves.toBe('c1|4');
      expect(calls).toHaveLength(3);
      const sentAgain = await Promise.all(
        forms.map(async (f) => {
          const activity = JSON.parse(await (f.get('activity') as Blob).text()) as Activity;
          return [(f.get('file') as File).name, activity.channelData?.clientActivityId];
        }),
      );
      expect(sentAgain).toEqual(Array.from({ length: 3 }, () => ['bill.pdf', 'cid-5']));
      conn.close();
    });

    it('gives up after a minute and a half', async () => {
      const { api, calls } = failing(Array.from({ length: 100 }, () => 503));
      const { conn } = connection(api, { random: () => 0 });
      const failed = expect(conn.send(message('cid-4'))).rejects.toMatchObject({ status: 503 });
      // After 1, 2, 4 and 8 s, then every 10 s (85 s in all): the next wait would end past 90 s.
      await vi.advanceTimersByTimeAsync(90_000);
      await failed;
      expect(calls).toHaveLength(12);
      conn.close();
    });
  });

  it('reports the conversation as ended on 404, so the next open starts fresh', async () => {
    const { api } = fakeServer({});
    const { conn, events } = connection(api, { WebSocketImpl: undefined });
    await conn.open();
    expect(events.ended).toEqual(['ended']);
  });

  it('resumes from the stored watermark and falls back to polling when sockets never open', async () => {
    NeverOpens.urls = [];
    const { api, calls } = fakeServer({
      'GET /conversations/c1/activities': () => [
        200,
        { activities: [{ type: 'message', id: 'c1|3', text: 'missed' }], watermark: '3' },
      ],
      'GET /conversations/c1': () => [
        200,
        {
          conversationId: 'c1',
          token: 'old',
          streamUrl: '/v3/directline/conversations/c1/stream?watermark=3',
        },
      ],
    });
    const { conn, events } = connection(api, {
      watermark: '2',
      WebSocketImpl: NeverOpens as unknown as typeof WebSocket,
    });
    await conn.open();
    await vi.waitFor(
      () =>
        expect(calls.filter((c) => c.startsWith('GET /conversations/c1/activities')).length).toBeGreaterThan(
          1,
        ),
      {
        timeout: 3000,
      },
    );
    conn.close();
    expect(calls[0]).toBe('GET /conversations/c1/activities?watermark=2 old');
    expect(calls).toContain('GET /conversations/c1?watermark=3 old');
    expect(NeverOpens.urls).toEqual([
      'ws://cc.test/v3/directline/conversations/c1/stream?watermark=3',
      'ws://cc.test/v3/directline/conversations/c1/stream?watermark=3',
    ]);
    expect(events.seen.map((a) => a.text)).toContain('missed');
    expect(events.ended).toEqual([]);
  });

  it("counts a socket that only errors (refused by the page's CSP) as failed, and polls", async () => {
    Refused.urls = [];
    const { api } = oneActivity();
    const { conn, events } = connection(api, { WebSocketImpl: Refused as unknown as typeof WebSocket });
    await conn.open('/v3/directline/conversations/c1/stream');
    await conn.ready;
    await vi.waitFor(() => expect(events.seen.map((a) => a.text)).toContain('Hi! How can I help?'));
    conn.close();
    expect(Refused.urls).toHaveLength(2);
  });

  describe('when a socket never answers', () => {
    beforeEach(() => void vi.useFakeTimers());
    afterEach(() => void vi.useRealTimers());

    it('gives it 10 s to open, then tries another, then polls', async () => {
      Silent.opened = Silent.closed = 0;
      const { api } = oneActivity();
      const statuses: string[] = [];
      const { conn, events } = connection(api, {
        WebSocketImpl: Silent as unknown as typeof WebSocket,
        onStatus: (s) => statuses.push(s),
      });
      await conn.open('/v3/directline/conversations/c1/stream');
      await vi.advanceTimersByTimeAsync(9_999);
      expect([Silent.opened, Silent.closed]).toEqual([1, 0]);
      await vi.advanceTimersByTimeAsync(1 + 500);
      expect([Silent.opened, Silent.closed]).toEqual([2, 1]);
      await vi.advanceTimersByTimeAsync(10_000);
      await conn.ready;
      expect([Silent.opened, Silent.closed]).toEqual([2, 2]);
      expect(events.seen.map((a) => a.text)).toContain('Hi! How can I help?');
      expect(statuses.at(-1)).toBe('online');
      conn.close();
    });
  });
});
