// Reading a recording file: a header line, then one exchange per line. A recorder killed mid-write leaves
// a last line without its newline; that line is dropped (everything before it was flushed whole). Any
// other bad line is an error naming the file and line number.

import { readFile } from 'node:fs/promises';
import type { Exchange, RecordingHeader } from '../recording/format.js';
import { checkHeader, checkHttpExchange, checkSerialExchange } from './schema.js';

export interface Recording {
  header: RecordingHeader;
  exchanges: Exchange[];
  /** True when an incomplete last line (a killed recorder) was dropped. */
  truncated: boolean;
}

export class RecordingError extends Error {
  override readonly name = 'RecordingError';
}

export async function readRecording(file: string): Promise<Recording> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new RecordingError(`cannot read recording ${file}: ${(error as Error).message}`);
  }
  return parseRecording(text, file);
}

/** Parses the text of a recording; `source` names it in error messages. */
export function parseRecording(text: string, source = 'recording'): Recording {
  const lines = text.split('\n');
  // After a complete last line, split() leaves one empty string: only a non-empty remainder lacks its newline.
  const unterminated = lines.pop() ?? '';
  let truncated = false;
  let header: RecordingHeader | undefined;
  const exchanges: Exchange[] = [];
  const take = (line: string, number: number, last: boolean): void => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      if (last) {
        truncated = true;
        return;
      }
      throw new RecordingError(`${source}:${number}: not valid JSON (${(error as Error).message})`);
    }
    if (header === undefined) {
      if (!checkHeader.Check(value)) throw new RecordingError(`${source}:${number}: expected the header line: ${firstError(checkHeader.Errors(value))}`);
      header = value;
      return;
    }
    const expected = header.device === 'ups' ? 'serial' : 'http';
    const type = (value as { type?: unknown } | null)?.type;
    if (type !== expected) throw new RecordingError(`${source}:${number}: expected a "${expected}" exchange in a ${header.device} recording, got type ${JSON.stringify(type)}`);
    const check = expected === 'http' ? checkHttpExchange : checkSerialExchange;
    if (!check.Check(value)) throw new RecordingError(`${source}:${number}: malformed ${expected} exchange: ${firstError(check.Errors(value))}`);
    exchanges.push(value as Exchange);
  };
  lines.forEach((line, i) => take(line.replace(/\r$/, ''), i + 1, false));
  take(unterminated, lines.length + 1, true);
  if (header === undefined) throw new RecordingError(`${source}: empty recording (no header line)`);
  return { header, exchanges, truncated };
}

function firstError(errors: Iterable<{ path: string; message: string }>): string {
  for (const error of errors) return `${error.path || '/'} ${error.message}`;
  return 'invalid';
}
