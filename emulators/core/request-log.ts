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
}

/**
 * A bounded ring of recent device requests (control traffic is not logged). Entries are stored as
 * recorded and formatted only when listed, so logging costs little per request.
 */
export class RequestLog {
  private readonly ring: (RequestRecord & { seq: number })[] = [];
  private next = 0;
  private seq = 0;

  constructor(private readonly capacity = 500) {}

  record(entry: RequestRecord): void {
    const item = entry as RequestRecord & { seq: number };
    item.seq = ++this.seq;
    if (this.ring.length < this.capacity) this.ring.push(item);
    else this.ring[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first; `limit` keeps the newest N. */
  list(limit?: number): LoggedRequest[] {
    const ordered = this.ring.length < this.capacity ? this.ring : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    const chosen = limit === undefined ? ordered : ordered.slice(-limit);
    return chosen.map((r) => ({
      seq: r.seq,
      at: new Date(r.at).toISOString(),
      method: r.method,
      url: r.url,
      ...(r.command !== undefined ? { command: r.command } : {}),
      status: r.status,
      durationMs: Math.round(r.durationMs * 100) / 100,
      faults: [...r.faults],
      outcome: r.outcome,
    }));
  }

  get total(): number {
    return this.seq;
  }

  clear(): void {
    this.ring.length = 0;
    this.next = 0;
  }
}
