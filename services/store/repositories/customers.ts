import type { Deps } from '../../domain/deps.js';
import type { ChannelId, Customer } from '../../domain/entities.js';
import { channelIdentity } from '../../domain/schemas.js';
import { customerSchema } from '../../domain/schemas.js';
import type { Collection } from '../port.js';
import { EntityRecords } from './entity-records.js';
import { notFound, parseEntity, type Page } from './support.js';

export type NewCustomer = Pick<Customer, 'name'> & Partial<Omit<Customer, 'id' | 'createdAt' | 'updatedAt'>>;
export type CustomerPatch = Partial<Omit<Customer, 'id' | 'createdAt' | 'updatedAt' | 'identities'>>;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function identityFilter(channel: ChannelId, userId: string) {
  return { 'identities.userId': userId, identities: { $elemMatch: { channel, userId } } };
}

export class Customers extends EntityRecords<Customer, NewCustomer, CustomerPatch> {
  constructor(collection: Collection<Customer>, deps: Deps) {
    super(
      {
        collection,
        entity: 'customer',
        schema: customerSchema,
        idPrefix: 'cust',
        readOnly: ['identities'],
        listSort: { name: 1, id: 1 },
        build: (input, id, now) => ({
          kind: 'contact',
          identities: [],
          ...input,
          id,
          createdAt: now,
          updatedAt: now,
        }),
      },
      deps,
    );
  }

  /**
   * The customer a channel identity names. Guests sharing a browser share its identity, and each
   * who said a different name has a record of their own: the one last changed comes first.
   */
  async findByIdentity(channel: ChannelId, userId: string): Promise<Customer | null> {
    return this.collection.findOne(identityFilter(channel, userId), { sort: { updatedAt: -1, id: 1 } });
  }

  /** Every customer a channel identity names (guests sharing a browser), the one last changed first. */
  async withIdentity(channel: ChannelId, userId: string, limit = 20): Promise<Customer[]> {
    return this.collection.find(identityFilter(channel, userId), { sort: { updatedAt: -1, id: 1 }, limit });
  }

  async findByEmail(email: string): Promise<Customer | null> {
    return this.collection.findOne({ email });
  }

  /** Case-insensitive substring match on name, e-mail or account. */
  async search(text: string, page: Page = {}): Promise<Customer[]> {
    const pattern = new RegExp(escapeRegExp(text.trim()), 'i');
    return this.findWhere({ $or: [{ name: pattern }, { email: pattern }, { accountName: pattern }] }, page);
  }

  /** Links one more channel identity to the customer (idempotent). */
  async addIdentity(id: string, identity: { channel: ChannelId; userId: string }): Promise<Customer> {
    const parsed = parseEntity(channelIdentity, identity, 'customer');
    const updated = await this.collection.findOneAndUpdate(
      { id },
      { $addToSet: { identities: parsed }, $set: { updatedAt: this.deps.now() } },
    );
    if (!updated) throw notFound('customer', id);
    return updated;
  }

  /** Name and e-mail learnt from a pre-chat survey. */
  async updateContact(id: string, fields: { name?: string; email?: string }): Promise<Customer> {
    const patch: CustomerPatch = {};
    if (fields.name !== undefined) patch.name = fields.name;
    if (fields.email !== undefined) patch.email = fields.email;
    return this.update(id, patch);
  }
}
