/**
 * Varserver examples from the documents, as data (provenance: fixtures/README.md, "Varserver").
 *
 * - {@link VARSERVER_WIRE_EXAMPLES}: exact bytes, where a document shows them unaltered: fcgi_vars's README
 *   (queries against its test variables) and the bodies fcgi_vars/fcgi_auth print in their source.
 * - {@link VARSERVER_FIXTURES}: replies of real PVS6 firmware, re-indented by `jq` in the documents (so the
 *   values are exact, the spacing is not): pypvs `doc/LocalAPI.md` (build 61840) and a `match=/` dump of a
 *   build 61845 PV-only site (steveturbek/SunPower-PVS-Supervisor).
 * - {@link TELEMETRY_FRAME_EXAMPLES}: a WebSocket frame a user recorded (pretty-printed in the document).
 */
import dump61845 from './fixtures/varserver/dump-61845-match-all-obj.json' with { type: 'json' };
import inverterData from './fixtures/varserver/localapi-inverter-data-obj.json' with { type: 'json' };
import livedataCache from './fixtures/varserver/localapi-livedata-cache-obj.json' with { type: 'json' };
import livedata from './fixtures/varserver/localapi-livedata-obj.json' with { type: 'json' };
import matchRevList from './fixtures/varserver/localapi-match-rev-list.json' with { type: 'json' };
import matchRevObj from './fixtures/varserver/localapi-match-rev-obj.json' with { type: 'json' };
import meterData from './fixtures/varserver/localapi-meter-data-obj.json' with { type: 'json' };
import nameList from './fixtures/varserver/localapi-name-list.json' with { type: 'json' };
import type { PvsFirmwareId } from './firmware.js';
import type { VarsFormat } from './varserver.js';

export interface VarserverWireExample {
  readonly name: string;
  readonly source: string;
  /** The GET query string or POST body (empty for the error and login bodies). */
  readonly query: string;
  /** The answer's status and body, byte for byte. */
  readonly status: number;
  readonly body: string;
}

export const VARSERVER_WIRE_EXAMPLES: readonly VarserverWireExample[] = [
  {
    name: 'name query, two variables',
    source: 'tjmonk/fcgi_vars README.md',
    query: 'name=/sys/test/a,/sys/test/b',
    status: 200,
    body: '{"values" : [ { "name": "/sys/test/a", "value" : "10" },{ "name": "/sys/test/b", "value" : "9" }],"count": 2 }\n',
  },
  {
    name: 'match query with a float variable (%f)',
    source: 'tjmonk/fcgi_vars README.md',
    query: 'match=/test/',
    status: 200,
    body:
      '{"values" : [ { "name": "/sys/test/a", "value" : "10" },{ "name": "/sys/test/b", "value" : "9" },' +
      '{ "name": "/sys/test/f", "value" : "3.141500" },{ "name": "/sys/test/c", "value" : "Hello World" }],"count": 4 }\n',
  },
  {
    name: 'set two variables: the answer lists them with their new values',
    source: 'tjmonk/fcgi_vars README.md',
    query: 'set=/sys/test/a=12,/sys/test/b=15',
    status: 200,
    body: '{"values" : [ { "name": "/sys/test/a", "value" : "12" },{ "name": "/sys/test/b", "value" : "15" }],"count": 2 }\n',
  },
  {
    name: 'clear a cache: an empty list',
    source: 'tjmonk/fcgi_vars README.md',
    query: 'clearcache=ints',
    status: 200,
    body: '{"values" : [],"count": 0 }\n',
  },
  {
    name: 'unknown variable name',
    source: 'tjmonk/fcgi_vars src/fcgi_vars.c ErrorResponse (ERROR_VARIABLE_NOT_FOUND)',
    query: 'name=/sys/test/nope',
    status: 400,
    body: '{"status": 400, "description" : "Bad request", "errorcode" : "0x0100"}',
  },
  {
    name: 'login refused',
    source: 'tjmonk/fcgi_auth src/fcgi_auth.c ErrorResponse',
    query: '',
    status: 401,
    body: '{"status": 401, "description" : "Unauthorized"}',
  },
  {
    name: 'login: the session id in the body (and in Set-Cookie)',
    source: 'tjmonk/fcgi_auth src/fcgi_auth.c AuthSessionResponse; id from pypvs doc/LocalAPI.md',
    query: 'login',
    status: 200,
    body: '{"session": "3z02Z55QKi4VZevR6EW4psExaTNZaiaGGeUBqKlXnHIJBPoPV6uzztgcAXGd3rFf" }\r\n',
  },
  {
    name: 'legacy command on varserver firmware',
    source: 'krbaker/hass-sunpower#125, ginoledesma/sunpower-pvs-exporter#20 (protocol notes §1)',
    query: 'Command=DeviceList',
    status: 403,
    body: '{ "status":403, "error" : "Unauthorized", "path":"" }',
  },
];

export interface VarserverFixture {
  readonly name: string;
  readonly source: string;
  /** The firmware that answered. */
  readonly firmware: PvsFirmwareId;
  /** The query as the document sends it (GET). */
  readonly query: string;
  readonly format: VarsFormat;
  /** The parsed answer. */
  readonly data: unknown;
}

const localApi = (name: string, query: string, format: VarsFormat, data: unknown): VarserverFixture => ({
  name,
  source: 'SunStrong-Management/pypvs doc/LocalAPI.md (curl | jq)',
  firmware: 'pvs6-61840',
  query,
  format,
  data,
});

export const VARSERVER_FIXTURES: readonly VarserverFixture[] = [
  localApi('name query', 'name=/sys/info/sw_rev,/sys/info/lmac', 'list', nameList),
  localApi('match "rev"', 'match=rev', 'list', matchRevList),
  localApi('match "rev", object format', 'match=rev&fmt=obj', 'object', matchRevObj),
  localApi('livedata into a cache', 'match=livedata&fmt=obj&cache=ldata', 'object', livedata),
  localApi('the livedata cache read back', 'fmt=obj&cache=ldata', 'object', livedataCache),
  localApi('meter data objects', 'match=meter/data&fmt=obj&cache=mdata', 'object', meterData),
  localApi('inverter data objects (two of them)', 'match=inverter/data&fmt=obj&cache=mdata', 'object', inverterData),
  {
    name: 'everything, a PV-only site with 2 meters and 12 inverters',
    source: 'steveturbek/SunPower-PVS-Supervisor example_data/PVS6_vaserver_output_20250930_115822.json (serials redacted)',
    firmware: 'pvs6-61845',
    query: 'match=/&fmt=obj',
    format: 'object',
    data: dump61845,
  },
];

/** A frame of a PV-only PVS6 (PVS Recorder README): `time` in seconds, no battery fields. */
export const TELEMETRY_FRAME_EXAMPLES: readonly { readonly source: string; readonly frame: unknown }[] = [
  {
    source: 'PVS Recorder README (a PVS6, 2025-07)',
    frame: {
      notification: 'power',
      params: {
        time: 1753730396,
        site_load_p: 2.1732543945312505,
        net_p: -4.3857470703125,
        pv_p: 6.5590014648437509,
        site_load_en: 39676.479999999996,
        net_en: 6473.23,
        pv_en: 33203.25,
      },
    },
  },
];
