import type { ConversationService } from '../../services/conversations/index.js';
import type { Deps, StoredEvent } from '../../services/domain/index.js';
import type { Logger } from '../../services/log.js';
import type { Router } from '../../services/routing/index.js';
import type { DocumentStore, Repositories } from '../../services/store/index.js';
import type { ProactiveSender } from './proactive-sender.js';

/** The services the Teams bot drives, through their public modules. */
export interface TeamsServices {
  router: Pick<Router, 'accept' | 'reject'>;
  repos: Pick<Repositories, 'agents' | 'conversations' | 'customers' | 'queues' | 'messages'>;
  conversations: Pick<ConversationService, 'postAgentMessage'>;
  /** A consultant leaves a conversation (ends their consult); absent until the service exists. */
  leaveConsult?(conversationId: string, agentId: string): Promise<unknown>;
  /** An agent's queues and their opt-in, as the agent desk keeps them. */
  queues?: QueuesPort;
}

export interface QueuesPort {
  me(agentId: string): Promise<{ queues: Array<{ id: string; name: string; optedIn: boolean }> }>;
  setQueueOptIn(agentId: string, queueId: string, optedIn: boolean): Promise<unknown>;
}

/** What every part of the Teams bot shares. */
export interface TeamsContext extends TeamsServices {
  store: DocumentStore;
  sender: ProactiveSender;
  bus: { subscribe(listener: (event: StoredEvent) => void): () => void };
  deps: Deps;
  log: Logger;
  /** Where a person opens a conversation in the agent workspace. */
  workspaceUrl(conversationId: string): string;
}
