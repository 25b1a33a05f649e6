/**
 * Errors of the KEHUA UPS client. Each says which command failed and after how many attempts, so an integration can
 * tell a quiet line (timeout: wrong address, baud rate or cable) from line noise (frame / checksum errors, retried)
 * from a unit that understood and refused (RTN errors: wrong VER, unknown command, invalid data...).
 */
import { Rtn, describeRtn } from '../../../contracts/kehua-ups/index.js';
import type { FrameErrorKind } from '../../../contracts/kehua-ups/index.js';

export interface UpsErrorDetails {
  /** CID2 of the request that failed. */
  readonly command?: number;
  /** Requests sent for it before giving up (1 when the error was not retryable). */
  readonly attempts?: number;
  readonly cause?: unknown;
}

/** `41H`, `C0H`: how the protocol notes name a command. */
export function hexByte(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

/** A frame with its CR shown, for messages. */
export function printableFrame(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => (c === '\r' ? '\\r' : `\\x${hexByte(c.charCodeAt(0)).toLowerCase()}`));
}

export class UpsError extends Error {
  readonly command: number | undefined;
  readonly attempts: number | undefined;

  constructor(message: string, details: UpsErrorDetails = {}) {
    const prefix = details.command === undefined ? '' : `${hexByte(details.command)}H: `;
    const suffix =
      details.attempts === undefined ? '' : ` (after ${details.attempts} attempt${details.attempts === 1 ? '' : 's'})`;
    super(`${prefix}${message}${suffix}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.command = details.command;
    this.attempts = details.attempts;
  }
}

/** The line could not be opened, broke, or the client was closed (`code` 'CLOSED'). */
export class UpsConnectionError extends UpsError {
  /** System or serialport error code when known (ECONNREFUSED, ECONNRESET, 'CLOSED'...). */
  readonly code: string | undefined;
  /** What went wrong, without the prefixes of the message. */
  readonly reason: string;

  constructor(code: string | undefined, reason: string, details: UpsErrorDetails = {}) {
    super(`connection failed${code ? ` (${code})` : ''}: ${reason}`, details);
    this.code = code;
    this.reason = reason;
  }
}

/** No complete reply for our address within the timeout: a dropped reply, another address, a wrong VER line... */
export class UpsTimeoutError extends UpsError {
  readonly timeoutMs: number;
  /** The unfinished frame held when time ran out ('' when nothing arrived). */
  readonly partial: string;

  constructor(timeoutMs: number, partial: string, details: UpsErrorDetails = {}) {
    const got = partial === '' ? '' : `; ${partial.length} characters of a frame arrived`;
    super(`no reply within ${timeoutMs} ms${got}`, details);
    this.timeoutMs = timeoutMs;
    this.partial = partial;
  }
}

/** A reply that is not a well-formed frame (bad length, missing EOI, non-hex characters): line noise. Retried. */
export class UpsFrameError extends UpsError {
  readonly kind: FrameErrorKind;
  /** The reply as received, SOI through EOI. */
  readonly frame: string;
  /** Character offset of the offending field, where known. */
  readonly offset: number | undefined;

  constructor(kind: FrameErrorKind, reason: string, frame: string, offset: number | undefined, details: UpsErrorDetails = {}) {
    super(`corrupt reply (${kind}): ${reason}: ${printableFrame(frame)}`, details);
    this.kind = kind;
    this.frame = frame;
    this.offset = offset;
  }
}

/** A reply whose LCHKSUM or CHKSUM does not verify: line noise. Retried. */
export class UpsChecksumError extends UpsFrameError {}

/** RTN byte names from the contract's Rtn table ('VerError', 'ChksumError'...), plus the unnamed ranges. */
export type UpsRtnCode = Exclude<keyof typeof Rtn, 'Normal'> | 'VendorDefined' | 'Reserved';

const RTN_NAMES = new Map<number, UpsRtnCode>(
  (Object.entries(Rtn) as [keyof typeof Rtn, number][]).filter(([name]) => name !== 'Normal').map(([name, code]) => [code, name as UpsRtnCode]),
);

/** The name of a (non-zero) RTN byte. */
export function rtnCode(rtn: number): UpsRtnCode {
  return RTN_NAMES.get(rtn) ?? (rtn >= 0x80 && rtn <= 0xef ? 'VendorDefined' : 'Reserved');
}

/**
 * The unit answered with a non-zero RTN. 01H: our VER is not the unit's (readProtocolVersion() tells its VER);
 * 02H/03H: our request arrived corrupted (retried); 04H: the unit does not know the command; 05H: wrong INFO length;
 * 06H: invalid data (e.g. an unknown 45H command type); E1H etc.: vendor codes (the unit could not do it now).
 */
export class UpsRtnError extends UpsError {
  readonly rtn: number;
  readonly meaning: string;
  readonly code: UpsRtnCode;
  /** The reply as received. */
  readonly frame: string;

  constructor(rtn: number, frame: string, details: UpsErrorDetails = {}) {
    const meaning = describeRtn(rtn);
    super(`unit answered RTN ${hexByte(rtn)}H (${meaning})`, details);
    this.rtn = rtn;
    this.meaning = meaning;
    this.code = rtnCode(rtn);
    this.frame = frame;
  }
}

export type UpsReplyProblem = 'unexpected-cid1' | 'info-too-short' | 'unexpected-info';

/**
 * A valid frame from our address that does not answer what was asked: another device type, or an INFO too short for
 * the map's layout (often a layout profile mismatch: 'ul33' expects the X byte that 'plain' units do not send).
 */
export class UpsReplyError extends UpsError {
  readonly problem: UpsReplyProblem;
  readonly frame: string;

  constructor(problem: UpsReplyProblem, reason: string, frame: string, details: UpsErrorDetails = {}) {
    super(`unexpected reply (${problem}): ${reason}`, details);
    this.problem = problem;
    this.frame = frame;
  }
}

/** Worth another attempt: line noise or silence, or the unit saying our request arrived corrupted (RTN 02H/03H). */
export function isRetryable(error: unknown): boolean {
  if (error instanceof UpsTimeoutError || error instanceof UpsFrameError) return true;
  return error instanceof UpsRtnError && (error.rtn === Rtn.ChksumError || error.rtn === Rtn.LchksumError);
}
