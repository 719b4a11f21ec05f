import type { Deps } from '../../domain/deps.js';
import type { AgentScript } from '../../domain/entities.js';
import { agentScriptSchema } from '../../domain/schemas.js';
import type { Collection } from '../port.js';
import { EntityRecords } from './entity-records.js';
import { assertReferencesExist } from './support.js';

export type NewAgentScript = Pick<AgentScript, 'name' | 'steps'> &
  Partial<Omit<AgentScript, 'id' | 'createdAt'>>;
export type AgentScriptPatch = Partial<Omit<AgentScript, 'id' | 'createdAt'>>;

export class AgentScripts extends EntityRecords<AgentScript, NewAgentScript, AgentScriptPatch> {
  constructor(
    collection: Collection<AgentScript>,
    refs: {
      macros: Collection<{ id: string }>;
      workstreams: Collection<{ id: string }>;
      queues: Collection<{ id: string }>;
    },
    deps: Deps,
  ) {
    super(
      {
        collection,
        entity: 'agent_script',
        schema: agentScriptSchema,
        idPrefix: 'script',
        listSort: { name: 1 },
        build: (input, id, now) => ({ workstreamIds: [], ...input, id, createdAt: now }),
        checkReferences: async (script) => {
          await assertReferencesExist(refs.workstreams, 'workstream', script.workstreamIds, 'agent_script');
          await assertReferencesExist(refs.queues, 'queue', script.queueIds ?? [], 'agent_script');
          await assertReferencesExist(
            refs.macros,
            'macro',
            script.steps.flatMap((s) => (s.kind === 'macro' ? [s.macroId] : [])),
            'agent_script',
          );
          await assertReferencesExist(
            collection,
            'agent_script',
            script.steps.flatMap((s) =>
              s.kind === 'script' && s.scriptId !== script.id ? [s.scriptId] : [],
            ),
            'agent_script',
          );
        },
      },
      deps,
    );
  }

  async forWorkstream(workstreamId: string): Promise<AgentScript[]> {
    return this.findWhere({ workstreamIds: workstreamId }, { limit: 1000 });
  }
}
