import { describe, expect, it } from 'vitest';
import type { SurveyQuestion } from '../../services/domain/index.js';
import { decide, initialDialogState } from './decide.js';
import { LIST_EXTRACT_CHARS, makeExtract } from './extract.js';
import { checkAnswer, isGoodbye, isNo, isYes, parseRating } from './phrases.js';
import type { DialogEnv, DialogState, Understanding } from './types.js';

// The dialog is a pure function: these read as the conversation a customer would have.

const survey: SurveyQuestion[] = [
  { id: 'name', prompt: 'Your name', kind: 'text', required: true },
  { id: 'topic', prompt: 'Topic', kind: 'choice', choices: ['Billing', 'Outage'], required: true },
];
const text: DialogEnv = { style: 'text', survey };
const widget: DialogEnv = { style: 'events', survey };
const neutral: Understanding = { sentiment: 'neutral' };
const answer: Understanding = {
  sentiment: 'neutral',
  intent: { name: 'topic', confidence: 0.9, unsure: false },
  answer: { articleId: 'kb_1', title: 'Pay your bill', extract: 'Open the app.' },
};
const unsure: Understanding = {
  sentiment: 'neutral',
  intent: { name: 'unsure', confidence: 0.1, unsure: true },
};
const openRoute = {
  kind: 'route' as const,
  route: { queueName: 'Support', open: true, estimatedWaitSeconds: 60 },
  at: '2026-12-02T15:00:00Z',
};
const helping = (over: Partial<DialogState> = {}): DialogState => ({
  ...initialDialogState(),
  phase: 'helping',
  ...over,
});
const msg = (t: string, u: Understanding = neutral) => ({
  kind: 'message' as const,
  text: t,
  understanding: u,
});

describe('decide', () => {
  it('says it has the files a customer sends without words, where it is the one talking', () => {
    const got = decide(helping(), { kind: 'files', names: ['lights.png', 'bill.pdf'] }, text);
    expect(got.state.phase).toBe('helping');
    expect(got.actions).toEqual([
      {
        type: 'say',
        text: "Thanks, I've got lights.png and bill.pdf. I can't look inside files myself, but an agent will see it. What is it about? You can also type 'agent' to talk to a person.",
      },
    ]);
    // In the queue or with an agent the file is on the transcript; the bot stays out of it.
    for (const phase of ['queued', 'with-agent', 'prechat'] as const) {
      expect(decide(helping({ phase }), { kind: 'files', names: ['a.png'] }, text).actions).toEqual([]);
    }
  });

  it('tells the customer why a file they attached was not passed on, whoever they are talking to', () => {
    const reasons = ['clip.mp4 is larger than 4 MB', 'notes.docx: only PDF can be sent'];
    for (const phase of ['helping', 'queued', 'with-agent'] as const) {
      const got = decide(helping({ phase }), { kind: 'filesRefused', reasons }, text);
      expect(got.state.phase).toBe(phase);
      expect(got.actions).toEqual([
        {
          type: 'say',
          text: "Sorry, I couldn't pass on what you attached: clip.mp4 is larger than 4 MB; notes.docx: only PDF can be sent.",
        },
      ]);
    }
    expect(decide(helping({ phase: 'done' }), { kind: 'filesRefused', reasons }, text).actions).toEqual([]);
  });

  it('greets once and starts the survey; a reconnect does not greet again', () => {
    const first = decide(initialDialogState(), { kind: 'start' }, text);
    expect(first.state.phase).toBe('prechat');
    expect(first.actions.map((a) => a.type)).toEqual(['say', 'say']);
    expect(decide(first.state, { kind: 'start' }, text).actions).toEqual([]);
  });

  it('greets and helps straight away when the work stream has no survey', () => {
    const step = decide(initialDialogState(), msg('how do I pay', answer), { style: 'text', survey: [] });
    expect(step.state.phase).toBe('feedback');
    expect(
      step.actions.filter((a) => a.type === 'say').map((a) => (a.type === 'say' ? a.text : '')),
    ).toContain('Did that help?');
  });

  it('sends the widget one survey form and validates the whole answer set', () => {
    const started = decide(initialDialogState(), { kind: 'start' }, widget);
    expect(started.actions[1]).toEqual({
      type: 'event',
      name: 'preChatSurvey',
      value: { questions: survey },
    });
    const wrong = decide(
      started.state,
      { kind: 'preChatAnswers', answers: { name: 'Ann', topic: 'Cats' } },
      widget,
    );
    expect(wrong.state.phase).toBe('prechat');
    const right = decide(
      started.state,
      { kind: 'preChatAnswers', answers: { name: 'Ann Lee', topic: 'outage' } },
      widget,
    );
    expect(right.actions[0]).toEqual({ type: 'savePreChat', answers: { name: 'Ann Lee', topic: 'Outage' } });
    expect(right.state.phase).toBe('helping');
  });

  it('counts two unhelpful answers, then asks routing and escalates to an open queue', () => {
    const once = decide(helping(), msg('??', unsure), text);
    expect(once.state).toMatchObject({ phase: 'helping', unhelpful: 1 });
    const twice = decide(once.state, msg('!!', unsure), text);
    expect(twice.state.phase).toBe('routing');
    expect(twice.actions).toEqual([{ type: 'checkRoute' }]);
    const routed = decide(twice.state, openRoute, text);
    expect(routed.state.phase).toBe('queued');
    expect(routed.actions.at(-1)).toEqual({ type: 'escalate', reason: 'unhelpful' });
  });

  it('escalates on request and on very negative sentiment, without an article', () => {
    const asked = decide(helping(), msg('can I speak to a human'), text);
    expect(decide(asked.state, openRoute, text).actions.at(-1)).toEqual({
      type: 'escalate',
      reason: 'requested',
    });
    const angry = decide(
      helping(),
      msg('this is a disgrace', { ...answer, sentiment: 'very negative' }),
      text,
    );
    expect(decide(angry.state, openRoute, text).actions.at(-1)).toEqual({
      type: 'escalate',
      reason: 'sentiment',
    });
  });

  it('does not read "no internet" as a No', () => {
    const feedback = helping({ phase: 'feedback' });
    expect(decide(feedback, msg('no internet at all', answer), text).state.phase).toBe('feedback');
    expect(decide(feedback, msg('No'), text).state.unhelpful).toBe(1);
  });

  it('reports the queue position only when it changes, as an event for the widget', () => {
    const queued = helping({ phase: 'queued' });
    const first = decide(queued, { kind: 'queueStatus', position: 3, estimatedWaitSeconds: 240 }, widget);
    expect(first.actions).toEqual([
      { type: 'event', name: 'queuePosition', value: { position: 3, estimatedWaitSeconds: 240 } },
    ]);
    expect(
      decide(first.state, { kind: 'queueStatus', position: 3, estimatedWaitSeconds: 200 }, widget).actions,
    ).toEqual([]);
    const text2 = decide(first.state, { kind: 'queueStatus', position: 2, estimatedWaitSeconds: 120 }, text);
    expect(text2.actions).toEqual([
      { type: 'say', text: "You're number 2 in the queue. Estimated wait: about 2 minutes." },
    ]);
  });

  it('gives no estimate while nobody can take the chat, and says so again once someone can', () => {
    const queued = helping({ phase: 'queued' });
    const nobody = decide(queued, { kind: 'queueStatus', position: 4, estimatedWaitSeconds: null }, text);
    expect(nobody.actions).toEqual([
      {
        type: 'say',
        text: "You're number 4 in the queue. No one on the team is free to take a chat right now: you keep your place, and the first person free will answer.",
      },
    ]);
    const back = decide(
      nobody.state,
      { kind: 'queueStatus', position: 4, estimatedWaitSeconds: 600 },
      widget,
    );
    expect(back.actions).toEqual([
      { type: 'event', name: 'queuePosition', value: { position: 4, estimatedWaitSeconds: 600 } },
    ]);
  });

  it('stays quiet while an agent has the conversation, and asks for feedback once when it ends', () => {
    const withAgent = decide(helping({ phase: 'queued' }), { kind: 'agentJoined', name: 'Alex' }, text).state;
    expect(decide(withAgent, msg('thanks for your help'), text).actions).toEqual([]);
    const ended = decide(withAgent, { kind: 'conversationEnded' }, widget);
    expect(ended.actions.map((a) => (a.type === 'event' ? a.name : a.type))).toEqual([
      'conversationEnded',
      'postChatSurvey',
    ]);
    expect(decide(ended.state, { kind: 'conversationEnded' }, widget).actions).toEqual([]);
  });

  it('takes a reopened chat back to the agent, unless a widget customer already left it', () => {
    const asked = helping({ phase: 'csat-rating', agentServed: true });
    const reopened = decide(asked, { kind: 'reopened', name: 'Alex' }, text);
    expect(reopened.state).toMatchObject({ phase: 'with-agent', agentName: 'Alex' });
    expect(reopened.actions).toEqual([{ type: 'say', text: 'Alex reopened the chat. You can reply here.' }]);
    // Teams: a rated chat is still the customer's chat. The widget's is closed for good.
    const rated = helping({ phase: 'done', agentServed: true });
    expect(decide(rated, { kind: 'reopened', name: 'Alex' }, text).state.phase).toBe('with-agent');
    expect(decide(rated, { kind: 'reopened', name: 'Alex' }, widget)).toEqual({ state: rated, actions: [] });
    // A chat still going on is not reopened.
    const withAgent = helping({ phase: 'with-agent', agentName: 'Sam' });
    expect(decide(withAgent, { kind: 'reopened', name: 'Alex' }, text).actions).toEqual([]);
  });

  it('ends a rating left unanswered for its time without a word, keeping a rating given before its comment', () => {
    const asked = helping({ phase: 'csat-rating', agentServed: true });
    expect(decide(asked, { kind: 'surveyLapsed' }, widget)).toEqual({
      state: { ...asked, phase: 'done' },
      actions: [],
    });
    const rated = helping({ phase: 'csat-comment', agentServed: true, csatRating: 4 });
    expect(decide(rated, { kind: 'surveyLapsed' }, widget)).toEqual({
      state: { ...rated, phase: 'done' },
      actions: [{ type: 'saveCsat', rating: 4 }],
    });
    // Anything else is not a rating's to end.
    const withAgent = helping({ phase: 'with-agent', agentName: 'Sam' });
    expect(decide(withAgent, { kind: 'surveyLapsed' }, widget)).toEqual({ state: withAgent, actions: [] });
  });
});

describe('phrases', () => {
  it('recognises yes, no, goodbye and ratings', () => {
    expect(isYes('Yes!')).toBe(true);
    expect(isNo('nope')).toBe(true);
    expect(isGoodbye('no thanks')).toBe(true);
    expect(parseRating('4 stars')).toBe(4);
    expect(parseRating('★★★')).toBe(3);
    expect(parseRating('7')).toBeNull();
  });

  it('checks survey answers by kind', () => {
    expect(checkAnswer({ id: 'e', prompt: 'E', kind: 'email', required: true }, 'a@b.co')).toEqual({
      ok: true,
      value: 'a@b.co',
    });
    expect(checkAnswer({ id: 'e', prompt: 'E', kind: 'email', required: true }, 'skip').ok).toBe(false);
    expect(
      checkAnswer({ id: 't', prompt: 'T', kind: 'choice', choices: ['A', 'B'], required: true }, '2'),
    ).toEqual({ ok: true, value: 'B' });
  });

  it('cuts an article to its first paragraph at a word boundary', () => {
    expect(makeExtract('First part.\n\nSecond part.')).toBe('First part.');
    const long = makeExtract(`${'word '.repeat(100)}\n\nrest`, { limit: 50 });
    expect(long.length).toBeLessThanOrEqual(51);
    expect(long.endsWith('…')).toBe(true);
  });

  it('shows the list a short opening only announces: the steps, or the case the customer asked about', () => {
    // "Work through these steps" without the steps answered nothing.
    expect(
      makeExtract('Work through these steps in order.\n\n1. Restart it.\n2. Move it.\n\nStill slow? Call.'),
    ).toBe('Work through these steps in order.\n1. Restart it.\n2. Move it.');
    // A long list keeps the item whose label names what was asked, or else its first items.
    const lights = [
      'The light tells you what the router is doing.',
      Array.from({ length: 8 }, (_, i) => `- Colour ${i}: ${'a long explanation of this case '.repeat(3)}`)
        .concat('- Blinking red: no fiber signal. Check the green cable.')
        .join('\n'),
    ].join('\n\n');
    expect(makeExtract(lights, { query: 'my router has a blinking red light' })).toBe(
      'The light tells you what the router is doing.\n- Blinking red: no fiber signal. Check the green cable.\n…',
    );
    const general = makeExtract(lights, { query: 'what do the lights mean' }).split('\n');
    expect(general.slice(0, 2)).toEqual([
      'The light tells you what the router is doing.',
      expect.stringMatching(/^- Colour 0:/),
    ]);
    expect(general.at(-1)).toBe('…');
    expect(general.join('\n').length).toBeLessThanOrEqual(LIST_EXTRACT_CHARS + 2);
    // A long opening is no lead-in: the first paragraph alone, as before.
    expect(makeExtract(`${'This paragraph explains a lot. '.repeat(6)}\n\n- a\n- b`)).not.toContain('- a');
  });
});
