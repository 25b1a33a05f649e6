/**
 * Test helpers: an in-process fake of the v1 service built on the client's `transport` option (records every
 * request, answers with contract fixtures or error bodies), and a virtual clock for the scheduler.
 */
import {
  endpointFor,
  errorReply,
  readFixture,
  type EndpointId,
  type MixTelemetry,
} from '../../../contracts/growatt/index.js';
import { GrowattClient, type GrowattClientOptions } from './client.js';
import type { GrowattRequest, GrowattResponse, GrowattTransport } from './transport.js';

export const TOKEN = '0123456789abcdef0123456789abcdef';
export const BASE_URL = 'http://growatt.test';

export const FIXTURE_FOR: { readonly [K in EndpointId]: string } = {
  plantList: 'plant_list.json',
  plantDetails: 'plant_details.json',
  plantData: 'plant_data.json',
  plantEnergy: 'plant_energy_day.json',
  plantPower: 'plant_power.json',
  deviceList: 'device_list.json',
  mixDataInfo: 'mix_data_info.json',
  mixLastData: 'mix_last_data.json',
  mixsData: 'mixs_data.json',
  mixData: 'mix_data.json',
  alarmData: 'alarm_data.json',
  readMixParam: 'read_mix_param.json',
  mixSet: 'mix_set.json',
  tlxDataInfo: 'tlx_data_info.json',
  tlxSetInfo: 'tlx_set_info.json',
  tlxLastData: 'tlx_last_data.json',
  tlxsData: 'tlxs_data.json',
  tlxData: 'tlx_data.json',
  readMinParam: 'read_min_param.json',
  tlxSet: 'tlx_set.json',
};

export interface SeenRequest {
  readonly endpoint: EndpointId | undefined;
  readonly method: string;
  readonly path: string;
  /** Query-string params (first value per key). */
  readonly query: Record<string, string>;
  /** Form-body params (first value per key); empty for GET. */
  readonly form: Record<string, string>;
  /** All values per key, query and body merged, for repeated keys. */
  readonly all: URLSearchParams;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /** The fake's clock reading when the request arrived (0 without a clock). */
  readonly at: number;
  readonly raw: GrowattRequest;
}

/** A handler answers with a JSON-able body (sent as 200), or a raw `{ status, body }` via `rawReply`. */
export type FakeHandler = (request: SeenRequest) => unknown;

const RAW = Symbol('raw reply');
export function rawReply(status: number, body: string): { [RAW]: GrowattResponse } {
  return { [RAW]: { status, body } };
}

export const fixtureHandler: FakeHandler = (request) =>
  request.endpoint === undefined ? rawReply(404, 'not found') : readFixture(FIXTURE_FOR[request.endpoint]);

/** Answers `error_code` for every request, with the contract's message for that endpoint. */
export const errorHandler =
  (code: number): FakeHandler =>
  (request) =>
    errorReply(request.endpoint ?? null, code);

export interface FakeServer {
  readonly requests: SeenRequest[];
  readonly transport: GrowattTransport;
  handler: FakeHandler;
}

export function fakeServer(handler: FakeHandler = fixtureHandler, now: () => number = () => 0): FakeServer {
  const server: FakeServer = {
    requests: [],
    handler,
    transport: async (raw) => {
      const url = new URL(raw.url);
      const formParams = new URLSearchParams(raw.body ?? '');
      const all = new URLSearchParams(url.searchParams);
      for (const [key, value] of formParams) all.append(key, value);
      const request: SeenRequest = {
        endpoint: endpointFor(raw.method, url.pathname),
        method: raw.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        form: Object.fromEntries(formParams),
        all,
        headers: raw.headers,
        body: raw.body,
        at: now(),
        raw,
      };
      server.requests.push(request);
      const reply = server.handler(request);
      if (typeof reply === 'object' && reply !== null && RAW in reply) return (reply as { [RAW]: GrowattResponse })[RAW];
      return { status: 200, body: JSON.stringify(reply) };
    },
  };
  return server;
}

/**
 * Virtual time: `sleep` parks a timer, `drain` fires timers in time order (letting promise chains settle between
 * them) until none are left.
 */
export class FakeClock {
  t: number;
  readonly #timers: { at: number; resolve: () => void }[] = [];

  constructor(start = 0) {
    this.t = start;
  }

  readonly now = (): number => this.t;

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.#timers.push({ at: this.t + ms, resolve });
    });

  async drain(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.#timers.length === 0) return;
      this.#timers.sort((a, b) => a.at - b.at);
      const next = this.#timers.shift()!;
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
  }

  /** Runs the clock until `promise` settles, then returns its outcome. */
  async run<T>(promise: Promise<T>): Promise<T> {
    promise.catch(() => undefined);
    await this.drain();
    return promise;
  }
}

/** A client on the fake, rate limiting off unless `scheduler` is given. */
export function fakeClient(server: FakeServer, options: Partial<GrowattClientOptions> = {}): GrowattClient {
  return new GrowattClient({
    token: TOKEN,
    baseUrl: BASE_URL,
    transport: server.transport,
    scheduler: { enabled: false },
    ...options,
  });
}

/** The seed telemetry re-labelled as `sn`, with its own `time`. */
export function telemetryFor(sn: string, time = '2021-01-08 18:10:31'): MixTelemetry {
  const body = readFixture('mix_last_data.json') as { data: MixTelemetry };
  return { ...structuredClone(body.data), serialNum: sn, time };
}

/** A mixs_data success reply for the SNs of a request, echoing `mixs` as sent. */
export function mixsDataReply(request: SeenRequest): unknown {
  const sns = (request.form['mixs'] ?? '').split(',');
  const data: Record<string, unknown> = {};
  for (const sn of sns) data[sn] = { dataloggerSn: 'NAC59173CA', [sn]: telemetryFor(sn) };
  return { mixs: sns, data, pageNum: Number(request.form['pageNum']), error_code: 0, error_msg: '' };
}
