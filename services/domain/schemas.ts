// zod schemas mirroring entities.ts, used where data enters the store (repositories) and at other
// edges. `satisfies`-style checks at the bottom keep them in step with the interfaces.
import { z } from 'zod';
import * as E from './entities.js';

import { invalidKeyReason } from './field-names.js';

/** A key of a free-form map (pre-chat answers, custom context): storable in MongoDB and NeDB alike. */
export const safeKey = z
  .string()
  .min(1)
  .max(200)
  .refine((k) => invalidKeyReason(k) === null, {
    message: 'must not start with "$", contain "." or be a reserved name',
  });

export const id = z.string().min(1).max(200);
export const date = z.date();
const nonEmpty = z.string().trim().min(1);

export const role = z.enum(['agent', 'supervisor', 'admin']);
export const channelId = z.string().min(1).max(100);
export const basePresence = z.enum(['available', 'busy', 'busy-dnd', 'away', 'offline']);
export const skill = z.object({ name: nonEmpty, proficiency: z.number().int().min(1).max(10) });
export const sentimentThreshold = z.enum(['off', 'slightly negative', 'negative', 'very negative']);
const jsonObject = z.record(safeKey, z.unknown());

export const agentSchema = z.object({
  id,
  aadObjectId: z.string().min(1).optional(),
  name: nonEmpty,
  email: z.string().email(),
  roles: z.array(role).min(1),
  queueIds: z.array(id),
  optedOutQueueIds: z.array(id).optional(),
  skills: z.array(skill),
  capacity: z.number().int().min(0),
  usedUnits: z.number().int().min(0),
  activeItems: z.number().int().min(0),
  presence: basePresence,
  presenceLabel: z.string().min(1).optional(),
  chosenPresence: basePresence,
  lastAssignedAt: date.optional(),
  lastItemEndedAt: date.optional(),
  sentimentThreshold,
  teamsConversationRef: jsonObject.optional(),
  version: z.number().int().min(0),
  createdAt: date,
  updatedAt: date,
});

export const offerReason = z.object({
  method: z.enum(['highest-capacity', 'round-robin', 'least-active']),
  presence: basePresence,
  freeUnits: z.number(),
  cost: z.number(),
  skills: z.object({
    required: z.array(z.string()),
    matched: z.array(z.string()),
    match: z.enum(['exact', 'closest', 'none']),
  }),
  idleSeconds: z.number().nullable(),
  returning: z.literal(true).optional(),
  summary: z.string(),
});

const conditionValue = z.union([z.string(), z.number(), z.boolean()]);
export const ruleCondition = z.object({
  field: nonEmpty,
  op: z.enum(['eq', 'neq', 'contains', 'in', 'exists']),
  value: z.union([conditionValue, z.array(conditionValue)]).optional(),
});
export const classificationRule = z.object({
  id,
  name: nonEmpty,
  order: z.number().int(),
  conditions: z.array(ruleCondition),
  queueId: id,
  skills: z.array(nonEmpty),
});
export const surveyQuestion = z.object({
  id: safeKey,
  prompt: nonEmpty,
  chatPrompt: nonEmpty.optional(),
  kind: z.enum(['text', 'email', 'choice']),
  choices: z.array(nonEmpty).optional(),
  required: z.boolean(),
});

export const workstreamSchema = z.object({
  id,
  name: nonEmpty,
  channel: channelId,
  capacityCost: z.number().int().min(0),
  offerTimeoutSeconds: z.number().int().min(1),
  autoAccept: z.boolean(),
  allowedPresences: z.array(basePresence).min(1),
  rules: z.array(classificationRule),
  fallbackQueueId: id,
  inactivityCloseMinutes: z.number().int().min(1),
  wrapUpHoldMinutes: z.number().int().min(0).max(1440).optional(),
  returnToLastAgentHours: z.number().int().min(0).max(720).optional(),
  preChatSurvey: z.array(surveyQuestion),
  createdAt: date,
  updatedAt: date,
});

const hhmm = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'HH:MM');
export const operatingHours = z.object({
  timeZone: nonEmpty,
  weekly: z.array(z.object({ day: z.number().int().min(0).max(6), open: hhmm, close: hhmm })),
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')),
});
export const overflowAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('transfer'), queueId: id }),
  z.object({ type: z.literal('end'), message: nonEmpty }),
]);
export const overflowRule = z.discriminatedUnion('when', [
  z.object({ when: z.literal('size'), limit: z.number().int().min(0), action: overflowAction }),
  z.object({ when: z.literal('wait'), limitSeconds: z.number().int().min(0), action: overflowAction }),
  z.object({ when: z.literal('closed'), action: overflowAction }),
]);

export const queueSchema = z.object({
  id,
  name: nonEmpty,
  workstreamIds: z.array(id),
  priority: z.number().int(),
  assignmentMethod: z.enum(['highest-capacity', 'round-robin', 'least-active']),
  skillMatching: z.enum(['exact', 'closest']),
  operatingHours: operatingHours.optional(),
  overflow: z.array(overflowRule),
  createdAt: date,
  updatedAt: date,
});

export const channelIdentity = z.object({ channel: channelId, userId: z.string().min(1).max(500) });
export const customerSchema = z.object({
  id,
  kind: z.enum(['contact', 'account']),
  name: nonEmpty,
  email: z.string().email().optional(),
  phone: z.string().min(1).optional(),
  accountName: z.string().min(1).optional(),
  identities: z.array(channelIdentity),
  createdAt: date,
  updatedAt: date,
});

export const casePriority = z.enum(['low', 'normal', 'high', 'urgent']);
export const caseType = z.enum(['question', 'problem', 'request']);
export const caseEditableField = z.enum(['title', 'description', 'priority', 'caseType', 'product']);
const caseHistoryBase = { at: date, agentId: id };
export const caseHistoryEntry = z.discriminatedUnion('action', [
  z.object({ ...caseHistoryBase, action: z.literal('opened'), conversationId: id.optional() }),
  z.object({ ...caseHistoryBase, action: z.literal('linked'), conversationId: id }),
  z.object({ ...caseHistoryBase, action: z.literal('edited'), fields: z.array(caseEditableField) }),
  z.object({ ...caseHistoryBase, action: z.literal('resolved'), text: z.string() }),
  z.object({ ...caseHistoryBase, action: z.literal('cancelled'), text: z.string() }),
  z.object({ ...caseHistoryBase, action: z.literal('reactivated') }),
]);
export const caseSchema = z.object({
  id,
  number: z.string().regex(/^CAS-\d{5,}$/),
  customerId: id,
  title: nonEmpty,
  subject: z.string(),
  product: z.string(),
  priority: casePriority,
  caseType,
  description: z.string(),
  status: z.enum(['active', 'resolved', 'cancelled']),
  conversationIds: z.array(id),
  createdBy: id.optional(),
  ownerId: id.optional(),
  modifiedBy: id.optional(),
  resolution: z.string().optional(),
  cancelReason: z.string().optional(),
  history: z.array(caseHistoryEntry).optional(),
  createdAt: date,
  updatedAt: date,
});

export const knowledgeArticleSchema = z.object({
  id,
  title: nonEmpty,
  keywords: z.array(z.string()),
  body: nonEmpty,
  product: z.string(),
  published: z.boolean().optional(),
  audience: z.enum(['customers', 'agents']).optional(),
  createdAt: date,
  updatedAt: date,
});

export const quickReplySchema = z.object({
  id,
  title: nonEmpty,
  text: nonEmpty,
  tags: z.array(z.string()),
  createdAt: date,
});

export const macroAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('create-case'), title: nonEmpty, caseType, priority: casePriority }),
  z.object({ type: z.literal('open-kb-search'), query: z.string() }),
  z.object({ type: z.literal('draft-email'), to: z.string(), subject: z.string(), body: z.string() }),
  z.object({ type: z.literal('send-quick-reply'), quickReplyId: id }),
  z.object({ type: z.literal('set-field'), field: nonEmpty, value: z.string() }),
]);
export const macroSchema = z.object({
  id,
  name: nonEmpty,
  actions: z.array(macroAction).min(1),
  createdAt: date,
});

export const scriptStep = z.discriminatedUnion('kind', [
  z.object({ id, kind: z.literal('text'), text: nonEmpty }),
  z.object({ id, kind: z.literal('macro'), label: nonEmpty, macroId: id }),
  z.object({ id, kind: z.literal('script'), label: nonEmpty, scriptId: id }),
]);
export const agentScriptSchema = z.object({
  id,
  name: nonEmpty,
  workstreamIds: z.array(id),
  queueIds: z.array(id).optional(),
  steps: z.array(scriptStep),
  createdAt: date,
});

export const noteSchema = z
  .object({
    id,
    conversationId: id.optional(),
    caseId: id.optional(),
    customerId: id.optional(),
    authorId: id,
    text: nonEmpty,
    createdAt: date,
  })
  .refine((n) => n.conversationId || n.caseId || n.customerId, {
    message: 'a note belongs to a conversation, a case or a customer',
  });

export const conversationStatus = z.enum([
  'bot',
  'waiting',
  'offered',
  'active',
  'wrap-up',
  'closed',
  'abandoned',
]);
export const participantMode = z.enum(['primary', 'consult', 'monitor']);
export const sentimentLevel = z.enum(E.SENTIMENT_LEVELS);
export const sentimentReading = z.object({
  score: z.number().min(-1).max(1),
  level: sentimentLevel,
  at: date,
});

/** What the widget reports about the visitor's browser; shown to agents as reported. */
export const visitorDetails = z.object({
  browser: z.string().optional(),
  os: z.string().optional(),
  language: z.string().optional(),
  device: z.string().optional(),
  authenticated: z.boolean(),
  reportedAuthenticated: z.boolean().optional(),
  verified: z
    .object({
      by: z.enum(['site', 'microsoft-teams']).optional(),
      id: z.string().min(1).max(256),
      name: z.string().max(200).optional(),
      email: z.string().max(320).optional(),
      tenantId: z.string().max(64).optional(),
    })
    .optional(),
});

export const conversationContext = z.object({
  preChat: z.record(safeKey, z.string()),
  portalNavigation: z.array(
    z.object({
      kind: z.enum(['page', 'search', 'article']),
      title: z.string(),
      url: z.string().optional(),
      at: date,
    }),
  ),
  visitor: visitorDetails,
  custom: z.record(safeKey, z.union([z.string(), z.number(), z.boolean()])),
  reportedCustomKeys: z.array(safeKey).optional(),
});

export const participant = z.object({
  agentId: id,
  mode: participantMode,
  joinedAt: date,
  leftAt: date.optional(),
});

export const conversationTimestamps = z.object({
  createdAt: date,
  escalatedAt: date.optional(),
  queuedAt: date.optional(),
  offeredAt: date.optional(),
  acceptedAt: date.optional(),
  wrapUpAt: date.optional(),
  closedAt: date.optional(),
  abandonedAt: date.optional(),
  reopenedAt: date.optional(),
});

export const author = z.enum(['customer', 'bot', 'agent', 'supervisor', 'system']);

export const conversationSchema = z.object({
  id,
  channel: channelId,
  customerId: id,
  workstreamId: id,
  queueId: id.optional(),
  requiredSkills: z.array(z.string()),
  context: conversationContext,
  status: conversationStatus,
  participants: z.array(participant),
  agentId: id.optional(),
  offerExpiresAt: date.optional(),
  declinedBy: z.array(id),
  handOver: z.object({ fromAgentId: id, toAgentId: id.optional() }).optional(),
  caseId: id.optional(),
  sentiment: sentimentReading.optional(),
  botOutcome: z.enum(['resolved', 'escalated', 'abandoned']).optional(),
  subject: z.string().max(4000).optional(),
  followUp: z
    .object({ by: z.enum(['chat', 'email']), email: z.string().max(320).optional(), requestedAt: date })
    .optional(),
  customerAwaySince: date.optional(),
  endedBy: author.optional(),
  closedBy: author.optional(),
  lastAgentId: z.string().min(1).optional(),
  transferCount: z.number().int().min(0),
  handoverNote: z.object({ text: z.string().min(1), by: z.string() }).optional(),
  disposition: z.string().optional(),
  csat: z.object({ rating: z.number().min(1).max(5), comment: z.string().optional(), at: date }).optional(),
  lastMessageSeq: z.number().int().min(0),
  lastActivityAt: date,
  channelRef: jsonObject.optional(),
  timestamps: conversationTimestamps,
  version: z.number().int().min(0),
});

export const visibility = z.enum(['public', 'internal']);
export const attachment = z.object({
  name: z.string(),
  contentType: z.string().min(1),
  fileId: z.string().optional(),
  url: z.string().optional(),
});

export const messageSchema = z.object({
  id,
  conversationId: id,
  seq: z.number().int().min(1),
  author,
  authorId: id.optional(),
  authorName: z.string().optional(),
  visibility,
  text: z.string().max(28_000),
  attachments: z.array(attachment),
  sentiment: sentimentReading.optional(),
  activityId: z.string().min(1).max(500).optional(),
  createdAt: date,
});

export const sessionSchema = z.object({
  id,
  conversationId: id,
  agentId: id,
  queueId: id.optional(),
  mode: participantMode,
  state: z.enum(['presented', 'accepted', 'rejected', 'timed-out', 'withdrawn', 'ended']),
  presentedAt: date,
  acceptedAt: date.optional(),
  endedAt: date.optional(),
  focusMs: z.number().min(0),
  focusedSince: date.optional(),
});

// --- domain events (events.ts) -------------------------------------------------------------------

const conv = { conversationId: id };
export const domainEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('conversation.created'),
    ...conv,
    channel: channelId,
    workstreamId: id,
    customerId: id,
  }),
  z.object({
    type: z.literal('conversation.status_changed'),
    ...conv,
    from: conversationStatus,
    to: conversationStatus,
    reason: z.string(),
    agentId: id.optional(),
    queueId: id.optional(),
  }),
  z.object({ type: z.literal('conversation.escalated'), ...conv, queueId: id, reason: z.string() }),
  z.object({ type: z.literal('conversation.queued'), ...conv, queueId: id, skills: z.array(z.string()) }),
  z.object({
    type: z.literal('conversation.offered'),
    ...conv,
    agentId: id,
    queueId: id.optional(),
    expiresAt: date,
    offerId: z.string().min(1).optional(),
    reason: offerReason.optional(),
  }),
  z.object({
    type: z.literal('conversation.offer_rejected'),
    ...conv,
    agentId: id,
    transfer: z.literal(true).optional(),
  }),
  z.object({
    type: z.literal('conversation.offer_timed_out'),
    ...conv,
    agentId: id,
    transfer: z.literal(true).optional(),
  }),
  z.object({
    type: z.literal('conversation.offer_withdrawn'),
    ...conv,
    agentId: id,
    reason: z.enum(['agent_offline', 'agent_unavailable']),
    transfer: z.literal(true).optional(),
  }),
  z.object({
    type: z.literal('conversation.accepted'),
    ...conv,
    agentId: id,
    queueId: id.optional(),
    picked: z.boolean(),
  }),
  z.object({
    type: z.literal('conversation.transferred'),
    ...conv,
    fromAgentId: id.optional(),
    toAgentId: id.optional(),
    toQueueId: id.optional(),
  }),
  z.object({
    type: z.literal('conversation.overflowed'),
    ...conv,
    fromQueueId: id,
    toQueueId: id.optional(),
    rule: z.string(),
    message: z.string().max(4000).optional(),
  }),
  z.object({ type: z.literal('conversation.wrap_up'), ...conv, agentId: id.optional() }),
  z.object({
    type: z.literal('conversation.closed'),
    ...conv,
    agentId: id.optional(),
    disposition: z.string().optional(),
    by: author,
  }),
  z.object({ type: z.literal('conversation.abandoned'), ...conv, queueId: id.optional() }),
  z.object({ type: z.literal('conversation.reopened'), ...conv, agentId: id, queueId: id.optional() }),
  z.object({ type: z.literal('conversation.bot_resolved'), ...conv }),
  z.object({
    type: z.literal('participant.joined'),
    ...conv,
    agentId: id,
    mode: participantMode,
    byAgentId: id.optional(),
  }),
  z.object({ type: z.literal('participant.left'), ...conv, agentId: id, mode: participantMode }),
  z.object({
    type: z.literal('message.added'),
    ...conv,
    messageId: id,
    messageSeq: z.number().int().min(1),
    author,
    visibility,
  }),
  z.object({ type: z.literal('sentiment.changed'), ...conv, score: z.number(), level: sentimentLevel }),
  z.object({
    type: z.literal('sentiment.alert'),
    ...conv,
    level: sentimentLevel,
    recipientId: id,
    recipientRole: z.enum(['agent', 'supervisor']),
  }),
  z.object({
    type: z.literal('presence.changed'),
    agentId: id,
    presence: basePresence,
    automatic: z.boolean(),
    reason: z.literal('missed-offer').optional(),
  }),
  z.object({ type: z.literal('csat.recorded'), ...conv, rating: z.number() }),
  z.object({ type: z.literal('customer.connection'), ...conv, connected: z.boolean() }),
  z.object({ type: z.literal('customer.navigated'), ...conv, entries: z.number().int().nonnegative() }),
  z.object({ type: z.literal('agent.queue_opt'), agentId: id, queueId: id, optedIn: z.boolean() }),
  z.object({ type: z.literal('session.focus'), ...conv, agentId: id, focused: z.boolean() }),
]);

// Compile-time drift checks: each schema's output must be assignable to its entity.
type Assert<T extends true> = T;
type Fits<S, T> = S extends T ? true : false;
export type SchemaDriftChecks = [
  Assert<Fits<z.infer<typeof agentSchema>, E.Agent>>,
  Assert<Fits<z.infer<typeof workstreamSchema>, E.Workstream>>,
  Assert<Fits<z.infer<typeof queueSchema>, E.Queue>>,
  Assert<Fits<z.infer<typeof customerSchema>, E.Customer>>,
  Assert<Fits<z.infer<typeof caseSchema>, E.Case>>,
  Assert<Fits<z.infer<typeof knowledgeArticleSchema>, E.KnowledgeArticle>>,
  Assert<Fits<z.infer<typeof quickReplySchema>, E.QuickReply>>,
  Assert<Fits<z.infer<typeof macroSchema>, E.Macro>>,
  Assert<Fits<z.infer<typeof agentScriptSchema>, E.AgentScript>>,
  Assert<Fits<z.infer<typeof noteSchema>, E.Note>>,
  Assert<Fits<z.infer<typeof conversationSchema>, E.Conversation>>,
  Assert<Fits<z.infer<typeof messageSchema>, E.Message>>,
  Assert<Fits<z.infer<typeof sessionSchema>, E.Session>>,
  Assert<Fits<z.infer<typeof domainEventSchema>, import('./events.js').DomainEvent>>,
];
