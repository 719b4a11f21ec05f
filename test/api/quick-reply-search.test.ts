/**
 * An agent finds a quick reply by its words as they type them, accents and word forms aside, as
 * knowledge search does: `reinitialiser` finds "Réinitialiser…", `francais` the tag "français",
 * `close` the reply titled "Closing".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { liveConversation, quickReplyTitles, type LiveConversation } from './support/live-conversation.js';

let server: TestServer;
let live: LiveConversation;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  await server.services.repos.quickReplies.create({
    title: 'Réinitialiser le routeur',
    text: 'Débranchez le routeur pendant 30 secondes, puis rebranchez-le.',
    tags: ['français', 'wifi'],
  });
  live = await liveConversation(server.url, 'agent_alex', { userId: 'dl_qr_search', name: 'Noé Search' });
}, 120_000);

afterAll(async () => {
  live?.customer.end();
  await server?.close();
});

const titles = (q: string) => quickReplyTitles(live, q);

describe('GET /conversations/:id/quick-replies?q= with accents and word forms', () => {
  it('finds a title or a tag typed without its accents, or with them when the reply has none', async () => {
    expect(await titles('reinitialiser')).toEqual(['Réinitialiser le routeur']);
    expect(await titles('REINIT')).toEqual(['Réinitialiser le routeur']);
    expect(await titles('francais')).toEqual(['Réinitialiser le routeur']);
    expect(await titles('débranchez')).toEqual(['Réinitialiser le routeur']);
    expect(await titles('clôsing')).toEqual(['Closing', 'Anything else?', 'Run a speed test']);
  });

  it('finds another form of a word: "close" the reply titled "Closing", then by tag, then by text', async () => {
    // Tagged "closing"; "… (or close to the router)".
    const closing = ['Closing', 'Anything else?', 'Run a speed test'];
    expect(await titles('close')).toEqual(closing);
    expect(await titles('closed')).toEqual(closing);
    const outages = await titles('outages');
    expect(outages[0]).toBe('Outage acknowledged');
    // Tagged "outage".
    expect(outages.slice(1).sort()).toEqual(['Offer a technician visit', 'Restart router and ONT']);
  });
});
