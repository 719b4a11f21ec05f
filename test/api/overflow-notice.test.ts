import type { Activity } from 'botframework-directlinejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemDeps } from '../../services/domain/index.js';
import { DEMO_IDS } from '../../services/demo/demo-ids.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, until } from './support/clients.js';
import { customerPastSurvey } from './support/live-conversation.js';

// A customer waits in Billing when it closes (8 pm Eastern on a Friday); its overflow rule ends the
// chat with a message: the customer, on the official Direct Line client, reads the message before
// the chat ends, not after its end and the survey.

/** Friday 2026-12-04, 7:58 pm Eastern: Billing is open for two more minutes. */
const FRIDAY_BEFORE_CLOSING = new Date('2026-12-05T00:58:00Z');

let server: TestServer;
let shiftMs = FRIDAY_BEFORE_CLOSING.getTime() - Date.now();
beforeAll(async () => {
  server = await startTestServer({
    env: { AUTH_MODE: 'dev' },
    app: { deps: { ...systemDeps, now: () => new Date(Date.now() + shiftMs) } },
  });
});
afterAll(() => server?.close());

const says = (pattern: RegExp) => (a: Activity) => a.type === 'message' && pattern.test(a.text ?? '');

describe("a closed queue's overflow message", () => {
  it('reaches the customer waiting at closing time before the end of the chat', async () => {
    // Nobody is free, so the customer waits in Billing.
    for (const id of [...Object.values(DEMO_IDS.agents), DEMO_IDS.supervisors.sam]) {
      await (await signIn(server.url, id)).call('PUT', '/me/presence', { presence: 'away' });
    }
    const customer = await customerPastSurvey(
      server.url,
      { userId: 'dl_overflow_customer', name: 'Robin Park' },
      'Billing',
    );
    await customer.post({ type: 'message', text: 'I want to talk to an agent' });
    await customer.waitFor('a place in the queue', (a) => a.type === 'event' && a.name === 'queuePosition');
    const sam = await signIn(server.url, DEMO_IDS.supervisors.sam);
    await until('waiting in Billing', async () => {
      const items = (await sam.call('GET', '/supervisor/conversations')).body.items as Array<
        Record<string, unknown>
      >;
      return items.some(
        (c) =>
          c.customerName === 'Robin Park' && c.status === 'waiting' && c.queueId === DEMO_IDS.queues.billing,
      );
    });

    // Eight o'clock: routing's sweep finds it waiting in a closed queue and applies the rule.
    shiftMs += 3 * 60_000;
    const ended = await customer.waitFor(
      'the end',
      (a) => a.type === 'event' && a.name === 'conversationEnded',
      30_000,
    );
    const notice = customer.seen.find(says(/billing team is available/i));
    expect(notice).toBeDefined();
    expect(customer.seen.indexOf(notice!)).toBeLessThan(customer.seen.indexOf(ended));
    customer.end();
  }, 90_000);
});
