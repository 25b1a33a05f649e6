import { UP_USAGE, parseUpArgs, readyLine, readyTable, startFromOptions } from './up.js';
import { UsageError } from './usage-error.js';

const USAGE = `Usage: voltbench <command> [options]

Commands:
  up        start device emulators (voltbench up --help for options)
`;

/** Entry point of the `voltbench` binary. Returns when the emulators stop (or exits on error). */
export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      process.stdout.write(USAGE);
      return;
    }
    if (command !== 'up') throw new UsageError(`unknown command "${command}"`);
    const options = parseUpArgs(rest);
    if (options === 'help') {
      process.stdout.write(UP_USAGE);
      return;
    }
    const voltbench = await startFromOptions(options);
    // Handlers go in before the ready line: a supervisor may signal as soon as it reads it.
    const stop = (signal: NodeJS.Signals) => {
      if (!options.json) process.stderr.write(`\nvoltbench: ${signal}, shutting down\n`);
      void voltbench.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.stdout.write(`${options.json ? readyLine(voltbench) : readyTable(voltbench, options)}\n`);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`voltbench: ${error.message}\nRun "voltbench ${command === 'up' ? 'up ' : ''}--help" for usage.\n`);
      process.exit(2);
    }
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') {
      process.stderr.write(`voltbench: ${err.message}; pick another port with --<device>-port (0 = any free port)\n`);
    } else {
      process.stderr.write(`voltbench: ${err.message}\n`);
    }
    process.exit(1);
  }
}
