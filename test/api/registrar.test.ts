import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConflictError, type Agent, type Queue } from '../../services/domain/index.js';
import { defineRoute, mountAgentApi, type ApiRoute } from '../../services/http/api/index.js';
import { createHttpServer } from '../../services/http/server.js';
import { createDevSessions, createIdentity } from '../../services/identity/index.js';
import { silentLogger } from '../../services/log.js';

// The registrar on a real restify server: auth, roles, validation naming the field, error mapping.

const ana = { id: 'agent-ana', name: 'Ana', roles: ['agent'], queueIds: ['q1'] } as unknown as Agent;
const sam = {
  id: 'agent-sam',
  name: 'Sam',
  roles: ['agent', 'supervisor'],
  queueIds: [],
} as unknown as Agent;
const people = [ana, sam];
const now = () => new Date();
const sessions = createDevSessions(new TextEncoder().encode('a-test-secret-of-enough-length!!'), now);
const otherInstall = createDevSessions(new TextEncoder().encode('another-installations-secret!!!!'), now);
const identity = createIdentity({
  mode: 'dev',
  sessions,
  agents: {
    get: async (id) => people.find((p) => p.id === id) ?? null,
    getByAadObjectId: async () => null,
  },
});

const routes: ApiRoute[] = [
  defineRoute({
    method: 'get',
    path: '/whoami',
    summary: 'who',
    response: z.object({ agentId: z.string(), view: z.enum(['mine', 'open']) }),
    query: z.object({ view: z.enum(['mine', 'open']).default('mine') }),
    handler: async ({ caller, query }) => ({ agentId: caller.agentId, view: query.view }),
  }),
  defineRoute({
    method: 'post',
    path: '/things/:id/notes',
    summary: 'note',
    roles: ['agent'],
    params: z.object({ id: z.string().regex(/^t\d+$/) }),
    body: z.object({ text: z.string().min(1) }),
    status: 201,
    response: z.object({ id: z.string(), text: z.string() }),
    handler: async ({ params, body }) => ({ id: params.id, text: body.text }),
  }),
  defineRoute({
    method: 'get',
    path: '/supervisor/only',
    summary: 'sup',
    roles: ['supervisor'],
    response: z.object({ ok: z.boolean() }),
    handler: async () => ({ ok: true }),
  }),
  defineRoute({
    method: 'post',
    path: '/conflict',
    summary: 'conflict',
    response: z.object({ ok: z.boolean() }),
    handler: async () => {
      throw new ConflictError('offer.gone', 'The offer is gone');
    },
  }),
  defineRoute({
    method: 'get',
    path: '/broken',
    summary: 'broken',
    response: z.object({ ok: z.boolean() }),
    handler: async () => ({ ok: 'yes' }) as unknown as { ok: boolean },
  }),
];

let base: string;
const server = createHttpServer({
  log: silentLogger,
  version: 't',
  storeKind: 'embedded',
  webRoot: '/nonexistent',
});

beforeAll(async () => {
  mountAgentApi(server, [routes], {
    identity,
    log: silentLogger,
    version: '1.2.3',
    directory: {
      listAgents: async () => people,
      listQueues: async () => [{ id: 'q1', name: 'Billing' } as Queue],
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function call(
  path: string,
  init: { method?: string; token?: string; body?: unknown; raw?: string } = {},
) {
  const res = await fetch(base + path, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
      ...(init.body !== undefined || init.raw !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads arbitrary JSON answers
    body: text ? (JSON.parse(text) as Record<string, any>) : {},
  };
}

async function signIn(agentId: string): Promise<string> {
  const res = await call('/dev/sign-in', { method: 'POST', body: { agentId } });
  expect(res.status).toBe(200);
  return res.body.token as string;
}

describe('agent API registrar', () => {
  it('lists agents and signs in without a token in dev mode, saying dev mode on every response', async () => {
    const list = await call('/agents');
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toEqual({
      id: 'agent-ana',
      name: 'Ana',
      roles: ['agent'],
      queues: [{ id: 'q1', name: 'Billing' }],
    });
    expect(list.headers.get('x-switchboard-auth')).toBe('dev');
    const token = await signIn('agent-ana');
    const me = await call('/whoami', { token });
    expect(me).toMatchObject({ status: 200, body: { agentId: 'agent-ana', view: 'mine' } });
    expect(me.headers.get('x-switchboard-auth')).toBe('dev');
    expect((await call('/dev/sign-in', { method: 'POST', body: { agentId: 'nobody' } })).status).toBe(404);
  });

  it('answers 401 without a token and with a token this install did not issue', async () => {
    const none = await call('/whoami');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('auth.missing_token');
    const foreign = await call('/whoami', { token: await otherInstall.issue('agent-ana') });
    expect(foreign.status).toBe(401);
    expect(foreign.body.error.code).toBe('auth.invalid_token');
  });

  it('answers 403 naming the role a route needs', async () => {
    const res = await call('/supervisor/only', { token: await signIn('agent-ana') });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/supervisor role/);
    expect((await call('/supervisor/only', { token: await signIn('agent-sam') })).status).toBe(200);
  });

  it('validates params, query and body, naming the field', async () => {
    const token = await signIn('agent-ana');
    const badQuery = await call('/whoami?view=everything', { token });
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.message).toMatch(/^query\.view: /);
    const badParam = await call('/things/x1/notes', { method: 'POST', token, body: { text: 'hi' } });
    expect(badParam.body.error.message).toMatch(/^params\.id: /);
    const badBody = await call('/things/t1/notes', { method: 'POST', token, body: { text: 42 } });
    expect(badBody.status).toBe(400);
    expect(badBody.body.error.message).toMatch(/^body\.text: /);
    const noBody = await call('/things/t1/notes', { method: 'POST', token });
    expect(noBody.body.error.message).toMatch(/^body\.text: /);
    const badJson = await call('/things/t1/notes', { method: 'POST', token, raw: '{"text":' });
    expect(badJson.status).toBe(400);
    const ok = await call('/things/t1/notes', { method: 'POST', token, body: { text: 'hi' } });
    expect(ok).toMatchObject({ status: 201, body: { id: 't1', text: 'hi' } });
  });

  it('maps domain errors once and never leaks a broken response', async () => {
    const token = await signIn('agent-ana');
    const conflict = await call('/conflict', { method: 'POST', token });
    expect(conflict).toMatchObject({ status: 409, body: { error: { code: 'offer.gone' } } });
    const broken = await call('/broken', { token });
    expect(broken.status).toBe(500);
    expect(JSON.stringify(broken.body)).not.toContain('yes');
  });

  it('serves an OpenAPI document listing every mounted route', async () => {
    const doc = await call('/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths).sort()).toEqual(
      [
        '/api/v1/agents',
        '/api/v1/broken',
        '/api/v1/conflict',
        '/api/v1/dev/sign-in',
        '/api/v1/supervisor/only',
        '/api/v1/things/{id}/notes',
        '/api/v1/whoami',
      ].sort(),
    );
    expect(doc.body.paths['/api/v1/things/{id}/notes'].post.parameters[0]).toMatchObject({
      in: 'path',
      name: 'id',
    });
  });
});
