import { describe, expect, it } from 'vitest';
import { classify } from './classification.js';
import { aConversation, aWorkstream } from '../../test/routing/factories.js';

const stream = aWorkstream({
  fallbackQueueId: 'q_general',
  rules: [
    // Deliberately listed out of order: `order` decides, not position.
    {
      id: 'r_vip',
      name: 'VIP',
      order: 1,
      conditions: [{ field: 'context.tier', op: 'eq', value: 'gold' }],
      queueId: 'q_vip',
      skills: [],
    },
    {
      id: 'r_billing',
      name: 'Billing in French',
      order: 2,
      conditions: [
        { field: 'prechat.topic', op: 'eq', value: 'Billing' },
        { field: 'visitor.language', op: 'in', value: ['fr', 'fr-FR'] },
      ],
      queueId: 'q_billing',
      skills: ['billing', 'french'],
    },
    {
      id: 'r_teams',
      name: 'Teams',
      order: 0,
      conditions: [{ field: 'channel', op: 'eq', value: 'msteams' }],
      queueId: 'q_internal',
      skills: [],
    },
    {
      id: 'r_outage',
      name: 'Outage',
      order: 3,
      conditions: [{ field: 'prechat.issue', op: 'contains', value: 'outage' }],
      queueId: 'q_tech',
      skills: ['network'],
    },
    {
      id: 'r_auth',
      name: 'Signed in',
      order: 4,
      conditions: [{ field: 'context.accountId', op: 'exists' }],
      queueId: 'q_accounts',
      skills: [],
    },
  ],
});

const ctx = (over: {
  preChat?: Record<string, string>;
  custom?: Record<string, string | number | boolean>;
  language?: string;
}) => ({
  preChat: over.preChat ?? {},
  portalNavigation: [],
  visitor: { authenticated: false, language: over.language },
  custom: over.custom ?? {},
});

describe('classification', () => {
  it('sends a French billing question to the billing queue with billing and french skills', () => {
    const c = aConversation({
      id: 'c1',
      context: ctx({ preChat: { topic: 'billing ' }, language: 'fr-FR' }),
    });
    expect(classify(c, stream)).toEqual({
      queueId: 'q_billing',
      skills: ['billing', 'french'],
      ruleId: 'r_billing',
    });
  });

  it('needs every condition of a rule: billing in English falls through to the fallback queue', () => {
    const c = aConversation({ id: 'c2', context: ctx({ preChat: { topic: 'Billing' }, language: 'en' }) });
    expect(classify(c, stream)).toEqual({ queueId: 'q_general', skills: [] });
  });

  it('runs rules by their order: a gold customer asking about billing in French goes to VIP (order 1 before 2)', () => {
    const c = aConversation({
      id: 'c3',
      context: ctx({ preChat: { topic: 'Billing' }, language: 'fr', custom: { tier: 'gold' } }),
    });
    expect(classify(c, stream).queueId).toBe('q_vip');
  });

  it('routes on the channel: Teams chats go to the internal queue before anything else', () => {
    const c = aConversation({ id: 'c4', channel: 'msteams', context: ctx({ custom: { tier: 'gold' } }) });
    expect(classify(c, stream).ruleId).toBe('r_teams');
  });

  it('matches text contained in a pre-chat answer, case-insensitively', () => {
    const c = aConversation({ id: 'c5', context: ctx({ preChat: { issue: 'Total OUTAGE since 8am' } }) });
    expect(classify(c, stream)).toMatchObject({ queueId: 'q_tech', skills: ['network'] });
  });

  it('tests that a context variable exists', () => {
    const c = aConversation({ id: 'c6', context: ctx({ custom: { accountId: 'ACC-1' } }) });
    expect(classify(c, stream).queueId).toBe('q_accounts');
  });

  it('never reads inherited properties: a rule on prechat.constructor does not match', () => {
    const s = aWorkstream({
      rules: [
        {
          id: 'r',
          name: 'r',
          order: 0,
          conditions: [{ field: 'prechat.constructor', op: 'exists' }],
          queueId: 'q_x',
          skills: [],
        },
      ],
    });
    expect(classify(aConversation({ id: 'c7' }), s).queueId).toBe('q_general');
  });

  it('treats neq as true when the field is absent', () => {
    const s = aWorkstream({
      rules: [
        {
          id: 'r',
          name: 'r',
          order: 0,
          conditions: [{ field: 'prechat.topic', op: 'neq', value: 'sales' }],
          queueId: 'q_x',
          skills: [],
        },
      ],
    });
    expect(classify(aConversation({ id: 'c8' }), s).queueId).toBe('q_x');
    expect(
      classify(aConversation({ id: 'c9', context: ctx({ preChat: { topic: 'Sales' } }) }), s).queueId,
    ).toBe('q_general');
  });
});
