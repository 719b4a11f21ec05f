/**
 * Routing takes an administrator's change at once, not at its next sweep (switched off here, so only
 * the change itself can move a waiting customer): more capacity, a new member of a queue, a new queue
 * and work stream reference. Over real HTTP; the customers escalate as the widget's would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServices } from '../../services/app.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiClient, type Json } from './support/clients.js';
import { activeConversationWithAlex } from './support/fixtures.js';

let server: TestServer;
let riley: ApiClient;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' }, app: { routingSweepMs: 0 } });
  riley = await signIn(server.url, 'admin_riley');
}, 60_000);
afterAll(() => server.close());

/** A customer asking for technical support (Wi-Fi), left waiting if nobody has room. */
async function waitingCustomer(services: AppServices, userId: string): Promise<string> {
  const { conversations, repos } = services;
  const { conversation } = await conversations.start({
    channel: 'webchat',
    channelUserId: userId,
    userName: 'Dana',
    channelRef: {},
  });
  await conversations.recordPreChat(conversation.id, { name: 'Dana Whitfield', topic: 'Wi-Fi & equipment' });
  await conversations.escalate(conversation.id, 'asked for an agent');
  await expect.poll(async () => (await repos.conversations.get(conversation.id))?.status).toBe('waiting');
  return conversation.id;
}

const offeredTo = async (services: AppServices, id: string) => {
  const c = await services.repos.conversations.get(id);
  return c?.status === 'offered' ? c.agentId : c?.status;
};

describe('routing after an administrator’s change', () => {
  it('offers a waiting customer to an agent whose capacity was raised', async () => {
    // Web chat costs 30 units: at 60, Alex has room for two.
    expect((await riley.call('PUT', '/admin/agents/agent_alex', { capacity: 60 })).status).toBe(200);
    await activeConversationWithAlex(server.services, 'dl_admin_01');
    await activeConversationWithAlex(server.services, 'dl_admin_02');
    const third = await waitingCustomer(server.services, 'dl_admin_03');
    expect(await offeredTo(server.services, third)).toBe('waiting');

    const raised = await riley.call('PUT', '/admin/agents/agent_alex', { capacity: 100 });
    expect(raised.status).toBe(200);
    expect(raised.body.capacity).toBe(100);
    await expect.poll(() => offeredTo(server.services, third)).toBe('agent_alex');
    await server.services.router.accept(third, 'agent_alex');
  });

  it('offers a waiting customer to an agent just added to the queue', async () => {
    // Alex is full again (90 of 100 units); Kim is available but serves no queue yet.
    const waiting = await waitingCustomer(server.services, 'dl_admin_04');
    const created = await riley.call('POST', '/admin/agents', {
      name: 'Kim Novak',
      email: 'kim.novak@northwindfiber.example',
      skills: [{ name: 'wifi', proficiency: 8 }],
    });
    expect(created.status).toBe(201);
    const kim = await signIn(server.url, created.body.id as string);
    expect((await kim.call('PUT', '/me/presence', { presence: 'available' })).status).toBe(200);
    expect(await offeredTo(server.services, waiting)).toBe('waiting');

    const joined = await riley.call('PUT', `/admin/agents/${kim.agentId}`, { queueIds: ['queue_technical'] });
    expect(joined.status).toBe(200);
    await expect.poll(() => offeredTo(server.services, waiting)).toBe(kim.agentId);
    const offers = (await kim.call('GET', '/offers')).body.items as Json[];
    expect(offers.map((o) => o.conversationId)).toEqual([waiting]);
  });

  it('routes to a new queue that a work stream rule now names', async () => {
    const sam = await signIn(server.url, 'supervisor_sam');
    const queue = { name: 'Fiber installs', workstreamIds: ['ws_webchat'], priority: 7 };
    const refusals: Array<[string, string, unknown, number, string, RegExp]> = [
      ['supervisor', 'sam', queue, 403, 'auth.role_required', /admin/],
      [
        'unknown work stream',
        'riley',
        { ...queue, workstreamIds: ['ws_fax'] },
        400,
        'queue.unknown_workstream',
        /ws_fax/,
      ],
      [
        'overflow to an unknown queue',
        'riley',
        {
          ...queue,
          overflow: [{ when: 'size', limit: 5, action: { type: 'transfer', queueId: 'queue_nope' } }],
        },
        400,
        'queue.unknown_queue',
        /queue_nope/,
      ],
      [
        'bad hours',
        'riley',
        {
          ...queue,
          operatingHours: {
            timeZone: 'UTC',
            weekly: [{ day: 9, open: '09:00', close: '17:00' }],
            holidays: [],
          },
        },
        400,
        'invalid_request',
        /body\.operatingHours\.weekly\.0\.day/,
      ],
    ];
    for (const [what, who, body, status, code, message] of refusals) {
      const res = await (who === 'sam' ? sam : riley).call('POST', '/admin/queues', body);
      expect(res.status, what).toBe(status);
      expect(res.body.error.code, what).toBe(code);
      expect(res.body.error.message, what).toMatch(message);
    }
    const created = await riley.call('POST', '/admin/queues', queue);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...queue, assignmentMethod: 'highest-capacity', overflow: [] });
    const queueId = created.body.id as string;
    expect(((await sam.call('GET', '/admin/queues')).body.items as Json[]).map((q) => q.id)).toContain(
      queueId,
    );

    const lee = await riley.call('POST', '/admin/agents', {
      name: 'Lee Sato',
      email: 'lee.sato@northwindfiber.example',
      queueIds: [queueId],
    });
    const leeClient = await signIn(server.url, lee.body.id as string);
    expect((await leeClient.call('PUT', '/me/presence', { presence: 'available' })).status).toBe(200);

    const streams = (await riley.call('GET', '/admin/workstreams')).body.items as Json[];
    const web = streams.find((w) => w.id === 'ws_webchat');
    const unknownTarget = await riley.call('PUT', '/admin/workstreams/ws_webchat', {
      rules: [
        ...web.rules,
        { id: 'web_other', name: 'Other', order: 60, conditions: [], queueId: 'queue_nope', skills: [] },
      ],
    });
    expect(unknownTarget.status).toBe(400);
    expect(unknownTarget.body.error.code).toBe('workstream.unknown_queue');
    const rule = {
      id: 'web_other',
      name: 'Other → Fiber installs',
      order: 60,
      conditions: [{ field: 'prechat.topic', op: 'eq', value: 'Other' }],
      queueId,
      skills: [],
    };
    const changed = await riley.call('PUT', '/admin/workstreams/ws_webchat', { rules: [...web.rules, rule] });
    expect(changed.status).toBe(200);
    expect(changed.body.rules.at(-1)).toMatchObject(rule);
    expect(changed.body.capacityCost).toBe(web.capacityCost);

    const { conversation } = await server.services.conversations.start({
      channel: 'webchat',
      channelUserId: 'dl_admin_05',
      userName: 'Ola',
      channelRef: {},
    });
    await server.services.conversations.recordPreChat(conversation.id, { name: 'Ola Berg', topic: 'Other' });
    await server.services.conversations.escalate(conversation.id, 'asked for an agent');
    await expect.poll(() => offeredTo(server.services, conversation.id)).toBe(lee.body.id);
    expect((await server.services.repos.conversations.get(conversation.id))?.queueId).toBe(queueId);

    // Hours set, then taken away again (null): the queue is open at all hours.
    const hours = { timeZone: 'UTC', weekly: [{ day: 1, open: '09:00', close: '17:00' }], holidays: [] };
    expect(
      (await riley.call('PUT', `/admin/queues/${queueId}`, { operatingHours: hours })).body.operatingHours,
    ).toEqual(hours);
    const open = await riley.call('PUT', `/admin/queues/${queueId}`, { operatingHours: null });
    expect(open.status).toBe(200);
    expect(open.body.operatingHours).toBeUndefined();
  });
});
