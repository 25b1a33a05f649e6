// Appends recording lines with one synchronous write each, so every line the recorder has written is in the
// kernel's hands before the client sees the answer: `kill -9` of the recorder cannot lose it, and no line is
// ever half-written by us (only a crash of the machine itself could cut the last one).

import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import type { Exchange, HttpExchange, RecordingHeader, SerialExchange } from './format.js';

/** An exchange before the writer numbers it. */
export type UnnumberedExchange = Omit<HttpExchange, 'seq'> | Omit<SerialExchange, 'seq'>;

export interface WriterOptions {
  /** Replace a file that already holds data. Default false: refuse, so a recording is never overwritten by accident. */
  overwrite?: boolean;
}

export class RecordingExistsError extends Error {
  override readonly name = 'RecordingExistsError';
}

export class RecordingWriter {
  private fd: number | null;
  private count = 0;

  private constructor(readonly path: string, fd: number) {
    this.fd = fd;
  }

  /** Creates (or with `overwrite`, empties) `path` and writes the header line. */
  static open(path: string, header: RecordingHeader, options: WriterOptions = {}): RecordingWriter {
    if (options.overwrite) closeSync(openSync(path, 'w'));
    // O_APPEND: every write lands at the end, whatever else holds the file open.
    const fd = openSync(path, 'a');
    if (fstatSync(fd).size > 0) {
      closeSync(fd);
      throw new RecordingExistsError(`${path} already holds data; choose another file or allow overwriting`);
    }
    const writer = new RecordingWriter(path, fd);
    writer.writeLine(header);
    return writer;
  }

  /** Exchanges written so far. */
  get exchanges(): number {
    return this.count;
  }

  get closed(): boolean {
    return this.fd === null;
  }

  /** Numbers the exchange (1-based, in file order) and writes it; returns the numbered exchange. */
  append(exchange: UnnumberedExchange): Exchange {
    if (this.fd === null) throw new Error(`recording ${this.path} is closed`);
    const { type, ...rest } = exchange;
    const numbered = { type, seq: this.count + 1, ...rest } as Exchange; // `type` and `seq` lead each line
    this.writeLine(numbered);
    this.count += 1;
    return numbered;
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }

  private writeLine(line: object): void {
    const bytes = Buffer.from(`${JSON.stringify(line)}\n`, 'utf8');
    let offset = 0;
    // writeSync may write less than asked (rare for files, but allowed): loop until the whole line is out.
    while (offset < bytes.length) offset += writeSync(this.fd!, bytes, offset, bytes.length - offset);
  }
}
