export interface LoggedRequest {
  seq: number;
  /** Virtual time the request arrived. */
  at: string;
  method: string;
  url: string;
  command?: string;
  status: number | null;
  /** Wall-clock time to answer, ms. */
  durationMs: number;
  faults: string[];
  outcome: 'answered' | 'reset' | 'hang' | 'dropped';
}

/**
 * The bytes of one exchange. HTTP: `request` is the request line, headers as received and body;
 * `response` the status line, headers and body as sent (after faults). Serial: `frames` in the order
 * they crossed the line.
 */
export interface ExchangeBytes {
  request?: Buffer;
  response?: Buffer;
  frames?: { direction: 'in' | 'out'; bytes: Buffer }[];
  /** Bytes left out because a part was longer than CAPTURE_LIMIT_BYTES. */
  omittedBytes?: number;
}

/**
 * An exchange captured while someone watched the log (see `RequestLog.watch`). Transports keep
 * references to what crossed the wire (strings and buffers they had anyway) and the bytes are put
 * together only when read, so watching costs a request little more than those references.
 */
export interface CapturedExchange {
  bytes(): ExchangeBytes;
}

/** A CapturedExchange that builds its bytes on the first read and keeps them. */
export function lazyExchange(build: () => ExchangeBytes): CapturedExchange {
  let built: ExchangeBytes | undefined;
  return { bytes: () => (built ??= build()) };
}

/** The most bytes kept of one request or response (its head included); the rest is only counted. */
export const CAPTURE_LIMIT_BYTES = 64 * 1024;
/** Bytes are kept for this many of a log's newest exchanges; older records keep their line only. */
export const CAPTURED_EXCHANGES = 100;
/**
 * While watched, at most this many exchanges per CAPTURE_WINDOW_MS are captured (a viewer reads a
 * few a second); under load the rest are logged without bytes, so a watched emulator keeps its pace.
 */
export const CAPTURES_PER_WINDOW = 25;
export const CAPTURE_WINDOW_MS = 500;

/** What a transport records: cheap to build on the hot path (no date formatting, no copies). */
export interface RequestRecord {
  at: number;
  method: string;
  url: string;
  command: string | undefined;
  status: number | null;
  durationMs: number;
  faults: string[];
  outcome: LoggedRequest['outcome'];
  /** Set by transports only while the log is watched. */
  exchange?: CapturedExchange;
}

export type StoredRequest = RequestRecord & { seq: number };
export type RequestWatcher = (record: StoredRequest) => void;

/**
 * A bounded ring of recent device requests (control traffic is not logged). Entries are stored as
 * recorded and formatted only when listed, so logging costs little per request.
 */
export class RequestLog {
  private readonly ring: StoredRequest[] = [];
  private next = 0;
  private seq = 0;
  // null, not an empty set, while nobody watches: the hot path tests one field.
  private watchers: Set<RequestWatcher> | null = null;
  /** Records holding bytes, a ring of CAPTURED_EXCHANGES: the one a new capture replaces lets go of its bytes. */
  private readonly withBytes: (StoredRequest | undefined)[] = new Array<StoredRequest | undefined>(CAPTURED_EXCHANGES);
  private nextWithBytes = 0;
  private captureBudget = 0;
  private refill: NodeJS.Timeout | null = null;

  constructor(private readonly capacity = 500) {}

  /** True while a watcher is attached (transports ask `takeCapture()` before capturing bytes). */
  get watched(): boolean {
    return this.watchers !== null;
  }

  /**
   * Whether a transport should capture the exchange it is starting: true while watched and within
   * the capture budget (CAPTURES_PER_WINDOW). Unwatched, one comparison.
   */
  takeCapture(): boolean {
    if (this.captureBudget === 0) return false;
    this.captureBudget--;
    return true;
  }

  /** Calls `watcher` with every record from now on; returns the function that detaches it. */
  watch(watcher: RequestWatcher): () => void {
    if (this.watchers === null) {
      this.watchers = new Set();
      this.captureBudget = CAPTURES_PER_WINDOW;
      this.refill = setInterval(() => (this.captureBudget = CAPTURES_PER_WINDOW), CAPTURE_WINDOW_MS);
      this.refill.unref();
    }
    this.watchers.add(watcher);
    return () => {
      if (this.watchers?.delete(watcher) && this.watchers.size === 0) {
        this.watchers = null;
        this.captureBudget = 0;
        if (this.refill !== null) clearInterval(this.refill);
        this.refill = null;
      }
    };
  }

  record(entry: RequestRecord): void {
    const item = entry as StoredRequest;
    item.seq = ++this.seq;
    if (this.ring.length < this.capacity) this.ring.push(item);
    else this.ring[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    if (item.exchange !== undefined) this.keepBytes(item);
    if (this.watchers !== null) for (const watcher of this.watchers) watcher(item);
  }

  private keepBytes(item: StoredRequest): void {
    const evicted = this.withBytes[this.nextWithBytes];
    // Assigned, not deleted: records keep one shape on the hot path.
    if (evicted !== undefined) evicted.exchange = undefined;
    this.withBytes[this.nextWithBytes] = item;
    this.nextWithBytes = (this.nextWithBytes + 1) % CAPTURED_EXCHANGES;
  }

  /** Oldest first; `limit` keeps the newest N. */
  list(limit?: number): LoggedRequest[] {
    return this.stored(limit).map(formatRecord);
  }

  /** The records as stored (captured bytes included), oldest first; `limit` keeps the newest N. */
  stored(limit?: number): StoredRequest[] {
    const ordered = this.ring.length < this.capacity ? this.ring : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return limit === undefined ? ordered.slice() : ordered.slice(-limit);
  }

  /** One record still in the ring, by sequence number. */
  find(seq: number): StoredRequest | undefined {
    return this.ring.find((r) => r.seq === seq);
  }

  get total(): number {
    return this.seq;
  }

  clear(): void {
    this.ring.length = 0;
    this.withBytes.fill(undefined);
    this.next = 0;
  }
}

export function formatRecord(r: StoredRequest): LoggedRequest {
  return {
    seq: r.seq,
    at: new Date(r.at).toISOString(),
    method: r.method,
    url: r.url,
    ...(r.command !== undefined ? { command: r.command } : {}),
    status: r.status,
    durationMs: Math.round(r.durationMs * 100) / 100,
    faults: [...r.faults],
    outcome: r.outcome,
  };
}

/** Keeps at most CAPTURE_LIMIT_BYTES of `bytes`, counting the rest in `exchange.omittedBytes`. */
export function capped(exchange: ExchangeBytes, bytes: Buffer): Buffer {
  if (bytes.length <= CAPTURE_LIMIT_BYTES) return bytes;
  exchange.omittedBytes = (exchange.omittedBytes ?? 0) + bytes.length - CAPTURE_LIMIT_BYTES;
  return Buffer.from(bytes.subarray(0, CAPTURE_LIMIT_BYTES));
}
