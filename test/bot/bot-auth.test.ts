import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PasswordServiceClientCredentialFactory } from 'botframework-connector';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { png } from '../support/sample-files.js';
import { TEST_DIRECT_LINE_SECRET } from '../support/server.js';
import { localBotAuthOptions } from '../support/bot-auth-options.js';
import { startAppHarness, type BotHarness } from './support/app-harness.js';

// Authenticated mode (MicrosoftAppId set), offline: a local HTTP server stands in for the Bot
// Connector's OpenID metadata + JWKS and for the token endpoint, and botbuilder is pointed at it
// through ConfigurationBotFrameworkAuthentication's options (the typed `botAuthOverrides`).

const APP_ID = '0b6d3c1e-5f0a-4c59-9a0e-1f5b7c3d2e4a';
const ISSUER = 'https://api.botframework.com';
const KID = 'local-test-key';

let fake: Server;
let fakeUrl = '';
let sign: (claims: Record<string, unknown>, kid?: string) => Promise<string>;
let strangerKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
const connectorCalls: Array<{ path: string; authorization?: string; body: Record<string, unknown> }> = [];
let tokensIssued = 0;
const PICTURE = png(4);
const pictureGets: Array<{ authorization?: string }> = [];
const memberLookups: Array<{ conversation: string; userId: string; authorization?: string }> = [];
let h: BotHarness;

/** Outbound bot tokens from the (local) login URL botbuilder hands over, as MSAL would fetch them. */
class LocalLoginCredentialsFactory extends PasswordServiceClientCredentialFactory {
  override async createCredentials(appId: string, _audience: string, loginEndpoint: string) {
    return {
      signRequest: async (request: { headers: { set(name: string, value: string): void } }) => {
        const res = await fetch(loginEndpoint, {
          method: 'POST',
          body: new URLSearchParams({ client_id: appId, grant_type: 'client_credentials' }),
        });
        const { access_token } = (await res.json()) as { access_token: string };
        request.headers.set('Authorization', `Bearer ${access_token}`);
        return request;
      },
    } as never;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: KID, use: 'sig', alg: 'RS256' };
  sign = (claims, kid = KID) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(kid === KID ? privateKey : strangerKey);

  fake = createServer((req, res) => {
    void (async () => {
      const path = req.url ?? '/';
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (path === '/openid')
        return json(200, {
          issuer: ISSUER,
          jwks_uri: `${fakeUrl}/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
        });
      if (path === '/keys')
        return json(200, {
          keys: [{ ...jwk, endorsements: ['msteams', 'emulator', 'directline', 'webchat'] }],
        });
      if (path === '/token') {
        tokensIssued++;
        const token = await sign({
          aud: 'https://api.botframework.com',
          appid: APP_ID,
          iss: `${fakeUrl}/tenant`,
        });
        return json(200, { access_token: token, token_type: 'Bearer', expires_in: 600 });
      }
      // A picture pasted in Teams: the connector serves it to the bot only, with its token.
      if (req.method === 'GET' && /^\/connector\/v3\/attachments\/[^/]+\/views\/original$/.test(path)) {
        pictureGets.push({ authorization: req.headers.authorization });
        if (!req.headers.authorization?.startsWith('Bearer ey'))
          return json(401, { message: 'Authorization has been denied' });
        res.writeHead(200, { 'Content-Type': 'image/png' });
        return res.end(PICTURE);
      }
      // Teams' conversation member (TeamsInfo.getMember): a Teams user's e-mail is only had by asking.
      const member = /^\/connector\/v3\/conversations\/([^/]+)\/members\/([^/?]+)$/.exec(path);
      if (req.method === 'GET' && member) {
        const userId = decodeURIComponent(member[2]!);
        memberLookups.push({
          conversation: decodeURIComponent(member[1]!),
          userId,
          authorization: req.headers.authorization,
        });
        if (userId === '29:unlisted') return json(404, { error: { code: 'MemberNotFoundInConversation' } });
        return json(200, {
          id: userId,
          name: 'Casey Jordan',
          aadObjectId: '6f1c2a4e-0b7d-4c1e-9a55-3d2f0e8b7a10',
          email: 'casey.jordan@contoso.example',
          userPrincipalName: 'casey.jordan@contoso.example',
          tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
          userRole: 'user',
        });
      }
      if (path.startsWith('/connector/')) {
        connectorCalls.push({
          path,
          authorization: req.headers.authorization,
          body: JSON.parse(await readBody(req)) as Record<string, unknown>,
        });
        return json(200, { id: `reply-${connectorCalls.length}` });
      }
      json(404, {});
    })();
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;

  h = await startAppHarness({
    env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret' },
    botAuthOverrides: {
      options: localBotAuthOptions({
        loginUrl: `${fakeUrl}/token`,
        issuer: ISSUER,
        metadataUrl: `${fakeUrl}/openid`,
      }),
      credentialsFactory: new LocalLoginCredentialsFactory(APP_ID, 'not-a-real-secret'),
      botTokenJwksUrl: `${fakeUrl}/keys`,
    },
  });
});

afterAll(async () => {
  await h?.close();
  await new Promise((resolve) => fake?.close(resolve));
});

function activity(serviceUrl: string) {
  return {
    type: 'message',
    id: `act-${Math.random().toString(36).slice(2)}`,
    channelId: 'msteams',
    serviceUrl,
    conversation: { id: 'a:teams-chat-1' },
    from: { id: '29:customer', name: 'Casey' },
    recipient: { id: `28:${APP_ID}`, name: 'Switchboard' },
    text: 'hello',
  };
}

function postToBot(body: unknown, authorization?: string) {
  return fetch(`${h.url}/api/messages`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(authorization ? { Authorization: authorization } : {}),
    },
    body: JSON.stringify(body),
  });
}

describe('the Bot Framework endpoint with MicrosoftAppId set', () => {
  it('answers 401 without a token', async () => {
    const res = await postToBot(activity(`${fakeUrl}/connector`));
    expect(res.status).toBe(401);
  });

  it('answers 401 to a token signed by a key the Bot Connector does not publish', async () => {
    const serviceUrl = `${fakeUrl}/connector`;
    const token = await sign({ iss: ISSUER, aud: APP_ID, serviceurl: serviceUrl }, 'stranger');
    const res = await postToBot(activity(serviceUrl), `Bearer ${token}`);
    expect(res.status).toBe(401);
  });

  it('answers 401 to a valid token issued for another bot', async () => {
    const serviceUrl = `${fakeUrl}/connector`;
    const token = await sign({ iss: ISSUER, aud: 'another-bot', serviceurl: serviceUrl });
    const res = await postToBot(activity(serviceUrl), `Bearer ${token}`);
    expect(res.status).toBe(401);
  });

  it("accepts the Bot Connector's token and replies through the connector with the bot's own token", async () => {
    const serviceUrl = `${fakeUrl}/connector`;
    const token = await sign({ iss: ISSUER, aud: APP_ID, serviceurl: serviceUrl });
    const res = await postToBot(activity(serviceUrl), `Bearer ${token}`);
    expect(res.status).toBe(200);
    await h.bot.idle();
    const replies = connectorCalls.filter((c) =>
      c.path.startsWith('/connector/v3/conversations/a%3Ateams-chat-1/activities'),
    );
    expect(replies.length).toBeGreaterThan(0);
    expect(replies[0]?.authorization).toMatch(/^Bearer ey/);
    expect(replies.map((r) => String(r.body.text))).toContainEqual(
      expect.stringContaining('Northwind Fiber virtual assistant'),
    );
    expect(tokensIssued).toBeGreaterThan(0);
  });

  it("answers a customer's invoke it has no handler for with 501, and the customer's next message as usual", async () => {
    const serviceUrl = `${fakeUrl}/connector`;
    const token = await sign({ iss: ISSUER, aud: APP_ID, serviceurl: serviceUrl });
    const { text: _text, ...message } = activity(serviceUrl);
    const invoke = { ...message, type: 'invoke', name: 'composeExtension/query', value: {} };
    const refused = await postToBot(invoke, `Bearer ${token}`);
    expect(refused.status).toBe(501);
    await h.bot.idle();
    const before = connectorCalls.length;
    const res = await postToBot(activity(serviceUrl), `Bearer ${token}`);
    expect(res.status).toBe(200);
    await h.bot.idle();
    expect(connectorCalls.length).toBeGreaterThan(before);
  });
});

describe('a Teams customer', () => {
  const casey = {
    id: '29:verified',
    name: 'Casey Jordan',
    aadObjectId: '6f1c2a4e-0b7d-4c1e-9a55-3d2f0e8b7a10',
  };
  const robin = {
    id: '29:unlisted',
    name: 'Robin Unlisted',
    aadObjectId: '0d9e8f7a-1b2c-4d3e-8f4a-5b6c7d8e9f00',
  };

  /** A Teams user's message in their chat `chatId`, as the Bot Connector delivers it, with its token. */
  async function teamsSays(chatId: string, from: typeof casey, fields: Record<string, unknown> = {}) {
    const serviceUrl = `${fakeUrl}/connector`;
    const token = await sign({ iss: ISSUER, aud: APP_ID, serviceurl: serviceUrl });
    const res = await postToBot(
      { ...activity(serviceUrl), conversation: { id: chatId }, from, ...fields },
      `Bearer ${token}`,
    );
    expect(res.status).toBe(200);
    await h.bot.idle();
  }

  /** The conversation the customer in Teams chat `chatId` started. */
  const conversationOf = async (chatId: string) => {
    const all = await h.repos.conversations.find({ channel: 'msteams' }, { limit: 100 });
    return all.find((c) => (c.channelRef?.conversation as { id?: string } | undefined)?.id === chatId);
  };

  it('is verified as their Entra ID user, in their tenant, with the e-mail Teams gives, since the Bot Connector vouched for the activity', async () => {
    await teamsSays('a:teams-chat-verified', casey, {
      channelData: { tenant: { id: '72f988bf-86f1-41af-91ab-2d7cd011db47' } },
    });
    const conversation = await conversationOf('a:teams-chat-verified');
    expect(conversation?.context.visitor).toMatchObject({
      authenticated: true,
      verified: {
        by: 'microsoft-teams',
        id: casey.aadObjectId,
        name: 'Casey Jordan',
        email: 'casey.jordan@contoso.example',
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      },
    });
    expect(await h.repos.customers.get(conversation!.customerId)).toMatchObject({
      name: 'Casey Jordan',
      email: 'casey.jordan@contoso.example',
    });
    // Asked once, of the customer's own chat, with the bot's token.
    expect(memberLookups.filter((l) => l.conversation === 'a:teams-chat-verified')).toEqual([
      {
        conversation: 'a:teams-chat-verified',
        userId: '29:verified',
        authorization: expect.stringMatching(/^Bearer ey/),
      },
    ]);
  });

  it('has a picture they paste fetched with the bot’s token and kept for the agents', async () => {
    const serviceUrl = `${fakeUrl}/connector`;
    await teamsSays('a:teams-chat-verified', casey, {
      text: 'This is what I see',
      attachments: [
        { contentType: 'image/*', contentUrl: `${serviceUrl}/v3/attachments/0-eus-d3-1/views/original` },
      ],
    });
    const conversation = await conversationOf('a:teams-chat-verified');
    const message = (await h.repos.messages.list(conversation!.id)).find(
      (m) => m.text === 'This is what I see',
    );
    const [picture] = message!.attachments;
    expect(picture).toEqual({ name: 'picture-1.png', contentType: 'image/png', fileId: expect.any(String) });
    expect(Buffer.from((await h.repos.files.read(picture!.fileId!))!.bytes)).toEqual(PICTURE);
    expect(pictureGets).toEqual([{ authorization: expect.stringMatching(/^Bearer ey/) }]);
  });

  it('is verified without an e-mail when Teams cannot say, and the chat goes on', async () => {
    const before = connectorCalls.length;
    await teamsSays('a:teams-chat-unlisted', robin);
    expect((await conversationOf('a:teams-chat-unlisted'))?.context.visitor.verified).toEqual({
      by: 'microsoft-teams',
      id: robin.aadObjectId,
      name: 'Robin Unlisted',
    });
    // The bot greeted them as any customer.
    expect(connectorCalls.length).toBeGreaterThan(before);
  });
});

describe('the local Direct Line channel with MicrosoftAppId set', () => {
  it('delivers in-process, replies in-process, and takes replies over HTTP only with the bot token', async () => {
    const tokensBefore = tokensIssued;
    const generated = (await (
      await fetch(`${h.url}/v3/directline/tokens/generate`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TEST_DIRECT_LINE_SECRET}` },
      })
    ).json()) as { token: string };
    const started = (await (
      await fetch(`${h.url}/v3/directline/conversations`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${generated.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: { id: 'dl_authmodeuser1' } }),
      })
    ).json()) as { conversationId: string; token: string };
    await h.bot.idle();
    const page = (await (
      await fetch(`${h.url}/v3/directline/conversations/${started.conversationId}/activities`, {
        headers: { Authorization: `Bearer ${started.token}` },
      })
    ).json()) as { activities: Array<{ type: string; name?: string }> };
    expect(page.activities.some((a) => a.type === 'event' && a.name === 'preChatSurvey')).toBe(true);
    // The bot reached its own channel without a network call: no token was fetched for it.
    expect(tokensIssued).toBe(tokensBefore);

    const forged = await fetch(
      `${h.url}/v3/directline/v3/conversations/${started.conversationId}/activities`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'I am the bot, honest' }),
      },
    );
    expect(forged.status).toBe(401);

    // Another instance of the bot (its conversation reference names this channel) replies over HTTP
    // with the token Entra ID issued it, and the customer gets the reply.
    const { access_token } = (await (
      await fetch(`${fakeUrl}/token`, { method: 'POST', body: new URLSearchParams({ client_id: APP_ID }) })
    ).json()) as { access_token: string };
    const fromSibling = await fetch(
      `${h.url}/v3/directline/v3/conversations/${started.conversationId}/activities`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${access_token}` },
        body: JSON.stringify({ type: 'message', text: 'from the other instance' }),
      },
    );
    expect(fromSibling.status).toBe(200);
    const after = (await (
      await fetch(`${h.url}/v3/directline/conversations/${started.conversationId}/activities`, {
        headers: { Authorization: `Bearer ${started.token}` },
      })
    ).json()) as { activities: Array<{ text?: string }> };
    expect(after.activities.some((a) => a.text === 'from the other instance')).toBe(true);
  });
});
