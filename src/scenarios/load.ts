// Reading a scenario: by library name (scenarios/<name>.json) or by file path, validated against
// the schema and resolved into absolute virtual times, with errors that name the file and field.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { parseDuration } from '../../emulators/core/duration.js';
import type { WorldConfig } from '../../emulators/core/world/world.js';
import { DEVICES, type DeviceName, type VoltbenchOptions } from '../../emulators/registry.js';
import { isProfileId, PROFILE_IDS } from '../../contracts/senec/index.js';
import { isPvsFirmwareId, parseSwver, PVS_FIRMWARE_IDS, PVS_FIRMWARE_PROFILES } from '../../contracts/sunpower-pvs/firmware.js';
import { ScenarioSchema, type ScenarioEvent, type ScenarioExpectation, type ScenarioFile } from './schema.js';

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

export interface Timed<T> {
  /** Milliseconds after the scenario start. */
  at: number;
  item: T;
  /** Position in the file, for messages. */
  index: number;
}

export interface TimedExpectation extends Timed<ScenarioExpectation> {
  /** Window end; equals `at` for a point check. */
  to: number;
}

export type DeviceOptions = Pick<VoltbenchOptions, 'pvs' | 'senec' | 'growatt' | 'ups'>;

export interface Scenario {
  name: string;
  description: string;
  /** Where it was read from. */
  file: string;
  seed: number;
  start: number;
  durationMs: number;
  pollMs: number;
  world: Partial<Omit<WorldConfig, 'seed'>>;
  outages: { from: number; to: number }[];
  devices: DeviceName[];
  deviceOptions: DeviceOptions;
  events: Timed<ScenarioEvent>[];
  expectations: TimedExpectation[];
}

const check = TypeCompiler.Compile(ScenarioSchema);
const DEFAULT_POLL_MS = 5 * 60_000;

/** The `scenarios/` folder of this installation (source tree or package). */
export function scenarioLibraryDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'scenarios'))) return join(dir, 'scenarios');
    const parent = dirname(dir);
    if (parent === dir) throw new ScenarioError('cannot find the scenarios/ folder of this voltbench installation');
    dir = parent;
  }
}

export interface ScenarioSummary {
  name: string;
  description: string;
  duration: string;
  devices: DeviceName[];
  file: string;
}

/** Every scenario in the library, by name. A broken file is listed with its error as description. */
export function listScenarios(dir = scenarioLibraryDir()): ScenarioSummary[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      try {
        const s = loadScenarioFile(file);
        return { name: s.name, description: s.description, duration: formatOffset(s.durationMs), devices: s.devices, file };
      } catch (error) {
        return { name: basename(f, '.json'), description: `(invalid: ${(error as Error).message})`, duration: '?', devices: [], file };
      }
    });
}

/** A library name (`grid-outage`) or a path to a scenario file. */
export function loadScenario(ref: string, dir?: string): Scenario {
  const looksLikePath = ref.includes('/') || ref.includes('\\') || ref.endsWith('.json');
  if (looksLikePath) return loadScenarioFile(resolve(ref));
  const library = dir ?? scenarioLibraryDir();
  const file = join(library, `${ref}.json`);
  if (!existsSync(file)) {
    const names = listScenarios(library).map((s) => s.name);
    throw new ScenarioError(`no scenario named "${ref}"; the library has: ${names.join(', ')} (or give a path to a .json file)`);
  }
  return loadScenarioFile(file);
}

export function loadScenarioFile(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ScenarioError(`cannot read scenario ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseScenario(json, file);
}

/** Validates and resolves a scenario object (as read from a file, or built in a test). */
export function parseScenario(json: unknown, file = '(inline)'): Scenario {
  if (!check.Check(json)) {
    const problems = [...check.Errors(json)].slice(0, 3).map((e) => `${e.path || '/'}: ${e.message}`);
    throw new ScenarioError(`${file} is not a valid scenario: ${problems.join('; ')}`);
  }
  try {
    return resolveScenario(json, file);
  } catch (error) {
    throw new ScenarioError(`${file}: ${(error as Error).message}`);
  }
}

function resolveScenario(s: ScenarioFile, file: string): Scenario {
  if (!/(Z|[+-]\d\d:\d\d)$/.test(s.start) || Number.isNaN(Date.parse(s.start))) {
    throw new Error(`start must be an ISO-8601 time with a UTC offset, e.g. "2024-06-21T00:00:00-07:00"; got "${s.start}"`);
  }
  const start = Date.parse(s.start);
  const durationMs = parseDuration(s.duration, 'duration');
  if (durationMs <= 0) throw new Error('duration must be longer than 0');
  const pollMs = s.poll === undefined ? DEFAULT_POLL_MS : parseDuration(s.poll, 'poll');
  if (pollMs < 1000) throw new Error('poll must be at least 1s');
  const offset = (value: string | number, what: string): number => {
    const ms = parseDuration(value, what);
    if (ms > durationMs) throw new Error(`${what} (${formatOffset(ms)}) is after the end of the scenario (${formatOffset(durationMs)})`);
    return ms;
  };

  const devices = DEVICES.filter((d) => s.devices[d] !== undefined);
  if (devices.length === 0) throw new Error('devices must name at least one of pvs, senec, growatt, ups');
  const deviceOptions = resolveDeviceOptions(s);

  const w = s.world ?? {};
  const world: Partial<Omit<WorldConfig, 'seed'>> = {
    ...(w.latitude !== undefined ? { latitude: w.latitude } : {}),
    ...(w.longitude !== undefined ? { longitude: w.longitude } : {}),
    ...(w.utcOffsetMinutes !== undefined ? { utcOffsetMinutes: w.utcOffsetMinutes } : {}),
    ...(w.householdKwhPerDay !== undefined ? { householdKwhPerDay: w.householdKwhPerDay } : {}),
    ...(w.weather?.cloudCover !== undefined ? { cloudCover: w.weather.cloudCover } : {}),
    ...(w.weather?.maxCloudCover !== undefined ? { maxCloudCover: w.weather.maxCloudCover } : {}),
    ...(w.weather?.cloudCoverByHour !== undefined ? { cloudCoverByHour: w.weather.cloudCoverByHour } : {}),
  };
  const outages = (w.outages ?? []).map((o, i) => {
    const from = offset(o.at, `world.outages[${i}].at`);
    const length = parseDuration(o.for, `world.outages[${i}].for`);
    if (length <= 0) throw new Error(`world.outages[${i}].for must be longer than 0`);
    return { from: start + from, to: start + from + length };
  });

  const events = (s.timeline ?? []).map((item, index) => {
    if ('device' in item && !devices.includes(item.device)) throw new Error(`timeline[${index}] is for ${item.device}, which is not in devices`);
    if ('reboot' in item && item.device !== 'pvs' && item.device !== 'senec') {
      throw new Error(`timeline[${index}]: reboot is for pvs and senec; the ${item.device} emulator has no reboot (use state or faults)`);
    }
    return { at: offset(item.at, `timeline[${index}].at`), item, index };
  });
  events.sort((a, b) => a.at - b.at || a.index - b.index);

  const expectations = (s.expect ?? []).map((item, index): TimedExpectation => {
    if (!devices.includes(item.device)) throw new Error(`expect[${index}] is for ${item.device}, which is not in devices`);
    const point = item.at !== undefined;
    const window = item.from !== undefined || item.to !== undefined;
    if (point === window) throw new Error(`expect[${index}] needs either "at" or both "from" and "to"`);
    if (window && (item.from === undefined || item.to === undefined)) throw new Error(`expect[${index}] needs both "from" and "to"`);
    if ('change' in item && item.change !== undefined && !window) throw new Error(`expect[${index}]: "change" compares a window's start and end; give "from" and "to"`);
    const at = offset((item.at ?? item.from)!, `expect[${index}].${point ? 'at' : 'from'}`);
    const to = point ? at : offset(item.to!, `expect[${index}].to`);
    if (to < at) throw new Error(`expect[${index}]: "to" is before "from"`);
    if (!('frame' in item) && !hasComparison(item)) throw new Error(`expect[${index}] compares nothing; give equals, min, max, oneOf, change${'request' in item ? ', status or bodyIncludes' : ''}`);
    return { at, to, item, index };
  });

  return {
    name: s.name,
    description: s.description,
    file,
    seed: s.seed ?? 1,
    start,
    durationMs,
    pollMs,
    world,
    outages,
    devices,
    deviceOptions,
    events,
    expectations,
  };
}

/**
 * The scenario with only some of its devices (one process per device, as in docker-compose): world,
 * outages and grid or weather events stay, events and expectations of the other devices go.
 */
export function narrowScenario(scenario: Scenario, devices: readonly DeviceName[]): Scenario {
  const missing = devices.filter((d) => !scenario.devices.includes(d));
  if (missing.length > 0) throw new ScenarioError(`scenario ${scenario.name} has no ${missing.join(', ')} (it has ${scenario.devices.join(', ')})`);
  const keep = (item: object) => !('device' in item) || devices.includes(item.device as DeviceName);
  return {
    ...scenario,
    devices: scenario.devices.filter((d) => devices.includes(d)),
    deviceOptions: Object.fromEntries(Object.entries(scenario.deviceOptions).filter(([d]) => devices.includes(d as DeviceName))),
    events: scenario.events.filter((e) => keep(e.item)),
    expectations: scenario.expectations.filter((e) => keep(e.item)),
  };
}

function hasComparison(item: ScenarioExpectation): boolean {
  return ['equals', 'min', 'max', 'oneOf', 'change', 'status', 'bodyIncludes'].some((k) => (item as Record<string, unknown>)[k] !== undefined);
}

function resolveDeviceOptions(s: ScenarioFile): DeviceOptions {
  const options: DeviceOptions = {};
  const { pvs, senec, growatt, ups } = s.devices;
  if (pvs) {
    // A firmware profile id (pvs6-61845, …) or a supervisor SWVER ("2025.06, Build 61839"); a profile sets the
    // model too, unless the site names one.
    let firmware: Record<string, unknown> = {};
    if (pvs.firmware !== undefined) {
      if (isPvsFirmwareId(pvs.firmware)) {
        const profile = PVS_FIRMWARE_PROFILES[pvs.firmware];
        firmware = { supervisorModel: profile.model, ...pvs.site, firmware: profile.swver };
      } else if (parseSwver(pvs.firmware) !== undefined) {
        firmware = { firmware: pvs.firmware };
      } else {
        throw new Error(`devices.pvs.firmware must be a firmware profile id (${PVS_FIRMWARE_IDS.join(', ')}) or a SWVER like "2025.06, Build 61839", got "${pvs.firmware}"`);
      }
    }
    const site = { ...pvs.site, ...firmware };
    options.pvs = { site, ...(pvs.settings ? { settings: pvs.settings } : {}) };
  }
  if (senec) {
    if (senec.firmware !== undefined && !isProfileId(senec.firmware)) {
      throw new Error(`devices.senec.firmware must be one of ${PROFILE_IDS.join(', ')}, got "${senec.firmware}"`);
    }
    const site = { ...senec.site, ...(senec.firmware !== undefined ? { profile: senec.firmware } : {}) };
    options.senec = { site, ...(senec.settings ? { settings: senec.settings } : {}) };
  }
  if (growatt) {
    if (growatt.firmware !== undefined || growatt.site !== undefined) throw new Error('devices.growatt takes "fleet" and "settings"');
    options.growatt = { ...(growatt.fleet ? { fleet: growatt.fleet } : {}), ...(growatt.settings ? { settings: growatt.settings } : {}) };
  }
  if (ups) {
    if (ups.firmware !== undefined || ups.site !== undefined || ups.fleet !== undefined) throw new Error('devices.ups takes "settings" only');
    options.ups = { ...(ups.settings ? { settings: ups.settings } : {}) };
  }
  if (pvs?.fleet || senec?.fleet) throw new Error('"fleet" is for growatt only');
  return options;
}

/** "13h05m" style offsets for messages and listings. */
export function formatOffset(ms: number): string {
  const totalMinutes = Math.floor(ms / 60_000);
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  const s = Math.round((ms % 60_000) / 1000);
  return `${h}h${String(m).padStart(2, '0')}m${s ? `${String(s).padStart(2, '0')}s` : ''}`;
}
