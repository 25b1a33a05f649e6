// Each built-in device's readings (the dashboard's power flows) against the device's own state view
// and physics: right signs, right part, an outage seen.
import { afterEach, describe, expect, it } from 'vitest';
import { startVoltbench, type Voltbench } from '../registry.js';

// Local noon in the default world (a Californian suburb, UTC−8).
const NOON = Date.parse('2026-06-21T20:00:00Z');
let vb: Voltbench | undefined;

afterEach(async () => {
  await vb?.close();
  vb = undefined;
});

async function start(device: string, extra: Record<string, unknown> = {}): Promise<Voltbench> {
  vb = await startVoltbench({ devices: [device as never], host: '127.0.0.1', seed: 3, speed: 0, start: NOON, listen: false, world: { cloudCover: 0 }, ...extra });
  return vb;
}

const near = (actual: number, expected: number, tolerance: number) => expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);

describe('site readings', () => {
  it('SENEC: the flows of its state view, house load = pv + grid − battery, grid 0 in an outage', async () => {
    const control = (await start('senec')).emulators['senec']!.control;
    control.clockCommand({ advance: '10m' });
    const r = control.readings();
    const flow = (control.state() as { flow: { pvW: number; houseW: number; gridW: number; batteryW: number }; socPct: number }).flow;
    expect(r.pvW!).toBeGreaterThan(500);
    near(r.pvW!, flow.pvW, 0.5);
    near(r.loadW!, flow.houseW, 0.5);
    near(r.gridW!, flow.gridW, 0.5);
    near(r.batteryW!, flow.batteryW, 0.5);
    near(r.loadW!, r.pvW! + r.gridW! - r.batteryW!, 1);
    expect(r.socPct).toBeGreaterThan(0);
    control.worldCommand({ grid: 'down' });
    control.clockCommand({ advance: '1m' });
    expect(control.readings().gridW).toBe(0);
  });

  it('PVS: PV from the production meter, load and grid as its state view has them, a SunVault charging > 0', async () => {
    const control = (await start('pvs', { options: { pvs: { batteries: 2 } } })).emulators['pvs']!.control;
    control.clockCommand({ advance: '10m' });
    const r = control.readings();
    const state = control.state() as { power: { pvKw: number; loadKw: number; gridKw: number; batteryKw: number }; ess: { socPct: number } };
    expect(r.pvW!).toBeGreaterThan(500);
    // The meters carry a little noise over the model's flow (inverters' 1 %).
    near(r.pvW!, state.power.pvKw * 1000, state.power.pvKw * 1000 * 0.03 + 5);
    near(r.loadW!, state.power.loadKw * 1000, state.power.pvKw * 1000 * 0.03 + 5);
    near(r.gridW!, state.power.gridKw * 1000, state.power.pvKw * 1000 * 0.03 + 5);
    // The PVS state view counts discharge as positive; readings count charging as positive.
    near(r.batteryW!, -state.power.batteryKw * 1000, 1);
    near(r.socPct!, state.ess.socPct, 0.01);
    control.worldCommand({ grid: 'down' });
    control.clockCommand({ advance: '1m' });
    expect(control.readings().gridW).toBe(0);
  });

  it('Growatt: the first plant balances (pv + import + discharge = load + export + charge), no import in an outage', async () => {
    const control = (await start('growatt')).emulators['growatt']!.control;
    control.clockCommand({ advance: '20m' });
    const r = control.readings();
    expect(r.pvW!).toBeGreaterThan(100);
    expect(r.loadW!).toBeGreaterThan(0);
    // batteryW = charge − discharge, gridW = import − export: load = pv + grid − battery.
    near(r.loadW!, r.pvW! + r.gridW! - r.batteryW!, Math.max(5, r.pvW! * 0.05));
    expect(r.socPct!).toBeGreaterThanOrEqual(0);
    expect(r.socPct!).toBeLessThanOrEqual(100);
    control.worldCommand({ grid: 'down' });
    control.clockCommand({ advance: '15m' });
    expect(control.readings().gridW).toBe(0);
  });

  it('UPS: on mains, then on battery (discharging) during a world grid outage, as its state view says', async () => {
    const control = (await start('ups')).emulators['ups']!.control;
    control.clockCommand({ advance: '1m' });
    const before = control.readings();
    expect(before.ups).toMatchObject({ mainsOk: true, onBattery: false });
    control.worldCommand({ grid: 'down' });
    control.clockCommand({ advance: '2m' });
    const r = control.readings();
    const status = (control.state() as { status: { batteryVoltage: number; backupTimeMin: number; loadW: number; batterySocPct: number } }).status;
    expect(r.ups).toMatchObject({ mainsOk: false, onBattery: true });
    near(r.ups!.batteryV, status.batteryVoltage, 0.01);
    near(r.ups!.backupMin, status.backupTimeMin, 0.1);
    near(r.ups!.loadW, status.loadW, 0.1);
    near(r.socPct!, status.batterySocPct, 0.001);
    expect(r.batteryW!).toBeLessThan(0);
    expect(r.pvW).toBeUndefined();
  });
});

describe('profile switches', () => {
  it('name the state patch key, how it is sent, the current value and choices that include it; each switches', async () => {
    vb = await startVoltbench({ devices: ['pvs', 'senec', 'growatt', 'ups'], host: '127.0.0.1', seed: 3, speed: 0, start: NOON, listen: false });
    const senec = vb.emulators['senec']!.control;
    const [profile] = senec.profiles();
    expect(profile).toMatchObject({ key: 'firmware', via: 'action' });
    expect(profile!.choices).toContain(profile!.value);
    const other = profile!.choices.find((c) => c !== profile!.value)!;
    senec.patchState({ [profile!.key]: other });
    expect(senec.profiles()[0]!.value).toBe(other);
    const ups = vb.emulators['ups']!.control;
    expect(ups.profiles().map((p) => p.key)).toEqual(['dialect', 'profile']);
    for (const [i, upsProfile] of ups.profiles().entries()) {
      expect(upsProfile.via).toBe('setting');
      expect(upsProfile.choices).toContain(upsProfile.value);
      ups.patchState({ settings: { [upsProfile.key]: upsProfile.choices.find((c) => c !== upsProfile.value) } });
      expect(ups.profiles()[i]!.value).not.toBe(upsProfile.value);
      expect((ups.state() as { settings: Record<string, unknown> }).settings[upsProfile.key]).toBe(ups.profiles()[i]!.value);
    }
    const [pvs] = vb.emulators['pvs']!.control.profiles();
    expect(pvs!.choices).toContain(pvs!.value);
    expect(vb.emulators['growatt']!.control.profiles()).toEqual([]);
  });
});
