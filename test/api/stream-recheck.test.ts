import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortSession } from '../support/dev-session.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { call, signIn, until, type Json } from './support/clients.js';
import { activeConversationWithAlex } from './support/fixtures.js';
import { streamSocket } from './support/stream-socket.js';

// The review found the live stream never checked again who was listening: it went on after the
// token expired, and with the roles and queues read when it opened (a supervisor taken off a queue
// still got its internal notes and customer messages while REST said 403).

let s: TestServer;
let conv: string;
beforeAll(async () => {
  s = await startTestServer({ app: { apiLimits: { viewerRecheckMs: 100 } } });
  conv = await activeConversationWithAlex(s.services, 'dl_recheck01');
}, 60_000);
afterAll(() => s?.close());

const texts = (frames: Json[]) =>
  frames.filter((f) => f.type === 'conversation.message').map((f) => f.message.text as string);

describe('the live stream checks again who is listening', () => {
  it('closes with 4001 when its token expires, and tells nothing after', async () => {
    const token = await shortSession(s, 'agent_alex', 3);
    const stream = await streamSocket(s.url, token);
    expect(stream.status).toBe(101);
    const code = await until('the stream closed', () => stream.closeCode(), 10_000);
    expect(code).toBe(4001);
    expect((await call(s.url, 'GET', '/me', token)).status).toBe(401);
  });

  it('hears a queue no more once its supervisor was taken off it', async () => {
    const tech = await s.services.repos.agents.create({
      name: 'Tech Sup',
      email: 'tech.sup@example.com',
      roles: ['agent', 'supervisor'],
      queueIds: ['queue_technical'],
    });
    const alex = await signIn(s.url, 'agent_alex');
    const bianca = await signIn(s.url, 'agent_bianca');
    const sup = await signIn(s.url, tech.id);
    const stream = await streamSocket(s.url, sup.token);
    await alex.call('POST', `/conversations/${conv}/messages`, {
      text: 'before the move',
      visibility: 'internal',
    });
    await until('the note reached the supervisor', () => texts(stream.frames).includes('before the move'));

    // Moved from Technical support to Billing, outside the API (an administrator, a script).
    await s.services.repos.agents.update(tech.id, { queueIds: ['queue_billing'] });
    expect((await sup.call('GET', `/conversations/${conv}/messages`)).status).toBe(403);
    // Bianca works in Billing only: once her presence reaches the stream, it hears as a Billing supervisor.
    let flips = 0;
    await until('the stream follows the move', async () => {
      if (flips++ % 10 === 0)
        await bianca.call('PUT', '/me/presence', { presence: flips % 20 === 1 ? 'away' : 'busy' });
      return stream.frames.some((f) => f.type === 'presence.changed' && f.agentId === 'agent_bianca');
    });

    await alex.call('POST', `/conversations/${conv}/messages`, {
      text: 'after the move',
      visibility: 'internal',
    });
    await s.services.conversations.addCustomerMessage(conv, { text: 'customer after the move' });
    // Events reach a stream in log order: once a later one is there, the notes were decided on.
    const seen = stream.frames.length;
    await bianca.call('PUT', '/me/presence', { presence: 'available' });
    await until('a later event', () =>
      stream.frames.slice(seen).some((f) => f.type === 'presence.changed' && f.agentId === 'agent_bianca'),
    );
    expect(texts(stream.frames)).toEqual(['before the move']);
    await stream.close();
  });

  it('closes the streams of a user who was removed', async () => {
    const temp = await s.services.repos.agents.create({ name: 'Temp', email: 'temp@example.com' });
    const who = await signIn(s.url, temp.id);
    const stream = await streamSocket(s.url, who.token);
    expect(stream.status).toBe(101);
    await s.services.repos.agents.remove(temp.id);
    expect(await until('the stream closed', () => stream.closeCode())).toBe(4003);
  });
});
