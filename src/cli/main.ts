import { readFileSync } from 'node:fs';
import { UsageError } from './usage-error.js';

const USAGE = `Usage: voltbench <command> [options]

Commands:
  up         start device emulators (voltbench up --help for options)
  scenario   list scenarios, or play one to its end (voltbench scenario --help)
  record     record a real device's traffic through a transparent proxy (voltbench record --help)
  replay     serve a recording as the device did (voltbench replay --help)

  voltbench --version   prints the version
`;

/** How long SIGINT/SIGTERM may take to close everything before the process exits anyway. */
const STOP_DEADLINE_MS = 1000;

const out = (text: string) => process.stdout.write(text);
const err = (text: string) => process.stderr.write(text);

export interface MainOptions {
  /** `VOLTBENCH_*` variables that configure `up` (the container entrypoint passes its environment). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** This installation's version, from its package.json. */
export function version(): string {
  // The CLI runs from dist/… (compiled or bundled): package.json is the first one above it.
  for (let dir = new URL('./', import.meta.url); ; ) {
    try {
      return (JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { version: string }).version;
    } catch {
      const parent = new URL('../', dir);
      if (parent.href === dir.href) return 'unknown';
      dir = parent;
    }
  }
}

/** Entry point of the `voltbench` binary. Returns when the command is done (or exits on error). */
export async function main(argv: string[], options: MainOptions = {}): Promise<void> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      out(USAGE);
      return;
    }
    if (command === '--version' || command === '-V' || command === 'version') {
      out(`voltbench ${version()}\n`);
      return;
    }
    // Each command loads its own modules on demand: start-up pays only for what it runs.
    if (command === 'scenario') {
      process.exitCode = await (await import('./scenario.js')).runScenarioCommand(rest, out, err);
      return;
    }
    if (command === 'record') {
      await (await import('./record.js')).runRecord(rest);
      return;
    }
    if (command === 'replay') {
      await (await import('./replay.js')).runReplay(rest);
      return;
    }
    if (command !== 'up') throw new UsageError(`unknown command "${command}"`);
    await up(rest, options);
  } catch (error) {
    const usage = asUsageError(error);
    if (usage) {
      err(`voltbench: ${usage.message}\nRun "voltbench ${command && command !== 'help' && !command.startsWith('-') ? `${command} ` : ''}--help" for usage.\n`);
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

/** Command-line mistakes, including a device's options or descriptor found wrong at start. */
function asUsageError(error: unknown): UsageError | null {
  if (error instanceof UsageError) return error;
  const e = error as { name?: string; message?: string; option?: string | null; device?: string };
  if (e?.name === 'DeviceDescriptorError') return new UsageError(e.message ?? '');
  if (e?.name === 'DeviceOptionError') {
    // Options checked when a device starts: name the flag they came from.
    return new UsageError(e.device !== undefined && e.option ? `--${e.device}-${e.option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${e.message}` : (e.message ?? ''));
  }
  return null;
}

async function up(argv: string[], options: MainOptions): Promise<void> {
  const { parseUpArgs, readyLine, readyTable, startFromOptions } = await import('./up.js');
  const parsed = await parseUpArgs(argv, { ...(options.env ? { env: options.env } : {}) });
  if ('help' in parsed) {
    out(parsed.help);
    return;
  }
  const voltbench = await startFromOptions(parsed, (line) => err(`${line}\n`));
  // Handlers go in before the ready line: a supervisor may signal as soon as it reads it.
  const stop = (signal: NodeJS.Signals) => {
    if (!parsed.json) err(`\nvoltbench: ${signal}, shutting down\n`);
    // Closing waits for open connections to end; a supervisor waits for no one: a second at most.
    setTimeout(() => {
      err(`voltbench: still closing after ${STOP_DEADLINE_MS} ms; exiting\n`);
      process.exit(0);
    }, STOP_DEADLINE_MS).unref();
    void voltbench.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  out(`${parsed.json ? readyLine(voltbench) : readyTable(voltbench, parsed)}\n`);
}
