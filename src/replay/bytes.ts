// RecordedBytes (format.ts) to and from Buffers: `text` for valid UTF-8, `base64` for anything else.

import type { RecordedBytes } from '../recording/format.js';

export function bytesOf(recorded: RecordedBytes): Buffer {
  return 'text' in recorded ? Buffer.from(recorded.text, 'utf8') : Buffer.from(recorded.base64, 'base64');
}

/** Text when the bytes survive a UTF-8 round trip unchanged, base64 otherwise. */
export function recordBytes(bytes: Uint8Array): RecordedBytes {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString('utf8');
  return Buffer.from(text, 'utf8').equals(buffer) ? { text } : { base64: buffer.toString('base64') };
}
