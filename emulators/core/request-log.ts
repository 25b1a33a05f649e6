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

/** A bounded ring of recent device requests (control traffic is not logged). */
export class RequestLog {
  private readonly entries: LoggedRequest[] = [];
  private seq = 0;

  constructor(private readonly capacity = 500) {}

  record(entry: Omit<LoggedRequest, 'seq'>): void {
    this.entries.push({ seq: ++this.seq, ...entry });
    if (this.entries.length > this.capacity) this.entries.shift();
  }

  /** Most recent last; `limit` keeps the newest N. */
  list(limit?: number): LoggedRequest[] {
    return limit === undefined ? [...this.entries] : this.entries.slice(-limit);
  }

  get total(): number {
    return this.seq;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
