import { describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import { channelConnector, type OwnChannel } from '../../bot/channel-connector.js';
import { ChannelError } from '../../bot/http.js';

// The bot's replies to this server's own channel are serialized and handed over in-process. The
// channel must get exactly what botbuilder's connector would have put on the wire, and the bot the
// errors an HTTP reply would have raised. Passing an options object makes an operation take the
// pipeline (it is how a caller asks for per-request settings), which is what each case compares to.

const SERVICE_URL = 'http://127.0.0.1:3978/v3/directline';
const copy = (activity: Record<string, unknown>) => structuredClone(activity) as unknown as Activity;

function recordingChannel(refuse?: ChannelError): OwnChannel & { bodies: unknown[]; ids: string[] } {
  const bodies: unknown[] = [];
  const ids: string[] = [];
  return {
    bodies,
    ids,
    serviceUrl: () => SERVICE_URL,
    async postFromBot(conversationId, body) {
      if (refuse) throw refuse;
      bodies.push(body);
      ids.push(conversationId);
      return { id: `${conversationId}|${String(bodies.length).padStart(7, '0')}` };
    },
  };
}

// What the customer bot sends, and what botbuilder's serializer reshapes: dates, values off the
// schema (dropped at the top and inside accounts), cards, entities, channel data, nulls.
const activities: Array<[string, Record<string, unknown>]> = [
  [
    'a reply with suggested actions',
    {
      type: 'message',
      text: 'Do you want to talk to an agent?',
      from: { id: 'bot', name: 'Switchboard', role: 'bot' },
      recipient: { id: 'dl_ann', name: 'Ann', role: 'user' },
      conversation: { id: 'c1' },
      replyToId: 'c1|0000003',
      inputHint: 'expectingInput',
      suggestedActions: {
        to: ['dl_ann'],
        actions: [
          { type: 'imBack', title: 'Yes', value: 'Yes' },
          { type: 'imBack', title: 'No', value: 'No' },
        ],
      },
    },
  ],
  [
    'an adaptive card with entities and channel data',
    {
      type: 'message',
      timestamp: new Date('2026-12-03T10:00:00Z'),
      localTimestamp: '2026-12-03T12:00:00+02:00',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Hi' }] },
        },
      ],
      entities: [{ type: 'https://schema.org/Message', '@context': 'https://schema.org', keywords: ['x'] }],
      channelData: { switchboard: { survey: true }, 'dotted.name': 1 },
      speak: null,
    },
  ],
  [
    'values off the schema',
    {
      type: 'message',
      text: 'x',
      notInTheSchema: 1,
      from: { id: 'bot', name: 'Switchboard', role: 'bot', tenantId: 't1' },
      value: { kept: [1, 2, { deep: true }] },
    },
  ],
  ['the end of a conversation', { type: 'endOfConversation', code: 'completedSuccessfully' }],
];

describe('the connector for the own channel', () => {
  it.each(activities)('hands over %s exactly as the pipeline serializes it', async (_name, activity) => {
    const direct = recordingChannel();
    const viaDirect = channelConnector(direct, SERVICE_URL).conversations;
    const piped = recordingChannel();
    const viaPipeline = channelConnector(piped, SERVICE_URL).conversations;

    const replied = await viaDirect.replyToActivity('c1', 'c1|0000003', copy(activity));
    const sent = await viaDirect.sendToConversation('c/2', copy(activity));
    await viaPipeline.replyToActivity('c1', 'c1|0000003', copy(activity), {});
    await viaPipeline.sendToConversation('c/2', copy(activity), {});

    expect(piped.bodies).toHaveLength(2);
    expect(direct.bodies).toEqual(piped.bodies);
    expect(direct.ids).toEqual(['c1', 'c/2']);
    expect(piped.ids).toEqual(['c1', 'c/2']);
    expect(replied.id).toBe('c1|0000001');
    expect(sent.id).toBe('c/2|0000002');
  });

  it('drops what the schema does not name and writes dates as UTC', async () => {
    const channel = recordingChannel();
    const [, activity] = activities[1]!;
    await channelConnector(channel, SERVICE_URL).conversations.sendToConversation('c1', {
      ...activities[2]![1],
      localTimestamp: activity.localTimestamp,
    } as unknown as Activity);
    expect(channel.bodies[0]).toEqual({
      type: 'message',
      text: 'x',
      localTimestamp: '2026-12-03T10:00:00.000Z',
      from: { id: 'bot', name: 'Switchboard', role: 'bot' },
      value: { kept: [1, 2, { deep: true }] },
    });
  });

  it("gives the bot the channel's refusal as the HTTP status and code", async () => {
    const refusal = new ChannelError(403, 'conversation.ended', 'The conversation has ended');
    const conversations = channelConnector(recordingChannel(refusal), SERVICE_URL).conversations;
    for (const call of [
      () => conversations.replyToActivity('c1', 'c1|1', { type: 'message', text: 'x' } as Activity),
      () => conversations.sendToConversation('c1', { type: 'message', text: 'x' } as Activity),
    ]) {
      await expect(call()).rejects.toMatchObject({
        name: 'RestError',
        statusCode: 403,
        code: 'conversation.ended',
        message: 'The conversation has ended',
      });
    }
  });

  it('refuses what the serializer refuses, as the pipeline does, and sends nothing', async () => {
    const channel = recordingChannel();
    const conversations = channelConnector(channel, SERVICE_URL).conversations;
    const bad = { type: 5, text: 'x' } as unknown as Activity;
    const direct = await conversations.sendToConversation('c1', bad).catch((err: Error) => err);
    const piped = await conversations.sendToConversation('c1', bad, {}).catch((err: Error) => err);
    expect(direct).toBeInstanceOf(Error);
    expect((direct as Error).message).toBe((piped as Error).message);
    expect((direct as Error).message).toMatch(/activity\.type/);
    expect(channel.bodies).toEqual([]);
  });

  it('answers 404 for the operations the local channel does not offer', async () => {
    const conversations = channelConnector(recordingChannel(), SERVICE_URL).conversations;
    await expect(conversations.getConversationMembers('c1')).rejects.toMatchObject({ statusCode: 404 });
  });
});
