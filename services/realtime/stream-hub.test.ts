import { describe, expect, it } from 'vitest';
import {
  AUDIENCE_FIELDS,
  type Conversation,
  type ConversationAudience,
  type Message,
  type StoredEvent,
  type Viewer,
} from '../domain/index.js';
import { EventBus } from '../events/index.js';
import type { EventTail, TailListener } from './event-tail.js';
import type { Frame, FrameSource } from './frames.js';
import { createStreamHub } from './stream-hub.js';

// The hub reads what an event names from a FrameSource port; these tests give it one whose reads
// answer only when told, so the order of the reads (and which are made at all) can be seen.

const agent: Viewer = { agentId: 'agent-1', roles: ['agent'], queueIds: ['q-1'] };

function conversation(over: Partial<Conversation> = {}): Conversation {
  return {
    id: 'conv-1',
    status: 'active',
    agentId: 'agent-1',
    queueId: 'q-1',
    participants: [],
    ...over,
  } as Conversation;
}

let seq = 0;
function messageAdded(conversationId = 'conv-1'): StoredEvent {
  seq += 1;
  return {
    seq,
    type: 'message.added',
    conversationId,
    messageId: `msg-${seq}`,
    messageSeq: seq,
    author: 'customer',
    visibility: 'public',
    at: new Date(),
  } as unknown as StoredEvent;
}

/** Every read here answers in a promise, no I/O: one turn of the event loop runs all that follows. */
const settle = () => new Promise((r) => setImmediate(r));

function rig() {
  let listener: TailListener = () => undefined;
  const tail = {
    position: 0,
    subscribe(l: TailListener) {
      listener = l;
      return () => undefined;
    },
  } as unknown as EventTail;
  const reads: string[] = [];
  /** Each conversation read answers when the test calls its answer. */
  const answers: Array<(c: Conversation | null) => void> = [];
  const source: FrameSource = {
    conversation: (id) => {
      reads.push(`conversation ${id}`);
      return new Promise((resolve) => answers.push(resolve));
    },
    agent: () => Promise.resolve(null),
    offer: () => Promise.resolve({}),
    // As the app's source: a message handed over (`known`) is shown as it is, none is read.
    message: (cid, mid, known) => {
      if (known) return Promise.resolve({ id: known.id, conversationId: cid, text: known.text });
      reads.push(`message ${mid}`);
      return Promise.resolve({ id: mid, conversationId: cid, text: 'hi' });
    },
    presence: () => 'available',
  };
  const errors: unknown[] = [];
  const hub = createStreamHub(tail, { readAfter: async () => [], lastSeq: async () => 0 }, source, (e) =>
    errors.push(e),
  );
  const frames: Frame[] = [];
  const until = async (ok: () => boolean) => {
    while (!ok()) await settle();
  };
  return {
    hub,
    reads,
    frames,
    errors,
    until,
    open: (user: Viewer) => hub.open(user, undefined, (f) => frames.push(f)),
    publish: (e: StoredEvent) => listener(e, 'local'),
    answerConversation: (i: number, c: Conversation | null) => answers[i]!(c),
  };
}

describe('stream hub: reading a message beside its conversation', () => {
  it("reads the next message of a conversation whose messages a stream is told before the conversation's read answers", async () => {
    const r = rig();
    r.open(agent);
    const first = messageAdded();
    r.publish(first);
    // The first message of a conversation: nothing known yet, so the message waits for the conversation.
    expect(r.reads).toEqual(['conversation conv-1']);
    r.answerConversation(0, conversation());
    await r.until(() => r.frames.length === 1);
    expect(r.reads).toEqual(['conversation conv-1', `message msg-${first.seq}`]);

    const second = messageAdded();
    r.publish(second);
    // Both reads are under way before either answers.
    expect(r.reads.slice(2)).toEqual(['conversation conv-1', `message msg-${second.seq}`]);
    r.answerConversation(1, conversation());
    await r.until(() => r.frames.length === 2);
    expect(r.frames.map((f) => (f.message as { id: string }).id)).toEqual([
      `msg-${first.seq}`,
      `msg-${second.seq}`,
    ]);
    expect(r.errors).toEqual([]);
  });

  it('reads no message ahead for a conversation nobody here is told the messages of', async () => {
    const r = rig();
    // Queue members see a conversation waiting or leaving the queue, not its messages.
    r.open({ agentId: 'agent-2', roles: ['agent'], queueIds: ['q-1'] });
    r.publish(messageAdded());
    r.answerConversation(0, conversation());
    await settle();
    r.publish(messageAdded());
    r.answerConversation(1, conversation());
    await settle();
    // The message is never read, ahead or after.
    expect(r.reads).toEqual(['conversation conv-1', 'conversation conv-1']);
    expect(r.frames).toEqual([]);
  });

  /** A rig whose agent's stream was told a message of conv-1, and a next message read ahead. */
  async function readingAhead() {
    const r = rig();
    r.open(agent);
    r.publish(messageAdded());
    r.answerConversation(0, conversation());
    await r.until(() => r.frames.length === 1);
    const next = messageAdded();
    r.publish(next);
    expect(r.reads.at(-1)).toBe(`message msg-${next.seq}`);
    return r;
  }

  it('stops reading ahead when the stream is no longer told the messages, and the access rule still decides', async () => {
    const r = await readingAhead();
    // The conversation went to another agent: this stream is no longer told its messages.
    r.answerConversation(1, conversation({ agentId: 'agent-3' }));
    await settle();
    expect(r.frames).toHaveLength(1);
    // The guess was wrong once; the next message is not read ahead.
    r.publish(messageAdded());
    expect(r.reads.at(-1)).toBe('conversation conv-1');
  });

  it('stops reading ahead once the conversation ended', async () => {
    const r = await readingAhead();
    r.answerConversation(1, conversation({ status: 'closed' }));
    await r.until(() => r.frames.length === 2);
    r.publish(messageAdded());
    expect(r.reads.at(-1)).toBe('conversation conv-1');
  });
});

describe('stream hub: what the publisher carried', () => {
  /**
   * A `message.added` as this process's bus publishes it, carrying the message it stored and, when
   * given, the conversation's audience as the message's write left it.
   */
  async function publishedHere(audience?: Conversation) {
    seq += 1;
    const bus = new EventBus(
      { append: async (e, at) => ({ ...e, seq, at }) as StoredEvent },
      () => new Date(),
    );
    const message = {
      id: `msg-${seq}`,
      conversationId: 'conv-1',
      seq,
      author: 'customer',
      text: 'my router blinks',
      visibility: 'public',
      attachments: [],
      createdAt: new Date(),
    } as Message;
    const event = await bus.publish(
      {
        type: 'message.added',
        conversationId: 'conv-1',
        messageId: message.id,
        messageSeq: seq,
        author: 'customer',
        visibility: 'public',
      },
      audience
        ? {
            message,
            audience: Object.fromEntries(
              AUDIENCE_FIELDS.map((f) => [f, audience[f]]),
            ) as ConversationAudience,
          }
        : { message },
    );
    return event as typeof event & { messageId: string };
  }

  it('tells a stream of a message published here without reading the message', async () => {
    const r = rig();
    r.open(agent);
    r.publish(await publishedHere());
    r.answerConversation(0, conversation());
    await r.until(() => r.frames.length === 1);
    expect(r.frames[0]).toMatchObject({
      type: 'conversation.message',
      message: { text: 'my router blinks' },
    });
    expect(r.reads).toEqual(['conversation conv-1']);
  });

  it('reads the message for the same event read back from the log', async () => {
    const r = rig();
    r.open(agent);
    const readBack = { ...(await publishedHere()) };
    r.publish(readBack);
    r.answerConversation(0, conversation());
    await r.until(() => r.frames.length === 1);
    expect(r.reads).toEqual(['conversation conv-1', `message ${readBack.messageId}`]);
  });

  it('reads nothing for a message published here with its audience, and the access rule decides from it', async () => {
    const r = rig();
    r.open(agent);
    // A queue member is told a conversation enters or leaves the queue, never its messages.
    const member: Frame[] = [];
    r.hub.open({ agentId: 'agent-2', roles: ['agent'], queueIds: ['q-1'] }, undefined, (f) => member.push(f));
    // Had the hub read the conversation, the read would never answer and no frame would come.
    r.publish(await publishedHere(conversation()));
    await r.until(() => r.frames.length === 1);
    expect(r.frames[0]).toMatchObject({
      type: 'conversation.message',
      message: { text: 'my router blinks' },
    });
    await settle();
    expect(member).toEqual([]);
    expect(r.reads).toEqual([]);
  });

  it('tells nobody of a message published here whose audience leaves them out', async () => {
    const r = rig();
    r.open(agent);
    r.publish(await publishedHere(conversation({ agentId: 'agent-9', queueId: 'q-9' })));
    const later = await publishedHere(conversation());
    r.publish(later);
    await r.until(() => r.frames.length === 1);
    expect(r.frames.map((f) => (f.message as { id: string }).id)).toEqual([later.messageId]);
    expect(r.reads).toEqual([]);
    expect(r.errors).toEqual([]);
  });
});
