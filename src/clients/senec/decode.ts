/**
 * Decoding of lala.cgi replies by prefix (never by key: the same key changes type across firmware, e.g.
 * `PV1.POWER_RATIO` is `u3_` on V2.1 and `fl_` on V3). Decoding never throws: unknown prefixes, empty numeric
 * payloads or non-string values come back as `kind: 'malformed'` values, markers as `kind: 'marker'`.
 */
import { decodeField, type DecodedValue } from '../../../contracts/senec/index.js';

/** One raw reply object: key → wire string, array of wire strings or marker (anything, on a broken device). */
export type RawObject = Record<string, unknown>;
/** The raw wire JSON, objects in request order. */
export type RawResponse = Record<string, RawObject>;

export type DecodedField = DecodedValue | readonly DecodedValue[];

export type DecodedObject =
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, DecodedField>> }
  /** `{"X":{"OBJECT_NOT_FOUND":""}}`: the firmware has no such object. */
  | { readonly kind: 'object-not-found' };

export type DecodedResponse = Readonly<Record<string, DecodedObject>>;

/** Sets an own property even for the name `__proto__` (a device string must never reach a prototype). */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** True for the device's unknown-object answer `{"OBJECT_NOT_FOUND":""}`. */
export function isObjectNotFound(object: RawObject): boolean {
  const keys = Object.keys(object);
  return keys.length === 1 && keys[0] === 'OBJECT_NOT_FOUND';
}

export function decodeObject(object: RawObject): DecodedObject {
  if (isObjectNotFound(object)) return { kind: 'object-not-found' };
  const fields: Record<string, DecodedField> = {};
  for (const [key, value] of Object.entries(object)) setOwn(fields, key, decodeField(value));
  return { kind: 'object', fields };
}

export function decodeResponse(raw: RawResponse): DecodedResponse {
  const result: Record<string, DecodedObject> = {};
  for (const [name, object] of Object.entries(raw)) setOwn(result, name, decodeObject(object));
  return result;
}

/** The decoded field `object.key`, or undefined when the object or key is absent or the object was not found. */
export function fieldOf(response: DecodedResponse, object: string, key: string): DecodedField | undefined {
  const decoded = Object.hasOwn(response, object) ? response[object] : undefined;
  if (decoded?.kind !== 'object' || !Object.hasOwn(decoded.fields, key)) return undefined;
  return decoded.fields[key];
}

/** The number a scalar field holds (fl, u8/u1/u3, i8/i1/i3; u6 when it fits exactly); undefined otherwise. */
export function numberOf(field: DecodedField | undefined): number | undefined {
  if (field === undefined || Array.isArray(field)) return undefined;
  const value = field as DecodedValue;
  if (value.kind === 'number') return value.value;
  if (value.kind === 'bigint' && value.value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(value.value);
  return undefined;
}

/** The text of an `st_`/`ch_` scalar; undefined otherwise. */
export function textOf(field: DecodedField | undefined): string | undefined {
  if (field === undefined || Array.isArray(field)) return undefined;
  const value = field as DecodedValue;
  return value.kind === 'string' ? value.value : undefined;
}

/** Element-wise `numberOf` of an array field; undefined when the field is not an array. */
export function numbersOf(field: DecodedField | undefined): (number | undefined)[] | undefined {
  if (!Array.isArray(field)) return undefined;
  return (field as readonly DecodedValue[]).map((item) => numberOf(item));
}

/** The marker a scalar field carries, if it is one. */
export function markerOf(field: DecodedField | undefined): DecodedValue & { kind: 'marker' } | undefined {
  if (field === undefined || Array.isArray(field)) return undefined;
  const value = field as DecodedValue;
  return value.kind === 'marker' ? value : undefined;
}
