import type { Deps, Message, Visibility } from '../domain/index.js';
import type { Repositories } from '../store/index.js';

// What the agent workspace needs from its neighbours. The store repositories are the records; every
// message to a conversation goes through the conversation service, so the bot's relay delivers the
// public ones to the customer's channel exactly as it does for typed replies.

export type WorkspaceRecords = Pick<
  Repositories,
  | 'agents'
  | 'conversations'
  | 'customers'
  | 'cases'
  | 'notes'
  | 'quickReplies'
  | 'macros'
  | 'agentScripts'
  | 'knowledgeArticles'
  | 'queues'
  | 'workstreams'
  | 'messages'
  | 'scriptProgress'
>;

export interface AgentMessages {
  postAgentMessage(id: string, agentId: string, text: string, visibility: Visibility): Promise<Message>;
}

export interface WorkspacePorts {
  repos: WorkspaceRecords;
  conversations: AgentMessages;
  deps: Deps;
  /** The server's public base URL (no trailing slash): knowledge links customers open start with it. */
  publicUrl: string;
}

/** Who is acting: the signed-in agent or supervisor. Roles and queues are read from the store, not trusted from a token. */
export interface Actor {
  agentId: string;
}
