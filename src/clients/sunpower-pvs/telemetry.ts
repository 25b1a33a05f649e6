/**
 * The telemetry WebSocket of the PVS6 varserver firmware (`ws://<host>:9002/`, plain, no authentication) as an
 * async iterator of live data, on the `ws` package, behaving as pypvs's `PVSWebSocket`:
 * - before each connection attempt, telemetry is enabled (`set=/sys/telemetryws/enable=1`; a failure there is only
 *   a warning for pypvs, so the connection is tried anyway) — except where it can never work (a PVS5 answers 400,
 *   legacy firmware has no varserver, the login is refused): then the iterator throws that typed error;
 * - reconnects: after a connection ends (the server closes each one after ten minutes; a reboot drops it) or
 *   fails, three fast retries 2 s apart, then exponential backoff from 5 s (×2 per failure, and the base ×1.5),
 *   capped at 300 s, with ±20 % jitter; a successful connection resets it;
 * - a ping every 30 s, and a connection silent for 90 s is dropped and reconnected;
 * - frames that are not `{"notification":"power","params":{…}}` JSON are skipped (counted in `skippedFrames`).
 *
 * It ends cleanly when the consumer stops: `break` in `for await`, `return()`, or the `signal`. Nothing connects
 * before the first `next()`. Readings wait in a queue of at most `maxQueue` (the oldest are dropped: live data).
 */
import WebSocket from 'ws';
import { parseTelemetryFrame, type TelemetryParams } from '../../../contracts/sunpower-pvs/index.js';
import { PvsCertificateMismatchError, PvsError, PvsLoginError, PvsTelemetryUnavailableError, PvsWrongEraError } from './errors.js';
import { liveDataOfFrame, type PvsLiveData } from './varserver-views.js';

export interface PvsTelemetryOptions {
  /** The WebSocket URL (default: the client's, `ws://<host>:9002/`). */
  readonly url?: string;
  /** Enable telemetry before each connection (default true, as pypvs). */
  readonly enable?: boolean;
  /** Fast retries after a failure before backing off (pypvs: 3). */
  readonly fastRetries?: number;
  /** Delay of a fast retry, also the delay after a connection that ended (pypvs: 2 s). */
  readonly fastRetryMs?: number;
  /** First backoff delay (pypvs: 5 s). */
  readonly backoffMs?: number;
  /** Longest delay (pypvs: 300 s). */
  readonly maxBackoffMs?: number;
  /** ±20 % on backoff delays (default true). */
  readonly jitter?: boolean;
  /** Ping interval (pypvs: aiohttp heartbeat 30 s). */
  readonly heartbeatMs?: number;
  /** A connection without a frame for this long is dropped (pypvs: 90 s). */
  readonly staleMs?: number;
  readonly handshakeTimeoutMs?: number;
  /** Consecutive failed attempts before the iterator gives up (default: never, as pypvs). */
  readonly maxFailures?: number;
  /** Readings kept while the consumer is busy (default 1000; the oldest are dropped). */
  readonly maxQueue?: number;
  /** Ends the iterator when aborted. */
  readonly signal?: AbortSignal;
  /** Connection state changes (pypvs's state listeners). */
  readonly onState?: (state: PvsTelemetryState) => void;
}

export type PvsTelemetryState = 'idle' | 'connecting' | 'connected' | 'waiting' | 'ended';

/** One frame: its live data, the raw params, and which connection (1-based) brought it. */
export interface PvsTelemetryReading extends PvsLiveData {
  readonly params: TelemetryParams;
  readonly connection: number;
  /** Wall-clock ms when it arrived. */
  readonly receivedAt: number;
}

const DEFAULTS = {
  fastRetries: 3,
  fastRetryMs: 2_000,
  backoffMs: 5_000,
  maxBackoffMs: 300_000,
  heartbeatMs: 30_000,
  staleMs: 90_000,
  handshakeTimeoutMs: 10_000,
  maxQueue: 1_000,
};

/** Errors that no reconnect can fix. */
function isFatal(error: unknown): boolean {
  return error instanceof PvsTelemetryUnavailableError || error instanceof PvsLoginError || error instanceof PvsWrongEraError || error instanceof PvsCertificateMismatchError;
}

interface Waiter {
  resolve: (result: IteratorResult<PvsTelemetryReading>) => void;
  reject: (error: unknown) => void;
}

export class PvsTelemetryStream implements AsyncIterableIterator<PvsTelemetryReading> {
  state: PvsTelemetryState = 'idle';
  /** Connections opened so far. */
  connections = 0;
  /** Frames that were not power notifications (garbled, other notifications, binary). */
  skippedFrames = 0;
  /** Readings dropped because the queue was full. */
  droppedReadings = 0;
  /** Failed connection attempts in a row (0 while connected). */
  failures = 0;
  /** The last reason an attempt failed or a connection ended, for logs. */
  lastError: unknown = undefined;
  private readonly options: Required<Omit<PvsTelemetryOptions, 'url' | 'signal' | 'onState' | 'maxFailures'>> & Pick<PvsTelemetryOptions, 'signal' | 'onState'> & { maxFailures: number };
  private readonly queue: PvsTelemetryReading[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly endListeners: (() => void)[] = [];
  private started = false;
  private ended = false;
  private failure: { error: unknown } | null = null;
  private ws: WebSocket | null = null;
  private cancelSleep: (() => void) | null = null;
  /** Settles when the connection open at `end()` has closed (or a second later). */
  private closing: Promise<void> = Promise.resolve();

  constructor(
    readonly url: string,
    private readonly enable: () => Promise<void>,
    options: PvsTelemetryOptions = {},
  ) {
    this.options = {
      enable: options.enable ?? true,
      fastRetries: options.fastRetries ?? DEFAULTS.fastRetries,
      fastRetryMs: options.fastRetryMs ?? DEFAULTS.fastRetryMs,
      backoffMs: options.backoffMs ?? DEFAULTS.backoffMs,
      maxBackoffMs: options.maxBackoffMs ?? DEFAULTS.maxBackoffMs,
      jitter: options.jitter ?? true,
      heartbeatMs: options.heartbeatMs ?? DEFAULTS.heartbeatMs,
      staleMs: options.staleMs ?? DEFAULTS.staleMs,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? DEFAULTS.handshakeTimeoutMs,
      maxFailures: options.maxFailures ?? Infinity,
      maxQueue: options.maxQueue ?? DEFAULTS.maxQueue,
      signal: options.signal,
      onState: options.onState,
    };
    const signal = options.signal;
    if (signal?.aborted) this.end();
    else signal?.addEventListener('abort', () => void this.return(), { once: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<PvsTelemetryReading>> {
    const value = this.queue.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.failure !== null) {
      const { error } = this.failure;
      this.failure = null;
      return Promise.reject(error);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    this.start();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Stops: closes the connection, cancels a pending reconnect, ends every pending `next()`. */
  async return(): Promise<IteratorResult<PvsTelemetryReading>> {
    this.end();
    await this.closing;
    return { value: undefined, done: true };
  }

  /** The same as `return()`. */
  async close(): Promise<void> {
    await this.return();
  }

  /** Called once when the stream has ended (stopped or failed). */
  onEnd(listener: () => void): void {
    if (this.ended) listener();
    else this.endListeners.push(listener);
  }

  private setState(state: PvsTelemetryState): void {
    if (this.state === state) return;
    this.state = state;
    try {
      this.options.onState?.(state);
    } catch {
      // a listener's error is not the stream's
    }
  }

  private start(): void {
    if (this.started || this.ended) return;
    this.started = true;
    this.loop().catch((error: unknown) => this.fail(error));
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.cancelSleep?.();
    const ws = this.ws;
    if (ws !== null) {
      this.closing = new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1_000);
        ws.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      // A clean close (the server answers it); terminate if it does not answer soon. A handshake under way is
      // left to finish: the open handler closes it cleanly (or the timer above ends it).
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      else if (ws.readyState !== WebSocket.CONNECTING) ws.terminate();
    }
    this.queue.length = 0;
    for (const waiter of this.waiters.splice(0)) waiter.resolve({ value: undefined, done: true });
    this.setState('ended');
    for (const listener of this.endListeners.splice(0)) listener();
  }

  private fail(error: unknown): void {
    if (this.ended) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter.reject(error);
    else this.failure = { error };
    this.end();
  }

  private push(reading: PvsTelemetryReading): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.resolve({ value: reading, done: false });
      return;
    }
    this.queue.push(reading);
    if (this.queue.length > this.options.maxQueue) {
      this.queue.shift();
      this.droppedReadings++;
    }
  }

  private async loop(): Promise<void> {
    const o = this.options;
    let backoff = o.backoffMs;
    while (!this.ended) {
      this.setState('connecting');
      try {
        if (o.enable) {
          try {
            await this.enable();
          } catch (error) {
            if (isFatal(error)) throw error;
            // pypvs: "Failed to enable telemetry websocket" is a warning; the connection is tried anyway.
            this.lastError = error;
          }
        }
        if (this.ended) return;
        await this.connectAndRead(() => {
          this.failures = 0;
          backoff = o.backoffMs;
        });
      } catch (error) {
        if (isFatal(error)) throw error;
        this.lastError = error;
        this.failures++;
      }
      if (this.ended) return;
      if (this.failures > o.maxFailures) {
        throw new PvsTelemetryUnavailableError(`${this.failures} connection attempts failed in a row (last: ${describe(this.lastError)})`, {
          command: 'telemetry',
          attempts: this.failures,
          url: this.url,
          cause: this.lastError,
        });
      }
      let delay: number;
      if (this.failures <= o.fastRetries) delay = o.fastRetryMs;
      else {
        delay = Math.min(backoff * 2 ** Math.min(this.failures - o.fastRetries - 1, 5), o.maxBackoffMs) * (o.jitter ? 0.8 + Math.random() * 0.4 : 1);
        backoff = Math.min(backoff * 1.5, o.maxBackoffMs);
      }
      this.setState('waiting');
      await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.cancelSleep = () => {
        this.cancelSleep = null;
        done();
      };
    });
  }

  /** Resolves when an opened connection ends; rejects when the connection cannot be opened. */
  private connectAndRead(onOpen: () => void): Promise<void> {
    const o = this.options;
    return new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(this.url, { perMessageDeflate: false, handshakeTimeout: o.handshakeTimeoutMs });
      this.ws = ws;
      let opened = false;
      let lastMessage = Date.now();
      let timer: NodeJS.Timeout | undefined;
      let connection = 0;
      let stale: Error | undefined;
      ws.on('open', () => {
        if (this.ended) {
          ws.close(1000);
          return;
        }
        opened = true;
        connection = ++this.connections;
        lastMessage = Date.now();
        onOpen();
        this.setState('connected');
        timer = setInterval(() => {
          if (Date.now() - lastMessage > o.staleMs) {
            stale = new Error(`no frame for ${o.staleMs} ms`);
            ws.terminate();
          } else if (ws.readyState === WebSocket.OPEN) ws.ping();
        }, Math.min(o.heartbeatMs, o.staleMs));
        timer.unref();
      });
      ws.on('message', (data, isBinary) => {
        lastMessage = Date.now();
        if (isBinary) {
          this.skippedFrames++;
          return;
        }
        const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
        const frame = parseTelemetryFrame(text);
        if (!frame) {
          this.skippedFrames++;
          return;
        }
        this.push({ ...liveDataOfFrame(frame.params), params: frame.params, connection, receivedAt: Date.now() });
      });
      ws.on('error', (error) => {
        if (!opened) reject(error);
      });
      ws.on('close', (code) => {
        clearInterval(timer);
        if (this.ws === ws) this.ws = null;
        if (opened) {
          this.lastError = stale ?? new Error(`connection closed (${code})`);
          resolve();
        } else reject(new Error(`connection closed before it opened (${code})`));
      });
    });
  }
}

function describe(error: unknown): string {
  return error instanceof PvsError || error instanceof Error ? error.message : String(error);
}
