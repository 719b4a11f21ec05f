import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { silentLogger } from '../log.js';
import { ownUpgrades, registerUpgrade } from './upgrade.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('upgrade routing', () => {
  it('keeps nothing of the request it routed once the stream is open (a stream lives for hours)', async () => {
    const server = createServer();
    ownUpgrades(server, silentLogger);
    const wss = new WebSocketServer({ noServer: true });
    const open: WebSocket[] = [];
    let released = false;
    const registry = new FinalizationRegistry(() => (released = true));
    registerUpgrade(server, '/stream', (req, socket, head, url) => {
      registry.register(url, 'url');
      wss.handleUpgrade(req, socket, head, (ws) => open.push(ws));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new WebSocket(`ws://127.0.0.1:${port}/stream?access_token=${'t'.repeat(200)}`);
    try {
      await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
      // Until the parsed URL is collected (the test's timeout says it never was).
      while (!released) {
        gc();
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(open).toHaveLength(1);
      expect(open[0]!.readyState).toBe(WebSocket.OPEN);
    } finally {
      client.terminate();
      for (const ws of open) ws.terminate();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 10_000);
});
