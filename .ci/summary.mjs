// Prints one plain line of vitest's totals from its JSON report, and a second one for the container
// tests when the report has any. Fails when the report is missing, counted no test or counted a
// failure, so a run that silently executed nothing never looks green.
//   node .ci/summary.mjs <report.json> [label]
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';

const file = process.argv[2] ?? 'reports/vitest.json';
const label = process.argv[3] ?? 'tests';
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
  if (file.status === 'failed' && failures.length === 0) console.log(`  FAILED ${where}: ${firstLine(file.message)}`);
}
function firstLine(text) {
  return (text ?? '').split('\n').find((l) => l.trim() !== '')?.trim().slice(0, 240) ?? '';
}

// The container tests skip themselves without an engine; say so plainly instead of hiding it in a total.
const containerFiles = (report.testResults ?? []).filter((r) => r.name.includes(`${sep}test${sep}containers${sep}`));
if (containerFiles.length > 0) {
  const states = containerFiles.flatMap((r) => r.assertionResults.map((a) => a.status));
  const count = (status) => states.filter((s) => s === status).length;
  const broken = containerFiles.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
  const ran = count('passed') + count('failed');
  console.log(
    ran === 0 && broken === 0
      ? `  container tests: SKIPPED, none of ${states.length} ran (no container engine)`
      : `  container tests: ${count('passed')} passed, ${count('failed') + broken} failed, ${states.length - ran} skipped`,
  );
}
process.exit(passed > 0 && failed === 0 ? 0 : 1);
