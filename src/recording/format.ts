// The recording file format: JSON Lines, one header line, then one line per exchange, appended
// and flushed as each exchange completes so a killed recorder loses nothing already answered.

import type { DeviceName } from '../../emulators/registry.js';

export const RECORDING_VERSION = 1;

/** Bytes as written: `text` when they are valid UTF-8 (readable diffs), else `base64`. */
export type RecordedBytes = { text: string } | { base64: string };

/** The device side of a recording: how the recorder reached the device (the target's scheme, or serial bytes). */
export type RecordedTransport = 'http' | 'https' | 'serial';

/** How a client reached the recorder: its plain HTTP listener (`--listen`) or its HTTPS one (`--https-listen`). */
export type ClientTransport = 'http' | 'https';

export interface RecordingHeader {
  type: 'header';
  version: typeof RECORDING_VERSION;
  device: DeviceName;
  /** The device's transport (not the clients': each HTTP exchange names its own in `client`). */
  transport: RecordedTransport;
  /** What was recorded, credentials removed (`https://192.168.1.5`, `/dev/ttyUSB0`, `tcp://ups:4001`). */
  target: string;
  /** Wall-clock ISO time the recording started; exchange times are offsets from it. */
  startedAt: string;
  /** Names of the secrets that were replaced by REDACTED (empty when recorded with --no-redact). */
  redacted: string[];
}

export interface HttpExchange {
  type: 'http';
  /** 1-based position in the recording. */
  seq: number;
  /** Milliseconds from `startedAt` to the request's arrival at the recorder. */
  t: number;
  /** Milliseconds the device took to answer completely. */
  durationMs: number;
  /**
   * The transport the client used to reach the recorder, which may differ from the device's (`header.transport`):
   * a client on plain HTTP in front of an HTTPS device, or the reverse. Absent in recordings made before it was
   * recorded (still version 1): read it as the device's transport, `clientTransport()` in src/replay does.
   */
  client?: ClientTransport;
  request: {
    method: string;
    /** Path with query string, exactly as sent (after redaction). */
    url: string;
    /** Lower-case header names; repeated headers joined with ", " except set-cookie (array). */
    headers: Record<string, string | string[]>;
    body: RecordedBytes | null;
  };
  /** `null` when the device never answered (connection reset, timeout): `error` says what happened. */
  response: {
    status: number;
    headers: Record<string, string | string[]>;
    body: RecordedBytes;
  } | null;
  error?: string;
}

export interface SerialExchange {
  type: 'serial';
  seq: number;
  t: number;
  durationMs: number;
  /** One client frame (`~…\r`), or any bytes the client sent that did not form a frame. */
  request: RecordedBytes;
  /** The device's answer, or `null` for silence (the device ignores frames it rejects). */
  response: RecordedBytes | null;
}

export type Exchange = HttpExchange | SerialExchange;
export type RecordingLine = RecordingHeader | Exchange;

/** Replacement for every redacted secret. Replay matching ignores values equal to it. */
export const REDACTED = 'REDACTED';
