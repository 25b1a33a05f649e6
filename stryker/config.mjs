// The StrykerJS configuration of one module of modules.mjs; each stryker/<name>.config.mjs is
// `strykerConfig('<name>')`, so `npx stryker run stryker/<name>.config.mjs` works on its own too.
import { moduleNamed } from './modules.mjs';

/** Read by stryker/vitest.config.mjs in Stryker's test-runner processes, which inherit this process's env. */
export const MODULE_ENV = 'VOLTBENCH_MUTATE_MODULE';

export function strykerConfig(name) {
  const module = moduleNamed(name);
  process.env[MODULE_ENV] = name;
  /** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
  const config = {
    packageManager: 'npm',
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    // The module's tests come from the vitest config's `include`, not Stryker's `testFiles`: with
    // `testFiles`, Stryker 9.6.1 activates static mutants (module-level values) only after the
    // module has loaded, so they all survive (stryker-js issue 6144).
    vitest: { configFile: 'stryker/vitest.config.mjs', related: false },
    mutate: [module.mutate],
    coverageAnalysis: 'perTest',
    // Type errors a mutant causes are not test failures here: no checker, the tests decide.
    disableTypeChecks: true,
    concurrency: 2,
    timeoutMS: 10_000,
    thresholds: { high: 95, low: module.threshold, break: module.threshold },
    reporters: ['progress', 'clear-text', 'json', 'html'],
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
    htmlReporter: { fileName: `reports/mutation/${name}.html` },
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: true },
    tempDirName: '.stryker-tmp',
    // The sandbox (a copy of the project) holds the sources, tests and configs only: not dist/,
    // reports/, node_modules/.cache or whatever scratch files lie in the checkout.
    ignorePatterns: [
      '/*',
      '!/contracts',
      '!/emulators',
      '!/src',
      '!/property-tests',
      '!/test',
      '!/scenarios',
      '!/stryker',
      '!/package.json',
      '!/tsconfig.json',
      '!/tsconfig.build.json',
    ],
    cleanTempDir: 'always',
  };
  return config;
}
