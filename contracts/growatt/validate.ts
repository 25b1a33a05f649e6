/**
 * Compiled validators, one per endpoint and side, each built on first use. Replies are checked against the
 * success or the error envelope depending on `error_code` (0 → success), which gives precise error paths instead of
 * a bare "expected union".
 */
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ENDPOINT_IDS, type EndpointId } from './endpoints.js';
import { SUCCESS_CODE } from './envelope.js';
import { ENDPOINT_SCHEMAS } from './schemas.js';

export type ValidationResult = { ok: true } | { ok: false; errors: string[] };

export type Validator = (value: unknown) => ValidationResult;

/** Enough to locate a problem without flooding a test report. */
const MAX_ERRORS = 20;

function compile(schema: TSchema): Validator {
  const check: TypeCheck<TSchema> = TypeCompiler.Compile(schema);
  return (value) => {
    if (check.Check(value)) return { ok: true };
    const errors: string[] = [];
    for (const error of check.Errors(value)) {
      errors.push(`${error.path === '' ? '/' : error.path}: ${error.message}`);
      if (errors.length >= MAX_ERRORS) break;
    }
    return { ok: false, errors };
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON pointer escaping for keys used in error paths. */
function pointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * What a schema cannot say about the batch reply: each `data[SN]` holds its telemetry under that same SN, the
 * telemetry's serialNum is that SN, and every SN in `data` was asked for (is echoed in `mixs`).
 */
function mixsDataCrossChecks(body: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const data = body['data'];
  const mixs = body['mixs'];
  if (!isRecord(data) || !Array.isArray(mixs)) return errors;
  const requested = new Set(mixs);
  for (const [sn, entry] of Object.entries(data)) {
    if (!requested.has(sn)) errors.push(`/data/${pointer(sn)}: SN not listed in mixs`);
    if (!isRecord(entry)) continue;
    const telemetry = entry[sn];
    if (!isRecord(telemetry)) {
      errors.push(`/data/${pointer(sn)}/${pointer(sn)}: telemetry missing under its own SN`);
    } else if (telemetry['serialNum'] !== sn) {
      errors.push(`/data/${pointer(sn)}/${pointer(sn)}/serialNum: expected ${JSON.stringify(sn)}`);
    }
    for (const key of Object.keys(entry)) {
      if (key !== 'dataloggerSn' && key !== sn) errors.push(`/data/${pointer(sn)}/${pointer(key)}: unexpected key`);
    }
  }
  return errors;
}

type CrossCheck = (body: Record<string, unknown>) => string[];
const SUCCESS_CROSS_CHECKS: Partial<Record<EndpointId, CrossCheck>> = { mixsData: mixsDataCrossChecks };

/** One entry per endpoint, each made on first use: compiling every schema at import would slow every start. */
function build<T>(make: (id: EndpointId) => T): { readonly [K in EndpointId]: T } {
  const made = new Map<EndpointId, T>();
  const table = {} as { [K in EndpointId]: T };
  for (const id of ENDPOINT_IDS) {
    Object.defineProperty(table, id, {
      enumerable: true,
      get: () => {
        if (!made.has(id)) made.set(id, make(id));
        return made.get(id)!;
      },
    });
  }
  return table;
}

const successValidators = build((id) => compile(ENDPOINT_SCHEMAS[id].success));
const errorValidators = build((id) => compile(ENDPOINT_SCHEMAS[id].error));

/** Request-parameter validators (params as parsed from query string and form body). */
export const requestValidators = build((id) => compile(ENDPOINT_SCHEMAS[id].request));

/** Reply validators: the success envelope when `error_code` is 0, the error envelope otherwise. */
export const responseValidators = build<Validator>((id) => (body) => {
  if (isRecord(body) && body['error_code'] === SUCCESS_CODE) {
    const result = successValidators[id](body);
    if (!result.ok) return result;
    const cross = SUCCESS_CROSS_CHECKS[id]?.(body) ?? [];
    return cross.length === 0 ? result : { ok: false, errors: cross.slice(0, MAX_ERRORS) };
  }
  return errorValidators[id](body);
});

export function validateResponse(endpoint: EndpointId, body: unknown): ValidationResult {
  return responseValidators[endpoint](body);
}

export function validateRequest(endpoint: EndpointId, params: unknown): ValidationResult {
  return requestValidators[endpoint](params);
}
