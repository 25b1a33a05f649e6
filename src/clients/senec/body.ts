/**
 * Turns a 2xx lala.cgi body into raw JSON. Repairs the one corruption clients know how to repair: stray `\"` escapes
 * ("in rare cases senec reports back extra escape sequences", ioBroker replaces every `\"` with `"` before parsing).
 * Anything else unparseable (bodies truncated by oversized requests, `"fl_43618000""` corruption) is a parse error.
 */
import { SenecParseError, type SenecErrorDetails, type SenecParseFailure } from './errors.js';
import { setOwn, type RawObject, type RawResponse } from './decode.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Parses a lala.cgi reply: a JSON object whose values are objects. Throws SenecParseError. */
export function parseLalaBody(text: string, status: number, details: SenecErrorDetails = {}): RawResponse {
  const fail = (reason: SenecParseFailure): never => {
    throw new SenecParseError(reason, status, text, details);
  };
  const trimmed = text.trim();
  if (trimmed === '') fail('empty');
  if (trimmed.startsWith('<')) fail('html');
  let parsed = tryParse(trimmed);
  if (!parsed.ok && trimmed.includes('\\"')) parsed = tryParse(trimmed.replaceAll('\\"', '"'));
  if (!parsed.ok) return fail('invalid-json');
  const body = parsed.value;
  if (!isPlainObject(body)) return fail('not-an-object');
  const result: RawResponse = {};
  for (const [name, object] of Object.entries(body)) {
    if (!isPlainObject(object)) return fail('not-an-object');
    setOwn(result, name, object as RawObject);
  }
  return result;
}
