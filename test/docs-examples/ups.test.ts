// docs/ups.md, "From TypeScript": the KEHUA client over the emulator's TCP line (in-process
// emulator, free ports) and, without sockets, over a `serialport` mock port.
import { SerialPortMock } from 'serialport';
import { VirtualClock } from '../../emulators/core/clock.js';
import { World } from '../../emulators/core/world/world.js';
import { createUpsServer } from '../../emulators/kehua-ups/server.js';

// #region ups-tcp
import { afterAll, expect, it } from 'vitest';
import { startVoltbench } from 'voltbench/testing';
import { KehuaUpsClient } from 'voltbench/clients/kehua-ups';

const vb = await startVoltbench({ devices: ['ups'], seed: 7, speed: 0, start: '2026-06-21T20:00:00Z' });
afterAll(() => vb.close());

it('reads all 98 points, then sees an outage from the UPS side', async () => {
  const ups = new KehuaUpsClient({ transport: vb.getUpsUrl() }); // tcp://127.0.0.1:<port>
  const snapshot = await ups.snapshot(); // all 98 points, with units and meanings
  expect(Object.keys(snapshot.points)).toHaveLength(98);

  await vb.control('ups').worldCommand({ grid: 'down' }); // one world: every device sees the outage
  await vb.control('ups').advanceClock('1m');
  const { values } = await ups.snapshot();
  expect(values.acInputPhaseVoltageA).toBe(0);
  expect(values.batteryVoltage).toBeLessThan(snapshot.values.batteryVoltage);
  await ups.close();
});
// #endregion

it('talks to the emulator through a serialport mock port', async () => {
  // #region ups-mock-serial
  const world = new World({ seed: 7 }, new VirtualClock({ start: Date.parse('2026-06-21T20:00:00Z'), speed: 0 }));
  const server = await createUpsServer({ world }); // the same World can carry other devices
  server.openMockPort('/dev/ttyUPS0'); // the emulator answers what is written there
  const ups = new KehuaUpsClient({ transport: { path: '/dev/ttyUPS0', binding: SerialPortMock.binding } });
  expect(await ups.readProtocolVersion()).toBe(0x21);
  await ups.close();
  await server.close();
  // #endregion
});
