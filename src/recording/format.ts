// The recording file format: JSON Lines, one header line, then one line per exchange, appended
// and flushed as each exchange completes so a killed recorder loses nothing already answered.

import type { DeviceName } from '../../emulators/registry.js';

export const RECORDING_VERSION = 1;

/** Bytes as written: `text` when they are valid UTF-8 (readable diffs), else `base64`. */
export type RecordedBytes = { text: string } | { base64: string };

export type RecordedTransport = 'http' | 'https' | 'serial';

export interface RecordingHeader {
  type: 'header';
  version: typeof RECORDING_VERSION;
  device: DeviceName;
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
