// Growatt OpenAPI v1: a request is its method, path and parameters (query string and form body merged, as the
// service reads them), order-insensitive, without the token. The `token` header is compared on its own: a
// recorded REDACTED token (the default) matches any token, an unredacted one only itself.
//
// Unmatched, as the service would answer:
// - a path that is no v1 endpoint: the Spring 404 JSON page (405 when the path exists for the other method);
// - no token header, or a token other than the one recorded unredacted: 10011 error_permission_denied;
// - a device or plant the recording never mentions: the endpoint's own "does not exist" code (mixLastData
//   10002, mix_data 10005, plant endpoints 10002, device/list 10003, …, as the emulator's api.ts uses them);
// - a known device or plant with parameters never recorded (another date, page, setting): 10001 "System
//   error" where the endpoint documents it. That is the honest choice: the device exists, so "does not exist"
//   would mislead a client into dropping it, while 10001 is the service's generic failure clients retry.

import { ENDPOINTS, ENDPOINT_IDS, TOKEN_HEADER, endpointFor, errorReply, lookupError, parseSnList, type EndpointId } from '../../contracts/growatt/index.js';
import { sortItems, type RequestForm } from './form.js';
import { header, type HttpAnswer, type HttpRules, type IncomingHttp, type RecordedHttp } from './http-rules.js';

const JSON_TYPE = 'application/json;charset=UTF-8';
const FORM = /^application\/x-www-form-urlencoded/i;

/** The parameter naming the plant or device an endpoint is about, and its codes for a missing and an empty one. */
const SUBJECT: { readonly [K in EndpointId]?: { param: string; missing: number; empty: number } } = {
  plantDetails: { param: 'plant_id', missing: 10002, empty: 10003 },
  plantData: { param: 'plant_id', missing: 10002, empty: 10003 },
  plantEnergy: { param: 'plant_id', missing: 10002, empty: 10003 },
  plantPower: { param: 'plant_id', missing: 10002, empty: 10003 },
  deviceList: { param: 'plant_id', missing: 10003, empty: 10002 },
  mixDataInfo: { param: 'device_sn', missing: 10011, empty: 10011 },
  mixLastData: { param: 'mix_sn', missing: 10002, empty: 10003 },
  mixsData: { param: 'mixs', missing: 10005, empty: 10002 },
  mixData: { param: 'mix_sn', missing: 10005, empty: 10002 },
  alarmData: { param: 'mix_sn', missing: 10005, empty: 10002 },
  readMixParam: { param: 'device_sn', missing: 10002, empty: 10002 },
  mixSet: { param: 'mix_sn', missing: 10012, empty: 10004 },
};

/** Query and form parameters merged, the token left out. */
export function growattParams(request: IncomingHttp): [string, string][] {
  const params = [...new URLSearchParams(request.query)];
  if (FORM.test(header(request, 'content-type') ?? '')) params.push(...new URLSearchParams(request.body.toString('utf8')));
  return params.filter(([name]) => name !== TOKEN_HEADER);
}

function json(status: number, body: unknown): HttpAnswer {
  return { status, headers: { 'content-type': JSON_TYPE }, body: Buffer.from(JSON.stringify(body)) };
}

function apiError(endpoint: EndpointId | null, code: number): { answer: HttpAnswer; note: string } {
  const body = errorReply(endpoint, code);
  return { answer: json(200, body), note: `error_code ${code} (${body.error_msg})` };
}

/** Whether `value` (a plant id or serial) appears anywhere in the recording: a request parameter or a reply. */
function mentioned(value: string, recorded: readonly RecordedHttp[]): boolean {
  return recorded.some((r) => {
    if (r.form.items.some(([, v]) => v === value || parseSnList(v).includes(value))) return true;
    const body = r.exchange.response?.body;
    return body !== undefined && 'text' in body && body.text.includes(value);
  });
}

export const growattRules: HttpRules = {
  device: 'growatt',
  form(request: IncomingHttp): RequestForm {
    const token = header(request, TOKEN_HEADER);
    return { base: `${request.method} ${request.path}`, items: sortItems(growattParams(request)), ...(token !== undefined ? { credential: token } : {}) };
  },
  unmatched(request, form, context) {
    const endpoint = endpointFor(request.method, request.path);
    if (endpoint === undefined) {
      const otherMethod = ENDPOINT_IDS.some((id) => ENDPOINTS[id].path === request.path);
      const status = otherMethod ? 405 : 404;
      const error = otherMethod ? 'Method Not Allowed' : 'Not Found';
      // The shape of the service's Spring error page (emulators/growatt/server.ts answers the same).
      const body = { timestamp: new Date().toISOString().replace('Z', '+0000'), status, error, path: request.path };
      return { answer: json(status, body), note: `with the Spring ${status} JSON page` };
    }
    if (form.credential === undefined || context.reason === 'credential') return apiError(null, 10011);
    const subject = SUBJECT[endpoint];
    if (subject !== undefined) {
      const values = form.items.filter(([name]) => name === subject.param).map(([, v]) => v);
      const ids = subject.param === 'mixs' ? parseSnList(values) : values.map((v) => v.trim()).filter((v) => v !== '');
      if (ids.length === 0) return apiError(endpoint, subject.empty);
      if (ids.some((id) => !mentioned(id, context.recorded))) return apiError(endpoint, subject.missing);
    }
    const code = lookupError(endpoint, 10001) !== undefined ? 10001 : (subject?.missing ?? 10001);
    return apiError(endpoint, code);
  },
};
