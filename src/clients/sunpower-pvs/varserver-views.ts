/**
 * Typed views of varserver variables: the gateway (pypvs's ten `/sys/info` reads), the live data (`/sys/livedata/*`
 * and the telemetry WebSocket's frames), and the devices under `/sys/devices/<kind>/<index>/<field>` grouped by index
 * as pypvs and ha-esunpower group them.
 *
 * Meters and inverters come out in the same shapes as the legacy DeviceList devices (`MeterInfo`, `InverterInfo` of
 * devices.ts, through the same parser), so code written for DeviceList reads either era: each variable is mapped to
 * its DeviceList field (`p3phsumKw` → `p_3phsum_kw`, `msmtEps` → `dataTime`), the variables themselves are kept in
 * `vars`. The varserver has no `STATE`: a device it lists counts as working (as ha-esunpower reads it; asleep
 * inverters are absent, not in error). The ESS and the transfer switch have no DeviceList counterpart with metrics and
 * get shapes of their own.
 *
 * Values are lenient as in devices.ts: "nan", absent or malformed become `undefined`, never NaN, never a throw.
 */
import { parseMsmtEps, type LivedataField, type TelemetryParams } from '../../../contracts/sunpower-pvs/index.js';
import { parseDevice, type InverterInfo, type MeterInfo, type SupervisorInfo } from './devices.js';
import type { RawObject } from './values.js';

/** A variable's text as a number: `"40747.871094"`, `"-0.000000"`, `"12"`; `"nan"`, `""` and the rest are undefined. */
export function varNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

// ---- live data ------------------------------------------------------------------------------------------------

/** `/sys/livedata/*` or one telemetry frame: kW, kWh, state of charge 0..1, backup time in minutes. */
export interface PvsLiveData {
  /** `time` as epoch ms (the device sends seconds; milliseconds are recognised by size). */
  readonly time: number | undefined;
  readonly pvKw: number | undefined;
  readonly pvKwh: number | undefined;
  /** Grid power, positive importing. */
  readonly netKw: number | undefined;
  readonly netKwh: number | undefined;
  readonly siteLoadKw: number | undefined;
  readonly siteLoadKwh: number | undefined;
  /** Battery power, positive discharging; undefined without a SunVault ("nan"). */
  readonly essKw: number | undefined;
  readonly essKwh: number | undefined;
  /** State of charge, 0..1. */
  readonly soc: number | undefined;
  readonly backupTimeRemainingMin: number | undefined;
  readonly midstate: number | undefined;
}

const LIVE_KEYS: Readonly<Record<Exclude<keyof PvsLiveData, 'time'>, LivedataField>> = {
  pvKw: 'pv_p',
  pvKwh: 'pv_en',
  netKw: 'net_p',
  netKwh: 'net_en',
  siteLoadKw: 'site_load_p',
  siteLoadKwh: 'site_load_en',
  essKw: 'ess_p',
  essKwh: 'ess_en',
  soc: 'soc',
  backupTimeRemainingMin: 'backupTimeRemaining',
  midstate: 'midstate',
};

/** Epoch seconds or milliseconds → ms. 10^11 s is the year 5138; 10^11 ms is 1973. */
export function epochMsOf(value: number | undefined): number | undefined {
  if (value === undefined || !Number.isFinite(value) || value < 0) return undefined;
  return value >= 1e11 ? Math.round(value) : Math.round(value * 1000);
}

function liveFrom(get: (field: LivedataField) => number | undefined): PvsLiveData {
  const out: Record<string, number | undefined> = { time: epochMsOf(get('time')) };
  for (const [key, field] of Object.entries(LIVE_KEYS)) out[key] = get(field);
  return out as unknown as PvsLiveData;
}

/** The live data from a `/vars` answer holding `/sys/livedata/*`. */
export function parseLiveData(values: Readonly<Record<string, string>>): PvsLiveData {
  return liveFrom((field) => varNumber(values[`/sys/livedata/${field}`]));
}

/** The live data of a telemetry frame's `params` (numbers as numbers; a PV-only site sends no battery fields). */
export function liveDataOfFrame(params: TelemetryParams): PvsLiveData {
  return liveFrom((field) => {
    const v = (params as Record<string, unknown>)[field];
    if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
    return typeof v === 'string' ? varNumber(v) : undefined;
  });
}

// ---- the gateway ----------------------------------------------------------------------------------------------

/** The supervisor as pypvs's gateway updater reads it. */
export interface PvsGatewayInfo {
  /** `/sys/info/serialnum`, when it was read. */
  readonly serial: string | undefined;
  /** `/sys/info/model`: "PVS6", "PVS5". */
  readonly model: string | undefined;
  /** `/sys/info/sys_type`: "PV-only" or "Storage" (pypvs calls it the model). */
  readonly systemType: string | undefined;
  readonly hardwareRevision: string | undefined;
  /** `/sys/info/sw_rev`: "2025.09.04.61845". */
  readonly softwareRevision: string | undefined;
  /** The build: the last number of `sw_rev`. */
  readonly build: number | undefined;
  readonly uptimeS: number | undefined;
  /** `/sys/info/lmac`. */
  readonly mac: string | undefined;
  readonly ramUsagePct: number | undefined;
  readonly flashUsagePct: number | undefined;
  readonly cpuUsagePct: number | undefined;
  /** `/sys/pvs/flashwear_type_b` ("0x05" = 50 % of the flash's life used), as ha-esunpower reads it; PVS6 only. */
  readonly flashWearPct: number | undefined;
  /** The variables as read. */
  readonly vars: Readonly<Record<string, string>>;
}

const trimmed = (text: string | undefined) => (text === undefined ? undefined : text.trim());

export function parseGateway(values: Readonly<Record<string, string>>): PvsGatewayInfo {
  const swRev = trimmed(values['/sys/info/sw_rev']);
  const build = swRev === undefined ? undefined : /(\d+)\s*$/.exec(swRev)?.[1];
  const wear = trimmed(values['/sys/pvs/flashwear_type_b']);
  const wearUnits = wear === undefined ? undefined : /^0x[0-9a-f]+$/i.test(wear) ? Number.parseInt(wear, 16) : varNumber(wear);
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) if (name.startsWith('/sys/info/') || name.startsWith('/sys/pvs/')) vars[name] = value;
  return {
    serial: trimmed(values['/sys/info/serialnum']),
    model: trimmed(values['/sys/info/model']),
    systemType: trimmed(values['/sys/info/sys_type']),
    hardwareRevision: trimmed(values['/sys/info/hwrev']),
    softwareRevision: swRev,
    build: build === undefined ? undefined : Number(build),
    uptimeS: varNumber(values['/sys/info/uptime']),
    mac: trimmed(values['/sys/info/lmac']),
    ramUsagePct: varNumber(values['/sys/info/ram_usage']),
    flashUsagePct: varNumber(values['/sys/info/flash_usage']),
    cpuUsagePct: varNumber(values['/sys/info/cpu_usage']),
    flashWearPct: wearUnits === undefined ? undefined : Math.min(100, wearUnits * 10),
    vars,
  };
}

// ---- devices --------------------------------------------------------------------------------------------------

export type VarserverDeviceKind = 'inverter' | 'meter' | 'ess' | 'transfer_switch';

/** The `match=` of each kind, as pypvs and ha-esunpower send it. */
export const VARSERVER_DEVICE_MATCH: Readonly<Record<VarserverDeviceKind, string>> = {
  inverter: '/sys/devices/inverter/',
  meter: '/sys/devices/meter/',
  ess: '/sys/devices/ess/',
  transfer_switch: '/sys/devices/transfer_switch/',
};

/** One device's variables: `/sys/devices/meter/1/p3phsumKw` → index 1, field `p3phsumKw`. */
export interface VarserverDeviceVars {
  readonly index: number;
  readonly fields: Readonly<Record<string, string>>;
}

/** Groups `/sys/devices/<kind>/<index>/<field>` by index, in index order; other names are ignored. */
export function groupDeviceVars(values: Readonly<Record<string, string>>, kind: VarserverDeviceKind): VarserverDeviceVars[] {
  const prefix = VARSERVER_DEVICE_MATCH[kind];
  const grouped = new Map<number, Record<string, string>>();
  for (const [name, value] of Object.entries(values)) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)\/([^/]+)$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const index = Number(m[1]);
    let fields = grouped.get(index);
    if (!fields) grouped.set(index, (fields = {}));
    fields[m[2]!] = value;
  }
  return [...grouped.keys()].sort((a, b) => a - b).map((index) => ({ index, fields: grouped.get(index)! }));
}

/** What a device from the varserver adds to its DeviceList shape. */
export interface VarserverDeviceExtras {
  /** Its index under `/sys/devices/<kind>/`. */
  readonly index: number;
  /** `msmtEps` as epoch ms: the 5-minute refresh the values are from (also `dataTime`). */
  readonly measuredAt: number | undefined;
  /** Its variables by field name, as read. */
  readonly vars: Readonly<Record<string, string>>;
}

export type VarserverMeterInfo = MeterInfo & VarserverDeviceExtras;
export type VarserverInverterInfo = InverterInfo & VarserverDeviceExtras;
export type VarserverSupervisorInfo = SupervisorInfo & { readonly gateway: PvsGatewayInfo };

/** Varserver field → DeviceList field, for both meters. */
const METER_FIELDS: Readonly<Record<string, string>> = {
  ctSclFctr: 'ct_scl_fctr',
  freqHz: 'freq_hz',
  netLtea3phsumKwh: 'net_ltea_3phsum_kwh',
  p3phsumKw: 'p_3phsum_kw',
  q3phsumKvar: 'q_3phsum_kvar',
  s3phsumKva: 's_3phsum_kva',
  totPfRto: 'tot_pf_rto',
  v12V: 'v12_v',
};

/** Per-leg values and import/export registers: the production meter does not measure them (it reads "0.000000"). */
const CONSUMPTION_METER_FIELDS: Readonly<Record<string, string>> = {
  i1A: 'i1_a',
  i2A: 'i2_a',
  v1nV: 'v1n_v',
  v2nV: 'v2n_v',
  p1Kw: 'p1_kw',
  p2Kw: 'p2_kw',
  negLtea3phsumKwh: 'neg_ltea_3phsum_kwh',
  posLtea3phsumKwh: 'pos_ltea_3phsum_kwh',
};

const INVERTER_FIELDS: Readonly<Record<string, string>> = {
  freqHz: 'freq_hz',
  i3phsumA: 'i_3phsum_a',
  iMppt1A: 'i_mppt1_a',
  ltea3phsumKwh: 'ltea_3phsum_kwh',
  p3phsumKw: 'p_3phsum_kw',
  pMppt1Kw: 'p_mppt1_kw',
  tHtsnkDegc: 't_htsnk_degc',
  vMppt1V: 'v_mppt1_v',
  vln3phavgV: 'vln_3phavg_v',
};

function mapped(fields: Readonly<Record<string, string>>, table: Readonly<Record<string, string>>, into: Record<string, unknown>): void {
  for (const [vs, dl] of Object.entries(table)) {
    const n = varNumber(fields[vs]);
    // DeviceList prints numbers as plain decimals; "nan" and the like stay out, as a missing metric.
    if (n !== undefined) into[dl] = String(n);
  }
}

function extras(group: VarserverDeviceVars): VarserverDeviceExtras {
  const eps = group.fields['msmtEps'];
  return { index: group.index, measuredAt: eps === undefined ? undefined : parseMsmtEps(eps.trim()), vars: group.fields };
}

/**
 * A meter as DeviceList shows it: production or consumption by `prodMdlNm`'s last letter (`PVS6M0400p`/`…c`, as
 * homebridge-pvs6 and ha-esunpower tell them apart), the varserver's values under their DeviceList names.
 */
export function parseVarserverMeter(group: VarserverDeviceVars): VarserverMeterInfo {
  const f = group.fields;
  const model = trimmed(f['prodMdlNm']) ?? '';
  const production = !model.toLowerCase().endsWith('c');
  const raw: Record<string, unknown> = {
    DEVICE_TYPE: 'Power Meter',
    TYPE: production ? 'PVS5-METER-P' : 'PVS5-METER-C',
    SERIAL: trimmed(f['sn']) ?? '',
    MODEL: model,
    STATE: 'working',
  };
  mapped(f, METER_FIELDS, raw);
  if (!production) mapped(f, CONSUMPTION_METER_FIELDS, raw);
  const x = extras(group);
  return { ...(parseDevice(raw) as MeterInfo), dataTime: x.measuredAt, ...x };
}

/** An inverter as DeviceList shows it (present only while it reports: pypvs#42). */
export function parseVarserverInverter(group: VarserverDeviceVars): VarserverInverterInfo {
  const f = group.fields;
  const raw: Record<string, unknown> = {
    DEVICE_TYPE: 'Inverter',
    TYPE: 'SOLARBRIDGE',
    SERIAL: trimmed(f['sn']) ?? '',
    MODEL: trimmed(f['prodMdlNm']) ?? '',
    STATE: 'working',
  };
  mapped(f, INVERTER_FIELDS, raw);
  const x = extras(group);
  return { ...(parseDevice(raw) as InverterInfo), dataTime: x.measuredAt, ...x };
}

/** The supervisor as a DeviceList `PVS` entry: serial, model, versions and uptime (the rest has no varserver twin). */
export function supervisorOfGateway(gateway: PvsGatewayInfo): VarserverSupervisorInfo {
  const raw: RawObject = {
    DEVICE_TYPE: 'PVS',
    SERIAL: gateway.serial ?? '',
    MODEL: gateway.model === undefined ? undefined : `PV Supervisor ${gateway.model}`,
    HWVER: gateway.hardwareRevision,
    SWVER: gateway.softwareRevision,
    STATE: 'working',
    ...(gateway.uptimeS !== undefined ? { dl_uptime: String(gateway.uptimeS) } : {}),
  };
  return { ...(parseDevice(raw) as SupervisorInfo), build: gateway.build, gateway };
}

/** A SunVault as the varserver lists it (`/sys/devices/ess/<i>/…`); state of charge in percent. */
export interface VarserverEssInfo extends VarserverDeviceExtras {
  readonly kind: 'ess';
  readonly serial: string;
  readonly model: string | undefined;
  /** `socVal` × 100. */
  readonly socPct: number | undefined;
  /** `customerSocVal` × 100 (what the app shows; below the system SOC). */
  readonly customerSocPct: number | undefined;
  /** `sohVal` (always 0 on SPWR-Equinox: pypvs#18). */
  readonly sohVal: number | undefined;
  /** `opMode`: SELF_CONSUMPTION, TARIFF_OPTIMIZER, … */
  readonly opMode: string | undefined;
  /** `p3phsumKw`: positive discharging. */
  readonly powerKw: number | undefined;
  /** `negLtea3phsumKwh`: energy into the battery. */
  readonly chargedKwh: number | undefined;
  /** `posLtea3phsumKwh`: energy out of the battery. */
  readonly dischargedKwh: number | undefined;
  readonly batteryV: number | undefined;
  readonly voltage1nV: number | undefined;
  readonly voltage2nV: number | undefined;
  readonly inverterTempC: number | undefined;
  readonly maxCellTempC: number | undefined;
  readonly minCellTempC: number | undefined;
  readonly maxCellV: number | undefined;
  readonly minCellV: number | undefined;
  readonly chargeLimitKw: number | undefined;
  readonly dischargeLimitKw: number | undefined;
}

export function parseVarserverEss(group: VarserverDeviceVars): VarserverEssInfo {
  const f = group.fields;
  const n = (key: string) => varNumber(f[key]);
  const pct = (key: string) => {
    const v = n(key);
    return v === undefined ? undefined : v * 100;
  };
  return {
    kind: 'ess',
    ...extras(group),
    serial: trimmed(f['sn']) ?? '',
    model: trimmed(f['prodMdlNm']),
    socPct: pct('socVal'),
    customerSocPct: pct('customerSocVal'),
    sohVal: n('sohVal'),
    opMode: trimmed(f['opMode']),
    powerKw: n('p3phsumKw'),
    chargedKwh: n('negLtea3phsumKwh'),
    dischargedKwh: n('posLtea3phsumKwh'),
    batteryV: n('vBattV'),
    voltage1nV: n('v1nV'),
    voltage2nV: n('v2nV'),
    inverterTempC: n('tInvtrDegc'),
    maxCellTempC: n('maxTBattCellDegc'),
    minCellTempC: n('minTBattCellDegc'),
    maxCellV: n('maxVBattCellV'),
    minCellV: n('minVBattCellV'),
    chargeLimitKw: n('chrgLimitPmaxKw'),
    dischargeLimitKw: n('dischrgLimPmaxKw'),
  };
}

/** The SunVault's transfer switch (MIDC / HUB+) as the varserver lists it. */
export interface VarserverTransferSwitchInfo extends VarserverDeviceExtras {
  readonly kind: 'transferSwitch';
  readonly serial: string;
  readonly model: string | undefined;
  /** `midStEnum`: MID_STATE_CLOSED (on the grid), MID_STATE_OPEN (islanded). */
  readonly midState: string | undefined;
  readonly pvDisconnectState: string | undefined;
  readonly temperatureC: number | undefined;
  readonly grid1nV: number | undefined;
  readonly grid2nV: number | undefined;
  readonly voltage1nV: number | undefined;
  readonly voltage2nV: number | undefined;
  readonly supplyV: number | undefined;
}

export function parseVarserverTransferSwitch(group: VarserverDeviceVars): VarserverTransferSwitchInfo {
  const f = group.fields;
  const n = (key: string) => varNumber(f[key]);
  return {
    kind: 'transferSwitch',
    ...extras(group),
    serial: trimmed(f['sn']) ?? '',
    model: trimmed(f['prodMdlNm']),
    midState: trimmed(f['midStEnum']),
    pvDisconnectState: trimmed(f['pvd1StEnum']),
    temperatureC: n('tDegc'),
    grid1nV: n('v1nGridV'),
    grid2nV: n('v2nGridV'),
    voltage1nV: n('v1nV'),
    voltage2nV: n('v2nV'),
    supplyV: n('vSpplyV'),
  };
}

/** Drops entries without a usable serial (empty or "n/a": seen on real firmware, ha-esunpower CHANGELOG). */
export function withSerial<T extends { readonly serial: string }>(devices: readonly T[]): T[] {
  return devices.filter((d) => d.serial !== '' && d.serial.toLowerCase() !== 'n/a');
}
