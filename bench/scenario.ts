// The scenario benchmark: the real CLI (`voltbench scenario run sunny-day`, compiled, no tsx) playing a
// 24-hour day with all four devices as fast as possible, each round a fresh process, timed from spawn to exit.
// Side by side: the runner's own time (from the report) and single-device days, to show where the time goes.
// Target (issue 6): the 24-hour, four-device scenario completes in under 2 s of wall time.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fmt, median } from './lib.js';

const CLI = fileURLToPath(new URL('../bin/voltbench.js', import.meta.url));
const TARGET_MS = 2000;

interface RunTiming {
  processMs: number;
  runnerMs: number;
  polls: number;
  passed: boolean;
}

function runCli(args: string[]): Promise<RunTiming> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'scenario', 'run', ...args, '--json'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => {
      const processMs = performance.now() - started;
      try {
        const report = JSON.parse(out) as { wallMs: number; polls: number; passed: boolean };
        resolve({ processMs, runnerMs: report.wallMs, polls: report.polls, passed: report.passed });
      } catch {
        reject(new Error(`scenario run printed no report: ${out.slice(0, 200)}`));
      }
    });
  });
}

export async function runScenarioBench({ rounds }: { rounds: number }): Promise<boolean> {
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'vb-bench-'));
  // The same day with one device at a time: where the time goes.
  const single = (device: string) => {
    const file = join(dir, `${device}.json`);
    writeFileSync(file, JSON.stringify({ name: `day-${device}`, description: 'bench', start: '2024-06-21T00:00:00-07:00', duration: '24h', world: { weather: { cloudCover: 0 } }, devices: { [device]: {} } }));
    return file;
  };
  const cases: [string, string[]][] = [
    ['sunny-day, all four devices', ['sunny-day']],
    ...['pvs', 'senec', 'growatt', 'ups'].map((d): [string, string[]] => [`same day, ${d} only`, [single(d)]]),
  ];
  const results = new Map<string, RunTiming[]>(cases.map(([label]) => [label, []]));
  // Alternate cases within each round so machine noise hits all alike.
  for (let round = 0; round < Math.max(rounds, 3); round++) {
    for (const [label, args] of cases) results.get(label)!.push(await runCli(args));
  }
  const full = results.get(cases[0]![0])!;
  const worst = Math.max(...full.map((r) => r.processMs));
  console.log('Scenario: 24 virtual hours at maximum speed, polls every 5 min, fresh CLI process per run');
  console.log(`  ${'case'.padEnd(30)} ${'process ms (median / max)'.padStart(26)} ${'runner ms'.padStart(10)} ${'polls'.padStart(6)} ${'of 2 s'.padStart(7)}`);
  for (const [label] of cases) {
    const runs = results.get(label)!;
    const processMs = median(runs.map((r) => r.processMs));
    const max = Math.max(...runs.map((r) => r.processMs));
    console.log(`  ${label.padEnd(30)} ${`${fmt(processMs)} / ${fmt(max)}`.padStart(26)} ${fmt(median(runs.map((r) => r.runnerMs))).padStart(10)} ${String(runs[0]!.polls).padStart(6)} ${`${fmt((processMs / TARGET_MS) * 100, 1)}%`.padStart(7)}`);
  }
  const passed = full.every((r) => r.passed);
  console.log(`  target: the four-device day under ${TARGET_MS} ms from spawn to exit in every run: ${worst < TARGET_MS && passed ? 'met' : 'NOT met'} (worst ${fmt(worst)} ms${passed ? '' : ', expectations failed'})`);
  return worst < TARGET_MS && passed;
}
