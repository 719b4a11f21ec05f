import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Deps } from '../../../services/domain/index.js';
import { COLLECTIONS, createRepositories, type DocumentStore } from '../../../services/store/index.js';

// The multi-process routing suites share this set-up: one queue and work stream, N available agents,
// and many conversations written straight into the store, then router processes run as children.

const here = path.dirname(fileURLToPath(import.meta.url));

const deps: Deps = {
  now: () => new Date(),
  newId: (p) => `${p}_${Math.random().toString(36).slice(2)}`,
  random: Math.random,
};

export interface SharedRoutingSetup {
  agents: number;
  conversations: number;
  capacityCost: number;
  offerTimeoutSeconds: number;
  assignmentMethod?: 'highest-capacity' | 'round-robin' | 'least-active';
  /** `bot`: the instances enqueue them; `waiting`: already queued in `q_main`, oldest first. */
  status: 'bot' | 'waiting';
}

export async function seedSharedRouting(store: DocumentStore, setup: SharedRoutingSetup): Promise<void> {
  const repos = await createRepositories(store, deps);
  await repos.queues.create({
    id: 'q_main',
    name: 'Main',
    workstreamIds: ['ws_chat'],
    ...(setup.assignmentMethod ? { assignmentMethod: setup.assignmentMethod } : {}),
  });
  await repos.workstreams.create({
    id: 'ws_chat',
    name: 'Chat',
    channel: 'webchat',
    fallbackQueueId: 'q_main',
    capacityCost: setup.capacityCost,
    offerTimeoutSeconds: setup.offerTimeoutSeconds,
    allowedPresences: ['available'],
  });
  for (let i = 0; i < setup.agents; i++) {
    await repos.agents.create({
      id: `agent_${i}`,
      name: `Agent ${i}`,
      email: `a${i}@test.example`,
      queueIds: ['q_main'],
      presence: 'available',
      chosenPresence: 'available',
    });
  }
  await repos.customers.create({ id: 'cust_1', name: 'Customer' });
  const now = new Date();
  const waiting = setup.status === 'waiting';
  await store.collection(COLLECTIONS.conversations).insertMany(
    Array.from({ length: setup.conversations }, (_, i) => ({
      id: `conv_${i}`,
      channel: 'webchat',
      customerId: 'cust_1',
      workstreamId: 'ws_chat',
      ...(waiting ? { queueId: 'q_main' } : {}),
      requiredSkills: [],
      context: { preChat: {}, portalNavigation: [], visitor: { authenticated: false }, custom: {} },
      status: setup.status,
      participants: [],
      declinedBy: [],
      transferCount: 0,
      lastMessageSeq: 0,
      lastActivityAt: now,
      timestamps: waiting ? { createdAt: now, queuedAt: new Date(now.getTime() + i) } : { createdAt: now },
      version: 1,
      seenActivityIds: [],
    })),
  );
}

/** Runs a script of this folder as a child process; SIGKILLs it after `timeoutMs`. */
export function runScript(
  script: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, script), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}
