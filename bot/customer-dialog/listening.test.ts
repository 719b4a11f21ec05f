import { describe, expect, it } from 'vitest';
import type { SurveyQuestion } from '../../services/domain/index.js';
import { matchChoice } from './choices.js';
import { decide, initialDialogState } from './decide.js';
import { firstName, looksLikeName, statedName } from './extract.js';
import { asksForAgent, whenText } from './phrases.js';
import type { DialogEnv, DialogState, Understanding } from './types.js';

const TOPICS = ['Internet outage', 'Billing', 'Wi-Fi & equipment', 'Moving or new service', 'Other'];
const survey: SurveyQuestion[] = [
  { id: 'name', prompt: 'Your name', kind: 'text', required: true },
  { id: 'topic', prompt: 'What can we help you with?', kind: 'choice', choices: TOPICS, required: true },
  { id: 'description', prompt: 'Tell us a little more (optional)', kind: 'text', required: false },
];
const text: DialogEnv = { style: 'text', survey };
const neutral: Understanding = { sentiment: 'neutral' };
const msg = (t: string, u: Understanding = neutral) => ({
  kind: 'message' as const,
  text: t,
  understanding: u,
});
const says = (actions: ReturnType<typeof decide>['actions']) =>
  actions.flatMap((a) => (a.type === 'say' ? [a.text] : []));

function asking(id: string, over: Partial<DialogState> = {}): DialogState {
  return { ...initialDialogState(), phase: 'prechat', asking: id, ...over };
}

describe('typed answers to choices', () => {
  it.each([
    ['about my bill', 'Billing'],
    ['I want to talk to a human agent about my bill', 'Billing'],
    ['my internet is down', 'Internet outage'],
    ['biling', 'Billing'],
    ['2', 'Billing'],
    ['the third one', 'Wi-Fi & equipment'],
    ['wifi', 'Wi-Fi & equipment'],
    ['problema con mi factura', 'Billing'],
    ['me voy a mudar', 'Moving or new service'],
  ])('reads "%s" as %s', (answer, choice) => {
    expect(matchChoice(answer, TOPICS)).toEqual({ choice, sure: true });
  });

  it('names nothing when nothing fits, and only guesses from the intent model', () => {
    expect(matchChoice('hmm not sure', TOPICS)).toBeNull();
    expect(
      matchChoice('my tv keeps buffering', TOPICS, {
        words: 'Wi-Fi Streaming and TV buffering',
        confidence: 0.4,
      }),
    ).toEqual({
      choice: 'Wi-Fi & equipment',
      sure: false,
    });
  });

  it('confirms a guess ("Billing — is that right?") and takes it on yes', () => {
    const hint: Understanding = {
      sentiment: 'neutral',
      topic: { words: 'Billing Late fees', confidence: 0.35 },
    };
    const asked = decide(
      asking('topic', { answers: { name: 'Dana' } }),
      msg('the thing from last month', hint),
      text,
    );
    expect(says(asked.actions)).toEqual(['Billing — is that right?']);
    const yes = decide(asked.state, msg('yes'), text);
    expect(yes.state.answers.topic).toBe('Billing');
    expect(says(yes.actions)[0]).toContain('Tell us a little more');
  });

  it('sends a question at most twice, then buttons with a person, then hands over', () => {
    let state = asking('topic', { answers: { name: 'Dana' }, prompts: { 'ask:topic': 1 } });
    const sent: string[] = ['What can we help you with?'];
    const buttons: string[][] = [];
    for (let i = 0; i < 4; i++) {
      const step = decide(state, msg('hmm'), text);
      for (const a of step.actions) {
        if (a.type !== 'say') continue;
        sent.push(a.text.replace(/^Sorry, I didn't catch which one\. /, ''));
        buttons.push(a.suggestions ?? []);
      }
      state = step.state;
    }
    expect(sent.filter((t) => t === 'What can we help you with?')).toHaveLength(2);
    expect(buttons.at(-1)).toEqual([...TOPICS, 'Talk to a person']);
    expect(state.phase).toBe('routing');
  });
});

describe('a person when asked', () => {
  it('hears the request in English, in Spanish and with typos, and not in "personal"', () => {
    for (const t of [
      'can I talk to someone',
      'quiero hablar con una persona',
      'un asesor por favor',
      'I wnat an agnet',
    ])
      expect(asksForAgent(t)).toBe(true);
    expect(asksForAgent('how do I change my personal details')).toBe(false);
  });

  it('acknowledges at once mid-survey, leaves out optional questions, and goes on the second request', () => {
    const first = decide(asking('name'), msg('I want to talk to a human agent please'), text);
    expect(says(first.actions)).toEqual([
      "Sure, I'll get you to a person. I just need a few details first.",
      "What's your name?",
    ]);
    const named = decide(first.state, msg('Dana'), text);
    expect(says(named.actions)).toEqual(['What can we help you with?']);
    const again = decide(named.state, msg('just get me a person'), text);
    expect(again.state.phase).toBe('routing');
    expect(again.actions.at(-1)).toEqual({ type: 'checkRoute' });
  });
});

describe('names only when given', () => {
  it('tells names from sentences', () => {
    for (const n of ['Dana', 'Dana Whitfield', 'José García', "O'Brien", 'ana maría'])
      expect(looksLikeName(n)).toBe(true);
    for (const n of ['I', 'I want to talk to a human agent please', 'hello', 'no', 'my internet is down'])
      expect(looksLikeName(n)).toBe(false);
    expect(statedName('hi, my name is Dana and my bill is wrong')).toBe('Dana');
    expect(statedName('this is terrible')).toBeUndefined();
    expect(firstName('I want to talk to a human agent please')).toBeUndefined();
  });

  it('takes names in any script, composed, and given names that are words too', () => {
    for (const n of ['अनन्या शर्मा', 'สมศักดิ์', 'שָׁלוֹם', '王小明', 'Nguyễn Văn An', 'Will Smith', 'Bill'])
      expect(looksLikeName(n)).toBe(true);
    expect(firstName('Jose\u0301 García')).toBe('José');
    expect(statedName('my name is अनन्या शर्मा and my bill is wrong')).toBe('अनन्या शर्मा');
    for (const n of ['bill', 'will do', 'na', 'la factura', 'an outage', 'good morning'])
      expect(looksLikeName(n)).toBe(false);
  });
});

describe('closed hours', () => {
  it('says when the team is back in its own time zone', () => {
    const saturday = new Date('2026-12-05T15:00:00Z');
    expect(whenText(new Date('2026-12-07T13:00:00Z'), saturday, 'America/New_York')).toBe(
      'Monday at 8:00 AM EST',
    );
    expect(whenText(new Date('2026-12-05T20:00:00Z'), saturday, 'America/New_York')).toBe(
      'today at 3:00 PM EST',
    );
    // Calendar days in the team's zone: the night the clocks go forward is 23 hours long.
    const nightBeforeSummerTime = new Date('2026-03-08T04:30:00Z');
    expect(whenText(new Date('2026-03-09T12:00:00Z'), nightBeforeSummerTime, 'America/New_York')).toBe(
      'Monday at 8:00 AM EDT',
    );
    expect(whenText(new Date('2026-03-08T13:00:00Z'), nightBeforeSummerTime, 'America/New_York')).toBe(
      'tomorrow at 9:00 AM EDT',
    );
  });

  it('offers a message, an e-mail or the assistant instead of promising an agent, and never a rating', () => {
    const checking: DialogState = {
      ...initialDialogState(),
      phase: 'routing',
      handover: 'requested',
      answers: { email: 'd@example.com' },
    };
    const closed = decide(
      checking,
      {
        kind: 'route',
        route: {
          queueName: 'Billing',
          open: false,
          opensAt: '2026-12-07T13:00:00Z',
          timeZone: 'America/New_York',
          estimatedWaitSeconds: null,
        },
        at: '2026-12-05T15:00:00Z',
      },
      text,
    );
    expect(closed.actions.some((a) => a.type === 'escalate')).toBe(false);
    expect(says(closed.actions).join(' ')).toMatch(
      /not available right now; they're back Monday at 8:00 AM EST/,
    );
    const left = decide(closed.state, msg('E-mail me'), text);
    expect(left.actions).toContainEqual({ type: 'leaveMessage', by: 'email', email: 'd@example.com' });
    expect(decide(left.state, { kind: 'conversationEnded' }, text).actions).toEqual([
      { type: 'say', text: 'This conversation has ended. Write again any time.' },
    ]);
  });

  it('tells a customer of a full queue it cannot connect them, before promising anyone', () => {
    const checking: DialogState = { ...initialDialogState(), phase: 'routing', handover: 'requested' };
    const full = decide(
      checking,
      {
        kind: 'route',
        route: {
          queueName: 'Billing',
          open: true,
          estimatedWaitSeconds: null,
          ending: { rule: 'size', message: 'All of our billing specialists are busy right now.' },
        },
        at: '2026-12-02T15:00:00Z',
      },
      text,
    );
    expect(full.state.phase).toBe('closed-options');
    expect(full.actions.some((a) => a.type === 'escalate')).toBe(false);
    // The queue's own message says why; the bot claims no more than that it cannot connect them.
    expect(says(full.actions)[0]).toBe(
      "I'm sorry — I can't connect you to a person in our Billing team right now. All of our billing specialists are busy right now.",
    );
    const message = decide(full.state, msg('Leave a message'), text);
    expect(message.state.phase).toBe('message');
    const left = decide(message.state, msg('My bill shows a charge I do not recognise'), text);
    expect(left.actions[0]).toEqual({ type: 'leaveMessage', by: 'chat', email: undefined });
    expect(says(left.actions)[0]).toContain('someone will pick it up as soon as they are free');
  });
});
