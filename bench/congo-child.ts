import { startCongo } from '../test/store/congo.js';

// CongoDB in a process of its own, for benches that measure the server's memory: what the database
// holds must not count as the server's. Prints its base URI, stops when its stdin closes.

const congo = await startCongo();
process.stdout.write(`${congo.host}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void congo.stop().finally(() => process.exit(0));
});
