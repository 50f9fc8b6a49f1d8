import { defineConfig } from 'vitest/config';

// Integration and end-to-end tests start real processes (hub, agents, Chromium) on loopback;
// on a 2-core machine a few files at a time keeps them from starving each other.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'test/bench/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
