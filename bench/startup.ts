// Start-up: wall time from spawning a process to its ready line, for `voltbench up` with all four
// devices, with `--only pvs`, and for `npm start`, beside a bare Fastify process (one route, one
// port) and node alone, in alternating rounds so every command sees the same machine. Targets
// (issue 13): all four devices within 1.6x the bare process, `--only pvs` within 1.3x, `npm start`
// within 4x, on the median.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fmt, median } from './lib.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FREE_PORTS = ['--pvs-port', '0', '--pvs-ws-port', '0', '--senec-port', '0', '--senec-https-port', '0', '--growatt-port', '0', '--ups-port', '0', '--ups-control-port', '0'];

interface Command {
  label: string;
  argv: string[];
  /** Ratio to the bare process the median must stay within; none for the yardsticks. */
  target?: number;
}

const COMMANDS: Command[] = [
  { label: 'node -e 0 (node alone)', argv: [process.execPath, '-e', 'process.stdout.write("ready\\n")'] },
  { label: 'bare Fastify, one route', argv: [process.execPath, 'bench/startup-bare.mjs'] },
  { label: 'voltbench up (all four)', argv: [process.execPath, 'bin/voltbench.js', 'up', '--json', '--dashboard-port', '0', ...FREE_PORTS], target: 1.6 },
  { label: 'voltbench up --only pvs', argv: [process.execPath, 'bin/voltbench.js', 'up', '--json', '--only', 'pvs', '--pvs-port', '0', '--pvs-ws-port', '0', '--dashboard-port', '0'], target: 1.3 },
  { label: 'npm start', argv: ['npm', 'start', '--silent', '--', '--json', ...FREE_PORTS], target: 4 },
];

/** Milliseconds from spawn to the first stdout line; the process is killed right after. */
function timeToReady(argv: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      if (!buffer.includes('\n')) return;
      const elapsed = performance.now() - started;
      // npm start runs voltbench in a child of its own: end the whole group.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      resolve(elapsed);
    });
    child.once('exit', (code) => {
      if (!buffer.includes('\n')) reject(new Error(`${argv.join(' ')} exited with ${code} before its ready line`));
    });
  });
}

export async function runStartupBench({ rounds }: { rounds: number }): Promise<boolean> {
  const runs = Math.max(7, rounds * 3);
  const times = new Map<Command, number[]>(COMMANDS.map((c) => [c, []]));
  // One warm-up pass (disk cache), then alternating rounds.
  for (const command of COMMANDS) await timeToReady(command.argv);
  for (let i = 0; i < runs; i++) {
    for (const command of COMMANDS) times.get(command)!.push(await timeToReady(command.argv));
  }
  const bare = median(times.get(COMMANDS[1]!)!);
  console.log(`Start-up to the ready line (node ${process.version}), ${runs} alternating runs each: median / max, ratio of medians to the bare Fastify process`);
  let ok = true;
  for (const command of COMMANDS) {
    const values = times.get(command)!;
    const m = median(values);
    const ratio = m / bare;
    const verdict = command.target === undefined ? '' : ratio <= command.target ? `   target <= ${command.target}x: met` : `   target <= ${command.target}x: MISSED`;
    if (command.target !== undefined && ratio > command.target) ok = false;
    console.log(`  ${command.label.padEnd(26)} ${fmt(m).padStart(5)} ms / ${fmt(Math.max(...values)).padStart(5)} ms   ${fmt(ratio, 2)}x${verdict}`);
  }
  return ok;
}
