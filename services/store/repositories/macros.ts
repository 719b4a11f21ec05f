import type { Deps } from '../../domain/deps.js';
import type { Macro } from '../../domain/entities.js';
import { macroSchema } from '../../domain/schemas.js';
import type { Collection } from '../port.js';
import { EntityRecords } from './entity-records.js';
import { assertReferencesExist } from './support.js';

export type NewMacro = Pick<Macro, 'name' | 'actions'> & Partial<Omit<Macro, 'id' | 'createdAt'>>;
export type MacroPatch = Partial<Omit<Macro, 'id' | 'createdAt'>>;

export class Macros extends EntityRecords<Macro, NewMacro, MacroPatch> {
  constructor(collection: Collection<Macro>, quickReplies: Collection<{ id: string }>, deps: Deps) {
    super(
      {
        collection,
        entity: 'macro',
        schema: macroSchema,
        idPrefix: 'macro',
        listSort: { name: 1 },
        build: (input, id, now) => ({ ...input, id, createdAt: now }),
        checkReferences: (macro) =>
          assertReferencesExist(
            quickReplies,
            'quick_reply',
            macro.actions.flatMap((a) => (a.type === 'send-quick-reply' ? [a.quickReplyId] : [])),
            'macro',
          ),
      },
      deps,
    );
  }
}
