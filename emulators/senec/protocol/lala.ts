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
  /** The same value as JSON text (lets a backend cache the serialised form). */
  readJson?(object: string, resolved: ResolvedKey): string;
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
export function answerLala(bodyText: string, backend: LalaBackend, parsed?: ParsedBody): LalaOutcome {
  const body = parsed ?? parseBody(bodyText);
  if (body.kind === 'empty') return { ok: true, body: '{}' };
  if (body.kind === 'invalid') return { ok: false, reason: 'body is not valid JSON' };
  const request = body.value;
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
    for (const resolved of keysOf(object, backend.profile)) parts.push(`"${resolved.key}":${valueJson(object, resolved, backend)}`);
    return `{${parts.join(',')}}`;
  }
  for (const key of keys) {
    const resolved = resolveKey(object, key, backend.profile);
    // Catalogue key names need no escaping; anything else a client sent does.
    if (resolved === undefined) parts.push(`${JSON.stringify(key)}:"VARIABLE_NOT_FOUND"`);
    else parts.push(`"${key}":${answerKey(object, resolved, query[key], backend)}`);
  }
  return `{${parts.join(',')}}`;
}

/** The JSON text answering one known key. */
function answerKey(object: string, resolved: ResolvedKey, value: unknown, backend: LalaBackend): string {
  const action = value === '' ? READ : interpretRequestValue(value);
  if (action.kind === 'malformed') return '"MALFORMED_VALUE"';
  if (action.kind !== 'read') {
    const refused = backend.write(object, resolved, action);
    if (refused !== undefined) return JSON.stringify(refused);
  }
  return valueJson(object, resolved, backend);
}

const READ = { kind: 'read' } as const;

function valueJson(object: string, resolved: ResolvedKey, backend: LalaBackend): string {
  return backend.readJson ? backend.readJson(object, resolved) : JSON.stringify(backend.read(object, resolved));
}

export type ParsedBody = { readonly kind: 'empty' } | { readonly kind: 'invalid' } | { readonly kind: 'json'; readonly value: unknown };

/** Parses a lala.cgi body once; the result serves both the answer and the request log. Never throws. */
export function parseBody(bodyText: string): ParsedBody {
  if (bodyText.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(bodyText) };
  } catch {
    return { kind: 'invalid' };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The top-level object names of a parsed body, for logging and fault matching. */
export function requestedObjects(parsed: ParsedBody): string[] {
  return parsed.kind === 'json' && isPlainObject(parsed.value) ? Object.keys(parsed.value) : [];
}
