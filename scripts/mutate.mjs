// `npm run mutate [-- <name>…]`: StrykerJS over the modules of stryker/modules.mjs, one after the
// other (all of them without arguments), each against the tests that cover it. Prints each score
// against its threshold and exits non-zero when one is below. Not part of `npm test`: a full run
// takes minutes. Reports: reports/mutation/<name>.{json,html}.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODULES, moduleNamed } from '../stryker/modules.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const stryker = join(createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json'), '..', 'bin', 'stryker.js');

/** Stryker's mutation score: detected (killed, timed out) over valid (detected, survived, not covered). */
export function scoreOf(report) {
  const count = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0 };
  for (const file of Object.values(report.files)) {
    for (const mutant of file.mutants) if (mutant.status in count) count[mutant.status] += 1;
  }
  const detected = count.Killed + count.Timeout;
  const valid = detected + count.Survived + count.NoCoverage;
  return { ...count, valid, score: valid === 0 ? 100 : (100 * detected) / valid };
}

let names;
try {
  names = process.argv.length > 2 ? process.argv.slice(2).map((name) => moduleNamed(name).name) : MODULES.map((m) => m.name);
} catch (error) {
  console.error(error.message);
  process.exit(2);
}

const results = [];
for (const name of names) {
  const module = moduleNamed(name);
  console.log(`\n== mutate ${name}: ${module.mutate} against ${module.tests.join(', ')}`);
  const report = join(root, 'reports', 'mutation', `${name}.json`);
  rmSync(report, { force: true });
  const started = Date.now();
  const run = spawnSync(process.execPath, [stryker, 'run', `stryker/${name}.config.mjs`], { cwd: root, stdio: 'inherit' });
  const seconds = Math.round((Date.now() - started) / 1000);
  let result;
  try {
    result = scoreOf(JSON.parse(readFileSync(report, 'utf8')));
  } catch {
    result = undefined;
  }
  // Stryker exits non-zero below the threshold (its `break`) with a report, and on errors without one.
  if (run.status !== 0 && result !== undefined && result.score >= module.threshold) result = undefined;
  results.push({ module, result, seconds });
}

console.log('\n== mutation scores');
let failed = false;
for (const { module, result, seconds } of results) {
  const ok = result !== undefined && result.score >= module.threshold;
  failed ||= !ok;
  const score = result === undefined ? 'no result' : `${result.score.toFixed(2)} %`;
  const counts = result === undefined ? '' : ` (${result.Killed + result.Timeout}/${result.valid} detected, ${result.Survived} survived, ${result.NoCoverage} not covered)`;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${module.name.padEnd(13)} ${score.padStart(9)}  threshold ${module.threshold} %${counts}, ${seconds} s`);
}
process.exit(failed ? 1 : 0);
