/**
 * The v1 endpoints as functions of (account, merged parameters) → reply. Each checks its input in the order the
 * documents suggest and answers with that endpoint's own error code (codes 10001-10009 mean different things per
 * endpoint). Success bodies follow the contract's envelopes; the telemetry-heavy ones are assembled from cached
 * JSON text so a 100-device batch costs string joins, not 100 object serialisations.
 */
import {
  errorReply,
  PAGING,
  parsePaging,
  parseSnList,
  successBody,
  TIME_UNITS,
  TLX_SET_MAX_PARAMS,
  withinHistoryWindow,
  daysBetween,
  type EndpointId,
  type TimeUnit,
} from '../../contracts/growatt/index.js';
import type { Account, DeviceFamily, Plant, SphDevice } from './fleet.js';
import type { GrowattEmulator } from './emulator.js';
import { dayOfDate } from './energy-history.js';
import { applyTlxSet, readMinParam as readMinSetting, tlxSettingsView } from './min-settings.js';
import { applyMixSet, readMixParam } from './settings.js';

/** Parameters after merging query string and form body: repeated keys become arrays. */
export type Params = Record<string, string | string[] | undefined>;

/** A reply body, either as a value or as JSON text already serialised. */
export type Reply = { body: unknown } | { json: string } | { bytes: Buffer };

type Handler = (emu: GrowattEmulator, account: Account, params: Params) => Reply;

const fail = (endpoint: EndpointId | null, code: number): Reply => ({ body: errorReply(endpoint, code) });
const ok = (data: unknown, extras: Record<string, unknown> = {}): Reply => ({ body: successBody(data, extras) });

/** First value of a parameter (Spring binds a repeated single-valued parameter to its first value here). */
export function one(params: Params, key: string): string | undefined {
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
function validDate(text: string | undefined): text is string {
  return text !== undefined && DATE.test(text) && daysBetween(text, text) === 0;
}

type Paging = { page: number; perpage: number } | { code: number };

/** page/perpage as list and history endpoints read them: "" means default; too large answers 10013/10014. */
function paging(params: Params, formatCode: number): Paging {
  const page = parsePaging(one(params, 'page'), 1);
  const perpage = parsePaging(one(params, 'perpage'), PAGING.defaultPerPage);
  if (page === undefined || perpage === undefined) return { code: formatCode };
  if (perpage > PAGING.maxPerPage) return { code: 10013 };
  if (page > PAGING.maxPages) return { code: 10014 };
  return { page: Math.max(1, page), perpage: Math.max(1, perpage) };
}

function slice<T>(rows: readonly T[], p: { page: number; perpage: number }): T[] {
  return rows.slice((p.page - 1) * p.perpage, p.page * p.perpage);
}

/** The plant for plant_id on the plant endpoints: 10003 when empty, 10002 when unknown or not the account's. */
function plantParam(emu: GrowattEmulator, account: Account, params: Params, emptyCode = 10003, missingCode = 10002): Plant | { code: number } {
  const raw = one(params, 'plant_id');
  if (raw === undefined || raw.trim() === '') return { code: emptyCode };
  if (!/^\d+$/.test(raw)) return { code: missingCode };
  return emu.fleet.plantOf(account, Number(raw)) ?? { code: missingCode };
}

const isCode = (value: object): value is { code: number } => 'code' in value;

/** The account's device of this family: the SPH endpoints do not know a MIN's serial, nor the MIN ones an SPH's. */
function deviceOf(emu: GrowattEmulator, account: Account, sn: string, family: DeviceFamily): SphDevice | undefined {
  const device = emu.fleet.deviceOf(account, sn);
  return device?.family === family ? device : undefined;
}
const sph = (emu: GrowattEmulator, account: Account, sn: string) => deviceOf(emu, account, sn, 'sph');
const min = (emu: GrowattEmulator, account: Account, sn: string) => deviceOf(emu, account, sn, 'min');

function plantDevices(emu: GrowattEmulator, plant: Plant): SphDevice[] {
  return plant.deviceSns.map((sn) => emu.fleet.devices.get(sn)!);
}

const plantList: Handler = (emu, account, params) => {
  const p = paging(params, 10001);
  if ('code' in p) return fail('plantList', p.code);
  const keyword = one(params, 'search_keyword')?.trim().toLowerCase() ?? '';
  const plants = account.plantIds.map((id) => emu.fleet.plants.get(id)!).filter((plant) => keyword === '' || plant.name.toLowerCase().includes(keyword));
  const rows = slice(plants, p).map((plant) => emu.views.plantListRow(plant));
  return ok({ count: plants.length, plants: rows });
};

const plantDetails: Handler = (emu, account, params) => {
  const plant = plantParam(emu, account, params);
  if (isCode(plant)) return fail('plantDetails', plant.code);
  return ok(emu.views.plantDetails(plant));
};

const plantData: Handler = (emu, account, params) => {
  const plant = plantParam(emu, account, params);
  if (isCode(plant)) return fail('plantData', plant.code);
  return ok(emu.views.plantData(plant));
};

const plantEnergy: Handler = (emu, account, params) => {
  const plant = plantParam(emu, account, params);
  if (isCode(plant)) return fail('plantEnergy', plant.code);
  const start = one(params, 'start_date');
  const end = one(params, 'end_date');
  const unit = one(params, 'time_unit') as TimeUnit | undefined;
  if (!validDate(start) || !validDate(end) || unit === undefined || !TIME_UNITS.includes(unit)) return fail('plantEnergy', 10004);
  const days = daysBetween(start, end)!;
  const startYear = Number(start.slice(0, 4));
  const endYear = Number(end.slice(0, 4));
  // Range rules per unit: day ≤ 7 days, month from the same or previous year, year ≤ 20 years.
  const inRange =
    days >= 0 &&
    (unit === 'day' ? days <= PAGING.maxHistoryDays : unit === 'month' ? endYear - startYear <= 1 : endYear - startYear < PAGING.maxEnergyYears);
  if (!inRange) return fail('plantEnergy', 10004);
  const p = paging(params, 10004);
  if ('code' in p) return fail('plantEnergy', p.code);
  const rows = emu.views.energyRows(plant, start, end, unit);
  return ok({ count: rows.length, time_unit: unit, energys: slice(rows, p) });
};

const plantPower: Handler = (emu, account, params) => {
  const plant = plantParam(emu, account, params);
  if (isCode(plant)) return fail('plantPower', plant.code);
  const date = one(params, 'date');
  if (!validDate(date)) return fail('plantPower', 10003);
  const powers = emu.views.powerRows(plant, date);
  return ok({ count: powers.length, powers });
};

const deviceList: Handler = (emu, account, params) => {
  // Codes swapped relative to the plant endpoints: 10002 empty, 10003 missing.
  const plant = plantParam(emu, account, params, 10002, 10003);
  if (isCode(plant)) return fail('deviceList', plant.code);
  const p = paging(params, 10001);
  if ('code' in p) return fail('deviceList', p.code);
  const rows = emu.views.deviceRows(plant);
  return ok({ count: rows.length, devices: slice(rows, p) });
};

const mixDataInfo: Handler = (emu, account, params) => {
  const sn = one(params, 'device_sn')?.trim() ?? '';
  const device = sn === '' ? undefined : sph(emu, account, sn);
  // The page lists no codes; an SN outside the token's account answers permission denied, as the test server does.
  if (device === undefined) return fail('mixDataInfo', 10011);
  return ok(emu.views.mixDataInfo(device), { datalogger_sn: device.dataloggerSn, device_sn: device.sn });
};

const mixLastData: Handler = (emu, account, params) => {
  const sn = one(params, 'mix_sn')?.trim() ?? '';
  if (sn === '' || !/^[A-Za-z0-9]+$/.test(sn)) return fail('mixLastData', 10003);
  const device = sph(emu, account, sn);
  if (device === undefined) return fail('mixLastData', 10002);
  const json = emu.telemetryJson(device);
  return { json: `{"data":${json},"error_code":0,"error_msg":"","datalogger_sn":${JSON.stringify(device.dataloggerSn)},"mix_sn":${JSON.stringify(device.sn)}}` };
};

const mixsData: Handler = (emu, account, params) => {
  const raw = params['mixs'];
  const sns = raw === undefined ? [] : parseSnList(raw);
  if (sns.length === 0 || sns.length > PAGING.maxBatchSns || sns.some((sn) => !/^[A-Za-z0-9]+$/.test(sn))) return fail('mixsData', 10002);
  const pageText = one(params, 'pageNum');
  const pageNum = pageText !== undefined && /^\d+$/.test(pageText) ? Number(pageText) : NaN;
  // "Number of pages, maximum two pages": anything but 1 or 2 is refused as a system error [inferred].
  if (!(pageNum >= 1 && pageNum <= PAGING.maxBatchPageNum)) return fail('mixsData', 10001);
  const devices: SphDevice[] = [];
  for (const sn of sns) {
    const device = sph(emu, account, sn);
    if (device === undefined) return fail('mixsData', 10005);
    devices.push(device);
  }
  return emu.mixsDataReply(sns, devices, pageNum);
};

const mixData: Handler = (emu, account, params) => {
  const sn = one(params, 'mix_sn')?.trim() ?? '';
  if (sn === '') return fail('mixData', 10002);
  const start = one(params, 'start_date');
  const end = one(params, 'end_date');
  if (!validDate(start) || !validDate(end)) return fail('mixData', 10003);
  if (!withinHistoryWindow(start, end)) return fail('mixData', 10004);
  const device = sph(emu, account, sn);
  if (device === undefined) return fail('mixData', 10005);
  const p = paging(params, 10003);
  if ('code' in p) return fail('mixData', p.code);
  const { count, rows } = emu.historyRows(device, dayOfDate(start), dayOfDate(end), (p.page - 1) * p.perpage, p.perpage);
  const next = p.page * p.perpage < count ? p.page * p.perpage + 1 : -1;
  const head = `{"count":${count},"datalogger_sn":${JSON.stringify(device.dataloggerSn)},"mix_sn":${JSON.stringify(device.sn)},"datas":[${rows.join(',')}],"next_page_start_id":${next}}`;
  return { json: `{"data":${head},"error_code":0,"error_msg":""}` };
};

const alarmData: Handler = (emu, account, params) => {
  const sn = one(params, 'mix_sn')?.trim() ?? '';
  if (sn === '') return fail('alarmData', 10002);
  const date = one(params, 'date');
  if (!validDate(date)) return fail('alarmData', 10003);
  const device = sph(emu, account, sn);
  if (device === undefined) return fail('alarmData', 10005);
  const p = paging(params, 10003);
  if ('code' in p) return fail('alarmData', p.code);
  const alarms = emu.views.alarms(device, date);
  return ok({ count: alarms.length, mix_sn: device.sn, alarms: slice(alarms, p) });
};

/** The device and whether it can be reached for reading or setting (collector 10005, inverter 10003). */
function reachable(emu: GrowattEmulator, device: SphDevice): number | null {
  const open = emu.sim.openOutage(device.sn);
  return open === undefined ? null : open.kind === 'datalogger' ? 10005 : 10003;
}

const readParam: Handler = (emu, account, params) => {
  const sn = one(params, 'device_sn')?.trim() ?? '';
  const device = sn === '' ? undefined : sph(emu, account, sn);
  if (device === undefined) return fail('readMixParam', 10002);
  const offline = reachable(emu, device);
  if (offline !== null) return fail('readMixParam', offline);
  const outcome = readMixParam(emu.sim.currentSettings(device.sn), one(params, 'paramId')?.trim() ?? '', one(params, 'startAddr'), one(params, 'endAddr'));
  return outcome.ok ? ok(outcome.value) : fail('readMixParam', outcome.code);
};

const mixSet: Handler = (emu, account, params) => {
  const sn = one(params, 'mix_sn')?.trim() ?? '';
  if (sn === '') return fail('mixSet', 10004);
  const device = sph(emu, account, sn);
  // On setters 10012 means "device does not exist", not a rate limit.
  if (device === undefined) return fail('mixSet', 10012);
  const offline = reachable(emu, device);
  if (offline !== null) return fail('mixSet', offline);
  const values: string[] = [];
  for (let i = 1; i <= 18; i++) values.push(one(params, `param${i}`) ?? '');
  const outcome = applyMixSet(emu.sim.currentSettings(device.sn), one(params, 'type')?.trim() ?? '', values);
  if (!outcome.ok) return fail('mixSet', outcome.code);
  emu.applySettings(device, outcome.settings);
  return ok('');
};

// ---------------------------------------------------------------------------------------------------------------
// MIN/TLX (type 7): the SPH endpoints' counterparts, with their own parameter names and codes.

const tlxDataInfo: Handler = (emu, account, params) => {
  const sn = one(params, 'device_sn')?.trim() ?? '';
  const device = sn === '' ? undefined : min(emu, account, sn);
  // As mix_data_info: no codes listed; an SN the token cannot see answers permission denied.
  if (device === undefined) return fail('tlxDataInfo', 10011);
  return ok(emu.views.tlxDataInfo(device), { datalogger_sn: device.dataloggerSn, device_sn: device.sn });
};

const tlxSetInfo: Handler = (emu, account, params) => {
  const sn = one(params, 'device_sn')?.trim() ?? '';
  const device = sn === '' ? undefined : min(emu, account, sn);
  if (device === undefined) return fail('tlxSetInfo', 10011);
  return ok(tlxSettingsView(emu.sim.currentSettings(device.sn)));
};

const tlxLastData: Handler = (emu, account, params) => {
  const sn = one(params, 'tlx_sn')?.trim() ?? '';
  if (sn === '' || !/^[A-Za-z0-9]+$/.test(sn)) return fail('tlxLastData', 10003);
  const device = min(emu, account, sn);
  if (device === undefined) return fail('tlxLastData', 10002);
  return { json: `{"data":${emu.telemetryJson(device)},"error_code":0,"error_msg":"","datalogger_sn":${JSON.stringify(device.dataloggerSn)},"tlx_sn":${JSON.stringify(device.sn)}}` };
};

const tlxsData: Handler = (emu, account, params) => {
  const raw = params['tlxs'];
  const sns = raw === undefined ? [] : parseSnList(raw);
  if (sns.length === 0 || sns.length > PAGING.maxBatchSns || sns.some((sn) => !/^[A-Za-z0-9]+$/.test(sn))) return fail('tlxsData', 10002);
  const pageText = one(params, 'pageNum');
  const pageNum = pageText !== undefined && /^\d+$/.test(pageText) ? Number(pageText) : NaN;
  if (!(pageNum >= 1 && pageNum <= PAGING.maxBatchPageNum)) return fail('tlxsData', 10001);
  const devices: SphDevice[] = [];
  for (const sn of sns) {
    const device = min(emu, account, sn);
    if (device === undefined) return fail('tlxsData', 10005);
    devices.push(device);
  }
  return emu.mixsDataReply(sns, devices, pageNum, 'tlxs');
};

const tlxData: Handler = (emu, account, params) => {
  const sn = one(params, 'tlx_sn')?.trim() ?? '';
  if (sn === '') return fail('tlxData', 10002);
  const start = one(params, 'start_date');
  const end = one(params, 'end_date');
  if (!validDate(start) || !validDate(end)) return fail('tlxData', 10003);
  if (!withinHistoryWindow(start, end)) return fail('tlxData', 10004);
  const device = min(emu, account, sn);
  if (device === undefined) return fail('tlxData', 10005);
  const p = paging(params, 10003);
  if ('code' in p) return fail('tlxData', p.code);
  const { count, rows } = emu.historyRows(device, dayOfDate(start), dayOfDate(end), (p.page - 1) * p.perpage, p.perpage);
  const next = p.page * p.perpage < count ? p.page * p.perpage + 1 : -1;
  const head = `{"count":${count},"datalogger_sn":${JSON.stringify(device.dataloggerSn)},"tlx_sn":${JSON.stringify(device.sn)},"datas":[${rows.join(',')}],"next_page_start_id":${next}}`;
  return { json: `{"data":${head},"error_code":0,"error_msg":""}` };
};

const readMinParam: Handler = (emu, account, params) => {
  const sn = one(params, 'device_sn')?.trim() ?? '';
  const device = sn === '' ? undefined : min(emu, account, sn);
  if (device === undefined) return fail('readMinParam', 10002);
  const offline = reachable(emu, device);
  if (offline !== null) return fail('readMinParam', offline);
  const paramId = one(params, 'paramId')?.trim() ?? '';
  const settings = emu.sim.currentSettings(device.sn);
  // Raw registers read as on the SPH.
  const outcome = paramId === 'set_any_reg' ? readMixParam(settings, paramId, one(params, 'startAddr'), one(params, 'endAddr')) : readMinSetting(settings, paramId, one(params, 'startAddr'), one(params, 'endAddr'));
  return outcome.ok ? ok(outcome.value) : fail('readMinParam', outcome.code);
};

const tlxSet: Handler = (emu, account, params) => {
  const sn = one(params, 'tlx_sn')?.trim() ?? '';
  if (sn === '') return fail('tlxSet', 10004);
  const device = min(emu, account, sn);
  // On setters 10012 means "device does not exist", not a rate limit.
  if (device === undefined) return fail('tlxSet', 10012);
  const offline = reachable(emu, device);
  if (offline !== null) return fail('tlxSet', offline);
  const values: string[] = [];
  for (let i = 1; i <= TLX_SET_MAX_PARAMS; i++) values.push(one(params, `param${i}`) ?? '');
  const outcome = applyTlxSet(emu.sim.currentSettings(device.sn), one(params, 'type')?.trim() ?? '', values);
  if (!outcome.ok) return fail('tlxSet', outcome.code);
  emu.applySettings(device, outcome.settings);
  return ok('');
};

export const HANDLERS: { readonly [K in EndpointId]: Handler } = {
  plantList,
  plantDetails,
  plantData,
  plantEnergy,
  plantPower,
  deviceList,
  mixDataInfo,
  mixLastData,
  mixsData,
  mixData,
  alarmData,
  readMixParam: readParam,
  mixSet,
  tlxDataInfo,
  tlxSetInfo,
  tlxLastData,
  tlxsData,
  tlxData,
  readMinParam,
  tlxSet,
};
