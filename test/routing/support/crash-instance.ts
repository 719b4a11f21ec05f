// An instance that dies at the worst moment: it reserves an agent's capacity for a conversation and
// is killed before its claim on the conversation reaches the store. The fault is injected by
// wrapping the store, so the router under test is the production one.
// Usage: node --import tsx crash-instance.ts <mongodb uri> <conversation id>
import type {
  Collection,
  DocumentStore,
  Filter,
  FindOneAndUpdateOptions,
  Update,
} from '../../../services/store/index.js';
import { systemDeps } from '../../../services/domain/index.js';
import { EventBus } from '../../../services/events/index.js';
import { createRouter } from '../../../services/routing/index.js';
import { COLLECTIONS, createRepositories, openMongoStore } from '../../../services/store/index.js';

const [uri, conversationId] = process.argv.slice(2);
const real = await openMongoStore(uri!);

function dyingOnClaim<T extends object>(c: Collection<T>): Collection<T> {
  return new Proxy(c, {
    get(target, prop, receiver) {
      if (prop === 'findOneAndUpdate') {
        return async (filter: Filter, update: Update, options?: FindOneAndUpdateOptions) => {
          if (update.$set?.status === 'offered') {
            process.stderr.write('crashing between reservation and claim\n');
            process.exit(137);
          }
          return target.findOneAndUpdate(filter, update, options);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

const store: DocumentStore = {
  ...real,
  kind: real.kind,
  collection<T extends object>(name: string): Collection<T> {
    const c = real.collection<T>(name);
    return name === COLLECTIONS.conversations ? dyingOnClaim(c) : c;
  },
  close: () => real.close(),
};
const repos = await createRepositories(store, systemDeps);
const router = createRouter({
  repos,
  bus: new EventBus(repos.events, systemDeps.now),
  deps: systemDeps,
  sweepIntervalMs: 0,
});
await router.start();
await router.enqueue(conversationId!, 'crash test');
process.stderr.write('the claim never happened?\n');
process.exit(1);
