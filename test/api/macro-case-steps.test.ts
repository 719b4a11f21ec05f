/**
 * A macro's case steps over real HTTP, with the customer on Direct Line: a create-case that finds
 * the chat's case already there opens none, and the quick reply after it does not tell the customer
 * of a case opened; a macro's `set-field case.*` is an edit, a resolve or a reactivate under the
 * case's own rules, recorded in its history as the agent's own change would be.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../services/demo/demo-ids.js';
import { startTestServer, type TestServer } from '../support/server.js';
import type { Json } from './support/clients.js';
import { liveConversation, type LiveConversation } from './support/live-conversation.js';

let server: TestServer;
let live: LiveConversation;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  live = await liveConversation(server.url, 'agent_alex', { userId: 'dl_macro_case', name: 'Mina Casey' });
}, 120_000);

afterAll(async () => {
  live?.customer.end();
  await server?.close();
});

const run = async (macroId: string) => {
  const r = await live.agent.call('POST', `/conversations/${live.conversationId}/macros/${macroId}/run`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.results as Json[];
};

/** A macro of one `set-field` action, as an administrator would add it. */
const setFieldMacro = async (field: string, value: string) =>
  (
    await server.services.repos.macros.create({
      name: `Set ${field}`,
      actions: [{ type: 'set-field', field, value }],
    })
  ).id;

const currentCase = async () => {
  const c = await live.agent.call('GET', `/conversations/${live.conversationId}`);
  const r = await live.agent.call('GET', `/cases/${c.body.caseId as string}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as Json;
};

const publicLines = async (): Promise<string[]> => {
  const r = await live.agent.call('GET', `/conversations/${live.conversationId}/messages`);
  return (r.body.items as Json[]).filter((m) => m.visibility === 'public').map((m) => m.text as string);
};

describe('a macro whose create-case finds the chat already has a case', () => {
  it('does not tell the customer it opened one, and says which steps ran and why the rest did not', async () => {
    const moving = await run(DEMO_IDS.macros.movingRequest);
    expect(moving[0]).toMatchObject({ action: 'create-case', outcome: 'done' });
    const movingCase = moving[0].case.number as string;

    const outage = await run(DEMO_IDS.macros.logOutage);
    expect(outage.map((r) => [r.action, r.outcome])).toEqual([
      ['create-case', 'skipped'],
      ['open-kb-search', 'done'],
      ['send-quick-reply', 'failed'],
    ]);
    expect(outage[0].message).toBe(`The conversation already has case ${movingCase}: no case opened`);
    expect(outage[2].message).toBe(
      `Quick reply "Outage acknowledged" needs {caseNumber}, and this macro opened no case ` +
        `(the conversation already has case ${movingCase}); send it by hand`,
    );
    expect((await publicLines()).filter((t) => t.includes('I have opened case'))).toEqual([]);

    // The customer reads what the agent sends next, and nothing about a case before it.
    await live.agent.call('POST', `/conversations/${live.conversationId}/messages`, {
      text: 'One moment please',
      visibility: 'public',
    });
    await live.customer.waitFor(
      'the next line',
      (a) => a.type === 'message' && a.text === 'One moment please',
    );
    expect(
      live.customer.seen.filter((a) => a.type === 'message' && /opened case/.test(a.text ?? '')),
    ).toEqual([]);
  });
});

describe("a macro setting the case's fields", () => {
  it('edits the title as the agent would: history and modifiedBy name the agent', async () => {
    const [result] = await run(await setFieldMacro('case.title', 'Move to 12 Elm Street'));
    expect(result).toMatchObject({ action: 'set-field', outcome: 'done' });
    const k = await currentCase();
    expect(k).toMatchObject({ title: 'Move to 12 Elm Street', modifiedBy: 'agent_alex' });
    expect(k.history[0]).toMatchObject({ action: 'edited', agentId: 'agent_alex', fields: ['title'] });
  });

  it('refuses to resolve the case without a resolution, and leaves it active', async () => {
    const [result] = await run(await setFieldMacro('case.status', 'resolved'));
    const k = await currentCase();
    expect(result).toMatchObject({ action: 'set-field', outcome: 'failed' });
    expect(result.message).toBe(
      `Case ${k.number as string} was not resolved: a case is resolved with a resolution, and this ` +
        'macro gives none (set case.resolution to how it was resolved)',
    );
    expect(k.status).toBe('active');
    expect(k.history[0].action).toBe('edited');
  });

  it('resolves the case with the resolution it gives, in the history', async () => {
    const [result] = await run(await setFieldMacro('case.resolution', 'Move booked for the 3rd'));
    expect(result).toMatchObject({ action: 'set-field', outcome: 'done' });
    const k = await currentCase();
    expect(k).toMatchObject({ status: 'resolved', resolution: 'Move booked for the 3rd' });
    expect(k.history[0]).toMatchObject({
      action: 'resolved',
      agentId: 'agent_alex',
      text: 'Move booked for the 3rd',
    });
  });

  it('does not edit a resolved case, as the agent may not; reactivating it is recorded', async () => {
    const [edit] = await run(await setFieldMacro('case.priority', 'urgent'));
    const k = await currentCase();
    expect(edit).toMatchObject({ outcome: 'failed' });
    expect(edit.message).toBe(`Case ${k.number as string} is resolved: reactivate it before you edit it`);
    expect(k.priority).not.toBe('urgent');

    const [reactivated] = await run(await setFieldMacro('case.status', 'active'));
    expect(reactivated).toMatchObject({ outcome: 'done', message: `Case ${k.number as string} reactivated` });
    const after = await currentCase();
    expect(after.status).toBe('active');
    expect(after.history[0]).toMatchObject({ action: 'reactivated', agentId: 'agent_alex' });
  });
});
