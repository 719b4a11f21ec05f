import fc from 'fast-check';
import { createSerializer, type Mapper } from '@azure/core-client';
import * as ConnectorMappers from 'botframework-connector/lib/connectorApi/models/mappers.js';
import { describe, expect, it } from 'vitest';
import { serializeActivity } from '../../bot/activity-serializer.js';

// The own channel's connector serializes each reply with serializeActivity instead of the Azure
// serializer botbuilder's ConnectorClient uses. Whatever a bot sends, the result (or the error) must
// be that serializer's, exactly — same values, same keys in the same order.

const azure = createSerializer(ConnectorMappers as unknown as Record<string, Mapper>);
const reference = (activity: unknown) =>
  azure.serialize(ConnectorMappers.Activity as Mapper, activity, 'activity');

function outcome(serialize: (activity: unknown) => unknown, activity: unknown) {
  try {
    const value = serialize(activity);
    return { value, json: JSON.stringify(value) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

const text = fc.string({ maxLength: 8 });
/** Values of every kind, for properties given something other than their schema's type. */
const anything = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  text,
  fc.date(),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(text, text, { maxKeys: 2 }),
);
/**
 * Activities whose values have their schema's types (`loose` false), or mostly so with anything at
 * all now and then: the first take the fast walk, the others mostly go to the Azure serializer.
 */
function activities(loose: boolean) {
  const typed = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
    loose ? fc.oneof({ weight: 12, arbitrary: arb }, { weight: 1, arbitrary: anything }) : arb;
  const dateLike = loose
    ? fc.oneof(
        fc.date(),
        fc.constantFrom('2026-12-03T12:00:00+02:00', '2026-12-03', 'not a date', ''),
        fc.integer(),
      )
    : fc.oneof(
        fc.date({ noInvalidDate: true }),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.constant('2026-12-03T12:00:00+02:00'),
      );
  const account = fc.record(
    {
      id: typed(text),
      name: typed(text),
      role: typed(fc.constantFrom('user', 'bot')),
      aadObjectId: typed(text),
      tenantId: text,
      extra: text,
    },
    { requiredKeys: [] },
  );
  const cardAction = fc.record(
    {
      type: typed(fc.constantFrom('imBack', 'postBack')),
      title: typed(text),
      value: fc.jsonValue(),
      extra: text,
    },
    { requiredKeys: [] },
  );
  const attachment = fc.record(
    {
      contentType: typed(text),
      contentUrl: typed(text),
      content: fc.jsonValue(),
      name: typed(text),
      extra: text,
    },
    { requiredKeys: [] },
  );
  return fc.record(
    {
      type: typed(fc.constantFrom('message', 'typing', 'event', 'endOfConversation')),
      id: typed(text),
      text: typed(text),
      speak: typed(fc.option(text)),
      locale: typed(text),
      inputHint: typed(text),
      replyToId: typed(text),
      serviceUrl: typed(text),
      channelId: typed(text),
      name: typed(text),
      code: typed(text),
      timestamp: dateLike,
      localTimestamp: dateLike,
      expiration: dateLike,
      historyDisclosed: typed(fc.boolean()),
      from: typed(account),
      recipient: typed(account),
      conversation: typed(
        fc.record({ id: typed(text), isGroup: typed(fc.boolean()), extra: text }, { requiredKeys: [] }),
      ),
      membersAdded: typed(fc.array(account, { maxLength: 2 })),
      suggestedActions: typed(
        fc.record(
          {
            to: typed(fc.array(text, { maxLength: 2 })),
            actions: typed(fc.array(cardAction, { maxLength: 3 })),
          },
          { requiredKeys: [] },
        ),
      ),
      attachments: typed(fc.array(attachment, { maxLength: 2 })),
      entities: typed(fc.array(fc.record({ type: typed(text), extra: text }), { maxLength: 2 })),
      channelData: fc.jsonValue(),
      value: fc.jsonValue(),
      notInTheSchema: text,
    },
    { requiredKeys: [] },
  );
}

describe('serializeActivity', () => {
  it('gives what the Azure serializer gives, or its error, for any activity', () => {
    fc.assert(
      fc.property(fc.oneof(activities(false), activities(true)), (a) => {
        const mine = outcome(serializeActivity, a);
        const theirs = outcome(reference, a);
        expect(mine.error).toBe(theirs.error);
        expect(mine.json).toBe(theirs.json);
        expect(mine.value).toStrictEqual(theirs.value);
      }),
      { numRuns: 4000, seed: 20261203 },
    );
  });

  it('serializes a reply the way botbuilder sends one', () => {
    const reply = {
      type: 'message',
      text: 'Hello! How can I help you today?',
      serviceUrl: 'http://127.0.0.1:3978/v3/directline',
      channelId: 'directline',
      from: { id: 'switchboard-bot', name: 'Virtual assistant', role: 'bot' },
      conversation: { id: 'dlconv_1' },
      recipient: { id: 'dl_ann', name: 'Ann', role: 'user' },
      inputHint: 'acceptingInput',
      replyToId: 'dlconv_1|0000015',
      timestamp: new Date('2026-12-03T10:00:00Z'),
      rawTimestamp: '2026-12-03T10:00:00Z',
    };
    expect(serializeActivity(reply)).toStrictEqual(reference(reply));
    expect(serializeActivity(reply)).toMatchObject({ timestamp: '2026-12-03T10:00:00.000Z' });
    expect(serializeActivity(reply)).not.toHaveProperty('rawTimestamp');
  });
});
