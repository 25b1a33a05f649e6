import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // .stryker-tmp: `npm run mutate`'s sandboxes, copies of the tests with mutated sources.
    exclude: ['node_modules/**', 'dist/**', '.stryker-tmp/**'],
    // Every core (vitest leaves one free by default: one worker on a 2-core machine). Much of the suite
    // waits on sockets, child processes, a browser and image builds, so a second worker nearly halves it.
    maxWorkers: availableParallelism(),
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
