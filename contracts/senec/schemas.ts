/**
 * TypeBox schemas for lala.cgi bodies.
 *
 * Request:  { OBJ: { KEY: "" | <wire> | [ "" | <wire>, … ] | "<JSON array text>" } }, `{}` for a whole object.
 * Response: { OBJ: { KEY: <wire> | [<wire>, …] | <marker> } } or { OBJ: { OBJECT_NOT_FOUND: "" } }.
 *
 * Responses use the canonical pattern (what the device emits); requests the tolerant one (what it accepts).
 */
import { Type, type Static } from '@sinclair/typebox';
import { MARKERS } from './codec.js';

const TEXT = '(?:st|ch|er)_[\\s\\S]*';

/** Canonical wire strings: uppercase hex at full width, raw text after st_/ch_/er_. */
export const CANONICAL_WIRE_PATTERN =
  '^(?:fl_[0-9A-F]{8}|u8_[0-9A-F]{2}|u1_[0-9A-F]{4}|u3_[0-9A-F]{8}|u6_[0-9A-F]{16}' +
  `|i8_[0-9A-F]{2}|i1_[0-9A-F]{4}|i3_[0-9A-F]{8}|${TEXT})$`;

/** What the device accepts on writes: 1..width hex digits of either case. */
export const TOLERANT_WIRE_PATTERN =
  '^(?:fl_[0-9A-Fa-f]{1,8}|u8_[0-9A-Fa-f]{1,2}|u1_[0-9A-Fa-f]{1,4}|u3_[0-9A-Fa-f]{1,8}|u6_[0-9A-Fa-f]{1,16}' +
  `|i8_[0-9A-Fa-f]{1,2}|i1_[0-9A-Fa-f]{1,4}|i3_[0-9A-Fa-f]{1,8}|${TEXT})$`;

/** Object names are upper case; key names also contain lower case and `#` (`Relay_1`, `THRESHOLD_mA`, `percent#v`). */
export const OBJECT_NAME_PATTERN = '^[A-Z0-9_]+$';
export const KEY_NAME_PATTERN = '^[A-Za-z0-9_#]+$';

export const CanonicalWireString = Type.String({ pattern: CANONICAL_WIRE_PATTERN });
export const TolerantWireString = Type.String({ pattern: TOLERANT_WIRE_PATTERN });
export const MarkerString = Type.Union(MARKERS.map((m) => Type.Literal(m)));

export const ResponseValue = Type.Union([CanonicalWireString, Type.Array(CanonicalWireString), MarkerString]);
export type ResponseValue = Static<typeof ResponseValue>;

export const ObjectNotFound = Type.Object({ OBJECT_NOT_FOUND: Type.Literal('') }, { additionalProperties: false });

export const ResponseObject = Type.Union([
  ObjectNotFound,
  Type.Record(Type.String({ pattern: KEY_NAME_PATTERN }), ResponseValue, { additionalProperties: false }),
]);
export type ResponseObject = Static<typeof ResponseObject>;

export const ResponseBody = Type.Record(Type.String({ pattern: OBJECT_NAME_PATTERN }), ResponseObject, {
  additionalProperties: false,
});
export type ResponseBody = Static<typeof ResponseBody>;

const Placeholder = Type.Literal('');
/** The device GUI posts arrays as a string holding JSON array text. */
export const StringEncodedArray = Type.String({ pattern: '^\\[[\\s\\S]*\\]$' });

export const RequestValue = Type.Union([
  Placeholder,
  TolerantWireString,
  Type.Array(Type.Union([Placeholder, TolerantWireString])),
  StringEncodedArray,
]);
export type RequestValue = Static<typeof RequestValue>;

export const RequestObject = Type.Record(Type.String({ pattern: KEY_NAME_PATTERN }), RequestValue, {
  additionalProperties: false,
});
export type RequestObject = Static<typeof RequestObject>;

export const RequestBody = Type.Record(Type.String({ pattern: OBJECT_NAME_PATTERN }), RequestObject, {
  additionalProperties: false,
});
export type RequestBody = Static<typeof RequestBody>;
