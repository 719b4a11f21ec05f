/**
 * Files customers send: uploaded over the local Direct Line channel (`POST …/upload`, as Web Chat
 * does), checked to be what they claim, kept, and opened by the customer with their token and by
 * the agents who may read the conversation through the agent API. Nobody else reaches them, and
 * nothing the channel refuses is stored. Over the real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCEPTED_FILE_TYPES, MAX_FILE_BYTES } from '../../services/domain/index.js';
import {
  ACCEPTED_FILE_TYPES as BROWSER_TYPES,
  MAX_FILE_BYTES as BROWSER_MAX,
} from '../../tab/shared/files.js';
import { PDF, png } from '../support/sample-files.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { customerPastSurvey, liveConversation, type LiveConversation } from './support/live-conversation.js';
import { signIn, until, type Customer, type Json } from './support/clients.js';

const PNG = png(1);

let server: TestServer;
let live: LiveConversation;

interface Part {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** An upload as Direct Line clients send it: the activity as a part of its own, then the files. */
async function upload(customer: Customer, files: Part[], activity?: unknown, rawActivity?: string) {
  const form = new FormData();
  if (activity !== undefined || rawActivity !== undefined)
    form.append(
      'activity',
      new Blob([rawActivity ?? JSON.stringify(activity)], { type: 'application/vnd.microsoft.activity' }),
    );
  for (const f of files) form.append('file', new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
  return postForm(customer, form);
}

async function postForm(customer: Customer, form: FormData) {
  const { conversationId, token, userId } = customer.session();
  const res = await fetch(
    `${server.url}/v3/directline/conversations/${conversationId}/upload?userId=${encodeURIComponent(userId)}`,
    { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form },
  );
  return { status: res.status, body: (await res.json()) as Json };
}

const fileIdsOf = async (conversationId: string) => {
  const messages = (await live.agent.call('GET', `/conversations/${conversationId}/messages`)).body
    .items as Json[];
  return messages.flatMap((m) =>
    ((m.attachments as Json[] | undefined) ?? []).map((a) => a.fileId as string),
  );
};

beforeAll(async () => {
  server = await startTestServer();
  live = await liveConversation(server.url, 'agent_alex', {
    userId: 'dl_files_customer1',
    name: 'Ada Lovelace',
  });
}, 60_000);
afterAll(async () => {
  live?.customer.end();
  await server?.close();
});

describe('a file a customer sends', () => {
  it('is checked in the browser (widget, tab) against the same types and size as on the server', () => {
    expect([...BROWSER_TYPES].sort()).toEqual([...ACCEPTED_FILE_TYPES].sort());
    expect(BROWSER_MAX).toBe(MAX_FILE_BYTES);
  });

  it('reaches the agent with their words, and opens for the customer and the agent alone', async () => {
    const sent = await upload(
      live.customer,
      // A direction override would show the name as something else to the agent opening it.
      [{ name: 'C:\\fakepath\\router\u202e lights.png', type: 'image/png', bytes: PNG }],
      {
        type: 'message',
        from: { id: 'dl_files_customer1' },
        text: 'This is what the lights do',
      },
    );
    expect(sent.status).toBe(200);
    expect(sent.body.id).toEqual(expect.any(String));

    // The customer's own stream has it, as any message they send.
    const echo = await live.customer.waitFor(
      'their photo',
      (a) => a.type === 'message' && a.text === 'This is what the lights do',
    );
    expect((echo as { attachments?: unknown }).attachments).toEqual([
      {
        contentType: 'image/png',
        name: 'router lights.png',
        contentUrl: expect.stringMatching(/\/attachments\/file_/),
      },
    ]);
    const contentUrl = (echo as { attachments: Array<{ contentUrl: string }> }).attachments[0]!.contentUrl;
    const own = await fetch(contentUrl, {
      headers: { Authorization: `Bearer ${live.customer.session().token}` },
    });
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('image/png');
    expect(own.headers.get('content-disposition')).toMatch(
      /^attachment; filename\*=UTF-8''router%20lights\.png$/,
    );
    expect(Buffer.from(await own.arrayBuffer())).toEqual(PNG);
    // Without the conversation's token: nothing.
    expect((await fetch(contentUrl)).status).toBe(403);
    const stranger = await customerPastSurvey(server.url, {
      userId: 'dl_files_stranger1',
      name: 'Eve Stranger',
    });
    const theirs = await fetch(contentUrl, {
      headers: { Authorization: `Bearer ${stranger.session().token}` },
    });
    expect(theirs.status).toBe(403);
    // Nor under the stranger's own conversation, with their own token.
    const fileId = contentUrl.split('/').pop()!;
    const { conversationId: strangerConversation, token: strangerToken } = stranger.session();
    const borrowed = await fetch(
      `${server.url}/v3/directline/conversations/${strangerConversation}/attachments/${fileId}`,
      { headers: { Authorization: `Bearer ${strangerToken}` } },
    );
    expect(borrowed.status).toBe(404);

    // The agent reads the message with its file, and opens it.
    const message = await until('the message in the transcript', async () => {
      const items = (await live.agent.call('GET', `/conversations/${live.conversationId}/messages`)).body
        .items as Json[];
      return items.find((m) => m.text === 'This is what the lights do');
    });
    expect(message).toMatchObject({
      from: 'customer',
      visibility: 'public',
      attachments: [{ name: 'router lights.png', contentType: 'image/png', fileId }],
    });
    const opened = await fetch(`${server.url}/api/v1/conversations/${live.conversationId}/files/${fileId}`, {
      headers: { Authorization: `Bearer ${live.agent.token}` },
    });
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-type')).toBe('image/png');
    expect(opened.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(Buffer.from(await opened.arrayBuffer())).toEqual(PNG);

    // An agent who may not read the conversation opens nothing, nor does any file open under
    // another conversation's address.
    // Bianca works billing; this is a technical chat.
    const bianca = await signIn(server.url, 'agent_bianca');
    expect((await bianca.call('GET', `/conversations/${live.conversationId}`)).status).toBe(403);
    const refused = await fetch(`${server.url}/api/v1/conversations/${live.conversationId}/files/${fileId}`, {
      headers: { Authorization: `Bearer ${bianca.token}` },
    });
    expect(refused.status).toBe(403);
    const elsewhere = await fetch(`${server.url}/api/v1/conversations/conv_unknown/files/${fileId}`, {
      headers: { Authorization: `Bearer ${live.agent.token}` },
    });
    expect(elsewhere.status).toBe(404);
    stranger.end();
  }, 60_000);

  it('can be a PDF or a text file without words, several at once', async () => {
    const sent = await upload(live.customer, [
      { name: 'bill.pdf', type: 'application/pdf', bytes: PDF },
      {
        name: 'speedtest.txt',
        type: 'text/plain; charset=utf-8',
        bytes: Buffer.from('down 12 Mbps, up 1 Mbps\n'),
      },
      // A page sent as text: saved under its own name, a browser would open it as a page.
      {
        name: 'Invoice-2026.html',
        type: 'text/plain',
        bytes: Buffer.from('<script>document.title="pwned"</script>'),
      },
    ]);
    expect(sent.status).toBe(200);
    const message = await until('the files in the transcript', async () => {
      const items = (await live.agent.call('GET', `/conversations/${live.conversationId}/messages`)).body
        .items as Json[];
      return items.find((m) => (m.attachments as Json[] | undefined)?.some((a) => a.name === 'bill.pdf'));
    });
    expect(message.text).toBe('');
    expect((message.attachments as Json[]).map((a) => [a.name, a.contentType])).toEqual([
      ['bill.pdf', 'application/pdf'],
      ['speedtest.txt', 'text/plain'],
      ['Invoice-2026.html.txt', 'text/plain'],
    ]);
    const page = (message.attachments as Json[])[2]!;
    const download = await fetch(
      `${server.url}/api/v1/conversations/${live.conversationId}/files/${page.fileId as string}`,
      { headers: { Authorization: `Bearer ${live.agent.token}` } },
    );
    expect(download.headers.get('content-disposition')).toBe(
      "attachment; filename*=UTF-8''Invoice-2026.html.txt",
    );
  });

  it('is refused, with the reason, when it is not what it claims, too large or of another kind, and nothing is kept', async () => {
    const before = await fileIdsOf(live.conversationId);
    const filesBefore = await server.services.store.collection('files').count({});
    const cases: Array<[Part[], number, string]> = [
      [
        [{ name: 'lights.png', type: 'image/png', bytes: Buffer.from('<html><script>alert(1)</script>') }],
        415,
        'directline.file_type_not_accepted',
      ],
      [[{ name: 'bill.pdf', type: 'application/pdf', bytes: PNG }], 415, 'directline.file_type_not_accepted'],
      [
        [{ name: 'setup.exe', type: 'application/x-msdownload', bytes: Buffer.from('MZ\x90\x00') }],
        415,
        'directline.file_type_not_accepted',
      ],
      [
        [{ name: 'notes.txt', type: 'text/plain', bytes: Buffer.from([0x66, 0x00, 0x6f]) }],
        415,
        'directline.file_type_not_accepted',
      ],
      [[{ name: 'empty.png', type: 'image/png', bytes: new Uint8Array(0) }], 400, 'directline.file_empty'],
      [
        [{ name: 'huge.png', type: 'image/png', bytes: Buffer.concat([PNG, Buffer.alloc(4 * 1024 * 1024)]) }],
        413,
        'directline.file_too_large',
      ],
      [
        Array.from({ length: 4 }, (_, i) => ({ name: `${i}.png`, type: 'image/png', bytes: PNG })),
        400,
        'directline.invalid_activity',
      ],
      [[], 400, 'directline.invalid_activity'],
    ];
    for (const [files, status, code] of cases) {
      const res = await upload(live.customer, files);
      expect([files.map((f) => f.name).join(','), res.status, (res.body.error as Json)?.code]).toEqual([
        files.map((f) => f.name).join(','),
        status,
        code,
      ]);
      expect((res.body.error as Json).message).toEqual(expect.any(String));
    }
    // Far beyond what any upload may hold: refused before it is read.
    const flood = await upload(live.customer, [
      { name: 'flood.png', type: 'image/png', bytes: Buffer.alloc(6 * 1024 * 1024) },
    ]);
    expect(flood.status).toBe(413);
    // The activity part must be an activity, and a message.
    const notJson = await upload(
      live.customer,
      [{ name: 'a.png', type: 'image/png', bytes: PNG }],
      undefined,
      '{oops',
    );
    expect([notJson.status, (notJson.body.error as Json).code]).toEqual([400, 'directline.invalid_activity']);
    const typing = await upload(live.customer, [{ name: 'a.png', type: 'image/png', bytes: PNG }], {
      type: 'typing',
    });
    expect([typing.status, (typing.body.error as Json).code]).toEqual([400, 'directline.invalid_activity']);
    const wordy = await upload(live.customer, [{ name: 'a.png', type: 'image/png', bytes: PNG }], {
      type: 'message',
      text: 'x'.repeat(4001),
    });
    expect([wordy.status, (wordy.body.error as Json).code]).toEqual([400, 'directline.message_too_long']);
    // Not multipart at all.
    const { conversationId, token } = live.customer.session();
    const json = await fetch(`${server.url}/v3/directline/conversations/${conversationId}/upload`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'message' }),
    });
    expect(json.status).toBe(415);
    // Nothing of it was kept, nor reached the agent.
    expect(await server.services.store.collection('files').count({})).toBe(filesBefore);
    expect(await fileIdsOf(live.conversationId)).toEqual(before);
  });

  it('leaves nothing behind when its activity is refused: too deep, too large, or two of them', async () => {
    const filesBefore = await server.services.store.collection('files').count({});
    const idsBefore = await fileIdsOf(live.conversationId);
    const three = Array.from({ length: 3 }, (_, i) => ({ name: `${i}.png`, type: 'image/png', bytes: PNG }));
    const deep = `{"type":"message","text":"deep","value":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const tooDeep = await upload(live.customer, three, undefined, deep);
    expect([tooDeep.status, (tooDeep.body.error as Json).code]).toEqual([400, 'directline.invalid_activity']);
    // Refused only once the files are written and the message is put together: the files go again.
    for (let i = 0; i < 8; i++) {
      const large = await upload(live.customer, three, {
        type: 'message',
        value: { note: 'x'.repeat(40_000) },
      });
      expect([large.status, (large.body.error as Json).code]).toEqual([413, 'directline.activity_too_large']);
    }
    const form = new FormData();
    form.append('activity', JSON.stringify({ type: 'message', text: 'one' }));
    form.append('activity', new Blob([JSON.stringify({ type: 'message', text: 'two' })]), 'blob');
    form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'a.png');
    const twice = await postForm(live.customer, form);
    expect([twice.status, (twice.body.error as Json).code]).toEqual([400, 'directline.invalid_activity']);
    expect(await server.services.store.collection('files').count({})).toBe(filesBefore);
    expect(await fileIdsOf(live.conversationId)).toEqual(idsBefore);
    // Eight refusals of three files each kept none, so the conversation's 20 are all still free.
    expect((await upload(live.customer, three, { type: 'message', text: 'Now the real ones' })).status).toBe(
      200,
    );
  });

  it('takes its activity as a plain form field too, words and client id and all', async () => {
    const form = (clientActivityId: string) => {
      const f = new FormData();
      f.append(
        'activity',
        JSON.stringify({ type: 'message', text: 'As a field', channelData: { clientActivityId } }),
      );
      f.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'field.png');
      return f;
    };
    const first = await postForm(live.customer, form('field-upload-1'));
    const again = await postForm(live.customer, form('field-upload-1'));
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body.id).toBe(first.body.id);
    const texts = async () =>
      ((await live.agent.call('GET', `/conversations/${live.conversationId}/messages`)).body.items as Json[])
        .filter((m) => m.text === 'As a field')
        .map((m) => (m.attachments as Json[]).map((a) => a.name));
    await until('the message reaches the transcript', async () =>
      (await texts()).length ? true : undefined,
    );
    expect(await texts()).toEqual([['field.png']]);
  });

  it('sent again with the same client id (its answer lost) is one message, its files kept once', async () => {
    const filesBefore = await server.services.store.collection('files').count({});
    const idsBefore = await fileIdsOf(live.conversationId);
    const activity = {
      type: 'message',
      text: 'The bill again',
      channelData: { clientActivityID: 'retry-upload-1' },
    };
    const files = [{ name: 'bill.pdf', type: 'application/pdf', bytes: PDF }];
    const first = await upload(live.customer, files, activity);
    const again = await upload(live.customer, files, activity);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body.id).toBe(first.body.id);
    expect(await server.services.store.collection('files').count({})).toBe(filesBefore + 1);
    await until('the file reaches the transcript once', async () =>
      (await fileIdsOf(live.conversationId)).length > idsBefore.length ? true : undefined,
    );
    expect(await fileIdsOf(live.conversationId)).toHaveLength(idsBefore.length + 1);
    // The same client id for other files is a mistake, said as one.
    const other = await upload(
      live.customer,
      [{ name: 'other.png', type: 'image/png', bytes: PNG }],
      activity,
    );
    expect([other.status, (other.body.error as Json).code]).toEqual([400, 'directline.invalid_activity']);
    expect(await server.services.store.collection('files').count({})).toBe(filesBefore + 1);
  });

  it("cannot be another conversation's file passed off by its address", async () => {
    const { conversationId, token } = live.customer.session();
    const res = await fetch(`${server.url}/v3/directline/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        from: { id: 'dl_files_customer1' },
        attachments: [
          {
            contentType: 'image/png',
            name: 'yours.png',
            contentUrl: `http://127.0.0.1:1/v3/directline/conversations/other/attachments/file_abc`,
          },
        ],
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).error).toMatchObject({ code: 'directline.invalid_activity' });
  });

  it('stops at 20 files in one conversation', async () => {
    const chat = await customerPastSurvey(server.url, { userId: 'dl_files_hoarder1', name: 'Hoarder' });
    for (let i = 0; i < 7; i++) {
      const files = Array.from({ length: i === 6 ? 2 : 3 }, (_, j) => ({
        name: `${i}-${j}.png`,
        type: 'image/png',
        bytes: PNG,
      }));
      expect((await upload(chat, files)).status).toBe(200);
    }
    const over = await upload(chat, [{ name: 'one-more.png', type: 'image/png', bytes: PNG }]);
    expect([over.status, (over.body.error as Json).code]).toEqual([400, 'directline.too_many_files']);
    chat.end();
  });
});

/** An agent's files to their customer, as the tab sends them. */
async function agentSends(token: string, conversationId: string, files: Part[], text?: string) {
  const form = new FormData();
  for (const f of files) form.append('file', new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
  if (text !== undefined) form.append('text', text);
  const res = await fetch(`${server.url}/api/v1/conversations/${conversationId}/files`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Json };
}

describe('a file an agent sends', () => {
  it('reaches their customer, who alone opens it', async () => {
    const sent = await agentSends(
      live.agent.token,
      live.conversationId,
      [{ name: 'reset-steps.pdf', type: 'application/pdf', bytes: PDF }],
      'Here are the steps',
    );
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({
      from: 'agent',
      visibility: 'public',
      text: 'Here are the steps',
      attachments: [{ name: 'reset-steps.pdf', contentType: 'application/pdf', fileId: expect.any(String) }],
    });
    const fileId = (sent.body.attachments as Json[])[0]!.fileId as string;

    const got = await live.customer.waitFor(
      'the steps',
      (a) => a.type === 'message' && a.text === 'Here are the steps',
    );
    const [attachment] = (got as { attachments: Array<{ contentUrl: string; name: string }> }).attachments;
    expect(attachment).toMatchObject({ name: 'reset-steps.pdf', contentType: 'application/pdf' });
    const opened = await fetch(attachment!.contentUrl, {
      headers: { Authorization: `Bearer ${live.customer.session().token}` },
    });
    expect(opened.status).toBe(200);
    expect(Buffer.from(await opened.arrayBuffer())).toEqual(PDF);
    // Another customer's conversation does not open it, nor the agent API without the right to read.
    const stranger = await customerPastSurvey(server.url, { userId: 'dl_files_stranger2', name: 'Mallory' });
    const { conversationId, token } = stranger.session();
    const borrowed = await fetch(
      `${server.url}/v3/directline/conversations/${conversationId}/attachments/${fileId}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    expect(borrowed.status).toBe(404);
    const bianca = await signIn(server.url, 'agent_bianca');
    const refused = await agentSends(bianca.token, live.conversationId, [
      { name: 'x.png', type: 'image/png', bytes: PNG },
    ]);
    expect(refused.status).toBe(403);
    stranger.end();
  });

  it('is checked as a customer file is, and only goes to an active chat', async () => {
    const wrong = await agentSends(live.agent.token, live.conversationId, [
      { name: 'page.png', type: 'image/png', bytes: Buffer.from('<html>') },
    ]);
    expect([wrong.status, (wrong.body.error as Json).code]).toEqual([400, 'file.type']);
    const none = await agentSends(live.agent.token, live.conversationId, [], 'no file');
    expect(none.status).toBe(400);
    const json = await live.agent.call('POST', `/conversations/${live.conversationId}/files`, { text: 'x' });
    expect([json.status, (json.body.error as Json).code]).toEqual([415, 'upload.not_multipart']);

    expect((await live.agent.call('POST', `/conversations/${live.conversationId}/end`)).status).toBe(200);
    const ended = await agentSends(live.agent.token, live.conversationId, [
      { name: 'late.png', type: 'image/png', bytes: PNG },
    ]);
    expect([ended.status, (ended.body.error as Json).code]).toEqual([409, 'conversation.not_active']);
  });
});
