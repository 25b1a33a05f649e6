/**
 * Request splitting as the device's own web UI and ha-senec-v3 do it: every POST body (compact JSON) stays under
 * 600 bytes. The device truncates replies to requests of about 12 KB, and small pieces keep its CGI responsive.
 *
 * Pieces are packed greedily in request order: whole objects first; an object too big for a piece on its own is
 * split by keys. A single key whose `{"OBJ":{"KEY":…}}` alone reaches the limit cannot be split and is sent alone.
 */
import { setOwn, type RawObject, type RawResponse } from './decode.js';

export type RequestValueLike = string | readonly string[];
/** A lala.cgi request body: object → key → `""` (read), typed value or array (write); `{}` reads a whole object. */
export type LalaRequest = Readonly<Record<string, Readonly<Record<string, RequestValueLike>>>>;

export const DEFAULT_MAX_PIECE_BYTES = 600;

export function compactJsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

type MutablePiece = Record<string, Record<string, RequestValueLike>>;

/** Splits a request into pieces whose compact JSON is shorter than `maxBytes`, preserving object and key order. */
export function splitRequest(body: LalaRequest, maxBytes: number = DEFAULT_MAX_PIECE_BYTES): LalaRequest[] {
  const pieces: MutablePiece[] = [];
  let current: MutablePiece = {};
  const fits = (piece: MutablePiece) => compactJsonBytes(piece) < maxBytes;
  const flush = () => {
    if (Object.keys(current).length > 0) pieces.push(current);
    current = {};
  };

  for (const [name, keys] of Object.entries(body)) {
    const whole = { ...keys };
    const withObject = { ...current };
    setOwn(withObject, name, whole);
    if (fits(withObject)) {
      current = withObject;
      continue;
    }
    const alone: MutablePiece = {};
    setOwn(alone, name, whole);
    if (fits(alone)) {
      flush();
      current = alone;
      continue;
    }
    // Too big on its own: add key by key, opening a new piece whenever the next key does not fit.
    for (const [key, value] of Object.entries(keys)) {
      const candidate: MutablePiece = { ...current };
      const fragment = { ...(Object.hasOwn(candidate, name) ? candidate[name] : {}) };
      setOwn(fragment, key, value);
      setOwn(candidate, name, fragment);
      if (fits(candidate)) {
        current = candidate;
        continue;
      }
      flush();
      const single: Record<string, RequestValueLike> = {};
      setOwn(single, key, value);
      setOwn(current, name, single);
    }
  }
  flush();
  return pieces;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Merges the replies to the pieces of one request: requested objects first in request order (their keys in the
 * order the pieces answered), then any object the device added on its own.
 */
export function mergeReplies(request: LalaRequest, replies: readonly RawResponse[]): RawResponse {
  const merged: RawResponse = {};
  const add = (name: string, object: RawObject) => {
    const target = Object.hasOwn(merged, name) ? merged[name] : undefined;
    if (target === undefined) {
      setOwn(merged, name, { ...object });
      return;
    }
    for (const [key, value] of Object.entries(object)) setOwn(target, key, value);
  };
  for (const name of Object.keys(request)) {
    for (const reply of replies) {
      const object = Object.hasOwn(reply, name) ? reply[name] : undefined;
      if (isPlainObject(object)) add(name, object);
    }
  }
  for (const reply of replies) {
    for (const [name, object] of Object.entries(reply)) {
      if (!Object.hasOwn(request, name)) add(name, object);
    }
  }
  return merged;
}
