/**
 * A Growatt OpenAPI on a manual clock for `inject()`-based tests, plus a client transport that talks to it
 * in-process and a scheduler clock bound to the emulator's virtual time; and an HTTPS caller for tests of the real
 * listener under the cloud's host names.
 */
import type { X509Certificate } from 'node:crypto';
import { request, type RequestOptions } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { VirtualClock } from '../core/clock.js';
import { World, type WorldConfig } from '../core/world/world.js';
import type { GrowattSettings } from './emulator.js';
import type { FleetConfig } from './fleet.js';
import { createGrowattServer } from './server.js';

/** 13:00 in Freiburg (UTC+2) on the June solstice: full sun. */
export const GROWATT_NOON = Date.parse('2026-06-21T11:00:00Z');
/** 02:00 local: dark. */
export const GROWATT_NIGHT = Date.parse('2026-06-21T00:00:00Z');

export interface TestGrowattOptions {
  start?: number;
  fleet?: Partial<Omit<FleetConfig, 'seed'>> & { seed?: number };
  settings?: Partial<GrowattSettings>;
  world?: Partial<WorldConfig>;
  backfillDays?: number;
}

/** Request shape of the client's `transport` option (kept structural so emulators do not import clients). */
interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** A Growatt cloud for one site in Freiburg on a manual clock; rate limits on unless `settings` says otherwise. */
export async function testGrowatt(options: TestGrowattOptions = {}) {
  const clock = new VirtualClock({ start: options.start ?? GROWATT_NOON, speed: 0 });
  const world = new World({ latitude: 48, longitude: 7.85, utcOffsetMinutes: 120, cloudCover: 0, seed: 11, ...options.world }, clock);
  const server = await createGrowattServer({
    world,
    ...(options.fleet ? { fleet: options.fleet } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.backfillDays !== undefined ? { backfillDays: options.backfillDays } : {}),
  });
  const growatt = server.growatt;
  const token = growatt.demoToken;
  /** Sends a call with the demo token (or `as`); GET params go in the query, POST params in a form body. */
  const call = async (method: 'GET' | 'POST', path: string, params: Record<string, string> = {}, as: string | null = token) => {
    const encoded = new URLSearchParams(params).toString();
    const headers: Record<string, string> = as === null ? {} : { token: as };
    const response =
      method === 'GET'
        ? await server.app.inject({ method, url: encoded ? `${path}?${encoded}` : path, headers })
        : await server.app.inject({ method, url: path, payload: encoded, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } });
    return { status: response.statusCode, body: JSON.parse(response.body) as Record<string, unknown> & { error_code: number; error_msg: string; data: unknown } };
  };
  /** For GrowattClient's `transport` option: the same app, in-process. */
  const transport = async (request: TransportRequest) => {
    const response = await server.app.inject({
      method: request.method as 'GET' | 'POST',
      url: request.url,
      headers: request.headers,
      ...(request.body !== undefined ? { payload: request.body } : {}),
    });
    return { status: response.statusCode, body: response.body };
  };
  /** For the client's scheduler: virtual now, and sleeping advances the manual clock. */
  const schedulerClock = {
    now: () => clock.now(),
    sleep: async (ms: number) => {
      clock.advance(Math.max(0, ms));
    },
  };
  const sns = [...growatt.fleet.devices.keys()];
  return { ...server, world, clock, growatt, token, call, transport, schedulerClock, sns };
}

/** Every name resolves to 127.0.0.1, in this process only (a hosts entry's effect; /etc/hosts is never touched). */
export const toLoopback: LookupFunction = (_hostname, options, callback) => {
  if (options.all) (callback as (error: null, addresses: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

export interface HttpsCall {
  /** The name the client uses (openapi.growatt.com, …): resolved to 127.0.0.1 here and checked against the certificate. */
  host: string;
  port: number;
  /** The only trust anchor. */
  ca: string;
  token: string;
  method?: 'GET' | 'POST';
  path: string;
  /** growattServer's wire form: in the query string on GET, a form body on POST. */
  params?: Record<string, string>;
}

export interface HttpsReply {
  status: number;
  body: string;
  /** The certificate the server presented. */
  peer: X509Certificate;
}

/** One call over real TLS, as a client that hard-codes the cloud's host and trusts only `ca` makes it. */
export function httpsCall(call: HttpsCall): Promise<HttpsReply> {
  const method = call.method ?? 'GET';
  const encoded = new URLSearchParams(call.params ?? {}).toString();
  const path = method === 'GET' && encoded ? `${call.path}?${encoded}` : call.path;
  const headers: Record<string, string> = { token: call.token };
  if (method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';
  const options: RequestOptions = { host: call.host, port: call.port, method, path, headers, ca: call.ca, lookup: toLoopback, agent: false };
  return new Promise((resolve, reject) => {
    const req = request(options, (response) => {
      const peer = (response.socket as TLSSocket).getPeerX509Certificate()!;
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, peer }));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? encoded : undefined);
  });
}
