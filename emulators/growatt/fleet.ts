/**
 * Who owns what on the emulated ShineServer: accounts (one API token each) own plants, plants own an SPH hybrid
 * inverter with its datalogger and meter. Everything derives from the seed and the fleet size, so the same seed
 * gives the same serial numbers, tokens and hardware on every run. Devices are plain records; their simulation
 * state lives elsewhere and is created on first use, which keeps large fleets cheap.
 */
import { hashString, Rng } from '../core/rng.js';

export interface FleetConfig {
  seed: number;
  /** Inverters in total (SPH and MIN), spread round-robin over the accounts. */
  devices: number;
  /** How many of `devices` are MIN TL-XH (type 7) instead of SPH (type 5), spread evenly; default 0. */
  minDevices?: number;
  accounts: number;
  /** SPH inverters per plant (a home has one; installers see many plants). */
  sphPerPlant: number;
  /** Token of the first account; derived from the seed when absent. */
  demoToken?: string;
  /** Identities to use instead of minted ones (a fleet simulated from a recording keeps its own). */
  serials?: FleetSerials;
}

/**
 * Given identities, in creation order: `inverters[i]` is the i-th SPH, `dataloggers[p]`, `meters[p]` and
 * `plantIds[p]` belong to the p-th plant (with one account, plant p holds SPH p·sphPerPlant onwards). Each entry
 * left out is minted from the seed as usual.
 */
export interface FleetSerials {
  inverters?: string[];
  dataloggers?: string[];
  meters?: string[];
  plantIds?: number[];
}

export const DEFAULT_FLEET: Omit<FleetConfig, 'seed'> = { devices: 1, accounts: 1, sphPerPlant: 1 };

/** Fleets beyond this would not fit the memory target; refuse early with a clear message. */
export const MAX_FLEET_DEVICES = 50_000;

export interface Account {
  readonly userId: number;
  readonly name: string;
  readonly token: string;
  readonly plantIds: number[];
}

export interface Plant {
  readonly id: number;
  readonly userId: number;
  readonly name: string;
  readonly city: string;
  /** `YYYY-MM-DD` of commissioning. */
  readonly createDate: string;
  readonly createdAt: number;
  readonly deviceSns: string[];
  readonly dataloggerSn: string;
  readonly meterSn: string;
  readonly meterDeviceId: number;
  readonly dataloggerDeviceId: number;
}

/** `device/list` type 5 (SPH/MIX) or 7 (MIN/TLX). */
export type DeviceFamily = 'sph' | 'min';

/**
 * One hybrid inverter with its PV strings and battery stack: an SPH, or a MIN TL-XH whose battery (an ARK XH stack
 * on its BDC) is optional (`batteryWh` 0 without one). Both run the same physics.
 */
export interface SphDevice {
  readonly sn: string;
  readonly family: DeviceFamily;
  readonly deviceId: number;
  readonly plantId: number;
  readonly index: number;
  readonly dataloggerSn: string;
  /** Rated AC power, W (SPH 3000-6000). */
  readonly ratedW: number;
  /** Installed PV peak, W, and the share of it on string 1. */
  readonly peakW: number;
  readonly string1Share: number;
  /** Battery: usable energy (Wh), charge/discharge limit (W), modules. */
  readonly batteryWh: number;
  readonly batteryMaxW: number;
  readonly batteryModules: number;
  /** Multiplies the world's household load. */
  readonly loadScale: number;
  readonly initialSocPct: number;
  /** Seconds after each 5-minute boundary at which this datalogger uploads. */
  readonly uploadPhaseS: number;
  readonly installedAt: number;
  /** Lifetime counters (kWh) at the simulation's start. */
  readonly lifetime: Readonly<Record<CounterName, number>>;
  readonly initialCycles: number;
  /** Key for this device's stateless per-slot noise. */
  readonly noiseKey: number;
}

/**
 * The energy counters an SPH reports as `…Today` / `…Total` pairs. `selfUse` is the house load met by PV and battery
 * (not by the grid) and `batteryToLoad` the part of it the battery met; Home Assistant reads them as `eselfToday`
 * and `echarge1` (its "load consumption from battery"), and their difference as `eChargeToday` ("from solar").
 */
export const COUNTERS = ['epv1', 'epv2', 'eac', 'charge', 'discharge', 'toUser', 'toGrid', 'localLoad', 'acCharge', 'selfUse', 'batteryToLoad'] as const;
export type CounterName = (typeof COUNTERS)[number];

const RATINGS = [3000, 3600, 4000, 5000, 6000] as const;
const CITIES = ['Freiburg', 'Utrecht', 'Leeds', 'Lyon', 'Bologna', 'Graz', 'Ghent', 'Aarhus', 'Porto', 'Brno'];
const YEAR_MS = 365.25 * 86_400_000;
const DAY_MS = 86_400_000;

export class Fleet {
  readonly accounts: Account[] = [];
  readonly plants = new Map<number, Plant>();
  readonly devices = new Map<string, SphDevice>();
  private readonly byToken = new Map<string, Account>();

  constructor(readonly config: FleetConfig, startMs: number) {
    if (!Number.isInteger(config.devices) || config.devices < 1 || config.devices > MAX_FLEET_DEVICES) {
      throw new RangeError(`growatt devices must be a whole number from 1 to ${MAX_FLEET_DEVICES}, got ${config.devices}`);
    }
    if (!Number.isInteger(config.accounts) || config.accounts < 1 || config.accounts > config.devices) {
      throw new RangeError(`growatt accounts must be a whole number from 1 to the device count (${config.devices}), got ${config.accounts}`);
    }
    if (!Number.isInteger(config.sphPerPlant) || config.sphPerPlant < 1 || config.sphPerPlant > 100) {
      throw new RangeError(`growatt sphPerPlant must be a whole number from 1 to 100, got ${config.sphPerPlant}`);
    }
    const minDevices = config.minDevices ?? 0;
    if (!Number.isInteger(minDevices) || minDevices < 0 || minDevices > config.devices) {
      throw new RangeError(`growatt minDevices must be a whole number from 0 to the device count (${config.devices}), got ${minDevices}`);
    }
    if (config.demoToken !== undefined && !/^[0-9a-zA-Z]{8,64}$/.test(config.demoToken)) {
      throw new RangeError('growatt demo token must be 8-64 letters or digits');
    }
    const given = checkSerials(config.serials ?? {});
    const rng = new Rng(config.seed, 'growatt-fleet');
    const serials = new SerialMint(rng.fork('serials'), [...given.inverters, ...given.dataloggers, ...given.meters]);
    const usedPlantIds = new Set(given.plantIds);
    for (let a = 0; a < config.accounts; a++) {
      const token = a === 0 && config.demoToken !== undefined ? config.demoToken : hexToken(rng);
      const account: Account = { userId: 1000 + a * 7 + rng.int(0, 6), name: `user${a + 1}`, token, plantIds: [] };
      this.accounts.push(account);
      this.byToken.set(token, account);
    }
    // Devices go round-robin over accounts, then fill each account's plants `sphPerPlant` at a time.
    const perAccount = this.accounts.map(() => 0);
    let nextPlantId = 1_000_000 + rng.int(0, 99_999);
    let nextDeviceId = 200_000 + rng.int(0, 9_999);
    for (let i = 0; i < config.devices; i++) {
      const accountIndex = i % config.accounts;
      const account = this.accounts[accountIndex]!;
      const slot = perAccount[accountIndex]!++;
      let plant = slot % config.sphPerPlant === 0 ? undefined : this.plants.get(account.plantIds[account.plantIds.length - 1]!);
      if (plant === undefined) {
        const createdAt = startMs - Math.round(rng.range(0.5, 5) * YEAR_MS);
        const city = rng.pick(CITIES);
        const p = this.plants.size;
        // Minted serials are drawn even where given, so the rest of the fleet stays the seed's.
        const [dataloggerSn, meterSn] = [serials.datalogger(), serials.meter()];
        while (usedPlantIds.has(nextPlantId)) nextPlantId++; // never mint an id that was given
        const id = given.plantIds[p] ?? nextPlantId;
        usedPlantIds.add(id);
        plant = {
          id,
          userId: account.userId,
          name: `${city} ${account.plantIds.length + 1}`,
          city,
          createDate: new Date(createdAt).toISOString().slice(0, 10),
          createdAt,
          deviceSns: [],
          dataloggerSn: given.dataloggers[p] ?? dataloggerSn,
          meterSn: given.meters[p] ?? meterSn,
          meterDeviceId: nextDeviceId++,
          dataloggerDeviceId: nextDeviceId++,
        };
        const step = rng.int(1, 40);
        if (given.plantIds[p] === undefined) nextPlantId += step;
        this.plants.set(plant.id, plant);
        account.plantIds.push(plant.id);
      }
      const minted = serials.inverter();
      // Device i is a MIN where the running share of MINs steps up, so any count spreads evenly.
      const family: DeviceFamily = Math.floor(((i + 1) * minDevices) / config.devices) > Math.floor((i * minDevices) / config.devices) ? 'min' : 'sph';
      const make = family === 'min' ? makeMinDevice : makeDevice;
      const device = make(rng.fork(`device-${i}`), given.inverters[i] ?? minted, i, nextDeviceId++, plant, startMs);
      plant.deviceSns.push(device.sn);
      this.devices.set(device.sn, device);
    }
  }

  accountForToken(token: string | undefined): Account | undefined {
    return token === undefined ? undefined : this.byToken.get(token);
  }

  get demoAccount(): Account {
    return this.accounts[0]!;
  }

  /** The plant if it exists and belongs to the account. */
  plantOf(account: Account, plantId: number): Plant | undefined {
    const plant = this.plants.get(plantId);
    return plant !== undefined && plant.userId === account.userId ? plant : undefined;
  }

  /** The device if it exists and belongs to the account. */
  deviceOf(account: Account, sn: string): SphDevice | undefined {
    const device = this.devices.get(sn);
    if (device === undefined) return undefined;
    return this.plants.get(device.plantId)!.userId === account.userId ? device : undefined;
  }
}

function makeDevice(rng: Rng, sn: string, index: number, deviceId: number, plant: Plant, startMs: number): SphDevice {
  const ratedW = rng.pick(RATINGS);
  const peakW = Math.round((ratedW * rng.range(0.9, 1.3)) / 10) * 10;
  const batteryModules = rng.int(2, 5);
  // ARK-style 2.56 kWh LFP modules; the pack's power limit follows the inverter's battery port (max 3 kW).
  const batteryWh = batteryModules * 2560;
  const batteryMaxW = Math.min(3000, ratedW, batteryModules * 1280);
  const loadScale = rng.range(0.6, 1.6);
  const years = Math.max(0.05, (startMs - plant.createdAt) / YEAR_MS);
  const epv = (peakW / 1000) * rng.range(900, 1150) * years;
  const load = 3500 * loadScale * years;
  const cycles = Math.round(years * rng.range(200, 300));
  const discharge = (cycles * batteryWh) / 1000 * 0.9;
  const toGrid = epv * rng.range(0.25, 0.4);
  const lifetime: Record<CounterName, number> = {
    epv1: epv * 0.5,
    epv2: epv * 0.5,
    eac: epv * 0.94,
    charge: discharge * 1.06,
    discharge,
    toUser: Math.max(load * 0.25, load - epv * 0.94 + toGrid),
    toGrid,
    localLoad: load,
    acCharge: discharge * rng.range(0, 0.05),
    selfUse: 0,
    batteryToLoad: 0,
  };
  // Derived without drawing from the generator, so the rest of the seed's fleet stays as it was.
  lifetime.selfUse = Math.max(0, lifetime.localLoad - (lifetime.toUser - lifetime.acCharge));
  lifetime.batteryToLoad = Math.min(lifetime.discharge * 0.95, lifetime.selfUse);
  for (const key of Object.keys(lifetime) as CounterName[]) lifetime[key] = Math.round(lifetime[key] * 10) / 10;
  return {
    sn,
    family: 'sph',
    deviceId,
    plantId: plant.id,
    index,
    dataloggerSn: plant.dataloggerSn,
    ratedW,
    peakW,
    string1Share: rng.range(0.42, 0.58),
    batteryWh,
    batteryMaxW,
    batteryModules,
    loadScale,
    initialSocPct: rng.range(25, 85),
    uploadPhaseS: rng.int(0, 299),
    installedAt: plant.createdAt + rng.int(0, 30) * DAY_MS,
    lifetime,
    initialCycles: cycles,
    noiseKey: hashString(sn),
  };
}

/** MIN 2500-6000TL-XH ratings. */
const MIN_RATINGS = [2500, 3000, 3600, 4200, 5000, 6000] as const;

/**
 * A MIN TL-XH: the SPH's draws for the site (peak, load, history), then its own rating and, on about two thirds of
 * them, an ARK XH battery of 2-4 modules behind the BDC (its power limit 2.5 kW per module up to the rating).
 */
function makeMinDevice(rng: Rng, sn: string, index: number, deviceId: number, plant: Plant, startMs: number): SphDevice {
  const base = makeDevice(rng, sn, index, deviceId, plant, startMs);
  const own = rng.fork('min');
  const ratedW = own.pick(MIN_RATINGS);
  const modules = own.next() < 0.66 ? own.int(2, 4) : 0;
  const batteryWh = modules * 2560;
  const lifetime = { ...base.lifetime };
  if (modules === 0) {
    // Without a battery nothing was ever charged or discharged; the load the battery met came from the grid.
    lifetime.toUser = Math.round((lifetime.toUser + lifetime.batteryToLoad) * 10) / 10;
    lifetime.selfUse = Math.round((lifetime.selfUse - lifetime.batteryToLoad) * 10) / 10;
    lifetime.charge = lifetime.discharge = lifetime.acCharge = lifetime.batteryToLoad = 0;
  }
  return {
    ...base,
    family: 'min',
    ratedW,
    peakW: Math.round((ratedW * own.range(0.9, 1.3)) / 10) * 10,
    batteryWh,
    batteryMaxW: Math.min(ratedW, modules * 2500),
    batteryModules: modules,
    lifetime,
    initialCycles: modules === 0 ? 0 : base.initialCycles,
  };
}

const GIVEN_SERIAL = /^[0-9A-Za-z]{1,32}$/;

/** Refuses given identities that could not be a fleet's: bad shapes, repeats. */
function checkSerials(serials: FleetSerials): Required<FleetSerials> {
  const known = ['inverters', 'dataloggers', 'meters', 'plantIds'];
  if (typeof serials !== 'object' || serials === null || Array.isArray(serials)) throw new RangeError('growatt serials must be an object');
  for (const key of Object.keys(serials)) if (!known.includes(key)) throw new RangeError(`unknown growatt serials option "${key}"; known: ${known.join(', ')}`);
  const all: string[] = [];
  const texts = (name: 'inverters' | 'dataloggers' | 'meters'): string[] => {
    const list: unknown = serials[name] ?? [];
    if (!Array.isArray(list) || !list.every((sn) => typeof sn === 'string' && GIVEN_SERIAL.test(sn))) {
      throw new RangeError(`growatt serials.${name} must be serial numbers of 1-32 letters or digits, got ${JSON.stringify(list)}`);
    }
    all.push(...(list as string[]));
    return list as string[];
  };
  const result = { inverters: texts('inverters'), dataloggers: texts('dataloggers'), meters: texts('meters'), plantIds: serials.plantIds ?? [] };
  if (new Set(all).size !== all.length) throw new RangeError('growatt serials repeat a serial number');
  const ids: unknown = result.plantIds;
  if (!Array.isArray(ids) || !ids.every((id) => Number.isSafeInteger(id) && id > 0) || new Set(ids).size !== ids.length) {
    throw new RangeError(`growatt serials.plantIds must be distinct positive whole numbers, got ${JSON.stringify(ids)}`);
  }
  return result;
}

function hexToken(rng: Rng): string {
  let out = '';
  for (let i = 0; i < 32; i++) out += '0123456789abcdef'[rng.int(0, 15)];
  return out;
}

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Serial numbers in the shapes the documents show (`NTCF946079`, `NAC59173CA`), never repeated. */
class SerialMint {
  private readonly used: Set<string>;
  /** `reserved`: given serials, which minted ones must not repeat. */
  constructor(private readonly rng: Rng, reserved: readonly string[] = []) {
    this.used = new Set(reserved);
  }

  inverter(): string {
    return this.unique(() => this.letters(4) + this.rng.digits(6));
  }

  datalogger(): string {
    return this.unique(() => this.letters(3) + this.rng.digits(5) + this.letters(2));
  }

  meter(): string {
    return this.unique(() => `MTR${this.rng.digits(7)}`);
  }

  private letters(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += LETTERS[this.rng.int(0, LETTERS.length - 1)];
    return out;
  }

  private unique(make: () => string): string {
    for (;;) {
      const sn = make();
      if (!this.used.has(sn)) {
        this.used.add(sn);
        return sn;
      }
    }
  }
}
