import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../services/demo/index.js';
import { customerJoins, startTestBot, type TestBot } from './support/test-bot.js';

// What the bot tells a customer of the demo company is what happens: questions asked as questions
// before any "didn't catch", promises it can keep, no word that is not so — each case as a customer
// met it on the local Direct Line channel (a Web Chat host, which shows no pre-chat form).

const WEDNESDAY_10AM_NEW_YORK = new Date('2026-12-02T15:00:00Z');
const SATURDAY_10AM_NEW_YORK = new Date('2026-12-05T15:00:00Z');

let t: TestBot;
afterEach(async () => {
  await t?.close();
});

describe('a Web Chat host that shows no pre-chat form', () => {
  it('asks each question in words, and never says it did not catch an answer to one not yet asked', async () => {
    t = await startTestBot({ channelId: 'directline', demo: true, at: WEDNESDAY_10AM_NEW_YORK });
    await t.say(customerJoins);
    t.replies();

    await t.say('hi');
    expect(t.texts()).toEqual(["What's your name?"]);
    await t.say('Jordan');
    expect(t.texts()).toEqual(["What's the e-mail address on your account?"]);
    await t.say('jordan@example.com');
    expect(t.texts()).toEqual(['What can we help you with?']);
  });

  it('says it did not catch a name only after asking for it', async () => {
    t = await startTestBot({ channelId: 'directline', demo: true, at: WEDNESDAY_10AM_NEW_YORK });
    await t.say(customerJoins);
    t.replies();
    await t.say('hi');
    t.replies();
    await t.say('hmm?');
    expect(t.texts()).toEqual(["Sorry, I didn't catch your name. What's your name?"]);
  });
});

describe('a pre-chat form answer the bot cannot take', () => {
  const form = (name: unknown) => ({
    type: 'message',
    text: '',
    value: { preChat: { name, email: 'a@example.com', topic: 'Wi-Fi & equipment' } },
  });

  it('gets "Please check your answers" and the form again when it is over 500 characters', async () => {
    t = await startTestBot({ channelId: 'directline', demo: true, at: WEDNESDAY_10AM_NEW_YORK });
    await t.say(customerJoins);
    t.replies();
    await t.say(form('N'.repeat(3000)));
    const replies = t.replies();
    expect(replies.map((a) => a.text)).toContainEqual(
      'Please check your answers: Your name Please keep the answer under 500 characters.',
    );
    expect(replies.at(-1)).toMatchObject({ type: 'event', name: 'preChatSurvey' });
    expect((await t.conversation()).context.preChat).toEqual({});
  });

  it('gets "Please check your answers" when an answer is not text at all', async () => {
    t = await startTestBot({ channelId: 'directline', demo: true, at: WEDNESDAY_10AM_NEW_YORK });
    await t.say(customerJoins);
    t.replies();
    await t.say(form({ first: 'Jordan' }));
    expect(t.texts()).toEqual(['Please check your answers: Your name This one is required.']);
    await t.say(form(null));
    expect(t.texts()).toEqual(['Please check your answers: Your name This one is required.']);
  });
});

describe('a team nobody is signed in to', () => {
  it('is not called busy, and nobody is promised a text message', async () => {
    t = await startTestBot({ channelId: 'directline', demo: true, at: WEDNESDAY_10AM_NEW_YORK });
    const everyone = [...Object.values(DEMO_IDS.agents), ...Object.values(DEMO_IDS.supervisors)];
    for (const agent of everyone) await t.router.presence.set(agent, 'offline');
    await t.say(customerJoins);
    for (const answer of ['Dana', 'dana@example.com', 'Internet outage', 'skip']) await t.say(answer);
    t.replies();
    await t.say('I want to talk to a person');
    const said = t.texts().join('\n');
    expect(said).toContain(
      "I'm sorry — I can't connect you to a person in our Technical support team right now.",
    );
    expect(said).not.toMatch(/busy|text you|connecting you/i);
    expect((await t.conversation()).status).toBe('bot');
  });
});

describe('a message left for a closed team', () => {
  async function leaveMessage(channelId: string) {
    t = await startTestBot({ channelId, demo: true, at: SATURDAY_10AM_NEW_YORK });
    await t.say(customerJoins);
    for (const answer of ['I was charged twice this month', 'Dana', 'dana@example.com', 'Billing'])
      await t.say(answer);
    await t.say('agent please');
    t.replies();
    await t.say('Leave a message');
    // A chat without a form may not have heard yet what it is about: it asks, then takes the message.
    const said = t.texts().at(-1) ?? '';
    if (!said.startsWith('What would you like the team to know?')) return said;
    await t.say('I was charged twice this month');
    return t.texts().at(-1) ?? '';
  }

  it('promises a widget customer an answer by e-mail, not one in a chat they cannot come back to', async () => {
    const said = await leaveMessage('directline');
    expect(said).toBe(
      "Thanks — your message and everything you've told me are with our Billing team: they're back Monday at 8:00 AM EST. They'll answer in this chat if it's still open, or by e-mail to dana@example.com. You can close this chat now.",
    );
    expect(await t.conversation()).toMatchObject({ status: 'waiting', followUp: { by: 'chat' } });
  });

  it('tells a Teams customer the answer comes here, where their chat stays', async () => {
    const said = await leaveMessage('msteams');
    expect(said).toMatch(/they're back Monday at 8:00 AM EST and will reply here\b/);
  });
});
