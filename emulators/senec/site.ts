import { isProfileId, PROFILE_IDS, type ProfileId } from '../../contracts/senec/index.js';
import { ControlInputError } from '../core/errors.js';
import { Rng } from '../core/rng.js';

/** One V3 LV battery module (BMZ): 2.5 kWh, 625 W nominal charge, 1250 W discharge (seed: BMS NOM_*_MODULE). */
export const MODULE_CAPACITY_WH = 2500;
export const MODULE_CHARGE_W = 625;
export const MODULE_DISCHARGE_W = 1250;
/** Most cells in series per module: 14 on the NMC modules (the seed), 16 on LFP (the catalogue). */
export const MAX_CELLS_PER_MODULE = 16;

/** What is installed at a SENEC site: fixed for the life of the emulator (a reset keeps it). */
export interface SenecSiteConfig {
  /** Firmware profile; decides transport, STATISTIC, vars page path, cookie and key types. */
  profile: ProfileId;
  /** `WIZARD.PWRCFG_PEAK_PV_POWER`, W. */
  peakPvW: number;
  /** Battery modules 1..4 (`BMS.MODULES_CONFIGURED`); capacity and power limits scale with it. */
  modules: number;
  /** `BAT1.SPARE_CAPACITY`: SoC kept back for backup power while the grid is up, %. */
  spareCapacityPct: number;
  /** Lowest SoC the battery discharges to during an outage, %. */
  minSocPct: number;
  initialSocPct: number;
  /** Installer login accepted by `LOG` writes. */
  username: string;
  password: string;
  /** Serials, MAC and lifetime counters are derived from this. */
  seed: number;
  /** Identity to use instead of the seeded one (a site simulated from a recording keeps its own). */
  serials?: SenecSerials;
}

/** Given identity; each part left out is drawn from the seed as usual. */
export interface SenecSerials {
  /** `FACTORY.DEVICE_ID` (ha-senec-v3 shows `S<DEVICE_ID>`). */
  deviceId?: string;
  /** `BAT1.SERIAL`. */
  batterySerial?: string;
  /** `BMS.SN`: one per configured module (the unused slots stay 0). */
  moduleSerials?: number[];
  /** `WIZARD.MAC_ADDRESS_BYTES`: six bytes. */
  macAddress?: number[];
}

export const DEFAULT_SENEC_SITE: Omit<SenecSiteConfig, 'seed'> = {
  profile: 'v3-0826',
  peakPvW: 9500,
  modules: 3,
  spareCapacityPct: 15,
  minSocPct: 3,
  initialSocPct: 55,
  username: 'installer',
  password: 'voltbench',
};

/** Identity and history of a site, derived once from the seed. */
export interface SenecSite extends SenecSiteConfig {
  readonly capacityWh: number;
  readonly maxChargeW: number;
  readonly maxDischargeW: number;
  readonly deviceId: string;
  readonly batterySerial: string;
  readonly moduleSerials: readonly number[];
  readonly macAddress: readonly number[];
  /** Virtual epoch ms the system was commissioned (for STAT_HOURS_OF_OPERATION). */
  readonly commissionedHoursAgo: number;
  /** Energy totals before the emulator started, kWh (STATISTIC.LIVE_*, BMS energies). */
  readonly initialTotals: EnergyTotals;
  /** Per-cell voltage offsets (mV) and temperature offsets (°C) so cells differ a little, as real ones do. */
  readonly cellOffsetsMv: readonly (readonly number[])[];
  readonly cellTempOffsetsC: readonly (readonly number[])[];
  readonly sohPct: readonly number[];
}

export interface EnergyTotals {
  pvKwh: number;
  houseKwh: number;
  gridImportKwh: number;
  gridExportKwh: number;
  chargeKwh: number;
  dischargeKwh: number;
}

export function createSenecSite(config: Partial<SenecSiteConfig> & { seed: number }): SenecSite {
  const cfg: SenecSiteConfig = { ...DEFAULT_SENEC_SITE, ...config };
  validateSite(cfg);
  const rng = new Rng(cfg.seed, 'senec.site');
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rng.next() * 10)).join('');
  const days = 200 + Math.floor(rng.next() * 900);
  const pvKwh = days * cfg.peakPvW * 0.0028;
  const chargeKwh = days * cfg.modules * 2.2;
  const totals: EnergyTotals = {
    pvKwh,
    chargeKwh,
    dischargeKwh: chargeKwh * 0.93,
    gridExportKwh: pvKwh * 0.45,
    gridImportKwh: days * 6.5,
    houseKwh: pvKwh * 0.55 + days * 6.5 - chargeKwh * 0.07,
  };
  const firstSn = 44_000_000 + Math.floor(rng.next() * 900_000);
  // Everything is drawn even where given, so the rest of the site stays the seed's.
  const drawn = {
    deviceId: digits(25),
    batterySerial: `${digits(6)}JD${digits(12)}`,
    moduleSerials: Array.from({ length: 4 }, (_, i) => (i < cfg.modules ? firstSn + i : 0)),
    macAddress: [0x0a, 0x15, ...Array.from({ length: 4 }, () => Math.floor(rng.next() * 256))],
  };
  const given = cfg.serials ?? {};
  return {
    ...cfg,
    capacityWh: cfg.modules * MODULE_CAPACITY_WH,
    maxChargeW: cfg.modules * MODULE_CHARGE_W,
    maxDischargeW: cfg.modules * MODULE_DISCHARGE_W,
    deviceId: given.deviceId ?? drawn.deviceId,
    batterySerial: given.batterySerial ?? drawn.batterySerial,
    moduleSerials: given.moduleSerials === undefined ? drawn.moduleSerials : Array.from({ length: 4 }, (_, i) => given.moduleSerials![i] ?? 0),
    macAddress: given.macAddress ?? drawn.macAddress,
    commissionedHoursAgo: days * 24,
    initialTotals: totals,
    cellOffsetsMv: Array.from({ length: 4 }, () => Array.from({ length: MAX_CELLS_PER_MODULE }, () => Math.round((rng.next() - 0.5) * 8))),
    cellTempOffsetsC: Array.from({ length: 4 }, () => Array.from({ length: 6 }, () => (rng.next() - 0.5) * 1.6)),
    sohPct: Array.from({ length: 4 }, (_, i) => (i < cfg.modules ? 96 + Math.floor(rng.next() * 4) : 0)),
  };
}

function validateSite(cfg: SenecSiteConfig): void {
  const check = (ok: boolean, message: string): void => {
    if (!ok) throw new ControlInputError(message);
  };
  check(isProfileId(cfg.profile), `unknown SENEC firmware profile ${JSON.stringify(cfg.profile)}; use one of ${PROFILE_IDS.join(', ')}`);
  check(Number.isFinite(cfg.peakPvW) && cfg.peakPvW >= 0 && cfg.peakPvW <= 30_000, `peakPvW must be between 0 and 30000 W, got ${cfg.peakPvW}`);
  check(Number.isInteger(cfg.modules) && cfg.modules >= 1 && cfg.modules <= 4, `modules must be a whole number from 1 to 4, got ${cfg.modules}`);
  for (const key of ['spareCapacityPct', 'minSocPct', 'initialSocPct'] as const) {
    check(Number.isFinite(cfg[key]) && cfg[key] >= 0 && cfg[key] <= 100, `${key} must be between 0 and 100, got ${cfg[key]}`);
  }
  check(typeof cfg.username === 'string' && typeof cfg.password === 'string', 'username and password must be strings');
  check(Number.isInteger(cfg.seed), `seed must be an integer, got ${cfg.seed}`);
  if (cfg.serials !== undefined) validateSerials(cfg.serials, cfg.modules, check);
}

const SERIAL_KEYS = ['deviceId', 'batterySerial', 'moduleSerials', 'macAddress'];
const u32 = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 0xffff_ffff;
const u8 = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 0xff;

function validateSerials(serials: unknown, modules: number, check: (ok: boolean, message: string) => void): void {
  const given = serials as Record<string, unknown>;
  check(typeof serials === 'object' && serials !== null && !Array.isArray(serials), 'serials must be an object');
  for (const key of Object.keys(given)) check(SERIAL_KEYS.includes(key), `unknown SENEC serials option "${key}"; known: ${SERIAL_KEYS.join(', ')}`);
  // Wire strings are `st_…`; keep them printable so the reply stays what the device would send.
  for (const key of ['deviceId', 'batterySerial']) {
    const value = given[key];
    if (value !== undefined) check(typeof value === 'string' && /^[\x20-\x7e]{0,64}$/.test(value), `serials.${key} must be up to 64 printable characters, got ${JSON.stringify(value)}`);
  }
  const modulesSn = given['moduleSerials'];
  if (modulesSn !== undefined) {
    check(Array.isArray(modulesSn) && modulesSn.every(u32), `serials.moduleSerials must be whole numbers from 0 to 4294967295, got ${JSON.stringify(modulesSn)}`);
    check((modulesSn as unknown[]).length === modules, `serials.moduleSerials has ${(modulesSn as unknown[]).length} serial numbers but the site has ${modules} modules`);
  }
  const mac = given['macAddress'];
  if (mac !== undefined) check(Array.isArray(mac) && mac.length === 6 && mac.every(u8), `serials.macAddress must be six bytes (0-255), got ${JSON.stringify(mac)}`);
}
