import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecording, readRecording, RecordingError } from './read.js';
import { httpExchange, recordingHeader, recordingText, serialExchange } from './test-support.js';

const PVS = recordingText(recordingHeader('pvs', 'http'), [
  httpExchange(1, 'GET', '/cgi-bin/dl_cgi?Command=Start', '{"result":"succeed"}'),
  httpExchange(2, 'GET', '/cgi-bin/dl_cgi?Command=Stop', '{"result":"succeed"}'),
]);

describe('readRecording', () => {
  it('reads the header and every exchange of a complete file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voltbench-read-'));
    const file = join(dir, 'pvs.jsonl');
    writeFileSync(file, PVS);
    const recording = await readRecording(file);
    expect(recording.header.device).toBe('pvs');
    expect(recording.exchanges.map((e) => e.seq)).toEqual([1, 2]);
    expect(recording.truncated).toBe(false);
  });

  it('drops an unterminated last line (a killed recorder) and says so', () => {
    const cut = PVS + JSON.stringify(httpExchange(3, 'GET', '/cgi-bin/dl_cgi?Command=DeviceList', '{}')).slice(0, 40);
    const recording = parseRecording(cut);
    expect(recording.exchanges).toHaveLength(2);
    expect(recording.truncated).toBe(true);
  });

  it('names the line of a malformed line that is not the last one', () => {
    const lines = PVS.split('\n');
    lines.splice(2, 0, '{"type":"http","seq":');
    expect(() => parseRecording(lines.join('\n'), 'x.jsonl')).toThrow(/^x\.jsonl:3: not valid JSON/);
  });

  it('names the field of a well-formed line that is not an exchange', () => {
    const bad = PVS + `${JSON.stringify({ ...httpExchange(3, 'GET', '/', '{}'), durationMs: 'slow' })}\n`;
    expect(() => parseRecording(bad, 'x.jsonl')).toThrow(/x\.jsonl:4: malformed http exchange: \/durationMs/);
  });

  it('reads the client transport of an exchange, version 1 files without it too, and names a bad one', () => {
    const withClient = PVS + `${JSON.stringify({ ...httpExchange(3, 'GET', '/', '{}'), client: 'https' })}\n`;
    const exchanges = parseRecording(withClient).exchanges;
    expect(exchanges.map((e) => e.type === 'http' && e.client)).toEqual([undefined, undefined, 'https']);
    expect(parseRecording(withClient).header.version).toBe(1);
    const bad = PVS + `${JSON.stringify({ ...httpExchange(3, 'GET', '/', '{}'), client: 'ftp' })}\n`;
    expect(() => parseRecording(bad, 'x.jsonl')).toThrow(/x\.jsonl:4: malformed http exchange: \/client/);
  });

  it('refuses a serial exchange in an HTTP device recording, and a file without a header', () => {
    const mixed = PVS + `${JSON.stringify(serialExchange(3, '~X\r', null))}\n`;
    expect(() => parseRecording(mixed, 'x.jsonl')).toThrow(/x\.jsonl:4: expected a "http" exchange/);
    expect(() => parseRecording(`${JSON.stringify(httpExchange(1, 'GET', '/', '{}'))}\n`, 'x.jsonl')).toThrow(/x\.jsonl:1: expected the header line/);
    expect(() => parseRecording('', 'x.jsonl')).toThrow(RecordingError);
  });

  it('reports an unreadable file clearly', async () => {
    await expect(readRecording('/nonexistent/voltbench.jsonl')).rejects.toThrow(/cannot read recording \/nonexistent\/voltbench\.jsonl/);
  });
});
