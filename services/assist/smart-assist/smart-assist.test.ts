import { describe, expect, it } from 'vitest';
import { knowledgeArticles } from '../../demo/knowledge-articles.js';
import { createKnowledgeIndex } from '../../knowledge/index.js';
import type { IndexableCase } from './case-index.js';
import { createSmartAssist, type AssistMessage } from './smart-assist.js';

const pastCases: IndexableCase[] = [
  {
    id: 'case_1',
    number: 'CAS-01001',
    title: 'Router blinking red after storm',
    subject: 'No fiber signal',
    description: 'Customer reported the router light blinking red; the fiber cable to the ONT was bent.',
    product: 'Fiber Internet',
    status: 'resolved',
  },
  {
    id: 'case_2',
    number: 'CAS-01002',
    title: 'Double charge on November bill',
    subject: 'Billing dispute',
    description: 'Card charged twice; refund issued.',
    product: 'Billing',
    status: 'resolved',
  },
];

const customer = (text: string): AssistMessage => ({ author: 'customer', text });
const agent = (text: string): AssistMessage => ({ author: 'agent', text });
const assist = () =>
  createSmartAssist({ knowledge: createKnowledgeIndex(knowledgeArticles), cases: pastCases });

describe('smart assist', () => {
  it('suggests the article and the past case for what the customer said, with a reason', () => {
    const s = assist().suggest([customer('Hi, my router has a blinking red light since this morning')]);
    expect(s.articles[0]).toMatchObject({ id: 'kb_router_red_light' });
    expect(s.articles[0]!.reason).toBe('matched: router, blinking red light');
    expect(s.cases[0]).toMatchObject({ id: 'case_1', number: 'CAS-01001' });
    expect(s.cases[0]!.reason).toContain('blinking red');
  });

  it('suggests nothing to a customer who has only asked for a person', () => {
    for (const text of ['I want to talk to a person.', 'agent please', 'Can I speak to a human?']) {
      expect(assist().suggest([customer(text)]), text).toMatchObject({ articles: [], cases: [] });
    }
    // Beside a topic, the request takes nothing from it.
    const s = assist().suggest([customer('My router is blinking red, I want to talk to someone')]);
    expect(s.articles[0]).toMatchObject({ id: 'kb_router_red_light' });
    expect(s.query).not.toMatch(/talk/);
  });

  it('suggests nothing for what carries no topic: agreeing, taking leave, web addresses', () => {
    for (const text of [
      'never mind, I found it. bye',
      'ok great, thanks!',
      'Yes, perfect. Sorry, goodbye',
      'no that is all, thanks a lot',
      'see https://192.168.1.1 and www.northwind.example/help',
    ]) {
      expect(assist().suggest([customer(text)]), text).toMatchObject({ articles: [], cases: [] });
    }
  });

  it('takes no topic from how often or since when, or from talk about the chat itself', () => {
    const s = assist().suggest([
      customer('This is the third time the internet is down this week and I am furious'),
    ]);
    expect(s.articles[0]).toMatchObject({ id: 'kb_outage_check' });
    // "time" matched the parental-controls article (screen time) on a complaint about an outage.
    expect(s.articles.map((a) => a.id)).not.toContain('kb_parental_controls');
    expect(s.articles[0]!.reason).toBe('matched: internet, down');
    expect(assist().suggest([customer('I left a message yesterday')])).toMatchObject({ articles: [] });
    // A topic keeps its own words.
    const screen = assist().suggest([customer('How much screen time do my kids get?')]);
    expect(screen.articles[0]).toMatchObject({ id: 'kb_parental_controls' });
  });

  it('leaves out what matched a word in passing beside a strong match', () => {
    const a = createSmartAssist({
      knowledge: createKnowledgeIndex(knowledgeArticles),
      cases: pastCases,
      articleLimit: 5,
    });
    const bill = a.suggest([customer('My bill is wrong, I was charged twice this month.')]);
    // Not "Returning equipment" (a charge for equipment not returned), nor cancelling.
    expect(bill.articles.map((x) => x.id)).toEqual(['kb_late_fee_refund', 'kb_understand_bill']);
    // Two topics at once keep both.
    const two = a.suggest([customer('Router is blinking red'), customer('also my wifi is slow upstairs')]);
    expect(two.articles.map((x) => x.id)).toEqual(['kb_router_red_light', 'kb_slow_wifi']);
  });

  it('ignores what agents say and internal notes', () => {
    const s = assist().suggest([
      customer('I was charged twice this month'),
      agent('Let me check your router settings'),
      { author: 'customer', text: 'router', visibility: 'internal' },
    ]);
    expect(s.query).not.toContain('router');
    expect(s.cases[0]?.id).toBe('case_2');
  });

  it('refreshes as messages arrive and stays quiet when nothing new was said', () => {
    const session = assist().startSession();
    expect(session.current.articles).toEqual([]);
    expect(session.add(customer('hello'))).toBeUndefined();
    const first = session.add(customer('I was charged twice, I want my money back'));
    expect(first?.articles[0]?.id).toBe('kb_late_fee_refund');
    expect(session.add(agent('Sorry to hear that'))).toBeUndefined();
    expect(session.add(customer('charged twice'))).toBeUndefined();
    const second = session.add(customer('also the wifi is slow upstairs'));
    expect(second?.articles.map((a) => a.id)).toContain('kb_slow_wifi');
    expect(session.current).toBe(second);
  });

  it('favours the latest message when the customer changes topic', () => {
    const session = assist().startSession([customer('how do I set up autopay')]);
    const next = session.add(customer('and netflix keeps buffering on my tv'));
    expect(next?.articles[0]?.id).toBe('kb_streaming_buffering');
  });

  it('learns new and updated cases', () => {
    const a = assist();
    a.upsertCase({ ...pastCases[1]!, id: 'case_3', number: 'CAS-01003', title: 'Parental controls reset' });
    expect(a.suggest([customer('parental controls reset overnight')]).cases[0]?.id).toBe('case_3');
    expect(a.removeCase('case_3')).toBe(true);
    expect(a.suggest([customer('parental controls reset overnight')]).cases.map((c) => c.id)).not.toContain(
      'case_3',
    );
  });

  it('suggests only the cases the agent may open, the best of those', async () => {
    const routerCases: IndexableCase[] = [1, 2, 3, 4, 5].map((n) => ({
      id: `case_r${n}`,
      number: `CAS-0200${n}`,
      title: `Router blinking red ${n}`,
      subject: 'No fiber signal',
      description: 'The router light was blinking red.',
      product: 'Fiber Internet',
      status: 'resolved',
    }));
    const smart = createSmartAssist({
      knowledge: createKnowledgeIndex(knowledgeArticles),
      cases: routerCases,
      caseLimit: 2,
    });
    const said = [customer('my router is blinking red')];
    const best = smart.suggest(said).cases.map((c) => c.id);
    expect(best).toHaveLength(2);
    const asked: string[][] = [];
    const s = await smart.suggestOpenable(said, async (ids) => {
      asked.push([...ids]);
      return new Set(ids.filter((id) => !best.includes(id)));
    });
    expect(asked[0]).toEqual(expect.arrayContaining(best));
    expect(s.cases).toHaveLength(2);
    expect(s.cases.map((c) => c.id)).not.toContain(best[0]);
    expect(s.cases.map((c) => c.id)).not.toContain(best[1]);
    expect(s.articles).toEqual(smart.suggest(said).articles);
  });
});
