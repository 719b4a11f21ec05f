import { z } from 'zod';

/** Longest message text a customer may send. */
export const MAX_TEXT_CHARS = 4000;
/**
 * Largest activity a client may post, as JSON: a chat message with its card values and the widget's
 * visitor context (50 navigation entries) fit; a document does not.
 */
export const MAX_ACTIVITY_BYTES = 32 * 1024;

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
    channelData: z.unknown().optional(),
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
  .object({ visitor: z.string().max(256).optional() })
  .passthrough()
  .optional();
