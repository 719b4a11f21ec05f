import type { KnowledgeArticle } from '../domain/index.js';

/** Where the articles come from: the knowledge repository. */
export interface ArticleSource {
  all(): Promise<KnowledgeArticle[]>;
  /** Changes whenever the articles do (count and newest `updatedAt`). */
  fingerprint(): Promise<string>;
  /** Article writes made in this process. */
  onChange(listener: () => void): () => void;
}

export interface FollowOptions {
  /** How often use of the built value checks the fingerprint for other writers' changes (ms, default 30 s). */
  checkEveryMs?: number;
  now?: () => number;
  onError?: (err: unknown) => void;
}

export interface FollowedArticles<T> {
  /** The first build (awaited), then the newest, waiting for a rebuild under way. */
  current(): Promise<T>;
  /** The newest build without waiting: customers' turns use it while a rebuild runs. */
  latest(): T;
}

/**
 * Something built from every article (the bot's classifier and index, the agents' search), kept up
 * to date: rebuilt as soon as an article is written here, and when a fingerprint check, at most every
 * `checkEveryMs` and only while the value is used, finds that another instance or the database
 * changed them. A rebuild reads and builds aside, and the new value replaces the old when ready.
 */
export function followArticles<T>(
  source: ArticleSource,
  build: (articles: KnowledgeArticle[]) => T,
  options: FollowOptions = {},
): FollowedArticles<T> {
  const checkEveryMs = options.checkEveryMs ?? 30_000;
  const now = options.now ?? Date.now;
  const onError = options.onError ?? (() => undefined);
  let built: { value: T } | undefined;
  let known: string | undefined;
  let checkedAt = 0;
  let rebuilding: Promise<void> | undefined;
  let again = false;
  let checking = false;

  async function buildUntilCurrent(): Promise<void> {
    try {
      do {
        again = false;
        // Read before the articles: a write between the two is seen by the next check.
        const mark = await source.fingerprint();
        built = { value: build(await source.all()) };
        known = mark;
        checkedAt = now();
      } while (again);
    } finally {
      // In the same step as the last look at `again`: a change told after it starts a new rebuild.
      rebuilding = undefined;
    }
  }

  /** One rebuild at a time; a change during one asks for one more pass. */
  function rebuild(): Promise<void> {
    if (rebuilding) {
      again = true;
      return rebuilding;
    }
    rebuilding = buildUntilCurrent();
    return rebuilding;
  }

  function checkIfDue(): void {
    if (checking || rebuilding || now() - checkedAt < checkEveryMs) return;
    checking = true;
    checkedAt = now();
    source
      .fingerprint()
      .then((mark) => (mark === known ? undefined : rebuild()))
      .catch(onError)
      .finally(() => {
        checking = false;
      });
  }

  source.onChange(() => {
    rebuild().catch(onError);
  });

  return {
    async current() {
      if (!built) await (rebuilding ?? rebuild());
      // A failed rebuild was reported by whoever started it; the build before it serves meanwhile.
      else if (rebuilding) await rebuilding.catch(() => undefined);
      checkIfDue();
      return (built as { value: T }).value;
    },
    latest() {
      if (!built) throw new Error('the knowledge base was not read yet: await current() first');
      checkIfDue();
      return built.value;
    },
  };
}
