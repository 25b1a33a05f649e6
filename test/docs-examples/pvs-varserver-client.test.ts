// docs/pvs.md, "From TypeScript": the varserver client and the era-picking client against an in-process emulator on
// 2025 firmware (free ports, a manual clock at a June noon).
// #region pvs-varserver-client
import { afterAll, expect, it } from 'vitest';
import { startVoltbench } from 'voltbench/testing';
import { PvsAutoClient, PvsVarserverClient, devicesOfKind } from 'voltbench/clients/sunpower-pvs';

const vb = await startVoltbench({ devices: ['pvs'], options: { pvs: { firmware: 'pvs6-61845' } }, speed: 0, start: '2026-06-21T20:00:00Z' });
afterAll(() => vb.close());
const host = new URL(vb.getPvsUrl()).host; // one host:port for http:// and https://, as the real clients use it

it('polls as pypvs does, renews an expired session, and streams the live data', async () => {
  // The WebSocket is on port 9002 of the host by default; here it has a free port of its own.
  const pvs = new PvsVarserverClient({ host, telemetryUrl: vb.getUrl('pvs', 'ws') });
  const { serial } = await pvs.discover(); // read without a session: the password is serial.slice(-5)
  const poll = await pvs.devices(); // logs in, then the gateway and one match per device kind
  expect(poll.supervisor.serial).toBe(serial);
  expect(devicesOfKind(poll.devices, 'inverter')).toHaveLength(24); // DeviceList's shapes

  await vb.control('pvs').advanceClock('6m'); // the session expires; the next call logs in again
  expect((await pvs.liveData()).pvKw).toBeGreaterThan(0);
  expect(pvs.logins).toBe(2);

  for await (const live of pvs.telemetry()) {
    expect(live.pvKw).toBeGreaterThan(0);
    break; // closes the WebSocket
  }
  await pvs.close();
});

it('follows a firmware update back to the legacy API, as ha-esunpower picks the API', async () => {
  const auto = new PvsAutoClient({ host, legacy: { retries: 0 }, varserver: { retries: 0 } });
  expect((await auto.deviceList()).era).toBe('varserver');
  await vb.control('pvs').patchState({ firmware: 'pvs6-61839', reboot: '1m' });
  await vb.control('pvs').advanceClock('2m');
  const { era, devices } = await auto.deviceList(); // /vars answers 404 now: probe again, use DeviceList
  expect(era).toBe('legacy');
  expect(devicesOfKind(devices, 'inverter')).toHaveLength(24);
  await auto.close();
});
// #endregion
