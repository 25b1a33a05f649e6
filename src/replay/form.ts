// The normal form of an HTTP request for matching: a fixed part (method and path) plus named values
// (query parameters, form fields, SENEC object.key entries). Recorded and live requests go through the
// same per-device function, so both sides are normalised alike.

import { REDACTED } from '../recording/format.js';

export interface RequestForm {
  /** Must be equal: method and path, e.g. `GET /cgi-bin/dl_cgi`. */
  base: string;
  /** Named values sorted by name (values of a repeated name keep their order). */
  items: readonly (readonly [name: string, value: string])[];
  /** Compared apart from the key (the Growatt token): a recorded REDACTED or absent one matches any. */
  credential?: string;
}

/** The form as one string: the match key shown in logs and counted in stats. */
export function formKey(form: RequestForm): string {
  if (form.items.length === 0) return form.base;
  return `${form.base} ${form.items.map(([name, value]) => (value === '' ? name : `${name}=${value}`)).join('&')}`;
}

/** Sorts items by name, stably, so repeated names keep their order. */
export function sortItems(items: Iterable<readonly [string, string]>): [string, string][] {
  return [...items].map(([n, v]): [string, string] => [n, v]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** A recorded value that was redacted stands for any value (format.ts: "Replay matching ignores values equal to it"). */
export function isRedacted(recorded: string): boolean {
  return recorded.includes(REDACTED);
}

/** Same base and the same names with equal values, where a redacted recorded value matches anything. */
export function sameWithWildcards(recorded: RequestForm, incoming: RequestForm): boolean {
  if (recorded.base !== incoming.base || recorded.items.length !== incoming.items.length) return false;
  return recorded.items.every(([name, value], i) => {
    const other = incoming.items[i]!;
    return other[0] === name && (other[1] === value || isRedacted(value));
  });
}

export function credentialAccepts(recorded: string | undefined, incoming: string | undefined): boolean {
  return recorded === undefined || isRedacted(recorded) || recorded === incoming;
}
