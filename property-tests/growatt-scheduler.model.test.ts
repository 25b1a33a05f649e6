/**
 * The Growatt rate limits, model-based, against the emulator with rate limits ON and on its virtual clock.
 *
 * 1. Through the typed client's scheduler (`marginMs: 0`, sleeping advances the virtual clock): random valid calls
 *    from the fleet, identical repeats and bursts, interleaved with clock advances of 0-400 s. The server never
 *    answers 10012, and the model predicts exactly when each call is sent (its window after the previous identical
 *    send) and which calls the scheduler refuses locally for the daily cap (GrowattDailyCapError).
 * 2. The same calls sent raw (`call()` from test-support, no scheduler): the model predicts 10012 exactly for an
 *    identical call inside its window (measured from the last accepted one) or past the daily cap, and 0 otherwise.
 *
 * The model knows RATE_LIMITS, rateLimitKey and capDayOf from the contract and nothing of either implementation.
 * Failures print the fast-check seed and the command list; rerun with `fc.assert(..., { seed, path })`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capDayOf, ENDPOINTS, RATE_LIMITS, rateLimitKey, type EndpointId, type TimeUnit } from '../contracts/growatt/index.js';
import { testGrowatt } from '../emulators/growatt/test-support.js';
import { GrowattClient, GrowattDailyCapError, GrowattRateLimitError, type GrowattRequest } from '../src/clients/growatt/index.js';

type Harness = Awaited<ReturnType<typeof testGrowatt>>;

const MINUTE = 60_000;
const DAY_MS = 86_400_000;
/** The harness's world: Freiburg, UTC+2. */
const PLANT_OFFSET_MINUTES = 120;
const FLEET = { devices: 3, accounts: 1, sphPerPlant: 2 } as const;

// ---- calls -------------------------------------------------------------------------------------------------

/** A call in terms of the fleet (device and plant indexes, days back from the start date), resolved per run. */
type Spec =
  | { ep: 'mixLastData'; dev: number }
  | { ep: 'mixsData'; devs: number[]; pageNum: number }
  | { ep: 'alarmData'; dev: number; back: number }
  | { ep: 'plantList'; page: number | undefined; perpage: number | undefined }
  | { ep: 'plantData'; plant: number }
  | { ep: 'deviceList'; plant: number; page: number | undefined }
  | { ep: 'mixData'; dev: number; back: number; span: number; page: number | undefined; perpage: number | undefined }
  | { ep: 'plantEnergy'; plant: number; unit: TimeUnit; back: number; span: number }
  | { ep: 'plantPower'; plant: number; back: number }
  | { ep: 'mixDataInfo'; dev: number }
  | { ep: 'readMixParam'; dev: number; paramId: string };

interface Fleet {
  sns: string[];
  plantIds: number[];
  /** The plant-local date of the start, `YYYY-MM-DD`. */
  startDate: string;
}

/** One call: the endpoint, its wire parameters exactly as the typed client sends them, and the typed call. */
interface ApiCall {
  endpoint: EndpointId;
  params: Record<string, string | undefined>;
  typed: (client: GrowattClient) => Promise<unknown>;
}

const text = (n: number | undefined) => (n === undefined ? undefined : String(n));
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

function resolve(spec: Spec, fleet: Fleet): ApiCall {
  const sn = (i: number) => fleet.sns[i % fleet.sns.length]!;
  const plant = (i: number) => fleet.plantIds[i % fleet.plantIds.length]!;
  const date = (back: number) => addDays(fleet.startDate, -back);
  switch (spec.ep) {
    case 'mixLastData':
      return { endpoint: spec.ep, params: { mix_sn: sn(spec.dev) }, typed: (c) => c.mixLastData(sn(spec.dev)) };
    case 'mixsData': {
      const sns = spec.devs.map(sn);
      return { endpoint: spec.ep, params: { mixs: sns.join(','), pageNum: String(spec.pageNum) }, typed: (c) => c.mixsData(sns, spec.pageNum) };
    }
    case 'alarmData': {
      const query = { sn: sn(spec.dev), date: date(spec.back) };
      return { endpoint: spec.ep, params: { mix_sn: query.sn, date: query.date, page: undefined, perpage: undefined }, typed: (c) => c.alarmData(query) };
    }
    case 'plantList': {
      const options = { page: spec.page, perpage: spec.perpage };
      const params = { page: text(spec.page), perpage: text(spec.perpage), search_type: undefined, search_keyword: undefined };
      return { endpoint: spec.ep, params, typed: (c) => c.plantList(options) };
    }
    case 'plantData':
      return { endpoint: spec.ep, params: { plant_id: String(plant(spec.plant)) }, typed: (c) => c.plantData(plant(spec.plant)) };
    case 'deviceList': {
      const params = { plant_id: String(plant(spec.plant)), page: text(spec.page), perpage: undefined };
      return { endpoint: spec.ep, params, typed: (c) => c.deviceList(plant(spec.plant), { page: spec.page }) };
    }
    case 'mixData': {
      const start = date(spec.back);
      const end = addDays(start, spec.span);
      const query = { sn: sn(spec.dev), startDate: start, endDate: end, page: spec.page, perpage: spec.perpage };
      const params = { mix_sn: query.sn, start_date: start, end_date: end, timezone_id: undefined, page: text(spec.page), perpage: text(spec.perpage) };
      return { endpoint: spec.ep, params, typed: (c) => c.mixData(query) };
    }
    case 'plantEnergy': {
      // day: up to 7 days; month and year: from `back` days ago to the start date (same or previous year, < 20 years).
      const start = date(spec.back);
      const end = spec.unit === 'day' ? addDays(start, spec.span) : fleet.startDate;
      const query = { plantId: plant(spec.plant), startDate: start, endDate: end, timeUnit: spec.unit };
      const params = { plant_id: String(query.plantId), start_date: start, end_date: end, time_unit: spec.unit, page: undefined, perpage: undefined };
      return { endpoint: spec.ep, params, typed: (c) => c.plantEnergy(query) };
    }
    case 'plantPower':
      return { endpoint: spec.ep, params: { plant_id: String(plant(spec.plant)), date: date(spec.back) }, typed: (c) => c.plantPower(plant(spec.plant), date(spec.back)) };
    case 'mixDataInfo':
      return { endpoint: spec.ep, params: { device_sn: sn(spec.dev) }, typed: (c) => c.mixDataInfo(sn(spec.dev)) };
    case 'readMixParam': {
      const params = { device_sn: sn(spec.dev), paramId: spec.paramId, startAddr: '0', endAddr: '0' };
      return { endpoint: spec.ep, params, typed: (c) => c.readMixParam(sn(spec.dev), spec.paramId) };
    }
  }
}

const dev = fc.integer({ min: 0, max: FLEET.devices - 1 });
const plantIndex = fc.integer({ min: 0, max: 1 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Valid calls over a small parameter space, so identical calls recur often. */
const spec: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 3, arbitrary: dev.map((d): Spec => ({ ep: 'mixLastData', dev: d })) },
  { weight: 2, arbitrary: fc.record({ devs: fc.array(dev, { minLength: 1, maxLength: 3 }), pageNum: fc.constantFrom(1, 2) }).map((r): Spec => ({ ep: 'mixsData', ...r })) },
  { weight: 2, arbitrary: fc.record({ dev, back: fc.integer({ min: 0, max: 2 }) }).map((r): Spec => ({ ep: 'alarmData', ...r })) },
  { weight: 5, arbitrary: fc.record({ page: maybe(fc.constantFrom(1, 2)), perpage: maybe(fc.constantFrom(1, 5, 100)) }).map((r): Spec => ({ ep: 'plantList', ...r })) },
  { weight: 1, arbitrary: plantIndex.map((p): Spec => ({ ep: 'plantData', plant: p })) },
  { weight: 1, arbitrary: fc.record({ plant: plantIndex, page: maybe(fc.constantFrom(1, 2)) }).map((r): Spec => ({ ep: 'deviceList', ...r })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ dev, back: fc.integer({ min: 0, max: 7 }), span: fc.integer({ min: 0, max: 7 }), page: maybe(fc.constantFrom(1, 2)), perpage: maybe(fc.constantFrom(20, 100)) })
      .map((r): Spec => ({ ep: 'mixData', ...r })),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({ plant: plantIndex, unit: fc.constantFrom<TimeUnit>('day', 'month', 'year'), back: fc.integer({ min: 0, max: 6 }), span: fc.integer({ min: 0, max: 7 }) })
      .map((r): Spec => ({ ep: 'plantEnergy', ...r, back: r.unit === 'day' ? r.back : r.back * 30 })),
  },
  { weight: 1, arbitrary: fc.record({ plant: plantIndex, back: fc.integer({ min: 0, max: 2 }) }).map((r): Spec => ({ ep: 'plantPower', ...r })) },
  { weight: 1, arbitrary: dev.map((d): Spec => ({ ep: 'mixDataInfo', dev: d })) },
  { weight: 1, arbitrary: fc.record({ dev, paramId: fc.constantFrom('pv_on_off', 'pv_active_p_rate', 'mix_off_grid_enable') }).map((r): Spec => ({ ep: 'readMixParam', ...r })) },
);

/** 0-400 s, plus the exact window lengths and one millisecond short of them. */
const advanceMs = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 400_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(9_999, 10_000, 299_999, 300_000) },
);

const startMs = fc.integer({ min: -3 * 60, max: 60 }).map((m) => Date.parse('2026-03-10T16:00:00Z') + m * MINUTE);

function plantDate(epochMs: number): string {
  return new Date(epochMs + PLANT_OFFSET_MINUTES * MINUTE).toISOString().slice(0, 10);
}

async function harness(start: number): Promise<{ h: Harness; fleet: Fleet }> {
  // One backfill day keeps history replays cheap; rate limits do not depend on how much history there is.
  const h = await testGrowatt({ start, fleet: { seed: 5, ...FLEET }, backfillDays: 1 });
  expect(h.growatt.settings.rateLimits).toBe(true);
  const fleet = { sns: h.sns, plantIds: [...h.growatt.fleet.demoAccount.plantIds], startDate: plantDate(start) };
  expect(fleet.plantIds).toHaveLength(2);
  return { h, fleet };
}

/** Daily-cap usage of an endpoint on a server day (UTC+8), as the model counts it. */
const capKey = (endpoint: EndpointId, at: number) => `${endpoint}@${capDayOf(at)}`;

// ---- 1. through the scheduler --------------------------------------------------------------------------------

interface SchedulerModel {
  now: number;
  /** Last send per rateLimitKey. */
  lastSent: Map<string, number>;
  capUsed: Map<string, number>;
  last: Spec | undefined;
}

interface SchedulerReal {
  h: Harness;
  fleet: Fleet;
  client: GrowattClient;
  /** Requests the server answered with 10012. */
  refused: string[];
}

/** What the scheduler will do with the next call: when it sends it, or that it refuses it for the daily cap. */
function predictScheduled(m: SchedulerModel, call: ApiCall): { at: number; capped: boolean } {
  const limit = RATE_LIMITS[call.endpoint];
  const key = rateLimitKey(call.endpoint, call.params);
  const last = m.lastSent.get(key);
  const at = limit.minIntervalMs !== null && last !== undefined ? Math.max(m.now, last + limit.minIntervalMs) : m.now;
  const capped = limit.dailyCap !== null && (m.capUsed.get(capKey(call.endpoint, at)) ?? 0) >= limit.dailyCap;
  m.now = at;
  if (!capped) {
    m.lastSent.set(key, at);
    if (limit.dailyCap !== null) m.capUsed.set(capKey(call.endpoint, at), (m.capUsed.get(capKey(call.endpoint, at)) ?? 0) + 1);
  }
  return { at, capped };
}

function expectOutcome(outcome: unknown, capped: boolean, label: string): void {
  expect(outcome, label).not.toBeInstanceOf(GrowattRateLimitError);
  if (capped) expect(outcome, `${label}: expected a local daily-cap refusal`).toBeInstanceOf(GrowattDailyCapError);
  else if (outcome !== null) expect.fail(`${label}: expected success, got ${String(outcome)}`);
}

const settle = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => null, (error: unknown) => error);

/** One typed call (or `times` identical ones at once): sent when the model says, never answered 10012. */
class ScheduledCall implements fc.AsyncCommand<SchedulerModel, SchedulerReal> {
  constructor(readonly spec: Spec | 'repeat', readonly times = 1) {}
  check = (m: Readonly<SchedulerModel>) => this.spec !== 'repeat' || m.last !== undefined;
  async run(m: SchedulerModel, r: SchedulerReal) {
    const spec = this.spec === 'repeat' ? m.last! : this.spec;
    m.last = spec;
    const call = resolve(spec, r.fleet);
    // Identical calls queue on one lane, in order; each waits its window after the previous send.
    const predicted = Array.from({ length: this.times }, () => predictScheduled(m, call));
    const outcomes = await Promise.all(Array.from({ length: this.times }, () => settle(call.typed(r.client))));
    outcomes.forEach((outcome, i) => expectOutcome(outcome, predicted[i]!.capped, `${this} #${i + 1}`));
    expect(r.refused, 'requests the server answered with 10012').toEqual([]);
    expect(r.h.clock.now(), `${this}: virtual time after the last send`).toBe(m.now);
  }
  toString = () => `${this.times > 1 ? `${this.times}× ` : ''}${this.spec === 'repeat' ? 'repeat' : JSON.stringify(this.spec)}`;
}

class SchedulerAdvance implements fc.AsyncCommand<SchedulerModel, SchedulerReal> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(m: SchedulerModel, r: SchedulerReal) {
    m.now += this.ms;
    r.h.clock.advance(this.ms);
  }
  toString = () => `advance(${this.ms})`;
}

const schedulerCommands = [
  spec.map((s) => new ScheduledCall(s)),
  fc.constant(new ScheduledCall('repeat')),
  fc.tuple(spec, fc.integer({ min: 2, max: 3 })).map(([s, n]) => new ScheduledCall(s, n)),
  advanceMs.map((ms) => new SchedulerAdvance(ms)),
];

// ---- 2. raw calls ----------------------------------------------------------------------------------------------

interface RawModel {
  now: number;
  /** Last accepted call per rateLimitKey (refused calls do not count). */
  lastOk: Map<string, number>;
  capUsed: Map<string, number>;
  last: Spec | undefined;
}

interface RawReal {
  h: Harness;
  fleet: Fleet;
}

/** The server's answer to an identical-call window or a used-up daily cap: 10012; anything else valid: 0. */
function predictRaw(m: RawModel, call: ApiCall): number {
  const limit = RATE_LIMITS[call.endpoint];
  const key = rateLimitKey(call.endpoint, call.params);
  const last = m.lastOk.get(key);
  if (limit.minIntervalMs !== null && last !== undefined && m.now - last < limit.minIntervalMs) return 10012;
  const used = m.capUsed.get(capKey(call.endpoint, m.now)) ?? 0;
  if (limit.dailyCap !== null && used >= limit.dailyCap) return 10012;
  m.lastOk.set(key, m.now);
  if (limit.dailyCap !== null) m.capUsed.set(capKey(call.endpoint, m.now), used + 1);
  return 0;
}

async function sendRaw(r: RawReal, call: ApiCall) {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(call.params)) if (value !== undefined) params[key] = value;
  return r.h.call(ENDPOINTS[call.endpoint].method, ENDPOINTS[call.endpoint].path, params);
}

/** One raw call (or `times` back to back): 10012 exactly when the model says. */
class RawCall implements fc.AsyncCommand<RawModel, RawReal> {
  constructor(readonly spec: Spec, readonly times = 1) {}
  check = () => true;
  async run(m: RawModel, r: RawReal) {
    m.last = this.spec;
    const call = resolve(this.spec, r.fleet);
    for (let i = 0; i < this.times; i++) {
      const expected = predictRaw(m, call);
      const reply = await sendRaw(r, call);
      expect(reply.status).toBe(200);
      expect(reply.body.error_code, `${this} #${i + 1} at +${m.now % DAY_MS} ms of the UTC day`).toBe(expected);
    }
  }
  toString = () => `${this.times > 1 ? `${this.times}× ` : ''}raw ${JSON.stringify(this.spec)}`;
}

/** The previous call again, `deltaMs` from the end of its window (measured from its last accepted send). */
class RawRepeatAtWindow implements fc.AsyncCommand<RawModel, RawReal> {
  constructor(readonly deltaMs: number) {}
  check = (m: Readonly<RawModel>) => m.last !== undefined;
  async run(m: RawModel, r: RawReal) {
    const call = resolve(m.last!, r.fleet);
    const window = RATE_LIMITS[call.endpoint].minIntervalMs;
    const last = m.lastOk.get(rateLimitKey(call.endpoint, call.params));
    if (window !== null && last !== undefined) {
      const ms = Math.max(0, last + window + this.deltaMs - m.now);
      m.now += ms;
      r.h.clock.advance(ms);
    }
    const expected = predictRaw(m, call);
    const reply = await sendRaw(r, call);
    expect(reply.body.error_code, `${this} of ${JSON.stringify(m.last)}`).toBe(expected);
  }
  toString = () => `repeatAtWindow(${this.deltaMs >= 0 ? '+' : ''}${this.deltaMs})`;
}

class RawAdvance implements fc.AsyncCommand<RawModel, RawReal> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(m: RawModel, r: RawReal) {
    m.now += this.ms;
    r.h.clock.advance(this.ms);
  }
  toString = () => `advance(${this.ms})`;
}

const rawCommands = [
  spec.map((s) => new RawCall(s)),
  fc.tuple(spec, fc.integer({ min: 2, max: 3 })).map(([s, n]) => new RawCall(s, n)),
  fc.constantFrom(-1, 0, 1, -5_000).map((d) => new RawRepeatAtWindow(d)),
  advanceMs.map((ms) => new RawAdvance(ms)),
];

// ---- properties ------------------------------------------------------------------------------------------------

describe('Growatt rate limits (model-based, emulator on a virtual clock)', () => {
  // Invariant: through the scheduler no request is ever answered 10012; only the daily cap refuses, locally.
  it('the scheduler never lets a call reach 10012, sends each call exactly when its window opens, and refuses the daily cap locally', async () => {
    await fc.assert(
      fc.asyncProperty(startMs, fc.commands(schedulerCommands, { maxCommands: 60, size: 'max' }), async (start, cmds) => {
        const { h, fleet } = await harness(start);
        const refused: string[] = [];
        const transport = async (request: GrowattRequest) => {
          const response = await h.transport(request);
          if ((JSON.parse(response.body) as { error_code?: unknown }).error_code === 10012) refused.push(request.url);
          return response;
        };
        const client = new GrowattClient({
          token: h.token,
          baseUrl: 'http://growatt.test',
          transport,
          scheduler: { now: h.schedulerClock.now, sleep: h.schedulerClock.sleep, marginMs: 0 },
        });
        const model: SchedulerModel = { now: start, lastSent: new Map(), capUsed: new Map(), last: undefined };
        try {
          await fc.asyncModelRun(() => ({ model, real: { h, fleet, client, refused } }), cmds);
        } finally {
          await h.app.close();
        }
      }),
      { numRuns: 25 },
    );
  });

  // Invariant: without a scheduler, 10012 comes exactly for a repeat inside its window or past the daily cap.
  it('raw calls get 10012 exactly inside their window or past the daily cap, and never once spaced by the window', async () => {
    await fc.assert(
      fc.asyncProperty(startMs, fc.commands(rawCommands, { maxCommands: 60, size: 'max' }), async (start, cmds) => {
        const { h, fleet } = await harness(start);
        const model: RawModel = { now: start, lastOk: new Map(), capUsed: new Map(), last: undefined };
        try {
          await fc.asyncModelRun(() => ({ model, real: { h, fleet } }), cmds);
        } finally {
          await h.app.close();
        }
      }),
      { numRuns: 25 },
    );
  });
});
