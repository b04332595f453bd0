import { defineConfig } from 'vitest/config';

/**
 * Four projects, each with the timeout its kind of test deserves: unit tests are plain functions
 * on this process (no servers, threads or child processes: those are integration tests); renderer
 * tests render components in jsdom; integration tests start real servers, worker threads and
 * processes; e2e tests drive the built renderer in real Chromium.
 */
const project = (name: string, include: string[], timeoutMs: number) => ({
  extends: true as const,
  test: { name, include, testTimeout: timeoutMs, hookTimeout: timeoutMs },
});

export default defineConfig({
  test: {
    // Integration tests spawn real processes and servers; two cores on CI.
    maxWorkers: 2,
    projects: [
      project('unit', ['test/unit/**/*.test.ts'], 10_000),
      project('renderer', ['test/renderer/**/*.test.{ts,tsx}'], 15_000),
      project('integration', ['test/integration/**/*.test.ts'], 60_000),
      project('e2e', ['test/e2e/**/*.test.ts'], 120_000),
    ],
  },
});
