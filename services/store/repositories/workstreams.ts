import type { Deps } from '../../domain/deps.js';
import type { ChannelId, Workstream } from '../../domain/entities.js';
import { workstreamSchema } from '../../domain/schemas.js';
import type { Collection } from '../port.js';
import { EntityRecords } from './entity-records.js';
import { assertReferencesExist } from './support.js';

export type NewWorkstream = Pick<Workstream, 'name' | 'channel' | 'fallbackQueueId'> &
  Partial<Omit<Workstream, 'id' | 'createdAt' | 'updatedAt'>>;
export type WorkstreamPatch = Partial<Omit<Workstream, 'id' | 'createdAt' | 'updatedAt'>>;

export class Workstreams extends EntityRecords<Workstream, NewWorkstream, WorkstreamPatch> {
  constructor(collection: Collection<Workstream>, queues: Collection<{ id: string }>, deps: Deps) {
    super(
      {
        collection,
        entity: 'workstream',
        schema: workstreamSchema,
        idPrefix: 'ws',
        listSort: { name: 1 },
        build: (input, id, now) => ({
          capacityCost: 50,
          offerTimeoutSeconds: 60,
          autoAccept: false,
          allowedPresences: ['available', 'busy'],
          rules: [],
          inactivityCloseMinutes: 30,
          preChatSurvey: [],
          ...input,
          id,
          createdAt: now,
          updatedAt: now,
        }),
        checkReferences: (ws) =>
          assertReferencesExist(
            queues,
            'queue',
            [ws.fallbackQueueId, ...ws.rules.map((r) => r.queueId)],
            'workstream',
          ),
      },
      deps,
    );
  }

  /**
   * The work stream serving a channel. Channels without their own stream fall back to the web chat
   * one (`directline` is the web chat widget's transport).
   */
  async forChannel(channel: ChannelId): Promise<Workstream | null> {
    const own = await this.collection.findOne({ channel }, { sort: { createdAt: 1 } });
    if (own || channel === 'webchat') return own;
    return this.collection.findOne({ channel: 'webchat' }, { sort: { createdAt: 1 } });
  }

  /** The shortest inactivity time of any work stream; `null` when there is none. */
  async shortestInactivityMinutes(): Promise<number | null> {
    const [shortest] = await this.collection.find({}, { sort: { inactivityCloseMinutes: 1 }, limit: 1 });
    return shortest?.inactivityCloseMinutes ?? null;
  }
}
