import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { listScenarios, loadScenario, parseScenario, scenarioLibraryDir, ScenarioError } from './load.js';
import { publishedSchema } from './published-schema.js';
import { ScenarioSchema } from './schema.js';
import { stopPoints } from './runner.js';

const base = {
  name: 'test',
  description: 'a test scenario',
  start: '2024-06-21T00:00:00-07:00',
  duration: '2h',
  devices: { pvs: {} },
};

describe('scenario files', () => {
  const dir = scenarioLibraryDir();
  const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'scenario.schema.json');

  it('the published JSON schema is the TypeBox schema written out (run "npm run scenario-schema" after changing it)', () => {
    expect(JSON.parse(readFileSync(join(dir, 'scenario.schema.json'), 'utf8'))).toEqual(publishedSchema());
  });

  it('the library holds the nine documented scenarios, each valid, named after its file and pointing at the schema', () => {
    expect(files.map((f) => f.replace('.json', '')).sort()).toEqual(
      ['cloudy-day', 'grid-outage', 'growatt-rate-limited', 'night', 'pvs-supervisor-reboot', 'senec-firmware-https-switch', 'sunny-day', 'ups-battery-exhaustion', 'ups-gxe-outage'],
    );
    const check = TypeCompiler.Compile(ScenarioSchema);
    for (const file of files) {
      const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { name: string; $schema: string };
      expect(check.Check(json), file).toBe(true);
      expect(json.name).toBe(file.replace('.json', ''));
      expect(json.$schema).toBe('./scenario.schema.json');
      expect(loadScenario(json.name).expectations.length, `${file} has expectations`).toBeGreaterThan(0);
    }
    expect(listScenarios().map((s) => s.name)).toEqual(files.map((f) => f.replace('.json', '')).sort());
  });

  it('loads by path as well as by name', () => {
    const byPath = loadScenario(join(dir, 'night.json'));
    expect(byPath.name).toBe('night');
    expect(byPath.start).toBe(Date.parse('2024-06-21T21:00:00-07:00'));
  });

  it('an unknown name lists the library', () => {
    expect(() => loadScenario('no-such-thing')).toThrow(/no scenario named "no-such-thing".*grid-outage/);
  });
});

describe('parseScenario', () => {
  it('resolves offsets to milliseconds, sorts events by time (stable), plans outages in absolute time', () => {
    const s = parseScenario({
      ...base,
      world: { outages: [{ at: '30m', for: '10m' }] },
      timeline: [
        { at: '1h', grid: 'down' },
        { at: '10m', device: 'pvs', clearFaults: true },
        { at: '1h', grid: 'up' },
      ],
    });
    expect(s.durationMs).toBe(7_200_000);
    expect(s.events.map((e) => [e.at, e.index])).toEqual([[600_000, 1], [3_600_000, 0], [3_600_000, 2]]);
    expect(s.outages).toEqual([{ from: s.start + 1_800_000, to: s.start + 2_400_000 }]);
    expect(s.devices).toEqual(['pvs']);
    expect(s.seed).toBe(1);
  });

  it('maps firmware onto each device', () => {
    const s = parseScenario({ ...base, devices: { pvs: { firmware: '2024.6, Build 60000' }, senec: { firmware: 'v21-0824' } } });
    expect(s.deviceOptions.pvs?.site?.firmware).toBe('2024.6, Build 60000');
    expect(s.deviceOptions.senec?.site?.profile).toBe('v21-0824');
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a missing field', { ...base, devices: undefined }, /devices/],
    ['an unknown field', { ...base, colour: 'red' }, /not a valid scenario/],
    ['a start without offset', { ...base, start: '2024-06-21T00:00:00' }, /UTC offset/],
    ['an event after the end', { ...base, timeline: [{ at: '3h', grid: 'down' }] }, /timeline\[0\]\.at \(3h00m\) is after the end/],
    ['an event for a device that does not run', { ...base, timeline: [{ at: '1h', device: 'ups', frame: '~' }] }, /for ups, which is not in devices/],
    ['a reboot of the UPS', { ...base, devices: { ups: {} }, timeline: [{ at: '1h', device: 'ups', reboot: true }] }, /no reboot/],
    ['an unknown SENEC firmware', { ...base, devices: { senec: { firmware: 'v9' } } }, /firmware must be one of/],
    ['no devices', { ...base, devices: {} }, /at least one/],
    ['an expectation with no time', { ...base, expect: [{ device: 'pvs', state: 'x', equals: 1 }] }, /either "at" or both/],
    ['an expectation that compares nothing', { ...base, expect: [{ at: '1h', device: 'pvs', state: 'x' }] }, /compares nothing/],
    ['change at a single time', { ...base, expect: [{ at: '1h', device: 'pvs', state: 'x', change: 'increases' }] }, /"change" compares a window/],
    ['a window that ends before it starts', { ...base, expect: [{ from: '1h', to: '30m', device: 'pvs', state: 'x', min: 1 }] }, /"to" is before "from"/],
    ['a poll interval under a second', { ...base, poll: '100ms' }, /poll must be at least 1s/],
    ['an outage of no length', { ...base, world: { outages: [{ at: '1h', for: '0m' }] } }, /world\.outages\[0\]\.for must be longer than 0/],
  ])('rejects %s with a ScenarioError that says what is wrong', (_what, json, message) => {
    expect(() => parseScenario(json, 'bad.json')).toThrow(ScenarioError);
    expect(() => parseScenario(json, 'bad.json')).toThrow(message);
  });
});

describe('stopPoints', () => {
  it('stops at every poll, every event and expectation time, and the end, in order and once each', () => {
    const s = parseScenario({
      ...base,
      poll: '30m',
      timeline: [{ at: '45m', grid: 'down' }],
      expect: [{ from: '10m', to: '1h', device: 'pvs', state: 'x', min: 0 }],
    });
    const minutes = stopPoints(s).map((ms) => ms / 60_000);
    expect(minutes).toEqual([0, 10, 30, 45, 60, 90, 120]);
  });
});
