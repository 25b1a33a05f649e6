// `voltbench replay` as a library: serve a recording with per-protocol matching (see pvs.ts, senec.ts,
// growatt.ts, ups.ts), in recorded order or latest-match mode, with the recorded timing or none, on the
// transport(s) the recorded clients used or the device's (see transports.ts).

import type { DeviceName } from '../../emulators/registry.js';
import { generateTlsMaterial, type TlsMaterial } from '../../emulators/core/tls/certificates.js';
import type { ClientTransport, HttpExchange, SerialExchange } from '../recording/format.js';
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
import { defaultReplayPort, REPLAY_TRANSPORTS, secondListenerPort, servedTransports, type ReplayTransport } from './transports.js';
import { SerialMatcher } from './ups.js';

export { readRecording, parseRecording, RecordingError, type Recording } from './read.js';
export { REPLAY_MODES, type ReplayMode, type ReplayStats } from './ledger.js';
export { REPLAY_TIMINGS, type ReplayTiming } from './timing.js';
export { STATUS_PATH } from './http-server.js';
export { REPLAY_TRANSPORTS, TransportConfigError, clientTransport, defaultReplayPort, deviceTransport, servedTransports, type ReplayTransport } from './transports.js';
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
  /**
   * HTTP devices: `client` (default) serves on the transport(s) the recorded clients used to reach the recorder, one
   * listener each, the first one used the main one (a client on plain HTTP in front of an HTTPS device replays on plain
   * HTTP); `device` serves on the device's transport alone, as the device did. Recordings without the clients'
   * transport count as the device's. A UPS recording is served as serial bytes over TCP either way.
   */
  transport?: ReplayTransport;
  /** Default 127.0.0.1. */
  host?: string;
  /** The main listener's port; default the device's `voltbench up` port for its transport (SENEC: 7081 plain, 7443 HTTPS); 0 = any free port. */
  port?: number;
  /** HTTP devices: serve the main listener over HTTPS (true) or plain HTTP (false), whatever `transport` says. */
  https?: boolean;
  /**
   * HTTP devices: the HTTPS listener beside a plain main one (0 = any free port): the second listener when the clients
   * used both transports, else an additional one. The second listener's default: any free port when `port` is 0, else
   * the device's HTTPS port (SENEC 7443); a device with one port (PVS, Growatt) needs it given.
   */
  httpsPort?: number;
  /** Host of the `httpsPort` listener; default `host`. */
  httpsHost?: string;
  /** HTTP devices: the plain HTTP listener beside an HTTPS main one, as `httpsPort` the other way round. */
  httpPort?: number;
  /** Host of the `httpPort` listener; default `host`. */
  httpHost?: string;
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
  /** How the HTTP listeners were chosen (`client` unless asked otherwise); `device` for a UPS. */
  transport: ReplayTransport;
  /** The certificate HTTPS listeners use (its `ca` verifies it). */
  tls: TlsMaterial | null;
  stats(): ReplayStats;
  close(): Promise<void>;
}

const RULES: Record<Exclude<DeviceName, 'ups'>, HttpRules> = { pvs: pvsRules, senec: senecRules, growatt: growattRules };

export async function startReplay(options: ReplayOptions): Promise<RunningReplay> {
  const recording = options.recording ?? (options.file !== undefined ? await readRecording(options.file) : undefined);
  if (recording === undefined) throw new Error('startReplay needs `file` or `recording`');
  const mode = options.mode ?? 'order';
  const timing = options.timing ?? 'recorded';
  const speed = options.speed ?? 1;
  const transport = options.transport ?? 'client';
  if (!REPLAY_MODES.includes(mode)) throw new Error(`mode must be one of ${REPLAY_MODES.join(', ')}, got ${String(mode)}`);
  if (!REPLAY_TIMINGS.includes(timing)) throw new Error(`timing must be one of ${REPLAY_TIMINGS.join(', ')}, got ${String(timing)}`);
  if (!(Number.isFinite(speed) && speed > 0)) throw new Error(`speed must be a positive number, got ${speed}`);
  if (!REPLAY_TRANSPORTS.includes(transport)) throw new Error(`transport must be one of ${REPLAY_TRANSPORTS.join(', ')}, got ${String(transport)}`);
  const device = recording.header.device;
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const ledger = new Ledger(mode);

  if (device === 'ups') {
    if (options.https || options.httpsPort !== undefined || options.httpPort !== undefined) throw new Error('a UPS recording is served as serial bytes (TCP), not HTTP(S)');
    const matcher = new SerialMatcher(recording.exchanges as SerialExchange[], ledger);
    const serial = await listenSerialReplay({ matcher, ledger, log, timing, speed }, host, options.port ?? defaultReplayPort(device, false));
    const urls = [serial.url];
    if (options.mockPortPath !== undefined) urls.push(serial.openMockPort(options.mockPortPath));
    return { device, recording, url: serial.url, urls, transport: 'device', tls: null, stats: () => ledger.stats(), close: () => serial.close() };
  }

  if (options.mockPortPath !== undefined) throw new Error('mockPortPath is for UPS recordings only');
  const planned = httpListeners(device, servedTransports(recording, transport), options, host);
  const tls = planned.some((l) => l.transport === 'https') ? (options.tls ?? generateTlsMaterial({ commonName: device === 'senec' ? 'senec.local' : `${device}.voltbench.local` })) : null;
  const listeners: HttpListener[] = planned.map(({ transport: t, host: h, port }) => ({ host: h, port, ...(t === 'https' && tls ? { tls } : {}) }));
  const matcher = new HttpMatcher(RULES[device], recording.exchanges as HttpExchange[], ledger);
  const running = await listenHttpReplay({ matcher, ledger, log, timing, speed }, listeners);
  return { device, recording, url: running.urls[0]!, urls: running.urls, transport, tls, stats: () => ledger.stats(), close: () => running.close() };
}

/**
 * The HTTP(S) listeners, the main one first: the main transport (`https` overrides the first served one) on `port`,
 * the other served transport beside it, and any listener `httpsPort`/`httpPort` ask for.
 */
function httpListeners(device: DeviceName, served: readonly ClientTransport[], options: ReplayOptions, host: string): { transport: ClientTransport; host: string; port: number }[] {
  const main: ClientTransport = options.https === undefined ? served[0]! : options.https ? 'https' : 'http';
  const mainPort = options.port ?? defaultReplayPort(device, main === 'https');
  const listeners = [{ transport: main, host, port: mainPort }];
  const asked = {
    http: options.httpPort === undefined ? undefined : { host: options.httpHost ?? host, port: options.httpPort },
    https: options.httpsPort === undefined ? undefined : { host: options.httpsHost ?? host, port: options.httpsPort },
  };
  const given = { http: { flag: '--http-listen', option: 'httpPort' }, https: { flag: '--https-listen', option: 'httpsPort' } };
  const other = served.slice(1).find((t) => t !== main);
  if (other !== undefined) listeners.push({ transport: other, ...(asked[other] ?? { host, port: secondListenerPort(device, other, mainPort, given[other]) }) });
  for (const t of ['http', 'https'] as const) {
    const at = asked[t];
    if (at !== undefined && t !== other) listeners.push({ transport: t, ...at });
  }
  return listeners;
}
