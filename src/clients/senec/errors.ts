/**
 * Errors of the SENEC lala.cgi client. Transport errors say which URL failed and after how many attempts, so an
 * integration can tell "device busy, try later" (504 from its nginx, timeouts) from "wrong certificate" or
 * "the device refused the write".
 */
import type { Marker } from '../../../contracts/senec/index.js';
import type { DecodedField } from './decode.js';

export interface SenecErrorDetails {
  readonly url?: string;
  /** Requests sent for the failing piece before giving up (1 when the error was not retryable). */
  readonly attempts?: number;
  readonly cause?: unknown;
}

const EXCERPT_CHARS = 200;

/** The first characters of a body, whitespace flattened, for messages. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

export class SenecError extends Error {
  readonly url: string | undefined;
  readonly attempts: number | undefined;

  constructor(message: string, details: SenecErrorDetails = {}) {
    const suffix =
      details.attempts === undefined ? '' : ` (after ${details.attempts} attempt${details.attempts === 1 ? '' : 's'})`;
    super(`${message}${suffix}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.url = details.url;
    this.attempts = details.attempts;
  }
}

/** A non-2xx status, e.g. the device's nginx answering `504 Gateway Time-out` with an HTML page. */
export class SenecHttpError extends SenecError {
  readonly status: number;
  /** The whole response body as text. */
  readonly body: string;

  constructor(status: number, body: string, details: SenecErrorDetails) {
    const text = excerpt(body);
    super(`HTTP ${status}${text ? `: ${text}` : ''}`, details);
    this.status = status;
    this.body = body;
  }
}

/** No complete answer within the per-piece timeout (the device hangs under load). */
export class SenecTimeoutError extends SenecError {
  readonly timeoutMs: number;

  constructor(timeoutMs: number, details: SenecErrorDetails) {
    super(`no complete response within ${timeoutMs} ms`, details);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The connection failed or broke: refused (port 80 on firmware ≥ 0825), reset, hang-up, DNS failure, or a TLS
 * handshake that failed verification against the configured CA (`code` is then the OpenSSL/Node code, e.g.
 * `UNABLE_TO_VERIFY_LEAF_SIGNATURE` or `ERR_TLS_CERT_ALTNAME_INVALID`).
 */
export class SenecConnectionError extends SenecError {
  readonly code: string | undefined;

  constructor(code: string | undefined, reason: string, details: SenecErrorDetails) {
    super(`connection failed${code ? ` (${code})` : ''}: ${reason}`, details);
    this.code = code;
  }
}

export type SenecParseFailure = 'empty' | 'html' | 'invalid-json' | 'not-an-object' | 'too-large';

/** A 2xx body that is not a lala.cgi JSON object: truncated (requests ≳ 12 KB), corrupt, an HTML page... */
export class SenecParseError extends SenecError {
  readonly reason: SenecParseFailure;
  readonly status: number;
  /** The raw body as received (before any `\"` repair). */
  readonly body: string;

  constructor(reason: SenecParseFailure, status: number, body: string, details: SenecErrorDetails) {
    const what = {
      empty: 'empty body',
      html: 'HTML page instead of JSON',
      'invalid-json': 'body is not valid JSON (truncated or corrupt)',
      'not-an-object': 'body is not a JSON object of objects',
      'too-large': 'body exceeds the size limit',
    }[reason];
    const text = excerpt(body);
    super(`${what} (HTTP ${status})${text ? `: ${text}` : ''}`, details);
    this.reason = reason;
    this.status = status;
    this.body = body;
  }
}

/** The device presented a certificate other than the pinned (or first-seen) one. */
export class SenecCertificateMismatchError extends SenecError {
  /** SHA-256 fingerprints in Node's `AA:BB:…` form. */
  readonly expected: string;
  readonly actual: string;

  constructor(expected: string, actual: string, details: SenecErrorDetails) {
    super(`certificate fingerprint ${actual} does not match the pinned ${expected}`, details);
    this.expected = expected;
    this.actual = actual;
  }
}

export interface RejectedWrite {
  readonly key: string;
  /** What came back instead of the written value. */
  readonly marker: Marker;
}

/**
 * A write whose echo says it did not happen: `MALFORMED_VALUE` or `FORBIDDEN` (below the needed user level), and also
 * `VARIABLE_NOT_FOUND` / `OBJECT_NOT_FOUND` (nothing to write to on this firmware).
 */
export class SenecWriteRejectedError extends SenecError {
  readonly object: string;
  readonly rejected: readonly RejectedWrite[];
  /** The decoded echo of the whole object (empty when the object was not found). */
  readonly echo: Readonly<Record<string, DecodedField>>;

  constructor(
    object: string,
    rejected: readonly RejectedWrite[],
    echo: Readonly<Record<string, DecodedField>>,
    details: SenecErrorDetails = {},
  ) {
    const list = rejected.map((r) => `${object}.${r.key}: ${r.marker}`).join(', ');
    super(`write rejected: ${list}`, details);
    this.object = object;
    this.rejected = rejected;
    this.echo = echo;
  }
}

/**
 * A convenience read needed a value the device did not give: a marker (`VARIABLE_NOT_FOUND` on this firmware), a
 * malformed string, a missing key, or a text where a number belongs. `read()` never throws this.
 */
export class SenecMissingValueError extends SenecError {
  readonly object: string;
  readonly key: string;
  readonly got: DecodedField | undefined;

  constructor(object: string, key: string, got: DecodedField | undefined, what: string) {
    super(`${object}.${key}: ${what}`);
    this.object = object;
    this.key = key;
    this.got = got;
  }
}
