// Header handling for the proxy: what passes end to end (RFC 9110 §7.6.1) and how the file writes headers.

import type { RecordedHeaders } from './redact.js';

/** A header as it travels: name in its original spelling, value as received. */
export type HeaderPair = readonly [name: string, value: string];

/** Headers that describe one connection, not the message: never forwarded, never recorded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Pairs from node's `rawHeaders` (name, value, name, value, …) without hop-by-hop headers or those `Connection` names. */
export function endToEndHeaders(rawHeaders: readonly string[]): HeaderPair[] {
  const pairs: HeaderPair[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  const named = new Set(
    pairs
      .filter(([name]) => name.toLowerCase() === 'connection')
      .flatMap(([, value]) => value.split(',').map((token) => token.trim().toLowerCase())),
  );
  return pairs.filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()) && !named.has(name.toLowerCase()));
}

export function findHeader(pairs: readonly HeaderPair[], name: string): string | undefined {
  return pairs.find(([n]) => n.toLowerCase() === name)?.[1];
}

/** Back to node's flat form, for `http.request` and `writeHead`. */
export function flatten(pairs: readonly HeaderPair[]): string[] {
  return pairs.flatMap(([name, value]) => [name, value]);
}

/** The file's form: lower-case names, repeats joined with ", ", except set-cookie (always an array). */
export function recordedHeaders(pairs: readonly HeaderPair[]): RecordedHeaders {
  const out: RecordedHeaders = {};
  for (const [rawName, value] of pairs) {
    const name = rawName.toLowerCase();
    const seen = out[name];
    if (name === 'set-cookie') out[name] = [...((seen as string[] | undefined) ?? []), value];
    else out[name] = seen === undefined ? value : `${seen as string}, ${value}`;
  }
  return out;
}
