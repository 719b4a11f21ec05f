import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../services/store/index.js';
import { signIn, type ApiClient, type Json } from '../api/support/clients.js';
import { liveConversation, type LiveConversation } from '../api/support/live-conversation.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { allDatafiles, privacy } from './run-privacy.js';

// A returning customer whose data was erased (npm run privacy -- erase), followed on the server
// started again: nothing new may be attached to them, the words agents and supervisors typed about
// them at the close leave the store, and their open case stops counting as work to do.

const CUSTOMER = { userId: 'dl_erased_jordan', name: 'Jordan Erasetest' };
/** What an agent and a supervisor typed about the customer when closing their chats. */
const TYPED_DISPOSITION = 'Credit confirmed to Jordan Erasetest at jordan.erasetest@example.com';
const FORCE_CLOSE_REASON = 'Refund promised to Jordan Erasetest on the phone';

// Each chat and each command takes seconds, and more on a loaded machine.
const SLOW = { timeout: 240_000 };

async function wrapUp(live: LiveConversation, disposition: string): Promise<void> {
  const id = live.conversationId;
  expect((await live.agent.call('POST', `/conversations/${id}/end`)).status).toBe(200);
  expect((await live.agent.call('POST', `/conversations/${id}/wrap-up`, { disposition })).status).toBe(200);
  live.customer.end();
}

describe('an erased customer on a server started again', SLOW, () => {
  let server: TestServer;
  let dataDir: string;
  let alex: ApiClient;
  /** Wrapped up with a typed disposition; a case opened from it. */
  let wrapped: string;
  /** Closed by a supervisor, with a reason. */
  let forceClosed: string;
  /** Reopened after the erase by a server without this check (see beforeAll). */
  let reopenedBefore: string;
  let caseBefore: Json;
  let eraseOutcome: Json;
  let customerId: string;
  const env = () => ({ DATA_DIR: dataDir, MONGODB_URI: '' });

  beforeAll(async () => {
    server = await startTestServer({ keepData: true });
    dataDir = server.dataDir;

    const first = await liveConversation(server.url, 'agent_alex', CUSTOMER);
    wrapped = first.conversationId;
    const opened = await first.agent.call('POST', `/conversations/${wrapped}/case`, {
      title: 'Router swap',
      priority: 'high',
    });
    expect(opened.status).toBe(200);
    caseBefore = opened.body;
    // Resolved with words about the customer, then worked on again: the words stay in its history.
    const caseId = caseBefore.id as string;
    const resolved = await first.agent.call('POST', `/cases/${caseId}/resolve`, {
      resolution: 'Posted Jordan Erasetest a router at 12 Elm St',
    });
    expect(resolved.status).toBe(200);
    expect((await first.agent.call('POST', `/cases/${caseId}/reactivate`)).status).toBe(200);
    expect(caseBefore.status).toBe('active');
    await wrapUp(first, TYPED_DISPOSITION);

    const second = await liveConversation(server.url, 'agent_alex', CUSTOMER);
    forceClosed = second.conversationId;
    const sam = await signIn(server.url, 'supervisor_sam');
    const closed = await sam.call('POST', `/conversations/${forceClosed}/force-close`, {
      reason: FORCE_CLOSE_REASON,
    });
    expect(closed.status).toBe(200);
    second.customer.end();

    const third = await liveConversation(server.url, 'agent_alex', CUSTOMER);
    reopenedBefore = third.conversationId;
    await wrapUp(third, 'Resolved');
    await server.close();

    const found = await privacy(['find', '--name', CUSTOMER.name], env());
    customerId = (found.json.customers as Json[])[0]!.id as string;
    const erased = await privacy(['erase', '--customer', customerId, '--yes'], env());
    expect(erased.code).toBe(0);
    eraseOutcome = erased.json;

    // What a server without the check left behind: the agent reopened the erased customer's chat.
    const store = await openEmbeddedStore(dataDir);
    await store.collection('conversations').updateOne(
      { id: reopenedBefore },
      {
        $set: { status: 'active', 'timestamps.reopenedAt': new Date() },
        $unset: { 'timestamps.closedAt': '', 'timestamps.wrapUpAt': '', endedBy: '', closedBy: '' },
      },
    );
    await store.close();

    server = await startTestServer({ dataDir });
    alex = await signIn(server.url, 'agent_alex');
  }, 240_000);
  afterAll(async () => {
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses to reopen their conversation, saying why', async () => {
    const reopened = await alex.call('POST', `/conversations/${wrapped}/reopen`);
    expect(reopened.status).toBe(409);
    expect(reopened.body.error).toMatchObject({
      code: 'customer.erased',
      message: expect.stringMatching(
        /^This conversation's customer was erased at their request on .*: you cannot reopen it$/,
      ),
      details: { conversationId: wrapped },
    });
    expect((await alex.call('GET', `/conversations/${wrapped}`)).body.status).toBe('closed');
  });

  it('refuses internal lines on their closed conversation and any line on one reopened before', async () => {
    const internal = await alex.call('POST', `/conversations/${wrapped}/messages`, {
      text: 'Jordan Erasetest called back, new phone 555-0100',
      visibility: 'internal',
    });
    expect([internal.status, internal.body.error?.code]).toEqual([409, 'customer.erased']);
    for (const visibility of ['public', 'internal']) {
      const sent = await alex.call('POST', `/conversations/${reopenedBefore}/messages`, {
        text: 'Hello again Jordan, following up',
        visibility,
      });
      expect([sent.status, sent.body.error?.code]).toEqual([409, 'customer.erased']);
    }
    const messages = (await alex.call('GET', `/conversations/${reopenedBefore}/messages`)).body
      .items as Json[];
    expect(messages.every((m) => m.text === '')).toBe(true);
  });

  it('refuses notes on their conversation and on their record', async () => {
    const onChat = await alex.call('POST', `/conversations/${reopenedBefore}/notes`, {
      text: 'Jordan Erasetest, new address 12 Elm St',
    });
    expect([onChat.status, onChat.body.error?.code]).toEqual([409, 'customer.erased']);
    const onRecord = await alex.call('POST', `/customers/${customerId}/notes`, { text: 'Prefers calls' });
    expect(onRecord.status).toBe(409);
    expect(onRecord.body.error).toMatchObject({
      code: 'customer.erased',
      message: expect.stringMatching(
        /^This customer was erased at their request on .*: you cannot add notes to them$/,
      ),
    });
    expect((await alex.call('GET', `/customers/${customerId}/timeline`)).body.items).not.toContainEqual(
      expect.objectContaining({ kind: 'note' }),
    );
  });

  it('keeps the product’s dispositions and none the agents typed, in the store and the closed list', async () => {
    // The wrap-up's and the force close's, each on the conversation and in the event that closed it.
    expect(eraseOutcome.anonymised).toMatchObject({ dispositions: 2, events: 2 });
    const disk = await allDatafiles(dataDir);
    for (const typed of [TYPED_DISPOSITION, FORCE_CLOSE_REASON, 'jordan.erasetest@example.com'])
      expect(disk).not.toContain(typed);
    const closedList = (await alex.call('GET', '/work-items?view=closed')).body.items as Json[];
    expect(closedList.find((w) => w.id === wrapped)).toMatchObject({ disposition: 'Other' });
    const sam = await signIn(server.url, 'supervisor_sam');
    expect((await sam.call('GET', `/conversations/${forceClosed}`)).body).toMatchObject({
      status: 'closed',
      disposition: 'force-closed',
    });
  });

  it('cancels their open case, keeping what the figures count', async () => {
    expect(eraseOutcome.anonymised).toMatchObject({ cases: 1, casesCancelled: 1 });
    const after = await alex.call('GET', `/cases/${caseBefore.id as string}`);
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({
      status: 'cancelled',
      number: caseBefore.number,
      product: caseBefore.product,
      priority: 'high',
      title: 'Erased',
      cancelReason: "The customer's data was erased at their request",
    });
    expect(after.body.resolution).toBeUndefined();
    expect((after.body.history as Json[]).map((h) => h.action)).toEqual([
      'reactivated',
      'resolved',
      'opened',
    ]);
    expect((after.body.history as Json[]).every((h) => h.text === undefined)).toBe(true);
    expect(await allDatafiles(dataDir)).not.toContain('12 Elm St');
  });

  it('refuses to work their case again, which would put back what the erase took', async () => {
    const caseId = caseBefore.id as string;
    for (const [method, path, body] of [
      ['POST', `/cases/${caseId}/reactivate`, undefined],
      ['PUT', `/cases/${caseId}`, { title: 'Jordan Erasetest, 12 Elm St' }],
    ] as const) {
      const refused = await alex.call(method, path, body);
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({
        code: 'customer.erased',
        message: expect.stringMatching(
          /^This customer was erased at their request on .*: you cannot (reactivate|edit) case CAS-/,
        ),
      });
    }
    expect((await alex.call('GET', `/cases/${caseId}`)).body).toMatchObject({
      status: 'cancelled',
      title: 'Erased',
    });
  });
});
