import { z } from 'zod';
import type { AgentDesk } from '../../agent-desk/index.js';
import { characterCount, MAX_MESSAGE_CHARS, messageTooLongWords, type Agent } from '../../domain/index.js';
import {
  candidateSchema,
  detailsSchema,
  fileSchema,
  id,
  idParams,
  items,
  messageSchema,
  okSchema,
  shownText,
  workItemSchema,
} from './agent-schemas.js';
import { defineRoute, type ApiRoute } from './route-definition.js';

/**
 * An agent's typing reaches the customer at most this often per conversation, whatever the client
 * sends: each one is an activity on the customer's channel. Calls in between answer ok and do nothing.
 */
export const AGENT_TYPING_EVERY_MS = 3000;

/**
 * A message's text: zod counts code points, as the domain does (services/domain/message-text.ts), so
 * the refusal here and the OpenAPI document's `maxLength` say what every other path says.
 */
const messageText = z.string().max(MAX_MESSAGE_CHARS, {
  error: (issue) => messageTooLongWords(characterCount(String(issue.input))),
});

/** A transfer's optional note for whoever takes the conversation over (stored internally). */
const handoverNote = z
  .string()
  .trim()
  .max(1000, 'a handover note may hold at most 1,000 characters')
  .optional();

/** Inside one conversation: transcript, messages, consult, monitor, transfer, end, wrap-up … */
export function conversationRoutes(desk: AgentDesk, now: () => number = Date.now): ApiRoute[] {
  const c = desk.conversation;
  // Per process: behind several instances the customer may get one per instance, still few.
  const lastTyping = new Map<string, number>();
  const typing = async (agentId: string, conversationId: string, signedIn?: Agent) => {
    const key = `${agentId} ${conversationId}`;
    const at = now();
    if (at - (lastTyping.get(key) ?? -Infinity) < AGENT_TYPING_EVERY_MS) return { ok: true as const };
    // Remembered only once allowed: a refusal (403) is asked again, not hidden by the throttle.
    const answer = await c.typing(agentId, conversationId, signedIn);
    lastTyping.set(key, at);
    if (lastTyping.size > 1000)
      for (const [k, t] of lastTyping) if (at - t >= AGENT_TYPING_EVERY_MS) lastTyping.delete(k);
    return answer;
  };
  return [
    defineRoute({
      method: 'get',
      path: '/conversations/:id',
      summary: 'Conversation details: work item, participants, context, sentiment history',
      params: idParams,
      response: detailsSchema,
      handler: ({ caller, params }) => c.details(caller.agentId, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/conversations/:id/messages',
      summary:
        'The transcript, public and internal, 1,000 messages a page after a message sequence number; `nextCursor` is the `after` for the next page. With `latest`, only the newest messages',
      params: idParams,
      query: z
        .object({
          after: z.coerce.number().int().min(0).optional(),
          latest: z.coerce
            .number()
            .int()
            .min(1)
            .max(1000)
            .optional()
            .describe('Only the newest this many messages (still oldest first), no `nextCursor`'),
        })
        .refine((q) => q.after === undefined || q.latest === undefined, {
          message: 'ask with `after` or `latest`, not both',
          path: ['latest'],
        }),
      response: items(messageSchema).extend({ nextCursor: z.number().int().optional() }),
      handler: ({ caller, params, query }) =>
        query.latest !== undefined
          ? c.latestMessages(caller.agentId, params.id, query.latest)
          : c.messages(caller.agentId, params.id, query.after),
    }),
    defineRoute({
      method: 'get',
      path: '/conversations/:id/files/:fileId',
      summary: 'A file the customer sent in the conversation: its bytes, under its own type, as a download',
      params: z.object({ id, fileId: id }),
      response: fileSchema,
      file: true,
      handler: ({ caller, params }) => c.file(caller.agentId, params.id, params.fileId),
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/files',
      summary:
        'Send the customer files (multipart/form-data: 1–3 `file` parts, an optional `text` part) as one public message',
      params: idParams,
      upload: true,
      body: z.object({
        files: z
          .array(z.object({ name: z.string(), type: z.string(), bytes: z.instanceof(Uint8Array) }))
          .min(1, 'send at least one file')
          .max(3, 'send at most 3 files at once'),
        text: messageText.optional(),
      }),
      status: 201,
      response: messageSchema,
      handler: ({ caller, params, body }) => c.sendFiles(caller.agentId, params.id, body),
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/messages',
      summary: 'Send a public message to the customer or an internal one to agents and supervisors',
      params: idParams,
      body: z.object({
        text: messageText.min(1, 'a message needs some text'),
        visibility: z.enum(['public', 'internal']),
      }),
      // Optional: a client that cannot tell whether a send was stored (no answer, a 502/503/504)
      // sends it again under the same key and gets the first message back, stored and sent once.
      headers: z.object({
        'idempotency-key': z
          .string()
          .min(1)
          .max(128)
          .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
          .optional(),
      }),
      status: 201,
      response: messageSchema,
      handler: ({ caller, params, body, headers }) =>
        c.post(
          caller.agentId,
          params.id,
          body.text,
          body.visibility,
          headers['idempotency-key'],
          caller.agent,
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/typing',
      summary: 'Show the customer that I am typing (relayed at most once every 3 s per conversation)',
      params: idParams,
      response: okSchema,
      handler: ({ caller, params }) => typing(caller.agentId, params.id, caller.agent),
    }),
    defineRoute({
      method: 'get',
      path: '/conversations/:id/candidates',
      summary:
        'Whom I could consult, transfer to or assign the conversation to, each with whether the server would accept it and why not',
      params: idParams,
      query: z.object({
        for: z.enum(['consult', 'transfer', 'assign']),
        q: z.string().trim().max(500).optional(),
      }),
      response: items(candidateSchema),
      handler: async ({ caller, params, query }) => ({
        items: await c.candidates(caller.agentId, params.id, query.for, query.q),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/consult',
      summary: 'Bring in an agent or supervisor as consult (they write internally)',
      params: idParams,
      body: z.object({ agentId: id }),
      response: detailsSchema,
      handler: ({ caller, params, body }) => c.consult(caller.agentId, params.id, body.agentId),
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/leave',
      summary: 'A consultant or monitor leaves the conversation',
      params: idParams,
      response: okSchema,
      handler: ({ caller, params }) => c.leave(caller.agentId, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/consults/:agentId/end',
      summary:
        "The conversation's agent (or a supervisor of its queue) ends a colleague's consult, or withdraws the ask",
      params: z.object({ id, agentId: id }),
      response: detailsSchema,
      handler: ({ caller, params }) => c.endConsult(caller.agentId, params.id, params.agentId),
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/monitor',
      summary: 'A supervisor joins silently',
      roles: ['supervisor', 'admin'],
      params: idParams,
      response: detailsSchema,
      handler: ({ caller, params }) => c.monitor(caller.agentId, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/transfer',
      summary: 'Transfer to an agent or a queue of the same work stream (the customer is told)',
      params: idParams,
      body: z.union([
        z.object({ toAgentId: id, note: handoverNote }).strict(),
        z.object({ toQueueId: id, note: handoverNote }).strict(),
      ]),
      response: workItemSchema,
      handler: ({ caller, params, body }) => {
        const { note, ...target } = body;
        return c.transfer(caller.agentId, params.id, target, note);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/assign',
      summary: 'A supervisor assigns a waiting item or moves an active one to an agent',
      roles: ['supervisor', 'admin'],
      params: idParams,
      body: z.object({ agentId: id }),
      response: workItemSchema,
      handler: ({ caller, params, body }) => c.assign(caller.agentId, params.id, body.agentId),
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/end',
      summary: 'End the conversation with the customer; it goes to wrap-up',
      params: idParams,
      response: workItemSchema,
      handler: ({ caller, params }) => c.end(caller.agentId, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/wrap-up',
      summary: 'Finish wrap-up with a disposition; the conversation closes',
      params: idParams,
      body: z.object({ disposition: shownText(200, 'a wrap-up needs a disposition') }),
      response: workItemSchema,
      handler: ({ caller, params, body }) => c.wrapUp(caller.agentId, params.id, body.disposition),
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/force-close',
      summary: 'A supervisor closes a conversation of their queue',
      roles: ['supervisor', 'admin'],
      params: idParams,
      body: z.object({ reason: z.string().max(500).optional() }),
      response: workItemSchema,
      handler: ({ caller, params, body }) => c.forceClose(caller.agentId, params.id, body.reason),
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/focus',
      summary: 'My session gained or lost focus (session active time)',
      params: idParams,
      body: z.object({ focused: z.boolean() }),
      response: z.object({ ok: z.literal(true), focused: z.boolean() }),
      handler: ({ caller, params, body }) => c.focus(caller.agentId, params.id, body.focused),
    }),
  ];
}
