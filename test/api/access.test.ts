import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { call, signIn, type ApiClient } from './support/clients.js';
import { activeConversationWithAlex } from './support/fixtures.js';

// Every agent route over real HTTP, with the denials: someone else's conversation, another queue,
// the wrong role, no token. Each refusal is a 4xx naming what was refused, and changes nothing.

let server: TestServer;
let conv: string;
let alex: ApiClient;
let chen: ApiClient; // Technical support, like Alex: sees the queue, cannot act as its owner
let bianca: ApiClient; // Billing only
let sam: ApiClient; // supervisor of every demo queue
let billingLead: ApiClient; // supervisor of Billing only

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  await server.services.repos.agents.create({
    id: 'supervisor_billing',
    name: 'Bo Billing',
    email: 'bo@example.com',
    roles: ['agent', 'supervisor'],
    queueIds: ['queue_billing'],
  });
  conv = await activeConversationWithAlex(server.services, 'dl_access01');
  alex = await signIn(server.url, 'agent_alex');
  chen = await signIn(server.url, 'agent_chen');
  bianca = await signIn(server.url, 'agent_bianca');
  sam = await signIn(server.url, 'supervisor_sam');
  billingLead = await signIn(server.url, 'supervisor_billing');
}, 60_000);
afterAll(() => server.close());

describe('who may do what with a conversation', () => {
  it('lets the owner read details and transcript, and write publicly and internally', async () => {
    const details = await alex.call('GET', `/conversations/${conv}`);
    expect(details.body).toMatchObject({
      id: conv,
      status: 'active',
      agentId: 'agent_alex',
      queueId: 'queue_technical',
    });
    expect(details.body.firstMessage).toBe('My router keeps dropping the connection');
    expect(details.body.can).toEqual({
      writePublic: true,
      writeInternal: true,
      consult: true,
      transfer: true,
      supervise: false,
    });
    const pub = await alex.call('POST', `/conversations/${conv}/messages`, {
      text: 'Hello Dana',
      visibility: 'public',
    });
    expect(pub).toMatchObject({
      status: 201,
      body: { from: 'agent', visibility: 'public', authorName: 'Alex Rivera' },
    });
    // Too long for a chat message: refused in words, nothing stored.
    const long = await alex.call('POST', `/conversations/${conv}/messages`, {
      text: 'x'.repeat(4001),
      visibility: 'public',
    });
    expect(long).toMatchObject({
      status: 400,
      body: { error: { message: 'body.text: A message may hold at most 4,000 characters (got 4,001)' } },
    });
    const after = await alex.call('GET', `/conversations/${conv}/messages?after=${pub.body.seq - 1}`);
    expect(after.body.items.map((m: { text: string }) => m.text)).toEqual(['Hello Dana']);
    expect((await alex.call('POST', `/conversations/${conv}/typing`)).body).toEqual({ ok: true });
    expect((await alex.call('POST', `/conversations/${conv}/focus`, { focused: true })).body).toEqual({
      ok: true,
      focused: true,
    });
    expect(
      (await alex.call('GET', '/work-items?view=mine')).body.items.map((i: { id: string }) => i.id),
    ).toContain(conv);
  });

  it('refuses an agent of another queue everything about it, naming what was refused', async () => {
    const before = await server.services.repos.events.lastSeq();
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `/conversations/${conv}`],
      ['GET', `/conversations/${conv}/messages`],
      ['POST', `/conversations/${conv}/messages`, { text: 'hi', visibility: 'internal' }],
      ['POST', `/conversations/${conv}/typing`],
      ['POST', `/conversations/${conv}/consult`, { agentId: 'agent_bianca' }],
      ['POST', `/conversations/${conv}/transfer`, { toQueueId: 'queue_billing' }],
      ['POST', `/conversations/${conv}/end`],
      ['POST', `/conversations/${conv}/wrap-up`, { disposition: 'x' }],
      ['POST', `/conversations/${conv}/focus`, { focused: true }],
      ['POST', `/conversations/${conv}/pick`],
      ['POST', `/conversations/${conv}/reopen`],
    ];
    for (const [method, path, body] of attempts) {
      const res = await bianca.call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.message, `${method} ${path}`).toMatch(/^You may not .* this conversation$/);
      expect(res.body.error.details, `${method} ${path}`).toEqual({ conversationId: conv });
    }
    expect(await server.services.repos.events.lastSeq()).toBe(before);
  });

  it("lets a colleague in the queue read it, but not write to the customer, end or transfer Alex's chat", async () => {
    expect((await chen.call('GET', `/conversations/${conv}/messages`)).status).toBe(200);
    expect(Object.values((await chen.call('GET', `/conversations/${conv}`)).body.can)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    for (const [method, path, body] of [
      ['POST', `/conversations/${conv}/messages`, { text: 'hi', visibility: 'public' }],
      ['POST', `/conversations/${conv}/messages`, { text: 'hi', visibility: 'internal' }],
      ['POST', `/conversations/${conv}/end`],
      ['POST', `/conversations/${conv}/transfer`, { toAgentId: 'agent_chen' }],
      ['POST', `/conversations/${conv}/wrap-up`, { disposition: 'x' }],
      ['POST', `/conversations/${conv}/typing`],
    ] as Array<[string, string, unknown?]>) {
      expect((await chen.call(method, path, body)).status, `${method} ${path}`).toBe(403);
    }
    // Supervisor-only routes name the role.
    const monitor = await chen.call('POST', `/conversations/${conv}/monitor`);
    expect(monitor.status).toBe(403);
    expect(monitor.body.error.message).toMatch(/supervisor or admin role/);
    expect((await chen.call('GET', '/supervisor/realtime')).status).toBe(403);
    expect((await chen.call('POST', `/conversations/${conv}/force-close`, {})).status).toBe(403);
  });

  it('lets only supervisors of the queue watch it', async () => {
    expect((await billingLead.call('POST', `/conversations/${conv}/monitor`)).status).toBe(403);
    expect(
      (await billingLead.call('GET', '/supervisor/conversations')).body.items.some(
        (c: { id: string }) => c.id === conv,
      ),
    ).toBe(false);
    const realtime = (await billingLead.call('GET', '/supervisor/realtime')).body.items;
    expect(realtime.map((q: { queueId: string }) => q.queueId)).toEqual(['queue_billing']);

    const watching = await sam.call('POST', `/conversations/${conv}/monitor`);
    expect(watching.status).toBe(200);
    expect(watching.body.participants).toContainEqual(
      expect.objectContaining({ agentId: 'supervisor_sam', mode: 'monitor' }),
    );
    expect(
      (await sam.call('POST', `/conversations/${conv}/messages`, { text: 'psst', visibility: 'public' }))
        .status,
    ).toBe(403);
    // Watching takes nothing away from supervising: notes to the agent, and the supervisor's actions.
    expect(
      (
        await sam.call('POST', `/conversations/${conv}/messages`, {
          text: 'Offer the outage credit',
          visibility: 'internal',
        })
      ).body,
    ).toMatchObject({ from: 'supervisor', visibility: 'internal', authorName: 'Sam Morgan' });
    expect((await sam.call('GET', `/conversations/${conv}`)).body.can).toEqual({
      writePublic: false,
      writeInternal: true,
      consult: true,
      transfer: true,
      supervise: true,
    });
    expect((await sam.call('POST', `/conversations/${conv}/leave`)).body).toEqual({ ok: true });
    expect((await sam.call('POST', `/conversations/${conv}/leave`)).status).toBe(409);
  });

  it("answers 409 for someone else's offer id and for made-up ones", async () => {
    expect((await chen.call('POST', `/offers/${conv}.1/accept`)).status).toBe(409);
    expect((await chen.call('POST', '/offers/nonsense/reject')).status).toBe(409);
    expect((await chen.call('GET', '/offers')).body).toEqual({ items: [] });
  });

  it('refuses every route without a token, except the local sign-in ones', async () => {
    for (const r of server.services.apiRoutes) {
      const path = r.path.replace(/:(\w+)/g, (_m, name: string) => (name === 'id' ? conv : 'x'));
      const res = await call(server.url, r.method.toUpperCase(), path, undefined, r.body ? {} : undefined);
      if (r.public) expect(res.status, `${r.method} ${r.path}`).not.toBe(401);
      else expect(res.status, `${r.method} ${r.path}`).toBe(401);
    }
  });

  it('keeps presence, queue opt-in and alert threshold per agent', async () => {
    const dnd = await chen.call('PUT', '/me/presence', { presence: 'do-not-disturb' });
    expect(dnd.body).toMatchObject({ presence: 'do-not-disturb', presenceLabel: 'Do not disturb' });
    const training = await chen.call('PUT', '/me/presence', { presence: 'in-training' });
    expect(training.body).toMatchObject({ presence: 'away', presenceLabel: 'In training' });
    expect((await chen.call('PUT', '/me/presence', { presence: 'asleep' })).status).toBe(400);
    const presences = (await chen.call('GET', '/presences')).body.items.map((p: { id: string }) => p.id);
    expect(presences).toEqual(expect.arrayContaining(['available', 'do-not-disturb', 'in-training']));
    expect((await chen.call('PUT', '/me/queues/queue_billing', { optedIn: false })).status).toBe(403);
    expect(
      (await chen.call('PUT', '/me/alert-threshold', { threshold: 'very negative' })).body.sentimentThreshold,
    ).toBe('very negative');
    expect((await alex.call('GET', '/me')).body.sentimentThreshold).not.toBe('very negative');
  });

  it('walks the owner through end, wrap-up and reopen within 24 hours', async () => {
    expect((await alex.call('POST', `/conversations/${conv}/wrap-up`, { disposition: 'early' })).status).toBe(
      409,
    );
    expect((await alex.call('POST', `/conversations/${conv}/end`)).body.status).toBe('wrap-up');
    expect(
      (await alex.call('POST', `/conversations/${conv}/wrap-up`, { disposition: 'resolved' })).body.status,
    ).toBe('closed');
    const closed = (await alex.call('GET', '/work-items?view=closed')).body.items;
    expect(closed.map((i: { id: string }) => i.id)).toContain(conv);
    const reopened = await alex.call('POST', `/conversations/${conv}/reopen`);
    expect(reopened.body).toMatchObject({ id: conv, status: 'active' });
    expect(
      (await sam.call('POST', `/conversations/${conv}/force-close`, { reason: 'test over' })).body.status,
    ).toBe('closed');
    // The agent reads who closed it and why, in the conversation; the customer does not.
    const lines = (await alex.call('GET', `/conversations/${conv}/messages`)).body.items as Array<{
      from: string;
      visibility: string;
      text: string;
    }>;
    expect(lines.filter((m) => m.from === 'system')).toContainEqual(
      expect.objectContaining({
        visibility: 'internal',
        text: 'Sam Morgan closed the conversation: test over.',
      }),
    );
  });
});
