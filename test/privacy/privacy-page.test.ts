import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

// The /privacy page the Teams package links to must say truthfully what is kept: what the chat
// window reports, what it keeps in the customer's own browser, the event log, and how a customer's
// data is found, handed over and erased.

let server: TestServer;
let text: string;

beforeAll(async () => {
  server = await startTestServer();
  const res = await fetch(`${server.url}/privacy`);
  expect(res.status).toBe(200);
  // The words as a reader reads them: tags out, lines joined.
  text = (await res.text()).replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe('the privacy page', () => {
  it('says what the chat window reports: page titles and full addresses, searches, the device, custom details', () => {
    expect(text).toMatch(/each page's title and full address, without the part after \? or #/);
    expect(text).toContain('the searches they made on the site');
    expect(text).toContain('their browser, operating system, language and kind of device');
    expect(text).toMatch(/any other details the site passes to the chat/);
    expect(text).not.toContain('paths only');
  });

  it("says what the widget keeps in the customer's own browser", () => {
    expect(text).toMatch(/local storage/);
    expect(text).toMatch(/an identifier that lets it recognise the same visitor again/);
    expect(text).toMatch(/its transcript/);
    expect(text).toMatch(/pages, searches and articles/);
  });

  it('names the event log: presence changes, offers, sentiment readings', () => {
    expect(text).toMatch(/An event log/);
    expect(text).toMatch(/offered to and taken by an agent/);
    expect(text).toMatch(/presence changes/);
    expect(text).toMatch(/sentiment readings/);
  });

  it("says how the organisation finds, hands over and erases a customer's data, and what an erasure keeps", () => {
    expect(text).toMatch(/find a customer's data by e-mail address, name or customer id/);
    expect(text).toMatch(/give them a copy of all of it/);
    expect(text).toMatch(/erase it/);
    expect(text).toMatch(/none of it names the customer any more/);
  });
});
