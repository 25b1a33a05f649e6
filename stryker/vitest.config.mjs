// vitest as Stryker runs it (stryker/config.mjs): only the test files that cover the module being
// mutated, named by VOLTBENCH_MUTATE_MODULE. Not used by `npm test`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { moduleNamed } from './modules.mjs';

const name = process.env.VOLTBENCH_MUTATE_MODULE;
if (name === undefined) throw new Error('stryker/vitest.config.mjs is for `npm run mutate` (VOLTBENCH_MUTATE_MODULE is not set)');

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: moduleNamed(name).tests,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
});
