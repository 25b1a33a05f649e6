// Secrets out of the recording file (never out of the live traffic): Growatt API tokens, cookie values,
// authorization headers, SENEC installer credentials in lala.cgi JSON. (The header's target never carries
// credentials, whatever the setting: see describeTarget.)

import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { REDACTED } from './format.js';

/** Names written to the header's `redacted` list: what the recorder replaces in an HTTP recording. */
export const HTTP_REDACTIONS: readonly string[] = [
  'header:token',
  'header:authorization',
  'header:proxy-authorization',
  'header:cookie',
  'header:set-cookie',
  'param:token',
  'json:USERNAME',
  'json:PASSWORD',
];

/** Serial frames carry no credentials (YD/T 1363.3 has no login): nothing to replace. */
export const SERIAL_REDACTIONS: readonly string[] = [];

const SECRET_HEADERS = new Set(['token', 'authorization', 'proxy-authorization']);
const SECRET_PARAMS = new Set(['token']);

export type RecordedHeaders = Record<string, string | string[]>;

/** `a=1; b=2` → `a=REDACTED; b=REDACTED`: the names say which cookies were sent, the values are the secret. */
export function redactCookieHeader(value: string): string {
  return value.replace(/(^|;)(\s*)([^=;]*)=([^;]*)/g, (_m, sep: string, space: string, name: string) => `${sep}${space}${name}=${REDACTED}`);
}

/** Only the first `name=value` of a Set-Cookie is the cookie; `Path=/`, `Max-Age=3600` and friends stay readable. */
export function redactSetCookie(value: string): string {
  const semi = value.indexOf(';');
  const pair = semi === -1 ? value : value.slice(0, semi);
  const rest = semi === -1 ? '' : value.slice(semi);
  const eq = pair.indexOf('=');
  return `${eq === -1 ? REDACTED : `${pair.slice(0, eq)}=${REDACTED}`}${rest}`;
}

export function redactHeaders(headers: RecordedHeaders): RecordedHeaders {
  const out: RecordedHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (SECRET_HEADERS.has(name)) out[name] = Array.isArray(value) ? value.map(() => REDACTED) : REDACTED;
    else if (name === 'cookie') out[name] = Array.isArray(value) ? value.map(redactCookieHeader) : redactCookieHeader(value);
    else if (name === 'set-cookie') out[name] = Array.isArray(value) ? value.map(redactSetCookie) : redactSetCookie(value);
    else out[name] = value;
  }
  return out;
}

function paramName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/** `a=1&token=abc` → `a=1&token=REDACTED`; everything else keeps its exact spelling. */
export function redactParams(query: string): string {
  return query
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      const name = eq === -1 ? part : part.slice(0, eq);
      return eq !== -1 && SECRET_PARAMS.has(paramName(name)) ? `${name}=${REDACTED}` : part;
    })
    .join('&');
}

/** Path and query as sent, with secret query parameters replaced. */
export function redactUrl(pathAndQuery: string): string {
  const q = pathAndQuery.indexOf('?');
  return q === -1 ? pathAndQuery : `${pathAndQuery.slice(0, q + 1)}${redactParams(pathAndQuery.slice(q + 1))}`;
}

// A JSON string member named USERNAME or PASSWORD (any case), e.g. SENEC's "PASSWORD":"st_secret".
const JSON_SECRET = /"(username|password)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/gi;
// SENEC values carry a wire type prefix (st_, u8_, …); keeping it keeps a replayed echo decodable.
const WIRE_PREFIX = /^[a-z][a-z0-9]{0,3}_/;

/**
 * SENEC's credentials inside a lala.cgi body (request and echo). Empty values (`"PASSWORD":""`, `"st_"`) ask to
 * read and hold no secret, so they stay as they are.
 */
export function redactJsonText(text: string): string {
  return text.replace(JSON_SECRET, (match, key: string, colon: string, value: string) => {
    const prefix = WIRE_PREFIX.exec(value)?.[0] ?? '';
    if (value.length === prefix.length) return match;
    return `"${key}"${colon}"${prefix}${REDACTED}"`;
  });
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A body with its secrets replaced, or the same Buffer when there was nothing to replace (or it is not text).
 * JSON is recognised by its first character, not the content type: the SENEC GUI posts JSON labelled as a form.
 */
export function redactBody(body: Buffer): Buffer {
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    return body;
  }
  const trimmed = text.trimStart();
  const redacted = trimmed.startsWith('{') || trimmed.startsWith('[') ? redactJsonText(text) : redactParams(text);
  return redacted === text ? body : Buffer.from(redacted, 'utf8');
}

function decompress(body: Buffer, encoding: string): Buffer | null {
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(body);
    if (encoding === 'deflate') return inflateSync(body);
    if (encoding === 'br') return brotliDecompressSync(body);
  } catch {
    return null;
  }
  return null;
}

/**
 * The recorded form of a response body. A compressed body hides its secrets from redactBody, so it is
 * decompressed; when that reveals something to replace, the file keeps the redacted plain body and drops
 * `content-encoding` (replay then serves it uncompressed, which every client accepts).
 */
export function redactResponse(headers: RecordedHeaders, body: Buffer): { headers: RecordedHeaders; body: Buffer } {
  const redactedHeaders = redactHeaders(headers);
  const encoding = headers['content-encoding'];
  if (typeof encoding === 'string' && encoding.trim() !== '' && encoding.trim().toLowerCase() !== 'identity') {
    const plain = decompress(body, encoding.trim().toLowerCase());
    if (plain === null) return { headers: redactedHeaders, body };
    const cleaned = redactBody(plain);
    if (cleaned === plain) return { headers: redactedHeaders, body };
    const { 'content-encoding': _dropped, ...rest } = redactedHeaders;
    if ('content-length' in rest) rest['content-length'] = String(cleaned.length);
    return { headers: rest, body: cleaned };
  }
  return { headers: redactedHeaders, body: redactBody(body) };
}
