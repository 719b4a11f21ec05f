// Child process for restart.test.ts: writes to the embedded store as fast as it can and prints the
// id of every write the store acknowledged, one per line, until it is killed.
import { systemDeps } from '../../../services/domain/deps.js';
import { createRepositories, openEmbeddedStore } from '../../../services/store/index.js';

const [dataDir, compactAfter] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: ack-writer <dataDir> [compactAfterLines]');

// A small threshold keeps the counters' datafile being rewritten while the kill lands.
const store = await openEmbeddedStore(
  dataDir,
  compactAfter ? { compactAfterLines: Number(compactAfter) } : {},
);
const repos = await createRepositories(store, systemDeps);
const queue = await repos.queues.create({ name: 'Technical support' });
const ws = await repos.workstreams.create({
  name: 'Web chat',
  channel: 'webchat',
  fallbackQueueId: queue.id,
});
const customer = await repos.customers.create({ name: 'Restart test' });
const conversation = await repos.conversations.create({
  channel: 'webchat',
  customerId: customer.id,
  workstreamId: ws.id,
});
process.stdout.write(`conversation ${conversation.id}\n`);

// Each written once, beside a document written over and over in the same collection (so its
// datafile is rewritten): an item whose line a rewrite lost is missing, not healed by a later write.
const items = store.collection<{ id: string; n?: number; pad?: string }>('items');
await items.insertOne({ id: 'churn', n: 0 });

// Several writers at once so the kill lands while writes are in flight.
async function writer(lane: number): Promise<never> {
  for (let i = 0; ; i++) {
    if (i % 3 === 2) {
      const id = `lane${lane}-${i}`;
      await Promise.all([
        items.insertOne({ id, pad: 'x'.repeat(200) }),
        items.updateOne({ id: 'churn' }, { $inc: { n: 1 } }),
        items.updateOne({ id: 'churn' }, { $inc: { n: 1 } }),
      ]);
      process.stdout.write(`item ${id}\n`);
    } else if (i % 3 === 0) {
      const { message } = await repos.messages.append({
        conversationId: conversation.id,
        author: 'customer',
        text: `lane ${lane} message ${i} ${'x'.repeat(200)}`,
      });
      process.stdout.write(`message ${message.id} ${message.seq}\n`);
    } else {
      const event = await repos.events.append({
        type: 'conversation.bot_resolved',
        conversationId: conversation.id,
      });
      process.stdout.write(`event ${event.seq}\n`);
    }
  }
}

await Promise.all([0, 1, 2, 3].map(writer));
