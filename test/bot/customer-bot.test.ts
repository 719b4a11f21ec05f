import { afterEach, describe, expect, it, vi } from 'vitest';
import { initialDialogState } from '../../bot/customer-dialog/index.js';
import { AGENT_ID, QUEUE_ID } from './support/fixtures.js';
import { customerJoins, startTestBot, type TestBot } from './support/test-bot.js';

// The customer bot on botbuilder's TestAdapter, with the real store, router and NLP behind it.
// Text channels (Teams, Emulator, the test channel) get the flow as text; the widget's channel
// (directline) gets events.

let t: TestBot;
afterEach(async () => {
  await t?.close();
});

/** Greets and answers the survey the text way: name, e-mail, topic, optional details. */
async function throughSurvey(bot: TestBot): Promise<void> {
  await bot.say(customerJoins);
  await bot.say('Dana Whitfield');
  await bot.say('dana@example.com');
  await bot.say('Technical');
  await bot.say('skip');
  bot.replies();
}

/** The widget sends the pre-chat answers as one form. */
async function throughWidgetSurvey(bot: TestBot): Promise<void> {
  await bot.say(customerJoins);
  await bot.say({
    type: 'message',
    value: { preChat: { name: 'Dana', email: 'dana@example.com', topic: 'Technical' } },
  });
}

async function escalated(bot: TestBot) {
  await expect.poll(async () => (await bot.conversation()).status).toBe('waiting');
  return bot.conversation();
}

async function offeredToAgent(bot: TestBot): Promise<void> {
  await bot.router.presence.set(AGENT_ID, 'available');
  await bot.router.dispatch();
  await expect.poll(async () => (await bot.conversation()).status).toBe('offered');
}

/** Through the survey, asks for a person and is offered to the agent; what the bot said is read. */
async function offeredAfterSurvey(bot: TestBot) {
  await throughSurvey(bot);
  await bot.say('agent please');
  const c = await escalated(bot);
  await offeredToAgent(bot);
  bot.replies();
  return c;
}

describe('greeting and pre-chat survey', () => {
  it('greets the customer and asks the first survey question', async () => {
    t = await startTestBot();
    await t.say(customerJoins);
    expect(t.texts()).toEqual([
      "Hi! I'm the Northwind Fiber virtual assistant. Before we start, a few quick questions.",
      'What is your name?',
    ]);
    expect((await t.conversation()).status).toBe('bot');
  });

  it('asks one question at a time, re-asks a wrong e-mail, offers the choices, and stores the answers', async () => {
    t = await startTestBot();
    await t.say(customerJoins);
    t.replies();
    await t.say('Dana Whitfield');
    expect(t.texts()).toEqual(['What is your e-mail address?']);
    await t.say('not-an-email');
    expect(t.texts()[0]).toContain("That doesn't look like an e-mail address.");
    await t.say('dana@example.com');
    const topic = t.replies().at(-1);
    expect(topic?.text).toBe('What is it about?');
    expect(topic?.suggestedActions?.actions.map((a) => a.value)).toEqual(['Technical', 'Billing']);
    await t.say('billing');
    expect(t.texts()[0]).toContain('Anything else we should know?');
    await t.say('skip');
    expect(t.texts()).toEqual(['Thanks, Dana! How can I help you today?']);

    const c = await t.conversation();
    expect(c.context.preChat).toEqual({
      name: 'Dana Whitfield',
      email: 'dana@example.com',
      topic: 'Billing',
    });
    const customer = await t.repos.customers.get(c.customerId);
    expect(customer).toMatchObject({ name: 'Dana Whitfield', email: 'dana@example.com' });
  });

  it('sends the widget a survey form and accepts its answers in one message', async () => {
    t = await startTestBot({ channelId: 'directline' });
    await t.say(customerJoins);
    const form = t.replies().find((a) => a.type === 'event');
    expect(form).toMatchObject({ name: 'preChatSurvey' });
    expect((form?.value as { questions: unknown[] }).questions).toHaveLength(4);

    await t.say({ type: 'message', value: { preChat: { name: 'Dana', email: 'nope' } } });
    const retry = t.replies();
    expect(retry[0]?.text).toContain('Please check your answers');
    expect(retry[1]).toMatchObject({ type: 'event', name: 'preChatSurvey' });

    await t.say({
      type: 'message',
      value: { preChat: { name: 'Dana', email: 'dana@example.com', topic: 'Technical' } },
    });
    expect(t.texts()).toEqual(['Thanks, Dana! How can I help you today?']);
    expect((await t.conversation()).context.preChat).toMatchObject({ topic: 'Technical' });
  });

  it('records the visitor details, custom context and portal navigation the widget reports', async () => {
    t = await startTestBot({ channelId: 'directline' });
    await t.say({
      type: 'event',
      name: 'visitorContext',
      value: {
        visitor: {
          browser: 'Edge',
          os: 'Windows',
          language: 'de-DE',
          device: 'desktop',
          authenticated: true,
        },
        portalNavigation: [
          { kind: 'page', title: 'Billing', url: 'https://example.com/billing', at: '2026-11-25T08:00:00Z' },
        ],
        custom: { plan: 'Fiber 1000', accountAgeYears: 3 },
      },
    });
    await t.say({
      type: 'event',
      name: 'portalNavigation',
      value: { entries: [{ kind: 'search', title: 'refund', at: '2026-11-25T08:01:00Z' }] },
    });
    const c = await t.conversation();
    expect(c.context.visitor).toEqual({
      browser: 'Edge',
      os: 'Windows',
      language: 'de-DE',
      device: 'desktop',
      authenticated: false,
      reportedAuthenticated: true,
    });
    expect(c.context.custom).toEqual({ plan: 'Fiber 1000', accountAgeYears: 3 });
    expect(c.context.portalNavigation.map((n) => [n.kind, n.title])).toEqual([
      ['page', 'Billing'],
      ['search', 'refund'],
    ]);
  });
});

describe('self-service from the knowledge base', () => {
  it('says it has a file sent without words, and keeps it for the agents', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    t.replies();
    await t.say({
      type: 'message',
      attachments: [
        { contentType: 'image/png', name: 'lights.png', contentUrl: 'https://files.example.com/l.png' },
      ],
    });
    expect(t.texts()).toEqual([
      "Thanks, I've got lights.png. I can't look inside files myself, but an agent will see it. What is it about? You can also type 'agent' to talk to a person.",
    ]);
    const c = await t.conversation();
    const mine = (await t.repos.messages.list(c.id)).filter((m) => m.author === 'customer');
    expect(mine.at(-1)).toMatchObject({
      text: '',
      attachments: [{ name: 'lights.png', url: 'https://files.example.com/l.png' }],
    });
  });

  it('answers with the article title, an extract and a did-that-help choice, typing first', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    await t.say('my router has a blinking red light');
    const replies = t.replies();
    expect(replies[0]?.type).toBe('typing');
    expect(replies[1]?.text).toMatch(/^\*\*Router lights and what they mean/);
    // The case asked about, and where to read the rest.
    expect(replies[1]?.text).toContain('- Blinking red: no fiber signal.');
    expect(replies[1]?.text).toMatch(
      /\[Read the whole article\]\(https:\/\/support\.northwind\.example\/kb\/kb_router_red_light\)$/,
    );
    expect(replies[2]?.text).toBe('Did that help?');
    expect(replies[2]?.suggestedActions?.actions.map((a) => a.title)).toEqual(['Yes', 'No']);
  });

  it('answers a connection that keeps dropping with the Wi-Fi troubleshooting steps', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    for (const question of ['My router keeps dropping the connection', 'my connection is unstable']) {
      await t.say(question);
      const answer = t.texts()[0] ?? '';
      expect(answer, question).toMatch(/^\*\*Slow Wi-Fi troubleshooting\*\*/);
      expect(answer, question).toContain('1. Run a speed test');
      await t.say('Yes');
      t.replies();
    }
  });

  it('records a bot resolution when the customer confirms and says goodbye, then asks for a rating', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    await t.say('my router has a blinking red light');
    t.replies();
    await t.say('Yes');
    expect(t.texts()).toEqual(['Glad I could help! Is there anything else? If not, just say goodbye.']);
    await t.say('no thanks');
    const texts = t.texts();
    expect(texts[0]).toBe('Thanks for chatting with us. Goodbye!');
    expect(texts[1]).toContain('How would you rate your experience');

    const c = await t.conversation();
    expect(c).toMatchObject({ status: 'closed', botOutcome: 'resolved' });
    expect(t.events.some((e) => e.type === 'conversation.bot_resolved')).toBe(true);
  });

  it('closes as resolved when the customer goes quiet after confirming', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    await t.say('how do I pay my bill');
    await t.say('yes');
    t.replies();
    t.deps.advance(6 * 60_000);
    expect(await t.parts.sweepIdle()).toBe(1);
    await t.settle();
    expect(await t.conversation()).toMatchObject({ status: 'closed', botOutcome: 'resolved' });
    expect(t.texts()[0]).toContain('How would you rate your experience');
  });
});

describe('escalation to an agent', () => {
  it('hands over when the customer asks for a person, and tells them their place in the queue', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    await t.say('I want to talk to a real person');
    const c = await escalated(t);
    expect(c.botOutcome).toBe('escalated');
    expect(c.queueId).toBe('queue_technical');
    // Nobody in the team is Available here: a wait estimate would be made up.
    expect(t.texts()).toEqual([
      "Sure, I'm connecting you with an agent. Please stay in this chat.",
      "You're next in line. No one on the team is free to take a chat right now: you keep your place, and the first person free will answer.",
    ]);
  });

  it('hands over after two answers that did not help', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    await t.say('my wifi is slow');
    await t.say('No');
    expect(t.texts().at(-1)).toContain("Sorry that didn't help");
    expect((await t.conversation()).status).toBe('bot');
    await t.say('the internet keeps dropping');
    await t.say('no');
    await escalated(t);
    expect(t.texts()).toContain("I'm sorry I couldn't solve this. I'm connecting you with an agent who can.");
  });

  it('hands over after two messages it could not understand', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    await t.say('zxqv blorp');
    expect(t.texts().at(-1)).toContain("I'm not sure I understood");
    await t.say('flibber jabber wocky');
    await escalated(t);
  });

  it('hands over at once when the customer is very upset', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    await t.say('This is absolutely terrible, the worst service ever, I am furious and disgusted!!!');
    await escalated(t);
    expect(t.texts()[0]).toContain("I'm sorry this has been frustrating");
    expect(t.events.some((e) => e.type === 'sentiment.changed' && e.score < -0.3)).toBe(true);
  });

  it('tells a waiting customer when they move up the queue', async () => {
    const first = await startTestBot({ conversationId: 'first' });
    t = first;
    // A second customer on the same services: same store, router and bus.
    await throughSurvey(first);
    await first.say('agent please');
    await escalated(first);
    first.replies();
    const second = first.adapterFor('second', 'customer-2');
    for (const step of [customerJoins, 'Lee', 'lee@example.com', 'Technical', 'skip', 'agent please']) {
      await second.processActivity(step);
    }
    await first.settle();
    const secondTexts = () => second.activeQueue.splice(0).map((a) => a.text);
    expect(secondTexts().at(-1)).toMatch(/^You're number 2 in the queue/);

    const firstConversation = first.events.find((e) => e.type === 'conversation.created')!.conversationId;
    await first.conversations.customerLeft(firstConversation);
    await first.settle();
    expect(secondTexts().at(-1)).toMatch(/^You're next in line/);
  });
});

describe('with an agent', () => {
  async function acceptedByAgent(bot: TestBot, id: string): Promise<void> {
    await offeredToAgent(bot);
    await bot.router.accept(id, AGENT_ID);
    await bot.settle();
  }

  async function withAgent(bot: TestBot): Promise<string> {
    await throughSurvey(bot);
    await bot.say('agent please');
    const c = await escalated(bot);
    await acceptedByAgent(bot, c.id);
    return c.id;
  }

  /** A widget customer (events, not text) past the survey, with Alex. */
  async function withAgentOnWidget(): Promise<{ id: string }> {
    t = await startTestBot({ channelId: 'directline' });
    await throughWidgetSurvey(t);
    await t.say('agent please');
    const c = await escalated(t);
    await acceptedByAgent(t, c.id);
    return c;
  }

  it('stores nothing for a message that shows nothing (zero-width or bidi characters alone)', async () => {
    t = await startTestBot();
    const id = await withAgent(t);
    const customerTexts = async () =>
      (await t.repos.messages.list(id)).filter((m) => m.author === 'customer').map((m) => m.text);
    const before = await customerTexts();
    await t.say('\u200b\u200d\u2067\u3164');
    await t.say('still there?');
    expect((await customerTexts()).slice(before.length)).toEqual(['still there?']);
  });

  it("announces the agent's name when they join (text and widget event)", async () => {
    t = await startTestBot();
    await withAgent(t);
    expect(t.texts().at(-1)).toBe('Alex Rivera has joined the conversation.');
    await t.close();

    t = await startTestBot({ channelId: 'directline' });
    await throughWidgetSurvey(t);
    await t.say('agent please');
    const c = await escalated(t);
    expect(t.replies().find((a) => a.name === 'queuePosition')?.value).toMatchObject({ position: 1 });
    await acceptedByAgent(t, c.id);
    // Alex coming Available may first bring the wait's news (an estimate again), then the join.
    expect(t.replies().find((a) => a.type === 'event' && a.name !== 'queuePosition')).toMatchObject({
      name: 'agentJoined',
      value: { name: 'Alex Rivera' },
    });
  });

  it('announces the agent before relaying their first words, even when they type at once', async () => {
    t = await startTestBot();
    const c = await offeredAfterSurvey(t);
    await t.router.accept(c.id, AGENT_ID);
    await t.conversations.postAgentMessage(c.id, AGENT_ID, 'Hi, Alex here.', 'public');
    await t.settle();
    expect(t.texts()).toEqual(['Alex Rivera has joined the conversation.', 'Hi, Alex here.']);
  });

  it('relays messages both ways and never delivers internal notes', async () => {
    t = await startTestBot();
    const id = await withAgent(t);
    t.replies();

    await t.conversations.postAgentMessage(id, AGENT_ID, 'Note to self: check the ONT', 'internal');
    await t.conversations.postAgentMessage(id, AGENT_ID, 'Hello Dana, I will reset your line now.', 'public');
    await t.settle();
    expect(t.texts()).toEqual(['Hello Dana, I will reset your line now.']);

    await t.say('Thanks, it is back!');
    expect(t.texts()).toEqual([]); // the bot stays quiet while an agent has the conversation
    const messages = await t.repos.messages.list(id);
    const last = messages.at(-1);
    expect(last).toMatchObject({ author: 'customer', visibility: 'public', text: 'Thanks, it is back!' });
    expect(
      t.events.flatMap((e) => (e.type === 'message.added' && e.author === 'agent' ? [e.visibility] : [])),
    ).toEqual(['internal', 'public']);
  });

  it("tells a customer on a channel that cannot open this server's files what the agent sent", async () => {
    t = await startTestBot();
    const id = await withAgent(t);
    t.replies();
    const { message, audience } = await t.repos.messages.append({
      conversationId: id,
      author: 'agent',
      authorId: AGENT_ID,
      authorName: 'Alex Rivera',
      visibility: 'public',
      text: 'Here are the steps',
      attachments: [{ name: 'reset-steps.pdf', contentType: 'application/pdf', fileId: 'file_1' }],
    });
    await t.conversations.announceMessage(message, audience);
    await t.settle();
    const [sent] = t.replies();
    expect(sent?.text).toBe(
      'Here are the steps\n\n(Alex Rivera sent you reset-steps.pdf; files open only in the chat on our website.)',
    );
    expect(sent?.attachments ?? []).toEqual([]);
  });

  it('keeps the files and links a customer sends, not the inline copies a channel adds', async () => {
    t = await startTestBot();
    const id = await withAgent(t);
    await t.say({
      type: 'message',
      text: 'Here it is',
      attachments: [
        // Teams adds the message once more, formatted, to every message.
        { contentType: 'text/html', content: '<p>Here it is</p>' },
        { contentType: 'image/png', name: 'lights.png', contentUrl: 'https://files.example.com/lights.png' },
        { contentType: 'application/pdf', name: 'bill.pdf', contentUrl: 'javascript:alert(1)' },
      ],
    });
    const last = (await t.repos.messages.list(id)).at(-1);
    expect(last).toMatchObject({
      text: 'Here it is',
      attachments: [
        { name: 'lights.png', contentType: 'image/png', url: 'https://files.example.com/lights.png' },
        // Not a link anyone should follow: kept by name only.
        { name: 'bill.pdf', contentType: 'application/pdf' },
      ],
    });
    expect(last!.attachments[1]).not.toHaveProperty('url');
  });

  it("takes a file's id only from this server's own channel: another Direct Line's link stays a link", async () => {
    const { id } = await withAgentOnWidget();
    const reference = (await t.conversation()).channelRef as {
      serviceUrl: string;
      conversation: { id: string };
    };
    // Shaped like a file kept here, but on a channel that is not this server's (Azure's Direct Line).
    const link = `${reference.serviceUrl}/conversations/${reference.conversation.id}/attachments/file_abc`;
    await t.say({
      type: 'message',
      text: 'see this',
      attachments: [{ contentType: 'image/png', name: 'a.png', contentUrl: link }],
    });
    const last = (await t.repos.messages.list(id)).filter((m) => m.author === 'customer').at(-1);
    expect(last?.attachments).toEqual([{ name: 'a.png', contentType: 'image/png', url: link }]);
  });

  it('asks for a rating and a comment when the agent ends the conversation, and stores them', async () => {
    t = await startTestBot();
    const id = await withAgent(t);
    t.replies();
    await t.router.end(id, 'agent');
    await t.settle();
    expect(t.texts()).toEqual([
      'This conversation has ended. How would you rate your experience, from 1 (poor) to 5 (excellent)?',
    ]);
    await t.say('great');
    expect(t.texts()).toEqual([
      "This chat has ended, so nobody is reading it now; your message was kept with it for Alex Rivera. Please rate us from 1 (poor) to 5 (excellent), or type 'skip'.",
    ]);
    await t.say('very');
    expect(t.texts()).toEqual(["Please rate us from 1 (poor) to 5 (excellent), or type 'skip'."]);
    await t.say('4');
    await t.say('Alex was quick');
    expect(t.texts().at(-1)).toBe('Thank you for your feedback!');
    expect((await t.conversations.get(id)).csat).toMatchObject({ rating: 4, comment: 'Alex was quick' });
    expect(t.events.some((e) => e.type === 'csat.recorded' && e.rating === 4)).toBe(true);
    // The agent reads it in the transcript, internal: the customer's own transcript has no such line.
    const rated = (await t.repos.messages.list(id)).filter((m) => /rated the chat/.test(m.text));
    expect(rated.map((m) => [m.visibility, m.text.replace(/^.* rated/, 'rated')])).toEqual([
      ['internal', 'rated the chat 4 of 5: “Alex was quick”'],
    ]);
  });

  it('sends the widget conversationEnded and the survey as events', async () => {
    const c = await withAgentOnWidget();
    t.replies();
    await t.router.end(c.id, 'agent');
    await t.settle();
    expect(t.replies().map((a) => a.name)).toEqual(['conversationEnded', 'postChatSurvey']);
    await t.say({ type: 'message', value: { csat: { rating: 2, comment: 'Too slow' } } });
    expect((await t.conversations.get(c.id)).csat).toMatchObject({ rating: 2, comment: 'Too slow' });
    // The widget sending the same rating again makes no second line.
    await t.say({ type: 'message', value: { csat: { rating: 2, comment: 'Too slow' } } });
    const rated = (await t.repos.messages.list(c.id)).filter((m) => /rated the chat/.test(m.text));
    expect(rated.map((m) => [m.visibility, m.text.replace(/^.* rated/, 'rated')])).toEqual([
      ['internal', 'rated the chat 2 of 5: “Too slow”'],
    ]);
  });

  it('keeps a widget customer’s lines typed as the agent ended the chat with that chat, for the agent', async () => {
    const c = await withAgentOnWidget();
    const conversations = () => t.events.filter((e) => e.type === 'conversation.created').length;
    const started = conversations();
    await t.router.end(c.id, 'agent');
    await t.settle();
    t.replies();
    // Sent before the widget drew the end: not answers to its rating form, which stays open.
    await t.say('wait, my order number is 4411');
    await t.say('and the router is the white one');
    await t.say('hello?');
    expect(t.texts()).toEqual([
      'This chat has ended, so nobody is reading it now; your message was kept with it for Alex Rivera.',
    ]);
    const customerLines = async () =>
      (await t.repos.messages.list(c.id)).filter((m) => m.author === 'customer').map((m) => m.text);
    expect((await customerLines()).slice(-3)).toEqual([
      'wait, my order number is 4411',
      'and the router is the white one',
      'hello?',
    ]);
    expect((await t.conversations.get(c.id)).status).toBe('wrap-up');
    await t.say({ type: 'message', value: { csat: { rating: 5 } } });
    expect((await t.conversations.get(c.id)).csat).toMatchObject({ rating: 5 });
    // Rated, the chat is over; a line its channel still delivers joins it, and opens no new chat.
    await t.say('thanks!');
    expect((await customerLines()).at(-1)).toBe('thanks!');
    expect(conversations()).toBe(started);
  });

  it('tells a transferred customer, in words every channel shows, that another agent is coming', async () => {
    const transferText =
      'Alex Rivera is transferring you to another agent. Please stay in this chat: they will be with you shortly.';
    t = await startTestBot();
    const id = await withAgent(t);
    t.replies();
    await t.router.transfer(id, { toQueueId: QUEUE_ID }, AGENT_ID);
    await t.settle();
    expect(t.texts()[0]).toBe(transferText);
    await t.close();

    // The widget draws its own notice from the event; a Direct Line client that does not know the
    // event still has its text, and the transcript keeps the line as it does for text channels.
    const c = await withAgentOnWidget();
    t.replies();
    await t.router.transfer(c.id, { toQueueId: QUEUE_ID }, AGENT_ID);
    await t.settle();
    expect(t.replies().find((a) => a.type === 'event')).toMatchObject({
      name: 'agentLeft',
      text: transferText,
      value: { name: 'Alex Rivera', transfer: true },
    });
    const said = (await t.repos.messages.list(c.id)).filter((m) => m.author === 'bot').at(-1);
    expect(said).toMatchObject({ visibility: 'public', text: transferText });
  });

  it('tells the customer the agent reopened the chat, and relays them again', async () => {
    const c = await withAgentOnWidget();
    await t.router.end(c.id, 'agent');
    await t.router.close(c.id, 'agent');
    await t.settle();
    t.replies();
    await t.router.reopen(c.id, AGENT_ID);
    await t.settle();
    expect(t.replies().find((a) => a.type === 'event')).toMatchObject({
      name: 'conversationReopened',
      text: 'Alex Rivera reopened the chat. You can reply here.',
      value: { name: 'Alex Rivera' },
    });
    const lines = await t.repos.messages.list(c.id);
    expect(lines.at(-1)).toMatchObject({
      author: 'bot',
      text: 'Alex Rivera reopened the chat. You can reply here.',
    });
    // What they write now goes to the agent, not to the ended chat's survey.
    await t.say('It went down again');
    expect((await t.repos.messages.list(c.id)).at(-1)).toMatchObject({
      author: 'customer',
      text: 'It went down again',
    });
    expect((await t.conversations.get(c.id)).csat).toBeUndefined();
    await t.conversations.postAgentMessage(c.id, AGENT_ID, 'Let me look again.', 'public');
    await t.settle();
    expect(t.texts()).toContain('Let me look again.');
  });

  it('shows the agent that a widget customer who left is not there when the chat is reopened', async () => {
    const c = await withAgentOnWidget();
    await t.say({ type: 'endOfConversation' });
    await t.router.close(c.id, 'agent');
    await t.settle();
    t.replies();
    await t.router.reopen(c.id, AGENT_ID);
    await t.settle();
    // Their chat window is closed for good: nothing is sent into it, and the agent is told.
    expect(t.replies()).toEqual([]);
    expect((await t.conversations.get(c.id)).customerAwaySince).toBeInstanceOf(Date);
  });

  it('stores the rating a customer gives the agent as they end the chat themselves', async () => {
    const c = await withAgentOnWidget();
    await t.say({ type: 'endOfConversation', value: { csat: { rating: 5, comment: 'Sorted in minutes' } } });
    const after = await t.conversations.get(c.id);
    expect(after.status).toBe('wrap-up');
    expect(after.csat).toMatchObject({ rating: 5, comment: 'Sorted in minutes' });
    expect(t.events.some((e) => e.type === 'csat.recorded' && e.rating === 5)).toBe(true);
  });

  it('stores no rating from a goodbye that carries a malformed one, or from a customer no agent served', async () => {
    const c = await withAgentOnWidget();
    await t.say({ type: 'endOfConversation', value: { csat: { rating: 9 } } });
    const left = await t.conversations.get(c.id);
    expect([left.status, left.csat]).toEqual(['wrap-up', undefined]);
    await t.close();

    t = await startTestBot({ channelId: 'directline' });
    await throughWidgetSurvey(t);
    await t.say('agent please');
    const waiting = await escalated(t);
    await t.say({ type: 'endOfConversation', value: { csat: { rating: 1 } } });
    const abandoned = await t.conversations.get(waiting.id);
    expect([abandoned.status, abandoned.csat]).toEqual(['abandoned', undefined]);
  });

  const gone = (away?: { seconds: number }) => ({
    type: 'conversationUpdate',
    membersRemoved: [{ id: 'customer-1', name: 'Customer' }],
    ...(away ? { channelData: { away } } : {}),
  });

  it('ends the chat of a customer whose connection dropped, and says why where they would read it', async () => {
    const c = await withAgentOnWidget();
    t.replies();
    await t.say(gone({ seconds: 180 }));
    expect((await t.conversations.get(c.id)).status).toBe('wrap-up');
    const told = t.replies();
    expect(told.map((a) => a.text ?? a.name)).toEqual([
      'You were disconnected for more than 3 minutes, so this chat ended. Write again any time.',
      'conversationEnded',
    ]);
    const notes = (await t.repos.messages.list(c.id)).filter((m) => m.author === 'system');
    expect(notes.at(-1)).toMatchObject({
      visibility: 'internal',
      text: 'Dana left the chat: their connection dropped and they were not back within 3 minutes.',
    });
  });

  it('says nothing to a customer who left a channel, or who dropped while asked to rate an ended chat', async () => {
    const c = await withAgentOnWidget();
    t.replies();
    await t.say(gone()); // a channel's own "left", with no word of a connection
    expect((await t.conversations.get(c.id)).status).toBe('wrap-up');
    expect(t.replies()).toEqual([]);
    await t.close();

    const d = await withAgentOnWidget();
    await t.router.end(d.id, 'agent');
    await t.settle();
    t.replies();
    await t.say(gone({ seconds: 180 }));
    // Nothing to read; the widget's conversation ends, as a rating would end it.
    expect(t.replies().map((a) => a.type)).toEqual(['endOfConversation']);
    const notes = (await t.repos.messages.list(d.id)).filter((m) => m.author === 'system');
    expect(notes.some((m) => /connection dropped/.test(m.text))).toBe(false);
  });
});

describe('after a channel, the store or the process failed', () => {
  it('tells the customer at the next start who joined, once, when the channel refused it', async () => {
    t = await startTestBot();
    const c = await offeredAfterSurvey(t);
    t.refuseSends(1);
    await t.router.accept(c.id, AGENT_ID);
    await t.settle();
    expect(t.texts()).toEqual([]);
    const joined = 'Alex Rivera has joined the conversation.';
    const transcriptHas = async () =>
      (await t.repos.messages.list(c.id)).filter((m) => m.author === 'bot' && m.text === joined).length;
    expect(await transcriptHas()).toBe(0);

    // What a start does first: the step's sends still owed go out, in the transcript once.
    expect(await t.parts.relay.catchUp()).toEqual({ messages: 0, updates: 1 });
    await t.settle();
    expect(t.texts()).toEqual([joined]);
    expect(await transcriptHas()).toBe(1);
    expect(await t.parts.relay.catchUp()).toEqual({ messages: 0, updates: 0 });
    await t.settle();
    expect(t.replies()).toEqual([]);
  });

  it('makes at the next start a hand-over the dialog promised and routing never got', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    // The dialog stores "waiting for an agent", then escalates: the escalation fails (a store that
    // went away, or a process that died in between).
    const enqueue = vi.spyOn(t.router, 'enqueue').mockRejectedValueOnce(new Error('store unreachable'));
    await t.say('agent please').catch(() => undefined);
    await t.settle();
    expect(enqueue).toHaveBeenCalledTimes(1);
    expect((await t.conversation()).status).toBe('bot');
    const id = (await t.conversation()).id;
    t.replies();

    expect(await t.parts.relay.catchUp()).toEqual({ messages: 0, updates: 1 });
    await t.settle();
    await expect.poll(async () => (await t.conversation()).status).toBe('waiting');
    expect(
      t.events.find((e) => e.type === 'conversation.escalated' && e.conversationId === id),
    ).toMatchObject({
      reason: 'requested',
    });
    await expect.poll(() => t.texts().some((x) => /in line|in the queue/.test(x))).toBe(true);
    // Once: the conversation is in routing's hands now.
    expect((await t.parts.relay.catchUp()).updates).toBe(0);
  });

  it('makes a failed hand-over again when the waiting customer writes', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    vi.spyOn(t.router, 'enqueue').mockRejectedValueOnce(new Error('store unreachable'));
    await t.say('agent please').catch(() => undefined);
    await t.settle();
    expect((await t.conversation()).status).toBe('bot');

    await t.say('hello? is anyone there?');
    await expect.poll(async () => (await t.conversation()).status).toBe('waiting');
  });

  it('sends what is owed before the next thing it says, under the same client ids', async () => {
    t = await startTestBot({ channelId: 'directline' });
    await throughWidgetSurvey(t);
    await t.say('agent please');
    const c = await escalated(t);
    await offeredToAgent(t);
    await t.router.accept(c.id, AGENT_ID);
    await t.settle();
    t.replies();

    // The end goes out, the survey does not: the channel failed between the two.
    t.refuseSends(1, 1);
    await t.router.end(c.id, 'agent');
    await t.settle();
    const first = t.replies();
    expect(first.map((a) => a.name)).toEqual(['conversationEnded']);
    const clientId = (a: Partial<{ channelData: { clientActivityId?: string } }>) =>
      a.channelData?.clientActivityId;
    expect(clientId(first[0]!)).toMatch(/^relay outbox_\w+ 0$/);

    // The customer's next turn sends the step again first: the end under its first client id (the
    // Direct Line channel stores it once), then the survey the customer then answers.
    await t.say({ type: 'message', value: { csat: { rating: 5 } } });
    const again = t.replies();
    expect(again.map((a) => a.name).slice(0, 2)).toEqual(['conversationEnded', 'postChatSurvey']);
    expect(clientId(again[0]!)).toBe(clientId(first[0]!));
    expect(clientId(again[1]!)).toBe(clientId(first[0]!)!.replace(/ 0$/, ' 1'));
    expect((await t.conversations.get(c.id)).csat).toMatchObject({ rating: 5 });
    expect(await t.parts.relay.catchUp()).toEqual({ messages: 0, updates: 0 });
  });
});

describe('notices from routing', () => {
  it("passes on routing's notice and asks no rating for a service that did not happen", async () => {
    t = await startTestBot();
    await throughSurvey(t);
    await t.say('agent please');
    const c = await escalated(t);
    t.replies();
    await t.conversations.notifyCustomer(c.id, 'We are seeing very high demand; please try again later.');
    await t.router.abandon(c.id);
    await t.settle();
    expect(t.texts()).toEqual([
      'We are seeing very high demand; please try again later.',
      'This conversation has ended. Write again any time.',
    ]);
  });
});

describe('housekeeping', () => {
  it('sends the public transcript on request', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    await t.say('my router has a blinking red light');
    t.replies();
    await t.say('transcript');
    const [transcript] = t.texts();
    expect(transcript).toContain('Here is the transcript of this conversation');
    expect(transcript).toContain('You: my router has a blinking red light');
    expect(transcript).toContain('Virtual assistant: Did that help?');
  });

  it('sends the transcript when the widget asks for it, even after the conversation ended', async () => {
    t = await startTestBot({ channelId: 'directline' });
    await throughWidgetSurvey(t);
    await t.say('how do I pay my bill');
    await t.say('yes');
    await t.say('bye');
    await t.say({ type: 'message', value: { csat: { rating: 5 } } });
    t.replies();
    await t.say({ type: 'event', name: 'transcript' });
    const [transcript] = t.texts();
    expect(transcript).toContain('You: how do I pay my bill');
    expect(transcript).toContain('Virtual assistant: Thanks for chatting with us. Goodbye!');
  });

  it('ignores a Bot Framework retry of the same activity', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    await t.say({ type: 'message', text: 'my router has a blinking red light', id: 'activity-42' });
    const first = t.replies().length;
    await t.say({ type: 'message', text: 'my router has a blinking red light', id: 'activity-42' });
    expect(first).toBeGreaterThan(0);
    expect(t.replies()).toEqual([]);
    const c = await t.conversation();
    const copies = (await t.repos.messages.list(c.id)).filter((m) => m.activityId === 'activity-42');
    expect(copies).toHaveLength(1);
  });

  it('keeps the conversation’s customer in its session and names them with each message', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    const c = await t.conversation();
    const key = await t.parts.sessions.keyOf(c.id);
    expect((await t.parts.sessions.byKey(key!))?.customerId).toBe(c.customerId);
    // Named by the bot, the customer is read beside the conversation rather than after it.
    const adding = vi.spyOn(t.conversations, 'addCustomerMessage');
    await t.say('my router has a blinking red light');
    expect(adding).toHaveBeenCalledWith(c.id, expect.objectContaining({ customerId: c.customerId }));
    const [last] = (await t.repos.messages.list(c.id)).filter((m) => m.author === 'customer').slice(-1);
    expect(last).toMatchObject({ text: 'my router has a blinking red light', authorName: 'Dana Whitfield' });
  });

  it('keeps the channel reference the customer last wrote from, for agents’ replies', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    const before = await t.conversation();
    expect(before.channelRef?.serviceUrl).toEqual(expect.any(String));
    await t.say({ type: 'message', text: 'hello again', serviceUrl: 'https://moved.example/api/' });
    const moved = await t.conversation();
    expect(moved.channelRef).toEqual({ ...before.channelRef, serviceUrl: 'https://moved.example/api/' });
    expect(moved.lastMessageSeq).toBeGreaterThan(before.lastMessageSeq);
  });

  it('closes a chat the customer left without a word, after the work stream’s inactivity time', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    await t.say('how do I pay my bill');
    t.replies();
    t.deps.advance(10 * 60_000);
    expect(await t.parts.sweepIdle()).toBe(0); // the fixture's web chat closes after 30 minutes
    t.deps.advance(25 * 60_000);
    expect(await t.parts.sweepIdle()).toBe(1);
    await t.settle();
    expect(await t.conversation()).toMatchObject({ status: 'closed', botOutcome: 'abandoned' });
    expect(t.texts()).toEqual([
      'This chat was closed after 30 minutes without activity. Write again any time.',
    ]);
  });

  it('opens a new chat for a widget customer who writes again after a quiet close, as it told them to', async () => {
    t = await startTestBot({ channelId: 'directline' });
    await throughWidgetSurvey(t);
    await t.say('how do I pay my bill');
    const quiet = await t.conversation();
    t.deps.advance(35 * 60_000);
    expect(await t.parts.sweepIdle()).toBe(1);
    await t.settle();
    expect(t.texts().at(-1)).toBe(
      'This chat was closed after 30 minutes without activity. Write again any time.',
    );
    await t.say('hello again');
    const next = await t.conversation();
    expect(next.id).not.toBe(quiet.id);
    const lines = await t.repos.messages.list(next.id);
    expect(lines.filter((m) => m.author === 'customer').map((m) => m.text)).toEqual(['hello again']);
  });

  it('closes a chat past its work stream’s inactivity time behind more than a page of quiet chats not yet past a longer one', async () => {
    t = await startTestBot();
    await t.repos.workstreams.create({
      id: 'ws_teams',
      name: 'Teams',
      channel: 'msteams',
      fallbackQueueId: QUEUE_ID,
      capacityCost: 50,
      allowedPresences: ['available'],
      inactivityCloseMinutes: 120,
    });
    // 205 Teams customers went quiet first; their stream waits two hours before closing.
    const quietSince = t.deps.now();
    for (let i = 0; i < 205; i++) {
      const { conversation } = await t.conversations.start({
        channel: 'msteams',
        channelUserId: `teams_user_${i}`,
        channelRef: {},
      });
      await t.parts.sessions.save({
        key: `msteams:quiet_${i}`,
        conversationId: conversation.id,
        state: { ...initialDialogState(), phase: 'helping' },
        style: 'text',
        lastCustomerActivityAt: quietSince,
        updatedAt: quietSince,
      });
    }
    t.deps.advance(60_000);
    await throughSurvey(t);
    await t.say('how do I pay my bill');
    t.replies();
    t.deps.advance(35 * 60_000);
    expect(await t.parts.sweepIdle()).toBe(1);
    await t.settle();
    expect(await t.conversation()).toMatchObject({ status: 'closed', botOutcome: 'abandoned' });
    expect((await t.parts.sessions.byKey('msteams:quiet_204'))?.state.phase).toBe('helping');
  });

  it('looks at no chat quiet for less than the shortest inactivity time, however many there are', async () => {
    t = await startTestBot();
    // The fixture's web chat stream waits 30 minutes; 450 customers (more than two pages) have been
    // quiet for 20. Their closing notices all go to one test chat.
    const quietSince = t.deps.now();
    const notices = t.adapterFor('quiet-chats');
    for (let i = 0; i < 450; i++) {
      const { conversation } = await t.conversations.start({
        channel: 'webchat',
        channelUserId: `web_user_${i}`,
        channelRef: { conversation: { id: 'quiet-chats' } },
      });
      await t.parts.sessions.save({
        key: `webchat:quiet_${i}`,
        conversationId: conversation.id,
        state: { ...initialDialogState(), phase: 'helping' },
        style: 'events',
        lastCustomerActivityAt: quietSince,
        updatedAt: quietSince,
      });
    }
    t.deps.advance(20 * 60_000);
    const looked = vi.spyOn(t.conversations, 'get');
    expect(await t.parts.sweepIdle()).toBe(0);
    expect(looked).not.toHaveBeenCalled();
    // Past the 30 minutes every one of them is closed, page after page.
    t.deps.advance(11 * 60_000);
    expect(await t.parts.sweepIdle()).toBe(450);
    expect((await t.parts.sessions.byKey('webchat:quiet_449'))?.state.phase).toBe('done');
    expect(notices.activeQueue.filter((a) => /closed after 30 minutes/.test(a.text ?? ''))).toHaveLength(450);
  });

  it('tells a customer whose message is too long, and stores nothing', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    const c = await t.conversation();
    const before = (await t.repos.messages.list(c.id)).length;
    await t.say('x'.repeat(4001));
    expect(t.texts()).toEqual(['That message is too long for me; please keep it under 4,000 characters.']);
    expect(await t.repos.messages.list(c.id)).toHaveLength(before);
  });

  it('shows the agent typing to the customer', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    const c = await t.conversation();
    t.conversations.typing({ conversationId: c.id, author: 'agent', agentId: AGENT_ID });
    await t.settle();
    expect(t.replies().map((a) => a.type)).toEqual(['typing']);
  });

  it('lets the customer skip the survey at the end', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    await t.say('how do I pay my bill');
    await t.say('yes');
    await t.say('bye');
    t.replies();
    await t.say('skip');
    expect(t.texts()).toEqual(['No problem. Goodbye!']);
    expect((await t.conversation()).csat).toBeUndefined();
  });

  it('abandons a waiting conversation when the customer leaves', async () => {
    t = await startTestBot();
    await throughSurvey(t);
    await t.say('agent please');
    await escalated(t);
    await t.say({ type: 'endOfConversation' });
    expect((await t.conversation()).status).toBe('abandoned');
  });
});
