import { z } from 'zod';
import { MAX_MESSAGE_CHARS } from '../../services/domain/index.js';

/** Longest message text a customer may send: the limit of every path, in code points. */
export const MAX_TEXT_CHARS = MAX_MESSAGE_CHARS;
/**
 * Largest activity a client may post, as JSON: a chat message with its card values and the widget's
 * visitor context (50 navigation entries) fit; a document does not.
 */
export const MAX_ACTIVITY_BYTES = 32 * 1024;

/**
 * Where a client puts its own id for an activity: Web Chat's `clientActivityID`, the widget's
 * `clientActivityId`. A send repeated with the same id is stored once (activity-log.ts).
 */
const CLIENT_ID_KEYS = ['clientActivityId', 'clientActivityID'] as const;
const MAX_CLIENT_ID_CHARS = 128;

/** Any channel data passes through; only a client id in it must be one. */
const channelData = z.unknown().superRefine((data, ctx) => {
  if (data === null || typeof data !== 'object') return;
  for (const key of CLIENT_ID_KEYS) {
    const id = (data as Record<string, unknown>)[key];
    if (id !== undefined && (typeof id !== 'string' || id.length === 0 || id.length > MAX_CLIENT_ID_CHARS))
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `must be a string of 1 to ${MAX_CLIENT_ID_CHARS} characters`,
      });
  }
});

/** The client's own id for the activity, if it gave one (checked by `clientActivity`). */
export function clientIdOf(activity: { channelData?: unknown }): string | undefined {
  const data = activity.channelData;
  if (data === null || typeof data !== 'object') return undefined;
  for (const key of CLIENT_ID_KEYS) {
    const id = (data as Record<string, unknown>)[key];
    if (typeof id === 'string') return id;
  }
  return undefined;
}

const account = z
  .object({ id: z.string().max(256).optional(), name: z.string().max(256).optional() })
  .passthrough();

/**
 * An activity as a Direct Line client posts it. Only what a customer may send: messages, events
 * (visitor context, navigation), typing, and the end of the conversation. Unknown fields pass through
 * to the bot untouched, as the real channel does.
 */
export const clientActivity = z
  .object({
    type: z.enum(['message', 'event', 'typing', 'endOfConversation']),
    text: z.string().optional(),
    name: z.string().max(256).optional(),
    value: z.unknown().optional(),
    from: account.optional(),
    locale: z.string().max(32).optional(),
    textFormat: z.string().max(32).optional(),
    attachments: z
      .array(
        z
          .object({
            contentType: z.string().max(256),
            contentUrl: z.string().max(2048).optional(),
            name: z.string().max(256).optional(),
          })
          .passthrough(),
      )
      .max(10)
      .optional(),
    channelData: channelData.optional(),
    entities: z.array(z.unknown()).max(20).optional(),
  })
  .passthrough();

export type ClientActivity = z.infer<typeof clientActivity>;

/** An activity the bot posts through the Bot Connector routes. */
export const botActivity = z
  .object({
    type: z.string().min(1).max(64),
    text: z.string().max(100_000).optional(),
  })
  .passthrough();

export const startBody = z
  .object({ user: account.optional(), locale: z.string().max(32).optional() })
  .passthrough()
  .optional();

export const widgetTokenBody = z
  .object({ visitor: z.string().max(256).optional(), authToken: z.string().min(1).max(8192).optional() })
  .passthrough()
  .optional();
