import type { Conversation, StoredEvent, Viewer } from '../domain/index.js';
import type { EventLogReader, EventTail } from './event-tail.js';
import { framesFor, type Frame, type FrameSource, type StreamState } from './frames.js';

// One live stream per signed-in user (docs/agent-api.md): a cursor over the global event log. On
// connect it replays what came after `since` from the log, then follows the tail; events that
// arrive during the replay wait in a buffer, so each event is sent once and in order.

export interface StreamConnection {
  close(): void;
}

export interface StreamHub {
  open(user: Viewer, since: number | undefined, send: (frame: Frame) => void): StreamConnection;
  /** Ephemeral frames (typing) that are never stored: sent to the users `to` chooses. */
  broadcast(to: (user: Viewer) => Promise<boolean> | boolean, frame: Omit<Frame, 'seq'>): void;
  readonly size: number;
}

export function createStreamHub(
  tail: EventTail,
  log: EventLogReader,
  source: FrameSource,
  onError: (err: unknown) => void,
): StreamHub {
  const streams = new Set<{
    user: Viewer;
    deliver(e: StoredEvent, c: CachedSource): void;
    typing(f: Frame): void;
  }>();

  /** One conversation read per event, shared by every stream that looks at it. */
  type CachedSource = FrameSource;
  const cached = (): CachedSource => {
    const convs = new Map<string, Promise<Conversation | null>>();
    return {
      ...source,
      conversation: (id) => {
        let p = convs.get(id);
        if (!p) convs.set(id, (p = source.conversation(id)));
        return p;
      },
    };
  };

  tail.subscribe((e) => {
    if (streams.size === 0) return;
    const src = cached();
    for (const s of streams) s.deliver(e, src);
  });

  return {
    get size() {
      return streams.size;
    },
    open(user, since, send) {
      const state: StreamState = { offers: new Map() };
      let cursor = since ?? tail.position;
      let replaying = since !== undefined;
      const buffered: Array<{ e: StoredEvent; src: CachedSource }> = [];
      let chain: Promise<void> = Promise.resolve();
      let open = true;

      const emit = async (e: StoredEvent, src: CachedSource) => {
        if (!open || e.seq <= cursor) return;
        cursor = e.seq;
        for (const f of await framesFor(e, user, src, state)) if (open) send(f);
      };
      const enqueue = (work: () => Promise<void>) => {
        chain = chain.then(work).catch(onError);
      };

      const stream = {
        user,
        deliver(e: StoredEvent, src: CachedSource) {
          if (replaying) buffered.push({ e, src });
          else enqueue(() => emit(e, src));
        },
        typing(f: Frame) {
          if (open) send({ ...f, seq: cursor });
        },
      };
      streams.add(stream);

      if (replaying) {
        enqueue(async () => {
          // Replay from the log up to where the tail stands, then hand over to the live buffer.
          for (;;) {
            const page = await log.readAfter(cursor, 500);
            const relevant = page.filter((e) => e.seq <= tail.position);
            if (relevant.length === 0) break;
            const src = cached();
            for (const e of relevant) await emit(e, src);
            if (relevant.length < page.length) break;
          }
          replaying = false;
          for (const { e, src } of buffered.splice(0)) await emit(e, src);
        });
      }

      return {
        close() {
          open = false;
          streams.delete(stream);
        },
      };
    },
    broadcast(to, frame) {
      for (const s of streams) {
        void Promise.resolve(to(s.user)).then((yes) => {
          if (yes) s.typing(frame as Frame);
        }, onError);
      }
    },
  };
}
