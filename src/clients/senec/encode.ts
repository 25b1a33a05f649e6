/**
 * Encoding of writes. Values go through the contract codec, so they are canonical: uppercase, full width (`fl_` is
 * always 8 hex digits, unlike ha-senec-v3's unpadded `fl_0`). An array write sends the whole array with `""`
 * placeholders at the indices it does not touch (`["","u8_01"]` writes index 1 only).
 */
import { encodeValue, type EncodeInput, type WireType } from '../../../contracts/senec/index.js';

/** A scalar write: `{ type: 'u8', value: 1 }` → `"u8_01"`. */
export type ScalarWrite = { [T in WireType]: { readonly type: T; readonly value: EncodeInput[T] } }[WireType];

/** One element of an array of `length` entries: `{ type: 'u8', index: 1, value: 1, length: 2 }` → `["","u8_01"]`. */
export type ArrayWrite = {
  [T in WireType]: { readonly type: T; readonly index: number; readonly value: EncodeInput[T]; readonly length: number };
}[WireType];

export type WriteValue = ScalarWrite | ArrayWrite;

/** In a `write()` call: read this key back in the same request without writing it. */
export const READ = 'read';
export type WriteEntry = WriteValue | typeof READ;

function isArrayWrite(write: WriteValue): write is ArrayWrite {
  return 'index' in write;
}

function encodeScalar(type: WireType, value: number | bigint | string): string {
  // The overloads tie value types to wire types; ScalarWrite already guarantees the pairing.
  return (encodeValue as (t: WireType, v: number | bigint | string) => string)(type, value);
}

/** The wire form of a write value. Throws RangeError/TypeError for values the wire type cannot hold. */
export function encodeWrite(write: WriteValue): string | string[] {
  const wire = encodeScalar(write.type, write.value);
  if (!isArrayWrite(write)) return wire;
  const { index, length } = write;
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`array length must be a positive integer, got ${length}`);
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new RangeError(`index ${index} is outside an array of ${length}`);
  }
  const entries: string[] = Array.from({ length }, () => '');
  entries[index] = wire;
  return entries;
}

/** The request object for `write()`: writes encoded, `READ` entries as `""`, in the given order. */
export function encodeWriteObject(values: Readonly<Record<string, WriteEntry>>): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [key, entry] of Object.entries(values)) {
    Object.defineProperty(result, key, {
      value: entry === READ ? '' : encodeWrite(entry),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}
