// One server instance for the concurrency test: the production Router over the Mongo adapter,
// plus a crowd of simulated agents that accept, reject, ignore and pick work as fast as they can.
// Usage: node --import tsx routing-instance.ts <mongodb uri> <instance number> <first conv> <last conv>
// Prints one JSON line of counters on stdout when every conversation of the test is closed.
import type { Conversation } from '../../../services/domain/index.js';
import { systemDeps } from '../../../services/domain/index.js';
import { EventBus } from '../../../services/events/index.js';
import { createRouter } from '../../../services/routing/index.js';
import { COLLECTIONS, createRepositories, openMongoStore } from '../../../services/store/index.js';

const [uri, instanceArg, firstArg, lastArg, totalArg] = process.argv.slice(2);
const instance = Number(instanceArg);
const first = Number(firstArg);
const last = Number(lastArg);
const total = Number(totalArg);

const store = await openMongoStore(uri!);
const repos = await createRepositories(store, systemDeps);
const bus = new EventBus(repos.events, systemDeps.now);
const errors: string[] = [];
const router = createRouter({
  repos,
  bus,
  deps: systemDeps,
  sweepIntervalMs: 300,
  holdLeaseMs: 3000,
  log: (e) => {
    if (e.level === 'error') errors.push(`${e.msg}: ${String(e.error)}`);
  },
});
await router.start();
const AGENTS = (await store.collection<{ id: string }>(COLLECTIONS.agents).find({})).map((a) => a.id);

const stats = {
  instance,
  enqueued: 0,
  accepted: 0,
  picked: 0,
  rejected: 0,
  lostRaces: 0,
  closed: 0,
  unexpected: [] as string[],
};
const conversations = store.collection<Conversation>(COLLECTIONS.conversations);
let seed = instance * 7919 + 1;
const random = (): number => {
  seed = (seed * 16807) % 2147483647;
  return seed / 2147483647;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const EXPECTED = new Set([
  'conversation.not_offered_to_you',
  'conversation.illegal_transition',
  'conversation.not_open',
  'conversation.already_taken',
  'agent.no_capacity',
  'conversation.write_conflict',
]);

function lost(e: unknown): void {
  const code = (e as { code?: string }).code;
  if (code && EXPECTED.has(code)) stats.lostRaces += 1;
  else stats.unexpected.push(e instanceof Error ? `${code ?? ''} ${e.message}` : String(e));
}

async function handle(id: string): Promise<void> {
  await sleep(20 + random() * 60);
  await router.end(id, 'agent');
  await router.close(id, 'agent', 'resolved');
  stats.closed += 1;
}

// Arrivals: this instance's share of the conversations, spread over a couple of seconds.
const arrivals = (async () => {
  for (let i = first; i <= last; i++) {
    const id = `conv_${i}`;
    // As production does (the conversation service hands over only what is still with the bot, or
    // waiting): an item another instance already routed and closed is not handed over again.
    const c = await conversations.findOne({ id });
    if (c?.status === 'bot' || c?.status === 'waiting') {
      try {
        await router.enqueue(id, 'concurrency test');
      } catch (e) {
        lost(e); // routed by the other instance between the read and the hand-over
      }
    }
    stats.enqueued += 1;
    if (i % 10 === 0) await sleep(5);
  }
})();

const handling: Promise<void>[] = [];
const agentsLoop = (async () => {
  for (;;) {
    const closed = await conversations.count({ status: 'closed' });
    if (closed >= total) return;
    // Every agent answers the offers it can see, whoever made them; both instances do this, so
    // accepts race each other. Some offers are rejected, some left to time out.
    const offered = await conversations.find({ status: 'offered' }, { limit: 50 });
    await Promise.all(
      offered.map(async (c) => {
        const roll = random();
        if (roll < 0.08) return; // ignored: the offer times out
        try {
          if (roll < 0.16) {
            await router.reject(c.id, c.agentId!);
            stats.rejected += 1;
          } else {
            await router.accept(c.id, c.agentId!);
            stats.accepted += 1;
            handling.push(handle(c.id).catch(lost));
          }
        } catch (e) {
          lost(e);
        }
      }),
    );
    // Agents also pick from Open work items, racing the offers.
    const open = await conversations.find({ status: 'waiting' }, { limit: 6 });
    await Promise.all(
      open.map(async (c) => {
        const agentId = AGENTS[Math.floor(random() * AGENTS.length)]!;
        try {
          await router.pick(c.id, agentId);
          stats.picked += 1;
          handling.push(handle(c.id).catch(lost));
        } catch (e) {
          lost(e);
        }
      }),
    );
    await sleep(10);
  }
})();

await Promise.all([arrivals, agentsLoop]);
await Promise.all(handling);
// Capacity stranded by a crashed instance comes back through this instance's sweep once its lease
// has passed; stay up until every agent is free again (or give up and let the test say so).
const agentsCol = store.collection<{ usedUnits: number }>(COLLECTIONS.agents);
for (let waited = 0; waited < 15_000 && (await agentsCol.count({ usedUnits: { $gt: 0 } })) > 0; waited += 100)
  await sleep(100);
await router.stop();
await store.close();
process.stdout.write(JSON.stringify({ ...stats, errors: errors.slice(0, 5) }) + '\n');
process.exit(0);
