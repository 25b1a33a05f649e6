import {
  defaultReplayPort,
  readRecording,
  REPLAY_MODES,
  REPLAY_TIMINGS,
  startReplay,
  startSimulation,
  STATUS_PATH,
  type Recording,
  type ReplayMode,
  type ReplayTiming,
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
  --listen <host:port>         where the device is served, as recorded (HTTP, HTTPS or raw serial
                               over TCP); default 127.0.0.1 on the device's voltbench up port
  --https-listen <host:port>   also serve an HTTP recording over HTTPS (self-signed certificate)
  --simulate                   instead of replaying, run the device's emulator set up from the
                               recording (panel count, firmware, state of charge, ...) at --listen
  --json                       print one JSON line when listening
  -h, --help                   show this help
`;

interface ReplayArgs {
  file: string;
  mode: ReplayMode;
  timing: ReplayTiming;
  speed: number;
  listen?: { host: string; port: number };
  httpsListen?: { host: string; port: number };
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
      listen: { type: 'string' },
      'https-listen': { type: 'string' },
      simulate: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const v = parsed.values;
  if (v.help) return 'help';
  if (parsed.positionals.length !== 1) throw new UsageError(parsed.positionals.length === 0 ? 'replay needs a recording file' : `replay takes one recording file, got ${parsed.positionals.length}`);
  if (v.simulate && (v.mode !== undefined || v.timing !== undefined || v.speed !== undefined || v['https-listen'] !== undefined)) {
    throw new UsageError('--simulate runs an emulator: --mode, --timing, --speed and --https-listen are for replaying');
  }
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
    ...(v.listen !== undefined ? { listen: address(v.listen, '--listen') } : {}),
    ...(v['https-listen'] !== undefined ? { httpsListen: address(v['https-listen'], '--https-listen') } : {}),
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
  if (args.httpsListen && (device === 'ups' || recording.header.transport === 'https')) {
    throw new UsageError(device === 'ups' ? '--https-listen is for HTTP devices; a UPS recording is served as serial bytes over TCP' : 'this recording is HTTPS already; --listen sets where it is served');
  }
  const host = args.listen?.host ?? '127.0.0.1';
  const stop = args.simulate ? await simulate(args, recording, host, io) : await replay(args, recording, host, io);
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
    host,
    port: args.listen?.port ?? defaultReplayPort(recording.header.device, recording.header.transport === 'https'),
    ...(args.httpsListen ? { httpsPort: args.httpsListen.port, httpsHost: args.httpsListen.host } : {}),
    log: (line) => io.stderr(`${line}\n`),
  });
  const summary = { device: running.device, exchanges: recording.exchanges.length, mode: args.mode, timing: args.timing, ...(args.speed !== 1 ? { speed: args.speed } : {}) };
  if (args.json) {
    io.stdout(`${JSON.stringify({ ready: true, replay: args.file, ...summary, url: running.url, urls: running.urls, truncated: recording.truncated })}\n`);
  } else {
    const timing = args.timing === 'recorded' && args.speed !== 1 ? `recorded timing at ${args.speed}x` : `${args.timing} timing`;
    io.stdout(
      `voltbench is replaying ${args.file} (${running.device}, ${summary.exchanges} exchange${summary.exchanges === 1 ? '' : 's'}, ${args.mode} mode, ${timing})\n` +
        running.urls.map((url) => `  ${url}\n`).join('') +
        (running.device === 'ups' ? '' : `  served/unmatched counts: ${running.url}${STATUS_PATH}\n`) +
        'Press Ctrl+C to stop.\n',
    );
  }
  return () => running.close();
}

async function simulate(args: ReplayArgs, recording: Recording, host: string, io: ReplayIo): Promise<() => Promise<void>> {
  const running = await startSimulation(recording, { host, ...(args.listen ? { port: args.listen.port } : {}) });
  const { plan } = running;
  if (args.json) {
    io.stdout(`${JSON.stringify({ ready: true, simulate: args.file, device: plan.device, url: running.url, derived: plan.derived, notApplied: plan.notApplied })}\n`);
  } else {
    const derived = Object.entries(plan.derived)
      .filter(([key]) => key !== 'serials')
      .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
      .join(', ');
    io.stdout(
      `voltbench is simulating ${args.file} with the ${plan.device} emulator at ${running.url}\n` +
        `  from the recording: ${derived || 'nothing (defaults)'}\n` +
        plan.notApplied.map((note) => `  not applied: ${note}\n`).join('') +
        'Press Ctrl+C to stop.\n',
    );
  }
  return () => running.close();
}
