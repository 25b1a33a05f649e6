/**
 * One request on the line at a time: write a frame, reassemble the reply from whatever chunks arrive, resync on `~`
 * (bytes before it are garbage), verify it with the contract codec and hand back the first frame from our address.
 *
 * The caller serialises requests; this class only keeps one outstanding. Frames arriving while nothing is
 * outstanding are late replies to a request that already timed out and are dropped, so they cannot be taken for the
 * answer to the next one.
 */
import { FrameReader, decodeFrame } from '../../../contracts/kehua-ups/index.js';
import type { DiscardReason, Frame, FrameError } from '../../../contracts/kehua-ups/index.js';
import type { UpsTransport } from './transport.js';

export type TraceEvent =
  | { readonly type: 'sent'; readonly text: string }
  | { readonly type: 'received'; readonly text: string }
  /** A valid frame that is not for us (another address) or arrived with nothing outstanding. */
  | { readonly type: 'ignored'; readonly text: string; readonly reason: 'other-address' | 'unsolicited' }
  | { readonly type: 'discarded'; readonly text: string; readonly reason: DiscardReason };

export type ExchangeResult =
  | { readonly ok: true; readonly frame: Frame; readonly text: string }
  | { readonly ok: false; readonly failure: ExchangeFailure };

export type ExchangeFailure =
  | { readonly kind: 'timeout'; readonly timeoutMs: number; readonly partial: string }
  | { readonly kind: 'frame'; readonly error: FrameError; readonly text: string }
  | { readonly kind: 'closed'; readonly error: unknown };

interface Outstanding {
  readonly accept: (frame: Frame) => boolean;
  readonly settle: (result: ExchangeResult) => void;
}

export class FrameExchange {
  readonly #transport: UpsTransport;
  readonly #reader: FrameReader;
  readonly #trace: ((event: TraceEvent) => void) | undefined;
  readonly #unsubscribe: () => void;
  #outstanding: Outstanding | null = null;
  #closed: { error: unknown } | null = null;

  constructor(transport: UpsTransport, trace?: (event: TraceEvent) => void) {
    this.#transport = transport;
    this.#trace = trace;
    this.#reader = new FrameReader({ onDiscard: (text, reason) => trace?.({ type: 'discarded', text, reason }) });
    this.#unsubscribe = transport.subscribe({
      data: (chunk) => this.#receive(chunk),
      closed: (error) => this.#lineClosed(error),
    });
  }

  get transport(): UpsTransport {
    return this.#transport;
  }

  /** True once the line has gone away; the client then opens a new one. */
  get isClosed(): boolean {
    return this.#closed !== null;
  }

  /**
   * Sends `request` (a whole frame) and resolves with the first valid frame `accept` takes, a corrupt frame, silence
   * after `timeoutMs`, or the end of the line. Never rejects.
   */
  exchange(request: string, accept: (frame: Frame) => boolean, timeoutMs: number): Promise<ExchangeResult> {
    if (this.#outstanding) throw new Error('FrameExchange: a request is already outstanding');
    if (this.#closed) return Promise.resolve({ ok: false, failure: { kind: 'closed', error: this.#closed.error } });
    // A half frame left from an earlier reply must not prefix this one.
    this.#reader.clear();
    return new Promise<ExchangeResult>((resolve) => {
      const timer = setTimeout(() => {
        settle({ ok: false, failure: { kind: 'timeout', timeoutMs, partial: this.#reader.clear() } });
      }, timeoutMs);
      const settle = (result: ExchangeResult) => {
        if (this.#outstanding !== outstanding) return;
        clearTimeout(timer);
        this.#outstanding = null;
        resolve(result);
      };
      const outstanding: Outstanding = { accept, settle };
      this.#outstanding = outstanding;
      this.#trace?.({ type: 'sent', text: request });
      this.#transport.write(Buffer.from(request, 'latin1')).catch((error: unknown) => {
        settle({ ok: false, failure: { kind: 'closed', error } });
      });
    });
  }

  /** Stops listening and closes the line. */
  async close(): Promise<void> {
    this.#lineClosed(undefined);
    await this.#transport.close();
  }

  #receive(chunk: Uint8Array): void {
    for (const text of this.#reader.push(chunk)) this.#frame(text);
  }

  #frame(text: string): void {
    this.#trace?.({ type: 'received', text });
    const outstanding = this.#outstanding;
    const decoded = decodeFrame(text);
    if (!outstanding) {
      if (decoded.ok) this.#trace?.({ type: 'ignored', text, reason: 'unsolicited' });
      return;
    }
    if (!decoded.ok) {
      outstanding.settle({ ok: false, failure: { kind: 'frame', error: decoded.error, text } });
    } else if (!outstanding.accept(decoded.frame)) {
      this.#trace?.({ type: 'ignored', text, reason: 'other-address' });
    } else {
      outstanding.settle({ ok: true, frame: decoded.frame, text });
    }
  }

  #lineClosed(error: Error | undefined): void {
    if (this.#closed) return;
    this.#closed = { error };
    this.#unsubscribe();
    this.#outstanding?.settle({ ok: false, failure: { kind: 'closed', error } });
  }
}
