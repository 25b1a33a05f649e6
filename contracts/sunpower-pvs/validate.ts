/**
 * Compiled validators for the PVS contract. Each schema is compiled once, on first use.
 *
 * Errors are `"<json-pointer>: <message>"` strings, e.g. `/devices/3/SWVER: Expected required property`.
 * Devices are validated against the schema their DEVICE_TYPE (and TYPE for meters) selects, so a bad device
 * reports its own fields instead of TypeBox's opaque "Expected union value".
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { DEVICE_TYPES } from './fields.js';
import {
  COMMAND_RESPONSE_SCHEMAS,
  DEVICE_SCHEMAS,
  EssBatteryStatus,
  EssHubPlusStatus,
  EssInverterStatus,
  EssStateEntry,
  EssStatusEntry,
  EssStatusResponse,
  EssTimestamp,
  PcsSettings,
  type Command,
  type DeviceKind,
} from './schemas.js';

export type ValidationResult = { ok: true } | { ok: false; errors: string[] };

const compiled = new Map<TSchema, TypeCheck<TSchema>>();

/** Returns the compiled checker of a schema, compiling it on first use. */
export function compiledSchema<T extends TSchema>(schema: T): TypeCheck<T> {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check as TypeCheck<T>;
}

/** Validates `value` against any schema, with readable errors (one per path, the first TypeBox reports). */
export function validateAgainst(schema: TSchema, value: unknown, pathPrefix = ''): ValidationResult {
  const check = compiledSchema(schema);
  if (check.Check(value)) return { ok: true };
  const byPath = new Map<string, string>();
  for (const e of check.Errors(value)) {
    if (!byPath.has(e.path)) byPath.set(e.path, `${pathPrefix + e.path || '/'}: ${e.message}`);
  }
  return { ok: false, errors: [...byPath.values()] };
}

function merge(results: ValidationResult[]): ValidationResult {
  const errors = results.flatMap((r) => (r.ok ? [] : r.errors));
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The device kind a raw DeviceList entry claims to be, from DEVICE_TYPE, then TYPE (meters), then the SERIAL
 * suffix (a meter without a recognised TYPE). Undefined for unknown device types.
 */
export function deviceKindOf(device: unknown): DeviceKind | undefined {
  if (!isRecord(device)) return undefined;
  const candidates = DEVICE_TYPES.filter((t) => t.deviceType === device['DEVICE_TYPE']);
  if (candidates.length <= 1) return candidates[0]?.kind;
  const byType = candidates.find((t) => t.type === device['TYPE']);
  if (byType) return byType.kind;
  const serial = device['SERIAL'];
  const bySuffix = candidates.find((t) => typeof serial === 'string' && t.serialSuffix && serial.endsWith(t.serialSuffix));
  return (bySuffix ?? candidates[0])?.kind;
}

/** Validates one DeviceList entry against the schema of its device type. */
export function validateDevice(device: unknown, pathPrefix = ''): ValidationResult {
  if (!isRecord(device)) return { ok: false, errors: [`${pathPrefix || '/'}: Expected object`] };
  const kind = deviceKindOf(device);
  if (!kind) {
    return {
      ok: false,
      errors: [`${pathPrefix}/DEVICE_TYPE: Unknown device type ${JSON.stringify(device['DEVICE_TYPE'])}`],
    };
  }
  return validateAgainst(DEVICE_SCHEMAS[kind], device, pathPrefix);
}

const DeviceListEnvelope = Type.Object({ devices: Type.Array(Type.Unknown()), result: Type.Literal('succeed') });

/** Validates a whole DeviceList body: the envelope, then every device against its own schema. */
export function validateDeviceList(body: unknown): ValidationResult {
  const fast = compiledSchema(COMMAND_RESPONSE_SCHEMAS.DeviceList);
  if (fast.Check(body)) return { ok: true };
  const envelope = validateAgainst(DeviceListEnvelope, body);
  const devices = isRecord(body) && Array.isArray(body['devices']) ? body['devices'] : [];
  return merge([envelope, ...devices.map((d, i) => validateDevice(d, `/devices/${i}`))]);
}

/** Validates the body of a `?Command=<command>` response. */
export function validateCommandResponse(command: Command, body: unknown): ValidationResult {
  if (command === 'DeviceList') return validateDeviceList(body);
  const schema = COMMAND_RESPONSE_SCHEMAS[command];
  if (!schema) return { ok: false, errors: [`/: Unknown command ${JSON.stringify(command)}`] };
  return validateAgainst(schema, body);
}

const EssStatusEnvelope = Type.Object({
  errors: Type.Array(Type.Unknown()),
  ess_report: Type.Object({
    battery_status: Type.Array(Type.Unknown()),
    ess_status: Type.Array(Type.Unknown()),
    hub_plus_status: Type.Unknown(),
    inverter_status: Type.Array(Type.Unknown()),
    ess_state: Type.Array(EssStateEntry),
    pcs_settings: Type.Optional(PcsSettings),
    last_updated: Type.Optional(EssTimestamp),
  }),
});

/** Validates the body of `GET /cgi-bin/dl_cgi/energy-storage-system/status`. */
export function validateEssStatus(body: unknown): ValidationResult {
  if (compiledSchema(EssStatusResponse).Check(body)) return { ok: true };
  // Nullable entries are unions; check them one by one so errors name the failing field.
  const envelope = validateAgainst(EssStatusEnvelope, body);
  const report = isRecord(body) && isRecord(body['ess_report']) ? body['ess_report'] : {};
  const items = (key: string, schema: TSchema): ValidationResult[] => {
    const list = report[key];
    if (!Array.isArray(list)) return [];
    return list.map((item, i) => (item === null ? { ok: true } : validateAgainst(schema, item, `/ess_report/${key}/${i}`)));
  };
  const hub = report['hub_plus_status'];
  return merge([
    envelope,
    ...items('battery_status', EssBatteryStatus),
    ...items('ess_status', EssStatusEntry),
    ...items('inverter_status', EssInverterStatus),
    hub === null || hub === undefined ? { ok: true } : validateAgainst(EssHubPlusStatus, hub, '/ess_report/hub_plus_status'),
  ]);
}
