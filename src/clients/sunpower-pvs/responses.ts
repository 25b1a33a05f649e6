/** Typed views of the non-DeviceList command responses (lenient: absent fields are undefined). */
import { bool, buildFromSwver, isObject, num, str, type RawObject } from './values.js';

export interface SupervisorStartInfo {
  readonly swVersion: string | undefined;
  readonly serial: string | undefined;
  readonly model: string | undefined;
  /** BUILD, or the "Build N" of SWVER when BUILD is absent (PVS5, 2019 firmware). */
  readonly build: number | undefined;
  readonly fwVersion: string | undefined;
  readonly scVersion: number | undefined;
  readonly easicVersion: number | undefined;
  readonly scBuild: number | undefined;
  readonly wnSerial: number | undefined;
  readonly wnModel: number | undefined;
  readonly wnVersion: number | undefined;
}

export interface StartResult {
  readonly supervisor: SupervisorStartInfo;
  readonly raw: RawObject;
}

export function parseStart(body: RawObject): StartResult {
  const s = isObject(body['supervisor']) ? body['supervisor'] : {};
  const swVersion = str(s, 'SWVER');
  return {
    supervisor: {
      swVersion,
      serial: str(s, 'SERIAL'),
      model: str(s, 'MODEL'),
      build: num(s['BUILD']) ?? buildFromSwver(swVersion),
      fwVersion: str(s, 'FWVER'),
      scVersion: num(s['SCVER']),
      easicVersion: num(s['EASICVER']),
      scBuild: num(s['SCBUILD']),
      wnSerial: num(s['WNSERIAL']),
      wnModel: num(s['WNMODEL']),
      wnVersion: num(s['WNVER']),
    },
    raw: body,
  };
}

export interface CommInterfaceInfo {
  /** "wan", "plc", "sta0" (Wi-Fi), "cell". */
  readonly name: string;
  readonly internet: string | undefined;
  readonly sms: string | undefined;
  readonly ipAddress: string | undefined;
  readonly link: string | undefined;
  readonly state: string | undefined;
  readonly status: string | undefined;
  readonly mode: string | undefined;
  readonly pairing: string | undefined;
  readonly speed: number | undefined;
  /** dBm for Wi-Fi (sent as a string), a bare number for cell. */
  readonly signal: number | undefined;
  readonly ssid: string | undefined;
  readonly isPrimary: boolean | undefined;
  readonly isAlwaysOn: boolean | undefined;
  readonly modem: string | undefined;
  readonly provider: string | undefined;
  readonly sim: string | undefined;
  readonly raw: RawObject;
}

export interface NetworkStatusResult {
  readonly interfaces: readonly CommInterfaceInfo[];
  readonly system: { readonly interface: string | undefined; readonly internet: string | undefined; readonly sms: string | undefined };
  /** `ts` (epoch seconds as a string) as epoch ms. */
  readonly timestamp: number | undefined;
  readonly raw: RawObject;
}

export function parseGetComm(body: RawObject): NetworkStatusResult {
  const ns = isObject(body['networkstatus']) ? body['networkstatus'] : {};
  const list = Array.isArray(ns['interfaces']) ? ns['interfaces'].filter(isObject) : [];
  const system = isObject(ns['system']) ? ns['system'] : {};
  const ts = num(ns['ts']);
  return {
    interfaces: list.map((i) => ({
      name: str(i, 'interface') ?? '',
      internet: str(i, 'internet'),
      sms: str(i, 'sms'),
      ipAddress: str(i, 'ipaddr') || undefined,
      link: str(i, 'link'),
      state: str(i, 'state'),
      status: str(i, 'status'),
      mode: str(i, 'mode'),
      pairing: str(i, 'pairing'),
      speed: num(i['speed']),
      signal: num(i['signal']),
      ssid: str(i, 'ssid'),
      isPrimary: bool(i['is_primary']),
      isAlwaysOn: bool(i['is_alwayson']),
      modem: str(i, 'modem'),
      provider: str(i, 'provider'),
      sim: str(i, 'sim'),
      raw: i,
    })),
    system: { interface: str(system, 'interface'), internet: str(system, 'internet'), sms: str(system, 'sms') },
    timestamp: ts === undefined ? undefined : ts * 1000,
    raw: body,
  };
}

export interface CheckFwResult {
  /** The firmware URL, or undefined when the device says "none". */
  readonly url: string | undefined;
  readonly updateAvailable: boolean;
  readonly raw: RawObject;
}

export function parseCheckFw(body: RawObject): CheckFwResult {
  const url = str(body, 'url');
  const available = url !== undefined && url !== '' && url.toLowerCase() !== 'none';
  return { url: available ? url : undefined, updateAvailable: available, raw: body };
}

export interface GridProfileStatus {
  readonly activeName: string | undefined;
  readonly activeId: string | undefined;
  readonly pendingName: string | undefined;
  readonly pendingId: string | undefined;
  readonly percent: number | undefined;
  readonly supportedBy: string | undefined;
  readonly status: string | undefined;
  readonly raw: RawObject;
}

export function parseGridProfileGet(body: RawObject): GridProfileStatus {
  return {
    activeName: str(body, 'active_name'),
    activeId: str(body, 'active_id'),
    pendingName: str(body, 'pending_name'),
    pendingId: str(body, 'pending_id'),
    percent: num(body['percent']),
    supportedBy: str(body, 'supported_by'),
    status: str(body, 'status'),
    raw: body,
  };
}

export interface ZipRange {
  readonly min: number | undefined;
  readonly max: number | undefined;
}

export interface GridProfileInfo {
  readonly id: string | undefined;
  readonly name: string | undefined;
  readonly filename: string | undefined;
  readonly selfSupply: boolean | undefined;
  readonly isDefault: boolean | undefined;
  /** `[{min,max}]` entries. */
  readonly zipRanges: readonly ZipRange[];
  /** Flat zip-code lists (some utilities list codes instead of ranges). */
  readonly zipCodes: readonly number[];
}

export interface GridProfileRefreshResult {
  readonly success: boolean | undefined;
  /** `creation` (epoch seconds) as epoch ms. */
  readonly creation: number | undefined;
  readonly profiles: readonly GridProfileInfo[];
  readonly raw: RawObject;
}

export function parseGridProfileRefresh(body: RawObject): GridProfileRefreshResult {
  const profiles = Array.isArray(body['profiles']) ? body['profiles'].filter(isObject) : [];
  const creation = num(body['creation']);
  return {
    success: bool(body['success']),
    creation: creation === undefined ? undefined : creation * 1000,
    profiles: profiles.map((p) => {
      const zips: unknown[] = Array.isArray(p['zipcodes']) ? p['zipcodes'] : [];
      return {
        id: str(p, 'id'),
        name: str(p, 'name'),
        filename: str(p, 'filename'),
        selfSupply: bool(p['selfsupply']),
        isDefault: bool(p['default']),
        zipRanges: zips.filter(isObject).map((z) => ({ min: num(z['min']), max: num(z['max']) })),
        zipCodes: zips.flatMap((z) => (typeof z === 'number' && Number.isFinite(z) ? [z] : [])),
      };
    }),
    raw: body,
  };
}

export interface CellPurchasedResult {
  /** true/false when the device knows; null when it answers the string "null" or anything else. */
  readonly cellPurchased: boolean | null;
  readonly raw: RawObject;
}

export function parseCellPurchased(body: RawObject): CellPurchasedResult {
  const v = body['cell_purchased'];
  const known = v === true || v === 'true' ? true : v === false || v === 'false' ? false : null;
  return { cellPurchased: known, raw: body };
}

export interface DiscoveryProgressEntryInfo {
  readonly type: string | undefined;
  /** PROGR, percent (number or numeric string on the wire). */
  readonly percent: number | undefined;
  /** NFOUND: devices found. */
  readonly found: number | undefined;
}

export interface DiscoveryProgressResult {
  readonly complete: boolean | undefined;
  readonly progress: readonly DiscoveryProgressEntryInfo[];
  readonly raw: RawObject;
}

export function parseDiscoveryProgress(body: RawObject): DiscoveryProgressResult {
  const list = Array.isArray(body['progress']) ? body['progress'].filter(isObject) : [];
  return {
    complete: bool(body['complete']),
    progress: list.map((e) => ({ type: str(e, 'TYPE'), percent: num(e['PROGR']), found: num(e['NFOUND']) })),
    raw: body,
  };
}
