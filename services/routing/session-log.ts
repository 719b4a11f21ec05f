import type { StoredEvent } from '../domain/index.js';
import type { Repositories } from '../store/index.js';

/**
 * Keeps the Session records (an agent's part in one conversation: presented, accepted, rejected,
 * timed out, ended — the basis of agent KPIs) in step with the routing events, through the sessions
 * repository. Each event maps to at most one write; updates select the agent's session of that
 * conversation in the state the event leaves, so replaying an event cannot open or move a second one.
 */
export class SessionLog {
  constructor(private readonly sessions: Repositories['sessions']) {}

  async record(event: StoredEvent): Promise<void> {
    const at = event.at;
    switch (event.type) {
      case 'conversation.offered':
        await this.sessions.create({
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
        // A pick is presented and accepted in one step.
        if (event.picked) await this.openAccepted(event.conversationId, event.agentId, at, event.queueId);
        else
          await this.sessions.moveOpen(event.conversationId, event.agentId, 'presented', {
            state: 'accepted',
            acceptedAt: at,
          });
        return;
      case 'conversation.reopened':
        await this.openAccepted(event.conversationId, event.agentId, at);
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
      case 'participant.left':
        if (event.mode === 'primary')
          await this.sessions.moveOpen(event.conversationId, event.agentId, 'accepted', {
            state: 'ended',
            endedAt: at,
          });
        return;
      case 'conversation.abandoned':
        await this.sessions.endPresentations(event.conversationId, at);
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
