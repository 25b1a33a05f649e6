// `npm run bench [-- pvs|senec|growatt|dashboard|ups|scenario|tls|startup|jump|soak ...]`: the benchmarks named (all without arguments), side by side, with
// ratios and targets. Loopback only.
import { benchPvs, reportPvs } from './pvs.js';
import { benchSenec, reportSenec, senecPassed } from './senec.js';
import { benchUps, reportUps, upsErrors } from './ups.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

/** Each benchmark runs, prints its report and says whether it met its targets. */
const BENCHMARKS: Record<string, () => Promise<boolean>> = {
  pvs: async () => {
    const pvs = await benchPvs({ seconds, rounds });
    console.log(reportPvs(pvs).join('\n'));
    return pvs.ratio >= 0.6 && pvs.startupMs.max <= 500;
  },
  senec: async () => {
    const senec = await benchSenec({ seconds, rounds });
    console.log(reportSenec(senec).join('\n'));
    return senecPassed(senec);
  },
  growatt: async () => (await import('./growatt.js')).runGrowatt({ seconds, rounds }),
  dashboard: async () => {
    const { benchDashboard, dashboardPassed, reportDashboard } = await import('./dashboard.js');
    const result = await benchDashboard({ seconds, rounds });
    console.log(reportDashboard(result).join('\n'));
    return dashboardPassed(result);
  },
  scenario: async () => (await import('./scenario.js')).runScenarioBench({ rounds }),
  tls: async () => (await import('./tls.js')).runTlsBench({ rounds }),
  startup: async () => (await import('./startup.js')).runStartupBench({ rounds }),
  'pvs-varserver': async () => (await import('./pvs-varserver.js')).runPvsVarserverBench({ seconds, rounds }),
  jump: async () => (await import('./jump.js')).runJumpBench({ rounds, devices: (process.env.JUMP_DEVICES ?? '').split(',').filter(Boolean) }),
  // Ten minutes by default (SOAK_MINUTES): not part of a plain `npm run bench`, which runs the rest.
  soak: async () => (await import('./soak.js')).runSoakBench(),
  ups: async () => {
    const ups = await benchUps({ seconds, rounds });
    console.log(reportUps(ups).join('\n'));
    // Issue #5 sets no throughput target: the run fails only if polls failed.
    return upsErrors(ups) === 0;
  },
};

/** Run only when named. */
const ON_REQUEST = new Set(['soak']);

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
const selected = requested.length > 0 ? requested : Object.keys(BENCHMARKS).filter((name) => !ON_REQUEST.has(name));

console.log(`voltbench benchmarks (node ${process.version}, ${rounds} rounds of ${seconds} s per server, alternating)\n`);
let failed = false;
for (const [i, name] of selected.entries()) {
  if (i > 0) console.log('');
  if (!(await BENCHMARKS[name]!())) failed = true;
}
process.exitCode = failed ? 1 : 0;
