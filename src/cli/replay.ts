import {
  defaultReplayPort,
  deviceTransport,
  readRecording,
  REPLAY_MODES,
  REPLAY_TIMINGS,
  REPLAY_TRANSPORTS,
  servedTransports,
  startReplay,
  startSimulation,
  STATUS_PATH,
  TransportConfigError,
  type Recording,
  type ReplayMode,
  type ReplayTiming,
  type ReplayTransport,
} from '../replay/index.js';
import { parseFlags } from './flags.js';
import { UsageError } from './usage-error.js';

export const REPLAY_USAGE = `Usage: voltbench replay <file> [options]

Serves a recording (voltbench record) as the device did: PVS by command, SENEC by requested
objects and keys, Growatt by path and parameters (token aside), UPS by frame. A request that
matches nothing gets the device's own error answer and a log line on stderr.

Options:
  --mode <order|latest>        order: the Nth identical request gets the Nth recorded answer, then
                               the last one; latest: always the last one (default order)
  --timing <recorded|compressed>
                               wait each answer's recorded duration, or answer at once (default recorded)
  --speed <n>                  with recorded timing: N times faster than recorded (default 1)
  --transport <client|device>  HTTP devices: client serves on the transport the recorded clients used
                               to reach voltbench record (plain HTTP for a client on --listen, HTTPS
                               on --https-listen; a listener each if they used both, the first one
                               used being the main one); device serves on the device's, as it did
                               (default client; a recording without the clients' transport is served
                               on the device's). A UPS is served as serial bytes over TCP either way
  --listen <host:port>         the main listener (HTTP, HTTPS or raw serial over TCP); default
                               127.0.0.1 on the device's voltbench up port for its transport
                               (SENEC ${defaultReplayPort('senec', false)} plain, ${defaultReplayPort('senec', true)} HTTPS; PVS ${defaultReplayPort('pvs', false)}; Growatt ${defaultReplayPort('growatt', false)}; UPS ${defaultReplayPort('ups', false)})
  --https-listen <host:port>   the HTTPS listener beside a plain main one (self-signed certificate):
                               the second listener when the clients used both, else an extra one.
                               The second listener defaults to the device's port for its transport
                               (SENEC ${defaultReplayPort('senec', true)}), to any free port with --listen host:0; PVS and
                               Growatt have one port, so give it
  --http-listen <host:port>    the plain HTTP listener beside an HTTPS main one, likewise
  --simulate                   instead of replaying, run the device's emulator set up from the
                               recording (panel count, firmware, state of charge, ...) at --listen;
                               --transport applies to SENEC (a front on the clients' transport)
  --json                       print one JSON line when listening: {"ready","device","transport",
                               "url","urls",...}; url is the main listener, urls all of them
  -h, --help                   show this help
`;

interface ReplayArgs {
  file: string;
  mode: ReplayMode;
  timing: ReplayTiming;
  speed: number;
  transport: ReplayTransport;
  listen?: { host: string; port: number };
  httpsListen?: { host: string; port: number };
  httpListen?: { host: string; port: number };
  simulate: boolean;
  json: boolean;
}

/** Parses `replay` flags; throws UsageError with a message a person can act on. */
export function parseReplayArgs(argv: string[]): ReplayArgs | 'help' {
  const parsed = parseFlags({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      mode: { type: 'string' },
      timing: { type: 'string' },
      speed: { type: 'string' },
      transport: { type: 'string' },
      listen: { type: 'string' },
      'https-listen': { type: 'string' },
      'http-listen': { type: 'string' },
      simulate: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const v = parsed.values;
  if (v.help) return 'help';
  if (parsed.positionals.length !== 1) throw new UsageError(parsed.positionals.length === 0 ? 'replay needs a recording file' : `replay takes one recording file, got ${parsed.positionals.length}`);
  if (v.simulate && (v.mode !== undefined || v.timing !== undefined || v.speed !== undefined || v['https-listen'] !== undefined || v['http-listen'] !== undefined)) {
    throw new UsageError('--simulate runs an emulator: --mode, --timing, --speed, --https-listen and --http-listen are for replaying');
  }
  const transport = v.transport ?? 'client';
  if (!(REPLAY_TRANSPORTS as readonly string[]).includes(transport)) throw new UsageError(`--transport must be one of ${REPLAY_TRANSPORTS.join(', ')}, got "${transport}"`);
  const mode = v.mode ?? 'order';
  if (!(REPLAY_MODES as readonly string[]).includes(mode)) throw new UsageError(`--mode must be one of ${REPLAY_MODES.join(', ')}, got "${mode}"`);
  const timing = v.timing ?? 'recorded';
  if (!(REPLAY_TIMINGS as readonly string[]).includes(timing)) throw new UsageError(`--timing must be one of ${REPLAY_TIMINGS.join(', ')}, got "${timing}"`);
  const speed = v.speed === undefined ? 1 : Number(v.speed);
  if (!(Number.isFinite(speed) && speed > 0 && speed <= 1_000_000)) throw new UsageError(`--speed must be a number above 0, got "${v.speed}"`);
  return {
    file: parsed.positionals[0]!,
    mode: mode as ReplayMode,
    timing: timing as ReplayTiming,
    speed,
    transport: transport as ReplayTransport,
    ...(v.listen !== undefined ? { listen: address(v.listen, '--listen') } : {}),
    ...(v['https-listen'] !== undefined ? { httpsListen: address(v['https-listen'], '--https-listen') } : {}),
    ...(v['http-listen'] !== undefined ? { httpListen: address(v['http-listen'], '--http-listen') } : {}),
    simulate: v.simulate,
    json: v.json,
  };
}

/** `host:port`, `[::1]:port` or `:port` (host 127.0.0.1); port 0 picks a free one. */
function address(text: string, flag: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) throw new UsageError(`${flag} must be host:port (e.g. 127.0.0.1:7080, [::1]:7080 or :7080), got "${text}"`);
  return { host: match[1] ?? (match[2] || '127.0.0.1'), port };
}

export interface ReplayIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Resolves when the replay should stop (a signal); its value is named in the shutdown line. */
  stopped: Promise<string>;
}

/** `voltbench replay`: serves until SIGINT or SIGTERM, then closes and resolves. */
export async function runReplay(argv: string[]): Promise<void> {
  let release: () => void = () => {};
  const stopped = new Promise<string>((resolve) => {
    // Handlers go in before the ready line: a supervisor may signal as soon as it reads it.
    const stop = (signal: NodeJS.Signals) => resolve(signal);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    release = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
  });
  try {
    await runReplayWith(argv, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), stopped });
  } finally {
    release();
  }
}

/** runReplay with its streams and stop signal passed in (tests run it in-process). */
export async function runReplayWith(argv: string[], io: ReplayIo): Promise<void> {
  const args = parseReplayArgs(argv);
  if (args === 'help') {
    io.stdout(REPLAY_USAGE);
    return;
  }
  const recording = await readRecording(args.file);
  if (recording.truncated) io.stderr(`voltbench replay: ${args.file}: dropped an incomplete last line (the recorder was stopped mid-write)\n`);
  const device = recording.header.device;
  if (device === 'ups' && (args.httpsListen || args.httpListen)) {
    throw new UsageError(`${args.httpsListen ? '--https-listen' : '--http-listen'} is for HTTP devices; a UPS recording is served as serial bytes over TCP`);
  }
  if (device !== 'ups' && !args.simulate) {
    const main = servedTransports(recording, args.transport)[0]!;
    const why = args.transport === 'client' ? 'its clients used' : "the device's";
    if (args.httpsListen && main === 'https') throw new UsageError(`this recording is served over HTTPS already (${why}); --listen sets where`);
    if (args.httpListen && main === 'http') throw new UsageError(`this recording is served over plain HTTP already (${why}); --listen sets where`);
  }
  const host = args.listen?.host ?? '127.0.0.1';
  let stop: () => Promise<void>;
  try {
    stop = args.simulate ? await simulate(args, recording, host, io) : await replay(args, recording, host, io);
  } catch (error) {
    if (error instanceof TransportConfigError) throw new UsageError(error.message);
    throw error;
  }
  const signal = await io.stopped;
  if (!args.json) io.stderr(`\nvoltbench replay: ${signal}, shutting down\n`);
  await stop();
}

async function replay(args: ReplayArgs, recording: Recording, host: string, io: ReplayIo): Promise<() => Promise<void>> {
  const running = await startReplay({
    recording,
    mode: args.mode,
    timing: args.timing,
    speed: args.speed,
    transport: args.transport,
    host,
    ...(args.listen ? { port: args.listen.port } : {}),
    ...(args.httpsListen ? { httpsPort: args.httpsListen.port, httpsHost: args.httpsListen.host } : {}),
    ...(args.httpListen ? { httpPort: args.httpListen.port, httpHost: args.httpListen.host } : {}),
    log: (line) => io.stderr(`${line}\n`),
  });
  const summary = {
    device: running.device,
    exchanges: recording.exchanges.length,
    mode: args.mode,
    timing: args.timing,
    ...(args.speed !== 1 ? { speed: args.speed } : {}),
    ...(running.device === 'ups' ? {} : { transport: running.transport }),
  };
  if (args.json) {
    io.stdout(`${JSON.stringify({ ready: true, replay: args.file, ...summary, url: running.url, urls: running.urls, truncated: recording.truncated })}\n`);
  } else {
    const timing = args.timing === 'recorded' && args.speed !== 1 ? `recorded timing at ${args.speed}x` : `${args.timing} timing`;
    io.stdout(
      `voltbench is replaying ${args.file} (${running.device}, ${summary.exchanges} exchange${summary.exchanges === 1 ? '' : 's'}, ${args.mode} mode, ${timing})\n` +
        running.urls.map((url) => `  ${url}\n`).join('') +
        transportNote(recording, args.transport) +
        (running.device === 'ups' ? '' : `  served/unmatched counts: ${running.url}${STATUS_PATH}\n`) +
        'Press Ctrl+C to stop.\n',
    );
  }
  return () => running.close();
}

/** For a person: how the HTTP listeners were chosen, when the clients' transport and the device's differ. */
function transportNote(recording: Recording, transport: ReplayTransport): string {
  if (recording.header.device === 'ups') return '';
  const device = deviceTransport(recording.header);
  const clients = servedTransports(recording, 'client');
  if (clients.length === 1 && clients[0] === device) return '';
  return transport === 'client'
    ? `  served as the recorded clients reached the recorder (${clients.join(' and ')}); the device spoke ${device}: --transport device serves it that way\n`
    : `  served as the device spoke (${device}); the recorded clients used ${clients.join(' and ')}: --transport client serves them that way\n`;
}

async function simulate(args: ReplayArgs, recording: Recording, host: string, io: ReplayIo): Promise<() => Promise<void>> {
  const running = await startSimulation(recording, { host, transport: args.transport, ...(args.listen ? { port: args.listen.port } : {}) });
  const { plan } = running;
  if (args.json) {
    io.stdout(`${JSON.stringify({ ready: true, simulate: args.file, device: plan.device, url: running.url, urls: running.urls, derived: plan.derived, notApplied: plan.notApplied })}\n`);
  } else {
    const derived = Object.entries(plan.derived)
      .filter(([key]) => key !== 'serials')
      .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
      .join(', ');
    io.stdout(
      `voltbench is simulating ${args.file} with the ${plan.device} emulator at ${running.urls.join(' and ')}\n` +
        `  from the recording: ${derived || 'nothing (defaults)'}\n` +
        plan.notApplied.map((note) => `  not applied: ${note}\n`).join('') +
        'Press Ctrl+C to stop.\n',
    );
  }
  return () => running.close();
}
