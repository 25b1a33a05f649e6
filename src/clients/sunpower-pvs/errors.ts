/**
 * Errors of the PVS client. Each says what happened, on which command, after how many attempts, so an integration
 * can tell "supervisor restarting, try later" (503) from "new firmware, legacy API locked" (403) from "broken body".
 */

/** What the client was doing: a dl_cgi command name, or `ess-status` for the ESS endpoint. */
export type PvsOperation = string;

export interface PvsErrorDetails {
  readonly command: PvsOperation;
  readonly attempts: number;
  readonly url: string;
  readonly cause?: unknown;
}

export class PvsError extends Error {
  readonly command: PvsOperation;
  /** Requests sent before giving up (1 when the error was not retryable). */
  readonly attempts: number;
  readonly url: string;

  constructor(message: string, details: PvsErrorDetails) {
    super(`${details.command}: ${message} (after ${details.attempts} attempt${details.attempts === 1 ? '' : 's'})`, {
      cause: details.cause,
    });
    this.name = new.target.name;
    this.command = details.command;
    this.attempts = details.attempts;
    this.url = details.url;
  }
}

/** A non-2xx HTTP status. */
export class PvsHttpError extends PvsError {
  readonly status: number;
  /** The first characters of the body, for logs. */
  readonly bodyExcerpt: string;

  constructor(status: number, bodyExcerpt: string, details: PvsErrorDetails, message?: string) {
    super(message ?? `HTTP ${status}${bodyExcerpt ? `: ${bodyExcerpt}` : ''}`, details);
    this.status = status;
    this.bodyExcerpt = bodyExcerpt;
  }
}

/** HTTP 503: the supervisor is unavailable, typically restarting (it lasts minutes; `dl_uptime` resets after). */
export class PvsUnavailableError extends PvsHttpError {
  constructor(bodyExcerpt: string, details: PvsErrorDetails) {
    super(503, bodyExcerpt, details, 'HTTP 503: supervisor unavailable (restarting or busy)');
  }
}

/**
 * HTTP 401/403. On PVS6 ≥ build 61840 / PVS5 ≥ 5408 the legacy API always answers 403
 * `{"status":403,"error":"Unauthorized"}` (use the varserver instead); on older firmware it is a glitch that lasts
 * until a power cycle.
 */
export class PvsUnauthorizedError extends PvsHttpError {
  constructor(status: number, bodyExcerpt: string, details: PvsErrorDetails) {
    super(
      status,
      bodyExcerpt,
      details,
      `HTTP ${status}: unauthorized (new firmware locks the legacy API; old firmware glitch)${bodyExcerpt ? `: ${bodyExcerpt}` : ''}`,
    );
  }
}

/** No answer within the timeout (DeviceList can legitimately take over a minute). */
export class PvsTimeoutError extends PvsError {
  readonly timeoutMs: number;

  constructor(timeoutMs: number, details: PvsErrorDetails) {
    super(`no response within ${timeoutMs} ms`, details);
    this.timeoutMs = timeoutMs;
  }
}

/** The TCP connection failed or broke: refused, reset, socket hang up, DNS failure... */
export class PvsConnectionError extends PvsError {
  /** System or undici error code when known (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET...). */
  readonly code: string | undefined;

  constructor(code: string | undefined, reason: string, details: PvsErrorDetails) {
    super(`connection failed${code ? ` (${code})` : ''}: ${reason}`, details);
    this.code = code;
  }
}

export type PvsParseFailure = 'empty' | 'html' | 'invalid-json' | 'not-an-object';

/** A 2xx response whose body is not the JSON object expected (empty, an HTML page, truncated JSON...). */
export class PvsParseError extends PvsError {
  readonly reason: PvsParseFailure;
  readonly status: number;
  readonly bodyExcerpt: string;

  constructor(reason: PvsParseFailure, status: number, bodyExcerpt: string, details: PvsErrorDetails) {
    const what = {
      empty: 'empty body',
      html: 'HTML page instead of JSON',
      'invalid-json': 'body is not valid JSON',
      'not-an-object': 'JSON body is not an object',
    }[reason];
    super(`${what} (HTTP ${status})${bodyExcerpt ? `: ${bodyExcerpt}` : ''}`, details);
    this.reason = reason;
    this.status = status;
    this.bodyExcerpt = bodyExcerpt;
  }
}

/**
 * Valid JSON that is not a successful answer to the command: `result` other than `succeed`, a JSON body without
 * `devices` for DeviceList (such as `{"status":403,"error":"Unauthorized"}` served with 200), a missing `ess_report`,
 * or a body that fails the contract when the client runs in strict mode.
 */
export class PvsProtocolError extends PvsError {
  /** The `result` field of the body, when it has one. */
  readonly result: string | undefined;
  readonly body: unknown;
  /** Contract violations (strict mode only). */
  readonly violations: readonly string[];

  constructor(message: string, body: unknown, details: PvsErrorDetails, violations: readonly string[] = []) {
    super(message, details);
    const result = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['result'] : undefined;
    this.result = typeof result === 'string' ? result : undefined;
    this.body = body;
    this.violations = violations;
  }
}

/** `{"result":"unknown command"}`: this firmware does not implement the command (seen for DeviceDetails). */
export class PvsUnknownCommandError extends PvsProtocolError {
  constructor(body: unknown, details: PvsErrorDetails) {
    super('the supervisor does not know this command ({"result":"unknown command"})', body, details);
  }
}
