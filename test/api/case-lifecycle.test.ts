/**
 * An agent works a case as in Dynamics 365, over real HTTP: opened from a chat (who opened it owns
 * it), edited, resolved with a resolution, reactivated, cancelled with a reason, linked to the
 * customer's next chat; each change in the case's history, each link an internal line in the chat.
 * Those who work its conversations may change it; a resolved case is not edited until reactivated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiClient, type Json } from './support/clients.js';
import { activeConversationWithAlex } from './support/fixtures.js';

let server: TestServer;
let alex: ApiClient;
let first: string;
let caseId: string;
let number: string;
/** What the changes made at once added to the history, newest first. */
let atOnce: string[] = [];

const CUSTOMER = 'dl_case_lifecycle';

async function internalLines(who: ApiClient, conversationId: string): Promise<string[]> {
  const r = await who.call('GET', `/conversations/${conversationId}/messages`);
  expect(r.status).toBe(200);
  return (r.body.items as Json[]).filter((m) => m.visibility === 'internal').map((m) => m.text as string);
}

function refused(r: { status: number; body: Json }, status: number, code: string, words?: RegExp) {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.error.code).toBe(code);
  if (words) expect(r.body.error.message).toMatch(words);
}

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  alex = await signIn(server.url, 'agent_alex');
  first = await activeConversationWithAlex(server.services, CUSTOMER);
}, 60_000);
afterAll(() => server.close());

describe('working a case', () => {
  it('is opened by the agent, who owns it; the chat says so in an internal line', async () => {
    const r = await alex.call('POST', `/conversations/${first}/case`, { title: 'Router drops Wi-Fi' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    caseId = r.body.id;
    number = r.body.number;
    expect(r.body).toMatchObject({
      status: 'active',
      createdBy: 'agent_alex',
      ownerId: 'agent_alex',
      ownerName: 'Alex Rivera',
      history: [{ action: 'opened', agentId: 'agent_alex', agentName: 'Alex Rivera', conversationId: first }],
    });
    expect(await internalLines(alex, first)).toContain(`Opened case ${number}: Router drops Wi-Fi`);
  });

  it('is edited field by field, control characters cleaned, the fields changed in its history', async () => {
    const r = await alex.call('PUT', `/cases/${caseId}`, {
      title: 'Router \u001b[31mdrops\u0007 Wi-Fi upstairs',
      priority: 'high',
      description: 'Line one\nline two\u0000',
      type: 'request',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      title: 'Router drops Wi-Fi upstairs',
      priority: 'high',
      description: 'Line one\nline two',
      caseType: 'request',
      modifiedBy: 'agent_alex',
    });
    expect(r.body.history[0]).toMatchObject({
      action: 'edited',
      fields: ['title', 'description', 'priority', 'caseType'],
    });
    refused(await alex.call('PUT', `/cases/${caseId}`, {}), 400, 'invalid_request');
    refused(await alex.call('PUT', `/cases/${caseId}`, { title: '\u200b ' }), 400, 'invalid_request');
    expect((await alex.call('GET', `/cases/${caseId}`)).body.title).toBe('Router drops Wi-Fi upstairs');
  });

  it('is resolved only with a resolution, and then not edited until reactivated', async () => {
    refused(await alex.call('POST', `/cases/${caseId}/resolve`, {}), 400, 'invalid_request');
    refused(
      await alex.call('POST', `/cases/${caseId}/resolve`, { resolution: ' \u0007 ' }),
      400,
      'invalid_request',
      /resolution/,
    );
    const resolved = await alex.call('POST', `/cases/${caseId}/resolve`, {
      resolution: 'Mesh extender shipped',
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolution: 'Mesh extender shipped' });
    expect(resolved.body.history[0]).toMatchObject({ action: 'resolved', text: 'Mesh extender shipped' });

    const words = new RegExp(`${number} is resolved: reactivate it`);
    refused(await alex.call('PUT', `/cases/${caseId}`, { priority: 'low' }), 409, 'case.not_active', words);
    refused(
      await alex.call('POST', `/cases/${caseId}/resolve`, { resolution: 'again' }),
      409,
      'case.not_active',
    );
    refused(await alex.call('POST', `/cases/${caseId}/cancel`, { reason: 'dup' }), 409, 'case.not_active');

    const again = await alex.call('POST', `/cases/${caseId}/reactivate`);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.status).toBe('active');
    expect(again.body.resolution).toBeUndefined();
    refused(await alex.call('POST', `/cases/${caseId}/reactivate`), 409, 'case.already_active');
    expect((await alex.call('PUT', `/cases/${caseId}`, { priority: 'urgent' })).status).toBe(200);
  });

  it('is changed by those who work its conversations and their supervisors, no one else', async () => {
    const bianca = await signIn(server.url, 'agent_bianca');
    refused(
      await bianca.call('POST', `/cases/${caseId}/cancel`, { reason: 'not mine' }),
      403,
      'access.denied',
    );
    // A supervisor of the chat's queue may, and is named for it; the owner stays.
    const sam = await signIn(server.url, 'supervisor_sam');
    const cancelled = await sam.call('POST', `/cases/${caseId}/cancel`, { reason: 'Customer withdrew' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Customer withdrew',
      modifiedBy: 'supervisor_sam',
      modifiedByName: 'Sam Morgan',
      ownerId: 'agent_alex',
    });
    expect(cancelled.body.history[0]).toMatchObject({ action: 'cancelled', agentName: 'Sam Morgan' });
    expect((await sam.call('POST', `/cases/${caseId}/reactivate`)).status).toBe(200);
  });

  it('keeps every change two people make at once, and resolves it once', async () => {
    const sam = await signIn(server.url, 'supervisor_sam');
    const before = ((await alex.call('GET', `/cases/${caseId}`)).body.history as Json[]).length;
    const [edited, resolved, resolvedToo] = await Promise.all([
      alex.call('PUT', `/cases/${caseId}`, { description: 'Both floors now' }),
      sam.call('POST', `/cases/${caseId}/resolve`, { resolution: 'New router sent' }),
      alex.call('POST', `/cases/${caseId}/resolve`, { resolution: 'Firmware updated' }),
    ]);
    // One resolution wins; the other is told the case is resolved, not silently overwritten. The
    // edit lands before the resolution or is refused after it, never lost from the history.
    const resolutions = [resolved, resolvedToo].filter((r) => r.status === 200);
    expect(resolutions).toHaveLength(1);
    refused(
      [resolved, resolvedToo].find((r) => r.status !== 200)!,
      409,
      'case.not_active',
    );
    const now = (await alex.call('GET', `/cases/${caseId}`)).body;
    const added = (now.history as Json[]).slice(0, now.history.length - before).map((h) => h.action);
    expect(added.filter((a) => a === 'resolved')).toHaveLength(1);
    expect(added.includes('edited')).toBe(edited.status === 200);
    if (edited.status !== 200) refused(edited, 409, 'case.not_active');
    expect((await alex.call('POST', `/cases/${caseId}/reactivate`)).status).toBe(200);
    atOnce = ['reactivated', ...added];
  });

  it("is linked to the customer's next chat: its history and that chat say so", async () => {
    expect((await alex.call('POST', `/conversations/${first}/end`)).status).toBe(200);
    expect((await alex.call('POST', `/conversations/${first}/wrap-up`, { disposition: 'Done' })).status).toBe(
      200,
    );
    const second = await activeConversationWithAlex(server.services, CUSTOMER);
    expect(second).not.toBe(first);
    const r = await alex.call('POST', `/conversations/${second}/case`, { caseId });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.conversationIds).toEqual([first, second]);
    expect(r.body.history[0]).toMatchObject({
      action: 'linked',
      conversationId: second,
      agentId: 'agent_alex',
    });
    expect(await internalLines(alex, second)).toContain(`Linked case ${number}: Router drops Wi-Fi upstairs`);

    // Linked again, nothing more is said.
    const again = await alex.call('POST', `/conversations/${second}/case`, { caseId });
    expect(again.body.history).toHaveLength(r.body.history.length);

    // The whole story, newest first.
    const actions = ((await alex.call('GET', `/cases/${caseId}`)).body.history as Json[]).map(
      (h) => h.action,
    );
    expect(actions).toEqual([
      'linked',
      ...atOnce,
      'reactivated',
      'cancelled',
      'edited',
      'reactivated',
      'resolved',
      'edited',
      'opened',
    ]);
  }, 30_000);
});
