import type { DomainEvent, Session } from '../domain/index.js';
import type { Collection } from '../store/index.js';

/**
 * Keeps the Session records (an agent's part in one conversation: presented, accepted, rejected,
 * timed out, ended — DESIGN.md §3, the basis of agent KPIs) in step with the routing events, so
 * Insights can count presented / rejected / timed-out sessions and active time per agent.
 *
 * Each event maps to at most one single-document write; updates select the agent's open session of
 * that conversation, so replaying an event cannot open a second one.
 */
export class SessionLog {
  constructor(
    private readonly sessions: Collection<Session>,
    private readonly newId: (prefix: string) => string,
  ) {}

  async record(event: DomainEvent, at: Date): Promise<void> {
    switch (event.type) {
      case 'conversation.offered':
        await this.sessions.insertOne({
          id: this.newId('sess'),
          conversationId: event.conversationId,
          agentId: event.agentId,
          ...(event.queueId ? { queueId: event.queueId } : {}),
          mode: 'primary',
          state: 'presented',
          presentedAt: at,
          focusMs: 0,
        });
        return;
      case 'conversation.accepted':
        if (event.picked) {
          // A pick is presented and accepted in one step.
          await this.sessions.insertOne({
            id: this.newId('sess'),
            conversationId: event.conversationId,
            agentId: event.agentId,
            ...(event.queueId ? { queueId: event.queueId } : {}),
            mode: 'primary',
            state: 'accepted',
            presentedAt: at,
            acceptedAt: at,
            focusMs: 0,
          });
        } else
          await this.move(event.conversationId, event.agentId, 'presented', {
            state: 'accepted',
            acceptedAt: at,
          });
        return;
      case 'conversation.reopened':
        await this.sessions.insertOne({
          id: this.newId('sess'),
          conversationId: event.conversationId,
          agentId: event.agentId,
          mode: 'primary',
          state: 'accepted',
          presentedAt: at,
          acceptedAt: at,
          focusMs: 0,
        });
        return;
      case 'conversation.offer_rejected':
        await this.move(event.conversationId, event.agentId, 'presented', { state: 'rejected', endedAt: at });
        return;
      case 'conversation.offer_timed_out':
        await this.move(event.conversationId, event.agentId, 'presented', {
          state: 'timed-out',
          endedAt: at,
        });
        return;
      case 'participant.left':
        if (event.mode === 'primary')
          await this.move(event.conversationId, event.agentId, 'accepted', { state: 'ended', endedAt: at });
        return;
      case 'conversation.abandoned':
        // The customer left while the item was offered: that presentation ends unanswered.
        await this.sessions.updateMany(
          { conversationId: event.conversationId, state: 'presented' },
          { $set: { state: 'ended', endedAt: at } },
        );
        return;
      default:
        return;
    }
  }

  private async move(
    conversationId: string,
    agentId: string,
    from: Session['state'],
    fields: Partial<Session>,
  ): Promise<void> {
    await this.sessions.updateOne({ conversationId, agentId, state: from }, { $set: fields });
  }
}
