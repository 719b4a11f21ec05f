import type { Deps } from '../../domain/deps.js';
import type { Queue } from '../../domain/entities.js';
import { queueSchema } from '../../domain/schemas.js';
import type { Collection } from '../port.js';
import { EntityRecords } from './entity-records.js';
import { assertReferencesExist } from './support.js';

export type NewQueue = Pick<Queue, 'name'> & Partial<Omit<Queue, 'id' | 'createdAt' | 'updatedAt'>>;
export type QueuePatch = Partial<Omit<Queue, 'id' | 'createdAt' | 'updatedAt'>>;

export class Queues extends EntityRecords<Queue, NewQueue, QueuePatch> {
  constructor(collection: Collection<Queue>, deps: Deps) {
    super(
      {
        collection,
        entity: 'queue',
        schema: queueSchema,
        idPrefix: 'queue',
        listSort: { priority: -1, name: 1 },
        build: (input, id, now) => ({
          workstreamIds: [],
          priority: 0,
          assignmentMethod: 'highest-capacity',
          skillMatching: 'closest',
          overflow: [],
          ...input,
          id,
          createdAt: now,
          updatedAt: now,
        }),
        // Work streams and queues refer to each other; the queue side of that link is not checked
        // so either can be created first. Overflow targets must exist (or be the queue itself).
        checkReferences: (queue) =>
          assertReferencesExist(
            collection,
            'queue',
            queue.overflow.flatMap((r) =>
              r.action.type === 'transfer' && r.action.queueId !== queue.id ? [r.action.queueId] : [],
            ),
            'queue',
          ),
      },
      deps,
    );
  }

  async listForWorkstream(workstreamId: string): Promise<Queue[]> {
    return this.findWhere({ workstreamIds: workstreamId }, { limit: 1000 });
  }
}
