/**
 * The v1 response envelope: `{ data, error_code, error_msg }` plus endpoint-specific top-level keys
 * (`mix_sn`, `datalogger_sn`, `device_sn`, `mixs`, `pageNum`). HTTP status is 200 even for API errors; clients decide
 * success from `error_code` alone, and on errors `data` is the empty string.
 */
import { Type } from '@sinclair/typebox';
import type { TLiteral, TObject, TOptional, TProperties, TSchema, TString, TUnion, TInteger } from '@sinclair/typebox';

/** `error_code` must be a JSON integer: growattServer raises KeyError when it is missing and treats `"0"` as an error. */
export const SUCCESS_CODE = 0;

/** Success replies usually carry `""`; some samples show `"success"`, so the schema accepts any string. */
export const SUCCESS_MESSAGE = '';

export const NonZeroErrorCode = Type.Union([Type.Integer({ maximum: -1 }), Type.Integer({ minimum: 1 })]);

type OptionalProps<X extends TProperties> = { [K in keyof X]: TOptional<X[K]> };

function optionalAll<X extends TProperties>(extras: X): OptionalProps<X> {
  const out: Record<string, TSchema> = {};
  for (const [key, schema] of Object.entries(extras)) out[key] = Type.Optional(schema);
  return out as OptionalProps<X>;
}

export type SuccessEnvelopeSchema<D extends TSchema, X extends TProperties> = TObject<
  { data: D; error_code: TLiteral<0>; error_msg: TString } & X
>;

export type ErrorEnvelopeSchema<X extends TProperties> = TObject<
  { data: TLiteral<''>; error_code: TUnion<[TInteger, TInteger]>; error_msg: TString } & OptionalProps<X>
>;

/** A successful reply: `error_code` 0, `data` of the endpoint's shape, and exactly the endpoint's top-level keys. */
export function SuccessEnvelope<D extends TSchema, X extends TProperties = {}>(
  data: D,
  extras: X = {} as X,
): SuccessEnvelopeSchema<D, X> {
  return Type.Object(
    { data, error_code: Type.Literal(SUCCESS_CODE), error_msg: Type.String(), ...extras },
    { additionalProperties: false },
  ) as SuccessEnvelopeSchema<D, X>;
}

/**
 * An error reply: non-zero integer `error_code`, `data: ""`. Whether the endpoint's own top-level keys are echoed on
 * errors is undocumented, so they are allowed but optional.
 */
export function ErrorEnvelope<X extends TProperties = {}>(extras: X = {} as X): ErrorEnvelopeSchema<X> {
  return Type.Object(
    { data: Type.Literal(''), error_code: NonZeroErrorCode, error_msg: Type.String(), ...optionalAll(extras) },
    { additionalProperties: false },
  ) as ErrorEnvelopeSchema<X>;
}

/** Either reply of one endpoint. Validators dispatch on `error_code` instead of trying both branches. */
export function Envelope<D extends TSchema, X extends TProperties = {}>(data: D, extras: X = {} as X) {
  return Type.Union([SuccessEnvelope(data, extras), ErrorEnvelope(extras)]);
}

export interface ErrorBody {
  data: '';
  error_code: number;
  error_msg: string;
}

/** Builds an error reply body; the key order follows the recorded permission-denied sample. */
export function errorBody(code: number, message: string): ErrorBody {
  if (!Number.isInteger(code) || code === SUCCESS_CODE) throw new RangeError(`not an error code: ${code}`);
  return { error_code: code, error_msg: message, data: '' };
}

/** Builds a success reply body with the endpoint's extra top-level keys. */
export function successBody<D, X extends Record<string, unknown>>(
  data: D,
  extras: X = {} as X,
  message: string = SUCCESS_MESSAGE,
): { data: D; error_code: 0; error_msg: string } & X {
  return { data, error_code: SUCCESS_CODE, error_msg: message, ...extras };
}
