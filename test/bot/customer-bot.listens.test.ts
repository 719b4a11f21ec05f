import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../services/demo/index.js';
import { customerJoins, startTestBot, type TestBot } from './support/test-bot.js';

// The cases a tester reported after chatting with the demo company over the local Direct Line
// channel (the widget's channel: the survey comes as a form event, and they typed instead), each
// replayed on botbuilder's TestAdapter with the real store, router and NLP behind the bot.

const WEDNESDAY_10AM_NEW_YORK = new Date('2026-12-02T15:00:00Z');
const SATURDAY_10AM_NEW_YORK = new Date('2026-12-05T15:00:00Z');
const BILLING = DEMO_IDS.queues.billing;
const TECHNICAL = DEMO_IDS.queues.technical;

let t: TestBot;
afterEach(async () => {
  await t?.close();
});

/** Everything the bot wrote, as text, over the whole conversation so far. */
function transcriptOf(bot: TestBot, log: string[]): string[] {
  log.push(...bot.texts());
  return log;
}

async function handedToQueue(bot: TestBot) {
  await expect.poll(async () => (await bot.conversation()).status).toMatch(/^(waiting|offered)$/);
  return bot.conversation();
}

/** How often the most repeated message went out. */
function mostRepeated(texts: string[]): number {
  const counts = new Map<string, number>();
  for (const x of texts) counts.set(x, (counts.get(x) ?? 0) + 1);
  return Math.max(0, ...counts.values());
}

describe('a customer who asks for a person in their first message', () => {
  it('is heard at once, asked only the required questions, and handed over within four turns', async () => {
    t = await startTestBot({ channelId: 'directline', demo: true, at: WEDNESDAY_10AM_NEW_YORK });
    const said: string[] = [];
    await t.say(customerJoins);
    transcriptOf(t, said);

    await t.say('I want to talk to a human agent please'); // turn 1
    const first = t.texts();
    said.push(...first);
    expect(first[0]).toMatch(/get you to a person/);
    expect(first.at(-1)).toBe("What's your name?");

    await t.say('Dana Whitfield'); // turn 2
    expect(transcriptOf(t, said).at(-1)).toBe("What's the e-mail address on your account?");
    await t.say('dana@example.com'); // turn 3
    expect(transcriptOf(t, said).at(-1)).toBe('What can we help you with?');
    await t.say('Internet outage'); // turn 4
    const c = await handedToQueue(t);
    transcriptOf(t, said);

    expect(c.queueId).toBe(TECHNICAL);
    expect(c.context.preChat).toEqual({
      name: 'Dana Whitfield',
      email: 'dana@example.com',
      topic: 'Internet outage',
    });
    expect(said.join('\n')).not.toMatch(/anything else we should know/i);
    expect(said.join('\n')).not.toMatch(/How can I help you today|Thanks, I\b/);
    expect(said).toContain("Thanks! I'm connecting you with an agent now. Please stay in this chat.");
  });
});

describe('a typed answer to a choice question', () => {
  it('"I want to talk to a human agent about my bill" answers Billing and hands over to billing', async () => {
    t = await startTestBot({ channelId: 'directline', demo: true, at: WEDNESDAY_10AM_NEW_YORK });
    await t.say(customerJoins);
    for (const answer of ['Dana', 'dana@example.com']) await t.say(answer);
    expect(t.texts().at(-1)).toBe('What can we help you with?');

    await t.say('I want to talk to a human agent about my bill');
    const c = await handedToQueue(t);
    expect(c.context.preChat.topic).toBe('Billing');
    expect(c.queueId).toBe(BILLING);
    expect(t.texts().join('\n')).not.toContain('Please pick one of');
  });

  it('never repeats the question more than twice, then offers buttons and a person', async () => {
    t = await startTestBot({ channelId: 'directline', demo: true, at: WEDNESDAY_10AM_NEW_YORK });
    const said: string[] = [];
    await t.say(customerJoins);
    for (const answer of ['Dana', 'dana@example.com']) await t.say(answer);
    transcriptOf(t, said);
    for (let i = 0; i < 3; i++) await t.say('hmm, not sure really');
    const replies = t.replies();
    said.push(...replies.filter((a) => a.type === 'message').map((a) => a.text ?? ''));
    expect(mostRepeated(said)).toBeLessThanOrEqual(2);
    const buttons = replies.at(-1)?.suggestedActions?.actions.map((a) => a.value);
    expect(buttons).toEqual([
      'Internet outage',
      'Billing',
      'Wi-Fi & equipment',
      'Moving or new service',
      'Other',
      'Talk to a person',
    ]);

    await t.say('Talk to a person');
    await handedToQueue(t);
  });

  it('understands a typo, and confirms a guess before using it', async () => {
    t = await startTestBot({ channelId: 'directline', demo: true, at: WEDNESDAY_10AM_NEW_YORK });
    await t.say(customerJoins);
    for (const answer of ['Dana', 'dana@example.com', 'my internt is dwn']) await t.say(answer);
    expect(t.texts().at(-1)).toBe(
      "Is there anything else we should know? (optional — type 'skip' to leave it out)",
    );
    expect((await t.conversation()).context.preChat).toEqual({});
    await t.say('skip');
    await expect.poll(async () => (await t.conversation()).context.preChat.topic).toBe('Internet outage');
  });

  it('understands a customer writing in Spanish, for the topic and for a person', async () => {
    t = await startTestBot({ channelId: 'directline', demo: true, at: WEDNESDAY_10AM_NEW_YORK });
    await t.say(customerJoins);
    for (const answer of ['Ana García', 'ana@example.com']) await t.say(answer);
    await t.say('quiero hablar con una persona sobre mi factura');
    const c = await handedToQueue(t);
    expect(c.context.preChat.topic).toBe('Billing');
  });
});

describe('names only when given', () => {
  it('does not call the customer "I" when the optional answer asks for a person', async () => {
    t = await startTestBot({ channelId: 'directline', demo: true, at: WEDNESDAY_10AM_NEW_YORK });
    const said: string[] = [];
    await t.say(customerJoins);
    for (const answer of ['Dana', 'dana@example.com', 'Internet outage']) await t.say(answer);
    transcriptOf(t, said);
    await t.say('my internet is down since this morning, I want to talk to a human agent');
    const c = await handedToQueue(t);
    transcriptOf(t, said);
    expect(said.join('\n')).not.toMatch(/Thanks, I\b/);
    expect(c.subject).toBe('my internet is down since this morning, I want to talk to a human agent');
    expect(c.context.preChat.description).toBe(c.subject);
  });

  it('never takes a sentence typed into the name question for a name', async () => {
    t = await startTestBot({ demo: true, at: WEDNESDAY_10AM_NEW_YORK });
    await t.say(customerJoins);
    await t.say('my router has a blinking red light');
    expect(t.texts().at(-1)).toBe("Thanks — noted. What's your name?");
    await t.say('Lee');
    expect(t.texts()).toEqual(["What's the e-mail address on your account?"]);
    await t.say('lee@example.com');
    // The first message already said what it is about: no topic or details question, an answer instead.
    const after = t.texts();
    expect(after[0]).toBe('Thanks, Lee! Here is what I found about that.');
    expect(after.at(-1)).toBe('Did that help?');
    expect((await t.conversation()).context.preChat).toEqual({
      name: 'Lee',
      email: 'lee@example.com',
      topic: 'Wi-Fi & equipment',
      description: 'my router has a blinking red light',
    });
  });
});

describe('closed hours, told before anything is promised', () => {
  it('says when billing is back, offers what can be done now, and asks no rating', async () => {
    t = await startTestBot({ channelId: 'directline', demo: true, at: SATURDAY_10AM_NEW_YORK });
    const said: string[] = [];
    await t.say(customerJoins);
    for (const answer of ['Dana', 'dana@example.com', 'Billing', 'I was charged twice this month'])
      await t.say(answer);
    transcriptOf(t, said);
    await t.say('I want to talk to a person');
    const replies = t.replies();
    said.push(...replies.filter((a) => a.type === 'message').map((a) => a.text ?? ''));
    const all = said.join('\n');
    expect(all).not.toMatch(/connecting you/i);
    expect(all).toMatch(/billing team is not available right now; they're back Monday at 8:00 AM EST/i);
    expect(replies.at(-1)?.suggestedActions?.actions.map((a) => a.value)).toEqual([
      'Leave a message',
      'E-mail me',
      'Ask the assistant',
    ]);
    expect(replies.some((a) => a.name === 'postChatSurvey' || a.name === 'conversationEnded')).toBe(false);
    expect((await t.conversation()).status).toBe('bot');
  });

  it('leaves a message that waits in the billing queue until an agent picks it up when it opens', async () => {
    t = await startTestBot({ channelId: 'directline', demo: true, at: SATURDAY_10AM_NEW_YORK });
    await t.say(customerJoins);
    for (const answer of ['Dana', 'dana@example.com', 'Billing', 'I was charged twice this month'])
      await t.say(answer);
    await t.say('agent please');
    t.replies();
    await t.say('Leave a message');
    expect(t.texts().at(-1)).toMatch(/your message .* billing team: they're back Monday at 8:00 AM EST/i);
    const left = await t.conversation();
    expect(left).toMatchObject({ status: 'waiting', queueId: BILLING, followUp: { by: 'chat' } });

    // The customer closes the chat and the closed-queue sweep runs: the message stays with the team.
    await t.say({ type: 'endOfConversation' });
    await t.router.sweep();
    expect((await t.conversation()).status).toBe('waiting');

    // Monday, 8:01 in New York: the billing agent comes online and gets it.
    t.deps.advance(new Date('2026-12-07T13:01:00Z').getTime() - SATURDAY_10AM_NEW_YORK.getTime());
    await t.router.presence.set(DEMO_IDS.agents.bianca, 'available');
    await t.router.dispatch();
    await expect.poll(async () => (await t.conversation()).agentId).toBe(DEMO_IDS.agents.bianca);
  });

  it('takes an e-mail follow-up with the address already given', async () => {
    t = await startTestBot({ demo: true, at: SATURDAY_10AM_NEW_YORK });
    await t.say(customerJoins);
    for (const answer of ['I need a person about a refund', 'Dana', 'dana@example.com']) await t.say(answer);
    t.texts();
    await t.say('E-mail me');
    expect(t.texts().at(-1)).toContain('will e-mail you at dana@example.com');
    expect(await t.conversation()).toMatchObject({
      status: 'waiting',
      queueId: BILLING,
      followUp: { by: 'email', email: 'dana@example.com' },
    });
  });
});
