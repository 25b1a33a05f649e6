/**
 * The typed client's MIN/TLX methods against the emulator (in-process transport): detail and settings, tlxs_data
 * batching over more than 100 serials, the history iterator across 7-day windows, and the typed time-segment setter
 * with its local refusals.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GrowattClient, GrowattParameterError } from '../src/clients/growatt/index.js';
import { testGrowatt } from '../emulators/growatt/test-support.js';

type Site = Awaited<ReturnType<typeof testGrowatt>>;

const open: Site[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((site) => site.app.close()));
});

async function setup(devices: number, minDevices: number) {
  const site = await testGrowatt({ fleet: { devices, minDevices }, settings: { rateLimits: false }, backfillDays: devices > 10 ? 0 : 7 });
  open.push(site);
  const sent: string[] = [];
  const client = new GrowattClient({
    token: site.token,
    baseUrl: 'http://growatt.test',
    validate: true,
    scheduler: { enabled: false },
    transport: async (request) => {
      sent.push(request.url);
      return site.transport(request);
    },
  });
  const mins = [...site.growatt.fleet.devices.values()].filter((d) => d.family === 'min').map((d) => d.sn);
  return { site, client, sent, mins };
}

describe('GrowattClient MIN methods', () => {
  it('reads 150 MINs in two tlxs_data calls, each the same as its tlx_last_data', async () => {
    const { client, sent, mins } = await setup(150, 150);
    const all = await client.minLastDataForMany([...mins, mins[0]!]);
    expect(all.size).toBe(150);
    expect(sent.filter((url) => url.endsWith('/v1/device/tlx/tlxs_data'))).toHaveLength(2);
    for (const sn of [mins[0]!, mins[120]!]) expect(all.get(sn)).toEqual((await client.minLastData(sn)).data);
  });

  it('reads detail and settings, and writes a typed time segment that reads back', async () => {
    const { client, mins } = await setup(1, 1);
    const sn = mins[0]!;
    const detail = await client.minDetail(sn);
    expect(detail.sn).toBe(sn);
    expect(typeof (detail.data['tlxSetbean'] as Record<string, unknown>)['yearTime1']).toBe('string');
    await client.setTimeSegment(sn, { segment: 3, mode: 2, start: '17:30', end: '20:00', enabled: true });
    expect(await client.minSettings(sn)).toMatchObject({ forcedTimeStart3: '17:30', forcedTimeStop3: '20:0', time3Mode: 2, forcedStopSwitch3: 1, yearTime3: '2_0_17_30_20_0_1' });
  });

  it('refuses a segment outside 1-9, a bad time or an end before the start without sending it', async () => {
    const { client, sent, mins } = await setup(1, 1);
    const sn = mins[0]!;
    const attempts = [
      { segment: 10, mode: 1 as const, start: '1:00', end: '2:00', enabled: true },
      { segment: 1, mode: 1 as const, start: '25:00', end: '26:00', enabled: true },
      { segment: 1, mode: 1 as const, start: '6:00', end: '5:00', enabled: true },
    ];
    for (const settings of attempts) await expect(client.setTimeSegment(sn, settings)).rejects.toBeInstanceOf(GrowattParameterError);
    expect(sent).toHaveLength(0);
  });

  it('iterates history over more than 7 days in windows, oldest first, ending on the live row', async () => {
    const { site, client, mins } = await setup(1, 1);
    const sn = mins[0]!;
    const live = (await client.minLastData(sn)).data;
    const today = live.time.slice(0, 10);
    const start = new Date(Date.parse(`${today}T00:00:00Z`) - 8 * 86_400_000).toISOString().slice(0, 10);
    const rows = [];
    for await (const row of client.minHistory(sn, start, today)) rows.push(row);
    expect(rows.length).toBeGreaterThan(7 * 288);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.time > rows[i - 1]!.time).toBe(true);
    expect(rows.at(-1)).toEqual(live);
    expect(site.growatt.fleet.devices.get(sn)!.family).toBe('min');
  });
});
