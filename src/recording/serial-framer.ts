// Cuts the two byte streams of a serial line into exchanges. The client's stream is framed on YD/T 1363.3's
// SOI `~` and EOI `\r`; each client frame is paired with the device bytes that follow it, until the device
// has sent a whole line (ending in `\r`), the client sends its next frame, or the line stays quiet. Client bytes
// outside frames and device bytes nobody asked for become exchanges of their own: nothing is dropped.

const SOI = 0x7e; // '~'
const EOI = 0x0d; // '\r'

/** Longer than any YD/T 1363.3 frame (LENID is 12 bits: at most 4095 INFO characters plus 13 around them). */
export const MAX_FRAME_BYTES = 4200;

export interface FramedExchange {
  /** When the request was complete (ms, on the caller's clock). */
  t: number;
  /** Until the last device byte, or until the exchange was closed when the device said nothing. */
  durationMs: number;
  /** A client frame, client bytes outside frames, or empty for device bytes nobody asked for. */
  request: Buffer;
  /** `null` for silence. */
  response: Buffer | null;
}

interface Pending {
  kind: 'frame' | 'stray' | 'unsolicited';
  request: Buffer[];
  t: number;
  response: Buffer[];
  lastDeviceAt: number | null;
}

export class SerialFramer {
  /** A frame the client has started (`~…`) but not finished. */
  private partial: Buffer = Buffer.alloc(0);
  private pending: Pending | null = null;

  /** `quietMs`: how long the line may stay quiet before an open exchange is closed (silence → response null). */
  constructor(private readonly quietMs: number) {}

  /** Bytes from the client at time `at`; returns the exchanges this closes, in order. */
  client(bytes: Uint8Array, at: number): FramedExchange[] {
    const out: FramedExchange[] = [];
    let buffer = Buffer.concat([this.partial, bytes]);
    this.partial = Buffer.alloc(0);
    while (buffer.length > 0) {
      if (buffer[0] !== SOI) {
        const soi = buffer.indexOf(SOI);
        const stray = soi === -1 ? buffer : buffer.subarray(0, soi);
        this.stray(stray, at, out);
        buffer = buffer.subarray(stray.length);
        continue;
      }
      const eoi = buffer.indexOf(EOI);
      const nextSoi = buffer.indexOf(SOI, 1);
      if (nextSoi !== -1 && (eoi === -1 || nextSoi < eoi)) {
        // A new SOI before this frame's EOI: the slave resynchronises on it, so the unfinished part is stray bytes.
        this.stray(buffer.subarray(0, nextSoi), at, out);
        buffer = buffer.subarray(nextSoi);
        continue;
      }
      if (eoi === -1) {
        if (buffer.length > MAX_FRAME_BYTES) {
          this.stray(buffer, at, out);
        } else {
          this.partial = Buffer.from(buffer);
        }
        break;
      }
      this.closePending(at, out);
      this.pending = { kind: 'frame', request: [Buffer.from(buffer.subarray(0, eoi + 1))], t: at, response: [], lastDeviceAt: null };
      buffer = buffer.subarray(eoi + 1);
    }
    return out;
  }

  /** Bytes from the device at time `at`. */
  device(bytes: Uint8Array, at: number): FramedExchange[] {
    const out: FramedExchange[] = [];
    if (bytes.length === 0) return out;
    if (this.pending === null) this.pending = { kind: 'unsolicited', request: [], t: at, response: [], lastDeviceAt: null };
    this.pending.response.push(Buffer.from(bytes));
    this.pending.lastDeviceAt = at;
    // The device answers with one line: once it ends in EOI the answer is complete, and is written at once.
    if (bytes[bytes.length - 1] === EOI) this.closePending(at, out);
    return out;
  }

  /** When the open exchange is due to be closed for quiet, or null when none is open. */
  deadline(): number | null {
    if (this.pending === null) return null;
    return (this.pending.lastDeviceAt ?? this.pending.t) + this.quietMs;
  }

  /** Closes the open exchange if its deadline has passed. */
  expire(at: number): FramedExchange[] {
    const out: FramedExchange[] = [];
    const deadline = this.deadline();
    if (deadline !== null && at >= deadline) this.closePending(at, out);
    return out;
  }

  /** The line is closing: everything still held becomes exchanges, an unfinished client frame included. */
  flush(at: number): FramedExchange[] {
    const out: FramedExchange[] = [];
    this.closePending(at, out);
    if (this.partial.length > 0) {
      out.push({ t: at, durationMs: 0, request: this.partial, response: null });
      this.partial = Buffer.alloc(0);
    }
    return out;
  }

  private stray(bytes: Buffer, at: number, out: FramedExchange[]): void {
    // Stray bytes in a row (nothing from the device in between) make one exchange, not one per TCP segment.
    if (this.pending?.kind === 'stray' && this.pending.response.length === 0) {
      this.pending.request.push(Buffer.from(bytes));
      return;
    }
    this.closePending(at, out);
    this.pending = { kind: 'stray', request: [Buffer.from(bytes)], t: at, response: [], lastDeviceAt: null };
  }

  private closePending(at: number, out: FramedExchange[]): void {
    const pending = this.pending;
    if (pending === null) return;
    this.pending = null;
    const answered = pending.response.length > 0;
    out.push({
      t: pending.t,
      durationMs: Math.max(0, (answered ? pending.lastDeviceAt! : at) - pending.t),
      request: Buffer.concat(pending.request),
      response: answered ? Buffer.concat(pending.response) : null,
    });
  }
}
