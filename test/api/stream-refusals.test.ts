import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, until } from './support/clients.js';
import { streamSocket } from './support/stream-socket.js';

// A live stream the server turns away says why, as every other route does; a plain GET is told the
// stream needs a WebSocket upgrade; and a `since` past the head of the event log resumes at the head
// with a stream.resync frame rather than silently dropping every event up to that number.

let s: TestServer;

beforeAll(async () => {
  s = await startTestServer({ env: { AUTH_MODE: 'dev' } });
});
afterAll(() => s?.close());

describe('a stream refused before it opens', () => {
  it('answers a malformed since with 400 and an error naming it', async () => {
    const emma = await signIn(s.url, 'agent_emma');
    const refused = await streamSocket(s.url, emma.token, { since: 'abc' });
    expect(refused.status).toBe(400);
    expect(refused.refusal?.error).toMatchObject({ code: 'invalid_request' });
    expect(refused.refusal?.error?.message).toMatch(/since/);
  });

  it('answers a token it does not know with 401 and an error', async () => {
    const refused = await streamSocket(s.url, 'not-a-token');
    expect(refused.status).toBe(401);
    expect(refused.refusal?.error?.code).toEqual(expect.any(String));
    expect(refused.refusal?.error?.message).toEqual(expect.any(String));
  });

  it('answers a GET without the upgrade with 426, saying a WebSocket upgrade is needed', async () => {
    const res = await fetch(`${s.url}/api/v1/stream`);
    expect(res.status).toBe(426);
    expect(res.headers.get('upgrade')).toBe('websocket');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('upgrade_required');
    expect(body.error.message).toMatch(/WebSocket upgrade/);
  });
});

describe('a stream resumed from past the head of the event log', () => {
  it('resumes at the head with a stream.resync frame, and sends what comes next', async () => {
    const emma = await signIn(s.url, 'agent_emma');
    expect((await emma.call('PUT', '/me/presence', { presence: 'busy' })).status).toBe(200);
    const head = await s.services.repos.events.lastSeq();
    await s.services.tail.reached(head);
    const socket = await streamSocket(s.url, emma.token, { since: 99_999_999 });
    expect(socket.status).toBe(101);
    const resync = await until('the resync frame', () =>
      socket.frames.find((f) => f.type === 'stream.resync'),
    );
    expect(resync).toEqual({ seq: head, type: 'stream.resync', missedAfter: 99_999_999, resumedAfter: head });
    expect(socket.frames[0]).toBe(resync);

    expect((await emma.call('PUT', '/me/presence', { presence: 'away' })).status).toBe(200);
    const next = await until('the next presence change on the stream', () =>
      socket.frames.find((f) => f.type === 'presence.changed' && f.presence === 'away'),
    );
    expect(next.seq as number).toBeGreaterThan(head);
    await socket.close();
  });
});
