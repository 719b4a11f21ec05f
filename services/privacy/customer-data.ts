import type { Conversation, ConversationStatus, Customer, Message } from '../domain/index.js';
import { foldForMatching } from '../knowledge/index.js';
import { COLLECTIONS, type Collection, type DocumentStore, type Filter } from '../store/index.js';
import { erasedDisposition } from './dispositions.js';

// One customer's data, wherever Switchboard keeps it: found, exported (the right of access) and
// erased (the right to erasure), through the store's own collections so that the embedded store
// and MongoDB are served alike. Choices: docs/decisions/0024-finding-exporting-erasing-a-customer.md.

/**
 * The collections the bot keeps (bot/customer-bot, bot/directline, bot/teams, bot/inbound-trust).
 * Named here because services never import the bot; test/privacy checks them against the bot's own.
 */
export const BOT_COLLECTIONS = {
  botSessions: 'customer_bot_sessions',
  relayMarks: 'customer_relay_marks',
  bindings: 'bot_conversation_bindings',
  directLineConversations: 'directline_conversations',
  directLineActivities: 'directline_activities',
  teamsOfferCards: 'teams_offer_cards',
  teamsConsults: 'teams_consults',
} as const;

/** Who a file belongs to in the file store (domain/files.ts, bot/directline/channel.ts, teams-files-in.ts). */
const fileOwners = (conversationId: string) => [`conversation:${conversationId}`, `teams:${conversationId}`];
const directLineFileOwner = (directLineId: string) => `directline:${directLineId}`;
const DIRECT_LINE_KEY = 'directline:';

/** A conversation has ended when nobody works on it any more: the customer's data can go. */
const ENDED: readonly ConversationStatus[] = ['closed', 'abandoned'];

/** What stays of an erased customer, so the conversations that name them still have a customer. */
export const ERASED_NAME = 'Erased customer';
/** Why an erased customer's case is cancelled, on the case card in place of any typed reason. */
export const ERASED_CASE_REASON = "The customer's data was erased at their request";

type Doc = Record<string, unknown>;
type StoredCustomer = Customer & { erasedAt?: Date };

/**
 * How the record's e-mail address is known. `verified`: a signed-in chat's claim carried it (the
 * site's signed token, or Teams); `typed`: only typed into a chat (the pre-chat survey), which anyone
 * can do with anyone's address. docs/security.md says what to check before answering a request.
 */
export type EmailSource = 'verified' | 'typed';

function emailSourceOf(customer: Customer, conversations: Conversation[]): EmailSource | undefined {
  const email = customer.email?.toLowerCase();
  if (!email) return undefined;
  const proven = conversations.some((c) => c.context.visitor.verified?.email?.toLowerCase() === email);
  return proven ? 'verified' : 'typed';
}

export interface FoundCustomer {
  id: string;
  kind: Customer['kind'];
  name: string;
  email?: string;
  /** Set with `email`. */
  emailSource?: EmailSource;
  phone?: string;
  accountName?: string;
  identities: Customer['identities'];
  createdAt: Date;
  /** Set once the customer was erased: what is left is the anonymous record the KPIs keep. */
  erasedAt?: Date;
  conversations: Array<{
    id: string;
    channel: string;
    status: ConversationStatus;
    createdAt: Date;
    endedAt?: Date;
  }>;
}

export type CustomerQuery = { customerId: string } | { email: string } | { name: string };

export interface EraseOutcome {
  customerId: string;
  erased: boolean;
  /** How the customer's e-mail was known before the erase, when they had one. */
  emailSource?: EmailSource;
  /** Documents deleted, by what they were. */
  removed: Record<string, number>;
  /** Documents kept for the figures with every personal field taken out. */
  anonymised: Record<string, number>;
  /** The embedded store's datafiles rewritten without the old text. */
  compacted?: string[];
}

export class PrivacyRefusal extends Error {
  override readonly name = 'PrivacyRefusal';
  constructor(
    readonly code: 'customer_not_found' | 'conversations_not_ended',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A name as compared: folded (no case, no accents, "İ", "ı" and "i" alike, NFC and NFD alike) with
 * its spaces collapsed, so a request for "Jose Nunez" finds "José Núñez" however it was stored.
 */
function nameKey(name: string): string {
  return foldForMatching(name).replace(/\s+/gu, ' ').trim();
}

/** Customers read per page while looking for a name: bounds the tool's memory on a large store. */
const NAME_SCAN_PAGE = 5000;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The store's own bookkeeping (the event log's), not part of what is kept about anyone. */
function withoutStoreFields(doc: Doc): Doc {
  const { storedAtMs: _stored, once: _once, ...rest } = doc;
  return rest;
}

export interface CustomerDataOptions {
  now?: () => Date;
}

/**
 * Finds, exports and erases customers' data on one store. `compact` is the embedded store's rewrite
 * of its datafiles (embedded-store.ts), called after an erase so the old text leaves the disk.
 */
export function customerData(
  store: DocumentStore & { compact?(names: readonly string[]): Promise<void> },
  options: CustomerDataOptions = {},
) {
  const now = options.now ?? (() => new Date());
  const col = <T extends object = Doc>(name: string): Collection<T> => store.collection<T>(name);
  const customers = col<StoredCustomer>(COLLECTIONS.customers);
  const conversations = col<Conversation>(COLLECTIONS.conversations);
  const messages = col<Message>(COLLECTIONS.messages);
  const botSessions = col(BOT_COLLECTIONS.botSessions);
  const dlConversations = col(BOT_COLLECTIONS.directLineConversations);

  async function customersMatching(query: CustomerQuery): Promise<StoredCustomer[]> {
    const filter: Filter =
      'customerId' in query
        ? { id: query.customerId }
        : 'email' in query
          ? { email: new RegExp(`^${escapeRegExp(query.email.trim())}$`, 'i') }
          : { id: { $in: await idsNamed(query.name) } };
    return customers.find(filter, { sort: { name: 1, id: 1 } });
  }

  /**
   * Ids of the customers whose name holds `part`, compared folded. Neither store's query language
   * folds accents or Unicode forms the same way (a regular expression in NeDB, a collation in
   * MongoDB that does not apply to one), so every name is read, page by page in id order, and
   * compared here: a request that missed "José" stored decomposed would leave a person's data behind.
   */
  async function idsNamed(part: string): Promise<string[]> {
    const wanted = nameKey(part);
    const ids: string[] = [];
    // Nothing left of the name once folded (a lone accent) names nobody, rather than everyone.
    if (wanted === '') return ids;
    let after: Filter = {};
    for (;;) {
      const page = await customers.findFields(after, ['id', 'name'], {
        sort: { id: 1 },
        limit: NAME_SCAN_PAGE,
      });
      for (const { id, name } of page)
        if (id !== undefined && nameKey(name ?? '').includes(wanted)) ids.push(id);
      const last = page.at(-1)?.id;
      if (page.length < NAME_SCAN_PAGE || last === undefined) return ids;
      after = { id: { $gt: last } };
    }
  }

  async function conversationsOf(customerId: string): Promise<Conversation[]> {
    return conversations.find({ customerId }, { sort: { 'timestamps.createdAt': 1, id: 1 } });
  }

  /** Where the customer's Direct Line chats are: by the bot's sessions, and by their visitor ids. */
  async function directLineIdsOf(customer: Customer, conversationIds: string[]): Promise<string[]> {
    const keys = (await botSessions.find({ conversationId: { $in: conversationIds } })).map((s) =>
      String(s.key),
    );
    const ids = new Set(
      keys.filter((k) => k.startsWith(DIRECT_LINE_KEY)).map((k) => k.slice(DIRECT_LINE_KEY.length)),
    );
    const visitors = customer.identities.map((i) => i.userId);
    if (visitors.length > 0)
      for (const c of await dlConversations.find({ userId: { $in: visitors } }))
        ids.add(String(c.conversationId));
    return [...ids];
  }

  /** Every file of theirs: those their messages carry, and those their chats own. */
  async function fileIdsOf(conversationIds: string[], directLineIds: string[]): Promise<string[]> {
    const ids = new Set<string>();
    for (const m of await messages.findFields({ conversationId: { $in: conversationIds } }, ['attachments']))
      for (const a of m.attachments ?? []) if (a.fileId) ids.add(a.fileId);
    const owners = [...conversationIds.flatMap(fileOwners), ...directLineIds.map(directLineFileOwner)];
    for (const f of await col(COLLECTIONS.files).findFields({ owner: { $in: owners } }, ['id']))
      ids.add(String(f.id));
    return [...ids];
  }

  async function casesOf(customerId: string, conversationIds: string[]): Promise<Doc[]> {
    const cases = col(COLLECTIONS.cases);
    const byId = new Map<string, Doc>();
    for (const c of await cases.find({ customerId })) byId.set(String(c.id), c);
    for (const c of await cases.find({ conversationIds: { $in: conversationIds } }))
      byId.set(String(c.id), c);
    return [...byId.values()];
  }

  async function notesOf(customerId: string, conversationIds: string[], caseIds: string[]): Promise<Doc[]> {
    const notes = col(COLLECTIONS.notes);
    const byId = new Map<string, Doc>();
    for (const filter of [
      { customerId },
      { conversationId: { $in: conversationIds } },
      { caseId: { $in: caseIds } },
    ])
      for (const n of await notes.find(filter)) byId.set(String(n.id), n);
    return [...byId.values()];
  }

  /**
   * The dispositions to put in place of typed ones (dispositions.ts): each new value with the keys
   * of the documents that get it. A macro's disposition is the product's word, kept.
   */
  async function dispositionChanges<D extends { disposition?: unknown }>(
    docs: D[],
    keyOf: (d: D) => unknown,
  ): Promise<Map<string, unknown[]>> {
    const typed = docs.filter((d) => typeof d.disposition === 'string');
    const changes = new Map<string, unknown[]>();
    if (typed.length === 0) return changes;
    const macroWords = (await col<{ actions?: Doc[] }>(COLLECTIONS.macros).findFields({}, ['actions']))
      .flatMap((m) => m.actions ?? [])
      .filter((a) => a.type === 'set-field' && a.field === 'disposition' && typeof a.value === 'string')
      .map((a) => a.value as string);
    for (const d of typed) {
      const was = d.disposition as string;
      const kept = erasedDisposition(was, macroWords);
      if (kept !== was) changes.set(kept, [...(changes.get(kept) ?? []), keyOf(d)]);
    }
    return changes;
  }

  const changeCount = (changes: Map<string, unknown[]>) =>
    [...changes.values()].reduce((n, keys) => n + keys.length, 0);

  async function customerOrRefuse(customerId: string): Promise<StoredCustomer> {
    const [customer] = await customersMatching({ customerId });
    if (!customer) throw new PrivacyRefusal('customer_not_found', `No customer has the id ${customerId}`);
    return customer;
  }

  return {
    /** The matching customers with their conversations (ids, dates, channel, status). */
    async find(query: CustomerQuery): Promise<FoundCustomer[]> {
      const found: FoundCustomer[] = [];
      for (const c of await customersMatching(query)) {
        const theirs = await conversationsOf(c.id);
        const emailSource = emailSourceOf(c, theirs);
        found.push({
          id: c.id,
          kind: c.kind,
          name: c.name,
          ...(c.email ? { email: c.email } : {}),
          ...(emailSource ? { emailSource } : {}),
          ...(c.phone ? { phone: c.phone } : {}),
          ...(c.accountName ? { accountName: c.accountName } : {}),
          identities: c.identities,
          createdAt: c.createdAt,
          ...(c.erasedAt ? { erasedAt: c.erasedAt } : {}),
          conversations: theirs.map((v) => {
            const endedAt = v.timestamps.closedAt ?? v.timestamps.abandonedAt;
            return {
              id: v.id,
              channel: v.channel,
              status: v.status,
              createdAt: v.timestamps.createdAt,
              ...(endedAt ? { endedAt } : {}),
            };
          }),
        });
      }
      return found;
    },

    /**
     * Everything kept about the customer (the right of access): their record, each conversation with
     * its context (visitor, pre-chat answers, pages, custom context), messages (internal ones
     * marked), sentiment readings and the rest of its event log, files, the bot's and the channel's
     * records; their notes and cases. File contents (base64) only when asked.
     */
    async export(customerId: string, opts: { fileContents?: boolean } = {}) {
      const customer = await customerOrRefuse(customerId);
      const convs = await conversationsOf(customerId);
      const emailSource = emailSourceOf(customer, convs);
      const ids = convs.map((c) => c.id);
      const directLineIds = await directLineIdsOf(customer, ids);
      const fileIds = await fileIdsOf(ids, directLineIds);
      const files = col(COLLECTIONS.files);
      const fileFields = ['id', 'owner', 'sharedWith', 'name', 'contentType', 'size', 'createdAt'];
      const fileDocs = opts.fileContents
        ? await files.find({ id: { $in: fileIds } })
        : await files.findFields({ id: { $in: fileIds } }, fileFields);
      const cases = await casesOf(customerId, ids);
      const notes = await notesOf(
        customerId,
        ids,
        cases.map((c) => String(c.id)),
      );
      const dlConvs = await dlConversations.find({ conversationId: { $in: directLineIds } });
      const dlActivities = await col(BOT_COLLECTIONS.directLineActivities).find(
        { conversationId: { $in: directLineIds } },
        { sort: { conversationId: 1, seq: 1 } },
      );
      const sessions = await botSessions.find({ conversationId: { $in: ids } });
      const conversationsOut = [];
      for (const c of convs) {
        const events = (
          await col(COLLECTIONS.events).find({ conversationId: c.id }, { sort: { seq: 1 } })
        ).map(withoutStoreFields);
        const transcript = await messages.find({ conversationId: c.id }, { sort: { seq: 1 } });
        conversationsOut.push({
          conversation: c,
          messages: transcript.map((m) => ({ ...m, internal: m.visibility === 'internal' })),
          sentimentReadings: events
            .filter((e) => e.type === 'sentiment.changed')
            .map((e) => ({ score: e.score, level: e.level, at: e.at })),
          events,
          files: fileDocs.filter((f) => transcript.some((m) => m.attachments.some((a) => a.fileId === f.id))),
          botSessions: sessions.filter((s) => s.conversationId === c.id),
        });
      }
      return {
        exportedAt: now(),
        customer,
        ...(emailSource ? { emailSource } : {}),
        conversations: conversationsOut,
        // Every file, also those no message names (kept for a message that was then refused).
        files: fileDocs,
        notes,
        cases,
        directLine: {
          conversations: dlConvs,
          activities: dlActivities.map((a) => ({ ...a, activity: JSON.parse(String(a.json)) as unknown })),
        },
      };
    },

    /**
     * Erases the customer: deletes what is theirs alone, and keeps of each conversation only what
     * the figures need (timings, status, queue, agents, channel), with a customer record left
     * nameless so the conversations still have one. Refused while a conversation of theirs goes on.
     * Without `confirmed` nothing changes: the outcome says what would go.
     */
    async erase(customerId: string, opts: { confirmed: boolean }): Promise<EraseOutcome> {
      const customer = await customerOrRefuse(customerId);
      const convs = await conversationsOf(customerId);
      const going = convs.filter((c) => !ENDED.includes(c.status));
      if (going.length > 0)
        throw new PrivacyRefusal(
          'conversations_not_ended',
          `Customer ${customerId} has conversations that have not ended: ` +
            going.map((c) => `${c.id} (${c.status})`).join(', ') +
            '. Nothing was erased: once an agent has closed them, erase again.',
        );
      const emailSource = emailSourceOf(customer, convs);
      const ids = convs.map((c) => c.id);
      const directLineIds = await directLineIdsOf(customer, ids);
      const fileIds = await fileIdsOf(ids, directLineIds);
      const cases = await casesOf(customerId, ids);
      const caseIds = cases.map((c) => String(c.id));
      const openCaseIds = cases.filter((c) => c.status === 'active').map((c) => String(c.id));
      const notes = await notesOf(customerId, ids, caseIds);
      const sessionKeys = (await botSessions.findFields({ conversationId: { $in: ids } }, ['key'])).map((s) =>
        String(s.key),
      );
      const events = col(COLLECTIONS.events);
      // A typed disposition is on the conversation and in the event that closed it.
      const conversationDispositions = await dispositionChanges(convs, (c) => c.id);
      const eventDispositions = await dispositionChanges(
        await events.findFields({ conversationId: { $in: ids }, type: 'conversation.closed' }, [
          'seq',
          'disposition',
        ]),
        (e) => e.seq,
      );
      const said = emailSource ? { emailSource } : {};
      if (!opts.confirmed)
        return {
          customerId,
          erased: false,
          ...said,
          removed: {
            files: fileIds.length,
            notes: notes.length,
            botSessions: sessionKeys.length,
            directLineConversations: directLineIds.length,
            directLineActivities: await col(BOT_COLLECTIONS.directLineActivities).count({
              conversationId: { $in: directLineIds },
            }),
          },
          anonymised: {
            customer: 1,
            conversations: ids.length,
            messages: await messages.count({ conversationId: { $in: ids } }),
            cases: cases.length,
            casesCancelled: openCaseIds.length,
            dispositions: changeCount(conversationDispositions),
            events: changeCount(eventDispositions),
          },
        };

      const at = now();
      const removed: Record<string, number> = {};
      const anonymised: Record<string, number> = {};
      const touched = new Set<string>();
      const remove = async (what: string, name: string, filter: Filter) => {
        removed[what] = (removed[what] ?? 0) + (await col(name).deleteMany(filter));
        touched.add(name);
      };
      // What is theirs alone goes first, the customer record last: an erase cut short finds the
      // customer by the same id and finishes when run again.
      anonymised.messages = await messages.updateMany(
        { conversationId: { $in: ids } },
        { $set: { text: '', attachments: [] }, $unset: { sentiment: '', activityId: '' } },
      );
      await messages.updateMany(
        { conversationId: { $in: ids }, author: 'customer' },
        { $unset: { authorName: '', authorId: '' } },
      );
      touched.add(COLLECTIONS.messages);
      await remove('files', COLLECTIONS.files, { id: { $in: fileIds } });
      await remove('notes', COLLECTIONS.notes, { id: { $in: notes.map((n) => String(n.id)) } });
      await remove('botSessions', BOT_COLLECTIONS.botSessions, { conversationId: { $in: ids } });
      await remove('relayMarks', BOT_COLLECTIONS.relayMarks, { conversationId: { $in: ids } });
      await remove('botConversationBindings', BOT_COLLECTIONS.bindings, { key: { $in: sessionKeys } });
      await remove('teamsOfferCards', BOT_COLLECTIONS.teamsOfferCards, { conversationId: { $in: ids } });
      await remove('teamsConsults', BOT_COLLECTIONS.teamsConsults, { conversationId: { $in: ids } });
      await remove('directLineActivities', BOT_COLLECTIONS.directLineActivities, {
        conversationId: { $in: directLineIds },
      });
      await remove('directLineConversations', BOT_COLLECTIONS.directLineConversations, {
        conversationId: { $in: directLineIds },
      });
      // What agents typed about the customer goes: the title, description, resolution and reasons,
      // and the same words in the case's history (who did what, and when, stays for the figures).
      anonymised.cases = 0;
      for (const c of cases) {
        const history = Array.isArray(c.history)
          ? (c.history as Doc[]).map(({ text: _text, ...entry }) => entry)
          : undefined;
        anonymised.cases += await col(COLLECTIONS.cases).updateMany(
          { id: String(c.id) },
          {
            $set: {
              title: 'Erased',
              subject: '',
              description: '',
              updatedAt: at,
              ...(history ? { history } : {}),
              ...(c.status === 'cancelled' || c.status === 'active'
                ? { cancelReason: ERASED_CASE_REASON }
                : {}),
            },
            $unset: { resolution: '' },
          },
        );
      }
      // An erased customer's open case is nobody's to work on: cancelled, it leaves the lists of open
      // cases and counts as what it is, its product and priority kept for the figures.
      anonymised.casesCancelled = await col(COLLECTIONS.cases).updateMany(
        { id: { $in: openCaseIds }, status: 'active' },
        { $set: { status: 'cancelled' } },
      );
      touched.add(COLLECTIONS.cases);
      anonymised.conversations = await conversations.updateMany(
        { id: { $in: ids } },
        {
          $set: {
            context: { preChat: {}, portalNavigation: [], visitor: { authenticated: false }, custom: {} },
          },
          $unset: {
            subject: '',
            handoverNote: '',
            channelRef: '',
            customerAwaySince: '',
            'csat.comment': '',
            'followUp.email': '',
          },
          // A claim a server computed from the conversation as it was must lose (replaceIf).
          $inc: { version: 1 },
        },
      );
      anonymised.dispositions = 0;
      for (const [disposition, keys] of conversationDispositions)
        anonymised.dispositions += await conversations.updateMany(
          { id: { $in: keys } },
          { $set: { disposition } },
        );
      touched.add(COLLECTIONS.conversations);
      anonymised.events = 0;
      for (const [disposition, seqs] of eventDispositions)
        anonymised.events += await events.updateMany(
          { conversationId: { $in: ids }, type: 'conversation.closed', seq: { $in: seqs } },
          { $set: { disposition } },
        );
      if (anonymised.events > 0) touched.add(COLLECTIONS.events);
      anonymised.customer = await customers.updateOne(
        { id: customerId },
        {
          $set: { name: ERASED_NAME, identities: [], updatedAt: at, erasedAt: customer.erasedAt ?? at },
          $unset: { email: '', phone: '', accountName: '' },
        },
      );
      touched.add(COLLECTIONS.customers);
      const outcome: EraseOutcome = { customerId, erased: true, ...said, removed, anonymised };
      if (store.compact) {
        const names = [...touched].sort();
        await store.compact(names);
        outcome.compacted = names;
      }
      return outcome;
    },
  };
}

export type CustomerData = ReturnType<typeof customerData>;
