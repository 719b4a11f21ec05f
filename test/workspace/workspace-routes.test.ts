import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { workspaceRoutes } from '../../services/http/api/workspace-routes.js';
import type { ApiRoute, Caller } from '../../services/http/api/route-definition.js';
import { DEMO_IDS } from '../../services/demo/index.js';
import { aConversation, customerSays, demoWorld, type World } from './world.js';

// The route definitions themselves: every answer a handler gives passes the response schema the
// OpenAPI document is generated from, and malformed input is refused by the input schemas before
// a handler could see it.

let w: World;
let routes: ApiRoute[];
let conversationId: string;
const caller: Caller = { agentId: DEMO_IDS.agents.alex, name: 'Alex Rivera', roles: ['agent'] };

beforeAll(async () => {
  w = await demoWorld();
  routes = workspaceRoutes(w.workspace);
  const c = await aConversation(w);
  conversationId = c.id;
  await customerSays(w, c.id, 'My router light is blinking red and the internet is down.');
});

afterAll(async () => {
  await w.close();
});

function find(method: ApiRoute['method'], path: string): ApiRoute {
  const r = routes.find((x) => x.method === method && x.path === path);
  if (!r) throw new Error(`no route ${method} ${path}`);
  return r;
}

async function call(
  method: ApiRoute['method'],
  path: string,
  input: { params?: unknown; query?: unknown; body?: unknown } = {},
): Promise<unknown> {
  const r = find(method, path);
  const parse = (schema: z.ZodType | undefined, value: unknown) =>
    schema ? schema.parse(value ?? {}) : undefined;
  const result = await r.handler({
    caller,
    params: parse(r.params, input.params),
    query: parse(r.query, input.query),
    headers: parse(r.headers, {}),
    body: parse(r.body, input.body),
  });
  const checked = r.response.safeParse(result);
  expect(checked.success, `${method} ${path}: ${checked.error?.message ?? ''}`).toBe(true);
  // What the registrar sends is JSON: the answer must survive the round trip unchanged.
  expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  return result;
}

describe('workspace routes', () => {
  it('lists each route of the workspace once', () => {
    const keys = routes.map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(
      expect.arrayContaining([
        'GET /conversations/:id/quick-replies',
        'GET /conversations/:id/notes',
        'POST /conversations/:id/notes',
        'POST /customers/:id/notes',
        'GET /customers/:id/timeline',
        'GET /conversations/:id/customer',
        'POST /conversations/:id/case',
        'GET /cases/:id',
        'PUT /cases/:id',
        'POST /cases/:id/resolve',
        'POST /cases/:id/cancel',
        'POST /cases/:id/reactivate',
        'GET /cases/:id/summary',
        'GET /knowledge/search',
        'GET /knowledge/:id',
        'POST /conversations/:id/knowledge/:articleId/send',
        'GET /conversations/:id/script',
        'POST /conversations/:id/script/steps/:stepId/done',
        'DELETE /conversations/:id/script/steps/:stepId/done',
        'POST /conversations/:id/macros/:macroId/run',
        'GET /conversations/:id/assist',
        'GET /conversations/:id/summary',
        'GET /people',
        'GET /queues',
      ]),
    );
    expect(keys).toHaveLength(24);
  });

  it('answers every route in the shape its response schema documents', async () => {
    const id = conversationId;
    const customerId = DEMO_IDS.customers.dana;
    await call('get', '/conversations/:id/quick-replies', { params: { id }, query: { q: 'greeting' } });
    await call('post', '/conversations/:id/notes', { params: { id }, body: { text: 'Checked the map.' } });
    await call('get', '/conversations/:id/notes', { params: { id } });
    await call('post', '/customers/:id/notes', { params: { id: customerId }, body: { text: 'VIP' } });
    await call('get', '/customers/:id/timeline', { params: { id: customerId }, query: { limit: '2' } });
    const linked = (await call('post', '/conversations/:id/case', {
      params: { id },
      body: { title: 'Down' },
    })) as {
      id: string;
    };
    await call('post', '/conversations/:id/case', { params: { id }, body: { caseId: linked.id } });
    await call('get', '/conversations/:id/customer', { params: { id } });
    await call('get', '/cases/:id', { params: { id: linked.id } });
    await call('get', '/cases/:id/summary', { params: { id: linked.id } });
    await call('put', '/cases/:id', { params: { id: linked.id }, body: { priority: 'high' } });
    await call('post', '/cases/:id/resolve', { params: { id: linked.id }, body: { resolution: 'Fixed' } });
    await call('post', '/cases/:id/reactivate', { params: { id: linked.id } });
    await call('post', '/cases/:id/cancel', { params: { id: linked.id }, body: { reason: 'Twice' } });
    await call('get', '/knowledge/search', { query: { q: 'router red light', limit: '3' } });
    await call('get', '/knowledge/:id', { params: { id: 'kb_outage_check' } });
    await call('post', '/conversations/:id/knowledge/:articleId/send', {
      params: { id, articleId: 'kb_outage_check' },
    });
    await call('get', '/conversations/:id/script', { params: { id } });
    await call('post', '/conversations/:id/script/steps/:stepId/done', { params: { id, stepId: 'o1' } });
    await call('post', '/conversations/:id/macros/:macroId/run', {
      params: { id, macroId: DEMO_IDS.macros.equipmentReturn },
    });
    await call('get', '/conversations/:id/assist', { params: { id } });
    await call('get', '/conversations/:id/summary', { params: { id } });
    await call('get', '/people', { query: { role: 'supervisor' } });
    await call('get', '/queues');
  });

  it.each([
    ['post', '/conversations/:id/notes', {}],
    ['post', '/conversations/:id/notes', { text: '   ' }],
    ['post', '/conversations/:id/notes', { text: 42 }],
    ['post', '/conversations/:id/notes', { text: 'x'.repeat(4001) }],
    ['post', '/conversations/:id/notes', { text: 'ok', extra: true }],
    ['post', '/customers/:id/notes', null],
    ['post', '/conversations/:id/case', {}],
    ['post', '/conversations/:id/case', { caseId: 'case_demo_01', title: 'both' }],
    ['post', '/conversations/:id/case', { title: 'x', priority: 'whenever' }],
    ['post', '/conversations/:id/case', { title: '' }],
    ['put', '/cases/:id', {}],
    ['put', '/cases/:id', { status: 'resolved' }],
    ['put', '/cases/:id', { title: '\u0007' }],
    ['post', '/cases/:id/resolve', {}],
    ['post', '/cases/:id/resolve', { resolution: '  ' }],
    ['post', '/cases/:id/cancel', { reason: '\u200b' }],
  ] as const)('refuses the malformed body of %s %s: %j', (method, path, body) => {
    const r = find(method, path);
    expect(r.body?.safeParse(body).success).toBe(false);
  });

  it.each([
    ['get', '/knowledge/search', {}],
    ['get', '/knowledge/search', { q: '   ' }],
    ['get', '/knowledge/search', { q: 'router', limit: 'many' }],
    ['get', '/customers/:id/timeline', { limit: '0' }],
    ['get', '/people', { role: 'boss' }],
  ] as const)('refuses the malformed query of %s %s: %j', (method, path, query) => {
    expect(find(method, path).query?.safeParse(query).success).toBe(false);
  });
});
