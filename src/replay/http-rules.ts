// What a device's HTTP replay rules provide: the request's normal form, optional looser matching and answer
// shaping, and the device's own answer to a request the recording cannot serve.

import type { HttpExchange } from '../recording/format.js';
import { decodeBytes } from '../recording/bytes.js';
import type { RequestForm } from './form.js';

export interface IncomingHttp {
  /** Upper case. */
  method: string;
  /** Path and query exactly as sent. */
  url: string;
  path: string;
  /** After `?`, '' when there is none. */
  query: string;
  /** Lower-case names. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** A recorded exchange with its request normalised once. */
export interface RecordedHttp {
  exchange: HttpExchange;
  request: IncomingHttp;
  form: RequestForm;
  key: string;
}

export interface UnmatchedContext {
  /** `credential`: the key was recorded, but with another (unredacted) credential. */
  reason: 'no-match' | 'credential';
  recorded: readonly RecordedHttp[];
}

export interface HttpRules {
  readonly device: 'pvs' | 'senec' | 'growatt';
  form(request: IncomingHttp): RequestForm;
  /** Whether `recorded` may answer a request whose key differs (beyond redacted wildcards); SENEC subsets. */
  covers?(recorded: RecordedHttp, incoming: RequestForm): boolean;
  /** The recorded answer shaped for a request it covers but does not equal (SENEC cuts the reply down). */
  adapt?(recorded: RecordedHttp, request: IncomingHttp, answer: HttpAnswer): HttpAnswer;
  /** The device's own answer to a request nothing recorded answers, and a few words on what was sent. */
  unmatched(request: IncomingHttp, form: RequestForm, context: UnmatchedContext): { answer: HttpAnswer; note: string };
}

export function incoming(method: string, url: string, headers: IncomingHttp['headers'], body: Buffer): IncomingHttp {
  const at = url.indexOf('?');
  return {
    method: method.toUpperCase(),
    url,
    path: at < 0 ? url : url.slice(0, at),
    query: at < 0 ? '' : url.slice(at + 1),
    headers,
    body,
  };
}

export function recordedRequest(exchange: HttpExchange): IncomingHttp {
  const r = exchange.request;
  return incoming(r.method, r.url, r.headers, r.body === null ? Buffer.alloc(0) : decodeBytes(r.body));
}

/** First value of a header. */
export function header(request: IncomingHttp, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
