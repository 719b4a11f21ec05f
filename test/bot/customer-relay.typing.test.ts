import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_ID } from './support/fixtures.js';
import { customerJoins, startTestBot, type TestBot } from './support/test-bot.js';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('the agent typing, as the customer sees it', () => {
  it("comes under the agent's name, as their messages do", async () => {
    t = await startTestBot();
    await t.say(customerJoins);
    await t.say('Dana Whitfield');
    await t.say('dana@example.com');
    await t.say('Technical');
    await t.say('skip');
    t.replies();
    const c = await t.conversation();
    t.conversations.typing({ conversationId: c.id, author: 'agent', agentId: AGENT_ID });
    await t.settle();
    const typing = t.replies().filter((a) => a.type === 'typing');
    expect(typing).toHaveLength(1);
    // The fixture's agent: the widget says "Alex Rivera is typing…", not its own title.
    expect(typing[0]?.from?.name).toBe('Alex Rivera');
  });
});
