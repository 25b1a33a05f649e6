/**
 * `voltbench record` as an API: a transparent proxy in front of a real device (HTTP, HTTPS or serial bytes) that
 * writes every exchange, with its timing and with secrets redacted, to a JSON Lines recording (see format.ts).
 */
import { unlinkSync } from 'node:fs';
import type { DeviceName } from '../../emulators/registry.js';
import { generateTlsMaterial, type TlsMaterial } from '../../emulators/core/tls/certificates.js';
import { RECORDING_VERSION, type Exchange, type RecordingHeader } from './format.js';
import { startHttpRecorder } from './http-recorder.js';
import { defaultDevicePort } from './ports.js';
import { HTTP_REDACTIONS, SERIAL_REDACTIONS } from './redact.js';
import { startSerialRecorder, type SerialBinding } from './serial-recorder.js';
import { describeTarget, parseHostPort, parseTarget, RecorderConfigError } from './targets.js';
import { RecordingWriter } from './writer.js';

export * from './format.js';
export { encodeBytes, decodeBytes } from './bytes.js';
export { RecordingWriter, RecordingExistsError, type UnnumberedExchange, type WriterOptions } from './writer.js';
export { HTTP_REDACTIONS, SERIAL_REDACTIONS, redactBody, redactHeaders, redactResponse, redactUrl, redactJsonText, redactParams } from './redact.js';
export { SerialFramer, MAX_FRAME_BYTES, type FramedExchange } from './serial-framer.js';
export { parseTarget, parseHostPort, describeTarget, isHttpDevice, HTTP_DEVICES, RecorderConfigError, type RecordTarget } from './targets.js';
export { describeExchange } from './summary.js';
export { defaultDevicePort } from './ports.js';
export type { SerialBinding } from './serial-recorder.js';

export const DEFAULT_BAUD_RATE = 9600;
export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;
/** Real KEHUA units answer 20-100 ms after EOI; a second of nothing is silence. */
export const DEFAULT_QUIET_MS = 1_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

export type ListenAddress = string | { host: string; port: number };

export interface RecorderOptions {
  device: DeviceName;
  /** `http(s)://host[:port]` for pvs/senec/growatt; `tcp://host:port`, `tcp host:port` or a serial path for ups. */
  target: string;
  /** The recording file; must be new or empty unless `overwrite`. */
  out: string;
  /** Where clients connect: `host:port` (port 0 = any free port). Default 127.0.0.1 on the device's `voltbench up` port (plain HTTP for SENEC). */
  listen?: ListenAddress;
  /** HTTP devices: also listen over HTTPS here (for clients that insist on https). Each exchange records which listener its client used (`client`). */
  httpsListen?: ListenAddress;
  /** Certificate for `httpsListen`; default a fresh self-signed one (CA `SenecGui-Root`, like the device's). */
  tls?: TlsMaterial;
  /** Replace secrets in the file (never on the wire). Default true. */
  redact?: boolean;
  /** HTTPS targets: check the device certificate. Default false (SENEC devices present a self-signed one). */
  verifyTls?: boolean;
  /** Serial port targets: line speed (8N1). Default 9600. */
  baudRate?: number;
  /** Serial port targets: the `serialport` binding; default the platform's. Tests pass the mock binding. */
  binding?: SerialBinding;
  /** HTTP: whole-exchange limit before the client gets 502. Default 30 000 ms. */
  timeoutMs?: number;
  /** Serial: quiet time after which an unanswered frame is recorded as silence. Default 1000 ms. */
  quietMs?: number;
  /** Serial over TCP: connect timeout towards the bridge. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** Allow replacing a file that already holds data. Default false. */
  overwrite?: boolean;
  /** Told about each exchange right after it is written. */
  onExchange?: (exchange: Exchange) => void;
  /** Told about connection trouble that is not an exchange (serial device unreachable, port closed). */
  onNotice?: (message: string) => void;
}

export interface Recorder {
  readonly device: DeviceName;
  /** Where clients connect: `http://host:port` or `tcp://host:port`. */
  readonly url: string;
  /** `https://host:port` when `httpsListen` was given. */
  readonly httpsUrl: string | null;
  readonly out: string;
  readonly header: RecordingHeader;
  /** Exchanges written so far. */
  readonly exchanges: number;
  /** Stops listening, records what is still open, closes the file. Idempotent. */
  close(): Promise<void>;
}

function address(value: ListenAddress | undefined, fallbackPort: number, what: string): { host: string; port: number } {
  if (value === undefined) return { host: '127.0.0.1', port: fallbackPort };
  if (typeof value !== 'string') return value;
  return parseHostPort(value, what);
}

function positive(value: number | undefined, fallback: number, what: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0) throw new RecorderConfigError(`${what} must be a positive number, got ${v}`);
  return v;
}

export async function startRecorder(options: RecorderOptions): Promise<Recorder> {
  const { device } = options;
  const target = parseTarget(device, options.target);
  const redact = options.redact ?? true;
  const listen = address(options.listen, defaultDevicePort(device, target.kind === 'http' ? 'http' : 'serial'), 'listen');
  const httpsListen = options.httpsListen === undefined ? undefined : address(options.httpsListen, defaultDevicePort(device, 'https'), 'https-listen');
  if (target.kind !== 'http' && httpsListen) throw new RecorderConfigError(`${device} is recorded as serial bytes; an HTTPS listener does not apply`);
  const baudRate = positive(options.baudRate, DEFAULT_BAUD_RATE, 'baudRate');
  const timeoutMs = positive(options.timeoutMs, DEFAULT_HTTP_TIMEOUT_MS, 'timeoutMs');
  const quietMs = positive(options.quietMs, DEFAULT_QUIET_MS, 'quietMs');
  const connectTimeoutMs = positive(options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS, 'connectTimeoutMs');

  const header: RecordingHeader = {
    type: 'header',
    version: RECORDING_VERSION,
    device,
    transport: target.kind === 'http' ? (target.url.protocol === 'https:' ? 'https' : 'http') : 'serial',
    target: describeTarget(target),
    startedAt: new Date().toISOString(),
    redacted: redact ? [...(target.kind === 'http' ? HTTP_REDACTIONS : SERIAL_REDACTIONS)] : [],
  };
  const origin = performance.now();
  const elapsed = () => Math.round(performance.now() - origin);
  const writer = RecordingWriter.open(options.out, header, { overwrite: options.overwrite ?? false });

  let transport: { url: string; httpsUrl: string | null; close(): Promise<void> };
  try {
    if (target.kind === 'http') {
      transport = await startHttpRecorder({
        target: target.url,
        writer,
        redact,
        verifyTls: options.verifyTls ?? false,
        timeoutMs,
        listen,
        ...(httpsListen ? { httpsListen: { ...httpsListen, tls: options.tls ?? generateTlsMaterial({ commonName: 'voltbench-recorder' }) } } : {}),
        elapsed,
        ...(options.onExchange ? { onExchange: options.onExchange } : {}),
      });
    } else {
      const serial = await startSerialRecorder({
        target,
        writer,
        listen,
        baudRate,
        ...(options.binding ? { binding: options.binding } : {}),
        quietMs,
        connectTimeoutMs,
        elapsed,
        ...(options.onExchange ? { onExchange: options.onExchange } : {}),
        ...(options.onNotice ? { onNotice: options.onNotice } : {}),
      });
      transport = { url: serial.url, httpsUrl: null, close: () => serial.close() };
    }
  } catch (error) {
    // The file holds only the header we just wrote: leave no empty recording behind a failed start.
    writer.close();
    try {
      unlinkSync(options.out);
    } catch {
      // already gone
    }
    throw error;
  }

  let closed: Promise<void> | null = null;
  return {
    device,
    url: transport.url,
    httpsUrl: transport.httpsUrl,
    out: options.out,
    header,
    get exchanges() {
      return writer.exchanges;
    },
    close() {
      closed ??= transport.close().finally(() => writer.close());
      return closed;
    },
  };
}
