import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signIn, until, type Json } from '../api/support/clients.js';
import { PDF, png } from '../support/sample-files.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startFakeConnector, type FakeConnector } from './support/fake-connector.js';
import type { AdaptiveCard } from '../../bot/cards/index.js';
import { BOUND_REPLIES, CONSULTS_COLLECTION, type ConsultRecord } from '../../bot/teams/consult-relay.js';
import {
  BOT,
  TeamsClient,
  TENANT,
  teamsUser,
  type InvokeAnswer,
  type TeamsUser,
} from './support/teams-client.js';

// Teams played over real HTTP: msteams activities posted to the real app's /api/messages, and a
// local Bot Connector (the activities' serviceUrl) receiving what the bot sends back and proactively.

const alex = teamsUser('alex', 'Alex Rivera');
const chen = teamsUser('chen', 'Chen Wei');
const employee = teamsUser('erin', 'Erin Employee');

let connector: FakeConnector;
let server: TestServer;
let teams: TeamsClient;

beforeEach(async () => {
  connector = await startFakeConnector();
  server = await startTestServer();
  teams = new TeamsClient(server.url, connector.url);
  const { repos, router } = server.services;
  await repos.agents.update('agent_alex', { aadObjectId: alex.aadObjectId });
  await repos.agents.update('agent_chen', { aadObjectId: chen.aadObjectId });
  for (const agent of await repos.agents.list({ limit: 100 })) await router.presence.set(agent.id, 'away');
});

afterEach(async () => {
  await server?.close();
  await connector?.close();
});

const texts = (user: TeamsUser) =>
  connector
    .inConversation(user.chatId)
    .map((c) => c.activity.text as string | undefined)
    .filter(Boolean);

/** The entity Teams sends with a message that @mentions the bot, whose text has `<at>Switchboard</at>`. */
const botMention = { type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT };

/** A message that @mentions the bot, as Teams sends every message to it in a group chat or channel. */
function mentioning(user: TeamsUser, text: string, fields: Record<string, unknown> = {}) {
  return teams.post(
    teams.activity(user, {
      type: 'message',
      text: `<at>${BOT.name}</at> ${text}`,
      entities: [botMention],
      ...fields,
    }),
  );
}

const groupChat = { id: '19:group-chat@thread.v2', conversationType: 'groupChat', tenantId: TENANT };
const teamChannel = {
  id: '19:general@thread.tacv2;messageid=1700000000000',
  conversationType: 'channel',
  tenantId: TENANT,
  isGroup: true,
};

/** The newest state of the only card in a chat. */
function onlyCard(user: TeamsUser) {
  const cards = [...connector.cards(user.chatId).entries()];
  expect(cards).toHaveLength(1);
  const [activityId, card] = cards[0]!;
  return { activityId, card, json: JSON.stringify(card) };
}

/** The card's buttons, as `{ type, title, verb, data }`. */
function actionsOf(card: AdaptiveCard) {
  return (card.actions ?? []).map((a) => ({
    type: a.type,
    title: a.title,
    verb: a.type === 'Action.Execute' ? a.verb : undefined,
    data: a.type === 'Action.Execute' ? a.data : {},
  }));
}

function button(card: AdaptiveCard, verb: string) {
  const found = actionsOf(card).find((a) => a.verb === verb);
  expect(found, `a ${verb} button`).toBeDefined();
  return found as { verb: string; data: Record<string, string> };
}

/** Every Action.Execute anywhere in a card (queue buttons sit inside containers). */
function executes(card: AdaptiveCard): Array<{ verb: string; data: Record<string, string> }> {
  const found: Array<{ verb: string; data: Record<string, string> }> = [];
  JSON.stringify(card, (_key, value: unknown) => {
    const v = value as { type?: string; verb?: string; data?: Record<string, string> };
    if (v && v.type === 'Action.Execute' && v.verb) found.push({ verb: v.verb, data: v.data ?? {} });
    return value;
  });
  return found;
}

/** The card an invoke was answered with. */
function answered(res: { status: number; body: InvokeAnswer | undefined }): AdaptiveCard {
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  return res.body!.value;
}

async function conversationOf(user: TeamsUser) {
  const customer = await server.services.repos.customers.findByIdentity('msteams', user.id);
  expect(customer).not.toBeNull();
  const [c] = await server.services.repos.conversations.findByCustomer(customer!.id);
  return c!;
}

/** An employee asks the helpdesk for a person; routing queues it in the Teams work stream. */
async function employeeAsksForAPerson(who: TeamsUser = employee, problem = 'My laptop cannot reach the VPN') {
  expect((await teams.say(who, 'hi')).status).toBe(200);
  // The Teams work stream asks for the topic first (its survey comes from its routing rules).
  expect((await teams.say(who, 'Other')).status).toBe(200);
  expect((await teams.say(who, `${problem}, I want to talk to a real person`)).status).toBe(200);
  await expect
    .poll(async () => (await conversationOf(who)).status, { timeout: 3000 })
    .not.toBe('bot')
    .catch((err: unknown) => {
      throw new Error(`${String(err)}; the employee saw ${JSON.stringify(texts(who))}`);
    });
  return conversationOf(who);
}

describe('an agent in Teams', () => {
  it('is remembered at installation: the chat proactive cards go to', async () => {
    expect((await teams.install(alex)).status).toBe(200);
    const agent = await server.services.repos.agents.get('agent_alex');
    expect(agent?.teamsConversationRef).toMatchObject({
      serviceUrl: connector.url,
      conversation: { id: alex.chatId },
      user: { id: alex.id, aadObjectId: alex.aadObjectId },
    });
    expect(texts(alex)[0]).toMatch(/^Hi Alex Rivera!/);
  });

  it('is remembered from a first message too, and gets help instead of the customer bot', async () => {
    await teams.say(alex, 'hello');
    expect((await server.services.repos.agents.get('agent_alex'))?.teamsConversationRef).toMatchObject({
      conversation: { id: alex.chatId },
    });
    expect(texts(alex)).toEqual([expect.stringContaining('Conversation offers arrive here as cards')]);
    expect(await server.services.repos.customers.findByIdentity('msteams', alex.id)).toBeNull();
  });
});

describe('the internal helpdesk', () => {
  it('treats a Teams user who is not an agent as a customer of the Teams work stream, routed like any other', async () => {
    await server.services.router.presence.set('agent_chen', 'available');
    const c = await employeeAsksForAPerson();
    expect(c).toMatchObject({
      channel: 'msteams',
      workstreamId: 'ws_teams',
      queueId: 'queue_technical',
      status: 'offered',
      agentId: 'agent_chen',
    });
    expect(texts(employee)).toContain("Sure, I'm connecting you with an agent. Please stay in this chat.");
    // Local mode: no Bot Connector token vouched for the activity, so its Entra id proves nothing
    // (bot-auth.test.ts has the vouched-for case).
    expect(c.context.visitor).toEqual({ authenticated: false });
  });

  it('keeps a picture the employee pastes, which the connector serves only to the bot, for the agents to open', async () => {
    await server.services.router.presence.set('agent_chen', 'available');
    const c = await employeeAsksForAPerson();
    const screenshot = png(8);
    const pasted = connector.attachment('0-eus-d1-screenshot', screenshot, 'image/png');
    const disguised = connector.attachment(
      '0-eus-d1-page',
      Buffer.from('<html><script>1</script>'),
      'image/png',
    );
    const res = await teams.post(
      teams.activity(employee, {
        type: 'message',
        text: 'This is the error I get',
        attachments: [
          { contentType: 'image/*', contentUrl: pasted },
          { contentType: 'image/*', contentUrl: disguised },
          // Teams' formatted copy of the message, which is no file.
          { contentType: 'text/html', content: '<p>This is the error I get <img src="…"></p>' },
        ],
      }),
    );
    expect(res.status).toBe(200);
    const sam = await signIn(server.url, 'supervisor_sam');
    const message = await until('the message is in the transcript', async () => {
      const items = (await sam.call('GET', `/conversations/${c.id}/messages`)).body.items as Json[];
      return items.find((m) => m.text === 'This is the error I get');
    });
    const [picture, refused, ...rest] = message.attachments as Json[];
    expect(rest).toEqual([]);
    expect(picture).toEqual({ name: 'picture-1.png', contentType: 'image/png', fileId: expect.any(String) });
    // Not a picture: named only, and not as the link nobody but the bot could open.
    expect(refused).toEqual({ name: 'picture', contentType: 'image/*' });
    const file = await fetch(`${server.url}/api/v1/conversations/${c.id}/files/${String(picture!.fileId)}`, {
      headers: { Authorization: `Bearer ${sam.token}` },
    });
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(screenshot);
    // Local mode: the emulator's connector asks for no token (bot-auth.test.ts has the bot's).
    expect(connector.attachmentGets.map((g) => g.authorization)).toEqual([undefined, undefined]);

    // A message of many pictures does not hold the turn for each: five are fetched, the rest named.
    const many = Array.from({ length: 7 }, () => ({ contentType: 'image/*', contentUrl: pasted }));
    await teams.post(
      teams.activity(employee, { type: 'message', text: 'All my screens', attachments: many }),
    );
    const all = await until('the pictures are in the transcript', async () => {
      const items = (await sam.call('GET', `/conversations/${c.id}/messages`)).body.items as Json[];
      return items.find((m) => m.text === 'All my screens');
    });
    const kept = (all.attachments as Json[]).map((a) => (a.fileId ? 'kept' : 'named'));
    expect(kept).toEqual(['kept', 'kept', 'kept', 'kept', 'kept', 'named', 'named']);
  });

  it('keeps a file the employee attaches, fetched from its OneDrive download address, when it is what it says', async () => {
    await server.services.router.presence.set('agent_chen', 'available');
    const c = await employeeAsksForAPerson();
    const shared = (name: string, downloadUrl: string, fileType: string) => ({
      contentType: 'application/vnd.microsoft.teams.file.download.info',
      contentUrl: `https://contoso-my.sharepoint.com/personal/erin/Documents/Microsoft Teams Chat Files/${name}`,
      name,
      content: { downloadUrl, uniqueId: `unique-${name}`, fileType },
    });
    const res = await teams.post(
      teams.activity(employee, {
        type: 'message',
        text: 'My bill and my notes',
        attachments: [
          shared('bill.pdf', connector.oneDriveFile('bill', PDF), 'pdf'),
          // A page renamed: refused as a web customer's upload would be.
          shared(
            'notes.pdf',
            connector.oneDriveFile('notes', Buffer.from('<html><script>1</script>')),
            'pdf',
          ),
          // An address inside the network the bot runs in: never fetched.
          shared('inside.pdf', 'http://169.254.169.254/latest/meta-data', 'pdf'),
          shared(
            'scan.pdf',
            connector.oneDriveFile('scan', Buffer.concat([PDF, Buffer.alloc(5 << 20)])),
            'pdf',
          ),
        ],
      }),
    );
    expect(res.status).toBe(200);
    const sam = await signIn(server.url, 'supervisor_sam');
    const message = await until('the message is in the transcript', async () => {
      const items = (await sam.call('GET', `/conversations/${c.id}/messages`)).body.items as Json[];
      return items.find((m) => m.text === 'My bill and my notes');
    });
    expect(message.attachments).toEqual([
      { name: 'bill.pdf', contentType: 'application/pdf', fileId: expect.any(String) },
      { name: 'notes.pdf', contentType: 'application/pdf' },
      { name: 'inside.pdf', contentType: 'application/pdf' },
      { name: 'scan.pdf', contentType: 'application/pdf' },
    ]);
    // The employee hears which did not reach the agent, and why; the agent reads it too.
    const refusal =
      "Sorry, I couldn't pass on what you attached: notes.pdf is not the application/pdf file it says it is; " +
      "inside.pdf couldn't be fetched; scan.pdf is larger than 4 MB.";
    await expect.poll(() => texts(employee)).toContain(refusal);
    await expect
      .poll(async () =>
        ((await sam.call('GET', `/conversations/${c.id}/messages`)).body.items as Json[]).map((m) => m.text),
      )
      .toContain(refusal);
    const [bill] = message.attachments as Json[];
    const file = await fetch(`${server.url}/api/v1/conversations/${c.id}/files/${String(bill!.fileId)}`, {
      headers: { Authorization: `Bearer ${sam.token}` },
    });
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(PDF);
    // The download address is pre-authorised: no token of the bot's goes to it.
    expect(connector.attachmentGets).toEqual([]);
  });

  it('shows the employee the pictures an agent sends in the chat itself, and hands other files over into their OneDrive when they allow it', async () => {
    await server.services.router.presence.set('agent_chen', 'available');
    const c = await employeeAsksForAPerson();
    await server.services.router.accept(c.id, 'agent_chen');
    const chen = await signIn(server.url, 'agent_chen');
    const picture = png(6);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(picture)], { type: 'image/png' }), 'vpn-settings.png');
    form.append('file', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), 'vpn-guide.pdf');
    form.append('text', 'Use these settings');
    const sent = await fetch(`${server.url}/api/v1/conversations/${c.id}/files`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${chen.token}` },
      body: form,
    });
    expect(sent.status).toBe(201);
    const got = await until('the files reach the employee', () =>
      connector.inConversation(employee.chatId).find((m) => m.activity.text === 'Use these settings'),
    );
    const guideId = ((await sent.json()) as { attachments: Json[] }).attachments[1]!.fileId as string;
    expect(got.activity.attachments).toEqual([
      {
        contentType: 'image/png',
        name: 'vpn-settings.png',
        contentUrl: `data:image/png;base64,${picture.toString('base64')}`,
      },
      {
        contentType: 'application/vnd.microsoft.teams.card.file.consent',
        name: 'vpn-guide.pdf',
        content: {
          description:
            'Chen Wei sent you vpn-guide.pdf. Allow it to save it to your OneDrive and open it here.',
          sizeInBytes: PDF.length,
          acceptContext: { fileId: guideId },
          declineContext: { fileId: guideId },
        },
      },
    ]);

    const uploadInfo = {
      name: 'vpn-guide.pdf',
      uploadUrl: connector.uploadSession('vpn-guide.pdf'),
      contentUrl: 'https://contoso-my.sharepoint.com/personal/erin/Documents/Applications/vpn-guide.pdf',
      uniqueId: '1150D938-8870-4044-9F2C-5BBDEBA70C9D',
      fileType: 'pdf',
    };
    const accept = { type: 'fileUpload', action: 'accept', context: { fileId: guideId }, uploadInfo };
    // Someone else's chat naming the file gets nothing: it was offered in Erin's chat only.
    const other = teamsUser('mallory', 'Mallory');
    expect((await teams.fileConsent(other, got.activityId, accept)).status).toBe(400);
    expect(connector.uploads).toEqual([]);

    expect((await teams.fileConsent(employee, got.activityId, accept)).status).toBe(200);
    expect(connector.uploads).toEqual([
      { name: 'vpn-guide.pdf', bytes: PDF, contentRange: `bytes 0-${PDF.length - 1}/${PDF.length}` },
    ]);
    const card = connector
      .inConversation(employee.chatId)
      .find(
        (m) => m.activity.attachments?.[0]?.contentType === 'application/vnd.microsoft.teams.card.file.info',
      );
    expect(card?.activity.attachments).toEqual([
      {
        contentType: 'application/vnd.microsoft.teams.card.file.info',
        name: 'vpn-guide.pdf',
        contentUrl: uploadInfo.contentUrl,
        content: { uniqueId: uploadInfo.uniqueId, fileType: 'pdf' },
      },
    ]);
    // The consent card goes once answered.
    expect(connector.calls.filter((m) => m.method === 'DELETE').map((m) => m.activityId)).toEqual([
      got.activityId,
    ]);
    const notes = async () =>
      ((await chen.call('GET', `/conversations/${c.id}/messages`)).body.items as Json[])
        .filter((m) => m.visibility === 'internal')
        .map((m) => m.text);
    await expect.poll(notes).toContain('Erin Employee saved vpn-guide.pdf to their OneDrive.');

    // The chat ends and Erin starts another before answering a card again: a Decline uploads
    // nothing, and the note goes to the conversation the file was sent in.
    expect((await chen.call('POST', `/conversations/${c.id}/end`)).body.status).toBe('wrap-up');
    expect(
      (await chen.call('POST', `/conversations/${c.id}/wrap-up`, { disposition: 'solved' })).status,
    ).toBe(200);
    await until('the rating question', () =>
      texts(employee).find((t) => t?.startsWith('This conversation has ended. How would you rate')),
    );
    expect((await teams.say(employee, 'skip')).status).toBe(200);
    expect((await teams.say(employee, 'One more thing')).status).toBe(200);
    const customer = await server.services.repos.customers.findByIdentity('msteams', employee.id);
    const next = await until('a second conversation', async () =>
      (await server.services.repos.conversations.findByCustomer(customer!.id)).find((x) => x.id !== c.id),
    );
    const decline = { type: 'fileUpload', action: 'decline', context: { fileId: guideId } };
    expect((await teams.fileConsent(employee, got.activityId, decline)).status).toBe(200);
    expect(connector.uploads).toHaveLength(1);
    await expect.poll(notes).toContain('Erin Employee declined vpn-guide.pdf.');
    const nextMessages = await server.services.repos.messages.list(next.id);
    expect(nextMessages.map((m) => m.text)).not.toContain('Erin Employee declined vpn-guide.pdf.');
  });
});

describe('the helpdesk in group chats and channels', () => {
  it('points an employee to a personal chat and keeps, routes and posts nothing of their conversation there', async () => {
    const { repos, router } = server.services;
    await router.presence.set('agent_chen', 'available');
    const fay = teamsUser('fay', 'Fay Employee');
    for (const text of ['hi', 'Other', 'My salary slip is wrong, I want to talk to a real person'])
      expect((await mentioning(employee, text, { conversation: groupChat })).status).toBe(200);
    expect((await mentioning(fay, 'hello', { conversation: groupChat })).status).toBe(200);
    expect((await mentioning(employee, 'my VPN is down', { conversation: teamChannel })).status).toBe(200);
    await server.app.services.bot.idle();

    const pointer = (who: TeamsUser) => ({
      text: expect.stringMatching(
        new RegExp(
          `^<at>${who.name}</at> I help only in a personal chat, .*Nothing you write here is passed on`,
        ),
      ),
      entities: [
        { type: 'mention', text: `<at>${who.name}</at>`, mentioned: { id: who.id, name: who.name } },
      ],
    });
    const posted = (chat: { id: string }) => connector.inConversation(chat.id).map((m) => m.activity);
    expect(posted(groupChat)).toEqual([
      expect.objectContaining(pointer(employee)),
      expect.objectContaining(pointer(employee)),
      expect.objectContaining(pointer(employee)),
      expect.objectContaining(pointer(fay)),
    ]);
    expect(posted(teamChannel)).toEqual([expect.objectContaining(pointer(employee))]);
    // Nobody became a helpdesk customer, so no conversation exists whose agent could write there.
    expect(await repos.customers.findByIdentity('msteams', employee.id)).toBeNull();
    expect(await repos.customers.findByIdentity('msteams', fay.id)).toBeNull();
    expect(await repos.conversations.count({ agentId: 'agent_chen' })).toBe(0);
  });

  it("answers an agent's command there as in their personal chat", async () => {
    expect((await mentioning(alex, 'queues', { conversation: groupChat })).status).toBe(200);
    await expect.poll(() => connector.cards(groupChat.id).size).toBe(1);
    expect(JSON.stringify([...connector.cards(groupChat.id).values()][0])).toContain('Technical support');
    expect(await server.services.repos.customers.findByIdentity('msteams', alex.id)).toBeNull();
  });

  it("greets in a personal chat when the app is added there, and says nothing on a team's roster change", async () => {
    const olga = teamsUser('olga', 'Olga Owner');
    const channel = { id: '19:general@thread.tacv2', conversationType: 'channel', tenantId: TENANT };
    const team = { tenant: { id: TENANT }, team: { id: channel.id, name: 'Sales' } };
    // Someone joins a team the app is in; the app is added to the team; an agent installs it there.
    expect(
      (
        await teams.post(
          teams.activity(olga, {
            type: 'conversationUpdate',
            conversation: channel,
            membersAdded: [{ id: '29:newbie', aadObjectId: 'aad-newbie' }],
            channelData: { ...team, eventType: 'teamMemberAdded' },
          }),
        )
      ).status,
    ).toBe(200);
    await teams.post(
      teams.activity(olga, {
        type: 'conversationUpdate',
        conversation: channel,
        membersAdded: [{ id: BOT.id }],
        channelData: { ...team, eventType: 'teamMemberAdded' },
      }),
    );
    await teams.post(
      teams.activity(alex, {
        type: 'installationUpdate',
        action: 'add',
        conversation: channel,
        channelData: team,
      }),
    );
    await server.app.services.bot.idle();
    expect(connector.inConversation(channel.id)).toEqual([]);
    expect(await server.services.repos.customers.findByIdentity('msteams', olga.id)).toBeNull();

    // Olga installs the app for herself: Teams names only the bot as added to her personal chat.
    await teams.post(teams.activity(olga, { type: 'conversationUpdate', membersAdded: [{ id: BOT.id }] }));
    await expect.poll(() => texts(olga)[0]).toContain("I'm the Northwind Fiber virtual assistant");
  });

  it('withholds what an agent writes from a group chat an older conversation still answers in, and tells the agents', async () => {
    const { repos, router } = server.services;
    await router.presence.set('agent_chen', 'available');
    const c = await employeeAsksForAPerson();
    await router.accept(c.id, 'agent_chen');
    // A conversation from before the helpdesk kept to personal chats: its channel reference names
    // the group chat it began in.
    const oldGroup = { ...groupChat, id: '19:older-group@thread.v2' };
    await repos.conversations.change(c.id, (x) => ({
      ...x,
      channelRef: { ...x.channelRef, conversation: oldGroup },
    }));
    const agent = await signIn(server.url, 'agent_chen');
    const text = 'Erin, your salary slip shows the wrong tax code';
    expect(
      (await agent.call('POST', `/conversations/${c.id}/messages`, { text, visibility: 'public' })).status,
    ).toBe(201);
    const internal = async () =>
      ((await agent.call('GET', `/conversations/${c.id}/messages`)).body.items as Json[])
        .filter((m) => m.visibility === 'internal')
        .map((m) => m.text as string);
    await expect
      .poll(internal)
      .toContainEqual(expect.stringMatching(/^Not sent \("Erin, your salary slip.*group chat/));
    await server.app.services.bot.idle();
    expect(connector.inConversation(oldGroup.id)).toEqual([]);
    expect(connector.inConversation(employee.chatId).map((m) => m.activity.text)).not.toContain(text);
  });
});

describe('an @mention of the bot', () => {
  it('is no part of what was said: an agent’s command matches, an employee’s words are kept without it', async () => {
    await teams.install(alex);
    await mentioning(alex, 'queues');
    await expect.poll(() => connector.cards(alex.chatId).size).toBe(1);

    await mentioning(employee, 'hi');
    await mentioning(employee, 'Other');
    await mentioning(employee, 'My laptop cannot reach the VPN');
    const c = await conversationOf(employee);
    await expect
      .poll(async () =>
        (await server.services.repos.messages.list(c.id))
          .filter((m) => m.author === 'customer')
          .map((m) => m.text),
      )
      .toEqual(['hi', 'Other', 'My laptop cannot reach the VPN']);
  });
});

describe('offers as cards in Teams', () => {
  async function offeredToAlex() {
    await teams.install(alex);
    await server.services.router.presence.set('agent_alex', 'available');
    const c = await employeeAsksForAPerson();
    await expect.poll(() => connector.cards(alex.chatId).size).toBe(1);
    expect((await server.services.repos.conversations.get(c.id))?.status).toBe('offered');
    return c;
  }

  it('sends the customer, channel, queue, wait, first message and why it came to them', async () => {
    const c = await offeredToAlex();
    const { card, json } = onlyCard(alex);
    expect(card.body[1]).toHaveProperty('facts', [
      { title: 'Customer', value: 'Erin Employee' },
      { title: 'Channel', value: 'Microsoft Teams' },
      { title: 'Queue', value: 'Technical support' },
      { title: 'Waiting', value: expect.stringMatching(/^\d+ s$/) },
    ]);
    expect(json).toContain('“hi”');
    // Why it came to Alex: routing's own reason for the offer, as the tab shows it.
    const offered = (await server.services.repos.events.byConversation(c.id)).find(
      (e) => e.type === 'conversation.offered',
    );
    const summary = offered?.type === 'conversation.offered' ? offered.reason?.summary : undefined;
    expect(summary).toBeTruthy();
    const lines = card.body.flatMap((el) =>
      el.type === 'TextBlock' ? [el.text.replace(/\\(.)/g, '$1')] : [],
    );
    expect(lines).toContain(`Why you: ${summary}`);
    expect(actionsOf(card).map((a) => [a.type, a.verb])).toEqual([
      ['Action.Execute', 'offer.accept'],
      ['Action.Execute', 'offer.reject'],
    ]);
    expect(card.refresh).toMatchObject({ action: { verb: 'offer.refresh' }, userIds: [alex.id] });
  });

  it('Accept assigns the conversation, answers with the new card and refreshes the message for all; a second Accept shows it taken', async () => {
    const c = await offeredToAlex();
    const { activityId, card } = onlyCard(alex);
    const accept = button(card, 'offer.accept');

    const answer = answered(await teams.execute(alex, accept.verb, accept.data, { replyToId: activityId }));
    expect(JSON.stringify(answer)).toContain('Taken by you (Alex Rivera)');
    expect(actionsOf(answer)).toEqual([
      expect.objectContaining({ type: 'Action.OpenUrl', title: 'Open in workspace' }),
    ]);
    expect(await server.services.repos.conversations.get(c.id)).toMatchObject({
      status: 'active',
      agentId: 'agent_alex',
    });

    // The message itself is replaced, so every device and anyone scrolling back sees the outcome.
    await expect
      .poll(() => connector.calls.filter((x) => x.method === 'PUT' && x.activityId === activityId).length)
      .toBeGreaterThan(0);
    expect(onlyCard(alex).json).toContain('Taken by you (Alex Rivera)');

    const again = answered(await teams.execute(alex, accept.verb, accept.data, { replyToId: activityId }));
    expect(JSON.stringify(again)).toContain('Taken by you');
    expect(actionsOf(again).some((a) => a.verb === 'offer.accept')).toBe(false);
    expect(await server.services.repos.conversations.get(c.id)).toMatchObject({
      status: 'active',
      agentId: 'agent_alex',
    });
  });

  it("another agent's Accept on the card changes nothing", async () => {
    const c = await offeredToAlex();
    const { activityId, card } = onlyCard(alex);
    const accept = button(card, 'offer.accept');
    const res = await teams.execute(chen, accept.verb, accept.data, { replyToId: activityId });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      type: 'application/vnd.microsoft.activity.message',
      value: 'This offer was made to someone else.',
    });
    expect(await server.services.repos.conversations.get(c.id)).toMatchObject({
      status: 'offered',
      agentId: 'agent_alex',
    });
    await server.app.services.bot.idle();
    expect(onlyCard(alex).json).toContain('New conversation for you');
  });

  it('a Teams redelivery of the same click acts once', async () => {
    const c = await offeredToAlex();
    const { activityId, card } = onlyCard(alex);
    const accept = button(card, 'offer.accept');
    const same = { id: 'invoke-retried-1', replyToId: activityId };
    const [first, second] = await Promise.all([
      teams.execute(alex, accept.verb, accept.data, same),
      teams.execute(alex, accept.verb, accept.data, same),
    ]);
    for (const res of [first, second])
      expect(JSON.stringify(answered(res))).toMatch(/Taken by you|New conversation/);
    await server.app.services.bot.idle();
    const accepted = (await server.services.repos.events.byConversation(c.id)).filter(
      (e) => e.type === 'conversation.accepted',
    );
    expect(accepted).toHaveLength(1);
    expect(onlyCard(alex).json).toContain('Taken by you (Alex Rivera)');
  });

  it('Reject sends it on and the card says so', async () => {
    const c = await offeredToAlex();
    const { card } = onlyCard(alex);
    const reject = button(card, 'offer.reject');
    const answer = answered(await teams.execute(alex, reject.verb, reject.data));
    expect(JSON.stringify(answer)).toContain('You passed on this conversation');
    const after = await server.services.repos.conversations.get(c.id);
    expect(after?.declinedBy).toContain('agent_alex');
    expect(after?.agentId).not.toBe('agent_alex');
  });

  it('an offer that expires shows expired, and a late Accept changes nothing', async () => {
    await server.services.repos.workstreams.update('ws_teams', { offerTimeoutSeconds: 1 });
    await server.services.router.reload();
    const c = await offeredToAlex();
    const { activityId, card } = onlyCard(alex);
    // Once Alex's offer lapses, routing offers it to Chen, who is available too.
    await server.services.router.presence.set('agent_chen', 'available');
    const first = () => JSON.stringify(connector.cards(alex.chatId).get(activityId));
    await expect.poll(first, { timeout: 10_000 }).toContain('This offer expired at');
    expect(first()).toContain('so your presence is now Away');
    expect((await server.services.repos.agents.get('agent_alex'))?.chosenPresence).toBe('away');
    expect(connector.calls.some((x) => x.method === 'PUT' && x.activityId === activityId)).toBe(true);

    const accept = button(card, 'offer.accept');
    const late = answered(await teams.execute(alex, accept.verb, accept.data));
    expect(JSON.stringify(late)).toContain('This offer expired at');
    const after = await server.services.repos.conversations.get(c.id);
    expect(after?.agentId).not.toBe('agent_alex');
    expect(after?.declinedBy).toContain('agent_alex');
  });

  it('retries a 429 from the connector after its Retry-After', async () => {
    await teams.install(alex);
    await server.services.router.presence.set('agent_alex', 'available');
    await teams.say(employee, 'hi');
    await teams.say(employee, 'Other');
    await server.app.services.bot.idle();
    connector.failNext(1, 429, '1');
    await teams.say(employee, 'I want to talk to a real person');
    await expect.poll(() => connector.cards(alex.chatId).size, { timeout: 10_000 }).toBe(1);
    const throttled = connector.attempts.find((a) => a.status === 429)!;
    const delivered = connector.calls.find(
      (c) => c.conversationId === alex.chatId && c.activity.attachments,
    )!;
    expect(delivered.at - throttled.at).toBeGreaterThanOrEqual(1000);
  });
});

describe('sentiment alerts in Teams', () => {
  const sam = teamsUser('sam', 'Sam Supervisor');

  it("alerts a supervisor of the queue once when the customer's sentiment crosses their threshold", async () => {
    const { repos, router } = server.services;
    await repos.agents.update('supervisor_sam', { aadObjectId: sam.aadObjectId });
    await teams.install(sam);
    await router.presence.set('agent_chen', 'available');
    const c = await employeeAsksForAPerson();
    await router.accept(c.id, 'agent_chen');

    await teams.say(employee, 'This is terrible, I am furious, the worst service I have ever had');
    await expect.poll(() => connector.cards(sam.chatId).size, { timeout: 10_000 }).toBe(1);
    const [card] = [...connector.cards(sam.chatId).values()];
    const json = JSON.stringify(card);
    expect(json).toMatch(/Sentiment is (very negative|negative)/);
    expect(json).toContain('the worst service I have ever had');
    expect(card!.body[1]).toHaveProperty(
      'facts',
      expect.arrayContaining([
        { title: 'Customer', value: 'Erin Employee' },
        { title: 'Agent', value: 'Chen Wei' },
      ]),
    );

    // Still angry: no new crossing, no second alert.
    await teams.say(employee, 'Absolutely awful, I am so angry and disappointed');
    await server.app.services.bot.idle();
    const alerts = (await repos.events.byConversation(c.id)).filter(
      (e) => e.type === 'sentiment.alert' && e.recipientId === 'supervisor_sam',
    );
    expect(alerts).toHaveLength(1);
    expect(connector.cards(sam.chatId).size).toBe(1);
  });
});

describe('queues from Teams', () => {
  it('shows my queues and opts me out and back in', async () => {
    await teams.install(alex);
    await teams.say(alex, 'queues');
    await expect.poll(() => connector.cards(alex.chatId).size).toBe(1);
    const { card, json } = onlyCard(alex);
    expect(json).toContain('Technical support');
    expect(json).toContain('Sales & moving');
    expect(executes(card).filter((a) => a.verb.startsWith('queues.opt'))).toEqual([
      { verb: 'queues.optOut', data: { queueId: 'queue_technical' } },
      { verb: 'queues.optOut', data: { queueId: 'queue_sales_moving' } },
    ]);

    const out = answered(await teams.execute(alex, 'queues.optOut', { queueId: 'queue_sales_moving' }));
    expect(JSON.stringify(out)).toContain('You opted out of Sales & moving');
    expect((await server.services.repos.agents.get('agent_alex'))?.optedOutQueueIds).toEqual([
      'queue_sales_moving',
    ]);
    expect(executes(out)).toContainEqual({ verb: 'queues.optIn', data: { queueId: 'queue_sales_moving' } });

    const back = answered(await teams.execute(alex, 'queues.optIn', { queueId: 'queue_sales_moving' }));
    expect(JSON.stringify(back)).toContain('You opted in to Sales & moving');
    expect((await server.services.repos.agents.get('agent_alex'))?.optedOutQueueIds ?? []).toEqual([]);

    // A queue that is not mine is refused with the reason, and nothing changes.
    const refused = await teams.execute(alex, 'queues.optOut', { queueId: 'queue_billing' });
    expect(refused.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    expect(String(refused.body?.value)).toContain('not a member of queue queue_billing');
  });
});

describe('supervisor consult through Teams chat', () => {
  const sam = teamsUser('sam', 'Sam Supervisor');

  /** Chen has Erin's conversation and consults Sam, whose Teams chat got the card. */
  async function samConsulted() {
    const { repos, router } = server.services;
    await repos.agents.update('supervisor_sam', { aadObjectId: sam.aadObjectId });
    await teams.install(sam);
    await router.presence.set('supervisor_sam', 'busy');
    await router.presence.set('agent_chen', 'available');
    const c = await employeeAsksForAPerson();
    await router.accept(c.id, 'agent_chen');
    const chen = await signIn(server.url, 'agent_chen');
    expect(
      (await chen.call('POST', `/conversations/${c.id}/consult`, { agentId: 'supervisor_sam' })).status,
    ).toBe(200);
    await expect.poll(() => connector.cards(sam.chatId).size).toBe(1);
    // The note of the invitation reaches Sam's chat too, on its own time.
    await expect
      .poll(() => texts(sam).some((t) => t?.endsWith('Chen Wei invited Sam Morgan to consult.')))
      .toBe(true);
    /** What Sam's chat got from here on. */
    const since = texts(sam).length;
    return { c, chen, told: () => texts(sam).slice(since) };
  }

  const notesOf = async (conversationId: string) =>
    (await server.services.repos.messages.list(conversationId))
      .filter((m) => m.authorId === 'supervisor_sam')
      .map((m) => ({ text: m.text, visibility: m.visibility, attachments: m.attachments }));

  it('passes on the words of a message with a picture or a file, and tells the consultant the picture or file did not reach the conversation', async () => {
    const { c, told } = await samConsulted();
    const screenshot = connector.attachment('0-eus-d1-router', png(6), 'image/png');
    // Teams' own copy of the message: the words again, no file.
    const html = { contentType: 'text/html', content: '<p>See this screenshot of the router page</p>' };
    await mentioning(sam, 'See this screenshot of the router page', {
      attachments: [{ contentType: 'image/*', contentUrl: screenshot }, html],
    });
    const guide = {
      contentType: 'application/vnd.microsoft.teams.file.download.info',
      name: 'vpn-guide.pdf',
      content: { downloadUrl: connector.oneDriveFile('guide', PDF), uniqueId: 'u1', fileType: 'pdf' },
    };
    await teams.post(teams.activity(sam, { type: 'message', text: '', attachments: [guide] }));
    await teams.post(
      teams.activity(sam, {
        type: 'message',
        attachments: [{ contentType: 'image/*', contentUrl: screenshot }],
      }),
    );

    await expect
      .poll(told)
      .toEqual([
        'Only your words reached the consult about Erin Employee: pictures and files sent here are not passed on, so your picture did not. Describe it in words, or send a link the agent can open.',
        'Pictures and files sent here are not passed on, so vpn-guide.pdf did not reach the consult about Erin Employee. Describe it in words, or send a link the agent can open.',
        'Pictures and files sent here are not passed on, so your picture did not reach the consult about Erin Employee. Describe it in words, or send a link the agent can open.',
      ]);
    // The words, without the @mention of the bot; nothing else.
    expect(await notesOf(c.id)).toEqual([
      { text: 'See this screenshot of the router page', visibility: 'internal', attachments: [] },
    ]);
  });

  it('tells the consultant why a message was not passed on: no visible text, or too long', async () => {
    const { c, told } = await samConsulted();
    await teams.say(sam, '\u200b\u200b');
    await teams.say(sam, 'x'.repeat(29_000));
    await teams.say(sam, 'y'.repeat(4_001));
    await expect
      .poll(told)
      .toEqual([
        'Your message was not passed on to the consult about Erin Employee: it has no text I can pass on.',
        'Your message was not passed on to the consult about Erin Employee: it is longer than 4,000 characters; please send it in shorter parts.',
        'Your message was not passed on to the consult about Erin Employee: it is longer than 4,000 characters; please send it in shorter parts.',
      ]);
    expect(await notesOf(c.id)).toEqual([]);
  });

  it('answers a plain message soon after the consult ended that it ended and was not passed on; commands still work', async () => {
    const { c, chen, told } = await samConsulted();
    expect((await chen.call('POST', `/conversations/${c.id}/end`)).status).toBe(200);
    await expect.poll(told).toContain('Consult about Erin Employee ended: the conversation ended.');
    await teams.say(sam, 'Try resetting the router first');
    await expect
      .poll(told)
      .toContain('The consult about Erin Employee has ended; your message was not passed on.');
    expect(await notesOf(c.id)).toEqual([]);
    await teams.say(sam, 'queues');
    await expect.poll(() => connector.cards(sam.chatId).size).toBe(2);
  });

  it('relays both ways as internal messages until the consult ends, and the customer sees none of it', async () => {
    const { repos } = server.services;
    // Chen, in the workspace tab, consults Sam: the card reaches Sam's Teams chat.
    const { c, chen } = await samConsulted();
    const [consultCard] = [...connector.cards(sam.chatId).values()];
    const json = JSON.stringify(consultCard);
    expect(json).toContain('Chen Wei asks for your help');
    expect(json).toContain('Erin Employee');
    expect(json).toContain('My laptop cannot reach the VPN');

    // Sam answers in Teams; a Teams redelivery of that message is relayed once.
    await teams.say(sam, 'Offer a loaner laptop', 'sam-msg-1');
    await teams.say(sam, 'Offer a loaner laptop', 'sam-msg-1');
    await expect
      .poll(async () => (await repos.messages.list(c.id)).filter((m) => m.text === 'Offer a loaner laptop'))
      .toEqual([expect.objectContaining({ visibility: 'internal', authorId: 'supervisor_sam' })]);

    // Chen's internal note reaches Sam's chat; Chen's public reply does not.
    await chen.call('POST', `/conversations/${c.id}/messages`, {
      text: 'Is a loaner OK for VPN?',
      visibility: 'internal',
    });
    await chen.call('POST', `/conversations/${c.id}/messages`, {
      text: 'Let me check for you',
      visibility: 'public',
    });
    await expect
      .poll(() => texts(sam))
      .toContain('Chen Wei (internal) about Erin Employee: Is a loaner OK for VPN?');
    await server.app.services.bot.idle();
    expect(texts(sam).join('\n')).not.toContain('Let me check for you');

    // Nothing internal ever reached the employee's chat.
    const employeeSaw = texts(employee).join('\n');
    expect(employeeSaw).not.toContain('loaner');
    expect(employeeSaw).toContain('Let me check for you');

    // Sam ends the consult from the card; later messages stay in Teams.
    const end = button(consultCard!, 'consult.end');
    const ended = answered(await teams.execute(sam, end.verb, end.data));
    expect(JSON.stringify(ended)).toContain('Consult ended');
    // One notice, saying why: the button, not the participant.left its leave publishes.
    await server.app.services.bot.idle();
    expect(texts(sam).filter((t) => t?.startsWith('Consult about'))).toEqual([
      'Consult about Erin Employee ended: you ended it.',
    ]);
    expect((await repos.conversations.get(c.id))?.participants).toContainEqual(
      expect.objectContaining({ agentId: 'supervisor_sam', mode: 'consult', leftAt: expect.anything() }),
    );
    await teams.say(sam, 'one more thing');
    await server.app.services.bot.idle();
    expect((await repos.messages.list(c.id)).some((m) => m.text === 'one more thing')).toBe(false);
  });

  it('relays a reply to the consult it answers, and asks which one when a message could be for several', async () => {
    const { repos, router } = server.services;
    const fred = teamsUser('fred', 'Fred Employee');
    await repos.agents.update('supervisor_sam', { aadObjectId: sam.aadObjectId });
    await teams.install(sam);
    await router.presence.set('supervisor_sam', 'busy');
    // Chen takes Erin's conversation and Alex takes Fred's; both consult Sam.
    await router.presence.set('agent_chen', 'available');
    const erins = await employeeAsksForAPerson();
    await expect.poll(async () => (await repos.conversations.get(erins.id))?.agentId).toBe('agent_chen');
    await router.accept(erins.id, 'agent_chen');
    await router.presence.set('agent_chen', 'busy');
    await router.presence.set('agent_alex', 'available');
    const freds = await employeeAsksForAPerson(fred, 'Printer jam');
    await expect.poll(async () => (await repos.conversations.get(freds.id))?.agentId).toBe('agent_alex');
    await router.accept(freds.id, 'agent_alex');
    const chenApi = await signIn(server.url, 'agent_chen');
    const alexApi = await signIn(server.url, 'agent_alex');
    expect(
      (await chenApi.call('POST', `/conversations/${erins.id}/consult`, { agentId: 'supervisor_sam' }))
        .status,
    ).toBe(200);
    await expect.poll(() => connector.cards(sam.chatId).size).toBe(1);
    expect(
      (await alexApi.call('POST', `/conversations/${freds.id}/consult`, { agentId: 'supervisor_sam' }))
        .status,
    ).toBe(200);
    await expect.poll(() => connector.cards(sam.chatId).size).toBe(2);
    const [erinsCard, fredsCard] = [...connector.cards(sam.chatId).keys()] as [string, string];
    const landed = async (conversationId: string, text: string) =>
      (await repos.messages.list(conversationId)).filter((m) => m.text === text);

    // Chen's question reaches Sam, saying whose conversation it is about.
    await chenApi.call('POST', `/conversations/${erins.id}/messages`, {
      text: 'Can Erin get a loaner?',
      visibility: 'internal',
    });
    const question = 'Chen Wei (internal) about Erin Employee: Can Erin get a loaner?';
    await expect.poll(() => texts(sam)).toContain(question);
    const questionId = connector
      .inConversation(sam.chatId)
      .find((c) => c.activity.text === question)!.activityId;

    // A plain answer could be for either consult: it goes to neither, and Sam is told how to answer.
    const answer = 'Yes, Erin (HR case 4471) may get a loaner';
    await teams.say(sam, answer);
    await server.app.services.bot.idle();
    expect(await landed(erins.id, answer)).toEqual([]);
    expect(await landed(freds.id, answer)).toEqual([]);
    const which = texts(sam).find((t) => t?.startsWith('You have 2 consults open'));
    expect(which).toContain('reply to its card or to one of its messages');
    expect(which).toContain('Erin Employee, asked by Chen Wei');
    expect(which).toContain('Fred Employee, asked by Alex Rivera');

    // Sam replies to Chen's question: it lands in Erin's conversation only.
    await teams.post(teams.activity(sam, { type: 'message', text: answer, replyToId: questionId }));
    await expect
      .poll(() => landed(erins.id, answer))
      .toEqual([expect.objectContaining({ visibility: 'internal', authorId: 'supervisor_sam' })]);
    // A chat reply in Teams quotes the message answered (here Fred's card) instead of naming it.
    const quote = (id: string, said: string) => ({
      contentType: 'text/html',
      content:
        `<div><blockquote itemscope="" itemtype="http://schema.skype.com/Reply" itemid="${id}">` +
        `<strong itemprop="mri" itemid="28:switchboard-bot">Switchboard</strong>` +
        `<p itemprop="preview">Alex Rivera asks for your help</p></blockquote><p>${said}</p></div>`,
    });
    const forFred = 'Clear the tray, then power-cycle';
    await teams.post(
      teams.activity(sam, { type: 'message', text: forFred, attachments: [quote(fredsCard, forFred)] }),
    );
    await expect.poll(() => landed(freds.id, forFred)).toHaveLength(1);
    await server.app.services.bot.idle();
    expect(await landed(erins.id, answer)).toHaveLength(1);
    expect(await landed(erins.id, forFred)).toEqual([]);

    // A group chat Sam shares with the bot relays nothing, reply or not.
    const inGroup = 'Fred is on the printer list';
    await teams.post(
      teams.activity(sam, {
        type: 'message',
        text: inGroup,
        replyToId: fredsCard,
        conversation: { id: '19:group-chat@thread.v2', conversationType: 'groupChat' },
      }),
    );
    await server.app.services.bot.idle();
    expect(await landed(freds.id, inGroup)).toEqual([]);

    // Erin's consult ends: a reply to its card is not relayed, and a plain message goes to the one
    // consult left open, Fred's.
    const end = button(connector.cards(sam.chatId).get(erinsCard)!, 'consult.end');
    answered(await teams.execute(sam, end.verb, end.data));
    const late = 'And a bag for the loaner';
    await teams.post(teams.activity(sam, { type: 'message', text: late, replyToId: erinsCard }));
    await expect
      .poll(() => texts(sam))
      .toContain('The consult about Erin Employee has ended; your message was not passed on.');
    expect(await landed(erins.id, late)).toEqual([]);
    await teams.say(sam, 'Tray 2 is the one that jams');
    await expect.poll(() => landed(freds.id, 'Tray 2 is the one that jams')).toHaveLength(1);

    // A long consult binds replies to its latest messages only: its record does not grow without end,
    // and its card stays bound.
    for (let i = 0; i < BOUND_REPLIES + 5; i++)
      await alexApi.call('POST', `/conversations/${freds.id}/messages`, {
        text: `Note ${i}`,
        visibility: 'internal',
      });
    const lastNote = `Alex Rivera (internal) about Fred Employee: Note ${BOUND_REPLIES + 4}`;
    await expect.poll(() => texts(sam), { timeout: 30_000 }).toContain(lastNote);
    const consults = server.services.store.collection<ConsultRecord>(CONSULTS_COLLECTION);
    const lastId = connector.inConversation(sam.chatId).find((c) => c.activity.text === lastNote)!.activityId;
    // The relay records the id the Bot Connector gave the message once its send has returned.
    const record = () => consults.findOne({ conversationId: freds.id, active: true });
    await expect.poll(async () => (await record())?.replyIds?.at(-1)).toBe(lastId);
    const freds2 = await record();
    expect(freds2?.replyIds).toHaveLength(BOUND_REPLIES);
    expect(freds2?.cardActivityId).toBe(fredsCard);
  });
});
