/**
 * What the client makes of a data reply: each point read at its map position (contract decodeInfo), with its unit and,
 * for status/alarm bytes, the meaning of the code; the DATAFLAG bits; and the 51H vendor record.
 */
import { DataFlag, UL33_POINTS, pointByKey } from '../../../contracts/kehua-ups/index.js';
import type { DecodedInfo, PointType, Ul33PointKey } from '../../../contracts/kehua-ups/index.js';
import { hexByte } from './errors.js';

export interface PointReading {
  readonly key: Ul33PointKey;
  /** N of the map's `[cmd-N]`. */
  readonly id: number;
  readonly name: string;
  readonly type: PointType;
  /** FLOAT points: the IEEE-754 single as sent; BYTE points: the code 0…255. */
  readonly value: number;
  /** FLOAT points with a physical unit ('V', 'A', 'Hz', '°C', 'kW', 'kVA', 'min', '%'); undefined otherwise. */
  readonly unit: string | undefined;
  /** BYTE points: what the code means per the map's annotations, or `unknown code XXH`; undefined for FLOAT points. */
  readonly meaning: string | undefined;
}

export type PointReadings = Readonly<Partial<Record<Ul33PointKey, PointReading>>>;

export interface DataFlagBits {
  /** The DATAFLAG byte (for a snapshot: every reply's byte OR-ed together). */
  readonly raw: number;
  /** Bit 0: unread alarm changes (44H clears it). */
  readonly alarmsChanged: boolean;
  /** Bit 4: unread switch-state changes (43H clears it). */
  readonly switchesChanged: boolean;
}

/** One data command's reply read by the map. */
export interface CommandReading {
  readonly cid2: number;
  readonly dataflag: DataFlagBits;
  /** The X byte after DATAFLAG (undefined in the 'plain' profile for 41H/43H/44H). */
  readonly header: number | undefined;
  /** The N byte of the vendor C-commands; the map reads by position, not by it. */
  readonly count: number | undefined;
  /** The command's points, by key. */
  readonly points: PointReadings;
  /** Every whole value after the header, mapped or not (e.g. the input power factors C0H carries but the map skips). */
  readonly slots: readonly number[];
}

export interface UpsSnapshot {
  /** All 98 points, by key. */
  readonly points: Readonly<Record<Ul33PointKey, PointReading>>;
  /** The same values without the metadata. */
  readonly values: Readonly<Record<Ul33PointKey, number>>;
  /** The DATAFLAG bits seen in any reply of the poll (in map order 43H and 44H clear theirs on the unit). */
  readonly dataflag: DataFlagBits;
  /** Each command's reading, in the order polled. */
  readonly commands: readonly CommandReading[];
}

export function dataFlagBits(raw: number): DataFlagBits {
  return {
    raw,
    alarmsChanged: (raw & DataFlag.AlarmChanged) !== 0,
    switchesChanged: (raw & DataFlag.SwitchChanged) !== 0,
  };
}

/** The reading of one point value, with the map's metadata. */
export function pointReading(key: Ul33PointKey, value: number): PointReading {
  const point = pointByKey(key);
  const meaning =
    point.type === 'BYTE' ? (point.values?.meanings[value] ?? `unknown code ${hexByte(value)}H`) : undefined;
  return { key, id: point.id, name: point.nameEn, type: point.type, value, unit: point.unit, meaning };
}

export function commandReading(cid2: number, decoded: DecodedInfo): CommandReading {
  const points: Partial<Record<Ul33PointKey, PointReading>> = {};
  for (const [key, value] of Object.entries(decoded.values) as [Ul33PointKey, number | undefined][]) {
    if (value !== undefined) points[key] = pointReading(key, value);
  }
  return {
    cid2,
    dataflag: dataFlagBits(decoded.dataflag),
    header: decoded.header,
    count: decoded.count,
    points,
    slots: decoded.slots,
  };
}

/** Joins the readings of every command the map polls into one snapshot; throws if a point is missing. */
export function buildSnapshot(commands: readonly CommandReading[]): UpsSnapshot {
  const points: Partial<Record<Ul33PointKey, PointReading>> = {};
  const values: Partial<Record<Ul33PointKey, number>> = {};
  let raw = 0;
  for (const reading of commands) {
    raw |= reading.dataflag.raw;
    Object.assign(points, reading.points);
  }
  for (const point of UL33_POINTS) {
    const reading = points[point.key];
    if (reading === undefined) throw new Error(`snapshot: point ${point.key} was not read`);
    values[point.key] = reading.value;
  }
  return {
    points: points as Record<Ul33PointKey, PointReading>,
    values: values as Record<Ul33PointKey, number>,
    dataflag: dataFlagBits(raw),
    commands,
  };
}

/** 51H vendor information: the common 32-byte record (kehua-ups-ydt1363.md §1.7). */
export interface VendorInfo {
  /** 10 bytes of ASCII, padding (spaces, NULs) trimmed. */
  readonly deviceName: string;
  /** 2 bytes, big-endian, e.g. 0x0110. */
  readonly softwareVersion: number;
  /** 20 bytes of ASCII, padding trimmed. */
  readonly vendorName: string;
  readonly raw: Uint8Array;
}

export const VENDOR_INFO_BYTES = 32;

function asciiField(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1').replace(/[\x20\x00]+$/, '');
}

/** Reads the 10 + 2 + 20 byte record; undefined for any other length (some units use 30 + 20 + 20). */
export function parseVendorInfo(info: Uint8Array): VendorInfo | undefined {
  if (info.length !== VENDOR_INFO_BYTES) return undefined;
  return {
    deviceName: asciiField(info.subarray(0, 10)),
    softwareVersion: (info[10]! << 8) | info[11]!,
    vendorName: asciiField(info.subarray(12, 32)),
    raw: info,
  };
}
