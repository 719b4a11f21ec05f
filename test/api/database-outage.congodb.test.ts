import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { openCustomerConversation } from '../bot/support/directline-http.js';
import { startCongo } from '../store/congo.js';
import { startTestServer, type TestServer } from '../support/server.js';

// The server on the MongoDB adapter while its database cannot be reached and then can again: the
// server talks to CongoDB (the wire-compatible server) through a TCP relay that can cut every
// connection and refuse new ones, as a network partition or a database host going down would. A
// customer must get a clear 503 within the adapter's server-selection timeout — not a 500, not a
// hang of the driver's default 30 s — `/api/health` must say the database cannot be reached, and
// once it is back the same server serves the same conversation again without a restart.

const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

/** A TCP relay to `port` that can be cut: while cut, every connection is closed at once. */
async function relayTo(
  port: number,
): Promise<{ port: number; cut(): void; mend(): void; close(): Promise<void> }> {
  let up = true;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!up) return void client.destroy();
    const upstream = net.connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      up = false;
      for (const s of open) s.destroy();
    },
    mend() {
      up = true;
    },
    close: () => {
      for (const s of open) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('the MongoDB adapter when the database goes away', () => {
  it('refuses with 503 while it is gone, says so on /api/health, and recovers by itself', async () => {
    const congo = await startCongo();
    cleanup.push(() => congo.stop());
    const relay = await relayTo(Number(new URL(congo.host).port));
    cleanup.push(() => relay.close());
    const server: TestServer = await startTestServer({
      env: {
        MONGODB_URI: congo.uri('switchboard_outage').replace(congo.host, `mongodb://127.0.0.1:${relay.port}`),
      },
    });
    cleanup.push(() => server.close());
    const health = async () => {
      const res = await fetch(`${server.url}/api/health`);
      return { status: res.status, body: (await res.json()) as { status: string; reason?: string } };
    };

    const { send, texts } = await openCustomerConversation(server.url, 'dl_outage');
    expect((await send('hello')).status).toBe(200);

    relay.cut();
    const refused = await send('are you still there?');
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({ code: 'store.unavailable' });
    expect((refused.body.error as { message: string }).message).toMatch(/database cannot be reached/);
    // The first refusal may come from a connection cut under the request; one sent afterwards waits
    // for a server until the selection timeout, and is refused the same way.
    const again = await send('hello?');
    expect(again.status).toBe(503);
    expect(again.body.error).toMatchObject({ code: 'store.unavailable' });
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'unavailable', store: 'mongodb' });
    expect(down.body.reason).toMatch(/database cannot be reached/);

    // Reachable again: the driver's monitor finds it, and the health check and the customer's
    // conversation follow without a restart.
    relay.mend();
    for (let i = 0; (await health()).status !== 200; i++) {
      // A hang guard, not a deadline: the monitor retries every half second while the server is unknown.
      if (i > 600) throw new Error('the health check never came back after the database did');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await send('back again')).status).toBe(200);
    const held = await texts();
    expect(held).toEqual(expect.arrayContaining(['hello', 'back again']));
    expect(held).not.toContain('are you still there?');
    expect(held).not.toContain('hello?');
  }, 300_000);
});
