// Bytes as the recording stores them: readable text when they are valid UTF-8, base64 otherwise.

import type { RecordedBytes } from './format.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function encodeBytes(bytes: Uint8Array): RecordedBytes {
  try {
    return { text: strictUtf8.decode(bytes) };
  } catch {
    return { base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
  }
}

export function decodeBytes(recorded: RecordedBytes): Buffer {
  return 'text' in recorded ? Buffer.from(recorded.text, 'utf8') : Buffer.from(recorded.base64, 'base64');
}
