// The dashboard's cost to the emulators (issue #17): a device's throughput with no dashboard, with
// the dashboard and no page connected, and with one page connected (an SSE client, receiving the
// overview, samples and every traffic event), measured alternately in one run. Targets: nothing
// measurable without a page; at least 90 % of the throughput with one.
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { childCpu, fmt, load, median, medianOf, startChild, type LoadRequest, type LoadResult } from './lib.js';
import { HA_POLL_BODY, HA_POLL_HEADERS, LALA_PATH } from './senec-poll.js';

const SERVERS = fileURLToPath(new URL('./dashboard-servers.ts', import.meta.url));
export const DASHBOARD_TARGET_RATIO = 0.9;

type Setup = 'none' | 'idle' | 'page';
const SETUPS: readonly Setup[] = ['none', 'idle', 'page'];
const SETUP_NAMES: Record<Setup, string> = { none: 'no dashboard', idle: 'dashboard, no page', page: 'dashboard, one page connected' };

interface Target {
  name: string;
  path: string;
  request?: LoadRequest;
  device: 'pvs' | 'senec';
}

const TARGETS: readonly Target[] = [
  { name: 'PVS DeviceList', device: 'pvs', path: '/cgi-bin/dl_cgi?Command=DeviceList' },
  { name: 'SENEC lala.cgi (Home Assistant poll, HTTP)', device: 'senec', path: LALA_PATH, request: { method: 'POST', body: HA_POLL_BODY, headers: { ...HA_POLL_HEADERS } } },
];

interface Figures extends LoadResult {
  cpuMicrosPerRequest: number;
}

export interface DashboardBenchResult {
  targets: { name: string; figures: Record<Setup, Figures>; idleRatio: number; pageRatio: number }[];
  /** Events the page received while connected, by type. */
  events: Record<string, number>;
}

export async function benchDashboard(options: { seconds: number; rounds: number }): Promise<DashboardBenchResult> {
  const { child, line } = await startChild(SERVERS);
  const ready = JSON.parse(line) as { plain: Record<string, string>; watched: Record<string, string>; dashboard: string };
  const cpu = childCpu(child);
  const events: Record<string, number> = {};
  try {
    const results: DashboardBenchResult['targets'] = [];
    for (const target of TARGETS) {
      const url = (setup: Setup) => (setup === 'none' ? ready.plain : ready.watched)[target.device]! + target.path;
      const runs: Record<Setup, { result: LoadResult; cpu: number }[]> = { none: [], idle: [], page: [] };
      for (const setup of SETUPS) await load(url(setup), 1, 10, target.request);
      for (let round = 0; round < options.rounds; round++) {
        for (const setup of SETUPS) {
          const page = setup === 'page' ? await openPage(`${ready.dashboard}api/events`, events) : null;
          const before = await cpu();
          const result = await load(url(setup), options.seconds, 10, target.request);
          runs[setup].push({ result, cpu: ((await cpu()) - before) / Math.max(1, result.completed ?? 0) });
          page?.close();
        }
      }
      const figures = Object.fromEntries(
        SETUPS.map((s) => [s, { ...medianOf(runs[s].map((r) => r.result)), cpuMicrosPerRequest: median(runs[s].map((r) => r.cpu)) }]),
      ) as Record<Setup, Figures>;
      results.push({
        name: target.name,
        figures,
        idleRatio: figures.idle.requestsPerSec / figures.none.requestsPerSec,
        pageRatio: figures.page.requestsPerSec / figures.none.requestsPerSec,
      });
    }
    return { targets: results, events };
  } finally {
    child.kill('SIGTERM');
  }
}

/** An SSE client that reads everything it is sent, as a browser tab would, counting events by type. */
async function openPage(url: string, counts: Record<string, number>): Promise<{ close(): void }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const type = /^event: (.*)$/m.exec(buffer.slice(0, end))?.[1];
          if (type !== undefined) JSON.parse(/^data: (.*)$/m.exec(buffer.slice(0, end))![1]!), (counts[type] = (counts[type] ?? 0) + 1);
          buffer = buffer.slice(end + 2);
        }
      });
      // Connected once the first overview arrived: the watchers and the timer are running.
      res.once('data', () => resolve({ close: () => req.destroy() }));
    });
    req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
    req.end();
  });
}

export const dashboardPassed = (r: DashboardBenchResult): boolean =>
  r.targets.every((t) => t.pageRatio >= DASHBOARD_TARGET_RATIO && SETUPS.every((s) => t.figures[s].errors + t.figures[s].non2xx === 0));

export function reportDashboard(r: DashboardBenchResult): string[] {
  const lines = ['Dashboard overhead (two devices; the same process serves each setup; ratios against no dashboard):'];
  lines.push('  | request | setup | requests/s | ratio | p50 ms | p99 ms | server CPU µs/request | errors |', '  |---|---|---:|---:|---:|---:|---:|---:|');
  for (const t of r.targets) {
    for (const s of SETUPS) {
      const f = t.figures[s];
      const ratio = f.requestsPerSec / t.figures.none.requestsPerSec;
      lines.push(`  | ${t.name} | ${SETUP_NAMES[s]} | ${fmt(f.requestsPerSec)} | ${fmt(ratio * 100, 1)}% | ${f.p50Ms} | ${f.p99Ms} | ${fmt(f.cpuMicrosPerRequest, 1)} | ${f.errors + f.non2xx} |`);
    }
  }
  for (const t of r.targets) {
    const verdict = t.pageRatio >= DASHBOARD_TARGET_RATIO ? 'PASS' : 'FAIL';
    lines.push(`  ${t.name}: no page ${fmt(t.idleRatio * 100, 1)}%, one page ${fmt(t.pageRatio * 100, 1)}% of the throughput without a dashboard (target >= ${fmt(DASHBOARD_TARGET_RATIO * 100)}%) ${verdict}`);
  }
  lines.push(`  the page received ${Object.entries(r.events).map(([type, n]) => `${n} ${type}`).join(', ')} events`);
  return lines;
}
