// TypeBox schemas derived from the UL33 map, for JSON boundaries (e.g. an emulator's control API
// patching point values, or recorded exchanges): FLOAT points are numbers, BYTE points are bytes.

import { Type } from '@sinclair/typebox';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { UL33_POINTS } from './ul33-map.js';

const pointSchemas: Record<string, TSchema> = Object.fromEntries(
  UL33_POINTS.map((p) => [
    p.key,
    Type.Optional(
      p.type === 'FLOAT'
        ? Type.Number({ description: `${p.nameEn}${p.unit ? ` (${p.unit})` : ''}` })
        : Type.Integer({ minimum: 0, maximum: 0xff, description: p.nameEn }),
    ),
  ]),
);

/** Any subset of the 98 point values, by key; unknown keys are refused. */
export const Ul33ValuesSchema = Type.Object(pointSchemas, { additionalProperties: false });

let compiled: TypeCheck<typeof Ul33ValuesSchema> | undefined;

/** Checks a set of point values; compiled on first use, not at import (start-up pays for nothing unused). */
export const Ul33ValuesCheck = {
  Check(value: unknown): boolean {
    compiled ??= TypeCompiler.Compile(Ul33ValuesSchema);
    return compiled.Check(value);
  },
};
