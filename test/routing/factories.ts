import type { Agent, Conversation, Queue, Workstream } from '../../services/domain/index.js';

const T0 = new Date('2026-11-25T09:00:00Z');

export function anAgent(over: Partial<Agent> & { id: string }): Agent {
  return {
    name: over.id,
    email: `${over.id}@example.test`,
    roles: ['agent'],
    queueIds: ['q_general'],
    skills: [],
    capacity: 100,
    usedUnits: 0,
    activeItems: 0,
    presence: 'available',
    chosenPresence: 'available',
    sentimentThreshold: 'off',
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

export function aQueue(over: Partial<Queue> & { id: string }): Queue {
  return {
    name: over.id,
    workstreamIds: ['ws_chat'],
    priority: 0,
    assignmentMethod: 'highest-capacity',
    skillMatching: 'exact',
    overflow: [],
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

export function aWorkstream(over: Partial<Workstream> = {}): Workstream {
  return {
    id: 'ws_chat',
    name: 'Chat',
    channel: 'webchat',
    capacityCost: 25,
    offerTimeoutSeconds: 60,
    autoAccept: false,
    allowedPresences: ['available'],
    rules: [],
    fallbackQueueId: 'q_general',
    inactivityCloseMinutes: 30,
    preChatSurvey: [],
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

export function aConversation(over: Partial<Conversation> & { id: string }): Conversation {
  return {
    channel: 'webchat',
    customerId: 'cust_1',
    workstreamId: 'ws_chat',
    requiredSkills: [],
    context: { preChat: {}, portalNavigation: [], visitor: { authenticated: false }, custom: {} },
    status: 'bot',
    participants: [],
    declinedBy: [],
    transferCount: 0,
    lastMessageSeq: 0,
    lastActivityAt: T0,
    timestamps: { createdAt: T0 },
    version: 1,
    ...over,
  };
}
