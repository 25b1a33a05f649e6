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

// ---- the varserver firmware (PVS6 ≥ 61840, PVS5 ≥ 5408) ------------------------------------------------------

/** `/auth?login` refused the credentials (401): wrong user or password (the password is the serial's last five characters). */
export class PvsLoginError extends PvsHttpError {
  readonly user: string;

  constructor(status: number, bodyExcerpt: string, user: string, details: PvsErrorDetails) {
    super(status, bodyExcerpt, details, `HTTP ${status}: login refused for user ${JSON.stringify(user)} (the password is the last 5 characters of the serial)${bodyExcerpt ? `: ${bodyExcerpt}` : ''}`);
    this.user = user;
  }
}

/** The varserver refused the session (401/403/500) even after a fresh login: the session or the user's role. */
export class PvsSessionError extends PvsHttpError {
  constructor(status: number, bodyExcerpt: string, details: PvsErrorDetails) {
    super(status, bodyExcerpt, details, `HTTP ${status}: the varserver refused the session after a fresh login${bodyExcerpt ? `: ${bodyExcerpt}` : ''}`);
  }
}

/** Why `/vars` refused a query, from its status and `errorcode` (fcgi_vars's bits). */
export type PvsVarsFailure = 'unknown-variable' | 'no-match' | 'bad-request' | 'content-length' | 'method';

/**
 * `/vars` answered 400 (an unknown name; a `match` without hits on SunStrong firmware; a `set=` it refused),
 * 413 (a POST body empty or over 1024 bytes) or 405. A 400 is not a session problem: ha-esunpower reads it as
 * "no devices of this kind".
 */
export class PvsVarsError extends PvsHttpError {
  readonly reason: PvsVarsFailure;
  /** The body's `errorcode` ("0x0100" → 256), when it has one. */
  readonly errorCode: number | undefined;
  /** The query as sent (GET query string or POST body). */
  readonly query: string;

  constructor(status: number, bodyExcerpt: string, reason: PvsVarsFailure, errorCode: number | undefined, query: string, details: PvsErrorDetails) {
    const what = {
      'unknown-variable': 'no such variable',
      'no-match': 'no variable matches',
      'bad-request': 'bad request',
      'content-length': 'POST body empty or over 1024 bytes',
      method: 'method not allowed',
    }[reason];
    super(status, bodyExcerpt, details, `HTTP ${status}: ${what} (${query.length > 120 ? `${query.slice(0, 120)}…` : query})`);
    this.reason = reason;
    this.errorCode = errorCode;
    this.query = query;
  }
}

/**
 * The supervisor does not serve this API: `/auth` or `/vars` answered 404 (legacy firmware has no varserver), or
 * (for the era-picking client) the legacy commands answered 403 (varserver firmware). `found` is what the
 * supervisor runs, as far as this answer tells.
 */
export class PvsWrongEraError extends PvsError {
  readonly expected: 'legacy' | 'varserver';
  readonly found: 'legacy' | 'varserver';

  constructor(expected: 'legacy' | 'varserver', found: 'legacy' | 'varserver', details: PvsErrorDetails) {
    super(`the supervisor runs ${found} firmware, not ${expected} (a firmware update?)`, details);
    this.expected = expected;
    this.found = found;
  }
}

/** The HTTPS certificate's SHA-256 fingerprint is not the pinned one (a given pin, or the first one seen). */
export class PvsCertificateMismatchError extends PvsError {
  readonly expected: string;
  readonly actual: string;

  constructor(expected: string, actual: string, details: PvsErrorDetails) {
    super(`certificate fingerprint ${actual} is not the pinned ${expected}`, details);
    this.expected = expected;
    this.actual = actual;
  }
}

/** The telemetry WebSocket cannot work on this supervisor: no `/sys/telemetryws/enable` (a PVS5), or no varserver. */
export class PvsTelemetryUnavailableError extends PvsError {
  constructor(reason: string, details: PvsErrorDetails) {
    super(`no telemetry WebSocket: ${reason}`, details);
  }
}
