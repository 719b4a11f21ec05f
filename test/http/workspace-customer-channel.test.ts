import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_IDS } from '../../services/demo/index.js';
import { startAppHarness, type BotHarness } from '../bot/support/app-harness.js';
import { callDirectLine } from '../bot/support/directline-http.js';

// What an agent sends from the workspace reaches a real customer: a customer chatting over Direct
// Line is handed to Alex, who sends a knowledge article and runs a macro through the agent API; the
// customer's channel carries the article link and the macro's quick reply, never the agent's note.

let h: BotHarness;
const ALEX = DEMO_IDS.agents.alex;

type Act = { type: string; text?: string; from: { id: string; role?: string } };

beforeAll(async () => {
  h = await startAppHarness({ env: { AUTH_MODE: 'dev' } });
});

afterAll(async () => {
  await h?.close();
});

async function agentApi(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${h.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

it('delivers the article link and the macro reply to the customer, and never the note', async () => {
  const generated = await callDirectLine(h.url, 'POST', '/tokens/generate', undefined, {
    user: { id: 'dl_workspace_customer01' },
  });
  const started = await callDirectLine(h.url, 'POST', '/conversations', generated.body.token as string);
  const { conversationId: dlId, token } = started.body as { conversationId: string; token: string };
  const say = (activity: Record<string, unknown>) =>
    callDirectLine(h.url, 'POST', `/conversations/${dlId}/activities`, token, activity);
  const customerSees = async (): Promise<Act[]> =>
    (await callDirectLine(h.url, 'GET', `/conversations/${dlId}/activities`, token)).body.activities as Act[];

  await say({
    type: 'message',
    value: { preChat: { name: 'Rae Lin', email: 'rae@example.com', topic: 'Internet outage' } },
  });
  // Alex is the only one in Technical support at their desk, so the offer goes to Alex.
  for (const agent of await h.repos.agents.listInQueue(DEMO_IDS.queues.technical)) {
    if (agent.id !== ALEX) await h.router.presence.set(agent.id, 'away');
  }
  await say({ type: 'message', text: 'I want to talk to an agent' });
  const created = h.events.find((e) => e.type === 'conversation.created');
  const id = created!.conversationId;
  await expect.poll(async () => (await h.conversations.get(id)).status, { timeout: 10_000 }).toBe('offered');
  await h.router.accept(id, ALEX);

  const signIn = await fetch(`${h.url}/api/v1/dev/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ agentId: ALEX }),
  });
  const alex = ((await signIn.json()) as { token: string }).token;

  const note = await agentApi(alex, 'POST', `/conversations/${id}/notes`, {
    text: 'NOTE: check the OLT in Dorchester',
  });
  expect(note.status).toBe(201);
  const sent = await agentApi(alex, 'POST', `/conversations/${id}/knowledge/kb_outage_check/send`);
  expect(sent.status).toBe(201);
  const ran = await agentApi(alex, 'POST', `/conversations/${id}/macros/${DEMO_IDS.macros.logOutage}/run`);
  expect(ran.status).toBe(200);
  const caseNumber = (ran.body.results as Array<{ case?: { number: string } }>)[0]?.case?.number;
  expect(caseNumber).toMatch(/^CAS-/);

  await expect
    .poll(async () => (await customerSees()).map((a) => a.text ?? ''), { timeout: 10_000 })
    .toEqual(
      expect.arrayContaining([
        expect.stringContaining('/kb/kb_outage_check'),
        expect.stringContaining(`I have opened case ${caseNumber}`),
      ]),
    );
  expect((await customerSees()).some((a) => (a.text ?? '').includes('NOTE:'))).toBe(false);
});
