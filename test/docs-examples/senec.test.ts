// docs/senec.md, "From TypeScript": the SENEC client over HTTPS against an in-process emulator on
// the default V3 firmware (free ports, a manual clock at a June noon).
// #region senec-client
import { afterAll, expect, it } from 'vitest';
import { startVoltbench } from 'voltbench/testing';
import { SenecClient } from 'voltbench/clients/senec';

const vb = await startVoltbench({ devices: ['senec'], seed: 7, speed: 0, start: '2026-06-21T20:00:00Z' });
afterAll(() => vb.close());

it('reads the power flow and forces a safe charge', async () => {
  const senec = new SenecClient({ baseUrl: vb.getSenecHttpsUrl() }); // certificate checks off, as Home Assistant does
  const flow = await senec.powerFlow(); // { pvW, houseW, gridW (> 0 import), batteryW (> 0 charging), socPct, state, stateName }
  expect(flow.houseW).toBeCloseTo(flow.pvW + flow.gridW - flow.batteryW, 0);

  await senec.setSafeCharge(true); // the echo shows the button; the device acts on it seconds later
  await vb.control('senec').advanceClock('5s');
  expect((await senec.powerFlow()).stateName).toBe('MAN. SAFETY CHARGE'); // STAT_STATE 8
  await senec.close();
});
// #endregion
