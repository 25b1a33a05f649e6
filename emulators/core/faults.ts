import { durationMs, FaultSpecSchema, instantMs } from './control-schemas.js';
import { checkInput } from './schema-check.js';
import { ControlInputError } from './errors.js';
import type { Rng } from './rng.js';

/**
 * Faults sit between a device's protocol layer and its transport, so every device gets every fault
 * without device code knowing. HTTP transports understand the first group, serial/TCP frame
 * transports the second; `delay`/`latency` and `corrupt`/`flip` are the same idea named for each.
 */
export const HTTP_FAULT_KINDS = ['latency', 'status', 'reset', 'hang', 'truncate', 'corrupt', 'escape'] as const;
export const SERIAL_FAULT_KINDS = ['drop', 'delay', 'garbage', 'flip', 'split'] as const;
export type FaultKind = (typeof HTTP_FAULT_KINDS)[number] | (typeof SERIAL_FAULT_KINDS)[number];

export interface FaultMatch {
  /** Exact path (without query string), e.g. "/cgi-bin/dl_cgi". */
  path?: string;
  /** Device command, e.g. a PVS `Command=` value, a SENEC object, a UPS CID2 such as "42". */
  command?: string;
}

/** What a user asks for (control API body or in-process call). */
export interface FaultSpec {
  kind: FaultKind;
  /** latency / delay: fixed part, ms (wall time). */
  ms?: number | string;
  /** latency / delay: uniform random extra, 0..jitterMs. */
  jitterMs?: number;
  /** status: HTTP status and the page to send. */
  status?: number;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** truncate: keep this many bytes (or `fraction` of the body). */
  bytes?: number;
  fraction?: number;
  /** corrupt / flip: number of characters changed; escape: number of quotes escaped; garbage: number of junk bytes. */
  count?: number;
  /** split: number of pieces and the wall-time gap between them. */
  pieces?: number;
  gapMs?: number;
  match?: FaultMatch;
  /** Apply to the next N matching requests only. */
  times?: number;
  /** Apply to each matching request with this probability (0..1). */
  probability?: number;
  /** Virtual-time window: absolute `from`/`to` (ISO or epoch ms) or `for` a duration from now. */
  from?: number | string;
  to?: number | string;
  for?: number | string;
}

/** A validated, normalised fault as stored and listed. */
export interface Fault {
  id: string;
  kind: FaultKind;
  ms: number;
  jitterMs: number;
  status: number;
  body: string | undefined;
  contentType: string | undefined;
  headers: Record<string, string>;
  bytes: number | undefined;
  fraction: number | undefined;
  count: number;
  pieces: number;
  gapMs: number;
  match: FaultMatch;
  remaining: number | null;
  probability: number;
  from: number | null;
  to: number | null;
  hits: number;
}

export interface FaultRequest {
  path: string;
  command?: string | undefined;
}

/** Active faults one emulator holds at most; adding one more is refused (400). */
export const MAX_ACTIVE_FAULTS = 1_000;


/**
 * Holds the active faults of one emulator and decides, per request, which apply. Decisions use the
 * emulator's seeded generator, so a fault with a probability fires on the same requests in every
 * run with the same seed and traffic.
 */
export class FaultInjector {
  private faults: Fault[] = [];
  private nextId = 1;

  constructor(
    private readonly supported: readonly FaultKind[],
    private readonly rng: Rng,
    private readonly now: () => number,
  ) {}

  add(spec: unknown): Fault {
    const fault = this.normalise(spec);
    // Bounded like every other store of the control API: each fault can hold a 256 KiB body, and every device request walks the list.
    this.expire(this.now());
    if (this.faults.length >= MAX_ACTIVE_FAULTS) throw new ControlInputError(`at most ${MAX_ACTIVE_FAULTS} faults at once; remove some first (DELETE /__emu/faults)`);
    this.faults.push(fault);
    return { ...fault };
  }

  list(): Fault[] {
    this.expire(this.now());
    return this.faults.map((f) => ({ ...f }));
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length !== before;
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault kinds this device's transport applies. */
  get kinds(): readonly FaultKind[] {
    return this.supported;
  }

  get active(): boolean {
    return this.faults.length > 0;
  }

  /**
   * The faults that fire for this request, in the order they were added; consumes `times`. `kinds`: only faults
   * of these kinds are considered (a transport that can apply only some, e.g. WebSocket frames), the others are
   * left untouched.
   */
  decide(request: FaultRequest, kinds?: readonly FaultKind[]): Fault[] {
    if (this.faults.length === 0) return [];
    const now = this.now();
    this.expire(now);
    const fired: Fault[] = [];
    for (const fault of this.faults) {
      if (kinds !== undefined && !kinds.includes(fault.kind)) continue;
      if (now < (fault.from ?? now)) continue; // held back until `from`, if it has one
      if (fault.match.path !== undefined && fault.match.path !== request.path) continue;
      if (fault.match.command !== undefined && fault.match.command !== request.command) continue;
      if (fault.probability < 1 && this.rng.next() >= fault.probability) continue;
      fault.hits++;
      if (fault.remaining !== null) fault.remaining--;
      fired.push({ ...fault });
    }
    this.faults = this.faults.filter((f) => f.remaining === null || f.remaining > 0);
    return fired;
  }

  /** Wall-time latency for a fault of kind latency/delay, jitter drawn from the seeded generator. */
  latencyOf(fault: Fault): number {
    return fault.ms + (fault.jitterMs > 0 ? this.rng.next() * fault.jitterMs : 0);
  }

  get random(): Rng {
    return this.rng;
  }

  private expire(now: number): void {
    this.faults = this.faults.filter((f) => f.to === null || now < f.to);
  }

  private normalise(input: unknown): Fault {
    // Types, ranges and known fields come from the schema; what is left depends on this device and on now.
    const spec = checkInput(FaultSpecSchema, input, 'fault');
    const kind = spec.kind;
    if (!this.supported.includes(kind)) {
      throw new ControlInputError(`fault kind ${JSON.stringify(kind)} is not supported here; use one of: ${this.supported.join(', ')}`);
    }
    if (kind === 'status' && spec.status === undefined) throw new ControlInputError('a "status" fault needs a "status" code, e.g. {"kind":"status","status":503}');
    const now = this.now();
    const from = instantMs(spec.from);
    let to = instantMs(spec.to);
    if (spec.for !== undefined) {
      if (to !== null) throw new ControlInputError('give a fault either "to" or "for", not both');
      to = (from ?? now) + durationMs(spec.for)!;
    }
    if (to !== null && from !== null && to <= from) throw new ControlInputError('fault window must end after it starts');
    const match = spec.match ?? {};
    const fault: Fault = {
      id: `f${this.nextId++}`,
      kind,
      ms: spec.ms === undefined ? 0 : durationMs(spec.ms)!,
      jitterMs: spec.jitterMs ?? 0,
      // The kinds that do not use a status carry 200.
      status: spec.status ?? 200,
      body: spec.body,
      contentType: spec.contentType,
      headers: spec.headers ?? {},
      bytes: spec.bytes,
      fraction: spec.fraction,
      count: spec.count ?? 1,
      pieces: spec.pieces ?? 2,
      gapMs: spec.gapMs ?? 50,
      match: { ...(match.path !== undefined ? { path: match.path } : {}), ...(match.command !== undefined ? { command: match.command } : {}) },
      remaining: spec.times ?? null,
      probability: spec.probability ?? 1,
      from,
      to,
      hits: 0,
    };
    if ((kind === 'latency' || kind === 'delay') && fault.ms === 0 && fault.jitterMs === 0) {
      throw new ControlInputError(`a "${kind}" fault needs "ms" and/or "jitterMs"`);
    }
    return fault;
  }

}

/** Keeps the first `bytes` (or `fraction`) of a body: a reply cut off mid-way. */
export function truncateBody(body: Buffer, fault: Pick<Fault, 'bytes' | 'fraction'>): Buffer {
  const keep = fault.bytes !== undefined ? fault.bytes : Math.floor(body.length * (fault.fraction ?? 0.5));
  return body.subarray(0, Math.max(0, Math.min(body.length, keep)));
}

/**
 * Changes `count` characters at seeded positions to a different printable character, the way line
 * noise corrupts a reply. Works on HTTP bodies and serial frames alike.
 */
export function corruptBytes(body: Buffer, count: number, rng: Rng): Buffer {
  const out = Buffer.from(body);
  // Distinct positions (a sparse partial Fisher–Yates), so exactly `count` characters differ:
  // hitting one position twice could change fewer, or even put the original byte back.
  const picked = new Map<number, number>();
  for (let i = 0; i < Math.min(count, out.length); i++) {
    const j = i + Math.floor(rng.next() * (out.length - i));
    const at = picked.get(j) ?? j;
    picked.set(j, picked.get(i) ?? i);
    const original = out[at]!;
    let replacement = 0x21 + Math.floor(rng.next() * 94);
    if (replacement === original) replacement = replacement === 0x7e ? 0x21 : replacement + 1;
    out[at] = replacement;
  }
  return out;
}

/**
 * Puts a backslash before `count` double quotes at seeded positions: the stray `\"` escapes some
 * SENEC devices send (ioBroker strips them before parsing). A body without quotes is unchanged.
 */
export function escapeQuotes(body: Buffer, count: number, rng: Rng): Buffer {
  const quotes: number[] = [];
  for (const [i, byte] of body.entries()) if (byte === 0x22) quotes.push(i);
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, quotes.length)) chosen.add(quotes[Math.floor(rng.next() * quotes.length)]!);
  if (chosen.size === 0) return body;
  const out = Buffer.alloc(body.length + chosen.size);
  let o = 0;
  for (const [i, byte] of body.entries()) {
    if (chosen.has(i)) out[o++] = 0x5c;
    out[o++] = byte;
  }
  return out;
}

/** Printable junk for serial "garbage" faults (never contains a frame start `~`). */
export function garbageBytes(count: number, rng: Rng): Buffer {
  return Buffer.from(
    Array.from({ length: count }, () => {
      const b = 0x20 + Math.floor(rng.next() * 95);
      return b === 0x7e ? 0x23 : b;
    }),
  );
}

/** Splits a reply into `pieces` chunks of roughly equal size, for gap-between-bytes faults. */
export function splitBytes(body: Buffer, pieces: number): Buffer[] {
  const n = Math.max(1, Math.min(Math.floor(pieces), body.length));
  const out: Buffer[] = [];
  // Boundaries at floor(k·length/n) give exactly n non-empty pieces (a fixed ceil-sized step can give fewer).
  for (let k = 0; k < n && body.length > 0; k++) {
    out.push(body.subarray(Math.floor((k * body.length) / n), Math.floor(((k + 1) * body.length) / n)));
  }
  return out;
}
