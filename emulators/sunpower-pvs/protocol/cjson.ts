/**
 * Serialises like the PVS firmware's cJSON pretty printer: TAB indentation, `"key":<TAB>value`,
 * array elements separated by ", " on the same line (so lists of objects read `[{ … }, { … }]`),
 * and a trailing newline. sungazer keeps only lines starting with `{`, TAB or `}`, so spaces must
 * never be used for indentation.
 */
export type CJsonValue = string | number | boolean | null | CJsonValue[] | { [key: string]: CJsonValue | undefined };

export function formatCJson(value: CJsonValue): string {
  return `${print(value, 0)}\n`;
}

const TABS = Array.from({ length: 16 }, (_, i) => '\t'.repeat(i));
const tabs = (n: number): string => TABS[n] ?? '\t'.repeat(n);

// String concatenation rather than map/join: DeviceList is rendered on every poll of a new
// virtual second, and the intermediate arrays dominated its cost.
function print(value: CJsonValue, depth: number): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return printNumber(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ', ') + print(value[i]!, depth);
    return `${out}]`;
  }
  const inner = tabs(depth + 1);
  let out = '';
  for (const key in value) {
    const item = value[key];
    if (item === undefined) continue;
    out += `${out === '' ? '' : ',\n'}${inner}${JSON.stringify(key)}:\t${print(item, depth + 1)}`;
  }
  return out === '' ? `{\n${tabs(depth)}}` : `{\n${out}\n${tabs(depth)}}`;
}

function printNumber(n: number): string {
  if (!Number.isFinite(n)) return 'null';
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  // cJSON tries 15 significant digits and falls back to 17 when that does not round-trip.
  const short = n.toPrecision(15);
  return String(Number(short) === n ? Number(short) : Number(n.toPrecision(17)));
}
