import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../services/demo/index.js';
import { systemDeps, type Conversation } from '../../services/domain/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { aConversation, customerSays } from '../workspace/world.js';

// The workspace routes of the agent API over real HTTP on the real app (dev sign-in, embedded store,
// demo company): each answers the agent it should, refuses the others with a 403 naming what was
// refused, and refuses malformed input with a 4xx that leaves the store as it was.

let s: TestServer;
const tokens = new Map<string, string>();
const ALEX = DEMO_IDS.agents.alex; // technical + sales/moving
const CHEN = DEMO_IDS.agents.chen; // technical: a colleague in the queue, not holding the conversation
const BIANCA = DEMO_IDS.agents.bianca; // billing only: another queue
const SAM = DEMO_IDS.supervisors.sam; // supervisor of every demo queue

interface Answer {
  status: number;
  body: Record<string, unknown> & {
    items?: Array<Record<string, unknown>>;
    error?: { code: string; message: string; details?: Record<string, unknown> };
  };
}

async function signIn(agentId: string): Promise<string> {
  const res = await fetch(`${s.url}/api/v1/dev/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ agentId }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

async function api(
  as: string | null,
  method: string,
  path: string,
  body?: unknown,
  rawBody?: string,
): Promise<Answer> {
  const res = await fetch(`${s.url}/api/v1${path}`, {
    method,
    headers: {
      ...(as ? { authorization: `Bearer ${tokens.get(as)}` } : {}),
      ...(body !== undefined || rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: rawBody ?? (body !== undefined ? JSON.stringify(body) : undefined),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Answer['body']) : {} };
}

/** `about`: the id the refusal is about, named in its details (its message says it in words). */
function expectRefused(a: Answer, status: number, about?: string): void {
  expect(a.status, JSON.stringify(a.body)).toBe(status);
  expect(a.body.error?.code).toEqual(expect.any(String));
  if (about) {
    expect(Object.values(a.body.error?.details ?? {})).toContain(about);
    expect(a.body.error?.message).not.toContain(about);
  }
}

/** Everything the workspace writes, to prove a refused request changed nothing. */
async function storeSnapshot() {
  const { repos } = s.services;
  return {
    notes: await repos.store.collection('notes').count({}),
    cases: JSON.stringify(await repos.cases.list({ limit: 1000 })),
    messages: await repos.store.collection('messages').count({}),
    progress: JSON.stringify(await repos.store.collection('script_progress').find({})),
    conversations: JSON.stringify(await repos.store.collection('conversations').find({})),
  };
}

async function activeConversation(): Promise<Conversation> {
  const c = await aConversation({ repos: s.services.repos, deps: systemDeps });
  await customerSays(
    s.services,
    c.id,
    'My internet is down and the router light is blinking red since the storm.',
  );
  return c;
}

beforeAll(async () => {
  s = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  for (const id of [ALEX, CHEN, BIANCA, SAM]) tokens.set(id, await signIn(id));
});

afterAll(async () => {
  await s?.close();
});

describe('workspace API', () => {
  it('needs a token', async () => {
    expectRefused(await api(null, 'GET', '/queues'), 401);
    expectRefused(await api(null, 'GET', '/knowledge/search?q=router'), 401);
  });

  it('fills quick replies for the agent, and refuses an agent of another queue', async () => {
    const c = await activeConversation();
    const ok = await api(ALEX, 'GET', `/conversations/${c.id}/quick-replies?q=greeting`);
    expect(ok.status).toBe(200);
    expect(ok.body.items?.[0]).toMatchObject({
      id: 'qr_greeting',
      filled: expect.stringMatching(/^Hi Dana Whitfield, this is Alex Rivera/),
      unfilled: [],
    });
    expectRefused(await api(BIANCA, 'GET', `/conversations/${c.id}/quick-replies`), 403, c.id);
    expectRefused(await api(ALEX, 'GET', '/conversations/conv_nope/quick-replies'), 404);
  });

  it('keeps notes for those working the conversation', async () => {
    const c = await activeConversation();
    const added = await api(ALEX, 'POST', `/conversations/${c.id}/notes`, { text: 'Storm damage likely.' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ text: 'Storm damage likely.', authorName: 'Alex Rivera' });
    const listed = await api(CHEN, 'GET', `/conversations/${c.id}/notes`);
    expect(listed.body.items?.map((n) => n.text)).toEqual(['Storm damage likely.']);

    const before = await storeSnapshot();
    expectRefused(await api(CHEN, 'POST', `/conversations/${c.id}/notes`, { text: 'mine?' }), 403, c.id);
    expectRefused(await api(BIANCA, 'GET', `/conversations/${c.id}/notes`), 403, c.id);
    expect(await storeSnapshot()).toEqual(before);
  });

  it('takes quick notes on a customer and shows them on the timeline, newest first', async () => {
    const c = await activeConversation();
    const customer = c.customerId;
    const note = await api(ALEX, 'POST', `/customers/${customer}/notes`, { text: 'Prefers a call back.' });
    expect(note.status).toBe(201);
    const page = await api(ALEX, 'GET', `/customers/${customer}/timeline?limit=1`);
    expect(page.status).toBe(200);
    expect(page.body.items).toEqual([
      expect.objectContaining({ kind: 'note', title: 'Prefers a call back.' }),
    ]);
    const next = await api(
      ALEX,
      'GET',
      `/customers/${customer}/timeline?before=${page.body.nextCursor as string}`,
    );
    expect(next.body.items?.map((i) => i.kind)).toEqual(expect.arrayContaining(['conversation', 'case']));

    const before = await storeSnapshot();
    expectRefused(await api(BIANCA, 'POST', `/customers/${customer}/notes`, { text: 'x' }), 403, customer);
    expectRefused(await api(BIANCA, 'GET', `/customers/${customer}/timeline`), 403, customer);
    expectRefused(await api(ALEX, 'GET', `/customers/${customer}/timeline?before=soon`), 400);
    expectRefused(await api(ALEX, 'GET', `/customers/${customer}/timeline?limit=0`), 400);
    expect(await storeSnapshot()).toEqual(before);
  });

  it('shows the customer summary page to those who may read the conversation', async () => {
    const c = await activeConversation();
    const page = await api(CHEN, 'GET', `/conversations/${c.id}/customer`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({
      customer: { id: c.customerId, name: 'Dana Whitfield' },
      conversation: { id: c.id, channel: 'webchat', queueName: 'Technical support', waitingSeconds: 120 },
      preChat: expect.arrayContaining([
        { id: 'topic', question: 'What can we help you with?', answer: 'Internet outage' },
      ]),
      additionalContext: [{ key: 'plan', value: 'Fiber 500' }],
    });
    expectRefused(await api(BIANCA, 'GET', `/conversations/${c.id}/customer`), 403, c.id);
  });

  it('opens or links a case, and reads cases and their summaries', async () => {
    const c = await activeConversation();
    const opened = await api(ALEX, 'POST', `/conversations/${c.id}/case`, {
      title: 'No internet',
      priority: 'high',
    });
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ title: 'No internet', priority: 'high', conversationIds: [c.id] });
    const caseId = opened.body.id as string;
    expect((await s.services.repos.conversations.get(c.id))?.caseId).toBe(caseId);

    const linked = await api(ALEX, 'POST', `/conversations/${c.id}/case`, { caseId: 'case_demo_02' });
    expect(linked.status).toBe(200);
    expect((await s.services.repos.conversations.get(c.id))?.caseId).toBe('case_demo_02');

    expect((await api(CHEN, 'GET', `/cases/${caseId}`)).body).toMatchObject({
      id: caseId,
      customerName: 'Dana Whitfield',
    });
    const summary = await api(ALEX, 'GET', `/cases/${caseId}/summary`);
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({
      caseId,
      title: 'No internet',
      text: expect.stringContaining(opened.body.number as string),
    });

    const before = await storeSnapshot();
    expectRefused(await api(CHEN, 'POST', `/conversations/${c.id}/case`, { title: 'Mine' }), 403, c.id);
    expectRefused(await api(ALEX, 'POST', `/conversations/${c.id}/case`, { caseId: 'case_demo_03' }), 400);
    expectRefused(await api(ALEX, 'POST', `/conversations/${c.id}/case`, { caseId: 'case_nope' }), 404);
    expectRefused(await api(BIANCA, 'GET', `/cases/${caseId}`), 403, caseId);
    expectRefused(await api(BIANCA, 'GET', `/cases/${caseId}/summary`), 403, caseId);
    expectRefused(await api(ALEX, 'GET', '/cases/case_nope'), 404);
    expect(await storeSnapshot()).toEqual(before);
  });

  it('searches knowledge and sends an article link to the customer as the agent', async () => {
    const found = await api(BIANCA, 'GET', '/knowledge/search?q=router%20blinking%20red&limit=3');
    expect(found.status).toBe(200);
    const top = found.body.items?.[0] as { id: string; url: string; title: string };
    expect(top.title).toContain('Router lights');
    expect(top.url).toMatch(new RegExp(`^https?://[^/]+/kb/${top.id}$`));
    expect((await api(BIANCA, 'GET', `/knowledge/${top.id}`)).body).toMatchObject({
      id: top.id,
      url: top.url,
    });
    expectRefused(await api(ALEX, 'GET', '/knowledge/kb_nope'), 404);

    const c = await activeConversation();
    const sent = await api(ALEX, 'POST', `/conversations/${c.id}/knowledge/${top.id}/send`);
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ from: 'agent', authorName: 'Alex Rivera', visibility: 'public' });
    expect(sent.body.text).toContain(top.url);
    const stored = await s.services.repos.messages.list(c.id);
    expect(stored.at(-1)).toMatchObject({ id: sent.body.id, author: 'agent', visibility: 'public' });

    const before = await storeSnapshot();
    expectRefused(await api(SAM, 'POST', `/conversations/${c.id}/knowledge/${top.id}/send`), 403, c.id);
    expectRefused(await api(CHEN, 'POST', `/conversations/${c.id}/knowledge/${top.id}/send`), 403, c.id);
    expectRefused(await api(ALEX, 'POST', `/conversations/${c.id}/knowledge/kb_nope/send`), 404);
    expect(await storeSnapshot()).toEqual(before);
  });

  it('walks the agent script, nested scripts included', async () => {
    const c = await activeConversation();
    const script = await api(ALEX, 'GET', `/conversations/${c.id}/script`);
    expect(script.status).toBe(200);
    expect(script.body).toMatchObject({
      script: { id: DEMO_IDS.scripts.outage },
      mainScriptId: DEMO_IDS.scripts.outage,
    });
    const done = await api(ALEX, 'POST', `/conversations/${c.id}/script/steps/o1/done`);
    expect(done.status).toBe(200);
    const steps = (done.body.script as { steps: Array<{ id: string; done: boolean }> }).steps;
    expect(steps.find((st) => st.id === 'o1')?.done).toBe(true);
    // Unticked (a tick by mistake), then ticked again: done again, named for who ticked it last.
    const undone = await api(ALEX, 'DELETE', `/conversations/${c.id}/script/steps/o1/done`);
    expect(undone.status).toBe(200);
    const after = (undone.body.script as { steps: Array<{ id: string; done: boolean }> }).steps;
    expect(after.find((st) => st.id === 'o1')).toMatchObject({ done: false });
    expect(after.find((st) => st.id === 'o1')).not.toHaveProperty('doneBy');
    expect((await api(ALEX, 'DELETE', `/conversations/${c.id}/script/steps/o1/done`)).status).toBe(200);
    const again = await api(ALEX, 'POST', `/conversations/${c.id}/script/steps/o1/done`);
    expect((again.body.script as { steps: Array<Record<string, unknown>> }).steps[0]).toMatchObject({
      id: 'o1',
      done: true,
      doneBy: 'agent_alex',
    });
    const nested = await api(
      ALEX,
      'GET',
      `/conversations/${c.id}/script?scriptId=${DEMO_IDS.scripts.billing}`,
    );
    expect(nested.body).toMatchObject({ script: { id: DEMO_IDS.scripts.billing } });

    const before = await storeSnapshot();
    expectRefused(await api(ALEX, 'POST', `/conversations/${c.id}/script/steps/nope/done`), 404);
    expectRefused(await api(CHEN, 'POST', `/conversations/${c.id}/script/steps/o3/done`), 403, c.id);
    expectRefused(await api(CHEN, 'DELETE', `/conversations/${c.id}/script/steps/o1/done`), 403, c.id);
    expectRefused(await api(BIANCA, 'GET', `/conversations/${c.id}/script`), 403, c.id);
    expectRefused(await api(ALEX, 'GET', `/conversations/${c.id}/script?scriptId=script_nope`), 404);
    expect(await storeSnapshot()).toEqual(before);
  });

  it('runs a macro, each action reporting what it did', async () => {
    const c = await activeConversation();
    const ran = await api(ALEX, 'POST', `/conversations/${c.id}/macros/${DEMO_IDS.macros.logOutage}/run`);
    expect(ran.status).toBe(200);
    const results = ran.body.results as Array<{ action: string; outcome: string; case?: { number: string } }>;
    expect(results.map((r) => [r.action, r.outcome])).toEqual([
      ['create-case', 'done'],
      ['open-kb-search', 'done'],
      ['send-quick-reply', 'done'],
    ]);
    const said = await s.services.repos.messages.list(c.id);
    expect(said.at(-1)?.text).toContain(results[0]?.case?.number as string);

    const before = await storeSnapshot();
    expectRefused(
      await api(CHEN, 'POST', `/conversations/${c.id}/macros/${DEMO_IDS.macros.logOutage}/run`),
      403,
      c.id,
    );
    expectRefused(await api(ALEX, 'POST', `/conversations/${c.id}/macros/macro_nope/run`), 404);
    expect(await storeSnapshot()).toEqual(before);
  });

  it('suggests articles and similar cases with why, and summarizes', async () => {
    const c = await activeConversation();
    const assist = await api(ALEX, 'GET', `/conversations/${c.id}/assist`);
    expect(assist.status).toBe(200);
    expect(assist.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'article', reason: expect.stringMatching(/^matched: /) }),
        expect.objectContaining({ kind: 'case', reason: expect.stringMatching(/^matched: /) }),
      ]),
    );
    const summary = await api(SAM, 'GET', `/conversations/${c.id}/summary`);
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({
      customer: { name: 'Dana Whitfield' },
      conversation: { text: expect.stringContaining('Issue:') },
      sentiment: { level: expect.any(String) },
    });
    expectRefused(await api(BIANCA, 'GET', `/conversations/${c.id}/assist`), 403, c.id);
    expectRefused(await api(BIANCA, 'GET', `/conversations/${c.id}/summary`), 403, c.id);
  });

  it('lists people and queues for consult and transfer', async () => {
    const people = await api(ALEX, 'GET', '/people?role=supervisor');
    expect(people.status).toBe(200);
    expect(people.body.items?.map((p) => p.id)).toEqual([SAM]);
    expect(people.body.items?.[0]).toMatchObject({ presence: expect.any(String), queues: expect.any(Array) });
    expectRefused(await api(ALEX, 'GET', '/people?role=boss'), 400);
    const queues = await api(BIANCA, 'GET', '/queues');
    expect(queues.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: DEMO_IDS.queues.billing, member: true, open: expect.any(Boolean) }),
        expect.objectContaining({ id: DEMO_IDS.queues.technical, member: false }),
      ]),
    );
  });

  describe('malformed bodies get a 4xx and change nothing', () => {
    const bodies: Array<[string, string | undefined]> = [
      ['no body', undefined],
      ['not JSON', '{"text": '],
      ['null', 'null'],
      ['an array', '[1,2]'],
      ['a string', '"hello"'],
      ['a number instead of text', '{"text": 42}'],
      ['blank text', '{"text": "   "}'],
      ['too long', JSON.stringify({ text: 'x'.repeat(5000) })],
      ['unknown keys', '{"text": "ok", "authorId": "agent_sam"}'],
      ['a prototype key', '{"__proto__": {"text": "x"}}'],
      ['both case forms', '{"caseId": "case_demo_01", "title": "x"}'],
      ['a wrong priority', '{"title": "x", "priority": "asap"}'],
    ];

    it.each(bodies)('%s', async (_label, raw) => {
      const c = await activeConversation();
      const before = await storeSnapshot();
      for (const [method, path] of [
        ['POST', `/conversations/${c.id}/notes`],
        ['POST', `/customers/${c.customerId}/notes`],
        ['POST', `/conversations/${c.id}/case`],
      ] as const) {
        const res = await fetch(`${s.url}/api/v1${path}`, {
          method,
          headers: { authorization: `Bearer ${tokens.get(ALEX)}`, 'content-type': 'application/json' },
          body: raw,
        });
        const answer = (await res.json()) as { error?: { code: string } };
        expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${method} ${path}`).toBeLessThan(500);
        expect(answer.error?.code).toEqual(expect.any(String));
      }
      expect(await storeSnapshot()).toEqual(before);
    });
  });
});
