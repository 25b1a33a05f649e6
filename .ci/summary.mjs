// Prints one plain line of vitest's totals from its JSON report, and a second one for the container
// tests when the report has any, naming every container test that did not run and why (the tests
// record the reason in their meta.skipReason). Fails when the report is missing, counted no test or
// counted a failure, so a run that silently executed nothing never looks green; with
// --require-containers (CI provisioned an engine) also when any container test was skipped, or the
// report has none; with --require-browser (CI provisioned Chromium) likewise for the dashboard's
// browser tests (test/dashboard-browser*.test.ts); with --require-docs (CI provisioned the programs the
// docs' commands call) when any test of test/docs.test.ts was skipped.
//   node .ci/summary.mjs <report.json> [label] [--require-containers] [--require-browser] [--require-docs]
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';

const FLAGS = ['--require-containers', '--require-browser', '--require-docs'];
const args = process.argv.slice(2).filter((a) => !FLAGS.includes(a));
const requireContainers = process.argv.includes('--require-containers');
const requireBrowser = process.argv.includes('--require-browser');
const requireDocs = process.argv.includes('--require-docs');
const file = args[0] ?? 'reports/vitest.json';
const label = args[1] ?? 'tests';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`${label}: cannot read ${file}: ${error.message}`);
  process.exit(1);
}

const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${label}: ${passed} passed, ${failed} failed, ${skipped} skipped`);

// Name every failure with the first line of its message, so the tail of a CI log says what broke.
for (const file of report.testResults ?? []) {
  const where = relative(process.cwd(), file.name);
  const failures = (file.assertionResults ?? []).filter((a) => a.status === 'failed');
  for (const a of failures) console.log(`  FAILED ${where} > ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
  if (file.status === 'failed' && failures.length === 0) console.log(`  FAILED ${where}: ${firstLine(file.message) || 'a beforeAll/afterAll hook failed (its error is in the vitest output above)'}`);
}
function firstLine(text) {
  return (text ?? '').split('\n').find((l) => l.trim() !== '')?.trim().slice(0, 240) ?? '';
}

// The container tests skip themselves without an engine (or compose); say so plainly instead of
// hiding it in a total, and name each one.
let containersOk = true;
const containerFiles = (report.testResults ?? []).filter((r) => r.name.includes(`${sep}test${sep}containers${sep}`));
if (containerFiles.length > 0) {
  const tests = containerFiles.flatMap((r) => r.assertionResults.map((a) => ({ ...a, file: r })));
  const count = (status) => tests.filter((t) => t.status === status).length;
  const broken = containerFiles.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
  const skipped = tests.filter((t) => t.status !== 'passed' && t.status !== 'failed');
  const ran = count('passed') + count('failed');
  console.log(
    ran === 0 && broken === 0
      ? `  container tests: SKIPPED, none of ${tests.length} ran`
      : `  container tests: ${count('passed')} passed, ${count('failed') + broken} failed, ${skipped.length} skipped`,
  );
  for (const t of skipped) {
    const reason = t.meta?.skipReason ?? (t.file.status === 'failed' ? 'not run: a hook of its suite failed (see FAILED above)' : 'no reason recorded');
    console.log(`    SKIPPED ${relative(process.cwd(), t.file.name)} > ${t.fullName}: ${reason}`);
  }
  if (requireContainers && skipped.length > 0) {
    console.log(`  !! ${skipped.length} container test(s) did not run although CI provisioned a container engine: this run FAILS`);
    containersOk = false;
  }
} else if (requireContainers) {
  console.log('  !! no container test in the report although CI provisioned a container engine: this run FAILS');
  containersOk = false;
}
/**
 * Whether every test of the files whose repository path passes `inFile` ran (passed or failed), once CI
 * provisioned what they need (`what`); says why not.
 */
function allRan(inFile, tests, what) {
  const files = (report.testResults ?? []).filter((r) => inFile(relative(process.cwd(), r.name).split(sep).join('/')));
  const skipped = files.flatMap((r) => r.assertionResults).filter((a) => a.status !== 'passed' && a.status !== 'failed');
  if (files.length === 0) console.log(`  !! no ${tests} test in the report although CI provisioned ${what}: this run FAILS`);
  else if (skipped.length > 0) console.log(`  !! ${skipped.length} ${tests} test(s) did not run although CI provisioned ${what}: this run FAILS`);
  return files.length > 0 && skipped.length === 0;
}
// The browser tests skip themselves without Chromium, the docs test a page whose commands call a
// missing program; once CI provisioned them, a skip is a failure.
const browserOk = !requireBrowser || allRan((path) => path.startsWith('test/dashboard-browser'), 'browser', 'Chromium');
const docsOk = !requireDocs || allRan((path) => path === 'test/docs.test.ts', 'docs', 'the programs they call');
// Any other test that did not run, by name (a test needing Docker elsewhere, an it.skip left behind).
for (const r of (report.testResults ?? []).filter((r) => !containerFiles.includes(r))) {
  for (const a of r.assertionResults.filter((a) => a.status !== 'passed' && a.status !== 'failed')) {
    console.log(`  SKIPPED ${relative(process.cwd(), r.name)} > ${a.fullName}${a.meta?.skipReason ? `: ${a.meta.skipReason}` : ''}`);
  }
}
process.exit(passed > 0 && failed === 0 && containersOk && browserOk && docsOk ? 0 : 1);
