import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scoreSentiment } from '../../services/assist/index.js';
import {
  conversationPortsFromRepositories,
  createConversationService,
  type ConversationService,
} from '../../services/conversations/index.js';
import { DEMO_IDS, seedDemoData } from '../../services/demo/index.js';
import type { Conversation, ConversationStatus, Deps, StoredEvent } from '../../services/domain/index.js';
import { EventBus } from '../../services/events/index.js';
import { createRouter, type Router } from '../../services/routing/index.js';
import {
  createRepositories,
  openEmbeddedStore,
  type DocumentStore,
  type Repositories,
} from '../../services/store/index.js';
import { createWorkspace, type Workspace } from '../../services/workspace/index.js';

export const PUBLIC_URL = 'https://switchboard.example';

export interface World {
  store: DocumentStore;
  repos: Repositories;
  conversations: ConversationService;
  workspace: Workspace;
  events: StoredEvent[];
  deps: Deps & { advance(ms: number): void };
  close(): Promise<void>;
}

export function clock(start = new Date('2026-12-01T15:00:00Z')): World['deps'] {
  let now = start.getTime();
  let n = 0;
  return {
    now: () => new Date(now),
    newId: (prefix) => `${prefix}_${String(++n).padStart(5, '0')}`,
    random: () => 0.5,
    advance: (ms) => {
      now += ms;
    },
  };
}

/**
 * The demo contact center on a real embedded store in a temporary folder, with the real conversation
 * service (and router behind it) that agent messages go through.
 */
export async function demoWorld(open?: () => Promise<DocumentStore>): Promise<World> {
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-workspace-'));
  const store = open ? await open() : await openEmbeddedStore(dir);
  const deps = clock();
  const repos = await createRepositories(store, deps);
  await seedDemoData(repos, deps);
  const bus = new EventBus(repos.events, deps.now);
  const events: StoredEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const router: Router = createRouter({ repos, bus, deps, sweepIntervalMs: 0 });
  const conversations = createConversationService(
    conversationPortsFromRepositories(repos, { router, sentiment: scoreSentiment, bus }),
    deps,
  );
  const workspace = createWorkspace({ repos, conversations, deps, publicUrl: PUBLIC_URL });
  return {
    store,
    repos,
    conversations,
    workspace,
    events,
    deps,
    close: async () => {
      await router.stop();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A web chat of Dana Whitfield's in the technical queue. `active` conversations are Alex's (he
 * accepted it two minutes after it queued); `waiting` ones belong to nobody yet.
 */
export async function aConversation(
  w: { repos: Pick<Repositories, 'conversations'>; deps: Pick<Deps, 'now'> },
  opts: {
    status?: ConversationStatus;
    agentId?: string;
    queueId?: string;
    customerId?: string;
    preChat?: Record<string, string>;
    skills?: string[];
  } = {},
): Promise<Conversation> {
  const status = opts.status ?? 'active';
  const agentId = status === 'waiting' ? undefined : (opts.agentId ?? DEMO_IDS.agents.alex);
  const now = w.deps.now();
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
  return w.repos.conversations.create({
    channel: 'webchat',
    customerId: opts.customerId ?? DEMO_IDS.customers.dana,
    workstreamId: DEMO_IDS.workstreams.webchat,
    queueId: opts.queueId ?? DEMO_IDS.queues.technical,
    requiredSkills: opts.skills ?? ['outage'],
    status,
    ...(agentId
      ? { agentId, participants: [{ agentId, mode: 'primary' as const, joinedAt: minutesAgo(3) }] }
      : {}),
    context: {
      preChat: opts.preChat ?? { name: 'Dana Whitfield', topic: 'Internet outage' },
      portalNavigation: [
        { kind: 'page', title: 'Service status', url: 'https://northwind.example/status', at: minutesAgo(8) },
      ],
      visitor: { browser: 'Firefox 133', os: 'Windows 11', language: 'en-US', authenticated: false },
      custom: { plan: 'Fiber 500' },
    },
    timestamps: {
      createdAt: minutesAgo(6),
      escalatedAt: minutesAgo(5),
      queuedAt: minutesAgo(5),
      ...(agentId ? { acceptedAt: minutesAgo(3) } : {}),
    },
  });
}

/** What the customer said, through the real conversation service (scored, sequenced, published). */
export async function customerSays(
  w: { conversations: Pick<ConversationService, 'addCustomerMessage'> },
  conversationId: string,
  ...texts: string[]
): Promise<void> {
  for (const text of texts) await w.conversations.addCustomerMessage(conversationId, { text });
}

export const alex = { agentId: DEMO_IDS.agents.alex };
export const bianca = { agentId: DEMO_IDS.agents.bianca };
export const chen = { agentId: DEMO_IDS.agents.chen };
export const sam = { agentId: DEMO_IDS.supervisors.sam };
