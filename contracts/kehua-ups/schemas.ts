// TypeBox schemas derived from the UL33 map, for JSON boundaries (e.g. an emulator's control API
// patching point values, or recorded exchanges): FLOAT points are numbers, BYTE points are bytes.

import { Type } from '@sinclair/typebox';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { UL33_POINTS } from './ul33-map.js';

/** The largest magnitude a single-precision float carries (beyond it the wire would hold Infinity). */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** One point's value: a single-precision float, or a byte. */
function pointValue(p: (typeof UL33_POINTS)[number]): TSchema {
  return p.type === 'FLOAT'
    ? Type.Number({ minimum: -FLOAT32_MAX, maximum: FLOAT32_MAX, description: `${p.nameEn}${p.unit ? ` (${p.unit})` : ''}`, expects: 'a number within single precision (±3.4e38)' })
    : Type.Integer({ minimum: 0, maximum: 0xff, description: p.nameEn, expects: 'a byte, 0 to 255' });
}

const pointSchemas: Record<string, TSchema> = Object.fromEntries(UL33_POINTS.map((p) => [p.key, Type.Optional(pointValue(p))]));

/** Any subset of the 98 point values, by key; unknown keys are refused. */
export const Ul33ValuesSchema = Type.Object(pointSchemas, { additionalProperties: false });

/** Points to pin (a value) or release (null), as the control API takes them. */
export const Ul33PinsSchema = Type.Object(
  Object.fromEntries(UL33_POINTS.map((p) => [p.key, Type.Optional(Type.Union([pointValue(p), Type.Null()]))])),
  { additionalProperties: false, description: 'points', expects: 'an object of {pointKey: value or null}' },
);

let compiled: TypeCheck<typeof Ul33ValuesSchema> | undefined;

/** Checks a set of point values; compiled on first use, not at import (start-up pays for nothing unused). */
export const Ul33ValuesCheck = {
  Check(value: unknown): boolean {
    compiled ??= TypeCompiler.Compile(Ul33ValuesSchema);
    return compiled.Check(value);
  },
};
