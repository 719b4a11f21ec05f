import type { ConversationStatus } from '../../services/domain/index.js';
import type { DialogInput, DialogState, EscalationReason } from './types.js';

/** Where the conversation stands on the agent side, as far as the customer's dialog cares. */
export interface AgentSide {
  status: ConversationStatus;
  /** Name of the agent who has it (accepted or offered), when there is one. */
  agentName?: string;
}

/**
 * Asked on each side of the agent's words the customer is still owed: before them, who they are
 * talking to; after them, that the agent left or the conversation ended.
 */
export type MissedWhen = 'before messages' | 'after messages';

/**
 * The next thing the customer should have been told and was not: the dialog says one thing (waiting,
 * with an agent) while the conversation says another (accepted, handed back, ended). Happens when the
 * process that would have told them died between the conversation's change and the dialog's step.
 * One input at a time: the dialog steps, and the next call sees what it then says (left, then joined).
 */
export function missedUpdate(state: DialogState, side: AgentSide, when: MissedWhen): DialogInput | null {
  if (state.phase !== 'queued' && state.phase !== 'with-agent') return null;
  switch (side.status) {
    case 'active':
    case 'wrap-up':
    case 'closed': {
      // An agent took it (and may have ended it since): who that is comes first, the end last.
      if (when === 'after messages') return side.status === 'active' ? null : { kind: 'conversationEnded' };
      if (!side.agentName && side.status !== 'active') return null;
      const name = side.agentName ?? 'An agent';
      if (state.phase === 'queued') return { kind: 'agentJoined', name };
      // With another agent than the one they were told of: a transfer and its accept both missed.
      return side.agentName && state.agentName && side.agentName !== state.agentName
        ? { kind: 'agentLeft' }
        : null;
    }
    case 'waiting':
    case 'offered':
      return when === 'after messages' && state.phase === 'with-agent' ? { kind: 'agentLeft' } : null;
    case 'abandoned':
      return when === 'after messages' ? { kind: 'conversationEnded' } : null;
    case 'bot':
      return null;
    default: {
      const unreachable: never = side.status;
      throw new Error(`Unknown conversation status ${String(unreachable)}`);
    }
  }
}

/**
 * The hand-over the dialog promised and routing never got: it says "waiting for an agent" (stored
 * before the escalation, so nothing is asked twice) while the conversation is still with the bot —
 * the escalation failed, or the process died before it. The reason to escalate with, or null.
 */
export function missedHandover(state: DialogState, status: ConversationStatus): EscalationReason | null {
  return state.phase === 'queued' && status === 'bot' ? (state.handover ?? 'requested') : null;
}
