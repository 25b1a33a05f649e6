// Any `voltbench <command> …` as a real process of the built CLI (bin/voltbench.js → dist/), read up to its ready line.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI, as users run it. */
export const BIN = fileURLToPath(new URL('../../bin/voltbench.js', import.meta.url));

export interface VoltbenchProcess {
  child: ChildProcessWithoutNullStreams;
  /** The first stdout line (with --json, the ready line). */
  line: string;
  /** Everything read from stderr so far (all of it once stop() has resolved). */
  stderr(): string;
  /** Sends `signal` and resolves with the exit code once the process has exited and its output has been read. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `node bin/voltbench.js <args>`, records the child in `children` (for killing after the test) and resolves
 * once it has printed its first line; rejects, with its stderr, if it exits first.
 */
export async function spawnVoltbench(args: string[], children: ChildProcessWithoutNullStreams[]): Promise<VoltbenchProcess> {
  const child = spawn(process.execPath, [BIN, ...withoutDefaultDashboard(args)]);
  children.push(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  // 'close', not 'exit': only then has everything the process wrote to its pipes been read here.
  const closed = new Promise<number | null>((resolve) => child.once('close', (code: number | null) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const nl = out.indexOf('\n');
      if (nl !== -1) resolve(out.slice(0, nl));
    });
    void closed.then((code) => reject(new Error(`voltbench ${args[0]} exited with ${code} before it was ready: ${err}`)));
  });
  return {
    child,
    line,
    stderr: () => err,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return closed;
    },
  };
}

/**
 * `up` serves the dashboard on port 7070 by default, which tests running side by side would fight
 * over: unless a test asks for it (`--dashboard-port …`), it runs without.
 */
export function withoutDefaultDashboard(args: string[]): string[] {
  if (args[0] !== 'up' || args.some((a) => a === '--no-dashboard' || a.startsWith('--dashboard-port'))) return args;
  return [...args, '--no-dashboard'];
}
