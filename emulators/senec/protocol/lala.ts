import {
  interpretRequestValue,
  keysOf,
  objectAvailability,
  resolveKey,
  type Marker,
  type ProfileId,
  type RequestAction,
  type ResolvedKey,
} from '../../../contracts/senec/index.js';
import type { WireField } from '../registers.js';

/** What the lala.cgi handler needs from the device: read a key, write a key. */
export interface LalaBackend {
  readonly profile: ProfileId;
  read(object: string, resolved: ResolvedKey): WireField;
  /** Applies a write; returns the marker to answer instead of the value when the write is refused. */
  write(object: string, resolved: ResolvedKey, action: Exclude<RequestAction, { kind: 'read' } | { kind: 'malformed' }>): Marker | undefined;
}

export type LalaOutcome = { readonly ok: true; readonly body: string } | { readonly ok: false; readonly reason: string };

/**
 * Answers one lala.cgi body: `{"OBJ":{"KEY":"" | <typed value> | [..] | "<array text>"} | {}}`.
 * The reply mirrors the request's objects and keys in request order as compact JSON. A body that is
 * not a JSON object of objects is refused (`ok: false`); everything inside a valid shape gets a
 * per-key answer (`VARIABLE_NOT_FOUND`, `MALFORMED_VALUE`, `OBJECT_NOT_FOUND`), never an exception.
 */
export function answerLala(bodyText: string, backend: LalaBackend): LalaOutcome {
  let request: unknown;
  if (bodyText.trim() === '') return { ok: true, body: '{}' };
  try {
    request = JSON.parse(bodyText);
  } catch {
    return { ok: false, reason: 'body is not valid JSON' };
  }
  if (!isPlainObject(request)) return { ok: false, reason: 'body is not a JSON object' };
  const parts: string[] = [];
  for (const [object, query] of Object.entries(request)) {
    if (!isPlainObject(query)) return { ok: false, reason: `value of ${object} is not an object` };
    parts.push(`${JSON.stringify(object)}:${answerObject(object, query, backend)}`);
  }
  return { ok: true, body: `{${parts.join(',')}}` };
}

function answerObject(object: string, query: Record<string, unknown>, backend: LalaBackend): string {
  const availability = objectAvailability(object, backend.profile);
  if (availability === 'not-found') return '{"OBJECT_NOT_FOUND":""}';
  const keys = Object.keys(query);
  const parts: string[] = [];
  if (keys.length === 0) {
    // `{}`: every key of the object, in the device's own order (empty objects answer `{}`).
    for (const resolved of keysOf(object, backend.profile)) parts.push(`${JSON.stringify(resolved.key)}:${JSON.stringify(backend.read(object, resolved))}`);
    return `{${parts.join(',')}}`;
  }
  for (const key of keys) {
    parts.push(`${JSON.stringify(key)}:${JSON.stringify(answerKey(object, key, query[key], backend))}`);
  }
  return `{${parts.join(',')}}`;
}

function answerKey(object: string, key: string, value: unknown, backend: LalaBackend): WireField | Marker {
  const resolved = resolveKey(object, key, backend.profile);
  if (resolved === undefined) return 'VARIABLE_NOT_FOUND';
  const action = interpretRequestValue(value);
  if (action.kind === 'malformed') return 'MALFORMED_VALUE';
  if (action.kind !== 'read') {
    const refused = backend.write(object, resolved, action);
    if (refused !== undefined) return refused;
  }
  return backend.read(object, resolved);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The top-level object names of a body, for logging and fault matching; never throws. */
export function requestedObjects(bodyText: string): string[] {
  try {
    const parsed: unknown = JSON.parse(bodyText);
    return isPlainObject(parsed) ? Object.keys(parsed) : [];
  } catch {
    return [];
  }
}
