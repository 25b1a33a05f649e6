// `voltbench record …` as a real process without the built CLI: `node --import tsx test/support/record-cli.ts <args>`.
import { runRecord } from '../../src/cli/record.js';
import { UsageError } from '../../src/cli/usage-error.js';

try {
  await runRecord(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`voltbench record: ${(error as Error).message}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
}
