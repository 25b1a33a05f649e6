// devices.pvs.firmware in a scenario: a firmware profile id or a supervisor SWVER, mapped onto the PVS site.
import { afterEach, describe, expect, it } from 'vitest';
import type { PvsEmulator } from '../../emulators/sunpower-pvs/emulator.js';
import { startVoltbench, type InProcessVoltbench } from '../testing/index.js';
import { parseScenario, ScenarioError } from './load.js';

const base = {
  name: 'pvs-firmware',
  description: 'a PVS on varserver firmware',
  start: '2026-06-21T12:00:00-07:00',
  duration: '1h',
};

const running: InProcessVoltbench[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((vb) => vb.close()));
});

describe('scenario PVS firmware', () => {
  it('maps a profile id onto the model and SWVER, a SWVER onto the site as before', () => {
    expect(parseScenario({ ...base, devices: { pvs: { firmware: 'pvs5-5412' } } }).deviceOptions.pvs?.site).toEqual({ supervisorModel: 'PVS5', firmware: '2025.11, Build 5412' });
    expect(parseScenario({ ...base, devices: { pvs: { firmware: 'pvs6-61845', site: { panels: 12 } } } }).deviceOptions.pvs?.site).toEqual({ supervisorModel: 'PVS6', panels: 12, firmware: '2025.09, Build 61845' });
    expect(parseScenario({ ...base, devices: { pvs: { firmware: '2024.6, Build 60000' } } }).deviceOptions.pvs?.site).toEqual({ firmware: '2024.6, Build 60000' });
    // A model named in the site stays (a PVS5 given a PVS6 profile is the site's own contradiction).
    expect(parseScenario({ ...base, devices: { pvs: { firmware: 'pvs6-61845', site: { supervisorModel: 'PVS5' } } } }).deviceOptions.pvs?.site).toMatchObject({ supervisorModel: 'PVS5' });
  });

  it('rejects anything else, naming the profiles', () => {
    for (const firmware of ['pvs7', 'Build 61845', 'v3-0826']) {
      expect(() => parseScenario({ ...base, devices: { pvs: { firmware } } }, 'bad.json')).toThrow(ScenarioError);
      expect(() => parseScenario({ ...base, devices: { pvs: { firmware } } }, 'bad.json')).toThrow(/pvs6-61839, pvs6-61840, pvs6-61845, pvs5-5412/);
    }
  });

  it('runs the PVS in the era of the scenario\'s firmware', async () => {
    const scenario = parseScenario({ ...base, devices: { pvs: { firmware: 'pvs6-61845' } } });
    const vb = await startVoltbench({ scenario, speed: 0 });
    running.push(vb);
    const pvs = vb.emulators.pvs!.emulator as PvsEmulator;
    expect(pvs.era).toBe('varserver');
    expect(vb.emulators.pvs!.ready['firmware']).toBe('pvs6-61845');
    expect((await fetch(`${vb.getPvsUrl()}/cgi-bin/dl_cgi?Command=DeviceList`)).status).toBe(403);
  });
});
