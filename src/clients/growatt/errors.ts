/**
 * Errors of the Growatt OpenAPI v1 client. The service answers HTTP 200 for API errors and reuses codes 10001-10009
 * (and 10012/10013) with different meanings per endpoint, so API errors are classified by (endpoint, code) in
 * classify.ts; these classes only carry the facts.
 */
import { ENDPOINTS, lookupError, type EndpointId, type ErrorSpec } from '../../../contracts/growatt/index.js';

const EXCERPT_CHARS = 200;

/** The first characters of a body, whitespace flattened, for messages. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

export class GrowattError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

export interface ApiErrorInit {
  readonly endpoint: EndpointId;
  readonly code: number;
  /** `error_msg` as the server sent it, or the client's own description for a local error. */
  readonly errorMsg: string;
  /**
   * True when the client refused the call before sending it. `code` is then the code the server documents for the
   * same mistake on that endpoint (e.g. 10008 "value out of range" for a mixSet percentage above 100).
   */
  readonly local?: boolean;
  /** Requests sent before giving up (only rate-limit errors are retried). Default 1; 0 for local errors. */
  readonly attempts?: number;
}

/** A reply with a non-zero `error_code`. Subclasses say what kind of failure the code means on that endpoint. */
export class GrowattApiError extends GrowattError {
  readonly endpoint: EndpointId;
  readonly code: number;
  readonly errorMsg: string;
  /** The contract's entry for the code on this endpoint (endpoint table first, global second), if documented. */
  readonly spec: ErrorSpec | undefined;
  readonly local: boolean;
  readonly attempts: number;

  constructor(init: ApiErrorInit) {
    const spec = lookupError(init.endpoint, init.code);
    const origin = init.local === true ? 'refused locally' : `answered ${init.code}`;
    const meaning = spec === undefined || spec.meaning === init.errorMsg ? '' : ` (${spec.meaning})`;
    super(`${ENDPOINTS[init.endpoint].path} ${origin}: ${init.errorMsg || '(no error_msg)'}${meaning}`);
    this.endpoint = init.endpoint;
    this.code = init.code;
    this.errorMsg = init.errorMsg;
    this.spec = spec;
    this.local = init.local === true;
    this.attempts = init.attempts ?? (this.local ? 0 : 1);
  }
}

/** 10011: bad token, or a token used on another region's host. Home Assistant re-authenticates on this. */
export class GrowattAuthError extends GrowattApiError {}

/** 10012 on a reader: the call was repeated within its window (or another client on the same token used it). */
export class GrowattRateLimitError extends GrowattApiError {}

/** The plant, device or user does not exist (10012 on mixSet; 10002, 10003 or 10005 elsewhere). */
export class GrowattNotFoundError extends GrowattApiError {}

/** A request parameter was rejected: SN, date, range, paging, parameter type or value. */
export class GrowattParameterError extends GrowattApiError {}

/** The device or its datalogger is offline (readMixParam and mixSet). */
export class GrowattOfflineError extends GrowattApiError {}

/** -1: an old `server*.growatt.com` host; use an `openapi*` host. */
export class GrowattNewDomainError extends GrowattApiError {}

/** A status other than 200 (WAF blocks, HTML pages from legacy hosts). */
export class GrowattHttpError extends GrowattError {
  readonly status: number;
  readonly body: string;
  readonly url: string;

  constructor(status: number, body: string, url: string) {
    const text = excerpt(body);
    super(`HTTP ${status} from ${url}${text ? `: ${text}` : ''}`);
    this.status = status;
    this.body = body;
    this.url = url;
  }
}

export type ProtocolFailure =
  | 'not-json'
  | 'not-an-object'
  | 'error-code-missing'
  | 'error-code-not-integer'
  | 'schema';

/**
 * A 200 reply that is not a v1 envelope: not JSON, not an object, `error_code` missing or not an integer (growattServer
 * raises KeyError on a missing code and treats `"0"` as an error), or, with validation on, a body that breaks the
 * contract schema (`errors` lists the violations).
 */
export class GrowattProtocolError extends GrowattError {
  readonly endpoint: EndpointId;
  readonly reason: ProtocolFailure;
  readonly body: string;
  readonly errors: readonly string[];

  constructor(endpoint: EndpointId, reason: ProtocolFailure, body: string, errors: readonly string[] = []) {
    const what = {
      'not-json': 'body is not JSON',
      'not-an-object': 'body is not a JSON object',
      'error-code-missing': 'error_code is missing',
      'error-code-not-integer': 'error_code is not an integer',
      schema: 'reply breaks the contract schema',
    }[reason];
    const detail = errors.length > 0 ? `: ${errors.join('; ')}` : `: ${excerpt(body)}`;
    super(`${ENDPOINTS[endpoint].path}: ${what}${detail}`);
    this.endpoint = endpoint;
    this.reason = reason;
    this.body = body;
    this.errors = errors;
  }
}

/** No complete reply within `timeoutMs` (default fetch transport). */
export class GrowattTimeoutError extends GrowattError {
  readonly timeoutMs: number;
  readonly url: string;

  constructor(timeoutMs: number, url: string, cause?: unknown) {
    super(`no complete reply from ${url} within ${timeoutMs} ms`, { cause });
    this.timeoutMs = timeoutMs;
    this.url = url;
  }
}

/** The request did not get an HTTP reply at all: refused, reset, DNS failure, TLS failure. */
export class GrowattConnectionError extends GrowattError {
  readonly url: string;

  constructor(url: string, cause: unknown) {
    const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
    super(`request to ${url} failed: ${reason}`, { cause });
    this.url = url;
  }
}

/** The endpoint's daily cap (plant/list, plant/energy: 10 a day) is used up; thrown locally without sending. */
export class GrowattDailyCapError extends GrowattError {
  readonly endpoint: EndpointId;
  readonly cap: number;
  /** Epoch ms when the next server day (UTC+8) starts and the cap resets. */
  readonly resetsAt: number;

  constructor(endpoint: EndpointId, cap: number, resetsAt: number) {
    super(`${ENDPOINTS[endpoint].path}: daily cap of ${cap} calls used up until ${new Date(resetsAt).toISOString()}`);
    this.endpoint = endpoint;
    this.cap = cap;
    this.resetsAt = resetsAt;
  }
}
