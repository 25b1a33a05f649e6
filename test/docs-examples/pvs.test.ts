// docs/pvs.md, "From TypeScript": the PVS client against an in-process emulator (a free port, a
// manual clock at a June noon in the default Californian world).
// #region pvs-client
import { afterAll, expect, it } from 'vitest';
import { startVoltbench } from 'voltbench/testing';
import { PvsClient, PvsUnavailableError, devicesOfKind } from 'voltbench/clients/sunpower-pvs';

const vb = await startVoltbench({ devices: ['pvs'], seed: 7, speed: 0, start: '2026-06-21T20:00:00Z' });
afterAll(() => vb.close());

it('reads every micro-inverter, and a supervisor restart as a typed error', async () => {
  const pvs = new PvsClient({ baseUrl: vb.getPvsUrl(), retries: 0 });
  const inverters = devicesOfKind(await pvs.deviceList(), 'inverter');
  expect(inverters).toHaveLength(24);
  for (const inverter of inverters) expect(inverter.acPowerKw).toBeGreaterThan(0);

  await vb.control('pvs').patchState({ reboot: '5m' }); // the supervisor restarts: 503 for five minutes
  await expect(pvs.deviceList()).rejects.toBeInstanceOf(PvsUnavailableError);
  await vb.control('pvs').advanceClock('6m');
  expect(devicesOfKind(await pvs.deviceList(), 'inverter')).toHaveLength(24);
});
// #endregion
