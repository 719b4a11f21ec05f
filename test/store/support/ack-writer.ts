// Child process for restart.test.ts: writes to the embedded store as fast as it can and prints the
// id of every write the store acknowledged, one per line, until it is killed.
import { systemDeps } from '../../../services/domain/deps.js';
import { createRepositories, openEmbeddedStore } from '../../../services/store/index.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: ack-writer <dataDir>');

const store = await openEmbeddedStore(dataDir);
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

// Several writers at once so the kill lands while writes are in flight.
async function writer(lane: number): Promise<never> {
  for (let i = 0; ; i++) {
    if (i % 2 === 0) {
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
