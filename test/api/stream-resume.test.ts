import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../support/server.js';
import { openStream, signIn, type ApiClient } from './support/clients.js';
import { activeConversationWithAlex } from './support/fixtures.js';

// The live stream resumes: disconnect, events happen, reconnect with `since` → each missed event
// once, in order.

let server: TestServer;
let conv: string;
let alex: ApiClient;
let sam: ApiClient;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  conv = await activeConversationWithAlex(server.services, 'dl_resume01');
  [alex, sam] = await Promise.all([signIn(server.url, 'agent_alex'), signIn(server.url, 'supervisor_sam')]);
}, 60_000);
afterAll(() => server.close());

describe('live stream resume', () => {
  it('replays what was missed, once and in order, then carries on live', async () => {
    const first = await openStream(server.url, alex.token);
    await alex.call('POST', `/conversations/${conv}/messages`, { text: 'note 0', visibility: 'internal' });
    await first.waitFor('note 0', (f) => f.type === 'conversation.message' && f.message.text === 'note 0');
    const seen = first.lastSeq();
    await first.close();

    // While Alex is away: three notes by Sam, and a presence change.
    for (const n of [1, 2, 3]) {
      expect(
        (
          await sam.call('POST', `/conversations/${conv}/messages`, {
            text: `note ${n}`,
            visibility: 'internal',
          })
        ).status,
      ).toBe(201);
    }
    await alex.call('PUT', '/me/presence', { presence: 'busy' });

    const resumed = await openStream(server.url, alex.token, seen);
    await resumed.waitFor('the presence change', (f) => f.type === 'presence.changed');
    await alex.call('POST', `/conversations/${conv}/messages`, { text: 'note 4', visibility: 'internal' });
    await resumed.waitFor(
      'note 4, live',
      (f) => f.type === 'conversation.message' && f.message.text === 'note 4',
    );

    const notes = resumed.frames.filter((f) => f.type === 'conversation.message').map((f) => f.message.text);
    expect(notes).toEqual(['note 1', 'note 2', 'note 3', 'note 4']);
    const seqs = resumed.frames.map((f) => f.seq as number);
    expect(seqs.every((s, i) => i === 0 || s >= seqs[i - 1]!)).toBe(true);
    expect(seqs[0]).toBeGreaterThan(seen);
    await resumed.close();

    // Resuming again from the same point gives exactly the same events.
    const again = await openStream(server.url, alex.token, seen);
    await again.waitFor(
      'note 4 again',
      (f) => f.type === 'conversation.message' && f.message.text === 'note 4',
    );
    expect(again.frames.filter((f) => f.type === 'conversation.message').map((f) => f.message.text)).toEqual(
      notes,
    );
    await again.close();
  });

  it('refuses a malformed since with 400 before upgrading', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(
        `${server.url.replace('http', 'ws')}/api/v1/stream?since=abc&access_token=${alex.token}`,
      );
      ws.once('open', () => {
        ws.close();
        resolve(101);
      });
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    });
    expect(status).toBe(400);
  });
});
