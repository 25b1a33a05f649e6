import { resolve } from 'node:path';
import { AVAILABLE_DEVICES, DEVICES, type DeviceName } from '../../emulators/registry.js';
import { loadTlsMaterial, type TlsMaterial } from '../../emulators/core/tls/certificates.js';
import {
  DEFAULT_BAUD_RATE,
  DEFAULT_HTTP_TIMEOUT_MS,
  DEFAULT_QUIET_MS,
  defaultDevicePort,
  RecorderConfigError,
  RecordingExistsError,
  describeExchange,
  isHttpDevice,
  parseHostPort,
  parseTarget,
  startRecorder,
  type Recorder,
  type RecorderOptions,
} from '../recording/index.js';
import { integerFlag, parseFlags } from './flags.js';
import { UsageError } from './usage-error.js';

export const RECORD_USAGE = `Usage: voltbench record <device> --target <url | serial path | tcp host:port> --out <file> [options]

Stands between a client and a real device as a transparent proxy and writes every exchange, with its
timing, to a JSON Lines recording that "voltbench replay" serves. Each exchange is on disk before the
client gets its answer, so a killed recorder loses nothing that was answered.

Devices: ${DEVICES.join(', ')}
  pvs, senec, growatt   --target http://host[:port] or https://host[:port]
  ups                   --target tcp://host:port (serial-to-network bridge) or a serial port path (/dev/ttyUSB0, COM3)

Options:
  --target <target>          the real device (required)
  --out <file>               the recording to write (required; must be new or empty unless --force)
  --listen <host:port>       where clients connect (default 127.0.0.1 on the device's port: pvs ${defaultDevicePort('pvs', 'http')},
                             senec ${defaultDevicePort('senec', 'http')}, growatt ${defaultDevicePort('growatt', 'http')}, ups ${defaultDevicePort('ups', 'serial')}; port 0 = any free port)
  --https-listen <host:port> HTTP devices: also accept clients over HTTPS (e.g. the SENEC client on HTTPS firmware).
                             Each exchange records which listener its client used: "voltbench replay"
                             serves the recording on the same transport(s), whatever the device spoke
  --https-cert <file>        PEM certificate (chain) for --https-listen; default: generated at start
  --https-key <file>         PEM private key for --https-cert
  --insecure                 accept the device's self-signed certificate (default: SENEC devices have one)
  --verify-tls               require a certificate the system trusts
  --baud <n>                 serial port targets: line speed, 8N1 (default ${DEFAULT_BAUD_RATE})
  --quiet <ms>               serial: a frame unanswered this long is recorded as silence (default ${DEFAULT_QUIET_MS})
  --timeout <ms>             HTTP: the client gets 502 when the device has not answered by then (default ${DEFAULT_HTTP_TIMEOUT_MS})
  --no-redact                keep tokens, cookie values and passwords in the file (they are never changed on the wire)
  --force                    overwrite an --out file that already holds data
  --json                     print one JSON line when listening: {"device","listen","out"}
  -h, --help                 show this help

Redacted by default: the Growatt "token" header and token parameters, cookie and set-cookie values (names
kept), authorization headers, SENEC LOG USERNAME/PASSWORD in request and reply bodies. The target is
written without credentials.
`;

export interface RecordCliOptions {
  device: DeviceName;
  target: string;
  out: string;
  listen?: string;
  httpsListen?: string;
  tls?: TlsMaterial;
  verifyTls: boolean;
  baudRate?: number;
  quietMs?: number;
  timeoutMs?: number;
  redact: boolean;
  force: boolean;
  json: boolean;
}

/** Parses `record` flags; throws UsageError with a message a person can act on. */
export function parseRecordArgs(argv: string[]): RecordCliOptions | 'help' {
  const parsed = parseFlags({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      out: { type: 'string' },
      listen: { type: 'string' },
      'https-listen': { type: 'string' },
      'https-cert': { type: 'string' },
      'https-key': { type: 'string' },
      insecure: { type: 'boolean', default: false },
      'verify-tls': { type: 'boolean', default: false },
      baud: { type: 'string' },
      quiet: { type: 'string' },
      timeout: { type: 'string' },
      'no-redact': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const v = parsed.values;
  if (v.help) return 'help';
  const [device, ...extra] = parsed.positionals;
  if (device === undefined) throw new UsageError(`name the device to record: voltbench record <${DEVICES.join('|')}> --target … --out …`);
  if (!(DEVICES as readonly string[]).includes(device)) throw new UsageError(`unknown device "${device}"; known: ${DEVICES.join(', ')}`);
  if (!AVAILABLE_DEVICES.includes(device as DeviceName)) throw new UsageError(`recording ${device} is not available yet; available: ${AVAILABLE_DEVICES.join(', ')}`);
  const name = device as DeviceName;
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}" (one device per recorder)`);
  if (v.target === undefined) {
    throw new UsageError(isHttpDevice(name) ? `--target is required: the ${name}'s URL, e.g. --target http://192.168.1.5` : '--target is required: tcp://host:port or a serial port path such as /dev/ttyUSB0');
  }
  if (v.out === undefined) throw new UsageError('--out is required: the recording file to write, e.g. --out site.jsonl');
  let target;
  try {
    target = parseTarget(name, v.target);
    if (v.listen !== undefined) parseHostPort(v.listen, '--listen');
    if (v['https-listen'] !== undefined) parseHostPort(v['https-listen'], '--https-listen');
  } catch (error) {
    if (error instanceof RecorderConfigError) throw new UsageError(error.message);
    throw error;
  }
  if (v.insecure && v['verify-tls']) throw new UsageError('--insecure and --verify-tls contradict each other; pick one');
  if (target.kind !== 'http') {
    for (const flag of ['https-listen', 'https-cert', 'https-key', 'insecure', 'verify-tls', 'timeout'] as const) {
      if (v[flag] !== undefined && v[flag] !== false) throw new UsageError(`--${flag} applies to HTTP devices; ${name} is recorded as serial bytes`);
    }
  } else {
    if (v.baud !== undefined) throw new UsageError(`--baud applies to a serial port target; ${name} is recorded over HTTP`);
    if (v.quiet !== undefined) throw new UsageError(`--quiet applies to serial recording; ${name} is recorded over HTTP`);
  }
  if (v.baud !== undefined && target.kind === 'tcp') throw new UsageError('--baud applies to a serial port path; the line speed of a tcp:// bridge is set on the bridge');
  if ((v['https-cert'] === undefined) !== (v['https-key'] === undefined)) throw new UsageError('--https-cert and --https-key go together');
  if (v['https-cert'] !== undefined && v['https-listen'] === undefined) throw new UsageError('--https-cert needs --https-listen');
  let tls: TlsMaterial | undefined;
  if (v['https-cert'] !== undefined && v['https-key'] !== undefined) {
    try {
      tls = loadTlsMaterial(v['https-key'], v['https-cert']);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  return {
    device: name,
    target: v.target,
    out: v.out,
    ...(v.listen !== undefined ? { listen: v.listen } : {}),
    ...(v['https-listen'] !== undefined ? { httpsListen: v['https-listen'] } : {}),
    ...(tls ? { tls } : {}),
    verifyTls: v['verify-tls'],
    ...(v.baud !== undefined ? { baudRate: integerFlag(v.baud, '--baud', 50, 4_000_000) } : {}),
    ...(v.quiet !== undefined ? { quietMs: integerFlag(v.quiet, '--quiet', 1, 600_000) } : {}),
    ...(v.timeout !== undefined ? { timeoutMs: integerFlag(v.timeout, '--timeout', 1, 3_600_000) } : {}),
    redact: !v['no-redact'],
    force: v.force,
    json: v.json,
  };
}

async function start(options: RecordCliOptions): Promise<Recorder> {
  const recorderOptions: RecorderOptions = {
    device: options.device,
    target: options.target,
    out: options.out,
    ...(options.listen !== undefined ? { listen: options.listen } : {}),
    ...(options.httpsListen !== undefined ? { httpsListen: options.httpsListen } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
    verifyTls: options.verifyTls,
    ...(options.baudRate !== undefined ? { baudRate: options.baudRate } : {}),
    ...(options.quietMs !== undefined ? { quietMs: options.quietMs } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    redact: options.redact,
    overwrite: options.force,
    onExchange: (exchange) => process.stderr.write(`${describeExchange(exchange)}\n`),
    onNotice: (message) => process.stderr.write(`voltbench record: ${message}\n`),
  };
  try {
    return await startRecorder(recorderOptions);
  } catch (error) {
    if (error instanceof RecorderConfigError) throw new UsageError(error.message);
    if (error instanceof RecordingExistsError) throw new UsageError(`${error.message}: pass another --out, or --force to overwrite it`);
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE' || err.code === 'EACCES') {
      throw new Error(`${err.message}; pick another address with --listen/--https-listen host:port (port 0 = any free port)`, { cause: error });
    }
    throw error;
  }
}

function readyText(recorder: Recorder, options: RecordCliOptions): string {
  const urls = recorder.httpsUrl ? `${recorder.url} or ${recorder.httpsUrl}` : recorder.url;
  return [
    `voltbench record: ${recorder.device} at ${recorder.header.target} → ${resolve(recorder.out)}${recorder.header.transport === 'serial' ? '' : options.redact ? ' (secrets redacted)' : ' (NOT redacted)'}`,
    `Point the client at ${urls}. Press Ctrl+C to stop.`,
  ].join('\n');
}

/**
 * `voltbench record`: starts the recorder, prints the ready line, logs each exchange on stderr and resolves
 * once SIGINT or SIGTERM has stopped it and the recording is closed.
 */
export async function runRecord(argv: string[]): Promise<void> {
  const options = parseRecordArgs(argv);
  if (options === 'help') {
    process.stdout.write(RECORD_USAGE);
    return;
  }
  const recorder = await start(options);
  await new Promise<void>((done) => {
    // Handlers go in before the ready line: a supervisor may signal as soon as it reads it.
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (!options.json) process.stderr.write(`\nvoltbench record: ${signal}, stopping\n`);
      void recorder.close().then(() => {
        if (!options.json) process.stderr.write(`voltbench record: ${recorder.exchanges} exchanges in ${resolve(recorder.out)}\n`);
        done();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    const ready = options.json
      ? JSON.stringify({ device: recorder.device, listen: recorder.url, ...(recorder.httpsUrl ? { httpsListen: recorder.httpsUrl } : {}), out: resolve(recorder.out) })
      : readyText(recorder, options);
    process.stdout.write(`${ready}\n`);
  });
}
