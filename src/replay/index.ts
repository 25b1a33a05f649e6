// `voltbench replay` as a library: serve a recording with per-protocol matching (see pvs.ts, senec.ts,
// growatt.ts, ups.ts), in recorded order or latest-match mode, with the recorded timing or none.

import { DEFAULT_PORTS, type DeviceName } from '../../emulators/registry.js';
import { generateTlsMaterial, type TlsMaterial } from '../../emulators/core/tls/certificates.js';
import type { HttpExchange, SerialExchange } from '../recording/format.js';
import { growattRules } from './growatt.js';
import { HttpMatcher } from './http-matcher.js';
import type { HttpRules } from './http-rules.js';
import { listenHttpReplay, type HttpListener } from './http-server.js';
import { Ledger, REPLAY_MODES, type ReplayMode, type ReplayStats } from './ledger.js';
import { pvsRules } from './pvs.js';
import { readRecording, type Recording } from './read.js';
import { senecRules } from './senec.js';
import { listenSerialReplay } from './serial-server.js';
import { REPLAY_TIMINGS, type ReplayTiming } from './timing.js';
import { SerialMatcher } from './ups.js';

export { readRecording, parseRecording, RecordingError, type Recording } from './read.js';
export { REPLAY_MODES, type ReplayMode, type ReplayStats } from './ledger.js';
export { REPLAY_TIMINGS, type ReplayTiming } from './timing.js';
export { STATUS_PATH } from './http-server.js';
export { emulatorOptionsFromRecording, startSimulation, type SimulationPlan, type RunningSimulation, type SimulationOptions } from './simulate.js';

export interface ReplayOptions {
  /** A recording file; or give `recording` already read. */
  file?: string;
  recording?: Recording;
  /** Default `order`. */
  mode?: ReplayMode;
  /** Default `recorded`. */
  timing?: ReplayTiming;
  /** With recorded timing: 2 answers twice as fast as recorded. Default 1. */
  speed?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The main listener's port; default the device's DEFAULT_PORTS entry (SENEC over HTTPS: senecHttps); 0 = any free port. */
  port?: number;
  /** HTTP devices: serve the main listener over HTTPS. Default: as recorded (SENEC on firmware ≥ 0825 is HTTPS). */
  https?: boolean;
  /** HTTP devices: an additional HTTPS listener beside a plain main listener (0 = any free port). */
  httpsPort?: number;
  /** Host of the `httpsPort` listener; default `host`. */
  httpsHost?: string;
  /** Certificate for HTTPS; generated (self-signed CA and leaf, as the emulators do) when absent. */
  tls?: TlsMaterial;
  /** UPS: also serve the recording on this `serialport` mock port path. */
  mockPortPath?: string;
  /** Where unmatched-request lines go; default stderr. */
  log?: (line: string) => void;
}

export interface RunningReplay {
  device: DeviceName;
  recording: Recording;
  /** The main listener: `http://…`, `https://…` or `tcp://…`. */
  url: string;
  /** Every listener, the main one first (and the mock port path, for a UPS served on one). */
  urls: string[];
  /** The certificate HTTPS listeners use (its `ca` verifies it). */
  tls: TlsMaterial | null;
  stats(): ReplayStats;
  close(): Promise<void>;
}

const RULES: Record<Exclude<DeviceName, 'ups'>, HttpRules> = { pvs: pvsRules, senec: senecRules, growatt: growattRules };

/** The port a device is served on by default (the one `voltbench up` uses for it). */
export function defaultReplayPort(device: DeviceName, https: boolean): number {
  if (device === 'senec') return https ? DEFAULT_PORTS.senecHttps : DEFAULT_PORTS.senec;
  return DEFAULT_PORTS[device];
}

export async function startReplay(options: ReplayOptions): Promise<RunningReplay> {
  const recording = options.recording ?? (options.file !== undefined ? await readRecording(options.file) : undefined);
  if (recording === undefined) throw new Error('startReplay needs `file` or `recording`');
  const mode = options.mode ?? 'order';
  const timing = options.timing ?? 'recorded';
  const speed = options.speed ?? 1;
  if (!REPLAY_MODES.includes(mode)) throw new Error(`mode must be one of ${REPLAY_MODES.join(', ')}, got ${String(mode)}`);
  if (!REPLAY_TIMINGS.includes(timing)) throw new Error(`timing must be one of ${REPLAY_TIMINGS.join(', ')}, got ${String(timing)}`);
  if (!(Number.isFinite(speed) && speed > 0)) throw new Error(`speed must be a positive number, got ${speed}`);
  const device = recording.header.device;
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const ledger = new Ledger(mode);

  if (device === 'ups') {
    if (options.https || options.httpsPort !== undefined) throw new Error('a UPS recording is served as serial bytes (TCP), not HTTPS');
    const matcher = new SerialMatcher(recording.exchanges as SerialExchange[], ledger);
    const serial = await listenSerialReplay({ matcher, ledger, log, timing, speed }, host, options.port ?? DEFAULT_PORTS.ups);
    const urls = [serial.url];
    if (options.mockPortPath !== undefined) urls.push(serial.openMockPort(options.mockPortPath));
    return { device, recording, url: serial.url, urls, tls: null, stats: () => ledger.stats(), close: () => serial.close() };
  }

  if (options.mockPortPath !== undefined) throw new Error('mockPortPath is for UPS recordings only');
  const mainHttps = options.https ?? recording.header.transport === 'https';
  const needsTls = mainHttps || options.httpsPort !== undefined;
  const tls = needsTls ? (options.tls ?? generateTlsMaterial({ commonName: device === 'senec' ? 'senec.local' : `${device}.voltbench.local` })) : null;
  const listeners: HttpListener[] = [{ host, port: options.port ?? defaultReplayPort(device, mainHttps), ...(mainHttps && tls ? { tls } : {}) }];
  if (options.httpsPort !== undefined && tls) listeners.push({ host: options.httpsHost ?? host, port: options.httpsPort, tls });
  const matcher = new HttpMatcher(RULES[device], recording.exchanges as HttpExchange[], ledger);
  const running = await listenHttpReplay({ matcher, ledger, log, timing, speed }, listeners);
  return { device, recording, url: running.urls[0]!, urls: running.urls, tls, stats: () => ledger.stats(), close: () => running.close() };
}
