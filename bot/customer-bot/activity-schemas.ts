import { z } from 'zod';
import { safeKey } from '../../services/domain/index.js';

// The shapes the chat widget sends (agreed protocol, see the widget's bridge). Validated here, at the
// edge; past this the bot trusts them. Limits keep one visitor from bloating the conversation.

const shortText = z.string().max(500);
/**
 * Keys end up as document field names, so they obey the domain's rule (`safeKey`); the widget
 * protocol narrows them further to short identifiers.
 */
const key = safeKey.regex(/^[A-Za-z][\w-]{0,63}$/, 'must be letters, digits, _ or -');

/**
 * A submitted pre-chat form. Only its shape is checked here: each answer's content (length, e-mail,
 * choice) is the dialog's to judge, so a bad answer gets "Please check your answers" and the form
 * again rather than a form that fails to parse and goes unanswered. An answer that is not text
 * (null, an object) counts as empty; a key the protocol does not allow is no survey question's.
 */
export const preChatValue = z
  .object({ preChat: z.unknown() })
  .refine((v) => v.preChat !== undefined)
  .transform((v) => ({ preChat: answersOf(v.preChat) }));

function answersOf(raw: unknown): Record<string, string> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const answers: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!key.safeParse(k).success) continue;
    answers[k] = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  }
  return answers;
}

export const csatValue = z.object({
  csat: z.object({
    rating: z.coerce.number().int().min(1).max(5),
    comment: z.string().max(1000).optional(),
  }),
});

/** The local Direct Line channel's word that a customer left because their connection dropped. */
export const awayChannelData = z.object({
  away: z.object({ seconds: z.number().int().positive().max(86_400) }),
});

/**
 * The local Direct Line channel's word, as a chat starts, that the site signed this customer in
 * (bot/directline/signed-in.ts). Taken only from that channel: see `CustomerBot`.
 */
export const verifiedChannelData = z.object({
  verifiedCustomer: z.object({
    id: z.string().min(1).max(256),
    name: z.string().max(200).optional(),
    email: z.string().max(320).optional(),
  }),
});

/**
 * Who a Teams customer is, as Teams says on every activity: their Entra object id and display name,
 * and the tenant they belong to. Believed only when the Bot Connector vouched (see `CustomerBot`).
 */
export const teamsUser = z.object({
  from: z.object({
    aadObjectId: z.string().min(1).max(64),
    name: z
      .string()
      .optional()
      .transform((n) => n?.trim().slice(0, 200) || undefined),
  }),
  channelData: z
    .object({ tenant: z.object({ id: z.string().min(1).max(64) }).optional() })
    .passthrough()
    .optional(),
});

/** A Teams user's e-mail as the Bot Connector gives it (a conversation member's `email`). */
export const teamsEmail = z.string().trim().email().max(320);

/**
 * The local Direct Line channel's word that the customer's connection dropped (when) or is back: the
 * agents on the chat see it while it lasts.
 */
export const connectionChannelData = z.object({
  connection: z.discriminatedUnion('state', [
    z.object({ state: z.literal('disconnected'), since: z.iso.datetime().transform((t) => new Date(t)) }),
    z.object({ state: z.literal('reconnected') }),
  ]),
});

const navigationEntry = z.object({
  kind: z.enum(['page', 'search', 'article']).catch('page'),
  title: shortText,
  // Only the path: query strings and fragments carry tokens, whatever the page sent.
  url: z.string().max(2000).transform(withoutQuery).optional(),
  at: z.coerce.date().catch(() => new Date()),
});

/** `https://site/path?token=…#…` → `https://site/path`; anything that is not a URL is dropped. */
function withoutQuery(raw: string): string | undefined {
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? `${u.origin}${u.pathname}` : undefined;
  } catch {
    return undefined;
  }
}

export const portalNavigationValue = z.object({ entries: z.array(navigationEntry).max(50) });

const customValue = z.union([z.string().max(1000), z.number(), z.boolean()]);

export const visitorContextValue = z.object({
  visitor: z
    .object({
      browser: shortText.optional(),
      os: shortText.optional(),
      language: shortText.optional(),
      device: shortText.optional(),
      authenticated: z.boolean().optional(),
    })
    .optional(),
  portalNavigation: z.array(navigationEntry).max(50).optional(),
  custom: z
    .record(key, customValue)
    .refine((o) => Object.keys(o).length <= 50, 'at most 50 custom context values')
    .optional(),
  userName: z.string().max(200).optional(),
});

export type VisitorContextValue = z.infer<typeof visitorContextValue>;
