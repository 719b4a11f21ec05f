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

  it('tells each stream only what its user may see, and customer typing only to the owner', async () => {
    // Bianca works Billing only: nothing of this Technical conversation is hers to see.
    const bianca = await signIn(server.url, 'agent_bianca');
    const [alexStream, samStream, biancaStream] = await Promise.all([
      openStream(server.url, alex.token),
      openStream(server.url, sam.token),
      openStream(server.url, bianca.token),
    ]);
    expect(
      (
        await sam.call('POST', `/conversations/${conv}/messages`, {
          text: 'audience',
          visibility: 'internal',
        })
      ).status,
    ).toBe(201);
    const note = (f: { type: string; message?: { text?: string } }) =>
      f.type === 'conversation.message' && f.message?.text === 'audience';
    const [toAlex, toSam] = await Promise.all([
      alexStream.waitFor('the note at the owner', note),
      samStream.waitFor('the note at the supervisor', note),
    ]);
    expect(toAlex).toEqual(toSam);

    server.services.conversations.typing({ conversationId: conv, author: 'customer' });
    await alexStream.waitFor('the customer typing', (f) => f.type === 'typing' && f.conversationId === conv);
    // A later event reaches Sam, so anything meant for him before it has arrived too.
    await sam.call('POST', `/conversations/${conv}/messages`, {
      text: 'after typing',
      visibility: 'internal',
    });
    await samStream.waitFor(
      'the later note',
      (f) => f.type === 'conversation.message' && f.message.text === 'after typing',
    );
    expect(samStream.frames.some((f) => f.type === 'typing')).toBe(false);
    // Bianca's stream is live (her own presence reaches it) and heard nothing of the conversation.
    await bianca.call('PUT', '/me/presence', { presence: 'away' });
    await biancaStream.waitFor('her own presence', (f) => f.type === 'presence.changed');
    expect(biancaStream.frames.filter((f) => f.conversationId === conv)).toEqual([]);
    await Promise.all([alexStream, samStream, biancaStream].map((st) => st.close()));
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
