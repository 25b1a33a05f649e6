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

function print(value: CJsonValue, depth: number): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return printNumber(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${value.map((item) => print(item, depth)).join(', ')}]`;
  }
  const keys = Object.keys(value).filter((k) => value[k] !== undefined);
  if (keys.length === 0) return '{\n' + '\t'.repeat(depth) + '}';
  const inner = '\t'.repeat(depth + 1);
  const lines = keys.map((key) => `${inner}${JSON.stringify(key)}:\t${print(value[key]!, depth + 1)}`);
  return `{\n${lines.join(',\n')}\n${'\t'.repeat(depth)}}`;
}

function printNumber(n: number): string {
  if (!Number.isFinite(n)) return 'null';
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  // cJSON tries 15 significant digits and falls back to 17 when that does not round-trip.
  const short = n.toPrecision(15);
  return String(Number(short) === n ? Number(short) : Number(n.toPrecision(17)));
}
