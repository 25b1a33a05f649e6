// Test helpers: builders for hand-made recording lines. Recordings of live traffic come from the real recorder
// (startRecorder in src/recording), as in test/replay.integration.test.ts.

import type { DeviceName } from '../../emulators/registry.js';
import { RECORDING_VERSION, type Exchange, type HttpExchange, type RecordedTransport, type RecordingHeader, type SerialExchange } from '../recording/format.js';
import { encodeBytes } from '../recording/bytes.js';

export function recordingHeader(device: DeviceName, transport: RecordedTransport, over: Partial<RecordingHeader> = {}): RecordingHeader {
  return { type: 'header', version: RECORDING_VERSION, device, transport, target: 'test', startedAt: '2024-06-21T19:00:00.000Z', redacted: [], ...over };
}

/** JSON Lines text of a recording, every line newline-terminated. */
export function recordingText(header: RecordingHeader, exchanges: readonly Exchange[]): string {
  return [header, ...exchanges].map((line) => `${JSON.stringify(line)}\n`).join('');
}

/** A hand-made HTTP exchange: text bodies, 200 unless told. */
export function httpExchange(
  seq: number,
  method: string,
  url: string,
  responseBody: string,
  over: { requestBody?: string; requestHeaders?: Record<string, string>; status?: number; headers?: Record<string, string | string[]>; durationMs?: number; t?: number } = {},
): HttpExchange {
  return {
    type: 'http',
    seq,
    t: over.t ?? seq * 10,
    durationMs: over.durationMs ?? 1,
    request: { method, url, headers: over.requestHeaders ?? {}, body: over.requestBody === undefined ? null : { text: over.requestBody } },
    response: { status: over.status ?? 200, headers: over.headers ?? { 'content-type': 'application/json' }, body: { text: responseBody } },
  };
}

export function serialExchange(seq: number, request: string, response: string | null, durationMs = 1): SerialExchange {
  return {
    type: 'serial',
    seq,
    t: seq * 10,
    durationMs,
    request: encodeBytes(Buffer.from(request, 'latin1')),
    response: response === null ? null : encodeBytes(Buffer.from(response, 'latin1')),
  };
}
