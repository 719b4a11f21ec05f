import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../services/demo/index.js';
import type { KnowledgeArticle } from '../../services/domain/index.js';
import { openCustomerConversation, callDirectLine } from '../bot/support/directline-http.js';
import { movableClock } from '../bot/support/test-bot.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { aConversation, customerSays } from '../workspace/world.js';

// Article changes reach the bot and the agents without a restart, and drafts and agents-only
// articles stay where they belong: over real HTTP (Direct Line for the customer, the agent API for
// agents, the public /kb page) on the real app.

let s: TestServer;
let token: string;
const clock = movableClock();
const ALEX = DEMO_IDS.agents.alex;

beforeAll(async () => {
  s = await startTestServer({ app: { deps: clock } });
  const res = await fetch(`${s.url}/api/v1/dev/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ agentId: ALEX }),
  });
  token = ((await res.json()) as { token: string }).token;
});

afterAll(async () => {
  await s?.close();
});

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${s.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      items?: Array<{ id: string; title: string; agentsOnly?: boolean }>;
      error?: { code: string; message: string };
    },
  };
}

async function searchIds(q: string): Promise<string[]> {
  const found = await api('GET', `/knowledge/search?q=${encodeURIComponent(q)}`);
  expect(found.status).toBe(200);
  return (found.body.items ?? []).map((i) => i.id);
}

/** The widget's pre-chat form, sent as the widget sends it. */
async function submitSurvey(
  customer: { conversationId: string; token: string },
  userId: string,
  answers: Record<string, string>,
): Promise<void> {
  const form = await callDirectLine(
    s.url,
    'POST',
    `/conversations/${customer.conversationId}/activities`,
    customer.token,
    { type: 'message', from: { id: userId }, text: '', value: { preChat: answers } },
  );
  expect(form.status).toBe(200);
}

/** A customer on the web chat past the pre-chat form, and what the bot said to them. */
async function customerAsking(userId: string) {
  const customer = await openCustomerConversation(s.url, userId);
  await submitSurvey(customer, userId, {
    name: 'Dana',
    email: 'dana@example.com',
    topic: 'Wi-Fi & equipment',
  });
  await expect.poll(async () => (await customer.texts()).join(' ')).toContain('How can I help');
  return {
    /** Asks and waits for the bot's "Did that help?" or "not sure" after it; the texts after the question. */
    async ask(text: string): Promise<string[]> {
      const before = (await customer.texts()).length;
      expect((await customer.send(text)).status).toBe(200);
      await s.services.bot.idle();
      await expect.poll(async () => (await customer.texts()).length).toBeGreaterThan(before + 1);
      return (await customer.texts()).slice(before + 1).map((x) => x ?? '');
    },
  };
}

describe('an article found for what a customer came about', () => {
  it('is not offered once unpublished while they fill in the survey', async () => {
    const userId = 'kb_stale_subject';
    const customer = await openCustomerConversation(s.url, userId);
    // Typed before the form: what they came about, for which the bot finds an article to offer.
    expect((await customer.send('How do I cancel my service?')).status).toBe(200);
    await s.services.bot.idle();
    await s.services.repos.knowledgeArticles.update('kb_cancel_service', { published: false });
    const before = (await customer.texts()).length;
    await submitSurvey(customer, userId, { name: 'Pat', email: 'pat@example.com', topic: 'Billing' });
    await s.services.bot.idle();
    await expect.poll(async () => (await customer.texts()).length).toBeGreaterThan(before);
    const after = (await customer.texts()).slice(before).join('\n');
    expect(after).not.toContain('Cancel your service');
    await s.services.repos.knowledgeArticles.update('kb_cancel_service', { published: true });
  });
});

describe('an article written while the server runs', () => {
  it('is what the bot answers with, without a restart', async () => {
    await s.services.repos.knowledgeArticles.create({
      id: 'kb_voicemail_pin',
      title: 'Reset your voicemail PIN',
      keywords: ['voicemail pin', 'voicemail password'],
      product: 'Phone',
      body: 'Dial *98 from your home phone, press 5 and follow the prompts to choose a new PIN.',
    });
    const customer = await customerAsking('kb_change_customer');
    const answer = await customer.ask('how do I reset my voicemail pin');
    expect(answer.join('\n')).toContain('**Reset your voicemail PIN**');
  });

  it('is found by agents under its new title at once, and a deleted one is gone at once', async () => {
    expect(await searchIds('outage credit')).toContain('kb_outage_credit');
    await s.services.repos.knowledgeArticles.update('kb_outage_credit', {
      title: 'Money back after a service interruption',
    });
    const renamed = await api('GET', '/knowledge/search?q=interruption');
    expect(renamed.body.items?.[0]).toMatchObject({
      id: 'kb_outage_credit',
      title: 'Money back after a service interruption',
    });

    await s.services.repos.knowledgeArticles.remove('kb_outage_credit');
    expect(await searchIds('outage credit')).not.toContain('kb_outage_credit');
    const opened = await api('GET', '/knowledge/kb_outage_credit');
    expect(opened.status).toBe(404);
    expect(opened.body.error?.message).toMatch(/deleted or unpublished/);
  });

  it('is found when another writer stored it, once the store is checked again (30 s)', async () => {
    expect(await searchIds('zigbee hub')).toEqual([]);
    const now = clock.now();
    await s.services.store.collection<KnowledgeArticle>('knowledge_articles').insertOne({
      id: 'kb_zigbee',
      title: 'Pair a Zigbee hub',
      keywords: ['zigbee'],
      body: 'Hold the pairing button on the hub for five seconds.',
      product: 'Smart home',
      createdAt: now,
      updatedAt: now,
    });
    clock.advance(31_000);
    await expect.poll(() => searchIds('zigbee hub'), { timeout: 5000 }).toContain('kb_zigbee');
  });
});

describe('drafts and agents-only articles', () => {
  beforeAll(async () => {
    const articles = s.services.repos.knowledgeArticles;
    await articles.create({
      id: 'kb_draft_fiber_splice',
      title: 'Fiber splice tray replacement',
      keywords: ['splice tray'],
      body: 'Draft: not reviewed yet.',
      published: false,
    });
    await articles.create({
      id: 'kb_agents_escalation_codes',
      title: 'Escalation codes for field technicians',
      keywords: ['escalation code', 'field technician'],
      body: 'Use code FT-2 when a technician visit is needed the same day.',
      audience: 'agents',
    });
  });

  it('are not on the public page', async () => {
    expect((await fetch(`${s.url}/kb/kb_draft_fiber_splice`)).status).toBe(404);
    expect((await fetch(`${s.url}/kb/kb_agents_escalation_codes`)).status).toBe(404);
    expect((await fetch(`${s.url}/kb/kb_outage_check`)).status).toBe(200);
  });

  it('are found by agents when agents-only, never when drafts', async () => {
    expect(await searchIds('escalation code field technician')).toContain('kb_agents_escalation_codes');
    // Marked for agents, so the tab does not offer it to send; a customer article is not.
    const marks = (await api('GET', '/knowledge/search?q=escalation%20code%20router')).body.items ?? [];
    expect(marks.find((i) => i.id === 'kb_agents_escalation_codes')).toMatchObject({ agentsOnly: true });
    expect(
      marks.filter((i) => i.id !== 'kb_agents_escalation_codes').every((i) => i.agentsOnly === false),
    ).toBe(true);
    expect(await searchIds('fiber splice tray')).not.toContain('kb_draft_fiber_splice');
    expect((await api('GET', '/knowledge/kb_draft_fiber_splice')).status).toBe(404);
    const opened = await api('GET', '/knowledge/kb_agents_escalation_codes');
    expect(opened.status).toBe(200);
    // Said on the article too, so the tab's article view offers no Send link and no public link.
    expect(opened.body).toMatchObject({ agentsOnly: true });
    expect((await api('GET', '/knowledge/kb_router_red_light')).body).toMatchObject({ agentsOnly: false });
  });

  it('are suggested to agents by smart assist when agents-only, never when drafts', async () => {
    const c = await aConversation({ repos: s.services.repos, deps: clock });
    await customerSays(
      s.services,
      c.id,
      'A field technician gave me an escalation code',
      'and something about a fiber splice tray',
    );
    const assist = await api('GET', `/conversations/${c.id}/assist`);
    expect(assist.status).toBe(200);
    const ids = (assist.body.items ?? []).map((i) => i.id);
    expect(ids).toContain('kb_agents_escalation_codes');
    expect((assist.body.items ?? []).find((i) => i.id === 'kb_agents_escalation_codes')).toMatchObject({
      agentsOnly: true,
    });
    expect(ids).not.toContain('kb_draft_fiber_splice');
  });

  it('cannot be sent to a customer when agents-only', async () => {
    const c = await aConversation({ repos: s.services.repos, deps: clock });
    const sent = await api('POST', `/conversations/${c.id}/knowledge/kb_agents_escalation_codes/send`);
    expect(sent.status).toBe(400);
    expect(sent.body.error?.code).toBe('knowledge_article.agents_only');
  });

  it('are not what the bot answers customers with', async () => {
    const customer = await customerAsking('kb_audience_customer');
    const answer = (await customer.ask('what is the escalation code for a field technician')).join('\n');
    expect(answer).not.toContain('Escalation codes for field technicians');
    const draft = (await customer.ask('fiber splice tray replacement')).join('\n');
    expect(draft).not.toContain('Fiber splice tray replacement');
  });
});
