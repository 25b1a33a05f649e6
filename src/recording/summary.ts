// One short line per recorded exchange, for the person watching the recorder.

import { decodeBytes } from './bytes.js';
import type { Exchange, RecordedBytes } from './format.js';

const MAX_SHOWN = 48;

function show(bytes: RecordedBytes): string {
  const raw = decodeBytes(bytes);
  // Serial frames are ASCII; control bytes and the rest are shown escaped so the line stays one line.
  const text = [...raw.subarray(0, MAX_SHOWN)].map((b) => (b === 0x0d ? '\\r' : b === 0x0a ? '\\n' : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
  return raw.length > MAX_SHOWN ? `${text}… (${raw.length} B)` : text;
}

export function describeExchange(exchange: Exchange): string {
  const head = `#${exchange.seq} +${exchange.t}ms`;
  if (exchange.type === 'http') {
    const { request, response } = exchange;
    const result = response ? `${response.status} (${decodeBytes(response.body).length} B)` : `no answer: ${exchange.error ?? 'unknown error'}`;
    return `${head} ${request.method} ${request.url} → ${result} in ${exchange.durationMs} ms`;
  }
  const request = exchange.request;
  const asked = 'text' in request && request.text === '' ? '(device spoke unasked)' : show(request);
  return `${head} ${asked} → ${exchange.response ? show(exchange.response) : 'silence'} in ${exchange.durationMs} ms`;
}
