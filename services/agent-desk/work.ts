import {
  assertAccess,
  canRead,
  ConflictError,
  formatTimeCursor,
  parseTimeCursor,
  relationTo,
  type Conversation,
} from '../domain/index.js';
import { conversationOfOffer, offerIdOf } from '../routing/index.js';
import { refuseIfErased } from '../privacy/index.js';
import type { DeskContext } from './context.js';
import type { DeskPorts } from './ports.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The open list shows this many of the longest waiting, across the agent's queues. */
const OPEN_SHOWN = 200;
/** The closed list comes in pages of this many, last closed first. */
const CLOSED_PAGE = 200;

export type WorkView = 'mine' | 'open' | 'closed';

/** The agent's dashboard (my items, open items in my queues, closed in the last 24 h) and offers. */
export function createWork(p: DeskPorts, ctx: DeskContext) {
  const { repos, router, deps } = p;

  /**
   * A dashboard list and how many items it has in all (the open list shows the longest waiting; the
   * closed list pages, `before` being the `nextCursor` of the page before).
   */
  async function items(agentId: string, view: WorkView, before?: string) {
    const me = await ctx.agent(agentId);
    let list: Conversation[];
    let total: number | null = null;
    let nextCursor: string | undefined;
    if (view === 'mine') {
      list = await repos.conversations.findByAgent(agentId, ['active', 'wrap-up']);
    } else if (view === 'open') {
      const [perQueue, counts] = await Promise.all([
        Promise.all(me.queueIds.map((q) => repos.conversations.listWaiting(q, OPEN_SHOWN))),
        Promise.all(me.queueIds.map((queueId) => repos.conversations.count({ status: 'waiting', queueId }))),
      ]);
      list = perQueue
        .flat()
        .sort((a, b) => time(a.timestamps.queuedAt) - time(b.timestamps.queuedAt))
        .slice(0, OPEN_SHOWN);
      total = counts.reduce((n, x) => n + x, 0);
    } else {
      const after = before === undefined ? undefined : parseTimeCursor(before, 'work_items.bad_cursor');
      // Only what the agent may still reopen: a chat of a queue they were taken off is not theirs.
      const page = await repos.conversations.closedByAgent(
        agentId,
        new Date(deps.now().getTime() - DAY_MS),
        { limit: CLOSED_PAGE + 1, ...(after ? { after } : {}) },
        me.queueIds,
      );
      list = page.items.slice(0, CLOSED_PAGE);
      total = page.total;
      const last = list[list.length - 1];
      if (page.items.length > CLOSED_PAGE && last)
        nextCursor = formatTimeCursor({ at: last.timestamps.closedAt!, id: last.id });
    }
    return {
      items: await ctx.workItems(list),
      total: total ?? list.length,
      ...(nextCursor ? { nextCursor } : {}),
    };
  }

  /** The offer the id names, if it is still this agent's pending offer; 409 when it is gone. */
  async function pendingOffer(agentId: string, offerId: string): Promise<Conversation> {
    const named = conversationOfOffer(offerId);
    const c = named ? await repos.conversations.get(named.conversationId) : null;
    if (!c || c.status !== 'offered' || c.agentId !== agentId || offerIdOf(c) !== offerId) {
      throw new ConflictError(
        'offer.gone',
        `Offer ${offerId} is no longer open to you (taken, expired or withdrawn)`,
      );
    }
    return c;
  }

  /**
   * Every conversation the agent is in now: their own, and those they consult on or monitor (their
   * open sessions, checked against the conversation, which alone says who is still in it). What a
   * reload or another device reopens as sessions.
   */
  async function sessions(agentId: string) {
    const [viewer, mine, open] = await Promise.all([
      ctx.viewer(agentId),
      repos.conversations.findByAgent(agentId, ['active', 'wrap-up']),
      repos.sessions.listOpenByAgent(agentId),
    ]);
    /** When the agent's part in each conversation began: sessions come back in the order they opened. */
    const began = new Map<string, number>();
    for (const s of open) {
      const at = (s.acceptedAt ?? s.presentedAt).getTime();
      began.set(s.conversationId, Math.min(at, began.get(s.conversationId) ?? at));
    }
    const joinedIds = new Set(open.filter((s) => s.mode !== 'primary').map((s) => s.conversationId));
    const joined = await Promise.all([...joinedIds].map((id) => repos.conversations.get(id)));
    const entries = [
      ...mine.map((c) => ({ c, mode: 'primary' as const })),
      ...joined.flatMap((c) => {
        // Closing a conversation ends every participation in it: a closed one answers 'none' here.
        const relation = c ? relationTo(viewer, c) : 'none';
        return c && (relation === 'consult' || relation === 'monitor') ? [{ c, mode: relation }] : [];
      }),
    ];
    const beganAt = (c: Conversation) =>
      began.get(c.id) ?? (c.timestamps.acceptedAt ?? c.timestamps.createdAt).getTime();
    entries.sort((a, b) => beganAt(a.c) - beganAt(b.c));
    const views = await ctx.workItems(entries.map((e) => e.c));
    return { items: views.map((item, i) => ({ ...item, mode: entries[i]!.mode })) };
  }

  return {
    items,
    sessions,

    async pick(agentId: string, conversationId: string) {
      const [viewer, c] = await Promise.all([ctx.viewer(agentId), ctx.conversation(conversationId)]);
      assertAccess(canRead(viewer, c), 'pick', conversationId);
      return ctx.workItem(await router.pick(conversationId, agentId));
    },

    async reopen(agentId: string, conversationId: string) {
      const [viewer, c] = await Promise.all([ctx.viewer(agentId), ctx.conversation(conversationId)]);
      assertAccess(relationTo(viewer, c) === 'owner', 'reopen', conversationId);
      refuseIfErased(await repos.customers.get(c.customerId), 'reopen it', { conversationId });
      return ctx.workItem(await router.reopen(conversationId, agentId));
    },

    async offers(agentId: string) {
      const offered = await repos.conversations.findByAgent(agentId, 'offered');
      return Promise.all(offered.map((c) => ctx.offer(c, offerIdOf(c))));
    },

    async accept(agentId: string, offerId: string) {
      const c = await pendingOffer(agentId, offerId);
      try {
        return await ctx.workItem(await router.accept(c.id, agentId));
      } catch (e) {
        // Expired or withdrawn between our read and the claim: the same "gone" answer.
        if (e instanceof ConflictError || (e as { kind?: string }).kind === 'conflict') {
          throw new ConflictError('offer.gone', 'This offer is no longer open to you', { offerId });
        }
        throw e;
      }
    },

    async reject(agentId: string, offerId: string) {
      const c = await pendingOffer(agentId, offerId);
      try {
        await router.reject(c.id, agentId);
      } catch (e) {
        if ((e as { kind?: string }).kind === 'conflict') {
          throw new ConflictError('offer.gone', 'This offer is no longer open to you', { offerId });
        }
        throw e;
      }
      return { ok: true as const };
    },
  };
}

function time(d: Date | undefined): number {
  return d ? d.getTime() : 0;
}
