import type { AgentDesk } from '../../services/agent-desk/index.js';
import type { Deps, StoredEvent } from '../../services/domain/index.js';
import type { Logger } from '../../services/log.js';
import type { DocumentStore, Repositories } from '../../services/store/index.js';
import type { ProactiveSender } from './proactive-sender.js';

/**
 * The services the Teams bot drives, through their public modules: what an agent does from Teams goes
 * through the same agent desk (and its access rule) as what they do in the tab.
 */
export interface TeamsServices {
  repos: Pick<Repositories, 'agents' | 'conversations' | 'customers' | 'queues' | 'messages'>;
  desk: TeamsDesk;
}

/** The slice of the agent desk (services/agent-desk) the Teams bot uses. */
export interface TeamsDesk {
  work: Pick<AgentDesk['work'], 'accept' | 'reject'>;
  profile: Pick<AgentDesk['profile'], 'me' | 'setQueueOptIn'>;
  conversation: Pick<AgentDesk['conversation'], 'post' | 'leave'>;
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
