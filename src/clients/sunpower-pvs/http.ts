/**
 * One GET with a timeout, retried with exponential backoff on the failures that are transient on a PVS:
 * 503 (supervisor restarting; also 502/504 from a proxy in front of it), connection refused/reset/hang-up,
 * timeouts, and an empty 200 body (hass-sunpower#14: "zero length seems most common"). Everything else fails at once:
 * other 4xx (a 403 will not fix itself), 500 (dl_cgi segfault, lasts until a power cycle), HTML or broken JSON.
 */
import {
  PvsConnectionError,
  PvsError,
  PvsHttpError,
  PvsParseError,
  PvsTimeoutError,
  PvsUnauthorizedError,
  PvsUnavailableError,
  type PvsErrorDetails,
} from './errors.js';
import { describeFailure } from '../failure.js';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;
export type SleepFn = (ms: number) => Promise<void>;

export interface RetryPolicy {
  /** Retries after the first attempt (so at most `retries + 1` requests). */
  readonly retries: number;
  /** Delay before the first retry; doubles on each further retry. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
}

export interface TransportConfig extends RetryPolicy {
  readonly fetch: FetchLike;
  readonly sleep: SleepFn;
}

export interface JsonResponse {
  readonly body: Record<string, unknown>;
  readonly status: number;
  readonly attempts: number;
}

const EXCERPT_CHARS = 200;
const RETRYABLE_STATUSES = new Set([502, 503, 504]);
/** Connection failures worth another try; ENOTFOUND or a bad URL are not. */
const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const HANG_UP = /socket hang up|other side closed|terminated/i;

export const defaultSleep: SleepFn = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Delay before retry number `retry` (1-based): backoffMs · 2^(retry−1), capped. */
export function backoffDelay(retry: number, policy: RetryPolicy): number {
  return Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (retry - 1));
}

export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}


/** The same promise, with a no-op handler attached so that losing a race to the timeout is not an unhandled rejection. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

type AttemptOutcome =
  | { kind: 'ok'; response: JsonResponse }
  | { kind: 'fail'; error: PvsError; retryable: boolean; retryAfterMs?: number };

/** `Retry-After` in seconds (HTTP-date form is not used by lighttpd-style pages; ignored). */
function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}

/** Parses a 2xx body as a JSON object, tolerating HTTP header lines leaked into the body (seen by sungazer). */
export function parseJsonObject(
  text: string,
  status: number,
  details: PvsErrorDetails,
): { ok: true; body: Record<string, unknown> } | { ok: false; error: PvsParseError } {
  const fail = (reason: ConstructorParameters<typeof PvsParseError>[0]) => ({
    ok: false as const,
    error: new PvsParseError(reason, status, excerpt(text), details),
  });
  const trimmed = text.trim();
  if (trimmed === '') return fail('empty');
  if (trimmed.startsWith('<')) return fail('html');
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    const jsonStart = trimmed.search(/^[{[]/m);
    if (jsonStart <= 0) return fail('invalid-json');
    try {
      parsed = JSON.parse(trimmed.slice(jsonStart));
    } catch {
      return fail('invalid-json');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('not-an-object');
  return { ok: true, body: parsed as Record<string, unknown> };
}

async function attempt(
  url: string,
  command: string,
  attemptNo: number,
  timeoutMs: number,
  config: TransportConfig,
): Promise<AttemptOutcome> {
  const details: PvsErrorDetails = { command, attempts: attemptNo, url };
  const controller = new AbortController();
  let timedOut = false;
  let rejectOnTimeout: (reason: Error) => void = () => {};
  // Races every await against the timer, so a fetch that ignores its signal (or a stalled body) still times out.
  const timeoutPromise = new Promise<never>((_, reject) => (rejectOnTimeout = reject));
  timeoutPromise.catch(() => {});
  const timer = setTimeout(() => {
    timedOut = true;
    const reason = new Error(`timeout after ${timeoutMs} ms`);
    controller.abort(reason);
    rejectOnTimeout(reason);
  }, timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await Promise.race([quiet(config.fetch(url, { method: 'GET', signal: controller.signal })), timeoutPromise]);
    // The body can break or stall after the headers: read it under the same timeout.
    text = await Promise.race([quiet(response.text()), timeoutPromise]);
  } catch (error) {
    if (timedOut) {
      return { kind: 'fail', error: new PvsTimeoutError(timeoutMs, { ...details, cause: error }), retryable: true };
    }
    const { code, message } = describeFailure(error);
    const retryable = (code !== undefined && RETRYABLE_CODES.has(code)) || HANG_UP.test(message);
    return { kind: 'fail', error: new PvsConnectionError(code, message, { ...details, cause: error }), retryable };
  } finally {
    clearTimeout(timer);
  }

  const status = response.status;
  if (status === 503) {
    return {
      kind: 'fail',
      error: new PvsUnavailableError(excerpt(text), details),
      retryable: true,
      retryAfterMs: retryAfterMs(response.headers),
    };
  }
  if (status === 401 || status === 403) {
    return { kind: 'fail', error: new PvsUnauthorizedError(status, excerpt(text), details), retryable: false };
  }
  if (status < 200 || status > 299) {
    return {
      kind: 'fail',
      error: new PvsHttpError(status, excerpt(text), details),
      retryable: RETRYABLE_STATUSES.has(status),
      retryAfterMs: retryAfterMs(response.headers),
    };
  }
  const parsed = parseJsonObject(text, status, details);
  if (!parsed.ok) return { kind: 'fail', error: parsed.error, retryable: parsed.error.reason === 'empty' };
  return { kind: 'ok', response: { body: parsed.body, status, attempts: attemptNo } };
}

/** GETs `url` and returns its JSON object body, retrying transient failures; throws a PvsError subclass. */
export async function getJsonObject(
  url: string,
  command: string,
  timeoutMs: number,
  config: TransportConfig,
): Promise<JsonResponse> {
  const maxAttempts = Math.max(1, Math.floor(config.retries) + 1);
  for (let attemptNo = 1; ; attemptNo++) {
    const outcome = await attempt(url, command, attemptNo, timeoutMs, config);
    if (outcome.kind === 'ok') return outcome.response;
    if (!outcome.retryable || attemptNo >= maxAttempts) throw outcome.error;
    const delay = Math.min(config.maxBackoffMs, Math.max(backoffDelay(attemptNo, config), outcome.retryAfterMs ?? 0));
    await config.sleep(delay);
  }
}
