// The soak: `voltbench up` with all four devices as a child process at `--speed 3600` (an hour of
// virtual time per second), each device polled steadily the way an integration polls it, through
// the typed clients, for SOAK_MINUTES (default 10). The figure is the server process's resident set
// as the kernel reports it (/proc/<pid>/status VmRSS, no forced GC), sampled every few seconds.
// Target (issue 16): RSS grows less than 10 % over the second half of the run.
//
//   npm run bench -- soak                       10 minutes
//   SOAK_MINUTES=60 npm run bench -- soak       an hour (15 simulated days per 6 minutes)
//
// SOAK_SPEED, SOAK_POLL_MS (the pause between one device's polls, default 250) and
// SOAK_SAMPLE_SECONDS (default 5) change the run.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUILTIN_DEVICES } from '../emulators/devices.js';
import { deviceFlags } from '../emulators/core/device/options.js';
import { GrowattClient, GrowattRateLimitError } from '../src/clients/growatt/index.js';
import { KehuaUpsClient } from '../src/clients/kehua-ups/index.js';
import { SenecClient } from '../src/clients/senec/index.js';
import { PvsClient } from '../src/clients/sunpower-pvs/index.js';
import { firstLine, fmt, median } from './lib.js';

const CLI = fileURLToPath(new URL('../bin/voltbench.js', import.meta.url));
const MB = 1024 * 1024;

export interface SoakOptions {
  minutes: number;
  speed: number;
  pollPauseMs: number;
  sampleSeconds: number;
}

export interface SoakSample {
  /** Wall seconds since the devices were ready. */
  t: number;
  rssBytes: number;
}

export interface DeviceTally {
  polls: number;
  failures: number;
  /** Answers that are the device's documented refusal of a too-frequent call (Growatt 10012), not failures. */
  refused: number;
  lastError: string | null;
}

export interface SoakResult {
  options: SoakOptions;
  samples: SoakSample[];
  startRss: number;
  middleRss: number;
  endRss: number;
  /** (end - middle) / middle. */
  secondHalfGrowth: number;
  virtualDays: number;
  devices: Record<string, DeviceTally>;
  /** The server exited during the run. */
  crashed: string | null;
}

export function soakOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SoakOptions {
  return {
    minutes: Number(env['SOAK_MINUTES'] ?? 10),
    speed: Number(env['SOAK_SPEED'] ?? 3600),
    pollPauseMs: Number(env['SOAK_POLL_MS'] ?? 250),
    sampleSeconds: Number(env['SOAK_SAMPLE_SECONDS'] ?? 5),
  };
}

/** Resident set of a process in bytes (Linux). */
export function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** `--<device>-<listener>-port 0` for every listener of every built-in device: all free ports. */
export function freePortArgs(): string[] {
  return BUILTIN_DEVICES.flatMap((d) => deviceFlags(d).filter((f) => 'port' in f.target || f.flag.endsWith('-port'))).flatMap((f) => [`--${f.flag}`, '0']);
}

interface Ready {
  emulators: {
    pvs: { url: string };
    senec: { httpsUrl?: string; url?: string };
    growatt: { url: string; token: string };
    ups: { url: string };
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls one device until `stop()` says so, counting polls and failures. */
async function pollLoop(tally: DeviceTally, pauseMs: number, stopped: () => boolean, poll: () => Promise<void>, refusal?: (error: unknown) => boolean): Promise<void> {
  while (!stopped()) {
    try {
      await poll();
      tally.polls++;
    } catch (error) {
      if (refusal?.(error)) tally.refused++;
      else {
        tally.failures++;
        tally.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
    }
    await sleep(pauseMs);
  }
}

/** The median of the samples within `spanSec` before `t`, which evens out a GC caught mid-way (RSS drops for a while after one). */
function rssAround(samples: SoakSample[], t: number, spanSec: number): number {
  const near = samples.filter((s) => s.t <= t && s.t >= t - spanSec);
  return median((near.length > 0 ? near : [samples.reduce((a, b) => (Math.abs(b.t - t) < Math.abs(a.t - t) ? b : a))]).map((s) => s.rssBytes));
}

export async function soak(options: SoakOptions, progress: (line: string) => void = () => {}): Promise<SoakResult> {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'up', '--json', '--speed', String(options.speed), '--seed', '1', '--no-dashboard', ...freePortArgs()], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let crashed: string | null = null;
  child.once('exit', (code, signal) => {
    crashed = `the server exited (${signal ?? code})`;
  });
  const devices: Record<string, DeviceTally> = Object.fromEntries(['pvs', 'senec', 'growatt', 'ups'].map((d) => [d, { polls: 0, failures: 0, refused: 0, lastError: null }]));
  try {
    const ready = JSON.parse(await firstLine(child)) as Ready;
    const e = ready.emulators;
    const pvs = new PvsClient({ baseUrl: e.pvs.url, retries: 0, timeoutMs: 10_000, deviceListTimeoutMs: 10_000 });
    const senec = new SenecClient({ baseUrl: e.senec.httpsUrl ?? e.senec.url!, retries: 0, timeoutMs: 10_000 });
    const growatt = new GrowattClient({ token: e.growatt.token, baseUrl: e.growatt.url, timeoutMs: 10_000, scheduler: { enabled: false } });
    const ups = new KehuaUpsClient({ transport: e.ups.url, timeoutMs: 5_000 });
    const clockOf = async (url: string) => ((await (await fetch(`${url}/__emu/clock`)).json()) as { now: number }).now;
    const virtualStart = await clockOf(e.growatt.url);

    const plants = await growatt.plantList();
    const plantId = plants.plants[0]!.plant_id;
    const sn = (await growatt.deviceList(plantId)).devices[0]!.device_sn;

    const began = performance.now();
    const elapsed = () => (performance.now() - began) / 1000;
    const durationSec = options.minutes * 60;
    const stopped = () => elapsed() >= durationSec || crashed !== null;
    const samples: SoakSample[] = [{ t: 0, rssBytes: rssOf(child.pid!) }];
    const sampler = (async () => {
      let next = options.sampleSeconds;
      let reported = 0;
      while (!stopped()) {
        await sleep(Math.max(0, (next - elapsed()) * 1000));
        if (crashed !== null) break;
        samples.push({ t: elapsed(), rssBytes: rssOf(child.pid!) });
        next += options.sampleSeconds;
        if (elapsed() - reported >= 60) {
          reported = elapsed();
          const polls = Object.entries(devices).map(([d, t]) => `${d} ${t.polls}${t.failures ? ` (${t.failures} failed)` : ''}`).join(', ');
          progress(`  ${fmt(elapsed() / 60, 1)} min: RSS ${fmt(samples.at(-1)!.rssBytes / MB, 1)} MB; polls ${polls}`);
        }
      }
    })();
    let growattTurn = 0;
    await Promise.all([
      pollLoop(devices['pvs']!, options.pollPauseMs, stopped, async () => {
        const list = await pvs.deviceList();
        if (list.devices.length === 0) throw new Error('DeviceList without devices');
      }),
      pollLoop(devices['senec']!, options.pollPauseMs, stopped, async () => {
        await senec.powerFlow();
      }),
      pollLoop(
        devices['growatt']!,
        options.pollPauseMs,
        stopped,
        async () => {
          // What a Home Assistant-style integration reads: the inverter's latest data, now and then the plant.
          if (growattTurn++ % 10 === 0) await growatt.plantData(plantId);
          else await growatt.mixLastData(sn);
        },
        (error) => error instanceof GrowattRateLimitError,
      ),
      pollLoop(devices['ups']!, options.pollPauseMs, stopped, async () => {
        const snapshot = await ups.snapshot();
        if (Object.keys(snapshot.values).length !== 98) throw new Error('a UPS snapshot without its 98 points');
      }),
      sampler,
    ]);
    const virtualEnd = crashed === null ? await clockOf(e.growatt.url) : virtualStart;
    senec.close();
    await ups.close();
    const end = samples.at(-1)!.t;
    const span = Math.max(options.sampleSeconds * 3, end / 10);
    const startRss = samples[0]!.rssBytes;
    const middleRss = rssAround(samples, end / 2, span);
    const endRss = rssAround(samples, end, span);
    return {
      options,
      samples,
      startRss,
      middleRss,
      endRss,
      secondHalfGrowth: (endRss - middleRss) / middleRss,
      virtualDays: (virtualEnd - virtualStart) / 86_400_000,
      devices,
      crashed,
    };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

export function reportSoak(result: SoakResult): string[] {
  const mb = (bytes: number) => `${fmt(bytes / MB, 1)} MB`;
  const lines = [
    `Soak: voltbench up (all four devices) at --speed ${result.options.speed}, each device polled with a ${result.options.pollPauseMs} ms pause, ${result.options.minutes} min (${fmt(result.virtualDays, 1)} simulated days)`,
  ];
  if (result.crashed) lines.push(`  ${result.crashed.toUpperCase()}`);
  const tenth = Math.max(1, Math.floor(result.samples.length / 10));
  const row = result.samples.filter((_, i) => i % tenth === 0 || i === result.samples.length - 1);
  lines.push(`  RSS over time: ${row.map((s) => `${fmt(s.t / 60, 1)} min ${fmt(s.rssBytes / MB, 0)}`).join(' · ')} MB`);
  lines.push(`  RSS start ${mb(result.startRss)}, middle ${mb(result.middleRss)}, end ${mb(result.endRss)}`);
  const growth = result.secondHalfGrowth * 100;
  lines.push(`  growth over the second half: ${fmt(growth, 1)} % (target < 10 %): ${growth < 10 ? 'met' : 'MISSED'}`);
  for (const [device, t] of Object.entries(result.devices)) {
    lines.push(
      `  ${device.padEnd(8)} ${String(t.polls).padStart(6)} polls, ${t.failures} failed${t.refused ? `, ${t.refused} refused as too frequent (10012)` : ''}${t.lastError ? ` (last: ${t.lastError})` : ''}`,
    );
  }
  return lines;
}

export function soakPassed(result: SoakResult): boolean {
  const failures = Object.values(result.devices).reduce((s, t) => s + t.failures, 0);
  return result.crashed === null && result.secondHalfGrowth < 0.1 && failures === 0;
}

export async function runSoakBench(): Promise<boolean> {
  const options = soakOptionsFromEnv();
  console.log(`Soak for ${options.minutes} min (SOAK_MINUTES); progress every minute:`);
  const result = await soak(options, (line) => console.log(line));
  console.log(reportSoak(result).join('\n'));
  return soakPassed(result);
}

// Run directly: `node --import tsx bench/soak.ts`.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = (await runSoakBench()) ? 0 : 1;
}
