/**
 * The varserver's HTTP contract (`/auth`, `/vars`): query grammar, reply bytes, error bodies, login and session
 * cookie, value formats. The reference is tjmonk/fcgi_vars and tjmonk/fcgi_auth (the upstream of SunStrong's
 * varserver web services) plus what SunStrong's firmware and its clients show (protocol notes §5, §7.4-7.6).
 * Where SunStrong's firmware departs from upstream, the firmware wins and the doc comment says so.
 */

// ---- query grammar --------------------------------------------------------------------------------------------

/** One step of a `/vars` query, in the order the firmware applies them. */
export type VarsOperation =
  | { readonly kind: 'name'; readonly names: readonly string[] }
  | { readonly kind: 'match'; readonly pattern: string }
  | { readonly kind: 'tags'; readonly tags: readonly string[] }
  | { readonly kind: 'instance'; readonly instance: number }
  | { readonly kind: 'set'; readonly assignments: readonly { readonly name: string; readonly value: string }[] };

export type VarsFormat = 'list' | 'object';

export interface VarsQuery {
  /**
   * `cache=<id>` selects (creating it if new) a named set of variables that this query adds to and answers from;
   * `clearcache=<id>` selects and empties one. Applied first, whatever their place in the query; the last one wins.
   * Without either the query answers from the default set, emptied for each query.
   */
  readonly cache: { readonly id: string; readonly clear: boolean } | null;
  /** `name=`, `match=`, `tags=`, `instance=`, `set=` in query order. */
  readonly operations: readonly VarsOperation[];
  /** `fmt=`: only the first letter counts, `o…` is the object format, anything else the list. */
  readonly format: VarsFormat;
  /** Tokens the firmware ignores (unknown keys, a `set=` tuple without `=`): kept for logs and tests. */
  readonly ignored: readonly string[];
}

/**
 * Parses a `/vars` query: the URL query string of a GET or the raw body of a POST (any content type). The text
 * is split on `&` (empty pieces skipped, as strtok does), each piece is `key=value` with the keys above;
 * `name=` and `set=` take comma-separated lists, a `set=` tuple is split at its first `=`. Values are
 * percent-decoded (homebridge-pvs6 sends `match=%2Fsys%2Flivedata%2F*`); a bad escape is kept as written.
 * pypvs and ha-esunpower POST a single `key=value` without `&` and without encoding.
 */
export function parseVarsQuery(text: string): VarsQuery {
  let cache: VarsQuery['cache'] = null;
  let format: VarsFormat = 'list';
  const operations: VarsOperation[] = [];
  const ignored: string[] = [];
  for (const token of text.split('&')) {
    if (token === '') continue;
    const eq = token.indexOf('=');
    const key = eq === -1 ? token : token.slice(0, eq);
    const raw = eq === -1 ? '' : token.slice(eq + 1);
    const value = decode(raw);
    switch (eq === -1 ? '' : key) {
      case 'cache':
        cache = { id: value, clear: false };
        break;
      case 'clearcache':
        cache = { id: value, clear: true };
        break;
      case 'fmt':
        format = value.startsWith('o') ? 'object' : 'list';
        break;
      case 'name':
        operations.push({ kind: 'name', names: value.split(',').filter((n) => n !== '') });
        break;
      case 'match':
        operations.push({ kind: 'match', pattern: value });
        break;
      case 'tags':
        operations.push({ kind: 'tags', tags: value.split(',').filter((t) => t !== '') });
        break;
      case 'instance':
        operations.push({ kind: 'instance', instance: Number.parseInt(value, 10) || 0 });
        break;
      case 'set': {
        const assignments: { name: string; value: string }[] = [];
        for (const tuple of value.split(',')) {
          if (tuple === '') continue;
          const at = tuple.indexOf('=');
          if (at === -1) ignored.push(`set=${tuple}`);
          else assignments.push({ name: tuple.slice(0, at), value: tuple.slice(at + 1) });
        }
        operations.push({ kind: 'set', assignments });
        break;
      }
      default:
        ignored.push(token);
    }
  }
  return { cache, operations, format, ignored };
}

function decode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Whether a variable name answers a `match=` pattern: a substring match, as the varserver does; SunStrong's
 * firmware also takes `*` as "any characters" (homebridge-pvs6 sends `/sys/livedata/*` and
 * `/sys/devices/meter/*\/`), still matched anywhere in the name.
 */
export function matchesVarPattern(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return name.includes(pattern);
  const parts = pattern.split('*').filter((p) => p !== '');
  let at = 0;
  for (const part of parts) {
    const found = name.indexOf(part, at);
    if (found === -1) return false;
    at = found + part.length;
  }
  return true;
}

// ---- replies --------------------------------------------------------------------------------------------------

/** A variable as answered: its name and its printed value (a JSON object's text for the data objects). */
export interface VarValue {
  readonly name: string;
  readonly value: string;
}

/**
 * fcgi_vars's test for a value that is itself JSON (inlined unquoted): its first and last non-blank characters
 * are `{`/`}` or `[`/`]`.
 */
export function isJsonVarValue(value: string): boolean {
  const t = value.trim();
  return (t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'));
}

/**
 * The list format, byte for byte as fcgi_vars prints it:
 * `{"values" : [ { "name": "/a", "value" : "1" },{ "name": "/b", "value" : "2" }],"count": 2 }` and a newline.
 * Values are printed as they are (the firmware does not escape them); JSON values unquoted.
 */
export function formatVarsList(values: readonly VarValue[]): string {
  let out = '{"values" : [';
  values.forEach((v, i) => {
    const value = isJsonVarValue(v.value) ? v.value : `"${v.value}"`;
    out += `${i === 0 ? ' ' : ','}{ "name": "${v.name}", "value" : ${value} }`;
  });
  return `${out}],"count": ${values.length} }\n`;
}

/**
 * The object format (`fmt=obj`): `{"/a":"1","/b":"2"}` and a newline. SunStrong's addition, not in upstream
 * fcgi_vars; the documents show it only re-indented by jq, so the spacing here is an assumption.
 */
export function formatVarsObject(values: readonly VarValue[]): string {
  const body = values.map((v) => `"${v.name}":${isJsonVarValue(v.value) ? v.value : `"${v.value}"`}`).join(',');
  return `{${body}}\n`;
}

export function formatVars(values: readonly VarValue[], format: VarsFormat): string {
  return format === 'object' ? formatVarsObject(values) : formatVarsList(values);
}

/** Reads either format back into `[name, value]` pairs (values as printed; JSON objects re-serialised compactly). */
export function parseVarsReply(text: string): VarValue[] {
  const data = JSON.parse(text) as unknown;
  const str = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  if (typeof data === 'object' && data !== null && Array.isArray((data as { values?: unknown }).values)) {
    return ((data as { values: { name: string; value: unknown }[] }).values).map((v) => ({ name: v.name, value: str(v.value) }));
  }
  if (typeof data === 'object' && data !== null) return Object.entries(data).map(([name, value]) => ({ name, value: str(value) }));
  throw new Error('not a varserver reply');
}

// ---- errors ---------------------------------------------------------------------------------------------------

/**
 * `errorcode` bits of fcgi_vars (printed as `0x%04X`). The firmware ORs them as a request goes; the emulator
 * sends, per case: unknown name 0x0100; a match without hits 0x0040 (SunStrong's 400 comes after the query
 * succeeded, which sets DATA_QUERY); no session 0x0011; invalid or expired session 0x0012; bad Content-Length
 * 0x1000 / 0x0800; other methods 0x2000; a refused `set=` 0x0000.
 */
export const VARS_ERROR_BITS = Object.freeze({
  noSessionInfo: 0x01,
  sessionValidation: 0x02,
  updateUser: 0x04,
  noQuery: 0x08,
  authentication: 0x10,
  cacheQuery: 0x20,
  dataQuery: 0x40,
  setUid: 0x80,
  variableNotFound: 0x100,
  cacheAdd: 0x200,
  readOnly: 0x400,
  noContentLength: 0x800,
  invalidContentLength: 0x1000,
  unsupportedRequest: 0x2000,
});

/** A `/vars` error body: `{"status": 400, "description" : "Bad request", "errorcode" : "0x0100"}` (no newline). */
export function varsErrorBody(status: number, description: string, errorCode: number): string {
  const code = errorCode.toString(16).toUpperCase().padStart(4, '0');
  return `{"status": ${status}, "description" : "${description}", "errorcode" : "0x${code}"}`;
}

/** The `/vars` errors the firmware sends, with their status line text. */
export const VARS_ERRORS = Object.freeze({
  unknownName: { status: 400, description: 'Bad request', errorCode: VARS_ERROR_BITS.variableNotFound },
  noMatch: { status: 400, description: 'Bad request', errorCode: VARS_ERROR_BITS.dataQuery },
  badSet: { status: 400, description: 'Bad request', errorCode: 0 },
  noSession: { status: 401, description: 'Unauthorized', errorCode: VARS_ERROR_BITS.noSessionInfo | VARS_ERROR_BITS.authentication },
  badSession: { status: 401, description: 'Unauthorized', errorCode: VARS_ERROR_BITS.sessionValidation | VARS_ERROR_BITS.authentication },
  readOnly: { status: 401, description: 'Unauthorized', errorCode: 0 },
  noContentLength: { status: 413, description: 'Invalid Content-Length', errorCode: VARS_ERROR_BITS.noContentLength },
  badContentLength: { status: 413, description: 'Invalid Content-Length', errorCode: VARS_ERROR_BITS.invalidContentLength },
  method: { status: 405, description: 'Method Not Allowed', errorCode: VARS_ERROR_BITS.unsupportedRequest },
});
export type VarsErrorName = keyof typeof VARS_ERRORS;

/** Largest POST body fcgi_vars takes (1024 bytes); longer or empty bodies get 413. */
export const VARS_MAX_POST_BYTES = 1024;

/** An `/auth` error body: `{"status": 401, "description" : "Unauthorized"}` (no newline, no errorcode). */
export function authErrorBody(status: number, description: string): string {
  return `{"status": ${status}, "description" : "${description}"}`;
}

/**
 * The legacy-API refusal of the varserver firmware: `?Command=` answers 403 with this body even with a session
 * cookie (hass-sunpower#125, sunpower-pvs-exporter#20). The REST paths that need a session answer the same with
 * their path (an assumption: only the `?Command=` form, with an empty path, is on record).
 */
export function dlCgiForbiddenBody(path = ''): string {
  return `{ "status":403, "error" : "Unauthorized", "path":"${path}" }`;
}
export const LEGACY_FORBIDDEN_BODY = dlCgiForbiddenBody('');

// ---- login and session ----------------------------------------------------------------------------------------

/** User names the clients log in with: pypvs, ha-esunpower, homebridge-pvs6 use `ssm_owner`, LocalAPI.md `spwr_owner`. */
export const VARSERVER_USERS: readonly string[] = ['ssm_owner', 'spwr_owner'];

/** The default password: the last five characters of the supervisor serial. */
export function defaultVarserverPassword(serial: string): string {
  return serial.slice(-5);
}

/** Session ids are 64 characters of [A-Za-z0-9]. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9]{64}$/;
/** Session lifetime since its last use: `cfg_timeout=300` (firmware 61707); 5-8 min observed. */
export const SESSION_TIMEOUT_MS = 300_000;

export type Credentials =
  | { readonly scheme: 'basic'; readonly user: string; readonly password: string | undefined }
  | { readonly scheme: 'bearer'; readonly token: string };

/**
 * Reads an `Authorization` header as fcgi_auth does: the scheme is the first characters compared without case
 * (`basic …` from pypvs, `Basic …` from homebridge-pvs6), the token starts after the scheme and one space; a
 * basic token is base64 of `user:password` (no colon: no password). Undefined for other schemes or no header.
 */
export function parseAuthorization(header: string | undefined): Credentials | undefined {
  if (header === undefined) return undefined;
  const scheme = header.slice(0, 7).toLowerCase();
  if (scheme.startsWith('basic')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? { scheme: 'basic', user: decoded, password: undefined } : { scheme: 'basic', user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (scheme.startsWith('bearer')) return { scheme: 'bearer', token: header.slice(7).trim() };
  return undefined;
}

/** `Authorization: basic <base64(user:password)>` as pypvs sends it (pass `'Basic'` for homebridge-pvs6's spelling). */
export function basicAuthorization(user: string, password: string, scheme: 'basic' | 'Basic' = 'basic'): string {
  return `${scheme} ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** `Set-Cookie` of a login: `session=<id>; Secure; HttpOnly` (no path, no expiry: a session cookie). */
export function sessionSetCookie(session: string): string {
  return `session=${session}; Secure; HttpOnly`;
}

/** The login body, as fcgi_auth prints it: `{"session": "<id>" }` and CRLF. */
export function loginBody(session: string): string {
  return `{"session": "${session}" }\r\n`;
}

/** The `session` value of a `Cookie` header (the first one), if any. */
export function sessionFromCookie(cookie: string | undefined): string | undefined {
  if (cookie === undefined) return undefined;
  for (const part of cookie.split(';')) {
    const item = part.trim();
    if (item.startsWith('session=')) return item.slice('session='.length);
  }
  return undefined;
}

// ---- value formats --------------------------------------------------------------------------------------------

/**
 * A `float` variable as the varserver prints it: C `%f` of a single-precision value, so `40747.87` reads
 * `"40747.871094"` and `60.01` reads `"60.009998"`; NaN (no battery) reads `"nan"`.
 */
export function formatVarFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const f = Math.fround(value);
  if (!Number.isFinite(f)) return f > 0 ? 'inf' : '-inf';
  // Beyond 2^24 every float is an integer, and toFixed switches to exponents at 1e21.
  if (Math.abs(f) >= 1e21) return `${BigInt(f).toString()}.000000`;
  return Object.is(f, -0) ? '-0.000000' : f.toFixed(6);
}

/** An integer variable (`uint16`, `int32`, …) as printed: decimal digits. */
export function formatVarInteger(value: number): string {
  return String(Math.trunc(value));
}

/** `msmtEps`: the 5-minute measurement instant, `YYYY-MM-DDTHH:MM:SSZ`. */
export function formatMsmtEps(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}

/** `msmtEps` → epoch ms; undefined for anything else. */
export function parseMsmtEps(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

/** How often the varserver's device variables refresh; `msmtEps` sits on these boundaries. */
export const VARSERVER_REFRESH_MS = 300_000;
