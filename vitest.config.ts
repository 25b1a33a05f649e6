import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // .stryker-tmp: `npm run mutate`'s sandboxes, copies of the tests with mutated sources.
    exclude: ['node_modules/**', 'dist/**', '.stryker-tmp/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
