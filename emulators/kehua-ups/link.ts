// One serial line into the UPS: bytes in, reply chunks out. Every transport (mock serial port, TCP
// connection) gets its own link, so each has its own frame reader and reply queue, while they all
// reach the same unit. Serial faults are applied here, to the reply bytes, so the slave never
// knows about them.

import { FrameReader } from '../../contracts/kehua-ups/index.js';
import type { DiscardReason } from '../../contracts/kehua-ups/index.js';
import { corruptBytes, garbageBytes, splitBytes, type Fault } from '../core/faults.js';
import type { Rng } from '../core/rng.js';
import { answerDiscard, answerFrame, hex2, isMissingEoi, type SlaveAnswer } from './slave.js';
import type { UpsEmulator } from './emulator.js';

export interface LinkOptions {
  /** Names the transport in the request log and in fault matching (`match.path`), e.g. "tcp". */
  transport: string;
  /** The line speed the peer opened the port with, where the transport knows it. */
  peerBaudRate?: () => number | undefined;
}

const SOI = 0x7e;
const EOI = 0x0d;

export class UpsLink {
  private readonly reader: FrameReader;
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly ups: UpsEmulator,
    private readonly write: (chunk: Buffer) => void,
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
      for (const frame of this.reader.push(text.slice(start, end))) this.respond(frame, answerFrame(this.ups, frame));
      if (isMissingEoi(this.reader.pending)) {
        const cut = this.reader.clear();
        this.respond(cut, answerDiscard(this.ups, cut, 'interrupted'));
      }
      start = end;
    }
  }

  /** Stops replying; replies still queued are not sent. */
  close(): void {
    this.closed = true;
    // Wake the pending sleeps instead of abandoning them: send() then sees `closed`, and drained() settles.
    for (const [timer, wake] of this.timers) {
      clearTimeout(timer);
      wake();
    }
    this.timers.clear();
    this.ups.detach(this);
  }

  /** Resolves once every reply queued so far has gone out (or been dropped). */
  async drained(): Promise<void> {
    await this.queue;
  }

  private onDiscard(text: string, reason: DiscardReason): void {
    this.respond(text, answerDiscard(this.ups, text, reason));
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
    if (plan.drop) return;
    this.queue = this.queue.then(() => this.send(plan));
  }

  private async send(plan: ReplyPlan): Promise<void> {
    for (let i = 0; i < plan.chunks.length; i++) {
      await this.sleep(i === 0 ? plan.delayMs : plan.gapMs);
      if (this.closed) return;
      this.write(plan.chunks[i]!);
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

  private log(request: string, answer: SlaveAnswer, faults: string[], plan?: ReplyPlan): void {
    this.ups.requests.record({
      at: this.ups.world.clock.now(),
      method: this.options.transport,
      url: printable(request),
      command: answer.cid2 === undefined ? undefined : hex2(answer.cid2),
      status: answer.rtn ?? null,
      durationMs: plan ? plan.delayMs + plan.gapMs * (plan.chunks.length - 1) : 0,
      faults: answer.reply === null ? [...faults, `silent:${answer.reason}`] : faults,
      outcome: answer.reply === null || plan?.drop ? 'dropped' : 'answered',
    });
  }
}

export interface ReplyPlan {
  drop: boolean;
  delayMs: number;
  gapMs: number;
  chunks: Buffer[];
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
  return { drop, delayMs, gapMs, chunks: pieces > 1 ? splitBytes(bytes, pieces) : [bytes] };
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

/** A request as one log line: control characters shown as escapes. */
function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => (c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}
