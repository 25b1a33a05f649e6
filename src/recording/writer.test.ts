import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBytes, encodeBytes } from './bytes.js';
import { RECORDING_VERSION, type RecordingHeader, type RecordingLine } from './format.js';
import { RecordingExistsError, RecordingWriter } from './writer.js';

const header: RecordingHeader = {
  type: 'header',
  version: RECORDING_VERSION,
  device: 'ups',
  transport: 'serial',
  target: 'tcp://127.0.0.1:4001',
  startedAt: '2026-06-21T10:00:00.000Z',
  redacted: [],
};

const tmpFile = () => join(mkdtempSync(join(tmpdir(), 'voltbench-writer-')), 'rec.jsonl');
const lines = (path: string) => readFileSync(path, 'utf8').split('\n');

describe('recorded bytes', () => {
  it('are text when valid UTF-8 and base64 otherwise, and decode back to the same bytes', () => {
    expect(encodeBytes(Buffer.from('~21012A41\r'))).toEqual({ text: '~21012A41\r' });
    expect(encodeBytes(Buffer.from('Grüße'))).toEqual({ text: 'Grüße' });
    expect(encodeBytes(Buffer.from([0x1f, 0x8b, 0xff]))).toEqual({ base64: Buffer.from([0x1f, 0x8b, 0xff]).toString('base64') });
    // A BOM is content, not to be swallowed.
    expect(decodeBytes(encodeBytes(Buffer.from([0xef, 0xbb, 0xbf, 0x41])))).toEqual(Buffer.from([0xef, 0xbb, 0xbf, 0x41]));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(decodeBytes(encodeBytes(bytes))).toEqual(Buffer.from(bytes));
      }),
    );
  });
});

describe('RecordingWriter', () => {
  it('writes the header first and each exchange as a complete line the moment it is appended', () => {
    const path = tmpFile();
    const writer = RecordingWriter.open(path, header);
    expect(lines(path)).toEqual([JSON.stringify(header), '']);
    const first = writer.append({ type: 'serial', t: 5, durationMs: 30, request: { text: '~A\r' }, response: { text: '~B\r' } });
    // Visible to a reader before close(): that is what survives kill -9.
    const onDisk = lines(path);
    expect(onDisk).toHaveLength(3);
    expect(JSON.parse(onDisk[1]!)).toEqual(first);
    expect(first.seq).toBe(1);
    expect(Object.keys(first).slice(0, 2)).toEqual(['type', 'seq']);
    writer.append({ type: 'serial', t: 9, durationMs: 1000, request: { text: '~C\r' }, response: null });
    writer.close();
    const parsed = lines(path).filter((l) => l !== '').map((l) => JSON.parse(l) as RecordingLine);
    expect(parsed.map((l) => (l.type === 'header' ? 0 : l.seq))).toEqual([0, 1, 2]);
    expect(writer.exchanges).toBe(2);
    expect(() => writer.append({ type: 'serial', t: 1, durationMs: 0, request: { text: '' }, response: null })).toThrow(/closed/);
  });

  it('refuses to overwrite a file with data unless told to, and then starts it afresh', () => {
    const path = tmpFile();
    writeFileSync(path, 'precious\n');
    expect(() => RecordingWriter.open(path, header)).toThrow(RecordingExistsError);
    expect(readFileSync(path, 'utf8')).toBe('precious\n');
    RecordingWriter.open(path, header, { overwrite: true }).close();
    expect(lines(path)).toEqual([JSON.stringify(header), '']);
  });

  it('accepts an existing empty file', () => {
    const path = tmpFile();
    writeFileSync(path, '');
    RecordingWriter.open(path, header).close();
    expect(JSON.parse(lines(path)[0]!)).toEqual(header);
  });
});
