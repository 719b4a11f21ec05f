import { z } from 'zod';
import { offerReason, participantMode, visitorDetails } from '../../domain/schemas.js';
import { hasVisibleText, SENTIMENT_LEVELS, withoutControlCharacters } from '../../domain/index.js';

// Response and request shapes of the agent routes (docs/agent-api.md), shared by the route modules.

export const id = z.string().min(1).max(200);

/**
 * Text a person will read (a case title, a disposition): control characters removed as from
 * messages, trimmed, and refused, like spaces, when it holds only characters that show nothing
 * (services/domain/visible-text.ts).
 */
export const shownText = (max: number, empty: string) =>
  z
    .string()
    .transform(withoutControlCharacters)
    .pipe(z.string().trim().min(1, empty).max(max).refine(hasVisibleText, empty));
export const idParams = z.object({ id });

const presenceValue = z.string().min(1).max(60);
const threshold = z.enum(['off', 'slightly negative', 'negative', 'very negative']);
export const level = z.enum(SENTIMENT_LEVELS);
const status = z.enum(['bot', 'waiting', 'offered', 'active', 'wrap-up', 'closed', 'abandoned']);

export const meSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    roles: z.array(z.enum(['agent', 'supervisor', 'admin'])),
    presence: z.string(),
    presenceLabel: z.string(),
    chosenPresence: z.string(),
    capacity: z.object({ total: z.number(), used: z.number() }),
    sentimentThreshold: threshold,
    queues: z.array(z.object({ id: z.string(), name: z.string(), optedIn: z.boolean() })),
    authMode: z.enum(['teams', 'dev']),
    offersWhen: z
      .array(z.string())
      .describe(
        "The presences in which routing offers me customers (my queues' work streams allow them); in any other but offline I can still be consulted",
      ),
  })
  .meta({ id: 'Me' });

export const presenceBody = z.object({
  presence: presenceValue.meta({
    description: 'available | busy | do-not-disturb | away | offline | the id of a custom presence',
  }),
});
export const thresholdBody = z.object({ threshold });

export const workItemSchema = z
  .object({
    id: z.string(),
    status,
    customerId: z.string(),
    customerName: z.string(),
    channel: z.string(),
    queueId: z.string().nullable(),
    queueName: z.string().nullable(),
    agentId: z.string().nullable(),
    subject: z.string(),
    firstMessage: z.string(),
    waitingSeconds: z.number(),
    createdAt: z.date(),
    lastActivityAt: z.date(),
    sentiment: z.object({ level, score: z.number() }).optional(),
    disposition: z.string().optional(),
    customerAwaySince: z
      .date()
      .optional()
      .describe(
        "While the customer's chat window is disconnected (closed, or its network dropped): since when. " +
          'Absent once they are back or the chat has ended.',
      ),
    closedBy: z
      .enum(['customer', 'bot', 'agent', 'supervisor', 'system'])
      .optional()
      .describe('Who closed it, once closed: a chat a supervisor closed is not its agent’s to reopen'),
  })
  .meta({ id: 'WorkItem' });

export const sessionItemSchema = workItemSchema
  .extend({ mode: participantMode.describe('primary: mine; consult or monitor: joined') })
  .meta({ id: 'SessionItem' });

/** Why routing chose the agent: the routing rule's own shape (one definition), named for the spec. */
const offerReasonSchema = offerReason.meta({ id: 'OfferReason' });

export const offerSchema = z
  .object({
    offerId: z.string(),
    conversationId: z.string(),
    agentId: z.string(),
    expiresAt: z.date(),
    customerName: z.string(),
    channel: z.string(),
    queueId: z.string().nullable(),
    queueName: z.string().nullable(),
    waitingSeconds: z.number(),
    firstMessage: z.string(),
    reason: offerReasonSchema.nullable(),
    transferredFrom: z
      .string()
      .nullable()
      .describe('The agent who had the conversation before it was transferred; null when it was not'),
    customerAwaySince: z
      .date()
      .optional()
      .describe("While the waiting customer's chat window is disconnected: since when"),
    handoverNote: z
      .object({ text: z.string(), by: z.string() })
      .optional()
      .describe("A transfer's handover note and who wrote it; absent when none was written"),
    lastCustomerMessage: z
      .string()
      .optional()
      .describe("A transferred conversation's latest customer message (its first may be long past)"),
  })
  .meta({ id: 'Offer' });

export const messageSchema = z
  .object({
    id: z.string(),
    seq: z.number(),
    from: z.enum(['customer', 'bot', 'agent', 'supervisor', 'system']),
    authorName: z.string(),
    text: z.string(),
    visibility: z.enum(['public', 'internal']),
    at: z.date(),
    attachments: z
      .array(
        z.object({
          name: z.string(),
          contentType: z.string(),
          fileId: z
            .string()
            .optional()
            .describe('A file kept here: GET /conversations/{id}/files/{fileId} gives its bytes'),
          url: z.string().optional().describe('A link elsewhere (http or https), as the channel gave it'),
        }),
      )
      .optional()
      .describe('Files the customer sent with the message; absent when there are none'),
  })
  .meta({ id: 'Message' });

/** A file route's answer: sent as the file's bytes under its own type, not as JSON. */
export const fileSchema = z.object({
  name: z.string(),
  contentType: z.string(),
  bytes: z.instanceof(Buffer),
});

export const detailsSchema = workItemSchema
  .extend({
    requiredSkills: z.array(z.string()),
    workstreamId: z.string(),
    startedAt: z.date(),
    queuedAt: z.date().nullable(),
    acceptedAt: z.date().nullable(),
    participants: z.array(
      z.object({
        agentId: z.string(),
        name: z.string(),
        mode: z.enum(['primary', 'consult', 'monitor']),
        joinedAt: z.date(),
        leftAt: z.date().optional(),
      }),
    ),
    context: z.object({
      preChat: z.record(z.string(), z.string()),
      portalNavigation: z.array(
        z.object({
          kind: z.enum(['page', 'search', 'article']),
          title: z.string(),
          url: z.string().optional(),
          at: z.date(),
        }),
      ),
      visitor: visitorDetails,
      custom: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    }),
    caseId: z.string().optional(),
    sentimentHistory: z.array(z.object({ level: z.string(), score: z.number(), at: z.date() })),
    offerExpiresAt: z.date().optional(),
    endedBy: z
      .enum(['customer', 'bot', 'agent', 'supervisor', 'system'])
      .optional()
      .describe('Who ended the chat (moved it to wrap-up), once it is in wrap-up or closed'),
    can: z
      .object({
        writePublic: z.boolean(),
        writeInternal: z.boolean(),
        consult: z.boolean(),
        transfer: z.boolean(),
        supervise: z.boolean().describe('monitor, assign, force close'),
      })
      .describe('What the caller may do in the conversation now'),
  })
  .meta({ id: 'ConversationDetails' });

export const candidateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    roles: z.array(z.enum(['agent', 'supervisor', 'admin'])),
    presence: z.string().describe('available | busy | do-not-disturb | away | offline, as colleagues see it'),
    presenceLabel: z.string().describe('The presence in words, as Teams shows it ("Do not disturb")'),
    queues: z.array(z.object({ id: z.string(), name: z.string() })),
    eligible: z
      .boolean()
      .describe('Whether the consult, transfer or assignment to them would be accepted now'),
    reason: z.string().optional().describe('Why not, in words for the person choosing; absent when eligible'),
  })
  .meta({ id: 'HandoverCandidate' });

export const okSchema = z.object({ ok: z.literal(true) });
export const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
