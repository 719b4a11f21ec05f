import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { liveConversation, quickReplyTitles, type LiveConversation } from './support/live-conversation.js';

// An agent looks for a quick reply by the words of its title: `/q out` must offer "Outage
// acknowledged" before "Ask for router light", which holds "out" only inside "router".

let server: TestServer;
let live: LiveConversation;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  live = await liveConversation(server.url, 'agent_alex', { userId: 'dl_quickorder1', name: 'Omar Quick' });
}, 120_000);

afterAll(async () => {
  live?.customer.end();
  await server?.close();
});

const titles = (q: string) => quickReplyTitles(live, q);

describe('GET /conversations/:id/quick-replies?q=', () => {
  it('lists title words first, then tags, then the text, then matches inside a word', async () => {
    const found = await titles('out');
    expect(found[0]).toBe('Outage acknowledged');
    // Tagged "outage".
    expect(found.slice(1, 3).sort()).toEqual(['Offer a technician visit', 'Restart router and ONT']);
    // "Thanks for reaching out".
    expect(found[3]).toBe('Greeting');
    // "router", "about": inside a word only.
    expect(found.slice(4)).toEqual(expect.arrayContaining(['Ask for router light', 'Brief hold']));
  });

  it('keeps to replies holding every word of the query', async () => {
    expect(await titles('cancel')).toEqual(['Equipment return']);
    expect(await titles('router light')).toEqual(['Ask for router light', 'Restart router and ONT']);
    expect(await titles('zebra')).toEqual([]);
  });
});
