import { DirectLine, type Activity } from 'botframework-directlinejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installWebSocket, nodeAjax } from './support/directline-client.js';
import { TEST_DIRECT_LINE_SECRET } from '../support/server.js';
import { startAppHarness, type BotHarness } from './support/app-harness.js';

// A customer on the official Direct Line client, over real HTTP and the WebSocket stream, against
// the real app (startTestServer: demo data, store, router, NLP, bot). One conversation from greeting to the satisfaction survey.

let h: BotHarness;
let dl: DirectLine;
const seen: Activity[] = [];

async function waitFor<T extends Activity>(
  what: string,
  test: (a: Activity) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const found = seen.find(test);
    if (found) return found as T;
    if (Date.now() - start > timeoutMs) {
      const got = seen.map(
        (a) => `${a.from.id}: ${a.type} ${'name' in a ? a.name : ''} ${'text' in a ? a.text : ''}`,
      );
      throw new Error(`Timed out waiting for ${what}; saw:\n${got.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

const AGENT_ID = 'agent_alex'; // Alex Rivera in the demo data
const fromBot = (a: Activity) => a.from.role === 'bot' || a.from.id !== 'dl_e2ecustomer01';
const botText = (text: string) => (a: Activity) =>
  a.type === 'message' && fromBot(a) && (a.text ?? '').includes(text);
const botEvent = (name: string) => (a: Activity) => a.type === 'event' && fromBot(a) && a.name === name;

function post(activity: Partial<Activity>): Promise<string> {
  return new Promise((resolve, reject) => {
    dl.postActivity({ from: { id: 'dl_e2ecustomer01', name: 'Dana' }, ...activity } as Activity).subscribe({
      next: resolve,
      error: reject,
    });
  });
}

beforeAll(async () => {
  installWebSocket();
  h = await startAppHarness();
  // As a site's server does: the secret for a token naming its visitor (docs/decisions/0007).
  const generated = (await (
    await fetch(`${h.url}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_DIRECT_LINE_SECRET}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: { id: 'dl_e2ecustomer01' } }),
    })
  ).json()) as {
    token: string;
  };
  dl = new DirectLine({
    domain: `${h.url}/v3/directline`,
    token: generated.token,
    webSocket: true,
    // Node has no XMLHttpRequest: the same requests through fetch (see support/directline-client.ts).
    ajax: nodeAjax,
  } as ConstructorParameters<typeof DirectLine>[0]);
  dl.activity$.subscribe({
    next: (a) => seen.push(a),
    // end() in afterAll finishes the stream with "conversation ended"; that is the goodbye, not a failure.
    error: () => {},
  });
});

afterAll(async () => {
  dl?.end();
  await h?.close();
});

describe('a customer on the official Direct Line client', () => {
  it('is greeted and asked the pre-chat survey, then answers it', async () => {
    await post({
      type: 'event',
      name: 'visitorContext',
      value: {
        visitor: {
          browser: 'Firefox',
          os: 'Linux',
          language: 'en-GB',
          device: 'desktop',
          authenticated: false,
        },
        portalNavigation: [
          {
            kind: 'article',
            title: 'Router lights',
            url: 'https://example.com/kb/router',
            at: new Date().toISOString(),
          },
        ],
        custom: { plan: 'Fiber 500' },
      },
    } as Partial<Activity>);
    const survey = await waitFor<Activity & { value: { questions: Array<{ id: string }> } }>(
      'pre-chat survey',
      botEvent('preChatSurvey'),
    );
    expect(survey.value.questions.map((q: { id: string }) => q.id)).toEqual([
      'name',
      'email',
      'topic',
      'description',
    ]);

    await post({
      type: 'message',
      text: '',
      value: { preChat: { name: 'Dana Whitfield', email: 'dana@example.com', topic: 'Wi-Fi & equipment' } },
    } as Partial<Activity>);
    await waitFor('thanks after the survey', botText('Thanks, Dana!'));
  });

  it('gets a knowledge answer with a did-that-help choice', async () => {
    await post({ type: 'message', text: 'my router has a blinking red light' });
    const ask = await waitFor<Activity & { suggestedActions?: { actions: Array<{ title: string }> } }>(
      'did that help',
      botText('Did that help?'),
    );
    expect(ask.suggestedActions?.actions.map((a) => a.title)).toEqual(['Yes', 'No']);
    expect(seen.some(botText('Router lights'))).toBe(true);
  });

  it('asks for an agent and is told its place in the queue', async () => {
    // Alex is the only one in Technical support at their desk, so the offer goes to Alex. (With
    // nobody available the demo queue's expected-wait overflow would end the chat instead.)
    for (const agent of await h.repos.agents.listInQueue('queue_technical')) {
      if (agent.id !== AGENT_ID) await h.router.presence.set(agent.id, 'away');
    }
    await post({ type: 'message', text: 'I want to talk to an agent' });
    const position = await waitFor<Activity & { value: { position: number; estimatedWaitSeconds: number } }>(
      'queue position',
      botEvent('queuePosition'),
    );
    expect(position.value.position).toBe(1);

    const id = conversationId();
    const c = await h.conversations.get(id);
    expect(['waiting', 'offered']).toContain(c.status);
    expect(c.queueId).toBe('queue_technical');
    expect(c.botOutcome).toBe('escalated');
    expect(c.context.preChat).toMatchObject({
      name: 'Dana Whitfield',
      email: 'dana@example.com',
      topic: 'Wi-Fi & equipment',
    });
    expect(c.context.visitor).toMatchObject({ browser: 'Firefox', os: 'Linux', authenticated: false });
    expect(c.context.custom).toEqual({ plan: 'Fiber 500' });
    expect(c.context.portalNavigation.map((n) => n.title)).toEqual(['Router lights']);
    const transcript = await h.conversations.transcript(id);
    expect(transcript.map((l) => l.author)).toContain('bot');
  });

  it('talks with the agent who accepts it; internal notes never reach the customer', async () => {
    const id = conversationId();
    await expect.poll(async () => (await h.conversations.get(id)).status, { timeout: 5000 }).toBe('offered');
    await h.router.accept(id, AGENT_ID);
    const joined = await waitFor<Activity & { value: { name: string } }>(
      'agent joined',
      botEvent('agentJoined'),
    );
    expect(joined.value.name).toBe('Alex Rivera');

    await h.conversations.postAgentMessage(id, AGENT_ID, 'INTERNAL: line test shows signal loss', 'internal');
    await h.conversations.postAgentMessage(
      id,
      AGENT_ID,
      'Hi Dana, I can see your line. Let me reset it.',
      'public',
    );
    await waitFor('the agent reply', botText('Let me reset it.'));

    await post({ type: 'message', text: 'Thank you, it works now' });
    await expect
      .poll(async () =>
        (await h.repos.messages.list(id)).some(
          (m) => m.author === 'customer' && m.text === 'Thank you, it works now',
        ),
      )
      .toBe(true);
  });

  it('ends with the survey, whose answer is stored', async () => {
    const id = conversationId();
    await h.router.end(id, 'agent');
    await waitFor('conversation ended', botEvent('conversationEnded'));
    await waitFor('post-chat survey', botEvent('postChatSurvey'));
    await h.router.close(id, 'agent', 'resolved');

    await post({
      type: 'message',
      text: '',
      value: { csat: { rating: 5, comment: 'Quick and friendly' } },
    } as Partial<Activity>);
    await waitFor('thanks for the feedback', botText('Thank you for your feedback!'));
    const c = await h.conversations.get(id);
    expect(c.status).toBe('closed');
    expect(c.csat).toMatchObject({ rating: 5, comment: 'Quick and friendly' });

    await h.bot.idle();
    expect(seen.some((a) => a.type === 'message' && (a.text ?? '').includes('INTERNAL'))).toBe(false);
  });
});

function conversationId(): string {
  const created = h.events.find((e) => e.type === 'conversation.created');
  if (!created) throw new Error('no conversation was created');
  return created.conversationId;
}

describe('the official client without WebSocket', () => {
  it('polls with watermarks and gets the same conversation', async () => {
    const generated = (await (
      await fetch(`${h.url}/v3/directline/tokens/generate`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TEST_DIRECT_LINE_SECRET}` },
      })
    ).json()) as {
      token: string;
    };
    const polling = new DirectLine({
      domain: `${h.url}/v3/directline`,
      token: generated.token,
      webSocket: false,
      pollingInterval: 200,
      ajax: nodeAjax,
    } as ConstructorParameters<typeof DirectLine>[0]);
    const got: Activity[] = [];
    const sub = polling.activity$.subscribe({ next: (a) => got.push(a), error: () => {} });
    try {
      await expect
        .poll(() => got.some((a) => a.type === 'event' && a.name === 'preChatSurvey'), { timeout: 5000 })
        .toBe(true);
      await new Promise((resolve, reject) =>
        polling
          .postActivity({
            type: 'message',
            from: { id: 'dl_pollingcustomer' },
            text: 'hello there',
          } as Activity)
          .subscribe({ next: resolve, error: reject }),
      );
      await expect
        .poll(() => got.filter((a) => a.type === 'message' && a.text === 'hello there').length, {
          timeout: 5000,
        })
        .toBe(1);
    } finally {
      sub.unsubscribe();
      polling.end();
    }
  });
});
