import { isPvsFirmwareId, PVS_FIRMWARE_IDS, PVS_FIRMWARE_PROFILES, pvsFirmwareTraits, type PvsFirmwareId, type PvsFirmwareTraits } from '../../contracts/sunpower-pvs/firmware.js';
import { ControlInputError } from '../core/errors.js';
import { Rng } from '../core/rng.js';

export type SupervisorModel = 'PVS6' | 'PVS5';
export type ConsumptionSubtype = 'NET_CONSUMPTION_LOADSIDE' | 'GROSS_CONSUMPTION_LINESIDE';

export interface SiteConfig {
  /** Number of panels, each with its own micro-inverter (1..200). */
  panels: number;
  panelModel: string;
  panelRatingW: number;
  inverterModel: string;
  supervisorModel: SupervisorModel;
  /** Supervisor `SWVER`, e.g. "2025.06, Build 61839". */
  firmware: string;
  hardwareVersion: string;
  consumptionMeter: boolean;
  consumptionSubtype: ConsumptionSubtype;
  /** SunVault batteries (0 = no ESS; an ESS cabinet holds 2). */
  essBatteries: number;
  /** Include HUB+ and ESS Hub entries (sungazer rejects both; Home Assistant needs HUB+). */
  essHubDevices: boolean;
  /** Seed for serial numbers and per-panel variation; defaults to the world's seed. */
  seed: number;
  /** Serial numbers to use instead of the seeded ones (a site simulated from a recording keeps its own). */
  serials?: SiteSerials;
}

/** Given serials; each one left out is drawn from the seed as usual. */
export interface SiteSerials {
  supervisor?: string;
  productionMeter?: string;
  consumptionMeter?: string;
  /** One per panel, in DeviceList order; sets `panels` when that is not given. */
  inverters?: string[];
  ess?: EssSerials;
}

export type EssSerials = Partial<
  Pick<EssIdentity, 'hubSerial' | 'mioSerial' | 'pvDisconnectSerial' | 'gatewaySerial' | 'gatewayMac' | 'storageInverterSerial' | 'bmsSerial' | 'batterySerials' | 'essSerial'>
>;

export const DEFAULT_SITE: Omit<SiteConfig, 'seed'> = {
  panels: 24,
  panelModel: 'SPR-X22-360-E-AC',
  panelRatingW: 360,
  inverterModel: 'AC_Module_Type_E',
  supervisorModel: 'PVS6',
  firmware: '2025.06, Build 61839',
  hardwareVersion: '6.02',
  consumptionMeter: true,
  consumptionSubtype: 'NET_CONSUMPTION_LOADSIDE',
  essBatteries: 0,
  essHubDevices: true,
};

export interface InverterIdentity {
  serial: string;
  moduleSerial: string;
  /** Relative output of this panel (orientation, soiling, tolerance). */
  factor: number;
  /** Lifetime energy already produced when the emulator starts, kWh. */
  initialKwh: number;
}

export interface EssIdentity {
  hubSerial: string;
  mioSerial: string;
  pvDisconnectSerial: string;
  gatewaySerial: string;
  gatewayMac: string;
  storageInverterSerial: string;
  bmsSerial: string;
  batterySerials: string[];
  essSerial: string;
  capacityKwh: number;
  maxPowerKw: number;
}

/** Everything fixed about an installation: configuration plus seeded identities. */
export interface Site {
  config: SiteConfig;
  build: number;
  /** Whether the firmware is 2021.11 or later (p_mppt1_kw, meter subtypes, `interface`). */
  modernFirmware: boolean;
  /** The API era and varserver identity of the model and firmware (legacy dl_cgi or varserver). */
  firmware: PvsFirmwareTraits;
  supervisorSerial: string;
  panid: number;
  productionMeterSerial: string;
  consumptionMeterSerial: string;
  inverters: InverterIdentity[];
  factorSum: number;
  productionMeterInitialKwh: number;
  importInitialKwh: number;
  exportInitialKwh: number;
  ess: EssIdentity | null;
}

const SITE_KEYS = new Set([...Object.keys(DEFAULT_SITE), 'seed', 'serials']);

export function resolveSiteConfig(input: Partial<SiteConfig> & Record<string, unknown>, defaultSeed: number): SiteConfig {
  for (const key of Object.keys(input)) {
    if (!SITE_KEYS.has(key)) throw new ControlInputError(`unknown PVS site option "${key}"; known: ${[...SITE_KEYS].join(', ')}`);
  }
  const given = input.serials;
  // Given inverter serials are the panel list, and given battery serials the SunVault, unless those are set too.
  const implied: Partial<SiteConfig> = {};
  if (Array.isArray(given?.inverters) && input.panels === undefined) implied.panels = given.inverters.length;
  if (Array.isArray(given?.ess?.batterySerials) && input.essBatteries === undefined) implied.essBatteries = given.ess.batterySerials.length;
  // A firmware profile id stands for its model and SWVER (an explicit supervisorModel still wins).
  let firmwareInput: Partial<SiteConfig> = {};
  if (isPvsFirmwareId(input.firmware)) {
    const profile = firmwareSite(input.firmware);
    firmwareInput = { firmware: profile.firmware, ...(input.supervisorModel === undefined ? { supervisorModel: profile.supervisorModel } : {}) };
  }
  const config: SiteConfig = { ...DEFAULT_SITE, seed: defaultSeed, ...implied, ...input, ...firmwareInput } as SiteConfig;
  const fail = (message: string): never => {
    throw new ControlInputError(message);
  };
  if (!Number.isInteger(config.panels) || config.panels < 1 || config.panels > 200) fail(`panels must be a whole number from 1 to 200, got ${config.panels}`);
  if (!(config.panelRatingW > 0 && config.panelRatingW <= 1000)) fail(`panelRatingW must be between 1 and 1000 W, got ${config.panelRatingW}`);
  if (config.supervisorModel !== 'PVS6' && config.supervisorModel !== 'PVS5') fail(`supervisorModel must be "PVS6" or "PVS5", got ${JSON.stringify(config.supervisorModel)}`);
  if (config.consumptionSubtype !== 'NET_CONSUMPTION_LOADSIDE' && config.consumptionSubtype !== 'GROSS_CONSUMPTION_LINESIDE') {
    fail(`consumptionSubtype must be NET_CONSUMPTION_LOADSIDE or GROSS_CONSUMPTION_LINESIDE, got ${JSON.stringify(config.consumptionSubtype)}`);
  }
  if (!Number.isInteger(config.essBatteries) || config.essBatteries < 0 || config.essBatteries > 8) fail(`essBatteries must be 0 (no ESS) to 8, got ${config.essBatteries}`);
  if (typeof config.firmware !== 'string' || parseBuild(config.firmware) === null) fail(`firmware must look like "2025.06, Build 61839" or be a profile id (${PVS_FIRMWARE_IDS.join(', ')}), got ${JSON.stringify(config.firmware)}`);
  if (!Number.isInteger(config.seed)) fail(`seed must be an integer, got ${config.seed}`);
  if (config.serials !== undefined) validateSerials(config.serials, config, fail);
  return config;
}

const SERIAL = /^[\x21-\x7e]{1,64}$/;
const SERIAL_KEYS = ['supervisor', 'productionMeter', 'consumptionMeter', 'inverters', 'ess'];
const ESS_SERIAL_KEYS = ['hubSerial', 'mioSerial', 'pvDisconnectSerial', 'gatewaySerial', 'gatewayMac', 'storageInverterSerial', 'bmsSerial', 'batterySerials', 'essSerial'];

function validateSerials(given: unknown, config: SiteConfig, fail: (message: string) => never): void {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(given)) fail('serials must be an object of serial numbers');
  const serials = given as SiteSerials;
  const text = (value: unknown, name: string) => {
    if (typeof value !== 'string' || !SERIAL.test(value)) fail(`serials.${name} must be 1-64 printable characters without spaces, got ${JSON.stringify(value)}`);
  };
  const list = (value: unknown, name: string, length: number, what: string) => {
    if (!Array.isArray(value)) fail(`serials.${name} must be an array of serial numbers`);
    const items = value as unknown[];
    if (items.length !== length) fail(`serials.${name} has ${items.length} serial numbers but the site has ${length} ${what}`);
    items.forEach((item, i) => text(item, `${name}[${i}]`));
    if (new Set(items).size !== items.length) fail(`serials.${name} repeats a serial number`);
  };
  for (const key of Object.keys(serials)) if (!SERIAL_KEYS.includes(key)) fail(`unknown serials option "${key}"; known: ${SERIAL_KEYS.join(', ')}`);
  for (const key of ['supervisor', 'productionMeter', 'consumptionMeter'] as const) if (serials[key] !== undefined) text(serials[key], key);
  if (serials.inverters !== undefined) list(serials.inverters, 'inverters', config.panels, 'panels');
  const ess: unknown = serials.ess;
  if (ess === undefined) return;
  if (!isObject(ess)) return fail('serials.ess must be an object of SunVault serial numbers');
  if (config.essBatteries === 0) fail('serials.ess needs a site with a SunVault (essBatteries > 0)');
  for (const key of Object.keys(ess)) if (!ESS_SERIAL_KEYS.includes(key)) fail(`unknown serials.ess option "${key}"; known: ${ESS_SERIAL_KEYS.join(', ')}`);
  for (const key of ESS_SERIAL_KEYS) {
    if (key !== 'batterySerials' && ess[key] !== undefined) text(ess[key], `ess.${key}`);
  }
  if (ess['gatewayMac'] !== undefined && !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(String(ess['gatewayMac']))) fail(`serials.ess.gatewayMac must look like d8:a9:8b:12:34:56, got ${JSON.stringify(ess['gatewayMac'])}`);
  if (ess['batterySerials'] !== undefined) list(ess['batterySerials'], 'ess.batterySerials', config.essBatteries, 'SunVault batteries');
}

/** The site options a firmware profile sets: the supervisor model and its `SWVER`. */
export function firmwareSite(id: PvsFirmwareId): Pick<SiteConfig, 'supervisorModel' | 'firmware'> {
  const profile = PVS_FIRMWARE_PROFILES[id];
  return { supervisorModel: profile.model, firmware: profile.swver };
}

export function parseBuild(firmware: string): number | null {
  const match = /^(\d{4})\.(\d{1,2}), Build (\d+)$/.exec(firmware);
  return match ? Number(match[3]) : null;
}

function isModern(firmware: string): boolean {
  const match = /^(\d{4})\.(\d{1,2})/.exec(firmware);
  if (!match) return true;
  const year = Number(match[1]);
  const month = Number(match[2]);
  return year > 2021 || (year === 2021 && month >= 11);
}

/**
 * Draws the site's serials and per-panel variation from the seed, in a fixed order. Given serials replace the
 * drawn ones afterwards, so the per-panel variation and energy totals stay those of the seed either way.
 */
export function createSite(config: SiteConfig): Site {
  const site = drawSite(config);
  const given = config.serials;
  if (given === undefined) return site;
  return {
    ...site,
    supervisorSerial: given.supervisor ?? site.supervisorSerial,
    productionMeterSerial: given.productionMeter ?? site.productionMeterSerial,
    consumptionMeterSerial: given.consumptionMeter ?? site.consumptionMeterSerial,
    inverters: given.inverters === undefined ? site.inverters : site.inverters.map((inverter, i) => ({ ...inverter, serial: given.inverters![i] ?? inverter.serial })),
    ess: site.ess === null || given.ess === undefined ? site.ess : withEssSerials(site.ess, given.ess),
  };
}

function withEssSerials(drawn: EssIdentity, given: EssSerials): EssIdentity {
  const ess = { ...drawn, ...given };
  // The ESS serial is the storage inverter's and the batteries' joined: keep it so when either part was given.
  if (given.essSerial === undefined && (given.storageInverterSerial !== undefined || given.batterySerials !== undefined)) {
    ess.essSerial = [ess.storageInverterSerial, ...ess.batterySerials].join('_');
  }
  return ess;
}

function drawSite(config: SiteConfig): Site {
  const rng = new Rng(config.seed, 'pvs.site');
  const yy = String(rng.int(18, 23));
  const ww = String(rng.int(1, 52)).padStart(2, '0');
  const supervisorSerial = `ZT${yy}${ww}85000${rng.digits(3)}${rng.pick(['A', 'B', 'C'])}${rng.digits(4)}`;
  const panid = rng.int(1_000_000_000, 4_294_967_295);
  const meterBase = `${config.supervisorModel}M${rng.digits(8)}`;
  const yearsInstalled = rng.range(0.5, 6);
  const inverters: InverterIdentity[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < config.panels; i++) {
    let serial: string;
    do serial = `E00${yy}${ww}${rng.digits(8)}`;
    while (seen.has(serial));
    seen.add(serial);
    const factor = rng.range(0.92, 1.03);
    inverters.push({
      serial,
      moduleSerial: `${rng.pick(['P', 'R'])}${rng.digits(2)}M${rng.digits(8)}`,
      factor,
      // About 1500 kWh per kW of rating per year.
      initialKwh: round((config.panelRatingW / 1000) * 1500 * yearsInstalled * factor, 4),
    });
  }
  const productionMeterInitialKwh = round(inverters.reduce((sum, inv) => sum + inv.initialKwh, 0), 2);
  const ess = config.essBatteries > 0 ? createEss(rng, config.essBatteries) : null;
  return {
    config,
    build: parseBuild(config.firmware) ?? 0,
    modernFirmware: isModern(config.firmware),
    firmware: pvsFirmwareTraits(config.supervisorModel, config.firmware),
    supervisorSerial,
    panid,
    productionMeterSerial: `${meterBase}p`,
    consumptionMeterSerial: `${meterBase}c`,
    inverters,
    factorSum: inverters.reduce((sum, inv) => sum + inv.factor, 0),
    productionMeterInitialKwh,
    importInitialKwh: round(6000 * yearsInstalled * rng.range(0.5, 1), 2),
    exportInitialKwh: round(3000 * yearsInstalled * rng.range(0.5, 1), 2),
    ess,
  };
}

function createEss(rng: Rng, batteries: number): EssIdentity {
  const hubSerial = `SY${rng.digits(2)}${rng.digits(6)}${rng.digits(9)}`;
  const gatewaySerial = `BC${rng.digits(10)}`;
  const storageInverterSerial = `0000${rng.digits(1)}${rng.pick(['ABC', 'DEF', 'XWP'])}${rng.digits(4)}`;
  const batterySerials = Array.from({ length: batteries }, () => `M00${rng.digits(6)}A${rng.digits(4)}`);
  const hex = () => rng.int(0, 255).toString(16).padStart(2, '0');
  return {
    hubSerial,
    mioSerial: `SY${rng.digits(17)}`,
    pvDisconnectSerial: `SY${rng.digits(17)}`,
    gatewaySerial,
    gatewayMac: `d8:a9:8b:${hex()}:${hex()}:${hex()}`,
    storageInverterSerial,
    bmsSerial: `${gatewaySerial}${rng.digits(8)}`,
    batterySerials,
    essSerial: [storageInverterSerial, ...batterySerials].join('_'),
    // SunVault: 6.5 kWh per battery module, a Schneider XW Pro inverter of 6.8 kW.
    capacityKwh: 6.5 * batteries,
    maxPowerKw: 6.8,
  };
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
