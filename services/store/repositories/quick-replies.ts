import type { Deps } from '../../domain/deps.js';
import type { QuickReply } from '../../domain/entities.js';
import { quickReplySchema } from '../../domain/schemas.js';
import type { Collection } from '../port.js';
import { EntityRecords } from './entity-records.js';

export type NewQuickReply = Pick<QuickReply, 'title' | 'text'> &
  Partial<Omit<QuickReply, 'id' | 'createdAt'>>;
export type QuickReplyPatch = Partial<Omit<QuickReply, 'id' | 'createdAt'>>;

export class QuickReplies extends EntityRecords<QuickReply, NewQuickReply, QuickReplyPatch> {
  constructor(collection: Collection<QuickReply>, deps: Deps) {
    super(
      {
        collection,
        entity: 'quick_reply',
        schema: quickReplySchema,
        idPrefix: 'qr',
        listSort: { title: 1 },
        build: (input, id, now) => ({ tags: [], ...input, id, createdAt: now }),
      },
      deps,
    );
  }

  async findByTag(tag: string): Promise<QuickReply[]> {
    return this.findWhere({ tags: tag }, { limit: 1000 });
  }
}
