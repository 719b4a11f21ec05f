import type { z } from 'zod';
import {
  agentPatchInput,
  articlePatchInput,
  macroPatchInput,
  newAgentInput,
  newArticleInput,
  newMacroInput,
  newQueueInput,
  newQuickReplyInput,
  newScriptInput,
  newWorkstreamInput,
  queuePatchInput,
  quickReplyPatchInput,
  scriptPatchInput,
  workstreamPatchInput,
  type Actor,
  type Administration,
  type Catalogue,
  type Removable,
} from '../../administration/index.js';
import type { Role } from '../../domain/index.js';
import {
  agentSchema,
  agentScriptSchema,
  knowledgeArticleSchema,
  macroSchema,
  queueSchema,
  quickReplySchema,
  workstreamSchema,
} from '../../domain/schemas.js';
import { idParams, items, okSchema } from './agent-schemas.js';
import { defineRoute, type ApiRoute, type Caller } from './route-definition.js';

// Setting the contact center up (docs/agent-api.md, "Administration"): one list, create and update
// per kind of record, and a delete for the agents' catalogue. Thin: the input schemas and every
// rule are services/administration's.

const ADMIN: Role[] = ['admin'];
/** Supervisors may see who and what is configured; only administrators change it. */
const READERS: Role[] = ['supervisor', 'admin'];

const actor = (caller: Caller): Actor => ({ agentId: caller.agentId, name: caller.name });

/** An agent as administrators see it: without the Teams channel reference kept for proactive sends. */
const agentView = agentSchema.omit({ teamsConversationRef: true });

interface Kind {
  /** The path under /admin, plural. */
  path: string;
  /** Singular words for summaries. */
  noun: string;
  view: z.ZodType;
  create: z.ZodType;
  patch: z.ZodType;
  readers: Role[];
  /** What a write of this kind also does, for its summaries. */
  note?: string;
  /** Said in the list's summary. */
  aside?: string;
}

function routesOf(kind: Kind, service: Catalogue<unknown, never, never> & Partial<Removable>): ApiRoute[] {
  const a = /^[aeiou]/.test(kind.noun) ? `an ${kind.noun}` : `a ${kind.noun}`;
  const routes = [
    defineRoute({
      method: 'get',
      path: `/admin/${kind.path}`,
      summary: `Every ${kind.noun} (administrators${kind.readers.includes('supervisor') ? ' and supervisors' : ''})${kind.aside ?? ''}`,
      roles: kind.readers,
      response: items(kind.view),
      handler: async () => ({ items: await service.list() }),
    }),
    defineRoute({
      method: 'post',
      path: `/admin/${kind.path}`,
      summary: `Create ${a}${kind.note ?? ''}`,
      roles: ADMIN,
      body: kind.create,
      response: kind.view,
      status: 201,
      handler: ({ caller, body }) => service.create(actor(caller), body as never),
    }),
    defineRoute({
      method: 'put',
      path: `/admin/${kind.path}/:id`,
      summary: `Change ${a}: the fields sent, the others kept${kind.note ?? ''}`,
      roles: ADMIN,
      params: idParams,
      body: kind.patch,
      response: kind.view,
      handler: ({ caller, params, body }) => service.update(actor(caller), params.id, body as never),
    }),
  ];
  const { remove } = service;
  if (remove) {
    routes.push(
      defineRoute({
        method: 'delete',
        path: `/admin/${kind.path}/:id`,
        summary: `Delete ${a} (409 while a macro or script uses it, naming them)`,
        roles: ADMIN,
        params: idParams,
        response: okSchema,
        handler: async ({ caller, params }) => {
          await remove(actor(caller), params.id);
          return { ok: true as const };
        },
      }),
    );
  }
  return routes;
}

const ROUTING = '; routing uses it at once';

export function adminRoutes(admin: Administration): ApiRoute[] {
  const as = <T, N, P>(c: Catalogue<T, N, P>) => c as unknown as Catalogue<unknown, never, never>;
  return [
    ...routesOf(
      {
        path: 'agents',
        noun: 'agent',
        aside: '; agents are never deleted, as they own their history',
        view: agentView,
        create: newAgentInput,
        patch: agentPatchInput,
        readers: READERS,
        note: ROUTING,
      },
      as(admin.agents),
    ),
    ...routesOf(
      {
        path: 'queues',
        noun: 'queue',
        view: queueSchema,
        create: newQueueInput,
        patch: queuePatchInput,
        readers: READERS,
        note: ROUTING,
      },
      as(admin.queues),
    ),
    ...routesOf(
      {
        path: 'workstreams',
        noun: 'work stream',
        view: workstreamSchema,
        create: newWorkstreamInput,
        patch: workstreamPatchInput,
        readers: READERS,
        note: ROUTING,
      },
      as(admin.workstreams),
    ),
    ...routesOf(
      {
        path: 'knowledge-articles',
        noun: 'knowledge article',
        view: knowledgeArticleSchema,
        create: newArticleInput,
        patch: articlePatchInput,
        readers: ADMIN,
      },
      as(admin.articles),
    ),
    ...routesOf(
      {
        path: 'quick-replies',
        noun: 'quick reply',
        view: quickReplySchema,
        create: newQuickReplyInput,
        patch: quickReplyPatchInput,
        readers: ADMIN,
      },
      as(admin.quickReplies),
    ),
    ...routesOf(
      {
        path: 'macros',
        noun: 'macro',
        view: macroSchema,
        create: newMacroInput,
        patch: macroPatchInput,
        readers: ADMIN,
      },
      as(admin.macros),
    ),
    ...routesOf(
      {
        path: 'agent-scripts',
        noun: 'agent script',
        view: agentScriptSchema,
        create: newScriptInput,
        patch: scriptPatchInput,
        readers: ADMIN,
      },
      as(admin.scripts),
    ),
  ];
}
