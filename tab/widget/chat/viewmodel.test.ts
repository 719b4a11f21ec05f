import { describe, expect, it } from 'vitest';
import type { Activity } from './activity.js';
import { buildViewModel, PENDING_PREFIX, queueText } from './viewmodel.js';

const ME = 'dl_visitor123';
let n = 0;
const bot = (a: Partial<Activity>): Activity => ({
  type: 'message',
  id: `a${++n}`,
  from: { id: 'bot', name: 'Northwind Assistant' },
  ...a,
});
const me = (a: Partial<Activity>): Activity => ({ type: 'message', id: `a${++n}`, from: { id: ME }, ...a });
const event = (name: string, value?: unknown): Activity => bot({ type: 'event', name, value });
const vm = (activities: Activity[]) => buildViewModel(activities, ME, 'Support');

describe('activities → chat view', () => {
  it('puts the customer on the right and names other senders once per run', () => {
    const view = vm([
      bot({ text: 'Hi!' }),
      bot({ text: 'How can I help?' }),
      me({ text: 'Slow Wi-Fi' }),
      bot({ text: 'Let me check.', from: { id: 'bot' } }),
    ]);
    expect(view.items.map((i) => i.kind === 'message' && [i.role, i.sender, i.showSender, i.text])).toEqual([
      ['bot', 'Northwind Assistant', true, 'Hi!'],
      ['bot', 'Northwind Assistant', false, 'How can I help?'],
      ['customer', 'You', false, 'Slow Wi-Fi'],
      ['bot', 'Support', true, 'Let me check.'],
    ]);
  });

  it('offers suggested actions only while the bot has the last word', () => {
    const ask = bot({
      text: 'Pick one',
      suggestedActions: { actions: [{ type: 'imBack', title: 'Billing', value: 'Billing' }] },
    });
    expect(vm([ask]).suggestedActions).toEqual([{ type: 'imBack', title: 'Billing', value: 'Billing' }]);
    expect(vm([ask, me({ text: 'Billing' })]).suggestedActions).toEqual([]);
  });

  it('draws hero cards and names attachments it cannot draw', () => {
    const view = vm([
      bot({
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.hero',
            content: {
              title: 'Router lights',
              text: 'Amber means…',
              buttons: [{ type: 'openUrl', title: 'Read', value: 'https://kb.test/1' }],
            },
          },
          { contentType: 'application/pdf', name: 'invoice.pdf' },
        ],
      }),
    ]);
    expect(view.items[0]).toMatchObject({
      kind: 'message',
      cards: [
        {
          title: 'Router lights',
          subtitle: '',
          text: 'Amber means…',
          buttons: [{ type: 'openUrl', title: 'Read' }],
        },
      ],
      files: [{ name: 'invoice.pdf', contentType: 'application/pdf', image: false }],
    });
  });

  it('carries what the view needs to draw sent and received files', () => {
    const url = 'https://cc.test/v3/directline/conversations/c1/attachments/att1';
    const view = vm([
      me({
        text: 'My router right now',
        attachments: [{ contentType: 'image/png', name: 'router.png', contentUrl: url }],
      }),
      // A file alone is a message too; one without a name is known by its type.
      bot({ attachments: [{ contentType: 'application/pdf', contentUrl: `${url}2` }] }),
    ]);
    expect(view.items).toMatchObject([
      {
        kind: 'message',
        role: 'customer',
        text: 'My router right now',
        files: [{ name: 'router.png', contentType: 'image/png', contentUrl: url, image: true }],
      },
      {
        kind: 'message',
        role: 'bot',
        text: '',
        files: [
          { name: 'application/pdf', contentType: 'application/pdf', contentUrl: `${url}2`, image: false },
        ],
      },
    ]);
  });

  it('shows an upload on its way as pending, without a link yet', () => {
    const view = vm([
      me({ id: `${PENDING_PREFIX}x1`, attachments: [{ contentType: 'application/pdf', name: 'bill.pdf' }] }),
    ]);
    expect(view.items).toEqual([
      expect.objectContaining({
        kind: 'message',
        pending: true,
        files: [{ name: 'bill.pdf', contentType: 'application/pdf', image: false }],
      }),
    ]);
  });

  it('follows the queue and the agent through join, leave and end', () => {
    const queued = vm([event('queuePosition', { position: 2, estimatedWaitSeconds: 150 })]);
    expect(queued.queue).toEqual({ position: 2, estimatedWaitSeconds: 150 });
    expect(queueText(queued.queue!)).toBe("You're number 2 in line. Estimated wait: about 3 minutes.");
    const nobodyFree = vm([event('queuePosition', { position: 4, estimatedWaitSeconds: null })]);
    expect(queueText(nobodyFree.queue!)).toBe(
      "You're number 4 in line. No one on the team is free to take a chat right now: you keep your place, and the first person free will answer.",
    );

    const joined = vm([event('queuePosition', { position: 1 }), event('agentJoined', { name: 'Alex' })]);
    expect(joined.queue).toBeNull();
    expect(joined.agentName).toBe('Alex');
    expect(joined.items).toMatchObject([{ kind: 'notice', text: 'Alex joined the conversation' }]);

    const ended = vm([
      event('agentJoined', { name: 'Alex' }),
      event('agentLeft'),
      event('conversationEnded'),
    ]);
    expect(ended.items.map((i) => i.kind === 'notice' && i.text)).toEqual([
      'Alex joined the conversation',
      'Alex is transferring you to another agent. Please stay in this chat: they will be with you shortly.',
      'The conversation has ended',
    ]);
    expect(ended).toMatchObject({ agentName: null, transferring: false, ended: true });
  });

  it('keeps a transferred customer waiting, in the words the bot sent, until the next agent joins', () => {
    const left = bot({
      type: 'event',
      name: 'agentLeft',
      value: { name: 'Alex', transfer: true },
      text: 'Alex is transferring you to our Billing team. Please stay in this chat.',
    });
    const transferred = vm([event('agentJoined', { name: 'Alex' }), left]);
    expect(transferred).toMatchObject({ agentName: null, transferring: true, ended: false, queue: null });
    expect(transferred.items.at(-1)).toMatchObject({
      kind: 'notice',
      text: 'Alex is transferring you to our Billing team. Please stay in this chat.',
    });
    const queued = vm([
      event('agentJoined', { name: 'Alex' }),
      left,
      event('queuePosition', { position: 3 }),
    ]);
    expect(queued).toMatchObject({ transferring: true, queue: { position: 3 } });
    const next = vm([event('agentJoined', { name: 'Alex' }), left, event('agentJoined', { name: 'Sam' })]);
    expect(next).toMatchObject({ agentName: 'Sam', transferring: false, servedBy: 'Sam' });
  });

  it('takes the chat up again when the agent reopens it, without the unanswered survey', () => {
    const reopened = vm([
      event('agentJoined', { name: 'Alex' }),
      event('conversationEnded'),
      event('postChatSurvey'),
      bot({
        type: 'event',
        name: 'conversationReopened',
        value: { name: 'Alex' },
        text: 'Alex reopened the chat. You can reply here.',
      }),
      bot({ text: 'One more thing', from: { id: 'bot', name: 'Alex' } }),
    ]);
    expect(reopened).toMatchObject({ ended: false, agentName: 'Alex', servedBy: 'Alex' });
    expect(
      reopened.items.map((i) => (i.kind === 'notice' || i.kind === 'message' ? i.text : i.kind)),
    ).toEqual([
      'Alex joined the conversation',
      'The conversation has ended',
      'Alex reopened the chat. You can reply here.',
      'One more thing',
    ]);
  });

  it('shows the pre-chat form until the customer answers it, and again as answered after a reload', () => {
    const survey = event('preChatSurvey', {
      questions: [
        { id: 'name', prompt: 'Your name', kind: 'text', required: true },
        { id: 'topic', prompt: 'Topic', kind: 'choice', choices: ['Billing', 'Internet'] },
        { id: 'broken', prompt: 'No choices', kind: 'choice' },
        { prompt: 'No id', kind: 'text' },
      ],
    });
    const open = vm([survey]);
    expect(open.items).toEqual([
      {
        kind: 'preChat',
        key: survey.id,
        submitted: false,
        questions: [
          { id: 'name', prompt: 'Your name', kind: 'text', required: true },
          { id: 'topic', prompt: 'Topic', kind: 'choice', choices: ['Billing', 'Internet'], required: false },
        ],
      },
    ]);
    const answered = vm([survey, me({ text: 'Your name: Jo', value: { preChat: { name: 'Jo' } } })]);
    expect(answered.items[0]).toMatchObject({ kind: 'preChat', submitted: true });
  });

  it('marks the satisfaction survey done once rated', () => {
    const ask = event('postChatSurvey');
    expect(vm([ask]).items).toMatchObject([{ kind: 'csat', submitted: false }]);
    expect(
      vm([ask, me({ text: 'Rated 5 out of 5', value: { csat: { rating: 5, comment: '' } } })]).items[0],
    ).toMatchObject({
      kind: 'csat',
      submitted: true,
    });
  });

  it('flags messages still on their way and hides empty or unknown activities', () => {
    const view = vm([
      me({ id: `${PENDING_PREFIX}x1`, text: 'Hello?' }),
      bot({ text: '   ' }),
      bot({ type: 'conversationUpdate' }),
      event('somethingNew', { x: 1 }),
      me({ type: 'event', name: 'visitorContext', value: {} }),
    ]);
    expect(view.items).toMatchObject([{ kind: 'message', text: 'Hello?', pending: true }]);
  });
});
