import { describe, expect, it, vi } from 'vitest';
import { capDayOf, errorReply, RATE_LIMITS } from '../../../contracts/growatt/index.js';
import {
  GrowattDailyCapError,
  GrowattNotFoundError,
  GrowattRateLimitError,
} from './errors.js';
import { defaultSleep, RateLimitScheduler, UNLISTED_RETRY_WINDOW_MS, type SchedulerOptions } from './scheduler.js';
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

  it('keeps the MIN pages\' own windows: tlx_last_data 10 s per serial, tlx_data 5 min, tlx_set_info none', async () => {
    const { clock, server, client } = setup(fixtureHandler, { marginMs: 0 });
    await clock.run(Promise.all([client.minLastData('A'), client.minLastData('B'), client.minLastData('A')]));
    const lastData = server.requests.map((r) => [r.form['tlx_sn'] ?? r.query['tlx_sn'], r.at]);
    expect(lastData).toEqual([['A', 0], ['B', 0], ['A', RATE_LIMITS.tlxLastData.minIntervalMs]]);
    server.requests.length = 0;
    clock.t = 100_000;
    const day = { sn: 'A', startDate: '2024-01-01', endDate: '2024-01-01' };
    await clock.run(Promise.all([client.minData(day), client.minData(day), client.minSettings('A'), client.minSettings('A')]));
    expect(server.requests.map((r) => [r.path.split('/').pop(), r.at])).toEqual([
      ['tlx_data', 100_000],
      ['tlx_set_info', 100_000],
      ['tlx_set_info', 100_000],
      ['tlx_data', 100_000 + RATE_LIMITS.tlxData.minIntervalMs!],
    ]);
  });

  it('does not wait when the window has already passed', async () => {
    const { clock, server, client } = setup();
    await clock.run(client.mixLastData('A'));
    clock.t = 60_000;
    await clock.run(client.mixLastData('A'));
    expect(server.requests.map((r) => r.at)).toEqual([0, 60_000]);
  });

  it('sets no timer at all for a call it need not hold back, also exactly when the window ends', async () => {
    const clock = new FakeClock(0);
    const sleeps: number[] = [];
    const scheduler = new RateLimitScheduler({ now: clock.now, sleep: (ms) => (sleeps.push(ms), clock.sleep(ms)) });
    const send = async () => clock.t;
    await clock.run(scheduler.run('mixLastData', { mix_sn: 'A' }, send));
    clock.t = LAST_DATA_WINDOW + MARGIN;
    await clock.run(scheduler.run('mixLastData', { mix_sn: 'A' }, send));
    expect(sleeps).toEqual([]);
    await clock.run(scheduler.run('mixLastData', { mix_sn: 'A' }, send));
    expect(sleeps).toEqual([LAST_DATA_WINDOW + MARGIN]);
  });

  it('sleeps with setTimeout by default', async () => {
    vi.useFakeTimers();
    try {
      let done = false;
      void defaultSleep(1000).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(done).toBe(true);
      // A scheduler without a `sleep` option uses it.
      const scheduler = new RateLimitScheduler({ marginMs: 0 });
      const sent: number[] = [];
      const calls = [0, 1].map(() => scheduler.run('mixLastData', { mix_sn: 'A' }, async () => void sent.push(Date.now())));
      await vi.advanceTimersByTimeAsync(LAST_DATA_WINDOW);
      await Promise.all(calls);
      expect(sent[1]! - sent[0]!).toBe(LAST_DATA_WINDOW);
    } finally {
      vi.useRealTimers();
    }
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

describe('daily caps at the day boundary', () => {
  it('counts until the last millisecond of the server day and starts from zero at 00:00 UTC+8', async () => {
    const clock = new FakeClock(0);
    const scheduler = new RateLimitScheduler({ now: clock.now, sleep: clock.sleep });
    const midnight = (capDayOf(0) + 1) * 86_400_000 - 8 * 3_600_000;
    clock.t = midnight - 3_600_000;
    for (let page = 1; page <= 10; page += 1) await clock.run(scheduler.run('plantList', { page: String(page) }, async () => page));
    clock.t = midnight - 1;
    expect([scheduler.usedToday('plantList'), scheduler.remainingToday('plantList')]).toEqual([10, 0]);
    const refused = await clock.run(scheduler.run('plantList', { page: 'x' }, async () => 0)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GrowattDailyCapError);
    expect((refused as GrowattDailyCapError).resetsAt).toBe(midnight);
    clock.t = midnight;
    // Before any call of the new day: yesterday's sends count for nothing today.
    expect([scheduler.usedToday('plantList'), scheduler.remainingToday('plantList')]).toEqual([0, 10]);
    for (let page = 1; page <= 10; page += 1) await clock.run(scheduler.run('plantList', { page: `n${page}` }, async () => page));
    expect(scheduler.remainingToday('plantList')).toBe(0);
  });
});

describe('what the scheduler remembers', () => {
  const WINDOW = RATE_LIMITS.plantData.minIntervalMs!; // 5 min
  const setupDirect = () => {
    const clock = new FakeClock(0);
    return { clock, scheduler: new RateLimitScheduler({ now: clock.now, sleep: clock.sleep }) };
  };
  /** `n` plant/data calls with distinct keys, each sent at once. */
  const distinct = async (clock: FakeClock, scheduler: RateLimitScheduler, n: number, tag: string) => {
    for (let i = 0; i < n; i += 1) await clock.run(scheduler.run('plantData', { plant_id: `${tag}${i}` }, async () => i));
  };

  it('forgets a key without a window once its calls have finished', async () => {
    const { clock, scheduler } = setupDirect();
    await clock.run(scheduler.run('readMixParam', { device_sn: 'A' }, async () => 0));
    expect(scheduler.trackedKeys).toBe(0);
    const calls = Promise.all([0, 1, 2].map(() => scheduler.run('readMixParam', { device_sn: 'A' }, async () => 0)));
    expect(scheduler.trackedKeys).toBe(1);
    await clock.run(calls);
    expect(scheduler.trackedKeys).toBe(0);
    await clock.run(scheduler.run('mixLastData', { mix_sn: 'A' }, async () => 0));
    expect(scheduler.trackedKeys).toBe(1); // a window to keep
  });

  it('keeps every key whose window is open, however many, and drops idle expired ones past 256 keys', async () => {
    const { clock, scheduler } = setupDirect();
    await distinct(clock, scheduler, 300, 'a');
    expect(scheduler.trackedKeys).toBe(300);
    // One millisecond before the windows (plus margin) end: all still needed.
    clock.t = WINDOW + MARGIN - 1;
    await distinct(clock, scheduler, 1, 'b');
    expect(scheduler.trackedKeys).toBe(301);
    const again = await clock.run(scheduler.run('plantData', { plant_id: 'a7' }, async () => clock.t));
    expect(again).toBe(WINDOW + MARGIN);
    // Once they have ended, the next new key prunes them.
    clock.t = WINDOW + MARGIN + 1 + WINDOW + MARGIN;
    await distinct(clock, scheduler, 1, 'c');
    expect(scheduler.trackedKeys).toBe(1);
  });

  it('runs calls with one key one after the other also where there is no window to keep', async () => {
    const { clock, scheduler } = setupDirect();
    const events: string[] = [];
    const answers: (() => void)[] = [];
    const call = (name: string) =>
      scheduler.run('readMixParam', { device_sn: 'A' }, async () => {
        events.push(`${name} sent`);
        await new Promise<void>((resolve) => answers.push(resolve));
        events.push(`${name} answered`);
      });
    const first = [call('1'), call('2'), call('3')];
    await clock.drain();
    answers.shift()!(); // 1 answered: 2 goes out, 3 still waits
    await clock.drain();
    const fourth = call('4'); // arrives while 2 is in flight and 3 is queued
    await clock.drain();
    while (answers.length > 0) {
      answers.shift()!();
      await clock.drain();
    }
    await Promise.all([...first, fourth]);
    expect(events).toEqual(['1 sent', '1 answered', '2 sent', '2 answered', '3 sent', '3 answered', '4 sent', '4 answered']);
    expect(scheduler.trackedKeys).toBe(0);
  });

  it('drops a key exactly when its window and the margin have passed', async () => {
    const { clock, scheduler } = setupDirect();
    await distinct(clock, scheduler, 300, 'a');
    clock.t = WINDOW + MARGIN;
    await distinct(clock, scheduler, 1, 'b');
    expect(scheduler.trackedKeys).toBe(1);
  });

  it('prunes only past 256 keys', async () => {
    const { clock, scheduler } = setupDirect();
    await distinct(clock, scheduler, 256, 'a');
    clock.t = 2 * (WINDOW + MARGIN);
    await distinct(clock, scheduler, 1, 'b');
    expect(scheduler.trackedKeys).toBe(257);
    await distinct(clock, scheduler, 1, 'c');
    expect(scheduler.trackedKeys).toBe(2);
  });

  it('drops the keys of calls the daily cap refused, which were never sent', async () => {
    const { clock, scheduler } = setupDirect();
    for (let page = 0; page < 300; page += 1) {
      await clock.run(scheduler.run('plantList', { page: String(page) }, async () => page)).catch(() => undefined);
    }
    // 10 sent (their windows still open) plus the refused keys since the last prune.
    expect(scheduler.trackedKeys).toBeLessThanOrEqual(257);
    expect(scheduler.trackedKeys).toBeGreaterThanOrEqual(10);
  });

  it('never drops a key while a call on it is still in flight, so the next one still queues behind it', async () => {
    const { clock, scheduler } = setupDirect();
    const sentAt: number[] = [];
    // A slow server: the first call is still in flight 10 minutes later, long past its window.
    let answer = (): void => undefined;
    const slow = scheduler.run('plantData', { plant_id: 'A' }, async () => {
      sentAt.push(clock.t);
      await new Promise<void>((resolve) => (answer = resolve));
    });
    await clock.drain();
    clock.t = 10 * 60_000;
    await distinct(clock, scheduler, 300, 'x'); // prunes on the way
    const next = scheduler.run('plantData', { plant_id: 'A' }, async () => void sentAt.push(clock.t));
    await clock.drain();
    expect(sentAt).toEqual([0]);
    clock.t = 12 * 60_000;
    answer();
    await clock.run(Promise.all([slow, next]));
    expect(sentAt).toEqual([0, 12 * 60_000]);
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
