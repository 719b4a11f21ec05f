import { indexTerm, tokenizeForSearch } from '../knowledge/index.js';
import { NotFoundError, type AgentScript, type Conversation, type ScriptStep } from '../domain/index.js';
import { stepKey, type ScriptProgress } from '../store/index.js';
import type { Actor, WorkspacePorts } from './ports.js';
import type { WorkspaceAccess } from './workspace-access.js';

export type StepView = ScriptStep & { done: boolean; doneAt?: Date; doneBy?: string };

export interface ScriptView {
  /** Null when no agent script is configured for the conversation's work stream. */
  script: { id: string; name: string; steps: StepView[] } | null;
  /** The conversation's own script (nested scripts are loaded by id from its steps). */
  mainScriptId: string | null;
  /** Every script of the work stream, for switching by hand. */
  available: Array<{ id: string; name: string }>;
}

function stems(text: string): Set<string> {
  const out = new Set<string>();
  for (const t of tokenizeForSearch(text)) for (const term of indexTerm(t) ?? []) out.add(term);
  return out;
}

/**
 * The script that fits a conversation best. Scripts made for the conversation's queue come first
 * (`queueIds`); a script made for other queues only is never chosen; scripts for any queue are the
 * fallback. Among those, the one whose name and steps share the most words with what routing
 * learnt (required skills, queue) and the pre-chat answers wins; the name counts double. Ties keep
 * the configured order, so a work stream with one script always gets it.
 */
export function chooseScript(
  scripts: readonly AgentScript[],
  signals: readonly string[],
  queueId?: string,
): AgentScript | undefined {
  const forQueue = scripts.filter((s) => queueId !== undefined && s.queueIds?.includes(queueId));
  const pool = forQueue.length > 0 ? forQueue : scripts.filter((s) => !s.queueIds?.length);
  const wanted = stems(signals.join(' '));
  let best: { script: AgentScript; score: number } | undefined;
  for (const script of pool) {
    let score = 0;
    for (const s of stems(script.name)) if (wanted.has(s)) score += 2;
    const body = script.steps.map((st) => (st.kind === 'text' ? st.text : st.label)).join(' ');
    for (const s of stems(body)) if (wanted.has(s)) score += 1;
    if (!best || score > best.score) best = { script, score };
  }
  return best?.script;
}

/** Agent scripts per conversation: which one applies, its steps with what is done, nested ones. */
/** Pre-chat answers that say who the customer is, not what they want: a Bill is no billing dispute. */
const CONTACT_ANSWERS = new Set(['name', 'email', 'phone']);

export function createScripts({ repos }: WorkspacePorts, access: WorkspaceAccess) {
  async function signalsOf(c: Conversation): Promise<string[]> {
    const queue = c.queueId ? await repos.queues.get(c.queueId) : null;
    const answers = Object.entries(c.context.preChat).filter(([question]) => !CONTACT_ANSWERS.has(question));
    return [...c.requiredSkills, queue?.name ?? '', ...answers.map(([, answer]) => answer)];
  }

  /** The work stream's scripts and every script nested in them (what this conversation may load). */
  async function reachable(
    c: Conversation,
  ): Promise<{ roots: AgentScript[]; all: Map<string, AgentScript> }> {
    const roots = await repos.agentScripts.forWorkstream(c.workstreamId);
    const all = new Map(roots.map((s) => [s.id, s]));
    let frontier = roots;
    // Nested scripts may nest again (or loop back); each is loaded once.
    while (frontier.length > 0) {
      const ids = [
        ...new Set(
          frontier.flatMap((s) => s.steps.flatMap((st) => (st.kind === 'script' ? [st.scriptId] : []))),
        ),
      ].filter((id) => !all.has(id));
      frontier = await repos.agentScripts.getMany(ids);
      for (const s of frontier) all.set(s.id, s);
    }
    return { roots, all };
  }

  async function mainScript(
    c: Conversation,
    roots: AgentScript[],
  ): Promise<{ id: string | null; progress: ScriptProgress | null }> {
    const progress = await repos.scriptProgress.get(c.id);
    if (progress?.scriptId && roots.some((s) => s.id === progress.scriptId))
      return { id: progress.scriptId, progress };
    const chosen = chooseScript(roots, await signalsOf(c), c.queueId);
    if (!chosen) return { id: null, progress };
    const kept = await repos.scriptProgress.chooseScript(c.id, chosen.id);
    return { id: kept.scriptId ?? chosen.id, progress: kept };
  }

  function render(script: AgentScript, progress: ScriptProgress | null): NonNullable<ScriptView['script']> {
    // Done is what `done` holds; the log says who ticked it last (a step unticked and ticked again).
    const done = new Set(progress?.done ?? []);
    const log = new Map(
      (progress?.log ?? []).filter((d) => !d.undone).map((d) => [stepKey(d.scriptId, d.stepId), d]),
    );
    return {
      id: script.id,
      name: script.name,
      steps: script.steps.map((step) => {
        const key = stepKey(script.id, step.id);
        const last = log.get(key);
        return done.has(key)
          ? { ...step, done: true, ...(last ? { doneAt: last.at, doneBy: last.agentId } : {}) }
          : { ...step, done: false };
      }),
    };
  }

  async function load(
    c: Conversation,
    scriptId?: string,
  ): Promise<ScriptView & { all: Map<string, AgentScript> }> {
    const { roots, all } = await reachable(c);
    const main = await mainScript(c, roots);
    const available = roots.map((s) => ({ id: s.id, name: s.name }));
    const wanted = scriptId ?? main.id;
    if (wanted === null) return { script: null, mainScriptId: null, available, all };
    const script = all.get(wanted);
    if (!script) {
      throw new NotFoundError(
        'script.not_found',
        `Agent script ${wanted} is not one of conversation ${c.id}'s work stream (or nested in one)`,
      );
    }
    const progress = await repos.scriptProgress.get(c.id);
    return { script: render(script, progress), mainScriptId: main.id, available, all };
  }

  /** Marks done every step that runs `macroId` in the conversation's scripts (the macro just ran). */
  async function markMacroSteps(c: Conversation, agentId: string, macroId: string): Promise<void> {
    const { all } = await reachable(c);
    for (const script of all.values()) {
      for (const step of script.steps) {
        if (step.kind === 'macro' && step.macroId === macroId) {
          await repos.scriptProgress.markDone(c.id, { scriptId: script.id, stepId: step.id, agentId });
        }
      }
    }
  }

  return {
    markMacroSteps,

    async forConversation(actor: Actor, conversationId: string, scriptId?: string): Promise<ScriptView> {
      const { conversation } = await access.conversation(actor, conversationId, 'read', 'read the script of');
      const { all: _all, ...view } = await load(conversation, scriptId);
      return view;
    },

    /**
     * Marks a step done. Step ids are unique within a script; without `scriptId` the step is looked
     * for in the conversation's main script and then in its nested scripts.
     */
    async markDone(
      actor: Actor,
      conversationId: string,
      stepId: string,
      scriptId?: string,
    ): Promise<ScriptView> {
      return mark(actor, conversationId, stepId, scriptId, true);
    },

    /** Unticks a step marked done by mistake (found as `markDone` finds it). */
    async markUndone(
      actor: Actor,
      conversationId: string,
      stepId: string,
      scriptId?: string,
    ): Promise<ScriptView> {
      return mark(actor, conversationId, stepId, scriptId, false);
    },
  };

  async function mark(
    actor: Actor,
    conversationId: string,
    stepId: string,
    scriptId: string | undefined,
    done: boolean,
  ): Promise<ScriptView> {
    const { conversation } = await access.conversation(
      actor,
      conversationId,
      'write-internal',
      'work the script of',
    );
    const current = await load(conversation, scriptId);
    const candidates = scriptId
      ? [current.all.get(scriptId)]
      : [current.script ? current.all.get(current.script.id) : undefined, ...current.all.values()];
    const owner = candidates.find((s) => s?.steps.some((st) => st.id === stepId));
    if (!owner) {
      if (current.script === null) {
        throw new NotFoundError('script.none', 'This conversation has no agent script', { conversationId });
      }
      throw new NotFoundError(
        'script.step_not_found',
        `No step ${stepId} in the conversation's agent scripts`,
      );
    }
    const step = { scriptId: owner.id, stepId, agentId: actor.agentId };
    if (done) await repos.scriptProgress.markDone(conversation.id, step);
    else await repos.scriptProgress.markUndone(conversation.id, step);
    const { all: _all, ...view } = await load(conversation, owner.id);
    return view;
  }
}

export type ScriptService = ReturnType<typeof createScripts>;
