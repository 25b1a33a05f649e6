import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../emulators/core/clock.js';
import { World } from '../emulators/core/world/world.js';
import { createPvsServer } from '../emulators/sunpower-pvs/server.js';
import { PvsClient, PvsUnavailableError, backoffDelay, type DeviceListResult } from '../src/clients/sunpower-pvs/index.js';
import { injectFetch } from './support/inject-fetch.js';

/**
 * What the test expects of the device: active 503 fault rules (each covers its own next N requests,
 * so rules added together overlap) and a restart window in virtual time.
 */
interface Model {
  now: number;
  faultsRemaining: number[];
  restartUntil: number;
}

interface Real {
  clock: VirtualClock;
  app: Awaited<ReturnType<typeof createPvsServer>>['app'];
  once: PvsClient;
  patient: PvsClient;
}

const BACKOFF = { backoffMs: 20_000, maxBackoffMs: 120_000 };
const PATIENT_RETRIES = 6;

/** One request as the device sees it: every active 503 rule fires (and counts down), then the restart window. */
function modelRequest(m: Model): 'ok' | 'unavailable' {
  if (m.faultsRemaining.length > 0) {
    m.faultsRemaining = m.faultsRemaining.map((n) => n - 1).filter((n) => n > 0);
    return 'unavailable';
  }
  return m.now < m.restartUntil ? 'unavailable' : 'ok';
}

function expectDeviceList(result: DeviceListResult): void {
  expect(result.devices[0]!.kind).toBe('supervisor');
  expect(result.devices.filter((d) => d.kind === 'inverter')).toHaveLength(6);
}

class Advance implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    m.now += this.ms;
    r.clock.advance(this.ms);
  }
  toString = () => `advance(${this.ms})`;
}

class Inject503 implements fc.AsyncCommand<Model, Real> {
  constructor(readonly times: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const response = await r.app.inject({ method: 'POST', url: '/__emu/faults', payload: { kind: 'status', status: 503, times: this.times, match: { command: 'DeviceList' } } });
    expect(response.statusCode).toBe(201);
    m.faultsRemaining.push(this.times);
  }
  toString = () => `inject503(x${this.times})`;
}

class Restart implements fc.AsyncCommand<Model, Real> {
  constructor(readonly outageMs: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const response = await r.app.inject({ method: 'PATCH', url: '/__emu/state', payload: { restart: this.outageMs } });
    expect(response.statusCode).toBe(200);
    m.restartUntil = m.now + this.outageMs;
  }
  toString = () => `restart(${this.outageMs})`;
}

/** One attempt, no retry: a typed PvsUnavailableError exactly while the fault lasts. */
class PollOnce implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const expected = modelRequest(m);
    if (expected === 'ok') {
      expectDeviceList(await r.once.deviceList());
    } else {
      const error = await r.once.deviceList().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(PvsUnavailableError);
      expect((error as PvsUnavailableError).attempts).toBe(1);
    }
  }
  toString = () => 'pollOnce';
}

/** With retries whose back-off lets (virtual) time pass, the client recovers once the fault clears. */
class PollPatiently implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    let outcome: 'ok' | 'unavailable' = 'unavailable';
    let attempts = 0;
    for (let attempt = 0; attempt <= PATIENT_RETRIES; attempt++) {
      attempts++;
      outcome = modelRequest(m);
      if (outcome === 'ok') break;
      if (attempt < PATIENT_RETRIES) m.now += backoffDelay(attempt + 1, { retries: PATIENT_RETRIES, ...BACKOFF });
    }
    if (outcome === 'ok') {
      expectDeviceList(await r.patient.deviceList());
    } else {
      const error = await r.patient.deviceList().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(PvsUnavailableError);
      expect((error as PvsUnavailableError).attempts).toBe(attempts);
    }
    expect(r.clock.now()).toBe(m.now);
  }
  toString = () => 'pollPatiently';
}

const commands = [
  fc.integer({ min: 1_000, max: 15 * 60_000 }).map((ms) => new Advance(ms)),
  fc.integer({ min: 1, max: 4 }).map((n) => new Inject503(n)),
  fc.integer({ min: 30_000, max: 10 * 60_000 }).map((ms) => new Restart(ms)),
  fc.constant(new PollOnce()),
  fc.constant(new PollPatiently()),
];

describe('PVS faults and recovery (model-based)', () => {
  it('the client reports a typed error while a 503 or a restart lasts and recovers once it clears', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 25 }), fc.integer({ min: 0, max: 1000 }), async (cmds, seed) => {
        const start = Date.parse('2026-06-21T18:00:00Z');
        const clock = new VirtualClock({ start, speed: 0 });
        const world = new World({ seed, cloudCover: 0 }, clock);
        const server = await createPvsServer({ world, site: { panels: 6 } });
        const fetch = injectFetch(server.app);
        // The patient client's back-off advances the emulator's virtual clock instead of sleeping.
        const sleep = async (ms: number) => {
          clock.advance(ms);
        };
        const real: Real = {
          clock,
          app: server.app,
          once: new PvsClient({ baseUrl: 'http://pvs.test', fetch, retries: 0 }),
          patient: new PvsClient({ baseUrl: 'http://pvs.test', fetch, retries: PATIENT_RETRIES, ...BACKOFF, sleep }),
        };
        const model: Model = { now: start, faultsRemaining: [], restartUntil: 0 };
        try {
          await fc.asyncModelRun(() => ({ model, real }), cmds);
        } finally {
          await server.app.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
