import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { call } from './support/clients.js';
import { liveConversation, type LiveConversation } from './support/live-conversation.js';
import { widgetToken } from './support/signed-in.js';

// What the agent API stores is text a person can read: a lone UTF-16 surrogate (valid JSON, no
// character) is refused naming the problem, on every store the same, so a retry under the same
// Idempotency-Key gets the same answer; a message or note of only invisible characters is as empty
// as one of spaces.

const CUSTOMER = { userId: 'dl_textcheckscustomer', name: 'Noor Haddad' };
const LONE = String.raw`Your code is 12\ud83d`;

let server: TestServer;
let live: LiveConversation;

/** POST with a raw JSON body, so the escape reaches the server exactly as typed. */
async function postRaw(path: string, raw: string, key?: string) {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${live.agent.token}`,
      'Content-Type': 'application/json',
      ...(key === undefined ? {} : { 'Idempotency-Key': key }),
    },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

const messages = () => `/conversations/${live.conversationId}/messages`;

/** The customer's activity posted as the widget posts it, with the answer as it came. */
async function customerPost(activity: Record<string, unknown>) {
  const { conversationId, token, userId } = live.customer.session();
  const res = await fetch(`${server.url}/v3/directline/conversations/${conversationId}/activities`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ from: { id: userId, name: CUSTOMER.name }, ...activity }),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

/** The customer's messages as the agent reads them. */
async function customerTexts(): Promise<string[]> {
  const page = await live.agent.call('GET', messages());
  return (page.body.items as Array<{ from: string; text: string }>)
    .filter((m) => m.from === 'customer')
    .map((m) => m.text);
}
const customerId = async () =>
  (await server.services.repos.conversations.get(live.conversationId))!.customerId;

describe('texts the agent API stores', () => {
  beforeAll(async () => {
    server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
    live = await liveConversation(server.url, 'agent_alex', CUSTOMER);
  }, 120_000);

  afterAll(async () => {
    live?.customer.end();
    await server?.close();
  });

  it('refuses a message with an unpaired surrogate, the same again under the same Idempotency-Key', async () => {
    const raw = `{"text":"${LONE}","visibility":"public"}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      const sent = await postRaw(messages(), raw, 'lone-surrogate-1');
      expect(sent.status).toBe(400);
      expect(sent.body.error?.code).toBe('invalid_request');
      expect(sent.body.error?.message).toMatch(/^body\.text: .*unpaired surrogate/);
    }
    const stored = (await live.agent.call('GET', messages())).body.items as Array<{ text: string }>;
    expect(stored.some((m) => m.text.startsWith('Your code is 12'))).toBe(false);
  });

  it('refuses an unpaired surrogate in an internal note, a conversation note and a customer note', async () => {
    const internal = await postRaw(messages(), `{"text":"${LONE}","visibility":"internal"}`);
    const note = await postRaw(`/conversations/${live.conversationId}/notes`, `{"text":"${LONE}"}`);
    const quick = await postRaw(`/customers/${await customerId()}/notes`, `{"text":"${LONE}"}`);
    for (const r of [internal, note, quick]) {
      expect(r.status).toBe(400);
      expect(r.body.error?.message).toMatch(/^body\.text: .*unpaired surrogate/);
    }
  });

  it('takes a surrogate pair (an emoji) as the character it is', async () => {
    const sent = await postRaw(messages(), String.raw`{"text":"Thanks \ud83d\ude00","visibility":"public"}`);
    expect(sent.status).toBe(201);
    expect((sent.body as { text?: string }).text).toBe('Thanks 😀');
  });

  it('counts a message or note of only invisible characters as empty', async () => {
    const invisible = '\u200b\u200b';
    const message = await live.agent.call('POST', messages(), { text: invisible, visibility: 'public' });
    expect(message.status).toBe(400);
    expect(message.body.error.code).toBe('message.empty');
    const internal = await live.agent.call('POST', messages(), {
      text: '\ufeff\u2060',
      visibility: 'internal',
    });
    expect(internal.body.error.code).toBe('message.empty');
    const quick = await call(server.url, 'POST', `/customers/${await customerId()}/notes`, live.agent.token, {
      text: invisible,
    });
    expect(quick.status).toBe(400);
    expect(quick.body.error.code).toBe('note.empty');
    const note = await live.agent.call('POST', `/conversations/${live.conversationId}/notes`, {
      text: invisible,
    });
    expect(note.body.error.code).toBe('note.empty');
  });

  it('counts characters as code points on every path, and refuses one too many in the same words', async () => {
    // 4,000 characters, 4,001 UTF-16 units: the emoji is one character, as the limit is said.
    const atLimit = (first: string) => first + 'a'.repeat(3998) + '😀';
    const over = 'a'.repeat(4000) + '😀';
    const words = 'A message may hold at most 4,000 characters (got 4,001)';
    for (const visibility of ['public', 'internal'] as const) {
      const sent = await live.agent.call('POST', messages(), { text: atLimit(visibility[0]!), visibility });
      expect(sent.status, visibility).toBe(201);
      const refused = await live.agent.call('POST', messages(), { text: over, visibility });
      expect(refused.status, visibility).toBe(400);
      expect(refused.body.error.message).toBe(`body.text: ${words}`);
    }
    expect((await customerPost({ type: 'message', text: atLimit('c') })).status).toBe(200);
    await expect.poll(customerTexts).toContain(atLimit('c'));
    const refused = await customerPost({ type: 'message', text: over });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toEqual({ code: 'directline.message_too_long', message: words });
  });

  it('removes control characters but tab and line breaks from what either side writes', async () => {
    const said = await customerPost({
      type: 'message',
      text: 'hello\u0000\u0007 \u001b[31mred\u001b[0m\tok',
    });
    expect(said.status).toBe(200);
    await expect.poll(customerTexts).toContain('hello red\tok');
    // The customer's own stream shows what the agent reads.
    await live.customer.waitFor(
      'their message as stored',
      (a) => a.type === 'message' && a.text === 'hello red\tok',
    );
    for (const visibility of ['public', 'internal'] as const) {
      const sent = await live.agent.call('POST', messages(), {
        text: `${visibility}\u0000\u001b[2J line\r\nnext\u0008\u007f\u009b`,
        visibility,
      });
      expect(sent.status, visibility).toBe(201);
      expect(sent.body.text).toBe(`${visibility} line\r\nnext`);
      // Nothing but control characters is nothing at all.
      const bell = await live.agent.call('POST', messages(), { text: '\u0007\u001b[2J', visibility });
      expect(bell.status, visibility).toBe(400);
      expect(bell.body.error.code).toBe('message.empty');
    }
    const stored = (await live.agent.call('GET', messages())).body.items as Array<{ text: string }>;
    expect(stored.filter((m) => /[^\P{Cc}\t\n\r]/u.test(m.text))).toEqual([]);
  });

  it('counts and cleans a note as a message: code points, no control characters', async () => {
    const notes = `/conversations/${live.conversationId}/notes`;
    const atLimit = 'n' + 'a'.repeat(3998) + '😀';
    expect((await live.agent.call('POST', notes, { text: atLimit })).status).toBe(201);
    const cleaned = await live.agent.call('POST', notes, { text: 'called back\u001b[2J\u0007 at 5' });
    expect(cleaned.status).toBe(201);
    expect(cleaned.body.text).toBe('called back at 5');
    expect((await live.agent.call('POST', notes, { text: '\u0007\u001b' })).body.error.code).toBe(
      'note.empty',
    );
  });

  it('refuses an unpaired surrogate from the customer, as the agent API refuses one', async () => {
    const before = (await customerTexts()).length;
    const refused = await customerPost({ type: 'message', text: 'broken \ud800 text' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'directline.invalid_activity' });
    expect(refused.body.error?.message).toMatch(/^text: .*unpaired surrogate \(\\ud800 at character 8\)/);
    const named = await customerPost({ type: 'message', text: 'ok', from: { id: 'x', name: 'Noor\udc00' } });
    expect(named.body.error?.message).toMatch(/^from\.name: .*unpaired surrogate/);
    const token = await widgetToken(server.url, { visitor: 'visitor-\ud83d' });
    expect(token.status).toBe(400);
    expect(token.body.error).toMatchObject({ code: 'invalid_request' });
    expect((await customerPost({ type: 'message', text: 'whole again 😀' })).status).toBe(200);
    await expect.poll(customerTexts).toContain('whole again 😀');
    expect((await customerTexts()).slice(before)).toEqual(['whole again 😀']);
  });

  it('refuses a customer message of only invisible characters, as the agent API refuses one', async () => {
    const before = (await customerTexts()).length;
    for (const text of ['\u200b\u200c\u200d\ufeff', '\u3164', '\u202e\u2066', ' \u00ad ', '\u0000\u0007']) {
      const refused = await customerPost({ type: 'message', text });
      expect(refused.status, JSON.stringify(text)).toBe(400);
      expect(refused.body.error?.code).toBe('directline.invalid_activity');
    }
    expect((await customerPost({ type: 'message', text: 'still here' })).status).toBe(200);
    await expect.poll(customerTexts).toContain('still here');
    expect((await customerTexts()).slice(before)).toEqual(['still here']);
  });

  it('refuses a case title or a disposition of only invisible or control characters, as one of spaces', async () => {
    const blanks = ['\u200b\u00ad', '\u0000', '\u001b[31m', ' \u0007 '];
    const kase = `/conversations/${live.conversationId}/case`;
    for (const title of blanks) {
      const refused = await live.agent.call('POST', kase, { title });
      expect(refused.status, JSON.stringify(title)).toBe(400);
      expect(refused.body.error.message).toMatch(/a case needs a title/);
    }
    const opened = await live.agent.call('POST', kase, { title: 'Router\u0000 down\u001b[0m' });
    expect(opened.status).toBe(200);
    expect(JSON.stringify(opened.body)).toContain('"Router down"');
    expect((await live.agent.call('POST', `/conversations/${live.conversationId}/end`)).status).toBe(200);
    const wrap = `/conversations/${live.conversationId}/wrap-up`;
    for (const disposition of blanks) {
      const blank = await live.agent.call('POST', wrap, { disposition });
      expect(blank.status, JSON.stringify(disposition)).toBe(400);
      expect(blank.body.error.message).toMatch(/a wrap-up needs a disposition/);
    }
    expect((await live.agent.call('POST', wrap, { disposition: 'Resolved\u0007' })).status).toBe(200);
    const closed = await live.agent.call('GET', `/conversations/${live.conversationId}`);
    expect(closed.body.disposition).toBe('Resolved');
  });

  it("keeps a rating's comment to 1,000 characters without cutting an emoji in half", async () => {
    const comment = 'x'.repeat(999) + '😀';
    const rated = await customerPost({ type: 'message', text: '', value: { csat: { rating: 5, comment } } });
    expect(rated.status).toBe(200);
    const note = async () => {
      const page = await live.agent.call('GET', messages());
      return (page.body.items as Array<{ text: string }>).find((m) => m.text.includes('rated the chat'))
        ?.text;
    };
    await expect.poll(note).toMatch(/rated the chat 5 of 5/);
    expect((await note())!.endsWith(`${comment}”`)).toBe(true);
  });
});
