import { z } from 'zod';
import {
  agentSchema,
  agentScriptSchema,
  knowledgeArticleSchema,
  macroSchema,
  queueSchema,
  quickReplySchema,
  workstreamSchema,
} from '../domain/schemas.js';

// What an administrator may send, cut from the domain's own schemas: a field added to an entity
// there is settable here without a parallel schema to keep in step. Strict, so a misspelt field is
// refused by name rather than silently dropped.

/** The most capacity units one agent may have: twenty chats at the demo's cost of 50. */
export const MAX_AGENT_CAPACITY = 1000;

const agentFields = agentSchema
  .pick({
    name: true,
    email: true,
    aadObjectId: true,
    roles: true,
    queueIds: true,
    skills: true,
    capacity: true,
    sentimentThreshold: true,
  })
  .extend({
    email: agentSchema.shape.email.max(320),
    capacity: agentSchema.shape.capacity.max(MAX_AGENT_CAPACITY),
    queueIds: z.array(agentSchema.shape.id).max(100),
  });

export const newAgentInput = agentFields.partial().required({ name: true, email: true }).strict();
/** `aadObjectId: null` unlinks the agent from their Teams user. */
export const agentPatchInput = agentFields
  .partial()
  .extend({ aadObjectId: agentSchema.shape.aadObjectId.unwrap().nullable().optional() })
  .strict();

const queueFields = queueSchema.omit({ id: true, createdAt: true, updatedAt: true });
export const newQueueInput = queueFields.partial().required({ name: true }).strict();
/** `operatingHours: null` makes the queue open at all hours. */
export const queuePatchInput = queueFields
  .partial()
  .extend({ operatingHours: queueSchema.shape.operatingHours.unwrap().nullable().optional() })
  .strict();

const workstreamFields = workstreamSchema.omit({ id: true, createdAt: true, updatedAt: true });
export const newWorkstreamInput = workstreamFields
  .partial()
  .required({ name: true, channel: true, fallbackQueueId: true })
  .strict();
export const workstreamPatchInput = workstreamFields.partial().strict();

const articleFields = knowledgeArticleSchema.omit({ id: true, createdAt: true, updatedAt: true });
export const newArticleInput = articleFields.partial().required({ title: true, body: true }).strict();
export const articlePatchInput = articleFields.partial().strict();

const quickReplyFields = quickReplySchema.omit({ id: true, createdAt: true });
export const newQuickReplyInput = quickReplyFields.partial().required({ title: true, text: true }).strict();
export const quickReplyPatchInput = quickReplyFields.partial().strict();

const macroFields = macroSchema.omit({ id: true, createdAt: true });
export const newMacroInput = macroFields.partial().required({ name: true, actions: true }).strict();
export const macroPatchInput = macroFields.partial().strict();

const scriptFields = agentScriptSchema.omit({ id: true, createdAt: true });
export const newScriptInput = scriptFields.partial().required({ name: true, steps: true }).strict();
export const scriptPatchInput = scriptFields.partial().strict();

export type NewAgentInput = z.infer<typeof newAgentInput>;
export type AgentPatchInput = z.infer<typeof agentPatchInput>;
export type NewQueueInput = z.infer<typeof newQueueInput>;
export type QueuePatchInput = z.infer<typeof queuePatchInput>;
export type NewWorkstreamInput = z.infer<typeof newWorkstreamInput>;
export type WorkstreamPatchInput = z.infer<typeof workstreamPatchInput>;
export type NewArticleInput = z.infer<typeof newArticleInput>;
export type ArticlePatchInput = z.infer<typeof articlePatchInput>;
export type NewQuickReplyInput = z.infer<typeof newQuickReplyInput>;
export type QuickReplyPatchInput = z.infer<typeof quickReplyPatchInput>;
export type NewMacroInput = z.infer<typeof newMacroInput>;
export type MacroPatchInput = z.infer<typeof macroPatchInput>;
export type NewScriptInput = z.infer<typeof newScriptInput>;
export type ScriptPatchInput = z.infer<typeof scriptPatchInput>;
