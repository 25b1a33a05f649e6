/**
 * DeviceList entries → typed objects with numbers as numbers and timestamps as epoch ms.
 *
 * More lenient than the contract and than sungazer: unknown DEVICE_TYPEs become `kind: 'unknown'`, missing
 * metrics stay `undefined` (night / error state), malformed values are dropped rather than thrown. The raw entry
 * is kept for fields this parser does not know.
 */
import { deviceKindOf, parsePvsTimestamp, type DeviceKind } from '../../../contracts/sunpower-pvs/index.js';
import { buildFromSwver, isObject, num, numbersOf, str, type RawObject } from './values.js';

export type PvsDeviceKind = DeviceKind | 'unknown';

export interface DeviceCommon {
  readonly serial: string;
  readonly deviceType: string;
  readonly type: string | undefined;
  readonly model: string | undefined;
  readonly description: string | undefined;
  /** Raw STATE ("working", "error"). */
  readonly state: string | undefined;
  readonly stateDescription: string | undefined;
  /** STATE === "working" (hass-sunpower's binary sensor). */
  readonly working: boolean;
  readonly swVersion: string | undefined;
  /** HWVER, or hw_version on detail devices. */
  readonly hwVersion: string | undefined;
  readonly port: string | undefined;
  /** CURTIME as epoch ms (UTC). */
  readonly currentTime: number | undefined;
  /** DATATIME as epoch ms (UTC); stale or absent for devices in error. */
  readonly dataTime: number | undefined;
  /** Every lowercase key whose value is a numeric string, by its raw name. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly raw: RawObject;
}

const SUPERVISOR_METRICS = {
  errorCount: 'dl_err_count',
  commErrorCount: 'dl_comm_err',
  skippedScans: 'dl_skipped_scans',
  scanTime: 'dl_scan_time',
  untransmitted: 'dl_untransmitted',
  uptimeS: 'dl_uptime',
  cpuLoad: 'dl_cpu_load',
  memUsedKiB: 'dl_mem_used',
  flashAvailKiB: 'dl_flash_avail',
  panId: 'panid',
} as const;

const METER_METRICS = {
  calibrationCtA: 'CAL0',
  ctScaleFactorA: 'ct_scl_fctr',
  netEnergyKwh: 'net_ltea_3phsum_kwh',
  powerKw: 'p_3phsum_kw',
  reactivePowerKvar: 'q_3phsum_kvar',
  apparentPowerKva: 's_3phsum_kva',
  powerFactor: 'tot_pf_rto',
  frequencyHz: 'freq_hz',
  currentA: 'i_a',
  voltage12V: 'v12_v',
  current1A: 'i1_a',
  current2A: 'i2_a',
  voltage1nV: 'v1n_v',
  voltage2nV: 'v2n_v',
  power1Kw: 'p1_kw',
  power2Kw: 'p2_kw',
  negativeEnergyKwh: 'neg_ltea_3phsum_kwh',
  positiveEnergyKwh: 'pos_ltea_3phsum_kwh',
} as const;

const INVERTER_METRICS = {
  lifetimeEnergyKwh: 'ltea_3phsum_kwh',
  acPowerKw: 'p_3phsum_kw',
  acVoltageV: 'vln_3phavg_v',
  acCurrentA: 'i_3phsum_a',
  dcVoltageV: 'v_mppt1_v',
  dcCurrentA: 'i_mppt1_a',
  heatsinkTempC: 't_htsnk_degc',
  frequencyHz: 'freq_hz',
  statusIndicator: 'stat_ind',
} as const;

const ESS_HUB_METRICS = {
  temperatureC: 't_degc',
  humidityPct: 'humidity',
  dcdcSupplyV: 'v_dcdc_spply_v',
  supplyV: 'v_spply_v',
  gatewayV: 'v_gateway_v',
  fanActive: 'fan_actv_fl',
  firmwareErrors: 'fw_error',
  eventCount: 'event_history',
} as const;

const PV_DISCONNECT_METRICS = {
  firmwareErrors: 'fw_error',
  eventCount: 'event_history',
  relayMode: 'relay_mode',
  relay1State: 'relay1_state',
  relay2State: 'relay2_state',
  relay1Errors: 'relay1_error',
  relay2Errors: 'relay2_error',
  grid1nV: 'v1n_grid_v',
  grid2nV: 'v2n_grid_v',
  pv1nV: 'v1n_pv_v',
  pv2nV: 'v2n_pv_v',
} as const;

type Numbers<M extends Readonly<Record<string, string>>> = { readonly [K in keyof M]?: number };

export interface SupervisorInfo extends DeviceCommon, Numbers<typeof SUPERVISOR_METRICS> {
  readonly kind: 'supervisor';
  /** From "…, Build 61839" in SWVER. */
  readonly build: number | undefined;
}

export type MeterKind = 'productionMeter' | 'consumptionMeter';

export interface MeterInfo<K extends MeterKind = MeterKind> extends DeviceCommon, Numbers<typeof METER_METRICS> {
  readonly kind: K;
  /** production_subtype_enum / consumption_subtype_enum / subtype, whichever is present. */
  readonly subtype: string | undefined;
}

export interface InverterInfo extends DeviceCommon, Numbers<typeof INVERTER_METRICS> {
  readonly kind: 'inverter';
  /** DC power: p_mppt1_kw, or p_mpptsum_kw on older firmware / Type D. */
  readonly dcPowerKw: number | undefined;
  /** MOD_SN, or module_serial; undefined when empty. */
  readonly moduleSerial: string | undefined;
  readonly panel: string | undefined;
}

/** Keys shared by the SunVault ESS devices. */
export interface EssDeviceCommon extends DeviceCommon {
  /** PARENT: SERIAL of the Energy Storage System. */
  readonly parentSerial: string | undefined;
  readonly parentIndex: number | undefined;
  readonly slave: number | undefined;
  readonly busInterface: string | undefined;
  readonly macAddress: string | undefined;
}

export interface EssHubInfo extends EssDeviceCommon, Numbers<typeof ESS_HUB_METRICS> {
  readonly kind: 'essHub';
}

export interface PvDisconnectInfo extends EssDeviceCommon, Numbers<typeof PV_DISCONNECT_METRICS> {
  readonly kind: 'pvDisconnect';
}

export type EssComponentKind = 'hubPlus' | 'gateway' | 'storageInverter' | 'essBms' | 'battery' | 'energyStorageSystem';

/** ESS devices that report no metrics in DeviceList (their data comes from the ESS status endpoint). */
export interface EssComponentInfo<K extends EssComponentKind = EssComponentKind> extends EssDeviceCommon {
  readonly kind: K;
}

/** A DEVICE_TYPE this client does not know (e.g. "MET Station"): kept, not thrown. */
export interface UnknownDeviceInfo extends DeviceCommon {
  readonly kind: 'unknown';
}

/** Discriminated on `kind`; meters and metric-less ESS devices are spread into one member per kind. */
export type PvsDeviceInfo =
  | SupervisorInfo
  | { [K in MeterKind]: MeterInfo<K> }[MeterKind]
  | InverterInfo
  | EssHubInfo
  | PvDisconnectInfo
  | { [K in EssComponentKind]: EssComponentInfo<K> }[EssComponentKind]
  | UnknownDeviceInfo;

export interface DeviceListResult {
  readonly devices: readonly PvsDeviceInfo[];
  /** Entries that were not JSON objects (cannot be represented). */
  readonly skipped: readonly unknown[];
  readonly raw: RawObject;
}

function commonOf(raw: RawObject): DeviceCommon {
  const metrics: Record<string, number> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (/^[a-z]/.test(key) && typeof value === 'string') {
      const n = num(value);
      if (n !== undefined) metrics[key] = n;
    }
  }
  const time = (key: string) => {
    const text = str(raw, key);
    return text === undefined ? undefined : parsePvsTimestamp(text);
  };
  const state = str(raw, 'STATE');
  return {
    serial: str(raw, 'SERIAL') ?? '',
    deviceType: str(raw, 'DEVICE_TYPE') ?? '',
    type: str(raw, 'TYPE'),
    model: str(raw, 'MODEL'),
    description: str(raw, 'DESCR'),
    state,
    stateDescription: str(raw, 'STATEDESCR'),
    working: state === 'working',
    swVersion: str(raw, 'SWVER'),
    hwVersion: str(raw, 'HWVER') ?? str(raw, 'hw_version'),
    port: str(raw, 'PORT'),
    currentTime: time('CURTIME'),
    dataTime: time('DATATIME'),
    metrics,
    raw,
  };
}

function essCommonOf(raw: RawObject): EssDeviceCommon {
  return {
    ...commonOf(raw),
    parentSerial: str(raw, 'PARENT'),
    parentIndex: num(raw['parent']),
    slave: num(raw['slave']),
    busInterface: str(raw, 'interface'),
    macAddress: str(raw, 'mac_address'),
  };
}

const nonEmpty = (s: string | undefined) => (s === undefined || s === '' ? undefined : s);

/** Parses one DeviceList entry. */
export function parseDevice(raw: RawObject): PvsDeviceInfo {
  const kind = deviceKindOf(raw);
  switch (kind) {
    case 'supervisor':
      return {
        ...commonOf(raw),
        ...numbersOf(raw, SUPERVISOR_METRICS),
        kind,
        build: buildFromSwver(str(raw, 'SWVER')),
      };
    case 'productionMeter':
    case 'consumptionMeter':
      return {
        ...commonOf(raw),
        ...numbersOf(raw, METER_METRICS),
        kind,
        subtype: str(raw, 'production_subtype_enum') ?? str(raw, 'consumption_subtype_enum') ?? str(raw, 'subtype'),
      };
    case 'inverter':
      return {
        ...commonOf(raw),
        ...numbersOf(raw, INVERTER_METRICS),
        kind,
        dcPowerKw: num(raw['p_mppt1_kw']) ?? num(raw['p_mpptsum_kw']),
        moduleSerial: nonEmpty(str(raw, 'MOD_SN')) ?? nonEmpty(str(raw, 'module_serial')),
        panel: str(raw, 'PANEL'),
      };
    case 'essHub':
      return { ...essCommonOf(raw), ...numbersOf(raw, ESS_HUB_METRICS), kind };
    case 'pvDisconnect':
      return { ...essCommonOf(raw), ...numbersOf(raw, PV_DISCONNECT_METRICS), kind };
    case 'hubPlus':
    case 'gateway':
    case 'storageInverter':
    case 'essBms':
    case 'battery':
    case 'energyStorageSystem':
      return { ...essCommonOf(raw), kind };
    case undefined:
      return { ...commonOf(raw), kind: 'unknown' };
  }
}

/** Parses a DeviceList body whose `devices` array has already been checked to exist. */
export function parseDeviceList(body: RawObject): DeviceListResult {
  const list = Array.isArray(body['devices']) ? (body['devices'] as unknown[]) : [];
  const devices: PvsDeviceInfo[] = [];
  const skipped: unknown[] = [];
  for (const entry of list) {
    if (isObject(entry)) devices.push(parseDevice(entry));
    else skipped.push(entry);
  }
  return { devices, skipped, raw: body };
}

/** The devices of one kind, typed: `devicesOfKind(list, 'inverter')` is `InverterInfo[]`. */
export function devicesOfKind<K extends PvsDeviceKind>(
  list: DeviceListResult | readonly PvsDeviceInfo[],
  kind: K,
): Extract<PvsDeviceInfo, { kind: K }>[] {
  const devices = 'devices' in list ? list.devices : list;
  return devices.filter((d): d is Extract<PvsDeviceInfo, { kind: K }> => d.kind === kind);
}
