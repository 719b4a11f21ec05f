import * as AC from 'adaptivecards';
import { describe, expect, it } from 'vitest';
import {
  alertCard,
  consultCard,
  offerCard,
  queuesCard,
  type AdaptiveCard,
  type OfferCardState,
} from './index.js';

// Every card the Teams bot sends goes through the Adaptive Cards parser at version 1.5 (what Teams
// renders): no parse warnings, no validation failures, and nothing the parser would drop.

function check(json: AdaptiveCard) {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  parsed.parse(json, context);
  const warnings = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  const failures = parsed.validateProperties().validationEvents.map((e) => e.message);
  return { warnings, failures, roundTrip: parsed.toJSON() };
}

function expectValid(json: AdaptiveCard) {
  const { warnings, failures, roundTrip } = check(json);
  expect(warnings).toEqual([]);
  expect(failures).toEqual([]);
  // What the parser understood is everything we wrote: an unknown property or element would be missing.
  expect(normalized(roundTrip)).toEqual(normalized(json));
}

/** The parser writes enum values capitalised ("Bolder"); the schema accepts either case. */
const ENUM_KEYS = new Set(['size', 'weight', 'color', 'spacing', 'style']);
function normalized(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v: unknown) =>
    ENUM_KEYS.has(key) && typeof v === 'string' ? v.toLowerCase() : v,
  );
}

const offer = (state: OfferCardState) =>
  offerCard({
    offerKey: 'conv_1:agent_alex:1',
    conversationId: 'conv_1',
    customerName: 'Dana [Whitfield](http://evil.example)',
    channel: 'webchat',
    queueName: 'Technical support',
    waitingSeconds: 95,
    firstMessage: 'My *fiber* is down',
    reason: 'Most free capacity in Technical support (70 of 100 units)',
    expiresAt: new Date('2026-12-02T06:01:30Z'),
    state,
    refreshUserIds: ['29:alex'],
    workspaceUrl: 'https://cc.example/tab/?view=agent&conversation=conv_1',
  });

describe('Adaptive Cards for Teams', () => {
  it('the parser catches what Teams would not render (the check can fail)', () => {
    const bad = { ...offer({ kind: 'open' }), body: [{ type: 'Carousel' }] } as unknown as AdaptiveCard;
    expect(check(bad).warnings.join()).toContain('Unknown element type "Carousel"');
  });

  it.each<OfferCardState>([
    { kind: 'open' },
    { kind: 'accepted' },
    { kind: 'taken', by: 'Chen Wei' },
    { kind: 'rejected' },
    { kind: 'expired' },
    { kind: 'withdrawn', why: 'the customer left' },
  ])('offer card ($kind) is valid', (state) => {
    expectValid(offer(state));
  });

  it('offer card: Accept and Reject are Universal Actions while open, with a refresh for the agent', () => {
    const open = offer({ kind: 'open' });
    expect(open.actions).toEqual([
      expect.objectContaining({
        type: 'Action.Execute',
        verb: 'offer.accept',
        data: { offerKey: 'conv_1:agent_alex:1', conversationId: 'conv_1' },
      }),
      expect.objectContaining({ type: 'Action.Execute', verb: 'offer.reject' }),
    ]);
    expect(open.refresh).toMatchObject({ action: { verb: 'offer.refresh' }, userIds: ['29:alex'] });
    expect(offer({ kind: 'taken', by: 'Chen Wei' }).actions).toBeUndefined();
    expect(JSON.stringify(offer({ kind: 'taken', by: 'Chen Wei' }))).toContain('Taken by Chen Wei');
  });

  it("offer card: a customer's text cannot become a link or bold", () => {
    const json = JSON.stringify(offer({ kind: 'open' }));
    expect(json).toContain('Dana \\\\[Whitfield\\\\](http://evil.example)');
    expect(json).toContain('My \\\\*fiber\\\\* is down');
  });

  it('queues card is valid, with opt in / opt out per queue', () => {
    const c = queuesCard(
      [
        { id: 'q1', name: 'Technical support', optedIn: true, waiting: 2 },
        { id: 'q2', name: 'Sales & moving', optedIn: false },
      ],
      { notice: 'You opted out of Sales & moving.', refreshUserIds: ['29:alex'] },
    );
    expectValid(c);
    expectValid(queuesCard([]));
    const verbs = JSON.stringify(c).match(/queues\.opt(In|Out)/g);
    expect(verbs).toEqual(['queues.optOut', 'queues.optIn']);
  });

  it('consult card is valid, open and ended', () => {
    for (const ended of [false, true]) {
      expectValid(
        consultCard({
          conversationId: 'conv_1',
          requestedBy: 'Alex Rivera',
          customerName: 'Dana',
          channel: 'msteams',
          queueName: 'Billing',
          sentiment: 'negative',
          recentTranscript: [
            { from: 'Dana', text: 'I was charged twice', internal: false },
            { from: 'Alex Rivera', text: 'Can I refund both?', internal: true },
          ],
          workspaceUrl: 'https://cc.example/tab/',
          ended,
        }),
      );
    }
  });

  it('alert card is valid', () => {
    expectValid(
      alertCard({
        conversationId: 'conv_1',
        level: 'very negative',
        customerName: 'Dana',
        channel: 'webchat',
        queueName: 'Billing',
        agentName: 'Bianca Okafor',
        lastCustomerMessage: 'This is the worst service ever',
        workspaceUrl: 'https://cc.example/tab/',
      }),
    );
  });
});
