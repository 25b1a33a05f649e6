// `npm run bench`: every benchmark, side by side, with ratios and targets. Loopback only.
import { benchPvs, reportPvs } from './pvs.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
console.log(`voltbench benchmarks (node ${process.version}, ${rounds} rounds of ${seconds} s per server, alternating)\n`);
const pvs = await benchPvs({ seconds, rounds });
console.log(reportPvs(pvs).join('\n'));
const failed = pvs.ratio < 0.6 || pvs.startupMs.max > 500;
process.exitCode = failed ? 1 : 0;
