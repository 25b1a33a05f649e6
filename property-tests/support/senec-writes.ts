/**
 * Write requests as real clients send them (notes §7, §8.2, §8.3): the ENERGY switch block, array
 * writes with `""` placeholders or as a string-encoded array (the device GUI), short hex (`fl_0`).
 */
import fc from 'fast-check';
import { encodeValue } from '../../contracts/senec/index.js';

export type Button = 'SAFE_CHARGE_FORCE' | 'SAFE_CHARGE_PROHIBIT' | 'LI_STORAGE_MODE_START' | 'LI_STORAGE_MODE_STOP';
export const ENERGY_BUTTONS: readonly Button[] = ['SAFE_CHARGE_FORCE', 'SAFE_CHARGE_PROHIBIT', 'LI_STORAGE_MODE_START', 'LI_STORAGE_MODE_STOP'];

/** ha-senec-v3's and ioBroker's switch request: the whole block, one button set to u8_01. */
export function energySwitchBlock(button: Button, value = 'u8_01'): Record<string, Record<string, string>> {
  const block: Record<string, string> = {
    SAFE_CHARGE_FORCE: '',
    SAFE_CHARGE_PROHIBIT: '',
    SAFE_CHARGE_RUNNING: '',
    LI_STORAGE_MODE_START: '',
    LI_STORAGE_MODE_STOP: '',
    LI_STORAGE_MODE_RUNNING: '',
    STAT_STATE: '',
  };
  block[button] = value;
  return { ENERGY: block };
}

type ArrayType = 'u8' | 'u1' | 'fl';
/** The SOCKETS arrays clients write (N = NUMBER_OF_SOCKETS = 2). */
export const SOCKET_ARRAYS: Readonly<Record<string, ArrayType>> = {
  ENABLE: 'u8',
  FORCE_ON: 'u8',
  USE_TIME: 'u8',
  SWITCH_ON_HOUR: 'u8',
  SWITCH_ON_MINUTE: 'u8',
  LOWER_LIMIT: 'u1',
  UPPER_LIMIT: 'u1',
  POWER_ON_TIME: 'u1',
  TIME_LIMIT: 'u1',
};
/** The WALLBOX arrays clients write (N = 4). */
export const WALLBOX_ARRAYS: Readonly<Record<string, ArrayType>> = {
  SET_ICMAX: 'fl',
  MIN_CHARGING_CURRENT: 'fl',
  SET_IDEFAULT: 'fl',
  PROHIBIT_USAGE: 'u8',
  SMART_CHARGE_ACTIVE: 'u8',
};
export const ARRAY_LENGTH = { SOCKETS: 2, WALLBOX: 4 } as const;

/** A typed value: the canonical wire string the device stores and a possibly short/lowercase form to send. */
export interface TypedValue {
  canonical: string;
  sent: string;
}

/** Drops leading zero digits (keeping one) and maybe lowercases: what ha-senec-v3's unpadded encoder sends. */
function shorten(canonical: string, short: boolean, lower: boolean): string {
  const prefix = canonical.slice(0, 3);
  let payload = canonical.slice(3);
  if (short) payload = payload.replace(/^0+(?=.)/, '');
  if (lower) payload = payload.toLowerCase();
  return prefix + payload;
}

/** Float32 values without NaN (NaN is canonicalised on write, so it would not read back bit-exact). */
const float32 = fc.oneof(
  fc.integer({ min: 0, max: 320 }).map((tenths) => tenths / 10),
  fc.float({ noNaN: true }),
  fc.constantFrom(0, -0, 6, 16, 32),
);

export function typedValue(type: ArrayType): fc.Arbitrary<TypedValue> {
  const canonical =
    type === 'fl'
      ? float32.map((x) => encodeValue('fl', x))
      : fc.integer({ min: 0, max: type === 'u8' ? 0xff : 0xffff }).map((n) => encodeValue(type, n));
  return fc
    .tuple(canonical, fc.boolean(), fc.boolean())
    .map(([c, short, lower]) => ({ canonical: c, sent: shorten(c, short, lower) }));
}

export interface ArrayWrite {
  object: 'SOCKETS' | 'WALLBOX';
  key: string;
  /** One entry per array index; null is a `""` placeholder (that index is left alone). */
  entries: (TypedValue | null)[];
  /** The device GUI's form: the array as a JSON string. */
  stringEncoded: boolean;
}

export const arrayWrite: fc.Arbitrary<ArrayWrite> = fc
  .constantFrom<ArrayWrite['object']>('SOCKETS', 'WALLBOX')
  .chain((object) => {
    const table = object === 'SOCKETS' ? SOCKET_ARRAYS : WALLBOX_ARRAYS;
    return fc.constantFrom(...Object.keys(table)).chain((key) =>
      fc.record({
        object: fc.constant(object),
        key: fc.constant(key),
        entries: fc
          .array(fc.option(typedValue(table[key]!), { nil: null, freq: 2 }), { minLength: ARRAY_LENGTH[object], maxLength: ARRAY_LENGTH[object] })
          .filter((entries) => entries.some((e) => e !== null)),
        stringEncoded: fc.boolean(),
      }),
    );
  });

/** `["", "", "u8_01", ""]`, or that array as JSON text. */
export function arrayWriteBody(w: ArrayWrite): Record<string, Record<string, unknown>> {
  const items = w.entries.map((e) => (e === null ? '' : e.sent));
  return { [w.object]: { [w.key]: w.stringEncoded ? JSON.stringify(items) : items } };
}

/** The canonical zero of an array's type: what the catalogue's all-zero examples read as. */
export function zeroOf(object: ArrayWrite['object'], key: string): string {
  const type = (object === 'SOCKETS' ? SOCKET_ARRAYS : WALLBOX_ARRAYS)[key]!;
  return encodeValue(type, 0);
}
