/**
 * An administrator sets the team up over the agent API: lists, adds and changes agents, links a
 * Teams user to one, and is refused by name what would break the contact center. Supervisors may
 * only read; agents may not even read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdministration } from '../../services/administration/index.js';
import { silentLogger } from '../../services/log.js';
import { startLocalEntra, type LocalEntra } from '../support/local-entra.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { call, signIn, type ApiClient, type Json } from './support/clients.js';

let server: TestServer;
let riley: ApiClient;
let sam: ApiClient;
let alex: ApiClient;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  riley = await signIn(server.url, 'admin_riley');
  sam = await signIn(server.url, 'supervisor_sam');
  alex = await signIn(server.url, 'agent_alex');
}, 60_000);
afterAll(() => server.close());

const kim = {
  name: 'Kim Novak',
  email: 'kim.novak@northwindfiber.example',
  queueIds: ['queue_technical'],
  skills: [{ name: 'fiber', proficiency: 6 }],
  capacity: 90,
};

describe('agents, by an administrator', () => {
  it('lets administrators write, supervisors read and agents neither', async () => {
    expect((await riley.call('GET', '/admin/agents')).status).toBe(200);
    const read = await sam.call('GET', '/admin/agents');
    expect(read.status).toBe(200);
    expect((read.body.items as Json[]).map((a) => a.id)).toEqual(
      expect.arrayContaining(['agent_alex', 'supervisor_sam', 'admin_riley']),
    );
    expect(read.body.items[0].teamsConversationRef).toBeUndefined();
    for (const [method, path, body] of [
      ['POST', '/admin/agents', kim],
      ['PUT', '/admin/agents/agent_alex', { capacity: 50 }],
    ] as const) {
      const refused = await sam.call(method, path, body);
      expect(refused.status, `${method} ${path}`).toBe(403);
      expect(refused.body.error.code).toBe('auth.role_required');
    }
    expect((await alex.call('GET', '/admin/agents')).status).toBe(403);
    expect((await alex.call('GET', '/admin/queues')).status).toBe(403);
  });

  it('creates an agent, who can sign in and is a member of their queue at once', async () => {
    const created = await riley.call('POST', '/admin/agents', kim);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...kim, roles: ['agent'], usedUnits: 0, presence: 'offline' });
    const id = created.body.id as string;

    const them = await signIn(server.url, id);
    const me = await them.call('GET', '/me');
    expect(me.body).toMatchObject({ name: 'Kim Novak', capacity: { total: 90, used: 0 } });
    expect(me.body.queues.map((q: Json) => q.id)).toEqual(['queue_technical']);
  });

  it('refuses, naming the problem, what would break the team', async () => {
    const refusals: Array<[string, unknown, number, string, RegExp]> = [
      [
        'unknown queue',
        { ...kim, email: 'a1@x.example', queueIds: ['queue_nope'] },
        400,
        'agent.unknown_queue',
        /queue_nope/,
      ],
      [
        'capacity too large',
        { ...kim, email: 'a2@x.example', capacity: 5000 },
        400,
        'invalid_request',
        /body\.capacity/,
      ],
      [
        'negative capacity',
        { ...kim, email: 'a3@x.example', capacity: -1 },
        400,
        'invalid_request',
        /body\.capacity/,
      ],
      ['no name', { email: 'a4@x.example' }, 400, 'invalid_request', /body\.name/],
      [
        'a field agents do not have',
        { ...kim, email: 'a5@x.example', usedUnits: 0 },
        400,
        'invalid_request',
        /usedUnits/,
      ],
      [
        'a role that does not exist',
        { ...kim, email: 'a6@x.example', roles: ['owner'] },
        400,
        'invalid_request',
        /body\.roles/,
      ],
      [
        'an e-mail already used',
        { ...kim, email: 'alex.rivera@northwindfiber.example' },
        409,
        'agent.duplicate_email',
        /agent_alex/,
      ],
    ];
    const before = (await riley.call('GET', '/admin/agents')).body.items.length;
    for (const [what, body, status, code, message] of refusals) {
      const res = await riley.call('POST', '/admin/agents', body);
      expect(res.status, what).toBe(status);
      expect(res.body.error.code, what).toBe(code);
      expect(res.body.error.message, what).toMatch(message);
    }
    // Nothing half-written.
    expect((await riley.call('GET', '/admin/agents')).body.items).toHaveLength(before);
    const unknown = await riley.call('PUT', '/admin/agents/agent_nobody', { capacity: 10 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('agent.not_found');
  });

  it('links a Teams user to one agent only, and unlinks it', async () => {
    const linked = await riley.call('PUT', '/admin/agents/agent_chen', { aadObjectId: 'oid-chen' });
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ id: 'agent_chen', aadObjectId: 'oid-chen', name: 'Chen Wei' });

    const twice = await riley.call('PUT', '/admin/agents/agent_devi', { aadObjectId: 'oid-chen' });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'agent.duplicate_aad_object_id' });
    expect(twice.body.error.message).toMatch(/agent_chen \(Chen Wei\)/);
    expect((await server.services.repos.agents.get('agent_devi'))?.aadObjectId).toBeUndefined();

    // Sending the agent's own link again is no conflict.
    expect((await riley.call('PUT', '/admin/agents/agent_chen', { aadObjectId: 'oid-chen' })).status).toBe(
      200,
    );
    const unlinked = await riley.call('PUT', '/admin/agents/agent_chen', { aadObjectId: null });
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.aadObjectId).toBeUndefined();
    expect((await server.services.repos.agents.get('agent_chen'))?.aadObjectId).toBeUndefined();
  });

  it('never takes the role away from the last administrator', async () => {
    const alone = await riley.call('PUT', '/admin/agents/admin_riley', { roles: ['agent'] });
    expect(alone.status).toBe(409);
    expect(alone.body.error.code).toBe('agent.last_admin');
    expect(alone.body.error.message).toMatch(/Riley Park is the only administrator/);

    // With a second administrator, the first may step down.
    expect(
      (await riley.call('PUT', '/admin/agents/supervisor_sam', { roles: ['agent', 'supervisor', 'admin'] }))
        .status,
    ).toBe(200);
    const stepped = await riley.call('PUT', '/admin/agents/admin_riley', { roles: ['supervisor'] });
    expect(stepped.status).toBe(200);
    expect(stepped.body.roles).toEqual(['supervisor']);
    // Roles are read at every request: Riley is no administrator any more.
    expect((await riley.call('POST', '/admin/agents', { ...kim, email: 'b@x.example' })).status).toBe(403);
    const back = await sam.call('PUT', '/admin/agents/admin_riley', { roles: ['admin'] });
    expect(back.status).toBe(200);
    expect(
      (await sam.call('PUT', '/admin/agents/supervisor_sam', { roles: ['agent', 'supervisor'] })).status,
    ).toBe(200);
  });
});

describe('two administrators stepping down at once', () => {
  it('leaves one of them an administrator, the other refused', async () => {
    // The service itself, as two instances on one database would run it: over HTTP one process
    // serves the two requests one after the other and the race hides.
    const { repos, router } = server.services;
    const admin = createAdministration({ repos, router, log: silentLogger });
    const actor = { agentId: 'admin_riley', name: 'Riley Park' };
    for (let round = 0; round < 5; round++) {
      await repos.agents.update('supervisor_sam', { roles: ['agent', 'supervisor', 'admin'] });
      const outcomes = await Promise.allSettled([
        admin.agents.update(actor, 'admin_riley', { roles: ['supervisor'] }),
        admin.agents.update(actor, 'supervisor_sam', { roles: ['agent', 'supervisor'] }),
      ]);
      const admins = await repos.agents.find({ role: 'admin' }, { limit: 10 });
      expect(admins.length, `round ${round}`).toBeGreaterThan(0);
      const refused = outcomes.filter((o) => o.status === 'rejected');
      expect(refused.length, `round ${round}`).toBeGreaterThan(0);
      for (const r of refused) expect((r.reason as { code?: string }).code).toBe('agent.last_admin');
      await repos.agents.update('admin_riley', { roles: ['admin'] });
      await repos.agents.update('supervisor_sam', { roles: ['agent', 'supervisor'] });
    }
  });
});

describe('one address and one Teams user per agent', () => {
  it('are one whatever their case, and two creates at once make at most one agent', async () => {
    const upper = await riley.call('POST', '/admin/agents', {
      ...kim,
      name: 'Alex Again',
      email: 'ALEX.RIVERA@NorthwindFiber.example',
    });
    expect(upper).toMatchObject({ status: 409, body: { error: { code: 'agent.duplicate_email' } } });

    const { repos, router } = server.services;
    const admin = createAdministration({ repos, router, log: silentLogger });
    const actor = { agentId: 'admin_riley', name: 'Riley Park' };
    for (let round = 0; round < 4; round++) {
      const email = `twin${round}@northwindfiber.example`;
      const oid = `oid-twin-${round}`;
      const outcomes = await Promise.allSettled([
        admin.agents.create(actor, { ...kim, name: 'Twin A', email, aadObjectId: oid }),
        admin.agents.create(actor, { ...kim, name: 'Twin B', email: email.toUpperCase(), aadObjectId: oid }),
      ]);
      const all = await repos.agents.list({ limit: 1000 });
      expect(
        all.filter((a) => a.email.toLowerCase() === email),
        `round ${round}`,
      ).toHaveLength(outcomes.filter((o) => o.status === 'fulfilled').length);
      expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeLessThanOrEqual(1);
      for (const o of outcomes.filter((x) => x.status === 'rejected'))
        expect(['agent.duplicate_email', 'agent.duplicate_aad_object_id']).toContain(
          (o.reason as { code?: string }).code,
        );
    }
  });
});

describe('a Teams user linked by an administrator', () => {
  const CLIENT_ID = '11111111-2222-3333-4444-666666666666';
  let entra: LocalEntra;
  let teams: TestServer;

  beforeAll(async () => {
    entra = await startLocalEntra(CLIENT_ID);
    teams = await startTestServer({
      env: { AUTH_MODE: 'teams', TAB_SSO_CLIENT_ID: CLIENT_ID },
      app: { identityOverrides: { jwksUrl: entra.jwksUrl, issuersFor: entra.issuersFor } },
    });
    // The first administrator's link is the one thing set outside the API (see the README).
    await teams.services.repos.agents.update('admin_riley', { aadObjectId: 'oid-riley' });
  }, 60_000);
  afterAll(async () => {
    await teams.close();
    await entra.close();
  });

  it('signs in to the tab as that agent', async () => {
    const stranger = await entra.token({ oid: 'oid-bianca' });
    expect((await call(teams.url, 'GET', '/me', stranger)).status).toBe(403);
    const admin = await entra.token({ oid: 'oid-riley' });
    const link = await call(teams.url, 'PUT', '/admin/agents/agent_bianca', admin, {
      aadObjectId: 'oid-bianca',
    });
    expect(link.status).toBe(200);
    const me = await call(teams.url, 'GET', '/me', stranger);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: 'agent_bianca', name: 'Bianca Okafor' });
  });
});
