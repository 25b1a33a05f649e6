// Child process for the dashboard benchmark: the same two devices (PVS, SENEC on plain HTTP) twice
// in one process, once without a dashboard and once with one, so only the dashboard differs
// between each pair. The parent connects a page (an SSE client) to the second for some runs.
import { startVoltbench, type Voltbench } from '../emulators/registry.js';
import { startDashboard } from '../src/dashboard/server/index.js';

// Midday in June, so every reading is non-zero; real-time clock, as `npm start` runs.
const start = async (): Promise<Voltbench> =>
  startVoltbench({
    devices: ['pvs', 'senec'],
    host: '127.0.0.1',
    seed: 1,
    speed: 1,
    start: Date.parse('2026-06-21T20:00:00Z'),
    freePorts: true,
    options: { senec: { firmware: 'v21-0824' } },
  });

const plain = await start();
const watched = await start();
const dashboard = await startDashboard({ voltbench: watched, host: '127.0.0.1', port: 0 });

const urls = (vb: Voltbench) => ({ pvs: vb.emulators['pvs']!.url!, senec: vb.emulators['senec']!.url! });
process.stdout.write(`${JSON.stringify({ plain: urls(plain), watched: urls(watched), dashboard: dashboard.url })}\n`);
process.on('SIGUSR1', () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMicros: user + system })}\n`);
});
process.on('SIGTERM', () => {
  void Promise.all([dashboard.close(), plain.close(), watched.close()]).then(() => process.exit(0));
});
