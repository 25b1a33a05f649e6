import { describe, expect, it } from 'vitest';
import { capDayOf, errorReply, RATE_LIMITS } from '../../../contracts/growatt/index.js';
import {
  GrowattDailyCapError,
  GrowattNotFoundError,
  GrowattRateLimitError,
} from './errors.js';
import { RateLimitScheduler, UNLISTED_RETRY_WINDOW_MS, type SchedulerOptions } from './scheduler.js';
import { FakeClock, fakeClient, fakeServer, fixtureHandler, type FakeHandler } from './test-support.js';

const LAST_DATA_WINDOW = RATE_LIMITS.mixLastData.minIntervalMs!; // 10 s
const MARGIN = 250;

function setup(handler: FakeHandler = fixtureHandler, options: SchedulerOptions = {}, start = 0) {
  const clock = new FakeClock(start);
  const server = fakeServer(handler, clock.now);
  const scheduler = new RateLimitScheduler({ now: clock.now, sleep: clock.sleep, ...options });
  const client = fakeClient(server, { scheduler });
  return { clock, server, client, scheduler };
}

/** Fails the first `n` calls with `code`, then answers the fixture. */
function failingFirst(n: number, code: number): FakeHandler {
  let calls = 0;
  return (request) => (calls++ < n ? errorReply(request.endpoint ?? null, code) : fixtureHandler(request));
}

describe('windows', () => {
  it('spaces identical calls by the window plus the margin, in call order, without failing', async () => {
    const { clock, server, client } = setup();
    const results = await clock.run(Promise.all([client.mixLastData('A'), client.mixLastData('A'), client.mixLastData('A')]));
    expect(results).toHaveLength(3);
    const step = LAST_DATA_WINDOW + MARGIN;
    expect(server.requests.map((r) => r.at)).toEqual([0, step, 2 * step]);
  });

  it('does not make calls with different keys wait for each other', async () => {
    const { clock, server, client } = setup();
    await clock.run(Promise.all([client.mixLastData('A'), client.mixLastData('B'), client.mixLastData('A'), client.mixLastData('C')]));
    const at = Object.fromEntries(['A', 'B', 'C'].map((sn) => [sn, server.requests.filter((r) => r.form['mix_sn'] === sn).map((r) => r.at)]));
    expect(at).toEqual({ A: [0, LAST_DATA_WINDOW + MARGIN], B: [0], C: [0] });
  });

  it('uses each endpoint\'s own window (5 min for plant/data) and measures it from the send time', async () => {
    const { clock, server, client } = setup(fixtureHandler, { marginMs: 0 });
    await clock.run(client.plantData(1));
    clock.t = 60_000; // one minute later
    await clock.run(client.plantData(1));
    expect(server.requests.map((r) => r.at)).toEqual([0, 5 * 60_000]);
  });

  it('does not wait when the window has already passed', async () => {
    const { clock, server, client } = setup();
    await clock.run(client.mixLastData('A'));
    clock.t = 60_000;
    await clock.run(client.mixLastData('A'));
    expect(server.requests.map((r) => r.at)).toEqual([0, 60_000]);
  });

  it('treats the same params in a different order as the same call', async () => {
    const { clock, server, client } = setup(fixtureHandler, { marginMs: 0 });
    await clock.run(Promise.all([client.call('plantPower', { plant_id: '1', date: '2024-01-01' }), client.call('plantPower', { date: '2024-01-01', plant_id: '1' })]));
    expect(server.requests.map((r) => r.at)).toEqual([0, 5 * 60_000]);
  });

  it('does not space endpoints whose page lists no window', async () => {
    const { clock, server, client } = setup();
    await clock.run(Promise.all([client.readMixParam('A', 'pv_on_off'), client.readMixParam('A', 'pv_on_off')]));
    expect(server.requests.map((r) => r.at)).toEqual([0, 0]);
  });

  it('sends everything at once when disabled', async () => {
    const { clock, server, client } = setup(failingFirst(1, 10012), { enabled: false });
    const outcomes = await clock.run(Promise.allSettled([client.mixLastData('A'), client.mixLastData('A')]));
    expect(server.requests.map((r) => r.at)).toEqual([0, 0]);
    expect(outcomes[0]!.status).toBe('rejected'); // a server 10012 is not retried either
  });
});

describe('daily caps', () => {
  it('refuses the 11th plant/list call of a server day locally, and allows calls again the next day', async () => {
    const { clock, server, client, scheduler } = setup();
    const dayStart = (capDayOf(0) + 1) * 86_400_000 - 8 * 3_600_000; // 00:00 in UTC+8
    clock.t = dayStart + 3_600_000;
    for (let page = 1; page <= 10; page += 1) await clock.run(client.plantList({ page }));
    expect(scheduler.remainingToday('plantList')).toBe(0);
    const error = await clock.run(client.plantList({ page: 11 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrowattDailyCapError);
    expect((error as GrowattDailyCapError).cap).toBe(10);
    expect((error as GrowattDailyCapError).resetsAt).toBe(dayStart + 86_400_000);
    expect(server.requests).toHaveLength(10);
    // Other endpoints are not affected; plant/energy has its own cap.
    await clock.run(client.plantData(1));
    expect(scheduler.remainingToday('plantEnergy')).toBe(10);
    expect(scheduler.remainingToday('plantData')).toBeNull();
    clock.t = dayStart + 86_400_000;
    await clock.run(client.plantList({ page: 11 }));
    expect(server.requests).toHaveLength(12);
    expect(scheduler.usedToday('plantList')).toBe(1);
  });
});

describe('server 10012', () => {
  it('waits one window and retries', async () => {
    const { clock, server, client } = setup(failingFirst(1, 10012));
    const reply = await clock.run(client.mixLastData('A'));
    expect(reply.mixSn).toBe('NTCF946079');
    expect(server.requests.map((r) => r.at)).toEqual([0, LAST_DATA_WINDOW + MARGIN]);
  });

  it('gives up after rateLimitRetries and throws GrowattRateLimitError with the attempt count', async () => {
    const { clock, server, client } = setup(failingFirst(99, 10012), { rateLimitRetries: 2 });
    const error = await clock.run(client.mixLastData('A')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrowattRateLimitError);
    expect((error as GrowattRateLimitError).attempts).toBe(3);
    const step = LAST_DATA_WINDOW + MARGIN;
    expect(server.requests.map((r) => r.at)).toEqual([0, step, 2 * step]);
  });

  it('keeps later identical calls behind a retrying one', async () => {
    const { clock, server, client } = setup(failingFirst(1, 10012));
    await clock.run(Promise.all([client.mixLastData('A'), client.mixLastData('A')]));
    const step = LAST_DATA_WINDOW + MARGIN;
    expect(server.requests.map((r) => r.at)).toEqual([0, step, 2 * step]);
  });

  it('backs off a default window on endpoints without a documented one', async () => {
    const { clock, server, client } = setup(failingFirst(1, 10012));
    await clock.run(client.mixDataInfo('A'));
    expect(server.requests.map((r) => r.at)).toEqual([0, UNLISTED_RETRY_WINDOW_MS + MARGIN]);
  });

  it('does not retry mixSet, where 10012 means the device does not exist', async () => {
    const { clock, server, client } = setup(failingFirst(1, 10012));
    const error = await clock.run(client.setPvOn('A', true)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrowattNotFoundError);
    expect(server.requests).toHaveLength(1);
  });

  it('counts retries against the daily cap', async () => {
    const { clock, server, client } = setup(failingFirst(99, 10012));
    const first = await clock.run(client.plantEnergy({ plantId: 1, startDate: '2024-01-01', endDate: '2024-01-02', timeUnit: 'day' })).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(GrowattRateLimitError);
    const errors = [];
    for (let page = 1; page <= 3; page += 1) {
      const query = { plantId: 1, startDate: '2024-01-01', endDate: '2024-01-02', timeUnit: 'day' as const, page };
      errors.push(await clock.run(client.plantEnergy(query)).catch((e: unknown) => e));
    }
    // Three calls use 3 sends each; the fourth gets one send before the cap of 10 runs out.
    expect(errors.map((e) => (e as Error).constructor.name)).toEqual([
      'GrowattRateLimitError',
      'GrowattRateLimitError',
      'GrowattDailyCapError',
    ]);
    expect(server.requests).toHaveLength(10);
  });
});
