import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'services/**/*.test.ts',
      'bot/**/*.test.ts',
      'tab/**/*.test.ts',
      'test/**/*.test.ts',
      'manifest/**/*.test.ts',
    ],
    // Hang guards, not speed limits: CI runs on 2 cores beside other work, where starting a server
    // and a browser can take a minute. Tests wait for conditions, never for fixed times.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    pool: 'forks',
  },
});
