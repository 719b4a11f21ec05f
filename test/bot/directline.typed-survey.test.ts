import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depsAt, startTestServer, type TestServer } from '../support/server.js';
import { openCustomerConversation } from './support/directline-http.js';

// The pre-chat survey typed in the chat, as a Web Chat page or any Direct Line client that shows no
// form leaves it to the customer: over real HTTP against the real app, on either store.

/** Saturday 7 March 2026, 23:30 in New York: the clocks go forward at 02:00, so the night is 23 hours. */
const NIGHT_BEFORE_SUMMER_TIME = new Date('2026-03-08T04:30:00Z');

const ASKS_EMAIL = "What's the e-mail address on your account?";

let s: TestServer;
let customers = 0;

beforeAll(async () => {
  s = await startTestServer({ app: { deps: depsAt(NIGHT_BEFORE_SUMMER_TIME) } });
});

afterAll(async () => {
  await s?.close();
});

/** A customer who types into the chat; each answer is read once the bot has answered it. */
async function typingCustomer(userId: string) {
  const customer = await openCustomerConversation(s.url, userId);
  const botSaid = async (text: string) => {
    expect((await customer.send(text)).status).toBe(200);
    await s.services.bot.idle();
    return (await customer.texts()).filter((t): t is string => !!t && t !== text);
  };
  await s.services.bot.idle();
  return { botSaid };
}

describe('a name typed in answer to the survey', () => {
  it.each([
    ['अनन्या शर्मा', 'अनन्या'],
    ['அருண் குமார்', 'அருண்'],
    ['สมศักดิ์', 'สมศักดิ์'],
    ['שָׁלוֹם', 'שָׁלוֹם'],
    ['José'.normalize('NFD'), 'José'],
    ['Nguyễn Văn An', 'Nguyễn'],
    ['Do Thi Lan', 'Do'],
    ['An Nguyen', 'An'],
    ['Will Smith', 'Will'],
    ['Bill Gates', 'Bill'],
  ])('"%s" is taken as the name, and the customer is thanked as %s', async (name, first) => {
    const customer = await typingCustomer(`dl_name_${++customers}`);
    expect((await customer.botSaid(name)).at(-1)).toBe(ASKS_EMAIL);
    // Only a name: "Bill Gates" did not answer the topic with Billing.
    expect((await customer.botSaid('customer@example.com')).at(-1)).toBe('What can we help you with?');
    await customer.botSaid('Wi-Fi & equipment');
    const thanks = (await customer.botSaid('skip')).at(-1);
    // Composed (NFC), whatever the keyboard sent.
    expect(thanks).toBe(`Thanks, ${first.normalize('NFC')}! How can I help you today?`);
  });

  it('is still not taken from a request for a person or a sentence', async () => {
    const asking = await typingCustomer('dl_name_request');
    const heard = await asking.botSaid('I want to talk to a human agent please');
    expect(heard.at(-2)).toBe("Sure, I'll get you to a person. I just need a few details first.");
    expect(heard.at(-1)).toBe("What's your name?");

    const telling = await typingCustomer('dl_name_sentence');
    expect((await telling.botSaid('my internet is down')).at(-1)).not.toBe(ASKS_EMAIL);
    expect((await telling.botSaid('will do')).at(-1)).toBe(
      "Sorry, I didn't catch your name. What's your name?",
    );
  });
});

describe('when a closed team is back', () => {
  it('the night the clocks go forward, a Monday opening is Monday, not tomorrow', async () => {
    const customer = await typingCustomer('dl_back_after_dst');
    for (const answer of ['Dana Whitfield', 'dana@example.com', 'Billing', 'skip'])
      await customer.botSaid(answer);
    const said = (await customer.botSaid('I want to talk to an agent')).join('\n');
    expect(said).toContain(
      "our Billing team is not available right now; they're back Monday at 8:00 AM EDT.",
    );
  });
});
