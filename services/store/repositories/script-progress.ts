import type { Deps } from '../../domain/deps.js';
import { id as idSchema } from '../../domain/schemas.js';
import type { Collection } from '../port.js';
import { parseEntity } from './support.js';

/** One step an agent marked done in a conversation's agent script. */
export interface StepDone {
  scriptId: string;
  stepId: string;
  agentId: string;
  at: Date;
  /** The step was unticked (a tick by mistake): the log keeps both, `done` no longer has it. */
  undone?: boolean;
}

/**
 * How far the agents of one conversation got through its agent scripts: which script the
 * conversation was given (kept, so the script does not change under the agent as the conversation
 * moves on) and the steps done, in the order they were done.
 */
export interface ScriptProgress {
  /** The conversation's id: one document per conversation. */
  id: string;
  scriptId?: string;
  /** `scriptId/stepId` of every step done; the set the conditional writes test against. */
  done: string[];
  log: StepDone[];
  updatedAt: Date;
}

export function stepKey(scriptId: string, stepId: string): string {
  return `${scriptId}/${stepId}`;
}

export class ScriptProgressRecords {
  constructor(
    private readonly collection: Collection<ScriptProgress>,
    private readonly deps: Deps,
  ) {}

  async get(conversationId: string): Promise<ScriptProgress | null> {
    return this.collection.findOne({ id: conversationId });
  }

  /**
   * The script the conversation follows: the first caller's choice wins and later ones get it back,
   * so two agents opening the same conversation see one script.
   */
  async chooseScript(conversationId: string, scriptId: string): Promise<ScriptProgress> {
    parseEntity(idSchema, scriptId, 'script_progress');
    const doc = await this.ensure(conversationId);
    if (doc.scriptId) return doc;
    const chosen = await this.collection.findOneAndUpdate(
      { id: conversationId, scriptId: { $exists: false } },
      { $set: { scriptId, updatedAt: this.deps.now() } },
    );
    return chosen ?? ((await this.get(conversationId)) as ScriptProgress);
  }

  /** Marks a step done; `added` is false when it already was (the first time and agent are kept). */
  async markDone(
    conversationId: string,
    step: Omit<StepDone, 'at'>,
  ): Promise<{ progress: ScriptProgress; added: boolean }> {
    for (const v of [step.scriptId, step.stepId, step.agentId]) parseEntity(idSchema, v, 'script_progress');
    await this.ensure(conversationId);
    const key = stepKey(step.scriptId, step.stepId);
    const at = this.deps.now();
    // One conditional write: the step is added and logged together, or not at all when it is there.
    const updated = await this.collection.findOneAndUpdate(
      { id: conversationId, done: { $nin: [key] } },
      { $push: { done: key, log: { ...step, at } }, $set: { updatedAt: at } },
    );
    if (updated) return { progress: updated, added: true };
    return { progress: (await this.get(conversationId)) as ScriptProgress, added: false };
  }

  /** Unticks a step; `removed` is false when it was not done. The log keeps who unticked it, when. */
  async markUndone(
    conversationId: string,
    step: Omit<StepDone, 'at' | 'undone'>,
  ): Promise<{ progress: ScriptProgress; removed: boolean }> {
    for (const v of [step.scriptId, step.stepId, step.agentId]) parseEntity(idSchema, v, 'script_progress');
    await this.ensure(conversationId);
    const key = stepKey(step.scriptId, step.stepId);
    const at = this.deps.now();
    const updated = await this.collection.findOneAndUpdate(
      { id: conversationId, done: { $in: [key] } },
      { $pull: { done: key }, $push: { log: { ...step, at, undone: true } }, $set: { updatedAt: at } },
    );
    if (updated) return { progress: updated, removed: true };
    return { progress: (await this.get(conversationId)) as ScriptProgress, removed: false };
  }

  private async ensure(conversationId: string): Promise<ScriptProgress> {
    parseEntity(idSchema, conversationId, 'script_progress');
    const doc = await this.collection.findOneAndUpdate(
      { id: conversationId },
      { $setOnInsert: { done: [], log: [], updatedAt: this.deps.now() } },
      { upsert: true },
    );
    return doc as ScriptProgress;
  }
}
