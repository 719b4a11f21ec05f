import {
  isEnded,
  type Agent,
  type Conversation,
  type ConversationAudience,
  type Message,
  type StoredEvent,
  type Viewer,
} from '../domain/index.js';
import { carriedAudience, carriedMessage } from '../events/index.js';
import type { EventLogReader, EventTail } from './event-tail.js';
import { framesFor, hearsMessages, type Frame, type FrameSource, type StreamState } from './frames.js';

// One live stream per signed-in user (docs/agent-api.md): a cursor over the global event log. On
// connect it replays what came after `since` from the log, then follows the tail; events that
// arrive during the replay wait in a buffer, so each event is sent once and in order.
//
// Work per event is done once, not once per stream: the conversation, message and agent an event
// names are read once and shared, frames that read the same for everyone are built once (so the
// socket layer serializes them once), and only the streams that can be told about the event look
// at it — found through indexes by agent, queue, role and pending offer rather than by asking all.

export interface StreamConnection {
  close(): void;
  /** The user's roles or queues changed: from the next event on, the stream hears what they allow. */
  update(user: Viewer): void;
}

/** Options of the hub; `replayEvents`: see `ApiLimits.replayEvents` (docs/agent-api.md). */
export interface StreamHubOptions {
  replayEvents?: number;
}

/** Read back from the log in pages this long, with a turn of the event loop between them. */
const REPLAY_PAGE = 200;
const DEFAULT_REPLAY_EVENTS = 5000;

export interface StreamHub {
  open(user: Viewer, since: number | undefined, send: (frame: Frame) => void): StreamConnection;
  /** Ephemeral frames (typing) that are never stored: sent to the users `to` chooses. */
  broadcast(to: (user: Viewer) => Promise<boolean> | boolean, frame: Omit<Frame, 'seq'>): void;
  readonly size: number;
}

/** What one event's delivery shares between every stream it reaches. */
type EventContext = FrameSource & Required<Pick<FrameSource, 'audience'>>;

interface Stream {
  user: Viewer;
  state: StreamState;
  deliver(e: StoredEvent, ctx: EventContext): void;
  typing(f: Omit<Frame, 'seq'>): void;
}

function anyHears(streams: Iterable<Stream>, c: ConversationAudience): boolean {
  for (const s of streams) if (hearsMessages(s.user, c)) return true;
  return false;
}

/** Event fields that name an agent the event may concern directly. */
const NAMED_AGENTS = ['agentId', 'fromAgentId', 'toAgentId', 'recipientId'] as const;

export function createStreamHub(
  tail: EventTail,
  log: EventLogReader,
  source: FrameSource,
  onError: (err: unknown) => void,
  options: StreamHubOptions = {},
): StreamHub {
  const replayEvents = options.replayEvents ?? DEFAULT_REPLAY_EVENTS;
  const streams = new Set<Stream>();
  const byAgent = new Map<string, Set<Stream>>();
  const byQueue = new Map<string, Set<Stream>>();
  const admins = new Set<Stream>();
  const supervisors = new Set<Stream>();
  /** Streams that were shown an offer on the conversation and not yet told it closed. */
  const offerHolders = new Map<string, Set<Stream>>();

  const index = (m: Map<string, Set<Stream>>, key: string, s: Stream) => {
    let set = m.get(key);
    if (!set) m.set(key, (set = new Set()));
    set.add(s);
  };
  const unindex = (m: Map<string, Set<Stream>>, key: string, s: Stream) => {
    const set = m.get(key);
    if (set?.delete(s) && set.size === 0) m.delete(key);
  };

  /**
   * `carried`: what the publisher of the event had in hand, when it was this process (`Carried`):
   * the message it announces, as stored, and its conversation's audience.
   */
  const context = (carried: { message?: Message; audience?: ConversationAudience } = {}): EventContext => {
    const convs = new Map<string, Promise<Conversation | null>>();
    const agents = new Map<string, Promise<Agent | null>>();
    const messages = new Map<string, Promise<Record<string, unknown> | null>>();
    const frames = new Map<string, Frame>();
    const once = <T>(m: Map<string, T>, key: string, make: () => T): T => {
      let v = m.get(key);
      if (v === undefined) m.set(key, (v = make()));
      return v;
    };
    const conversation = (id: string) => once(convs, id, () => source.conversation(id));
    return {
      ...source,
      conversation,
      audience: (id) => (carried.audience?.id === id ? Promise.resolve(carried.audience) : conversation(id)),
      agent: (id) => once(agents, id, () => source.agent(id)),
      message: (cid, mid) =>
        once(messages, `${cid}\n${mid}`, () =>
          source.message(
            cid,
            mid,
            carried.message?.id === mid && carried.message.conversationId === cid
              ? carried.message
              : undefined,
          ),
        ),
      shared: (key, make) => once(frames, key, make),
    };
  };

  /**
   * Every stream `framesFor` could make a frame for: those of the agents the event or conversation
   * names, the members and supervisors of its queue, admins, and holders of its pending offer.
   * A superset is safe (the access rule still decides); a stream left out would miss a frame.
   */
  function audience(e: StoredEvent, c: ConversationAudience | null): Set<Stream> {
    const out = new Set<Stream>();
    const add = (set: Set<Stream> | undefined) => {
      if (set) for (const s of set) out.add(s);
    };
    const fields = e as unknown as Record<string, unknown>;
    for (const k of NAMED_AGENTS) if (typeof fields[k] === 'string') add(byAgent.get(fields[k]));
    if (e.type === 'presence.changed') {
      add(supervisors);
      return out;
    }
    if (!('conversationId' in e) || !c) return out;
    if (c.agentId) add(byAgent.get(c.agentId));
    for (const p of c.participants) add(byAgent.get(p.agentId));
    if (c.queueId) add(byQueue.get(c.queueId));
    add(admins);
    add(offerHolders.get(e.conversationId));
    return out;
  }

  /**
   * Conversations whose last message a stream here was told: the next one's message is read beside
   * the conversation rather than after it (one store round trip fewer on the way to the agent). A
   * guess from the last message, so a conversation nobody here follows costs no read for nothing.
   */
  const readAhead = new Set<string>();

  // Events reach streams in log order: the conversation is fetched as soon as the event arrives, and
  // the hand-out waits only for the events before it.
  let dispatching: Promise<void> = Promise.resolve();
  tail.subscribe((e) => {
    if (streams.size === 0) {
      readAhead.clear();
      return;
    }
    const ctx = context({ message: carriedMessage(e), audience: carriedAudience(e) });
    // A message's frames need only who may see its conversation (`FrameSource.audience`).
    const conversation =
      'conversationId' in e
        ? e.type === 'message.added'
          ? ctx.audience(e.conversationId)
          : ctx.conversation(e.conversationId)
        : null;
    // A failed read is reported by the streams that wait for it; nobody may wait for this one.
    if (e.type === 'message.added' && readAhead.has(e.conversationId))
      ctx.message(e.conversationId, e.messageId).catch(() => undefined);
    dispatching = dispatching
      .then(async () => {
        const c = conversation ? await conversation : null;
        const told = audience(e, c);
        for (const s of told) s.deliver(e, ctx);
        if (!c) return;
        if (isEnded(c.status)) readAhead.delete(c.id);
        else if (e.type === 'message.added') {
          if (anyHears(told, c)) readAhead.add(c.id);
          else readAhead.delete(c.id);
        }
      })
      .catch(onError);
  });

  return {
    get size() {
      return streams.size;
    },
    open(user, since, send) {
      const state: StreamState = { offers: new Map() };
      // Resuming from further back than the window would replay the world (every user's events
      // since then, each read and checked): the stream starts at the window and says so.
      const oldest = Math.max(0, tail.position - replayEvents);
      const resync =
        since !== undefined && since < oldest ? { missedAfter: since, resumedAfter: oldest } : null;
      let cursor = resync ? oldest : (since ?? tail.position);
      const openedAt = tail.position;
      let replaying = since !== undefined;
      const buffered: Array<[StoredEvent, EventContext]> = [];
      const queue: Array<[StoredEvent, EventContext]> = [];
      let draining = false;
      let open = true;

      const emit = async (e: StoredEvent, ctx: EventContext) => {
        if (!open || e.seq <= cursor) return;
        cursor = e.seq;
        const conversationId = 'conversationId' in e ? e.conversationId : undefined;
        const held = conversationId !== undefined && state.offers.has(conversationId);
        for (const f of await framesFor(e, stream.user, ctx, state)) if (open) send(f);
        if (conversationId !== undefined && open && held !== state.offers.has(conversationId)) {
          if (held) unindex(offerHolders, conversationId, stream);
          else index(offerHolders, conversationId, stream);
        }
      };
      const drain = async () => {
        if (draining || replaying) return;
        draining = true;
        try {
          for (let next = queue.shift(); next; next = queue.shift()) {
            await emit(next[0], next[1]).catch(onError);
          }
        } finally {
          draining = false;
        }
      };

      const stream: Stream = {
        user,
        state,
        deliver(e, ctx) {
          if (replaying) buffered.push([e, ctx]);
          else {
            queue.push([e, ctx]);
            void drain();
          }
        },
        typing(f) {
          if (open) send({ ...f, seq: cursor } as Frame);
        },
      };
      const indexUser = (u: Viewer) => {
        index(byAgent, u.agentId, stream);
        for (const q of u.queueIds) index(byQueue, q, stream);
        if (u.roles.includes('admin')) admins.add(stream);
        if (u.roles.includes('supervisor')) supervisors.add(stream);
      };
      const unindexUser = (u: Viewer) => {
        unindex(byAgent, u.agentId, stream);
        for (const q of u.queueIds) unindex(byQueue, q, stream);
        admins.delete(stream);
        supervisors.delete(stream);
      };
      streams.add(stream);
      indexUser(user);

      if (resync) send({ seq: resync.resumedAfter, type: 'stream.resync', ...resync });
      if (replaying) {
        void (async () => {
          try {
            // A `since` past the tail may be an event another instance wrote that this one's tail
            // has not read yet; past the log's own head it is no event at all (another server's
            // log, a store restored from a backup, a client's bug), and taking it would drop every
            // event up to that number. Like a `since` too old, it resumes at the head, and says so.
            if (since !== undefined && since > openedAt && since > (await log.lastSeq())) {
              if (!open) return;
              cursor = openedAt;
              send({ seq: openedAt, type: 'stream.resync', missedAfter: since, resumedAfter: openedAt });
            }
            // Replay from the log up to where the tail stands, then hand over to the live buffer;
            // a page at a time with a turn of the event loop between (other streams, requests and
            // the tail go on meanwhile), and no further once the stream is closed.
            while (open) {
              const page = await log.readAfter(cursor, REPLAY_PAGE);
              const relevant = page.filter((e) => e.seq <= tail.position);
              if (relevant.length === 0) break;
              // Read back from the log: nothing is carried.
              const ctx = context();
              for (const e of relevant) if (open) await emit(e, ctx);
              if (relevant.length < page.length) break;
              await new Promise<void>((resolve) => setImmediate(resolve));
            }
          } catch (err) {
            onError(err);
          }
          if (!open) return;
          queue.unshift(...buffered.splice(0));
          replaying = false;
          void drain();
        })();
      }

      return {
        close() {
          if (!open) return;
          open = false;
          streams.delete(stream);
          unindexUser(stream.user);
          for (const conversationId of state.offers.keys()) unindex(offerHolders, conversationId, stream);
          queue.length = 0;
          buffered.length = 0;
        },
        update(next) {
          if (!open) return;
          unindexUser(stream.user);
          stream.user = next;
          indexUser(next);
        },
      };
    },
    broadcast(to, frame) {
      for (const s of streams) {
        void Promise.resolve(to(s.user)).then((yes) => {
          if (yes) s.typing(frame);
        }, onError);
      }
    },
  };
}
