import type { CustomPresence, Deps, DomainEvent, StoredEvent } from '../domain/index.js';
import type { ConversationService } from '../conversations/index.js';
import type { Router } from '../routing/index.js';
import type { Repositories } from '../store/index.js';

/** What the agent desk works with: the store's repositories, routing, the customer side and the bus. */
export interface DeskPorts {
  repos: Pick<
    Repositories,
    | 'agents'
    | 'queues'
    | 'conversations'
    | 'messages'
    | 'customers'
    | 'events'
    | 'sessions'
    | 'workstreams'
    | 'files'
  >;
  router: Pick<
    Router,
    'accept' | 'reject' | 'pick' | 'reopen' | 'transfer' | 'end' | 'close' | 'abandon' | 'presence'
  >;
  conversations: Pick<
    ConversationService,
    'postAgentMessage' | 'repeatedSend' | 'announceMessage' | 'typing' | 'noteForAgents'
  >;
  bus: { publish(event: DomainEvent): Promise<StoredEvent> };
  deps: Deps;
  customPresences: readonly CustomPresence[];
  authMode: 'teams' | 'dev';
}
