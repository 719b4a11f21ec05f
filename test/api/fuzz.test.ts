import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { call, signIn, type ApiClient } from './support/clients.js';
import { activeConversationWithAlex } from './support/fixtures.js';

// Malformed bodies and queries to every route: only 4xx answers, and the store is unchanged.

let server: TestServer;
let conv: string;
let sam: ApiClient;
let alex: ApiClient;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  conv = await activeConversationWithAlex(server.services, 'dl_fuzz01');
  [sam, alex] = await Promise.all([signIn(server.url, 'supervisor_sam'), signIn(server.url, 'agent_alex')]);
}, 60_000);
afterAll(() => server.close());

async function snapshot() {
  const { repos } = server.services;
  return JSON.stringify({
    events: await repos.events.lastSeq(),
    conversation: await repos.conversations.get(conv),
    messages: (await repos.messages.list(conv)).length,
    agents: (await repos.agents.list({ limit: 100 })).map((a) => [
      a.id,
      a.presence,
      a.sentimentThreshold,
      a.optedOutQueueIds,
      a.version,
    ]),
  });
}

describe('malformed input to every route', () => {
  it('answers 4xx naming the problem and stores nothing', async () => {
    const routes = server.services.apiRoutes;
    const before = await snapshot();
    let tried = 0;
    for (const r of routes) {
      const path = r.path.replace(/:(\w+)/g, (_m, name: string) =>
        name === 'id' ? conv : name === 'queueId' ? 'queue_technical' : 'x',
      );
      const who = r.path.startsWith('/dev/') || r.public ? undefined : r.roles ? sam : alex;
      if (r.body) {
        const schema = r.body;
        await fc.assert(
          fc.asyncProperty(
            fc
              .oneof(fc.jsonValue(), fc.string(), fc.dictionary(fc.string(), fc.jsonValue()))
              .filter((v) => !schema.safeParse(v).success),
            async (body) => {
              tried++;
              const res = await call(
                server.url,
                r.method.toUpperCase(),
                path,
                who?.token,
                undefined,
                JSON.stringify(body),
              );
              expect(res.status, `${r.method} ${r.path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
              expect(res.status, `${r.method} ${r.path} ${JSON.stringify(body)}`).toBeLessThan(500);
              expect(res.body.error.message).toEqual(expect.any(String));
            },
          ),
          { numRuns: 15 },
        );
        // Not JSON at all.
        const broken = await call(
          server.url,
          r.method.toUpperCase(),
          path,
          who?.token,
          undefined,
          '{"text": ',
        );
        expect(broken.status, `${r.method} ${r.path} broken JSON`).toBe(400);
      }
      if (r.query) {
        // Whatever the route's query schema refuses is a 400 naming the query field.
        const q = { view: '\u0000', after: '-1', limit: 'many', cursor: '\u0000', q: 'x'.repeat(5000) };
        if (!r.query.safeParse(q).success) {
          const bad = await call(
            server.url,
            r.method.toUpperCase(),
            `${path}?${new URLSearchParams(q)}`,
            who?.token,
          );
          expect(bad.status, `${r.method} ${r.path} bad query`).toBe(400);
          expect(bad.body.error.message).toMatch(/^query\./);
        }
      }
    }
    expect(tried).toBeGreaterThan(100);
    expect(await snapshot()).toBe(before);
  }, 120_000);
});
