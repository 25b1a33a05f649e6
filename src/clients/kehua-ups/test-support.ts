/**
 * Test helpers without a device behind them: a scripted byte line that answers each request with chosen chunks, and
 * frame builders from the contract codec.
 */
import { CID1_UPS, encodeFrame } from '../../../contracts/kehua-ups/index.js';
import type { Frame } from '../../../contracts/kehua-ups/index.js';
import { UpsError } from './errors.js';
import type { TransportSink, UpsTransport } from './transport.js';

/** Awaits a call that must fail and returns its UpsError (any other outcome fails the test). */
export async function failure(promise: Promise<unknown>): Promise<UpsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof UpsError)) throw new Error(`expected an UpsError, got ${String(error)}`);
  return error;
}

/** A reply frame from the unit (VER 21H, ADR 01H, RTN 00H unless overridden). */
export function unitFrame(info: readonly number[] | Uint8Array = [], over: Partial<Frame> = {}): string {
  return encodeFrame({ ver: 0x21, adr: 0x01, cid1: CID1_UPS, cid2: 0x00, info: Uint8Array.from(info), ...over });
}

/** What the line sends back for one request: chunks delivered one event-loop turn apart, or nothing. */
export type Script = (request: string, index: number) => readonly string[] | null;

/** A byte line that answers whole request frames per `script`, recording what was written. */
export class ScriptedTransport implements UpsTransport {
  readonly description = 'scripted';
  readonly written: string[] = [];
  closed = false;
  #sink: TransportSink | null = null;
  #pending = '';

  constructor(private readonly script: Script) {}

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw new Error('scripted line is closed');
    this.#pending += Buffer.from(bytes).toString('latin1');
    let cr: number;
    while ((cr = this.#pending.indexOf('\r')) >= 0) {
      const request = this.#pending.slice(0, cr + 1);
      this.#pending = this.#pending.slice(cr + 1);
      this.written.push(request);
      const chunks = this.script(request, this.written.length - 1);
      if (chunks) void this.#deliver(chunks);
    }
  }

  /** Pushes bytes the line did not ask for (late replies, bus traffic). */
  inject(chunks: readonly string[]): Promise<void> {
    return this.#deliver(chunks);
  }

  subscribe(sink: TransportSink): () => void {
    this.#sink = sink;
    return () => {
      if (this.#sink === sink) this.#sink = null;
    };
  }

  /** The peer hangs up. */
  hangUp(error?: Error): void {
    this.closed = true;
    this.#sink?.closed(error);
  }

  async close(): Promise<void> {
    if (!this.closed) this.hangUp();
  }

  async #deliver(chunks: readonly string[]): Promise<void> {
    for (const chunk of chunks) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.closed) return;
      this.#sink?.data(Buffer.from(chunk, 'latin1'));
    }
  }
}

/** Cuts `text` into pieces of the given sizes, cycling through them. */
export function cut(text: string, sizes: readonly number[]): string[] {
  const pieces: string[] = [];
  for (let at = 0, i = 0; at < text.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? 1);
    pieces.push(text.slice(at, at + size));
    at += size;
  }
  return pieces;
}
