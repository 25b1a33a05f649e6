// Helpers for the KEHUA UPS property tests: a UPS on a manual clock, and a byte line that connects
// the client straight to an emulator link while letting a test reshape each reply (cut it into
// chunks, change a character) before the client sees it.

import type { UpsEmulator } from '../../emulators/kehua-ups/emulator.js';
import type { UpsLink } from '../../emulators/kehua-ups/link.js';
import type { TransportSink, UpsTransport } from '../../src/clients/kehua-ups/index.js';

/**
 * Client timeout for reads that always get a reply: it only turns a reply that never comes into a
 * failure, so it is long enough that a stalled, loaded machine (GC, CPU contention) cannot fail a read.
 */
export const REPLY_TIMEOUT_MS = 10_000;

/** Turns one reply (as the link sent it) into the chunks the client receives; `n` counts replies from 0. */
export type Reshape = (reply: Buffer, n: number) => readonly Buffer[];

export interface EmulatorLineOptions {
  readonly reshape?: Reshape;
  /** 'turns': each chunk in its own event-loop turn (as a UART delivers them); 'burst': all at once. */
  readonly delivery?: 'turns' | 'burst';
}

/** A client transport whose far end is an emulator link, in-process and without a serial binding. */
export class EmulatorLine implements UpsTransport {
  readonly description = 'emulator-line';
  readonly #link: UpsLink;
  readonly #reshape: Reshape;
  readonly #delivery: 'turns' | 'burst';
  #sink: TransportSink | null = null;
  #replies = 0;
  #closed = false;

  constructor(ups: UpsEmulator, options: EmulatorLineOptions = {}) {
    this.#reshape = options.reshape ?? ((reply) => [reply]);
    this.#delivery = options.delivery ?? 'turns';
    this.#link = ups.connect((chunk) => void this.#deliver(this.#reshape(chunk, this.#replies++)), { transport: 'property' });
  }

  /** Replies the link has sent so far (before reshaping). */
  get replies(): number {
    return this.#replies;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.#closed) throw new Error('emulator line is closed');
    this.#link.receive(bytes);
  }

  subscribe(sink: TransportSink): () => void {
    this.#sink = sink;
    return () => {
      if (this.#sink === sink) this.#sink = null;
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#link.close();
    this.#sink?.closed();
  }

  async #deliver(chunks: readonly Buffer[]): Promise<void> {
    for (const chunk of chunks) {
      if (this.#delivery === 'turns') await new Promise((resolve) => setImmediate(resolve));
      if (this.#closed) return;
      this.#sink?.data(chunk);
    }
  }
}

/** Cuts `bytes` at the given positions (any order, duplicates and out-of-range ones ignored). */
export function cutAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const bounds = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const to of [...bounds, bytes.length]) {
    pieces.push(bytes.subarray(from, to));
    from = to;
  }
  return pieces;
}
