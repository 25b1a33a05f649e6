// SENEC lala.cgi: a request is the set of object.key entries of its JSON body (order does not count), with the
// written value for writes (any value but ""); `{}` for a whole object is `OBJ.*`. Other paths (the vars page,
// log files) match by method and path.
//
// Subsets: a read-only request whose keys all appear in a recorded read-only reply is served by cutting that
// reply down to the requested objects and keys, in request order. The reply mirrors the request key for key,
// so the cut is exact; writes never take this path (their echo depends on what was written).
//
// Unmatched: what the device answers for objects and keys it does not know: OBJECT_NOT_FOUND for an object no
// recorded reply contains, VARIABLE_NOT_FOUND for each key of a known one; nginx's 400 for a body that is not
// a JSON object of objects, 405 for other methods on /lala.cgi, 404 for other paths.

import { LALA_HEADERS, nginxErrorPage, SERVER_HEADER } from '../../emulators/senec/protocol/pages.js';
import { sortItems, type RequestForm } from './form.js';
import type { HttpAnswer, HttpRules, IncomingHttp, RecordedHttp } from './http-rules.js';

const LALA = '/lala.cgi';
const LALA_BASE = `POST ${LALA}`;
const WHOLE = '*';

type LalaBody = Record<string, Record<string, unknown>>;
type Parsed = { kind: 'empty' } | { kind: 'invalid' } | { kind: 'lala'; value: LalaBody };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A lala.cgi body: empty, not a JSON object of objects, or the request. */
export function parseLala(text: string): Parsed {
  if (text.trim() === '') return { kind: 'empty' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'invalid' };
  }
  if (!isObject(value) || !Object.values(value).every(isObject)) return { kind: 'invalid' };
  return { kind: 'lala', value: value as LalaBody };
}

function lalaItems(body: LalaBody): [string, string][] {
  const items: [string, string][] = [];
  for (const [object, query] of Object.entries(body)) {
    const keys = Object.keys(query);
    if (keys.length === 0) items.push([`${object}.${WHOLE}`, '']);
    for (const key of keys) items.push([`${object}.${key}`, query[key] === '' ? '' : JSON.stringify(query[key])]);
  }
  return items;
}

const isRead = (form: RequestForm) => form.items.every(([, value]) => value === '');

/** The recorded reply as JSON, when it is a 200 lala.cgi answer (cached per exchange). */
const replies = new WeakMap<RecordedHttp, Record<string, unknown> | null>();
function replyOf(recorded: RecordedHttp): Record<string, unknown> | null {
  let reply = replies.get(recorded);
  if (reply === undefined) {
    const response = recorded.exchange.response;
    reply = null;
    if (response?.status === 200) {
      try {
        const value: unknown = JSON.parse('text' in response.body ? response.body.text : Buffer.from(response.body.base64, 'base64').toString('utf8'));
        if (isObject(value)) reply = value;
      } catch {
        reply = null;
      }
    }
    replies.set(recorded, reply);
  }
  return reply;
}

const objectNotFound = (value: unknown) => isObject(value) && Object.hasOwn(value, 'OBJECT_NOT_FOUND') && Object.keys(value).length === 1;

function errorPage(status: number): HttpAnswer {
  return { status, headers: { server: SERVER_HEADER, 'content-type': 'text/html' }, body: Buffer.from(nginxErrorPage(status)) };
}

export const senecRules: HttpRules = {
  device: 'senec',
  form(request: IncomingHttp): RequestForm {
    if (request.method !== 'POST' || request.path !== LALA) return { base: `${request.method} ${request.path}`, items: [] };
    const text = request.body.toString('utf8');
    const parsed = parseLala(text);
    if (parsed.kind === 'invalid') return { base: `${LALA_BASE} (not a JSON object of objects)`, items: [['body', text]] };
    return { base: LALA_BASE, items: parsed.kind === 'empty' ? [] : sortItems(lalaItems(parsed.value)) };
  },

  covers(recorded: RecordedHttp, incoming: RequestForm): boolean {
    if (incoming.base !== LALA_BASE || incoming.items.length === 0 || !isRead(incoming) || !isRead(recorded.form)) return false;
    const reply = replyOf(recorded);
    if (reply === null) return false;
    const recordedNames = new Set(recorded.form.items.map(([name]) => name));
    return incoming.items.every(([name]) => {
      const dot = name.lastIndexOf('.');
      const object = name.slice(0, dot);
      const key = name.slice(dot + 1);
      const answer = reply[object];
      if (objectNotFound(answer)) return true;
      if (key === WHOLE) return recordedNames.has(name);
      return isObject(answer) && Object.hasOwn(answer, key);
    });
  },

  adapt(recorded: RecordedHttp, request: IncomingHttp, answer: HttpAnswer): HttpAnswer {
    const reply = replyOf(recorded);
    const parsed = parseLala(request.body.toString('utf8'));
    if (reply === null || parsed.kind !== 'lala') return answer;
    const cut: Record<string, unknown> = {};
    for (const [object, query] of Object.entries(parsed.value)) {
      const whole = reply[object];
      const keys = Object.keys(query);
      if (keys.length === 0 || objectNotFound(whole)) cut[object] = whole;
      else cut[object] = Object.fromEntries(keys.map((key) => [key, (whole as Record<string, unknown>)[key]]));
    }
    return { ...answer, body: Buffer.from(JSON.stringify(cut)) };
  },

  unmatched(request, _form, context) {
    if (request.path !== LALA) return { answer: errorPage(404), note: "with nginx's 404 page" };
    if (request.method !== 'POST') return { answer: errorPage(405), note: "with nginx's 405 page" };
    const parsed = parseLala(request.body.toString('utf8'));
    if (parsed.kind === 'invalid') return { answer: errorPage(400), note: "with nginx's 400 page (body is not a JSON object of objects)" };
    const known = new Set<string>();
    for (const recorded of context.recorded) for (const object of Object.keys(replyOf(recorded) ?? {})) known.add(object);
    const reply: Record<string, Record<string, string>> = {};
    const parts: string[] = [];
    for (const [object, query] of Object.entries(parsed.kind === 'lala' ? parsed.value : {})) {
      if (!known.has(object)) {
        reply[object] = { OBJECT_NOT_FOUND: '' };
        parts.push(`${object}: OBJECT_NOT_FOUND`);
      } else {
        reply[object] = Object.fromEntries(Object.keys(query).map((key) => [key, 'VARIABLE_NOT_FOUND']));
        parts.push(`${object}: VARIABLE_NOT_FOUND per key`);
      }
    }
    const answer: HttpAnswer = { status: 200, headers: { ...LALA_HEADERS }, body: Buffer.from(JSON.stringify(reply)) };
    return { answer, note: `as the device answers unknown objects and keys (${parts.join(', ') || 'empty request: {}'})` };
  },
};
