// One serial line into the UPS: bytes in, reply chunks out. Every transport (mock serial port, TCP
// connection) gets its own link, so each has its own frame reader and reply queue, while they all
// reach the same unit. Serial faults are applied here, to the reply bytes, so the slave never
// knows about them.
//
// Memory per line is bounded, as on a UART. A KEHUA's RS-232 port has three wires (TX, RX, GND): no
// RTS/CTS, so neither side can make the other stop sending. The unit takes one frame at a time and
// holds at most MAX_QUEUED_REPLIES answers (MAX_QUEUED_REPLY_BYTES) it has not finished sending; a
// request that completes while that backlog is full is lost whole, as a firmware whose receive
// buffer has overrun loses it (logged `dropped` with the fault `overrun`, never answered, so a
// lost 45H changes nothing). The transport's `write` answers false when the peer is not taking
// what was sent (a TCP socket past its high-water mark); the link then sends nothing more until the
// transport calls `resume()` (the socket's 'drain'). So a peer that writes and never reads costs
// the frame reader's one pending frame, the backlog and the socket's high-water mark, whatever it
// sends, and the link lets go of all of it when it closes.

import { FrameReader } from '../../contracts/kehua-ups/index.js';
import type { DiscardReason } from '../../contracts/kehua-ups/index.js';
import { corruptBytes, garbageBytes, splitBytes, type Fault } from '../core/faults.js';
import { capped, lazyExchange, type CapturedExchange, type ExchangeBytes } from '../core/request-log.js';
import type { Rng } from '../core/rng.js';
import { answerDiscard, answerFrame, hex2, isMissingEoi, type SlaveAnswer } from './slave.js';
import type { UpsEmulator } from './emulator.js';

export interface LinkOptions {
  /** Names the transport in the request log and in fault matching (`match.path`), e.g. "tcp". */
  transport: string;
  /** The line speed the peer opened the port with, where the transport knows it. */
  peerBaudRate?: () => number | undefined;
}

/**
 * Sends reply bytes to the peer. Returning `false` says the peer is not taking them (a socket's
 * buffer is past its high-water mark): the link holds further replies until `resume()`. Any other
 * return value (or none) means go on.
 */
export type LinkWrite = (chunk: Buffer) => boolean | unknown;

/** Answers the unit holds while its transmitter is busy or blocked; requests beyond them overrun. */
export const MAX_QUEUED_REPLIES = 16;
/** The same backlog in bytes (a reply is under 300 bytes, more only with garbage faults). */
export const MAX_QUEUED_REPLY_BYTES = 64 * 1024;
/** The longest request text kept in the request log; longer garbage is cut there and its length noted. */
const MAX_LOGGED_CHARS = 256;

const SOI = 0x7e;
const EOI = 0x0d;

export class UpsLink {
  private readonly reader: FrameReader;
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  /** Replies planned and not yet wholly written, oldest first; the first is being sent. */
  private readonly replies: ReplyPlan[] = [];
  private queuedBytes = 0;
  private sending: Promise<void> | null = null;
  /** Set while the peer is not taking bytes: called by resume() or close(). */
  private unblock: (() => void) | null = null;
  private closed = false;
  private overruns = 0;
  private stallCount = 0;

  constructor(
    private readonly ups: UpsEmulator,
    private readonly write: LinkWrite,
    private readonly options: LinkOptions,
  ) {
    this.reader = new FrameReader({ onDiscard: (text, reason) => this.onDiscard(text, reason) });
  }

  get transport(): string {
    return this.options.transport;
  }

  /** The unfinished request held so far. */
  get pending(): string {
    return this.reader.pending;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Replies waiting to go out (the one being sent included). */
  get queuedReplies(): number {
    return this.replies.length;
  }

  /** Bytes of those replies. */
  get queuedReplyBytes(): number {
    return this.queuedBytes;
  }

  /** Whether the link is waiting for the peer to take what was sent (see `resume`). */
  get blocked(): boolean {
    return this.unblock !== null;
  }

  /** Requests lost because the reply backlog was full. */
  get overrunCount(): number {
    return this.overruns;
  }

  /** Times the peer stopped taking bytes and the link waited for it. */
  get stalls(): number {
    return this.stallCount;
  }

  /** The transport says the peer takes bytes again (a socket's 'drain'). */
  resume(): void {
    const wake = this.unblock;
    this.unblock = null;
    wake?.();
  }

  /** Bytes from the master, in whatever chunks they arrived. */
  receive(data: Uint8Array | string): void {
    if (this.closed) return;
    const text = typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
    const peerBaud = this.options.peerBaudRate?.();
    if (peerBaud !== undefined && peerBaud !== this.ups.settings.baudRate) {
      // At the wrong line speed the UART sees framing errors, never a `~`: the unit stays silent.
      this.log(text, { reply: null, cid2: undefined, rtn: undefined, reason: 'garbage' }, ['baud-mismatch']);
      return;
    }
    // One CR-terminated piece at a time, so answers keep the order of the frames and discards.
    let start = 0;
    while (start < text.length) {
      const cr = text.indexOf('\r', start);
      const end = cr < 0 ? text.length : cr + 1;
      for (const frame of this.reader.push(text.slice(start, end))) {
        if (!this.overrun(frame)) this.respond(frame, answerFrame(this.ups, frame));
      }
      if (isMissingEoi(this.reader.pending)) {
        const cut = this.reader.clear();
        if (!this.overrun(cut)) this.respond(cut, answerDiscard(this.ups, cut, 'interrupted'));
      }
      start = end;
    }
  }

  /** Stops replying; replies still queued are not sent, and everything the line held is let go. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Wake the pending sleeps instead of abandoning them: send() then sees `closed`, and drained() settles.
    for (const [timer, wake] of this.timers) {
      clearTimeout(timer);
      wake();
    }
    this.timers.clear();
    this.resume();
    this.replies.length = 0;
    this.queuedBytes = 0;
    this.reader.clear();
    this.ups.detach(this);
  }

  /** Resolves once every reply queued so far has gone out (or been dropped). */
  async drained(): Promise<void> {
    while (this.sending !== null) await this.sending;
  }

  private onDiscard(text: string, reason: DiscardReason): void {
    // Garbage is silence (no answer to queue); a discard that would be answered waits its turn like a frame.
    const answer = answerDiscard(this.ups, text, reason);
    if (answer.reply !== null && this.overrun(text)) return;
    this.respond(text, answer);
  }

  /**
   * A request completed while the backlog is full is lost before the slave sees it (so it has no
   * effect), as on a UART whose receive buffer overran; logged as dropped with the fault `overrun`.
   */
  private overrun(request: string): boolean {
    if (this.replies.length === 0) return false;
    if (this.replies.length < MAX_QUEUED_REPLIES && this.queuedBytes < MAX_QUEUED_REPLY_BYTES) return false;
    this.overruns++;
    this.log(request, { reply: null, cid2: undefined, rtn: undefined, reason: 'garbage' }, ['overrun'], undefined, false);
    return true;
  }

  private respond(request: string, answer: SlaveAnswer): void {
    if (answer.reply === null) {
      this.log(request, answer, []);
      return;
    }
    const faults = this.ups.faults;
    const fired = faults.active ? faults.decide({ path: this.options.transport, command: answer.cid2 === undefined ? undefined : hex2(answer.cid2) }) : [];
    const plan = planReply(Buffer.from(answer.reply, 'latin1'), fired, this.ups.settings.replyDelayMs, faults.random, (f) => faults.latencyOf(f));
    this.log(request, answer, fired.map((f) => f.kind), plan);
    if (plan.drop || this.closed) return;
    this.replies.push(plan);
    this.queuedBytes += plan.bytes;
    this.sending ??= this.send();
  }

  /**
   * Sends the queued replies in order, one chunk at a time, holding while the peer is blocked. It
   * clears `sending` in the same turn as it sees the queue empty, so a reply queued at any later
   * moment starts a new run.
   */
  private async send(): Promise<void> {
    await null; // `sending` is set before anything below can run
    try {
      while (!this.closed && this.replies.length > 0) {
        const plan = this.replies[0]!;
        for (let i = 0; i < plan.chunks.length; i++) {
          await this.sleep(i === 0 ? plan.delayMs : plan.gapMs);
          if (this.closed) return;
          if (this.write(plan.chunks[i]!) === false && !this.closed) {
            this.stallCount++;
            await new Promise<void>((resolve) => (this.unblock = resolve));
          }
          if (this.closed) return;
        }
        this.replies.shift();
        this.queuedBytes -= plan.bytes;
      }
    } finally {
      this.sending = null;
    }
  }

  /**
   * Always asynchronous, so replies never re-enter the caller that wrote the request; 0 ms uses
   * setImmediate, since a 0 ms timer waits at least 1 ms and would cap a poll at ~1 ms per command.
   */
  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, resolve);
    });
  }

  private log(request: string, answer: SlaveAnswer, faults: string[], plan?: ReplyPlan, silence = true): void {
    const requests = this.ups.requests;
    requests.record({
      at: this.ups.world.clock.now(),
      method: this.options.transport,
      url: printable(request),
      command: answer.cid2 === undefined ? undefined : hex2(answer.cid2),
      status: answer.rtn ?? null,
      durationMs: plan ? plan.delayMs + plan.gapMs * (plan.chunks.length - 1) : 0,
      faults: answer.reply === null && silence ? [...faults, `silent:${answer.reason}`] : faults,
      outcome: answer.reply === null || plan?.drop ? 'dropped' : 'answered',
      // The frames as they crossed the line (the reply after faults), only while the log is watched.
      exchange: requests.takeCapture() ? framesOf(request, plan) : undefined,
    });
  }
}

function framesOf(request: string, plan: ReplyPlan | undefined): CapturedExchange {
  const reply = plan !== undefined && !plan.drop ? plan.chunks : null;
  return lazyExchange(() => {
    const exchange: ExchangeBytes = {};
    const frames: NonNullable<ExchangeBytes['frames']> = [{ direction: 'in', bytes: capped(exchange, Buffer.from(request, 'latin1')) }];
    if (reply !== null) frames.push({ direction: 'out', bytes: capped(exchange, Buffer.concat(reply)) });
    exchange.frames = frames;
    return exchange;
  });
}

export interface ReplyPlan {
  drop: boolean;
  delayMs: number;
  gapMs: number;
  chunks: Buffer[];
  /** The chunks' total length. */
  bytes: number;
}

/** Applies fired serial faults to a reply: drop, delay, flipped characters, leading garbage, split. */
export function planReply(reply: Buffer, fired: readonly Fault[], baseDelayMs: number, rng: Rng, latencyOf: (fault: Fault) => number): ReplyPlan {
  let drop = false;
  let delayMs = baseDelayMs;
  let bytes = reply;
  let pieces = 1;
  let gapMs = 0;
  for (const fault of fired) {
    switch (fault.kind) {
      case 'drop':
        drop = true;
        break;
      case 'delay':
        delayMs += latencyOf(fault);
        break;
      case 'flip':
        bytes = flipCharacters(bytes, fault.count, rng);
        break;
      case 'garbage':
        bytes = Buffer.concat([garbageBytes(fault.count, rng), bytes]);
        break;
      case 'split':
        pieces = fault.pieces;
        gapMs = fault.gapMs;
        break;
      default:
        break;
    }
  }
  return { drop, delayMs, gapMs, chunks: pieces > 1 ? splitBytes(bytes, pieces) : [bytes], bytes: bytes.length };
}

/**
 * Changes `count` characters between SOI and EOI, so the frame still starts and ends where it did
 * but fails its checks; the replacement is never `~` or CR, which would move the frame boundary.
 */
export function flipCharacters(frame: Buffer, count: number, rng: Rng): Buffer {
  const soi = frame.indexOf(SOI);
  const eoi = frame.lastIndexOf(EOI);
  if (soi < 0 || eoi <= soi + 1) return frame;
  const body = corruptBytes(frame.subarray(soi + 1, eoi), count, rng);
  for (let i = 0; i < body.length; i++) if (body[i] === SOI) body[i] = 0x7d;
  return Buffer.concat([frame.subarray(0, soi + 1), body, frame.subarray(eoi)]);
}

/** A request as one log line: control characters shown as escapes; long garbage cut, with its length. */
function printable(text: string): string {
  const shown = text.length > MAX_LOGGED_CHARS ? text.slice(0, MAX_LOGGED_CHARS) : text;
  const line = shown.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => (c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
  return shown === text ? line : `${line}… (${text.length} bytes)`;
}
