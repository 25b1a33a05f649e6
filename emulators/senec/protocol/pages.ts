import type { StatusPage } from '../../core/http/fault-hooks.js';

/** The device's web server, as its replies name it (recorded). */
export const SERVER_HEADER = 'nginx/1.17.7';

export const LALA_HEADERS = {
  server: SERVER_HEADER,
  'content-type': 'application/json; charset=utf-8',
  connection: 'keep-alive',
} as const;

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Not Allowed',
  413: 'Request Entity Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

/** nginx's built-in error page layout (CRLF line ends, version in the footer). */
export function nginxErrorPage(status: number): string {
  const title = `${status} ${REASONS[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>${SERVER_HEADER}</center>\r\n</body>\r\n</html>\r\n`;
}

/** Status pages for the fault layer: `{"kind":"status","status":504}` gives nginx's Gateway Time-out page. */
export function senecStatusPage(status: number): StatusPage {
  return { body: nginxErrorPage(status), contentType: 'text/html', headers: { server: SERVER_HEADER } };
}

/** The variable monitor page: every object and key with its wire value, as a plain HTML table. */
export function varsPage(rows: readonly (readonly [string, string])[]): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = rows.map(([name, value]) => `<tr><td>${escape(name)}</td><td>${escape(value)}</td></tr>`).join('\n');
  return `<!DOCTYPE html>\n<html>\n<head><meta charset="utf-8"><title>VarMon</title></head>\n<body>\n<table>\n<tr><th>Variable</th><th>Value</th></tr>\n${body}\n</table>\n</body>\n</html>\n`;
}

/** One line of the device log: `YYYY-MM-DD HH:MM:SS [S|Source] message` (UTC). */
export interface LogLine {
  at: number;
  severity: 'D' | 'I' | 'W' | 'E' | 'F';
  source: string;
  caller?: string;
  message: string;
}

export function formatLogLine(line: LogLine): string {
  const iso = new Date(line.at).toISOString();
  const tag = line.caller === undefined ? `${line.severity}|${line.source}` : `${line.severity}|${line.source}|${line.caller}`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} [${tag}] ${line.message}`;
}

/** Parses `…/YYYY/MM/DD.log` into the UTC day's start (ms), or undefined. */
export function logDayFromPath(path: string, template: string): number | undefined {
  const prefix = template.slice(0, template.indexOf('{yyyy}'));
  if (!path.startsWith(prefix)) return undefined;
  const match = /^(\d{4})\/(\d{2})\/(\d{2})\.log$/.exec(path.slice(prefix.length));
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const t = Date.UTC(year, month - 1, day);
  const d = new Date(t);
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? t : undefined;
}
