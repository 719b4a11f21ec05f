import { describe, expect, it } from 'vitest';
import { summarizeCase } from './case-summary.js';
import { summarizeConversation, type SummaryMessage } from './conversation-summary.js';

const c = (text: string): SummaryMessage => ({ author: 'customer', text });
const a = (text: string): SummaryMessage => ({ author: 'agent', text });
const b = (text: string): SummaryMessage => ({ author: 'bot', text });

const routerChat: SummaryMessage[] = [
  b('Hi! How can I help you today?'),
  c('Hello.'),
  c('My internet has been down since this morning and the router has a blinking red light.'),
  b('Let me connect you with an agent.'),
  a('Thanks for waiting, I am Sam. Sorry about that.'),
  a('Could you unplug the ONT and the router for 30 seconds and plug the ONT in first?'),
  c('OK, I restarted both of them but the light is still blinking red.'),
  a('I see a bent fiber cable alarm on our side, so I have booked a technician for tomorrow 8-12.'),
  c('Great, thank you.'),
  { author: 'agent', text: 'Customer sounds annoyed, prior complaint last month', visibility: 'internal' },
];

describe('conversation summary', () => {
  it('picks the sentence that states the issue', () => {
    const s = summarizeConversation(routerChat);
    expect(s.issue).toEqual([
      'My internet has been down since this morning and the router has a blinking red light.',
    ]);
  });

  it('picks what was tried', () => {
    expect(summarizeConversation(routerChat).tried).toContain(
      'OK, I restarted both of them but the light is still blinking red.',
    );
  });

  it('picks the outcome from the end of the conversation', () => {
    expect(summarizeConversation(routerChat).outcome[0]).toContain('booked a technician');
  });

  it('never quotes internal notes and writes one paragraph', () => {
    const s = summarizeConversation(routerChat);
    expect(s.text).not.toContain('prior complaint');
    expect(s.text).toMatch(/^Issue: .+ Tried: .+ Outcome: .+/u);
  });

  it('does not take a bare thank-you for an outcome', () => {
    const s = summarizeConversation([
      c('My internet is down and the router light is red.'),
      a('Hello, sorry about that. Let me check the line.'),
      c('thanks! it has been down for 3 hours, this is terrible'),
    ]);
    expect(s.outcome).toEqual([]);
    expect(s.text).toContain('Outcome: open.');
  });

  it("does not take the bot's greeting for an outcome", () => {
    const s = summarizeConversation([
      b("Hi! I'm the Northwind Fiber virtual assistant."),
      b('Thanks, Kay! How can I help you today?'),
      c('agent please'),
      b("Sure, I'm connecting you with an agent."),
    ]);
    expect(s.outcome).toEqual([]);
  });

  it('says the outcome is open when nothing was resolved yet', () => {
    const s = summarizeConversation([c('My bill is wrong, I was charged twice for November.')]);
    expect(s.issue).toHaveLength(1);
    expect(s.text).toContain('Outcome: open.');
  });
});

describe('case summary', () => {
  it('derives the case fields from the conversation when there is no case', () => {
    const s = summarizeCase({ messages: routerChat, customer: { name: 'Dana Whitfield' } });
    expect(s).toMatchObject({ customer: 'Dana Whitfield', product: 'Fiber Internet', caseType: 'problem' });
    expect(s.title).toBe(
      'My internet has been down since this morning and the router has a blinking red light',
    );
    expect(s.subject).toBe('Fiber Internet – Service problem');
    expect(s.description).toContain('Issue:');
  });

  it('reads billing requests and questions', () => {
    const refund = summarizeCase({
      messages: [c('I would like a refund for the late fee on my bill.')],
      customer: { name: 'A' },
    });
    expect(refund).toMatchObject({ product: 'Billing', caseType: 'request' });
    const question = summarizeCase({
      messages: [c('How do I change my wifi password?')],
      customer: { name: 'A' },
    });
    expect(question).toMatchObject({ product: 'Wi-Fi', caseType: 'question', priority: 'low' });
  });

  it('raises priority for an angry repeat contact and for safety', () => {
    const angry = summarizeCase({
      messages: [c('This is the third time I contact you, the internet is STILL down!!!')],
      customer: { name: 'A' },
    });
    expect(angry.priority).toBe('high');
    const urgent = summarizeCase({
      messages: [c('No service and my elderly mother relies on it for her medical alarm.')],
      customer: { name: 'A' },
    });
    expect(urgent.priority).toBe('urgent');
  });

  it('keeps the fields of an existing case', () => {
    const s = summarizeCase({
      messages: routerChat,
      customer: { name: 'Dana Whitfield', accountName: 'Whitfield Bakery' },
      existingCase: {
        title: 'Fiber cut',
        subject: 'Outage',
        product: 'Fiber Internet',
        priority: 'urgent',
        caseType: 'problem',
        description: 'Cable bent at the wall.',
      },
    });
    expect(s).toEqual({
      title: 'Fiber cut',
      customer: 'Dana Whitfield (Whitfield Bakery)',
      subject: 'Outage',
      product: 'Fiber Internet',
      priority: 'urgent',
      caseType: 'problem',
      description: 'Cable bent at the wall.',
    });
  });
});

describe('case type', () => {
  it('reads a greeting followed by a how-to question as a question', () => {
    const s = summarizeCase({
      messages: [c('Hello.'), c('How do I set up autopay?')],
      customer: { name: 'A' },
    });
    expect(s.caseType).toBe('question');
  });

  it('reads "I want to cancel" as a request', () => {
    const s = summarizeCase({
      messages: [c('Hi. I want to cancel my service next month.')],
      customer: { name: 'A' },
    });
    expect(s).toMatchObject({ caseType: 'request', product: 'Account' });
  });
});
