import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCustomerConversation } from '../bot/support/directline-http.js';
import { startTestServer, type TestServer } from '../support/server.js';

// JSON bodies are UTF-8 (RFC 8259 §8.1): a leading byte order mark, which some .NET and PowerShell
// clients write, is taken; bytes that are not UTF-8 are refused, never stored as U+FFFD.

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

async function postBytes(path: string, token: string, bytes: Buffer) {
  const res = await fetch(`${s.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

describe('a JSON body', () => {
  it('that starts with a UTF-8 byte order mark is read as the JSON after it', async () => {
    const c = await openCustomerConversation(s.url, 'dl_bomclient1');
    const json = JSON.stringify({ type: 'message', from: { id: 'dl_bomclient1' }, text: 'hello from .NET' });
    const res = await postBytes(
      `/v3/directline/conversations/${c.conversationId}/activities`,
      c.token,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json, 'utf8')]),
    );
    expect(res.status).toBe(200);
    await expect.poll(() => c.texts()).toContain('hello from .NET');
  });

  it('that is not UTF-8 is refused with 400 invalid_json saying so, and nothing is stored', async () => {
    const c = await openCustomerConversation(s.url, 'dl_latin1client');
    const before = await c.texts();
    const json = JSON.stringify({ type: 'message', from: { id: 'dl_latin1client' }, text: 'caf\u00e9' });
    // "café" as Latin-1: é is the lone byte 0xE9, which UTF-8 cannot begin a character with.
    const res = await postBytes(
      `/v3/directline/conversations/${c.conversationId}/activities`,
      c.token,
      Buffer.from(json, 'latin1'),
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'invalid_json', message: expect.stringMatching(/UTF-8/) });
    expect(await c.texts()).toEqual(before);
  });
});
