// The 98 UL33 points, read from the embedded map (ul33.ini.ts) and joined with the English names,
// units and value meanings of ul33-annotations.ts. The map is the source for command, Index, Len
// and type; nothing here restates them.

import { parseIni } from './ini.js';
import type { IniDocument } from './ini.js';
import { UL33_ANNOTATIONS } from './ul33-annotations.js';
import type { Ul33PointKey, ValueSet } from './ul33-annotations.js';
import { UL33_INI } from './ul33.ini.js';
import { INFO_CHAR_OFFSET } from './frame.js';

export type PointType = 'FLOAT' | 'BYTE';

/** ASCII characters per value of each type (`Len` in the map). */
export const CHARS_PER_TYPE: Readonly<Record<PointType, number>> = { FLOAT: 8, BYTE: 2 };

export interface Ul33Point {
  /** N of the map's `[cmd-N]`, 1…98. */
  readonly id: number;
  readonly key: Ul33PointKey;
  /** `SendCmd`: the CID2 of the request whose response carries this point. */
  readonly cid2: number;
  /** `Index`: 0-based character offset into the whole response frame, SOI `~` at 0. */
  readonly index: number;
  /** `Len`: in ASCII characters (8 for FLOAT, 2 for BYTE). */
  readonly len: number;
  readonly type: PointType;
  /** The INFO byte where the value starts: (index − 13) / 2. */
  readonly infoByte: number;
  readonly nameZh: string;
  readonly nameEn: string;
  /** Inferred from the name; undefined for ratios and BYTE points. */
  readonly unit: string | undefined;
  /** BYTE points only. */
  readonly values: ValueSet | undefined;
}

export class Ul33MapError extends Error {
  override readonly name = 'Ul33MapError';
}

function requireValue(section: ReadonlyMap<string, string> | undefined, key: string, where: string): string {
  const value = section?.get(key);
  if (value === undefined) throw new Ul33MapError(`${where}: missing ${key}`);
  return value;
}

function parseDecimal(text: string, where: string): number {
  if (!/^\d+$/.test(text)) throw new Ul33MapError(`${where}: not a decimal number: ${text}`);
  return Number(text);
}

/** Builds the point table from an ECS INI map; throws Ul33MapError if the map is inconsistent. */
export function buildUl33Points(doc: IniDocument): Ul33Point[] {
  const cmdSection = doc.sections.get('CMD');
  const count = parseDecimal(requireValue(cmdSection, 'cmd-count', '[CMD]'), '[CMD] cmd-count');
  if (count !== UL33_ANNOTATIONS.length) {
    throw new Ul33MapError(`map has ${count} points, annotations cover ${UL33_ANNOTATIONS.length}`);
  }

  const points: Ul33Point[] = [];
  for (let id = 1; id <= count; id++) {
    const where = `[cmd-${id}]`;
    const section = doc.sections.get(`cmd-${id}`);
    const sendCmd = requireValue(section, 'SendCmd', where);
    if (!/^[0-9A-F]{2}$/i.test(sendCmd)) throw new Ul33MapError(`${where}: SendCmd is not one hex byte: ${sendCmd}`);
    const type = requireValue(section, 'type', where);
    if (type !== 'FLOAT' && type !== 'BYTE') throw new Ul33MapError(`${where}: unknown type ${type}`);
    const index = parseDecimal(requireValue(section, 'Index', where), `${where} Index`);
    const len = parseDecimal(requireValue(section, 'Len', where), `${where} Len`);
    if (len !== CHARS_PER_TYPE[type]) throw new Ul33MapError(`${where}: Len ${len} does not fit ${type}`);
    // Byte boundaries in the response sit at odd offsets (SOI is one raw character).
    if (index < INFO_CHAR_OFFSET || (index - INFO_CHAR_OFFSET) % 2 !== 0) {
      throw new Ul33MapError(`${where}: Index ${index} is not the start of an INFO byte`);
    }
    const annotation = UL33_ANNOTATIONS[id - 1];
    if (annotation === undefined) throw new Ul33MapError(`${where}: no annotation`);
    points.push({
      id,
      key: annotation.key,
      cid2: parseInt(sendCmd, 16),
      index,
      len,
      type,
      infoByte: (index - INFO_CHAR_OFFSET) / 2,
      nameZh: requireValue(cmdSection, `cmd-${id}`, '[CMD]'),
      nameEn: annotation.nameEn,
      unit: 'unit' in annotation ? annotation.unit : undefined,
      values: 'values' in annotation ? annotation.values : undefined,
    });
  }
  return points;
}

/** All 98 points in map order. */
export const UL33_POINTS: readonly Ul33Point[] = Object.freeze(buildUl33Points(parseIni(UL33_INI)));

/** The commands the map polls, in map order: 41H, C0H–C4H, 43H, 44H, C7H, C8H. */
export const UL33_COMMANDS: readonly number[] = Object.freeze([...new Set(UL33_POINTS.map((p) => p.cid2))]);

const POINTS_BY_KEY = new Map(UL33_POINTS.map((p) => [p.key, p] as const));

export function pointByKey(key: Ul33PointKey): Ul33Point {
  const point = POINTS_BY_KEY.get(key);
  if (point === undefined) throw new Ul33MapError(`unknown point ${key}`);
  return point;
}

/** The points read from the response to `cid2`, in map order (empty for commands the map does not poll). */
export function pointsForCommand(cid2: number): readonly Ul33Point[] {
  return UL33_POINTS.filter((p) => p.cid2 === cid2);
}
