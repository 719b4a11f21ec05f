import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

// Server-level suites (test/support/server.ts) run a second time on the Mongo adapter (real driver
// and wire protocol, against CongoDB): those that choose their store themselves — a data folder to
// restart on, CongoDB already, or both stores in turn — are left out.
const ON_MONGO = ['test/api/**/*.test.ts', 'test/bot/directline*.test.ts', 'test/teams/teams-app.test.ts'];
const CHOOSE_THEIR_STORE = [
  'test/api/*congodb*.test.ts',
  'test/api/relay-fast-accept.test.ts',
  'test/api/two-instances.e2e.test.ts',
  'test/api/repeated-send.test.ts',
  'test/api/relay-after-restart.test.ts',
  'test/bot/directline.repeated-send.test.ts',
  'test/bot/directline.activity-log.test.ts',
  'test/bot/directline.recovery.test.ts',
  'test/bot/directline.restart.test.ts',
];
/**
 * Suites that load the whole machine on purpose (fifty customers at once) and bound a step with a
 * hang guard tight enough to catch their regression: they run last, one at a time, with the CPU to
 * themselves, as they would alone.
 */
const ALONE = ['test/api/relay-fast-accept.test.ts'];

export default defineConfig({
  test: {
    // Hang guards, not speed limits: CI runs on 2 cores beside other work, where starting a server
    // and a browser can take a minute. Tests wait for conditions, never for fixed times.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    // expect.poll waits for a condition; its 1 s default is a speed limit, not a hang guard.
    expect: { poll: { timeout: 15_000, interval: 50 } },
    pool: 'forks',
    // Each fork keeps its module cache from one file to the next: files import the server, botbuilder,
    // the driver and Playwright afresh otherwise (420 s of a 860 s run went on imports; 36 s now).
    // Every suite starts its own server, store and browser, and no test sets process-wide state.
    isolate: false,
    // Two files at once even on 2 cores (vitest's default there is one): most suites spend their
    // time waiting on a server or a browser, so the second fork runs in the first one's waits. The
    // whole run took 508 s rather than about 750 s.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // As `npm start`: restify's spdy prints a deprecation warning on import (README, Development).
    execArgv: ['--disable-warning=DEP0111'],
    projects: [
      {
        extends: true,
        test: {
          name: 'embedded',
          include: [
            'services/**/*.test.ts',
            'bot/**/*.test.ts',
            'tab/**/*.test.ts',
            'test/**/*.test.ts',
            'manifest/**/*.test.ts',
          ],
          exclude: [...configDefaults.exclude, ...ALONE],
        },
      },
      {
        extends: true,
        test: { name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: {
          name: 'mongo',
          include: ON_MONGO,
          exclude: [...configDefaults.exclude, ...CHOOSE_THEIR_STORE],
          env: { SWITCHBOARD_TEST_STORE: 'congodb' },
        },
      },
    ],
  },
});
