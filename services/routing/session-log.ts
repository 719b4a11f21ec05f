import type { StoredEvent } from '../domain/index.js';
import type { NewSession, Repositories } from '../store/index.js';

/** The events that create or move a session record. */
const RECORDED: ReadonlySet<StoredEvent['type']> = new Set([
  'conversation.offered',
  'conversation.accepted',
  'conversation.reopened',
  'conversation.offer_rejected',
  'conversation.offer_timed_out',
  'conversation.offer_withdrawn',
  'participant.left',
  'conversation.closed',
  'conversation.abandoned',
]);

function presented(event: Extract<StoredEvent, { type: 'conversation.offered' }>): NewSession {
  return {
    conversationId: event.conversationId,
    agentId: event.agentId,
    ...(event.queueId ? { queueId: event.queueId } : {}),
    mode: 'primary',
    state: 'presented',
    presentedAt: event.at,
    focusMs: 0,
  };
}

/**
 * Keeps the Session records (an agent's part in one conversation: presented, accepted, rejected,
 * timed out, ended — the basis of agent KPIs) in step with the routing events, through the sessions
 * repository. Each event maps to at most one write; updates select the agent's session of that
 * conversation in the state the event leaves, so replaying an event cannot open or move a second one.
 */
export class SessionLog {
  constructor(private readonly sessions: Repositories['sessions']) {}

  /**
   * The records of several events, in order; the presentations of consecutive offers are created
   * with one insert. A record another event moves later is created before that event is applied.
   */
  async recordAll(events: readonly StoredEvent[]): Promise<void> {
    let offers: NewSession[] = [];
    const flush = async () => {
      if (offers.length === 0) return;
      const batch = offers;
      offers = [];
      await this.sessions.createMany(batch);
    };
    for (const e of events) {
      if (e.type === 'conversation.offered') offers.push(presented(e));
      else if (RECORDED.has(e.type)) {
        await flush();
        await this.record(e);
      }
    }
    await flush();
  }

  async record(event: StoredEvent): Promise<void> {
    const at = event.at;
    switch (event.type) {
      case 'conversation.offered':
        await this.sessions.create(presented(event));
        return;
      case 'conversation.accepted':
        // A pick is presented and accepted in one step.
        if (event.picked) await this.openAccepted(event.conversationId, event.agentId, at, event.queueId);
        else
          await this.sessions.moveOpen(event.conversationId, event.agentId, 'presented', {
            state: 'accepted',
            acceptedAt: at,
          });
        return;
      case 'conversation.reopened':
        await this.openAccepted(event.conversationId, event.agentId, at, event.queueId);
        return;
      case 'conversation.offer_rejected':
        await this.sessions.moveOpen(event.conversationId, event.agentId, 'presented', {
          state: 'rejected',
          endedAt: at,
        });
        return;
      case 'conversation.offer_timed_out':
        await this.sessions.moveOpen(event.conversationId, event.agentId, 'presented', {
          state: 'timed-out',
          endedAt: at,
        });
        return;
      case 'conversation.offer_withdrawn':
        await this.sessions.moveOpen(event.conversationId, event.agentId, 'presented', {
          state: 'withdrawn',
          endedAt: at,
        });
        return;
      case 'participant.left':
        // Routing ends a primary part (a transfer), or the consult or monitor part of an agent who
        // takes the chat over, before their offer's session is accepted: one accepted session each.
        await this.sessions.moveOpen(event.conversationId, event.agentId, 'accepted', {
          state: 'ended',
          endedAt: at,
        });
        return;
      case 'conversation.closed':
      case 'conversation.abandoned':
        await this.sessions.endOpen(event.conversationId, at);
        return;
      default:
        return;
    }
  }

  private async openAccepted(conversationId: string, agentId: string, at: Date, queueId?: string) {
    await this.sessions.create({
      conversationId,
      agentId,
      ...(queueId ? { queueId } : {}),
      mode: 'primary',
      state: 'accepted',
      presentedAt: at,
      acceptedAt: at,
      focusMs: 0,
    });
  }
}
