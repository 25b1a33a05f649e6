import { runScenarioCommand } from './scenario.js';
import { UP_USAGE, parseUpArgs, readyLine, readyTable, startFromOptions } from './up.js';
import { UsageError } from './usage-error.js';

const USAGE = `Usage: voltbench <command> [options]

Commands:
  up         start device emulators (voltbench up --help for options)
  scenario   list scenarios, or play one to its end (voltbench scenario --help)
  record     record a real device's traffic through a transparent proxy (voltbench record --help)
  replay     serve a recording as the device did (voltbench replay --help)
`;

const out = (text: string) => process.stdout.write(text);
const err = (text: string) => process.stderr.write(text);

/** Entry point of the `voltbench` binary. Returns when the command is done (or exits on error). */
export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      out(USAGE);
      return;
    }
    if (command === 'scenario') {
      process.exitCode = await runScenarioCommand(rest, out, err);
      return;
    }
    if (command === 'record') {
      // Loaded on demand: every command pays only for its own modules at start-up.
      await (await import('./record.js')).runRecord(rest);
      return;
    }
    if (command === 'replay') {
      await (await import('./replay.js')).runReplay(rest);
      return;
    }
    if (command !== 'up') throw new UsageError(`unknown command "${command}"`);
    await up(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`voltbench: ${error.message}\nRun "voltbench ${command && command !== 'help' && !command.startsWith('-') ? `${command} ` : ''}--help" for usage.\n`);
      process.exit(2);
    }
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') {
      err(`voltbench: ${e.message}; pick another port with --<device>-port (0 = any free port)\n`);
    } else {
      err(`voltbench: ${e.message}\n`);
    }
    process.exit(1);
  }
}

async function up(argv: string[]): Promise<void> {
  const options = parseUpArgs(argv);
  if (options === 'help') {
    out(UP_USAGE);
    return;
  }
  const voltbench = await startFromOptions(options, (line) => err(`${line}\n`));
  // Handlers go in before the ready line: a supervisor may signal as soon as it reads it.
  const stop = (signal: NodeJS.Signals) => {
    if (!options.json) err(`\nvoltbench: ${signal}, shutting down\n`);
    void voltbench.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  out(`${options.json ? readyLine(voltbench) : readyTable(voltbench, options)}\n`);
}
