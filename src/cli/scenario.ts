import { listScenarios, loadScenario, runScenario, type ScenarioReport } from '../scenarios/index.js';
import { parseFlags } from './flags.js';
import { MAX_SPEED } from '../../emulators/core/time-bounds.js';
import { UsageError } from './usage-error.js';

export const SCENARIO_USAGE = `Usage: voltbench scenario <list | run> [options]

  voltbench scenario list [--json]
      the scenarios in the library (scenarios/*.json)

  voltbench scenario run <name|file> [--as-fast-as-possible | --speed <n>] [--json]
      plays a scenario to its end and checks its expectations; exit 0 when all are met, 1 if not
      --as-fast-as-possible  move the virtual clock from event to event (the default)
      --speed <n>            run the clock at n times real time instead
      --json                 print the report as one JSON object

Play a scenario while serving the devices on their ports: voltbench up --scenario <name|file>
`;

/** `voltbench scenario …`; returns the process exit code. */
export async function runScenarioCommand(argv: string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help' || sub === 'help') {
    out(SCENARIO_USAGE);
    return 0;
  }
  const parsed = parseFlags({
    args: rest,
    strict: true,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      speed: { type: 'string' },
      'as-fast-as-possible': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const v = parsed.values;
  if (v.help) {
    out(SCENARIO_USAGE);
    return 0;
  }
  if (sub === 'list') {
    if (parsed.positionals.length > 0 || v.speed !== undefined || v['as-fast-as-possible']) throw new UsageError('scenario list takes only --json');
    const scenarios = listScenarios();
    if (v.json) out(`${JSON.stringify(scenarios.map(({ file: _file, ...s }) => s))}\n`);
    else {
      const width = Math.max(...scenarios.map((s) => s.name.length));
      for (const s of scenarios) out(`${s.name.padEnd(width)}  ${s.duration.padStart(6)}  ${s.devices.join(',').padEnd(22)}  ${s.description}\n`);
    }
    return 0;
  }
  if (sub !== 'run') throw new UsageError(`unknown scenario command "${sub}"; use list or run`);
  if (parsed.positionals.length !== 1) throw new UsageError('scenario run needs exactly one scenario name or file');
  if (v.speed !== undefined && v['as-fast-as-possible']) throw new UsageError('--speed and --as-fast-as-possible exclude each other');
  let speed: number | 'max' = 'max';
  if (v.speed !== undefined) {
    const n = Number(v.speed);
    if (v.speed.trim() === '' || !(n > 0 && n <= MAX_SPEED)) throw new UsageError(`--speed must be a number above 0 and up to ${MAX_SPEED}, got "${v.speed}"`);
    speed = n;
  }
  let scenario;
  try {
    scenario = loadScenario(parsed.positionals[0]!);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const report = await runScenario(scenario, { speed, log: (line) => err(`${line}\n`) });
  out(v.json ? `${JSON.stringify(report)}\n` : summary(report));
  return report.passed ? 0 : 1;
}

function summary(report: ScenarioReport): string {
  const lines = report.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.message}`);
  return [
    `${report.name}: ${report.passed ? 'passed' : 'FAILED'} (seed ${report.seed}, ${report.start} to ${report.end}, ${report.wallMs} ms)`,
    ...lines,
    ...(report.error ? [`  error: ${report.error}`] : []),
    `  ${report.events} events, ${report.polls} polls, trace ${report.traceDigest.slice(0, 16)}`,
    '',
  ].join('\n');
}
