import {
  ConflictError,
  ValidationError,
  type Agent,
  type AgentScript,
  type KnowledgeArticle,
  type Macro,
  type Queue,
  type QuickReply,
  type Workstream,
} from '../domain/index.js';
import type { Logger } from '../log.js';
import type { Router } from '../routing/index.js';
import type { Repositories } from '../store/index.js';
import type {
  AgentPatchInput,
  ArticlePatchInput,
  MacroPatchInput,
  NewAgentInput,
  NewArticleInput,
  NewMacroInput,
  NewQueueInput,
  NewQuickReplyInput,
  NewScriptInput,
  NewWorkstreamInput,
  QueuePatchInput,
  QuickReplyPatchInput,
  ScriptPatchInput,
  WorkstreamPatchInput,
} from './inputs.js';
import { leavesNoAdmin, referrersOf, type Referenced } from './rules.js';

/** Who makes a change: named in the audit line. */
export interface Actor {
  agentId: string;
  name: string;
}

export interface AdministrationOptions {
  repos: Pick<
    Repositories,
    'agents' | 'queues' | 'workstreams' | 'knowledgeArticles' | 'quickReplies' | 'macros' | 'agentScripts'
  >;
  /** Told of every change to agents, queues and work streams, so routing uses it at once. */
  router: Pick<Router, 'reload' | 'dispatch' | 'presence'>;
  log: Pick<Logger, 'info' | 'error'>;
}

/** Lists, creates, updates and (catalogue entries only) deletes; every write is audited. */
export interface Catalogue<T, New, Patch> {
  list(): Promise<T[]>;
  create(actor: Actor, input: New): Promise<T>;
  update(actor: Actor, id: string, patch: Patch): Promise<T>;
}

export interface Removable {
  remove(actor: Actor, id: string): Promise<void>;
}

export interface Administration {
  agents: Catalogue<Agent, NewAgentInput, AgentPatchInput>;
  queues: Catalogue<Queue, NewQueueInput, QueuePatchInput>;
  workstreams: Catalogue<Workstream, NewWorkstreamInput, WorkstreamPatchInput>;
  articles: Catalogue<KnowledgeArticle, NewArticleInput, ArticlePatchInput> & Removable;
  quickReplies: Catalogue<QuickReply, NewQuickReplyInput, QuickReplyPatchInput> & Removable;
  macros: Catalogue<Macro, NewMacroInput, MacroPatchInput> & Removable;
  scripts: Catalogue<AgentScript, NewScriptInput, ScriptPatchInput> & Removable;
}

/** Every record of a kind an administrator sees at once: configuration, not traffic. */
const ALL = { limit: 1000 };

/** JSON has no `undefined`: a `null` in a patch clears the field (the repositories unset `undefined`). */
function nullsCleared<P extends object>(patch: P): { [K in keyof P]: Exclude<P[K], null> } {
  return Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, v === null ? undefined : v])) as {
    [K in keyof P]: Exclude<P[K], null>;
  };
}

export function createAdministration({ repos, router, log }: AdministrationOptions): Administration {
  function audit(actor: Actor, action: string, entity: string, id: string, fields?: object): void {
    log.info('administration change', {
      by: actor.agentId,
      byName: actor.name,
      action,
      entity,
      id,
      ...(fields ? { fields: Object.keys(fields).sort() } : {}),
    });
  }

  /**
   * Routing keeps queues, work streams and agents in memory: it reads them again now rather than at
   * its next sweep, and offers whatever the change made possible. The change is stored either way;
   * a failed re-read is left to the sweep, which re-reads them every few seconds.
   */
  async function reroute(what: string): Promise<void> {
    try {
      await router.reload();
      await router.dispatch();
    } catch (err) {
      log.error('routing did not take an administration change at once; its next sweep will', {
        err,
        what,
      });
    }
  }

  async function assertUniqueIdentity(
    fields: { email?: string; aadObjectId?: string | null },
    self?: string,
  ): Promise<void> {
    if (fields.aadObjectId) {
      const holder = await repos.agents.getByAadObjectId(fields.aadObjectId);
      if (holder && holder.id !== self) {
        throw new ConflictError(
          'agent.duplicate_aad_object_id',
          `The Teams user ${fields.aadObjectId} is already linked to agent ${holder.id} (${holder.name})`,
        );
      }
    }
    if (fields.email) {
      // Addresses are one whatever their case (ALEX@… is Alex): a team is a few hundred people.
      const email = fields.email.toLowerCase();
      const holder = (await repos.agents.list(ALL)).find(
        (a) => a.id !== self && a.email.toLowerCase() === email,
      );
      if (holder) {
        throw new ConflictError(
          'agent.duplicate_email',
          `${fields.email} is already the e-mail of agent ${holder.id} (${holder.name})`,
        );
      }
    }
  }

  async function assertWorkstreamsExist(ids: readonly string[] | undefined): Promise<void> {
    if (!ids?.length) return;
    const found = new Set((await repos.workstreams.getMany([...new Set(ids)])).map((w) => w.id));
    const missing = ids.filter((i) => !found.has(i));
    if (missing.length > 0) {
      throw new ValidationError(
        'queue.unknown_workstream',
        `queue refers to unknown workstream ${missing.join(', ')}`,
        {
          missing,
        },
      );
    }
  }

  async function assertUnreferenced(kind: Referenced, id: string): Promise<void> {
    const [macros, scripts] = await Promise.all([
      kind === 'quick_reply' ? repos.macros.list(ALL) : Promise.resolve([]),
      kind === 'quick_reply' ? Promise.resolve([]) : repos.agentScripts.list(ALL),
    ]);
    const referrers = referrersOf(kind, id, { macros, scripts });
    if (referrers.length > 0) {
      throw new ConflictError(
        `${kind}.in_use`,
        `${kind.replace('_', ' ')} ${id} is used by ${referrers.join(', ')}: change ${referrers.length > 1 ? 'them' : 'it'} first`,
        { referrers },
      );
    }
  }

  /** The plain list / create / update / delete of a catalogue entry, audited. */
  function catalogue<T extends { id: string }, New extends object, Patch extends object>(
    entity: string,
    repo: {
      list(page: typeof ALL): Promise<T[]>;
      create(input: New): Promise<T>;
      update(id: string, patch: Patch): Promise<T>;
      require(id: string): Promise<T>;
      remove(id: string): Promise<boolean>;
    },
    referenced?: Referenced,
  ): Catalogue<T, New, Patch> & Removable {
    return {
      list: () => repo.list(ALL),
      async create(actor, input) {
        const created = await repo.create(input);
        audit(actor, 'create', entity, created.id, input);
        return created;
      },
      async update(actor, id, patch) {
        const updated = await repo.update(id, patch);
        audit(actor, 'update', entity, id, patch);
        return updated;
      },
      async remove(actor, id) {
        await repo.require(id);
        if (referenced) await assertUnreferenced(referenced, id);
        await repo.remove(id);
        audit(actor, 'delete', entity, id);
      },
    };
  }

  const agents: Administration['agents'] = {
    list: () => repos.agents.list(ALL),
    async create(actor, input) {
      await assertUniqueIdentity(input);
      let created: Agent;
      try {
        created = await repos.agents.create(input);
      } catch (e) {
        // The store's unique Teams-user index refused it: another create linked that user meanwhile.
        if (e instanceof ConflictError && e.code === 'agent.exists') await assertUniqueIdentity(input);
        throw e;
      }
      // Two creates at once with one address each saw none: looked at again, and this one goes.
      const twin = (await repos.agents.list(ALL)).find(
        (a) => a.id !== created.id && a.email.toLowerCase() === created.email.toLowerCase(),
      );
      if (twin) {
        await repos.agents.remove(created.id);
        throw new ConflictError(
          'agent.duplicate_email',
          `${input.email} is already the e-mail of agent ${twin.id} (${twin.name})`,
        );
      }
      audit(actor, 'create', 'agent', created.id, input);
      await reroute(`agent ${created.id}`);
      return created;
    },
    async update(actor, id, patch) {
      const current = await repos.agents.require(id);
      await assertUniqueIdentity(patch, id);
      if (patch.roles) {
        const admins = await repos.agents.find({ role: 'admin' }, { limit: 2 });
        if (leavesNoAdmin(current, patch.roles, admins)) {
          throw new ConflictError(
            'agent.last_admin',
            `${current.name} is the only administrator: make someone else one before taking the role away`,
          );
        }
      }
      const updated = await repos.agents.update(id, nullsCleared(patch));
      // Two demotions at once (two admins, two instances) each saw the other still an admin: looked
      // at again after the write, and this one is put back if nobody is left, so one stays.
      if (patch.roles && current.roles.includes('admin') && !patch.roles.includes('admin')) {
        const left = await repos.agents.find({ role: 'admin' }, { limit: 1 });
        if (left.length === 0) {
          await repos.agents.update(id, { roles: current.roles });
          throw new ConflictError(
            'agent.last_admin',
            `${current.name} was the last administrator when this change landed: make someone else one first`,
          );
        }
      }
      audit(actor, 'update', 'agent', id, patch);
      await reroute(`agent ${id}`);
      // More room (or a cheaper queue) can end an automatic Busy, less can start one.
      await router.presence
        .applyLoad(updated)
        .catch((err: unknown) =>
          log.error('presence not brought in line with a changed capacity', { err, agentId: id }),
        );
      return updated;
    },
  };

  const queues: Administration['queues'] = {
    list: () => repos.queues.list(ALL),
    async create(actor, input) {
      await assertWorkstreamsExist(input.workstreamIds);
      const created = await repos.queues.create(input);
      audit(actor, 'create', 'queue', created.id, input);
      await reroute(`queue ${created.id}`);
      return created;
    },
    async update(actor, id, patch) {
      await repos.queues.require(id);
      await assertWorkstreamsExist(patch.workstreamIds);
      const updated = await repos.queues.update(id, nullsCleared(patch));
      audit(actor, 'update', 'queue', id, patch);
      await reroute(`queue ${id}`);
      return updated;
    },
  };

  const workstreams: Administration['workstreams'] = {
    list: () => repos.workstreams.list(ALL),
    async create(actor, input) {
      const created = await repos.workstreams.create(input);
      audit(actor, 'create', 'workstream', created.id, input);
      await reroute(`workstream ${created.id}`);
      return created;
    },
    async update(actor, id, patch) {
      const updated = await repos.workstreams.update(id, patch);
      audit(actor, 'update', 'workstream', id, patch);
      await reroute(`workstream ${id}`);
      return updated;
    },
  };

  return {
    agents,
    queues,
    workstreams,
    articles: catalogue('knowledge_article', repos.knowledgeArticles),
    quickReplies: catalogue('quick_reply', repos.quickReplies, 'quick_reply'),
    macros: catalogue('macro', repos.macros, 'macro'),
    scripts: catalogue('agent_script', repos.agentScripts, 'agent_script'),
  };
}
