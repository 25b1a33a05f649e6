// docs/testing.md and docs/containers.md, "In your tests": emulators in the test's own process,
// every listener on a free port, one shared world.
// #region in-process
import { afterAll, expect, it } from 'vitest';
import { startVoltbench } from 'voltbench/testing';

const vb = await startVoltbench({ devices: ['pvs', 'ups'], seed: 7, speed: 0, start: '2026-06-21T20:00:00Z' });
afterAll(() => vb.close());

it('one world: an outage set through the UPS reaches the PVS', async () => {
  const deviceList = `${vb.getPvsUrl()}/cgi-bin/dl_cgi?Command=DeviceList`; // hand vb.getPvsUrl() to the integration under test
  await vb.control('ups').worldCommand({ grid: 'down' });
  await vb.control('pvs').advanceClock('15s');
  const list = (await (await fetch(deviceList)).json()) as { devices: { DEVICE_TYPE: string; STATE: string }[] };
  const inverters = list.devices.filter((d) => d.DEVICE_TYPE === 'Inverter');
  expect(inverters.map((i) => i.STATE)).toEqual(Array(24).fill('error')); // no grid, no production
});
// #endregion
