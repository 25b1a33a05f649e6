import { get as httpsGet } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { KehuaUpsClient } from '../clients/kehua-ups/index.js';
import { devicesOfKind, PvsClient, PvsHttpError } from '../clients/sunpower-pvs/index.js';
import { SenecClient } from '../clients/senec/index.js';
import { GrowattClient } from '../clients/growatt/index.js';
import { ControlApiError, startVoltbench, type InProcessVoltbench } from './index.js';
import { loadScenario } from '../scenarios/index.js';

const NOON = '2026-06-21T20:00:00Z'; // midday in the default Californian world
const running: InProcessVoltbench[] = [];
const closers: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  for (const vb of running.splice(0)) await vb.close();
});

async function start(options: Parameters<typeof startVoltbench>[0]) {
  const vb = await startVoltbench(options);
  running.push(vb);
  return vb;
}

describe('startVoltbench (in-process test helper)', () => {
  it('starts every emulator on free loopback ports and each typed client talks to its URL', async () => {
    const vb = await start({ seed: 4, speed: 0, start: NOON });
    for (const url of [vb.getPvsUrl(), vb.getSenecUrl(), vb.getSenecHttpsUrl(), vb.getGrowattUrl(), vb.getUpsControlUrl()]) {
      expect(url).toMatch(/^https?:\/\/127\.0\.0\.1:\d+$/);
    }
    expect(vb.getUpsUrl()).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(new Set([vb.getPvsUrl(), vb.getSenecUrl(), vb.getGrowattUrl(), vb.getUpsControlUrl()]).size).toBe(4);

    expect(devicesOfKind(await new PvsClient({ baseUrl: vb.getPvsUrl(), retries: 0 }).deviceList(), 'inverter')).toHaveLength(24);
    const senec = new SenecClient({ baseUrl: vb.getSenecHttpsUrl(), retries: 0 });
    closers.push(async () => senec.close());
    expect(vb.getSenecFirmware()).toBe('v3-0826');
    expect((await senec.powerFlow()).pvW).toBeGreaterThan(0);
    const growatt = new GrowattClient({ baseUrl: vb.getGrowattUrl(), token: vb.getGrowattToken(), scheduler: { enabled: false } });
    expect((await growatt.plantList()).count).toBe(1);
    expect(vb.getGrowattHttpsUrl()).toBe(vb.getGrowattUrl().replace('http:', 'https:'));
    const ca = await (await fetch(`${vb.getControlUrl('growatt')}/__emu/tls/ca.pem`)).text();
    const health = await new Promise<number>((resolve, reject) => {
      httpsGet(`${vb.getGrowattHttpsUrl()}/__emu/health`, { ca }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(health).toBe(200);
    const ups = new KehuaUpsClient({ transport: vb.getUpsUrl(), retries: 0 });
    closers.push(() => ups.close());
    expect(await ups.readAddress()).toBe(1);
  });

  it('control clients change the shared world: a grid outage set through the UPS stops the PVS inverters', async () => {
    const vb = await start({ devices: ['pvs', 'ups'], speed: 0, start: NOON });
    const pvs = new PvsClient({ baseUrl: vb.getPvsUrl(), retries: 0 });
    expect((await vb.control('ups').worldCommand({ grid: 'down' })).gridUp).toBe(false);
    await vb.control('pvs').advanceClock('15s');
    expect(new Set(devicesOfKind(await pvs.deviceList(), 'inverter').map((i) => i.state))).toEqual(new Set(['error']));
    expect(vb.world.gridUp(vb.world.clock.now())).toBe(false);
    // The UPS control API also pins points.
    const pinned = await vb.control('ups').patchPoints({ ambientTemperature: 31.5 });
    expect(pinned.find((p) => p.key === 'ambientTemperature')).toMatchObject({ value: 31.5, pinned: true });
  });

  it('faults added through the control client reach the device API once, then clear', async () => {
    const vb = await start({ devices: ['pvs'], speed: 0, start: NOON });
    const control = vb.control('pvs');
    const fault = await control.addFault({ kind: 'status', status: 503, times: 1 });
    expect(await control.faults()).toHaveLength(1);
    const pvs = new PvsClient({ baseUrl: vb.getPvsUrl(), retries: 0 });
    await expect(pvs.deviceList()).rejects.toBeInstanceOf(PvsHttpError);
    expect((await control.requests()).map((r) => r.status)).toEqual([503]);
    await control.removeFault(fault.id).catch(() => undefined); // used up already: 404 or 204 are both fine
    expect(devicesOfKind(await pvs.deviceList(), 'inverter')).toHaveLength(24);
  });

  it('rejects bad control input with a ControlApiError carrying the 400 message', async () => {
    const vb = await start({ devices: ['pvs'] });
    const error = await vb.control('pvs').advanceClock('soon').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlApiError);
    expect(error).toMatchObject({ status: 400, message: expect.stringMatching(/duration/) });
  });

  it('says which emulators run when asked for one that does not', async () => {
    const vb = await start({ devices: ['growatt'] });
    expect(() => vb.getPvsUrl()).toThrow('the pvs emulator is not running (running: growatt)');
    expect(() => vb.control('ups')).toThrow(/ups emulator is not running/);
  });

  it('the same seed gives the same world, a different seed a different one', async () => {
    const at = { speed: 0, start: NOON, devices: ['pvs'] as const };
    const [a, b, c] = [await start({ ...at, seed: 9 }), await start({ ...at, seed: 9 }), await start({ ...at, seed: 10 })];
    const weather = async (vb: InProcessVoltbench) => {
      const { now, cloudCover, householdLoadW, ambientTempC } = await vb.control('pvs').world();
      return { now, cloudCover, householdLoadW, ambientTempC };
    };
    expect(await weather(a)).toEqual(await weather(b));
    expect(await weather(a)).not.toEqual(await weather(c));
  });

  it('starts a scenario: its world and devices, and play() moves through the timeline', async () => {
    const vb = await start({ scenario: 'grid-outage', devices: ['pvs', 'ups'] });
    expect(Object.keys(vb.emulators).sort()).toEqual(['pvs', 'ups']);
    const before = await vb.play('5h55m');
    expect(before.finished).toBe(false);
    const pvs = new PvsClient({ baseUrl: vb.getPvsUrl() });
    const producing = async () => devicesOfKind(await pvs.deviceList(), 'inverter').filter((d) => d.state === 'working').length;
    expect(await producing()).toBeGreaterThan(0);
    await vb.play('6h30m');
    // The scenario's outage: the inverters stop, the UPS runs on battery.
    expect(await producing()).toBe(0);
    expect(((await vb.control('ups').state()) as { status: { mode: string } }).status.mode).toBe('battery');
    const report = await vb.play();
    expect(report).toMatchObject({ finished: true, passed: true });
    // Only the chosen devices' expectations are judged.
    const full = loadScenario('grid-outage').expectations;
    expect(report.checks.map((c) => c.index)).toEqual(full.filter((e) => e.item.device === 'pvs' || e.item.device === 'ups').map((e) => e.index));
  });

  it('refuses a scenario together with options the scenario sets, and devices it does not have', async () => {
    await expect(startVoltbench({ scenario: 'grid-outage', start: NOON })).rejects.toThrow(/start come from the scenario/);
    await expect(startVoltbench({ scenario: 'ups-battery-exhaustion', devices: ['pvs'] })).rejects.toThrow(/has no pvs/);
    await expect(startVoltbench({ scenario: 'no-such-scenario' })).rejects.toThrow(/no scenario named/);
  });
});
