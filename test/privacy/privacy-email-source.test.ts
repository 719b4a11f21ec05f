import type { Activity } from 'botframework-directlinejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until, type Json } from '../api/support/clients.js';
import { customerPastSurvey } from '../api/support/live-conversation.js';
import {
  CHAT_AUTH_SECRET,
  chatAsksForAPerson,
  signChatToken,
  widgetToken,
} from '../api/support/signed-in.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { privacy } from './run-privacy.js';

// A request for one's data by e-mail: the address a signed-in chat carried was proven by the site,
// one typed into a chat's survey was not (anyone can type anyone's). `find --email` returns both
// kinds of record, so each says which it is, and so do export and erase.

/** The address both customers give: the site proved it for one, the other only typed it. */
const ADDRESS = 'customer@example.com';
const VERIFIED_NAME = 'Robin Signedin';
const TYPED_NAME = 'Robin Typedin';

describe('find, export and erase by e-mail', { timeout: 240_000 }, () => {
  let server: TestServer;
  let dataDir: string;
  const env = () => ({ DATA_DIR: dataDir, MONGODB_URI: '' });

  beforeAll(async () => {
    server = await startTestServer({ keepData: true, env: { CHAT_AUTH_SECRET } });
    dataDir = server.dataDir;
    const signedIn = await widgetToken(server.url, {
      authToken: await signChatToken({ name: VERIFIED_NAME, email: ADDRESS }, { sub: 'site-robin' }),
    });
    expect(signedIn.status).toBe(200);
    await chatAsksForAPerson(server.url, signedIn.body.token as string, VERIFIED_NAME);
    // A guest types the same address into the survey (customerPastSurvey answers with ADDRESS), then leaves.
    const guest = await customerPastSurvey(server.url, { userId: 'dl_typed_robin', name: TYPED_NAME });
    await guest.post({ type: 'endOfConversation' } as unknown as Activity);
    const { repos } = server.services;
    await until('the guest’s chat to end', async () => {
      const [typed] = await repos.customers.search(TYPED_NAME);
      const theirs = typed ? await repos.conversations.findByCustomer(typed.id) : [];
      return theirs.length > 0 && theirs.every((c) => c.status === 'closed' || c.status === 'abandoned');
    });
    guest.end();
    await server.close();
  }, 240_000);
  afterAll(async () => {
    await server?.close();
  });

  it('marks each record found by the address as verified or typed, and says what to check', async () => {
    const found = await privacy(['find', '--email', ADDRESS], env());
    expect(found.code).toBe(0);
    const byName = new Map((found.json.customers as Json[]).map((c) => [c.name, c]));
    expect(byName.get(VERIFIED_NAME)).toMatchObject({ email: ADDRESS, emailSource: 'verified' });
    const typed = byName.get(TYPED_NAME);
    expect(typed).toMatchObject({ email: ADDRESS, emailSource: 'typed' });
    expect(found.stderr).toContain(`the e-mail of ${typed.id as string}`);
    expect(found.stderr).toMatch(/only typed into a chat, never proven by a sign-in/);
    expect(found.stderr).not.toContain(byName.get(VERIFIED_NAME).id as string);
  });

  it('says so again when exporting or erasing the record', async () => {
    const found = (await privacy(['find', '--email', ADDRESS], env())).json.customers as Json[];
    const id = (name: string) => found.find((c) => c.name === name)!.id as string;

    const typedExport = await privacy(['export', '--customer', id(TYPED_NAME)], env());
    expect(typedExport.json.emailSource).toBe('typed');
    expect(typedExport.stderr).toMatch(/only typed into a chat, never proven by a sign-in/);
    const verifiedExport = await privacy(['export', '--customer', id(VERIFIED_NAME)], env());
    expect(verifiedExport.json.emailSource).toBe('verified');
    expect(verifiedExport.stderr).not.toMatch(/never proven/);

    const asked = await privacy(['erase', '--customer', id(TYPED_NAME)], env());
    expect(asked.json).toMatchObject({ erased: false, emailSource: 'typed' });
    expect(asked.stderr).toMatch(/only typed into a chat, never proven by a sign-in/);
  });
});
