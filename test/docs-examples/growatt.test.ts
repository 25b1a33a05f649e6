// docs/growatt.md, "From TypeScript": the Growatt client against an in-process cloud with three
// inverters (free port, a manual clock at a June noon).
// #region growatt-client
import { afterAll, expect, it } from 'vitest';
import { startVoltbench } from 'voltbench/testing';
import { GrowattClient } from 'voltbench/clients/growatt';

const vb = await startVoltbench({ devices: ['growatt'], options: { growatt: { devices: 3 } }, seed: 7, speed: 0, start: '2026-06-21T20:00:00Z' });
afterAll(() => vb.close());

it('walks plants and devices, reads the latest data and a day of history', async () => {
  const growatt = new GrowattClient({ baseUrl: vb.getGrowattUrl(), token: vb.getGrowattToken() });
  const serials: string[] = [];
  for await (const plant of growatt.allPlants()) {
    for await (const device of growatt.allDevices(plant.plant_id)) if (device.type === 5) serials.push(device.device_sn);
  }
  expect(serials).toHaveLength(3);

  const latest = await growatt.lastDataForMany(serials); // batches of up to 100 serials through mixs_data
  expect(latest.size).toBe(3);
  const rows = [];
  for await (const row of growatt.mixHistory(serials[0]!, '2026-06-20', '2026-06-20')) rows.push(row); // 7-day windows, every page
  expect(rows.length).toBeGreaterThan(0);
});
// #endregion
