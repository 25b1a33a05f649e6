import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SerialPortMock } from 'serialport';
import { VirtualClock } from '../emulators/core/clock.js';
import { World } from '../emulators/core/world/world.js';
import { createUpsServer } from '../emulators/kehua-ups/server.js';
import { UL33_COMMANDS, UL33_POINTS } from '../contracts/kehua-ups/index.js';
import { KehuaUpsClient, type KehuaUpsClientOptions } from '../src/clients/kehua-ups/index.js';
import { childCpu, fmt, median, startChild } from './lib.js';
import type { UpsServersReady } from './ups-poll.js';

const SERVERS = fileURLToPath(new URL('./ups-servers.ts', import.meta.url));
const MOCK_PATH = '/dev/ttyUPS-bench';

/** One line setup: polls per second of a full 98-point snapshot, latency per poll, CPU per poll. */
export interface PollFigures {
  pollsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time of the polling process per poll (with the mock binding: client and emulator together). */
  clientCpuMicrosPerPoll: number;
  /** CPU time of the server child per poll (TCP only). */
  serverCpuMicrosPerPoll: number | undefined;
  polls: number;
  errors: number;
}

export interface UpsBenchResult {
  mock: PollFigures;
  tcpBare: PollFigures;
  tcpEmulator: PollFigures;
  requestBytes: number;
  replyBytes: number;
}

/** One round's figures; summarize() takes the median over rounds. */
type Run = PollFigures;

/**
 * A full poll of the UL33 map (10 commands, 98 points) with KehuaUpsClient.snapshot() in a loop,
 * over the `serialport` mock binding (emulator in the same process) and over TCP to the emulator's
 * raw-serial bridge in a child process; a bare TCP responder with precomputed replies shows what
 * the client and the loopback cost alone. Setups alternate round by round; medians are reported.
 */
export async function benchUps(options: { seconds: number; rounds: number }): Promise<UpsBenchResult> {
  const world = new World({ seed: 1 }, new VirtualClock({ start: Date.parse('2026-06-21T18:00:00Z'), speed: 1 }));
  const local = await createUpsServer({ world });
  const mockClient = client({ path: local.openMockPort(MOCK_PATH), binding: SerialPortMock.binding });
  const { child, line } = await startChild(SERVERS);
  const ready = JSON.parse(line) as UpsServersReady;
  const cpu = childCpu(child);
  const bareClient = client(ready.bareUrl);
  const emulatorClient = client(ready.emulatorUrl);
  const runs = { mock: [] as Run[], tcpBare: [] as Run[], tcpEmulator: [] as Run[] };
  try {
    for (const c of [mockClient, bareClient, emulatorClient]) await pollFor(c, 0.5);
    for (let round = 0; round < options.rounds; round++) {
      runs.mock.push(await pollFor(mockClient, options.seconds));
      runs.tcpBare.push(await pollFor(bareClient, options.seconds, cpu));
      runs.tcpEmulator.push(await pollFor(emulatorClient, options.seconds, cpu));
    }
  } finally {
    await Promise.allSettled([mockClient.close(), bareClient.close(), emulatorClient.close()]);
    await local.close();
    child.kill('SIGTERM');
  }
  return {
    mock: summarize(runs.mock),
    tcpBare: summarize(runs.tcpBare),
    tcpEmulator: summarize(runs.tcpEmulator),
    requestBytes: ready.requestBytes,
    replyBytes: ready.replyBytes,
  };
}

function client(transport: KehuaUpsClientOptions['transport']): KehuaUpsClient {
  // No retries: a failed command counts as a failed poll instead of hiding in the figures.
  return new KehuaUpsClient({ transport, retries: 0, timeoutMs: 2000 });
}

/** Polls back to back for `seconds`; a poll counts when it returned all 98 points. */
async function pollFor(ups: KehuaUpsClient, seconds: number, serverCpu?: () => Promise<number>): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  const serverBefore = serverCpu ? await serverCpu() : 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const end = started + seconds * 1000;
  while (performance.now() < end) {
    const t0 = performance.now();
    try {
      const snapshot = await ups.snapshot();
      if (Object.keys(snapshot.values).length !== UL33_POINTS.length || snapshot.commands.length !== UL33_COMMANDS.length) errors++;
      else latencies.push(performance.now() - t0);
    } catch {
      errors++;
    }
  }
  const elapsed = performance.now() - started;
  const { user, system } = process.cpuUsage(cpuBefore);
  const serverMicros = serverCpu ? (await serverCpu()) - serverBefore : undefined;
  const polls = latencies.length;
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  return {
    pollsPerSec: (polls / elapsed) * 1000,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    clientCpuMicrosPerPoll: (user + system) / Math.max(1, polls),
    serverCpuMicrosPerPoll: serverMicros === undefined ? undefined : serverMicros / Math.max(1, polls),
    polls,
    errors,
  };
}

function summarize(runs: Run[]): PollFigures {
  const server = runs.map((r) => r.serverCpuMicrosPerPoll).filter((v): v is number => v !== undefined);
  return {
    pollsPerSec: median(runs.map((r) => r.pollsPerSec)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    clientCpuMicrosPerPoll: median(runs.map((r) => r.clientCpuMicrosPerPoll)),
    serverCpuMicrosPerPoll: server.length > 0 ? median(server) : undefined,
    polls: runs.reduce((n, r) => n + r.polls, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
  };
}

export const upsErrors = (r: UpsBenchResult): number => r.mock.errors + r.tcpBare.errors + r.tcpEmulator.errors;

export function reportUps(r: UpsBenchResult): string[] {
  const row = (lineName: string, server: string, f: PollFigures) =>
    `  | ${lineName} | ${server} | ${fmt(f.pollsPerSec)} | ${fmt(f.pollsPerSec * UL33_COMMANDS.length)} | ${fmt(f.p50Ms, 2)} | ${fmt(f.p99Ms, 2)} | ` +
    `${fmt(f.clientCpuMicrosPerPoll)} | ${f.serverCpuMicrosPerPoll === undefined ? '(same process)' : fmt(f.serverCpuMicrosPerPoll)} | ${f.errors} |`;
  const lines = [
    `KEHUA UPS full poll: 98 points in ${UL33_COMMANDS.length} commands (41H, C0H-C4H, 43H, 44H, C7H, C8H), ` +
      `${r.requestBytes} bytes out and ${r.replyBytes} bytes back per poll, replyDelayMs 0, one client polling back to back:`,
    `  | line | server | polls/s | commands/s | p50 ms/poll | p99 ms/poll | client CPU µs/poll | server CPU µs/poll | failed polls |`,
    `  |---|---|---:|---:|---:|---:|---:|---:|---:|`,
    row('serialport mock binding, in-process', 'voltbench UPS emulator', r.mock),
    row('TCP 127.0.0.1', 'bare responder, precomputed replies', r.tcpBare),
    row('TCP 127.0.0.1', 'voltbench UPS emulator (raw-serial bridge)', r.tcpEmulator),
    `  per command (p50 poll / ${UL33_COMMANDS.length}): mock ${fmt(r.mock.p50Ms / UL33_COMMANDS.length, 3)} ms, ` +
      `TCP bare ${fmt(r.tcpBare.p50Ms / UL33_COMMANDS.length, 3)} ms, TCP emulator ${fmt(r.tcpEmulator.p50Ms / UL33_COMMANDS.length, 3)} ms`,
    `  emulator over TCP: ${fmt((r.tcpEmulator.pollsPerSec / r.tcpBare.pollsPerSec) * 100, 1)}% of the bare responder's polls/s (no target in issue #5)`,
  ];
  const errors = upsErrors(r);
  if (errors > 0) lines.push(`  !! ${errors} polls failed (timeouts, corrupt or refused replies)`);
  return lines;
}
