import { apiPresence, presenceWords } from '../agent-desk/index.js';
import type { Conversation, Deps } from '../domain/index.js';
import { handlingSince, NEGATIVE_SENTIMENT_LEVELS, NotFoundError } from '../domain/index.js';
import type { Repositories } from '../store/index.js';
import { queueRealtime, offerRule } from './realtime.js';
import { awaitingReplySince, longWait } from './waits.js';

const ONGOING = ['waiting', 'offered', 'active', 'wrap-up'] as const;

/**
 * The most of each kind one board shows: the longest-waiting items and the handled ones a
 * supervisor should look at first (see `Conversations.handledIn`). A peak of 10,000 in one queue
 * still reads two pages, and `total` says how many there are in all.
 */
export const BOARD_LIMIT = { queued: 500, handled: 500 } as const;

/**
 * The messages read to find when a customer began waiting for a reply: a wait longer than this many
 * unanswered messages counts from the oldest of them.
 */
const REPLY_WAIT_WINDOW = 50;

/** What a supervisor watches: ongoing conversations in their queues and the real-time figures. */
export function createSupervisorView(
  repos: Pick<
    Repositories,
    'agents' | 'queues' | 'conversations' | 'customers' | 'workstreams' | 'events' | 'messages'
  >,
  deps: Pick<Deps, 'now'>,
) {
  // The board is read every few seconds with up to 500 live chats: a chat's messages are read again
  // only when one was added (its `lastMessageSeq` moved), not on every read.
  const replyWaits = new Map<string, { seq: number; since: Date | null }>();
  async function awaitingReply(c: Conversation): Promise<Date | null> {
    if (c.status !== 'active') return null;
    const known = replyWaits.get(c.id);
    if (known?.seq === c.lastMessageSeq) return known.since;
    const since = awaitingReplySince(await repos.messages.latest(c.id, REPLY_WAIT_WINDOW));
    replyWaits.set(c.id, { seq: c.lastMessageSeq, since });
    return since;
  }
  function forgetGone(onBoard: readonly Conversation[]) {
    if (replyWaits.size <= onBoard.length * 2) return;
    const live = new Set(onBoard.map((c) => c.id));
    for (const id of replyWaits.keys()) if (!live.has(id)) replyWaits.delete(id);
  }

  async function myQueues(agentId: string) {
    const me = await repos.agents.get(agentId);
    if (!me) throw new NotFoundError('agent.not_found', `Agent ${agentId} does not exist`);
    return repos.queues.getMany(me.queueIds);
  }

  /** Each kind across the queues, in its order, cut to its limit. */
  async function board(queueIds: readonly string[]): Promise<Conversation[]> {
    const [queued, handled] = await Promise.all([
      Promise.all(queueIds.map((q) => repos.conversations.queuedIn(q, BOARD_LIMIT.queued))),
      Promise.all(queueIds.map((q) => repos.conversations.handledIn(q, BOARD_LIMIT.handled))),
    ]);
    // Each queue's list is in order already; merged across queues, the same order again.
    const waitedSince = (c: Conversation) => c.timestamps.queuedAt?.getTime() ?? Infinity;
    const byWait = queued.flat().sort((a, b) => waitedSince(a) - waitedSince(b));
    const mood = (c: Conversation) => (isNegative(c) ? c.sentiment!.score : Infinity);
    const since = (c: Conversation) => handlingSince(c.timestamps)?.getTime() ?? Infinity;
    const byConcern = handled.flat().sort((a, b) => mood(a) - mood(b) || since(a) - since(b));
    return [...byWait.slice(0, BOARD_LIMIT.queued), ...byConcern.slice(0, BOARD_LIMIT.handled)];
  }

  return {
    async conversations(agentId: string) {
      const queues = await myQueues(agentId);
      const queueIds = queues.map((q) => q.id);
      const now = deps.now();
      const [convs, totals] = await Promise.all([
        board(queueIds),
        Promise.all(queueIds.map((queueId) => repos.conversations.count({ status: [...ONGOING], queueId }))),
      ]);
      const agentIds = [...new Set(convs.map((c) => c.agentId).filter((x): x is string => Boolean(x)))];
      const [customers, agents, alerts, awaiting] = await Promise.all([
        repos.customers.getMany([...new Set(convs.map((c) => c.customerId))]),
        repos.agents.getMany(agentIds),
        // Alerts raised for this supervisor on each conversation (events name them as recipient).
        repos.events.alertCounts(
          agentId,
          convs.map((c) => c.id),
        ),
        Promise.all(convs.map(awaitingReply)),
      ]);
      forgetGone(convs);
      const customerNames = new Map(customers.map((c) => [c.id, c.name]));
      const agentsById = new Map(agents.map((a) => [a.id, a]));
      const secondsSince = (at: Date) => Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
      const items = convs.map((c, i) => {
        const from = c.timestamps.queuedAt;
        const waitingNow = c.status === 'waiting' || c.status === 'offered';
        const until = waitingNow ? now : (c.timestamps.acceptedAt ?? now);
        const handledSince = waitingNow ? undefined : handlingSince(c.timestamps);
        const agent = c.agentId ? agentsById.get(c.agentId) : undefined;
        const waitingSeconds = from ? Math.max(0, Math.round((until.getTime() - from.getTime()) / 1000)) : 0;
        const awaitingSince = awaiting[i] ?? null;
        return {
          id: c.id,
          status: c.status as (typeof ONGOING)[number],
          channel: c.channel,
          queueId: c.queueId ?? null,
          agentId: c.agentId ?? null,
          waitingSeconds,
          // Handle time: since an agent took it, wrap-up included (the contact centre's handle time).
          handleSeconds: handledSince ? secondsSince(handledSince) : null,
          // The two above start again when the chat is transferred or assigned; the customer has
          // been in it since they began it.
          conversationSeconds: secondsSince(c.timestamps.createdAt),
          awaitingReplySince: awaitingSince,
          longWait: longWait({
            waitingNow,
            waitingSeconds,
            replyWaitSeconds: awaitingSince ? secondsSince(awaitingSince) : null,
          }),
          sentiment: c.sentiment?.level ?? 'neutral',
          sentimentScore: c.sentiment?.score ?? 0,
          customerName: customerNames.get(c.customerId) ?? 'Guest',
          agentName: agent?.name || null,
          // Whether the agent holding it is there to answer: one who went Offline or Away with the
          // chat still open leaves the customer waiting, which the board must show.
          agentPresence: agent ? apiPresence(agent.presence) : null,
          agentPresenceLabel: agent ? presenceWords(agent) : null,
          alerts: alerts.get(c.id)?.count ?? 0,
          lastAlert: alerts.get(c.id)?.last ?? null,
          customerAwaySince: c.customerAwaySince ?? null,
        };
      });
      return { items, total: totals.reduce((s, n) => s + n, 0) };
    },

    async realtime(agentId: string) {
      const queues = await myQueues(agentId);
      const streams = await repos.workstreams.list({ limit: 1000 });
      const now = deps.now();
      const [membersByQueue, backlogs] = await Promise.all([
        Promise.all(queues.map((q) => repos.agents.listInQueue(q.id))),
        Promise.all(queues.map((q) => repos.conversations.backlog(q.id))),
      ]);
      // Queues share agents: what each is handling is read once for all of them.
      const everyone = new Set(membersByQueue.flat().map((m) => m.id));
      const handling = await repos.conversations.handlingStates([...everyone]);
      return queues.map((q, i) =>
        queueRealtime(q, membersByQueue[i]!, handling, backlogs[i]!, offerRule(q, streams), now),
      );
    },
  };
}

const isNegative = (c: Conversation): boolean =>
  Boolean(c.sentiment && NEGATIVE_SENTIMENT_LEVELS.includes(c.sentiment.level));

export type SupervisorView = ReturnType<typeof createSupervisorView>;
