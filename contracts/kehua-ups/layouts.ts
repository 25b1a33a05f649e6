// Response INFO layouts implied by the UL33 map (kehua-ups-ydt1363.md §2.2–2.3):
//
//   41H, 43H, 44H        DATAFLAG, X, value₀, value₁, …        (first map Index 17)
//   C0H–C4H, C7H, C8H    DATAFLAG, X, N, value₀, value₁, …     (first map Index 19)
//
// X is a one-byte header whose meaning is unknown (an echoed unit selector or a unit count; 00H in
// the real capture). N is the number of values that follow. FLOAT values are IEEE-754 singles sent
// low byte first; BYTE values are one byte. The layouts are derived from the map's Index values
// and checked at load: every point must start on a value boundary, and no two may share one.
//
// Profile 'plain' is the standard YD/T 1363.3 shape without X for 41H/43H/44H, which is what the
// real 2AH analog capture shows (floats from char 15); the vendor C-blocks are the same in both.

import { CHARS_PER_TYPE, UL33_COMMANDS, pointsForCommand } from './ul33-map.js';
import type { PointType, Ul33Point } from './ul33-map.js';
import type { Ul33PointKey } from './ul33-annotations.js';

export type LayoutProfile = 'ul33' | 'plain';
export const LAYOUT_PROFILES: readonly LayoutProfile[] = ['ul33', 'plain'];

export interface InfoLayout {
  readonly cid2: number;
  readonly type: PointType;
  readonly bytesPerValue: number;
  /** Whether the X byte follows DATAFLAG. */
  readonly hasHeader: boolean;
  /** Whether the count byte N follows (the vendor C-commands). */
  readonly hasCount: boolean;
  /** INFO bytes before value 0: DATAFLAG, then X and N where present. */
  readonly headerBytes: number;
  /** Values a response carries: the last mapped slot + 1 (slots the map skips are still sent). */
  readonly slotCount: number;
  /** INFO length in bytes of a response with slotCount values. */
  readonly infoBytes: number;
  readonly points: readonly { readonly point: Ul33Point; readonly slot: number }[];
}

export class LayoutError extends Error {
  override readonly name = 'LayoutError';
}

/** The vendor commands carry the count byte N (their first map Index is 19, not 17). */
function isVendorCommand(cid2: number): boolean {
  return cid2 >= 0x80 && cid2 <= 0xef;
}

function deriveLayout(cid2: number, profile: LayoutProfile): InfoLayout {
  const points = pointsForCommand(cid2);
  const first = points[0];
  if (first === undefined) throw new LayoutError(`the map has no points for ${cid2.toString(16)}H`);
  const type = first.type;
  const bytesPerValue = CHARS_PER_TYPE[type] / 2;
  const hasCount = isVendorCommand(cid2);
  // The map's Index values assume X is present; 'plain' drops it for the standard commands only.
  const mapHeaderBytes = hasCount ? 3 : 2;
  const hasHeader = profile === 'ul33' || hasCount;
  const headerBytes = mapHeaderBytes - (hasHeader ? 0 : 1);

  const taken = new Map<number, Ul33Point>();
  const slots = points.map((point) => {
    if (point.type !== type) throw new LayoutError(`[cmd-${point.id}] mixes ${point.type} into a ${type} response`);
    const offset = point.infoByte - mapHeaderBytes;
    if (offset < 0 || offset % bytesPerValue !== 0) {
      throw new LayoutError(`[cmd-${point.id}] Index ${point.index} is not on a ${type} boundary`);
    }
    const slot = offset / bytesPerValue;
    const other = taken.get(slot);
    if (other !== undefined) throw new LayoutError(`[cmd-${point.id}] overlaps [cmd-${other.id}]`);
    taken.set(slot, point);
    return { point, slot };
  });
  const slotCount = Math.max(...slots.map((s) => s.slot)) + 1;
  return {
    cid2,
    type,
    bytesPerValue,
    hasHeader,
    hasCount,
    headerBytes,
    slotCount,
    infoBytes: headerBytes + slotCount * bytesPerValue,
    points: slots,
  };
}

const LAYOUTS: Readonly<Record<LayoutProfile, ReadonlyMap<number, InfoLayout>>> = {
  ul33: new Map(UL33_COMMANDS.map((cid2) => [cid2, deriveLayout(cid2, 'ul33')])),
  plain: new Map(UL33_COMMANDS.map((cid2) => [cid2, deriveLayout(cid2, 'plain')])),
};

/** The response layout for a command the map polls, or undefined. */
export function layoutFor(cid2: number, profile: LayoutProfile = 'ul33'): InfoLayout | undefined {
  return LAYOUTS[profile].get(cid2);
}

/** Point values by key. Keys of points that belong to other commands are ignored. */
export type Ul33Values = Partial<Record<Ul33PointKey, number>>;

export interface InfoOptions {
  readonly profile?: LayoutProfile;
  /** FLOAT byte order; 'little' (low byte first) is what the real captures show. */
  readonly floatByteOrder?: 'little' | 'big';
}

export interface EncodeInfoOptions extends InfoOptions {
  /** DATAFLAG byte, default 00H (see DataFlag). */
  readonly dataflag?: number;
  /** The X byte, default 00H (as in the real capture). Ignored where the profile has no X. */
  readonly header?: number;
  /** The N byte of the vendor commands, default the true number of values. */
  readonly count?: number;
  /** Fills BYTE slots without a value (unmapped or missing): default 20H, "not monitored". */
  readonly fillByte?: number;
  /** Fills FLOAT slots without a value (unmapped or missing): default 0. */
  readonly fillFloat?: number;
}

function requireByte(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new RangeError(`${name} must be a byte, got ${value}`);
  return value;
}

function requireLayout(cid2: number, profile: LayoutProfile | undefined): InfoLayout {
  const layout = layoutFor(cid2, profile);
  if (layout === undefined) throw new RangeError(`the UL33 map has no layout for CID2 ${cid2}`);
  return layout;
}

/** Builds the response INFO of `cid2` from point values. Throws RangeError on an unknown command or a non-byte BYTE value. */
export function encodeInfo(cid2: number, values: Ul33Values, options: EncodeInfoOptions = {}): Uint8Array {
  const layout = requireLayout(cid2, options.profile);
  const littleEndian = (options.floatByteOrder ?? 'little') === 'little';
  const info = new Uint8Array(layout.infoBytes);
  const view = new DataView(info.buffer);

  let at = 0;
  info[at++] = requireByte('dataflag', options.dataflag ?? 0);
  if (layout.hasHeader) info[at++] = requireByte('header', options.header ?? 0);
  if (layout.hasCount) info[at++] = requireByte('count', options.count ?? layout.slotCount);

  const slotValues: (number | undefined)[] = new Array(layout.slotCount);
  for (const { point, slot } of layout.points) slotValues[slot] = values[point.key];

  const fill = layout.type === 'FLOAT' ? (options.fillFloat ?? 0) : requireByte('fillByte', options.fillByte ?? 0x20);
  for (let slot = 0; slot < layout.slotCount; slot++) {
    const value = slotValues[slot] ?? fill;
    const offset = layout.headerBytes + slot * layout.bytesPerValue;
    if (layout.type === 'FLOAT') view.setFloat32(offset, value, littleEndian);
    else info[offset] = requireByte(`value of slot ${slot}`, value);
  }
  return info;
}

export type InfoErrorKind = 'unknown-command' | 'too-short';

export interface DecodedInfo {
  readonly dataflag: number;
  /** The X byte, undefined where the profile has none. */
  readonly header: number | undefined;
  /** The N byte of the vendor commands. A map-driven reader does not rely on it. */
  readonly count: number | undefined;
  /** Every point of the command, read at its map position. */
  readonly values: Ul33Values;
  /** Every whole value after the header, mapped or not (e.g. the input PF the map skips). */
  readonly slots: readonly number[];
}

export type DecodeInfoResult =
  | ({ readonly ok: true } & DecodedInfo)
  | { readonly ok: false; readonly error: { readonly kind: InfoErrorKind; readonly message: string } };

/** Reads the points of `cid2` from a response INFO by the map. Never throws; extra trailing bytes are allowed. */
export function decodeInfo(cid2: number, info: Uint8Array, options: InfoOptions = {}): DecodeInfoResult {
  const layout = layoutFor(cid2, options.profile);
  if (layout === undefined) {
    return { ok: false, error: { kind: 'unknown-command', message: `the UL33 map has no layout for CID2 ${cid2}` } };
  }
  if (info.length < layout.infoBytes) {
    return {
      ok: false,
      error: { kind: 'too-short', message: `INFO is ${info.length} bytes, the map reads ${layout.infoBytes}` },
    };
  }
  const littleEndian = (options.floatByteOrder ?? 'little') === 'little';
  const view = new DataView(info.buffer, info.byteOffset, info.byteLength);
  const read = (offset: number): number =>
    layout.type === 'FLOAT' ? view.getFloat32(offset, littleEndian) : view.getUint8(offset);

  const slots: number[] = [];
  for (let offset = layout.headerBytes; offset + layout.bytesPerValue <= info.length; offset += layout.bytesPerValue) {
    slots.push(read(offset));
  }
  const values: Ul33Values = {};
  for (const { point, slot } of layout.points) values[point.key] = slots[slot];

  return {
    ok: true,
    dataflag: view.getUint8(0),
    header: layout.hasHeader ? view.getUint8(1) : undefined,
    count: layout.hasCount ? view.getUint8(layout.headerBytes - 1) : undefined,
    values,
    slots,
  };
}
