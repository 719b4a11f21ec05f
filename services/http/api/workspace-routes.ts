import { z } from 'zod';
import { visitorDetails } from '../../domain/schemas.js';
import { SENTIMENT_LEVELS, withoutControlCharacters, type Message } from '../../domain/index.js';
import type { Workspace } from '../../workspace/index.js';
import { shownText } from './agent-schemas.js';
import { defineRoute, type ApiRoute, type Caller } from './route-definition.js';

// The agent workspace routes of docs/agent-api.md: quick replies, notes, the customer page and
// timeline, cases, knowledge, scripts and macros, smart assist and summaries, people and queues.
// Thin: each validates its input with the schemas below and hands over to services/workspace,
// which checks access and does the work.

/** Dates leave as ISO strings, so the answer is exactly what the response schema documents. */
type JsonReady<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends Date
    ? string
    : T extends Array<infer U>
      ? JsonReady<U>[]
      : T extends object
        ? { [K in keyof T]: JsonReady<T[K]> }
        : T;

function json<T>(value: T): JsonReady<T> {
  return JSON.parse(JSON.stringify(value)) as JsonReady<T>;
}

const actor = (caller: Caller) => ({ agentId: caller.agentId });

const entityId = z.string().trim().min(1).max(200);
const isoDate = z.iso.datetime();
const text = z.string().max(4000);
const search = z.string().trim().max(500);

const conversationParams = z.object({ id: entityId });
const noteBody = z.strictObject({ text: z.string().trim().min(1, 'a note needs some text').max(4000) });

const note = z.object({
  id: z.string(),
  conversationId: z.string().optional(),
  caseId: z.string().optional(),
  customerId: z.string().optional(),
  authorId: z.string(),
  authorName: z.string(),
  text,
  createdAt: isoDate,
});

const customer = z.object({
  id: z.string(),
  kind: z.enum(['contact', 'account']),
  name: z.string(),
  email: z.string().optional(),
  phone: z.string().optional(),
  accountName: z.string().optional(),
  identities: z.array(z.object({ channel: z.string(), userId: z.string() })),
  createdAt: isoDate,
  updatedAt: isoDate,
});

const caseShape = z.object({
  id: z.string(),
  number: z.string(),
  customerId: z.string(),
  title: z.string(),
  subject: z.string(),
  product: z.string(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']),
  caseType: z.enum(['question', 'problem', 'request']),
  description: z.string(),
  status: z.enum(['active', 'resolved', 'cancelled']),
  conversationIds: z.array(z.string()),
  createdBy: z.string().optional(),
  ownerId: z.string().optional(),
  modifiedBy: z.string().optional(),
  resolution: z.string().optional(),
  cancelReason: z.string().optional(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
const caseChange = z.object({
  at: isoDate,
  agentId: z.string(),
  agentName: z.string(),
  action: z.enum(['opened', 'linked', 'edited', 'resolved', 'cancelled', 'reactivated']),
  conversationId: z.string().optional(),
  fields: z.array(z.enum(['title', 'description', 'priority', 'caseType', 'product'])).optional(),
  text: z.string().optional(),
});
const caseView = caseShape.extend({
  customerName: z.string(),
  ownerName: z.string().optional(),
  createdByName: z.string().optional(),
  modifiedByName: z.string().optional(),
  history: z.array(caseChange),
});
const casePriority = z.enum(['low', 'normal', 'high', 'urgent']);
const caseTypeName = z.enum(['question', 'problem', 'request']);
/** A case's description: several lines, control characters removed as from titles. */
const caseDescription = z.string().transform(withoutControlCharacters).pipe(z.string().trim().max(4000));
const caseParams = z.object({ id: entityId });

const knowledgeResult = z.object({
  id: z.string(),
  title: z.string(),
  product: z.string(),
  snippet: z.string(),
  score: z.number(),
  url: z.string(),
  /** Written for agents only: not to be sent to the customer (its public page is not shown). */
  agentsOnly: z.boolean(),
});

const messageView = z.object({
  id: z.string(),
  seq: z.number().int(),
  from: z.enum(['customer', 'bot', 'agent', 'supervisor', 'system']),
  authorName: z.string().optional(),
  text: z.string(),
  visibility: z.enum(['public', 'internal']),
  at: isoDate,
});

function toMessageView(m: Message): z.input<typeof messageView> {
  return {
    id: m.id,
    seq: m.seq,
    from: m.author,
    ...(m.authorName ? { authorName: m.authorName } : {}),
    text: m.text,
    visibility: m.visibility,
    at: m.createdAt.toISOString(),
  };
}

const step = z.object({
  id: z.string(),
  kind: z.enum(['text', 'macro', 'script']),
  text: z.string().optional(),
  label: z.string().optional(),
  macroId: z.string().optional(),
  scriptId: z.string().optional(),
  done: z.boolean(),
  doneAt: isoDate.optional(),
  doneBy: z.string().optional(),
});
const scriptView = z.object({
  script: z.object({ id: z.string(), name: z.string(), steps: z.array(step) }).nullable(),
  mainScriptId: z.string().nullable(),
  available: z.array(z.object({ id: z.string(), name: z.string() })),
});
const scriptQuery = z.object({ scriptId: entityId.optional() });

const macroResult = z.object({
  action: z.enum(['create-case', 'open-kb-search', 'draft-email', 'send-quick-reply', 'set-field']),
  outcome: z.enum(['done', 'skipped', 'failed']),
  message: z.string(),
  case: z.object({ id: z.string(), number: z.string(), title: z.string() }).optional(),
  query: z.string().optional(),
  articles: z.array(knowledgeResult).optional(),
  draft: z
    .object({
      to: z.string(),
      subject: z.string(),
      body: z.string(),
      mailto: z.string(),
      unfilled: z.array(z.string()),
    })
    .optional(),
  messageId: z.string().optional(),
  text: z.string().optional(),
  unfilled: z.array(z.string()).optional(),
  field: z.string().optional(),
  value: z.string().optional(),
});

const role = z.enum(['agent', 'supervisor', 'admin']);

export function workspaceRoutes(workspace: Workspace): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/conversations/:id/quick-replies',
      summary:
        'Quick replies with slots ({customerName}, {agentName}, {caseNumber} …) filled from the conversation',
      params: conversationParams,
      query: z.object({ q: search.optional() }),
      response: z.object({
        items: z.array(
          z.object({
            id: z.string(),
            title: z.string(),
            text: z.string(),
            tags: z.array(z.string()),
            filled: z.string(),
            unfilled: z.array(z.string()),
          }),
        ),
      }),
      handler: async ({ caller, params, query }) => ({
        items: await workspace.quickReplies.forConversation(actor(caller), params.id, query.q),
      }),
    }),

    defineRoute({
      method: 'get',
      path: '/conversations/:id/notes',
      summary: "The conversation's notes, newest first",
      params: conversationParams,
      response: z.object({ items: z.array(note) }),
      handler: async ({ caller, params }) => ({
        items: json(await workspace.notes.listForConversation(actor(caller), params.id)),
      }),
    }),

    defineRoute({
      method: 'post',
      path: '/conversations/:id/notes',
      summary: 'Adds a note to the conversation (agents only, never shown to the customer)',
      status: 201,
      params: conversationParams,
      body: noteBody,
      response: note,
      handler: async ({ caller, params, body }) =>
        json(await workspace.notes.addToConversation(actor(caller), params.id, body.text)),
    }),

    defineRoute({
      method: 'post',
      path: '/customers/:id/notes',
      summary: 'Adds a quick note to the customer (shown on their timeline)',
      status: 201,
      params: z.object({ id: entityId }),
      body: noteBody,
      response: note,
      handler: async ({ caller, params, body }) =>
        json(await workspace.notes.addToCustomer(actor(caller), params.id, body.text)),
    }),

    defineRoute({
      method: 'get',
      path: '/customers/:id/timeline',
      summary: "The customer's conversations, cases and notes, newest first",
      params: z.object({ id: entityId }),
      query: z.object({
        limit: z.coerce.number().int().min(1).max(200).optional(),
        before: z.string().min(1).max(300).optional(),
      }),
      response: z.object({
        items: z.array(
          z.object({
            kind: z.enum(['conversation', 'case', 'note']),
            id: z.string(),
            title: z.string(),
            at: isoDate,
            status: z.string().optional(),
            authorName: z.string().optional(),
            agentName: z.string().optional(),
            disposition: z.string().optional(),
            rating: z.number().min(1).max(5).optional(),
            caseNumber: z.string().optional(),
            conversationId: z.string().optional(),
            caseId: z.string().optional(),
          }),
        ),
        nextCursor: z.string().optional(),
      }),
      handler: async ({ caller, params, query }) =>
        json(
          await workspace.timeline.forCustomer(actor(caller), params.id, {
            ...(query.limit !== undefined ? { limit: query.limit } : {}),
            ...(query.before !== undefined ? { before: query.before } : {}),
          }),
        ),
    }),

    defineRoute({
      method: 'get',
      path: '/conversations/:id/customer',
      summary:
        'Customer summary: the customer, conversation details, pre-chat answers, portal navigation, visitor details, additional context, recent and current case',
      params: conversationParams,
      response: z.object({
        customer,
        conversation: z.object({
          id: z.string(),
          channel: z.string(),
          status: z.string(),
          workstreamId: z.string(),
          workstreamName: z.string().optional(),
          queueId: z.string().optional(),
          queueName: z.string().optional(),
          requiredSkills: z.array(z.string()),
          startedAt: isoDate,
          queuedAt: isoDate.optional(),
          acceptedAt: isoDate.optional(),
          waitingSeconds: z.number().int().min(0),
        }),
        preChat: z.array(z.object({ id: z.string(), question: z.string(), answer: z.string() })),
        portalNavigation: z.array(
          z.object({
            kind: z.enum(['page', 'search', 'article']),
            title: z.string(),
            url: z.string().optional(),
            at: isoDate,
          }),
        ),
        visitor: visitorDetails,
        additionalContext: z.array(
          z.object({ key: z.string(), value: z.union([z.string(), z.number(), z.boolean()]) }),
        ),
        recentCases: z.array(caseShape),
        currentCase: caseShape.optional(),
        verified: z.boolean(),
        matchedBy: z.enum(['sign-in', 'typed-details', 'channel']),
        earlierHistory: z.boolean(),
      }),
      handler: async ({ caller, params }) =>
        json(await workspace.customerSummary.forConversation(actor(caller), params.id)),
    }),

    defineRoute({
      method: 'post',
      path: '/conversations/:id/case',
      summary:
        'Links an existing case of the customer ({caseId}) or opens a new one ({title, …}); answers the case',
      params: conversationParams,
      body: z.union([
        z.strictObject({ caseId: entityId }),
        z.strictObject({
          title: shownText(200, 'a case needs a title'),
          description: caseDescription.optional(),
          type: caseTypeName.optional(),
          priority: casePriority.optional(),
        }),
      ]),
      response: caseView,
      handler: async ({ caller, params, body }) =>
        json(await workspace.cases.link(actor(caller), params.id, body)),
    }),

    defineRoute({
      method: 'get',
      path: '/cases/:id',
      summary: 'A case (for those who may read one of its conversations or its customer)',
      params: caseParams,
      response: caseView,
      handler: async ({ caller, params }) => json(await workspace.cases.get(actor(caller), params.id)),
    }),

    defineRoute({
      method: 'put',
      path: '/cases/:id',
      summary:
        'Edits an active case: the fields given (title, description, priority, type, product) change, the others stay; answers the case',
      params: caseParams,
      body: z
        .strictObject({
          title: shownText(200, 'a case needs a title').optional(),
          description: caseDescription.optional(),
          priority: casePriority.optional(),
          type: caseTypeName.optional(),
          product: shownText(100, 'a product needs a name').optional(),
        })
        .refine((b) => Object.values(b).some((v) => v !== undefined), 'name at least one field to change'),
      response: caseView,
      handler: async ({ caller, params, body }) =>
        json(await workspace.cases.edit(actor(caller), params.id, body)),
    }),

    defineRoute({
      method: 'post',
      path: '/cases/:id/resolve',
      summary: 'Resolves an active case with its resolution; answers the case',
      params: caseParams,
      body: z.strictObject({ resolution: shownText(2000, 'a case is resolved with a resolution') }),
      response: caseView,
      handler: async ({ caller, params, body }) =>
        json(await workspace.cases.resolve(actor(caller), params.id, body.resolution)),
    }),

    defineRoute({
      method: 'post',
      path: '/cases/:id/cancel',
      summary: 'Cancels an active case with the reason; answers the case',
      params: caseParams,
      body: z.strictObject({ reason: shownText(2000, 'a case is cancelled with a reason') }),
      response: caseView,
      handler: async ({ caller, params, body }) =>
        json(await workspace.cases.cancel(actor(caller), params.id, body.reason)),
    }),

    defineRoute({
      method: 'post',
      path: '/cases/:id/reactivate',
      summary: 'Makes a resolved or cancelled case active again; answers the case',
      params: caseParams,
      response: caseView,
      handler: async ({ caller, params }) => json(await workspace.cases.reactivate(actor(caller), params.id)),
    }),

    defineRoute({
      method: 'get',
      path: '/cases/:id/summary',
      summary: "The case's summary from the conversations behind it",
      params: caseParams,
      response: z.object({
        caseId: z.string(),
        number: z.string(),
        status: z.enum(['active', 'resolved', 'cancelled']),
        title: z.string(),
        customer: z.string(),
        subject: z.string(),
        product: z.string(),
        priority: z.enum(['low', 'normal', 'high', 'urgent']),
        caseType: z.enum(['question', 'problem', 'request']),
        description: z.string(),
        text: z.string(),
      }),
      handler: async ({ caller, params }) => workspace.cases.summary(actor(caller), params.id),
    }),

    defineRoute({
      method: 'get',
      path: '/knowledge/search',
      summary: 'Searches the knowledge base',
      query: z.object({
        q: search.min(1, 'say what to search for'),
        limit: z.coerce.number().int().min(1).max(50).optional(),
      }),
      response: z.object({ items: z.array(knowledgeResult) }),
      handler: async ({ query }) => ({ items: await workspace.knowledge.search(query.q, query.limit) }),
    }),

    defineRoute({
      method: 'get',
      path: '/knowledge/:id',
      summary: 'A knowledge article',
      params: z.object({ id: entityId }),
      response: z.object({
        id: z.string(),
        title: z.string(),
        keywords: z.array(z.string()),
        body: z.string(),
        product: z.string(),
        url: z.string(),
        /** Written for agents only: its public page is not shown, and it is not sent to customers. */
        agentsOnly: z.boolean(),
        createdAt: isoDate,
        updatedAt: isoDate,
      }),
      handler: async ({ params }) => json(await workspace.knowledge.get(params.id)),
    }),

    defineRoute({
      method: 'post',
      path: '/conversations/:id/knowledge/:articleId/send',
      summary: "Sends the article's link to the customer as the agent's public message",
      status: 201,
      params: z.object({ id: entityId, articleId: entityId }),
      response: messageView,
      handler: async ({ caller, params }) =>
        toMessageView(await workspace.knowledge.send(actor(caller), params.id, params.articleId)),
    }),

    defineRoute({
      method: 'get',
      path: '/conversations/:id/script',
      summary:
        "The conversation's agent script with each step's state; ?scriptId= loads a nested script or another of the work stream",
      params: conversationParams,
      query: scriptQuery,
      response: scriptView,
      handler: async ({ caller, params, query }) =>
        json(await workspace.scripts.forConversation(actor(caller), params.id, query.scriptId)),
    }),

    defineRoute({
      method: 'post',
      path: '/conversations/:id/script/steps/:stepId/done',
      summary: 'Marks a script step done (?scriptId= names the script when the step is in a nested one)',
      params: z.object({ id: entityId, stepId: entityId }),
      query: scriptQuery,
      response: scriptView,
      handler: async ({ caller, params, query }) =>
        json(await workspace.scripts.markDone(actor(caller), params.id, params.stepId, query.scriptId)),
    }),

    defineRoute({
      method: 'delete',
      path: '/conversations/:id/script/steps/:stepId/done',
      summary: 'Unticks a script step marked done by mistake (the script keeps who unticked it)',
      params: z.object({ id: entityId, stepId: entityId }),
      query: scriptQuery,
      response: scriptView,
      handler: async ({ caller, params, query }) =>
        json(await workspace.scripts.markUndone(actor(caller), params.id, params.stepId, query.scriptId)),
    }),

    defineRoute({
      method: 'post',
      path: '/conversations/:id/macros/:macroId/run',
      summary:
        "Runs a macro's actions (create case, open KB search, draft e-mail, send quick reply, set field), each reporting its outcome",
      params: z.object({ id: entityId, macroId: entityId }),
      response: z.object({ macroId: z.string(), results: z.array(macroResult) }),
      handler: async ({ caller, params }) =>
        json(await workspace.macros.run(actor(caller), params.id, params.macroId)),
    }),

    defineRoute({
      method: 'get',
      path: '/conversations/:id/assist',
      summary: 'Smart assist: knowledge articles and similar cases for what the customer said, with why',
      params: conversationParams,
      response: z.object({
        query: z.string(),
        items: z.array(
          z.object({
            kind: z.enum(['article', 'case']),
            id: z.string(),
            title: z.string(),
            score: z.number(),
            reason: z.string(),
            snippet: z.string().optional(),
            url: z.string().optional(),
            number: z.string().optional(),
            status: z.string().optional(),
            agentsOnly: z.boolean().optional(),
          }),
        ),
      }),
      handler: async ({ caller, params }) => workspace.assist.suggestions(actor(caller), params.id),
    }),

    defineRoute({
      method: 'get',
      path: '/conversations/:id/summary',
      summary: 'Conversation summary (issue, what was tried, outcome) with the customer and live sentiment',
      params: conversationParams,
      response: z.object({
        customer: z.object({
          id: z.string(),
          name: z.string(),
          email: z.string().optional(),
          accountName: z.string().optional(),
        }),
        conversation: z.object({
          text: z.string(),
          highlights: z.array(z.object({ kind: z.enum(['issue', 'tried', 'outcome']), text: z.string() })),
        }),
        sentiment: z
          .object({
            level: z.enum(SENTIMENT_LEVELS),
            score: z.number(),
            trend: z.enum(['improving', 'worsening', 'steady']),
          })
          .nullable(),
      }),
      handler: async ({ caller, params }) => workspace.assist.summary(actor(caller), params.id),
    }),

    defineRoute({
      method: 'get',
      path: '/people',
      summary: 'Agents and supervisors with presence, to consult or transfer to',
      query: z.object({ q: search.optional(), role: role.optional() }),
      response: z.object({
        items: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            email: z.string(),
            roles: z.array(role),
            presence: z.enum(['available', 'busy', 'busy-dnd', 'away', 'offline']),
            presenceLabel: z.string().optional(),
            queues: z.array(z.object({ id: z.string(), name: z.string() })),
          }),
        ),
      }),
      handler: async ({ caller, query }) => ({
        items: await workspace.people.list(actor(caller), {
          ...(query.q ? { q: query.q } : {}),
          ...(query.role ? { role: query.role } : {}),
        }),
      }),
    }),

    defineRoute({
      method: 'get',
      path: '/queues',
      summary: 'Queues (to transfer into), with whether each is open now',
      response: z.object({
        items: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            workstreamId: z.string().optional(),
            workstreamIds: z.array(z.string()),
            open: z.boolean(),
            member: z.boolean(),
          }),
        ),
      }),
      handler: async ({ caller }) => ({ items: await workspace.people.queues(actor(caller)) }),
    }),
  ];
}
