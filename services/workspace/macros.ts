import {
  canSupervise,
  canWrite,
  isDomainError,
  type Agent,
  type Case,
  type Conversation,
  type MacroAction,
  type Viewer,
} from '../domain/index.js';
import { safeKey } from '../domain/schemas.js';
import type { CaseChanges, CaseService } from './cases.js';
import { changeConversation } from './conversation-writes.js';
import type { KnowledgeResult, KnowledgeService } from './knowledge.js';
import type { Actor, WorkspacePorts } from './ports.js';
import type { ScriptService } from './scripts.js';
import { loadSlotValues } from './slot-context.js';
import { fillSlots, type SlotValues } from './slots.js';
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

/** The case fields a macro sets as the agent edits them (`PUT /cases/:id`), with their choices. */
const CASE_EDITS: Readonly<Record<string, readonly string[] | 'text'>> = {
  title: 'text',
  description: 'text',
  product: 'text',
  priority: ['low', 'normal', 'high', 'urgent'],
  caseType: ['question', 'problem', 'request'],
};
const CASE_FIELD_NAMES = [...Object.keys(CASE_EDITS), 'status', 'resolution', 'cancelReason'];

/** The slots that quote the conversation's case. */
const CASE_SLOTS = ['caseNumber', 'caseTitle'] as const;

/** What the macro has done so far that its later actions must know. */
interface RunState {
  /**
   * The case the conversation already had when the macro's create-case opened none. Later actions
   * are about the case the macro opens, so they may neither quote this one nor change it.
   */
  notOpened?: Pick<Case, 'number'>;
}

class ActionFailed extends Error {}

/**
 * Runs a macro's actions in order against one conversation, each doing its real thing: a case is
 * opened and linked, the knowledge base searched, an e-mail drafted from the conversation, a quick
 * reply sent to the customer, a field set. A failed action stops the macro (later actions may
 * depend on it, e.g. a quick reply quoting `{caseNumber}`); every action reports its outcome. A
 * create-case that finds the conversation's case already there opens none, and the actions after it
 * neither quote nor change that other case: the customer is never told of a case opened that wasn't.
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

  /**
   * Sets a case field exactly as the agent would by hand: an edit, a resolve with its resolution, a
   * cancel with its reason, a reactivate, each checked by the case's rules and recorded in its
   * history under the agent's name. A status needing words the macro does not give is refused.
   */
  async function setCaseField(actor: Actor, caseId: string, name: string, value: string): Promise<string> {
    const current = await repos.cases.require(caseId);
    const edit = CASE_EDITS[name];
    if (edit !== undefined) {
      if (edit !== 'text' && !edit.includes(value))
        throw new ActionFailed(`Case ${name} must be one of ${edit.join(', ')}`);
      const changes: CaseChanges =
        name === 'caseType' ? { type: value as Case['caseType'] } : { [name]: value };
      const edited = await parts.cases.edit(actor, caseId, changes);
      return `Case ${edited.number} ${name} set to "${String(edited[name as keyof Case])}"`;
    }
    if (name === 'resolution') {
      await parts.cases.resolve(actor, caseId, value);
      return `Case ${current.number} resolved: ${value}`;
    }
    if (name === 'cancelReason') {
      await parts.cases.cancel(actor, caseId, value);
      return `Case ${current.number} cancelled: ${value}`;
    }
    if (name === 'status') {
      if (current.status === value) return `Case ${current.number} is already ${value}`;
      if (value === 'active') {
        await parts.cases.reactivate(actor, caseId);
        return `Case ${current.number} reactivated`;
      }
      if (value === 'resolved' || value === 'cancelled') {
        const instead =
          value === 'resolved' ? 'case.resolution to how it was resolved' : 'case.cancelReason to why';
        throw new ActionFailed(
          `Case ${current.number} was not ${value}: a case is ${value} with ${value === 'resolved' ? 'a resolution' : 'a reason'}, and this macro gives none (set ${instead})`,
        );
      }
      throw new ActionFailed('Case status must be one of active, resolved, cancelled');
    }
    throw new ActionFailed(`Macros cannot set case ${name} (they can set ${CASE_FIELD_NAMES.join(', ')})`);
  }

  async function setField(
    actor: Actor,
    c: Conversation,
    field: string,
    value: string,
    state: RunState,
  ): Promise<string> {
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
      if (state.notOpened) {
        throw new ActionFailed(
          `This macro opened no case (the conversation already has case ${state.notOpened.number}), so its case ${name} is not set`,
        );
      }
      if (!c.caseId) throw new ActionFailed(`The conversation has no case to set ${name} on`);
      return setCaseField(actor, c.caseId, name, value);
    }
    throw new ActionFailed(
      `Unknown field "${field}" (macros can set disposition, context.<name> and case.<field>)`,
    );
  }

  /** The conversation's slot values, without its case when the macro did not open it. */
  async function slotValuesFor(c: Conversation, agent: Agent, state: RunState): Promise<SlotValues> {
    const values = await loadSlotValues(repos, c, agent);
    if (state.notOpened) for (const slot of CASE_SLOTS) values[slot] = undefined;
    return values;
  }

  async function runAction(
    action: MacroAction,
    conversationId: string,
    who: { actor: Actor; agent: Agent; viewer: Viewer },
    state: RunState,
  ): Promise<MacroResult> {
    const { actor, agent, viewer } = who;
    // Each action sees what the previous ones did (a case just opened fills {caseNumber}).
    const c = await reload(conversationId);
    switch (action.type) {
      case 'create-case': {
        const { case: k, created } = await parts.cases.openForMacro(c, action, agent.id);
        const summary = { id: k.id, number: k.number, title: k.title };
        if (created)
          return { action: action.type, outcome: 'done', message: `Opened case ${k.number}`, case: summary };
        state.notOpened = k;
        return {
          action: action.type,
          outcome: 'skipped',
          message: `The conversation already has case ${k.number}: no case opened`,
          case: summary,
        };
      }
      case 'open-kb-search': {
        const query = fillSlots(action.query, await slotValuesFor(c, agent, state)).text;
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
        const values = await slotValuesFor(c, agent, state);
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
        const filled = fillSlots(reply.text, await slotValuesFor(c, agent, state));
        // A reply with a visible {slot} would reach the customer as is: the agent sends it by hand.
        if (filled.unfilled.length > 0) {
          const needs = filled.unfilled.map((u) => `{${u}}`).join(', ');
          // The case it would quote is not the one this macro opens: telling the customer "I have
          // opened case …" with it would be false.
          const why =
            state.notOpened &&
            fillSlots(reply.text, await loadSlotValues(repos, c, agent)).unfilled.length <
              filled.unfilled.length
              ? `, and this macro opened no case (the conversation already has case ${state.notOpened.number})`
              : '';
          throw new ActionFailed(`Quick reply "${reply.title}" needs ${needs}${why}; send it by hand`);
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
          message: await setField(actor, c, action.field, action.value, state),
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
      const state: RunState = {};
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
          results.push(await runAction(action, conversationId, { actor, agent, viewer }, state));
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
