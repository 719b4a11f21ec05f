import {
  canSupervise,
  canWrite,
  isDomainError,
  type Agent,
  type Case,
  type CasePriority,
  type CaseType,
  type Conversation,
  type MacroAction,
  type Viewer,
} from '../domain/index.js';
import { safeKey } from '../domain/schemas.js';
import type { CaseService } from './cases.js';
import { changeConversation } from './conversation-writes.js';
import type { KnowledgeResult, KnowledgeService } from './knowledge.js';
import type { Actor, WorkspacePorts } from './ports.js';
import type { ScriptService } from './scripts.js';
import { loadSlotValues } from './slot-context.js';
import { fillSlots } from './slots.js';
import { assertNotEnded, type WorkspaceAccess } from './workspace-access.js';

/**
 * What one action did. `done`: it happened; `skipped`: nothing needed doing (or an earlier action
 * failed, and later actions may depend on it); `failed`: it could not, with the reason.
 */
export type ActionOutcome = 'done' | 'skipped' | 'failed';

export type MacroResult = { action: MacroAction['type']; outcome: ActionOutcome; message: string } & (
  | { action: 'create-case'; case?: Pick<Case, 'id' | 'number' | 'title'> }
  | { action: 'open-kb-search'; query?: string; articles?: KnowledgeResult[] }
  | { action: 'draft-email'; draft?: EmailDraft }
  | { action: 'send-quick-reply'; messageId?: string; text?: string; unfilled?: string[] }
  | { action: 'set-field'; field?: string; value?: string }
);

export interface EmailDraft {
  to: string;
  subject: string;
  body: string;
  /** Opens the draft in the agent's mail client. */
  mailto: string;
  /** Slots the draft could not fill; the agent completes them before sending. */
  unfilled: string[];
}

const CASE_FIELDS = {
  priority: ['low', 'normal', 'high', 'urgent'],
  caseType: ['question', 'problem', 'request'],
  status: ['active', 'resolved', 'cancelled'],
} as const;
const FREE_CASE_FIELDS = ['title', 'subject', 'product', 'description'] as const;

class ActionFailed extends Error {}

/**
 * Runs a macro's actions in order against one conversation, each doing its real thing: a case is
 * opened and linked, the knowledge base searched, an e-mail drafted from the conversation, a quick
 * reply sent to the customer, a field set. A failed action stops the macro (later actions may
 * depend on it, e.g. a quick reply quoting `{caseNumber}`); every action reports its outcome.
 */
export function createMacros(
  ports: WorkspacePorts,
  access: WorkspaceAccess,
  parts: { cases: CaseService; knowledge: KnowledgeService; scripts: ScriptService },
) {
  const { repos, conversations } = ports;

  async function reload(id: string): Promise<Conversation> {
    return repos.conversations.require(id);
  }

  async function setField(c: Conversation, field: string, value: string): Promise<string> {
    if (field === 'disposition') {
      await changeConversation(repos, c.id, () => ({ disposition: value }));
      return `Disposition set to "${value}"`;
    }
    if (field.startsWith('context.')) {
      const key = field.slice('context.'.length);
      if (!safeKey.safeParse(key).success)
        throw new ActionFailed(`"${key}" cannot be a context variable name`);
      await changeConversation(repos, c.id, (now) => ({
        context: { ...now.context, custom: { ...now.context.custom, [key]: value } },
      }));
      return `Context variable ${key} set to "${value}"`;
    }
    if (field.startsWith('case.')) {
      const name = field.slice('case.'.length);
      if (!c.caseId) throw new ActionFailed(`The conversation has no case to set ${name} on`);
      if (name in CASE_FIELDS) {
        const allowed = CASE_FIELDS[name as keyof typeof CASE_FIELDS] as readonly string[];
        if (!allowed.includes(value))
          throw new ActionFailed(`Case ${name} must be one of ${allowed.join(', ')}`);
        const patch =
          name === 'priority'
            ? { priority: value as CasePriority }
            : name === 'caseType'
              ? { caseType: value as CaseType }
              : { status: value as Case['status'] };
        await repos.cases.update(c.caseId, patch);
      } else if ((FREE_CASE_FIELDS as readonly string[]).includes(name)) {
        await repos.cases.update(c.caseId, { [name]: value });
      } else {
        throw new ActionFailed(`Cases have no field "${name}"`);
      }
      return `Case ${name} set to "${value}"`;
    }
    throw new ActionFailed(
      `Unknown field "${field}" (macros can set disposition, context.<name> and case.<field>)`,
    );
  }

  async function runAction(
    action: MacroAction,
    conversationId: string,
    agent: Agent,
    viewer: Viewer,
  ): Promise<MacroResult> {
    // Each action sees what the previous ones did (a case just opened fills {caseNumber}).
    const c = await reload(conversationId);
    switch (action.type) {
      case 'create-case': {
        const { case: k, created } = await parts.cases.openForMacro(c, action, agent.id);
        const summary = { id: k.id, number: k.number, title: k.title };
        return created
          ? { action: action.type, outcome: 'done', message: `Opened case ${k.number}`, case: summary }
          : {
              action: action.type,
              outcome: 'skipped',
              message: `The conversation already has case ${k.number}`,
              case: summary,
            };
      }
      case 'open-kb-search': {
        const query = fillSlots(action.query, await loadSlotValues(repos, c, agent)).text;
        const articles = query.trim() ? await parts.knowledge.search(query) : [];
        return {
          action: action.type,
          outcome: 'done',
          message: `${articles.length} article${articles.length === 1 ? '' : 's'} for "${query}"`,
          query,
          articles,
        };
      }
      case 'draft-email': {
        const values = await loadSlotValues(repos, c, agent);
        const to = fillSlots(action.to, values);
        const subject = fillSlots(action.subject, values);
        const body = fillSlots(action.body, values);
        const unfilled = [...new Set([...to.unfilled, ...subject.unfilled, ...body.unfilled])];
        const mailto =
          `mailto:${to.unfilled.length ? '' : encodeURIComponent(to.text)}` +
          `?subject=${encodeURIComponent(subject.text)}&body=${encodeURIComponent(body.text)}`;
        return {
          action: action.type,
          outcome: 'done',
          message: unfilled.length
            ? `E-mail drafted; fill in ${unfilled.map((u) => `{${u}}`).join(', ')} before sending`
            : `E-mail drafted to ${to.text}`,
          draft: { to: to.text, subject: subject.text, body: body.text, mailto, unfilled },
        };
      }
      case 'send-quick-reply': {
        const reply = await repos.quickReplies.get(action.quickReplyId);
        if (!reply) throw new ActionFailed(`Quick reply ${action.quickReplyId} no longer exists`);
        if (!canWrite(viewer, c, 'public')) {
          throw new ActionFailed('Only the conversation’s agent can write to the customer');
        }
        const filled = fillSlots(reply.text, await loadSlotValues(repos, c, agent));
        // A reply with a visible {slot} would reach the customer as is: the agent sends it by hand.
        if (filled.unfilled.length > 0) {
          throw new ActionFailed(
            `Quick reply "${reply.title}" needs ${filled.unfilled.map((u) => `{${u}}`).join(', ')}; send it by hand`,
          );
        }
        const message = await conversations.postAgentMessage(c.id, agent.id, filled.text, 'public');
        return {
          action: action.type,
          outcome: 'done',
          message: `Sent "${reply.title}" to the customer`,
          messageId: message.id,
          text: filled.text,
          unfilled: [],
        };
      }
      case 'set-field':
        // The disposition and the case's fields are the agent's to decide (their wrap-up starts from
        // them), or their supervisor's: not a colleague's asked in for advice.
        if (!canWrite(viewer, c, 'public') && !canSupervise(viewer, c)) {
          throw new ActionFailed('Only the conversation’s agent or a supervisor can set its fields');
        }
        return {
          action: action.type,
          outcome: 'done',
          message: await setField(c, action.field, action.value),
          field: action.field,
          value: action.value,
        };
    }
  }

  return {
    async run(
      actor: Actor,
      conversationId: string,
      macroId: string,
    ): Promise<{ macroId: string; results: MacroResult[] }> {
      const { agent, viewer, conversation } = await access.conversation(
        actor,
        conversationId,
        'write-internal',
        'run macros in',
      );
      assertNotEnded(conversation, 'run macros in');
      const macro = await repos.macros.require(macroId);
      const results: MacroResult[] = [];
      let failed = false;
      for (const action of macro.actions) {
        if (failed) {
          results.push({
            action: action.type,
            outcome: 'skipped',
            message: 'Not run: an earlier action failed',
          } as MacroResult);
          continue;
        }
        try {
          results.push(await runAction(action, conversationId, agent, viewer));
        } catch (err) {
          // Only expected refusals become an outcome; anything else is a bug and goes up as one.
          if (!(err instanceof ActionFailed) && !isDomainError(err)) throw err;
          failed = true;
          results.push({ action: action.type, outcome: 'failed', message: err.message } as MacroResult);
        }
      }
      if (!failed) await parts.scripts.markMacroSteps(await reload(conversationId), agent.id, macroId);
      return { macroId, results };
    },
  };
}
