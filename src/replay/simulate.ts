// A live emulator set up like the recorded device, so a recorded site can be simulated beyond what was
// recorded: panel count, firmware and battery state from the recorded replies, the clock at the recording's
// end. What the emulators cannot be told (serial numbers, which they draw from the seed) is listed in
// `notApplied` instead of being silently different.

import { Cid2, decodeFrame, decodeInfo } from '../../contracts/kehua-ups/index.js';
import { SPH_DEVICE_TYPE } from '../../contracts/growatt/index.js';
import { decodeField, plainValue, PROFILE_IDS, PROFILES, type ProfileId } from '../../contracts/senec/index.js';
import { startVoltbench, DEFAULT_PORTS, type DeviceName, type Voltbench, type VoltbenchOptions } from '../../emulators/registry.js';
import type { HttpExchange, SerialExchange } from '../recording/format.js';
import { bytesOf } from './bytes.js';
import { isRedacted } from './form.js';
import { growattParams } from './growatt.js';
import { header, recordedRequest } from './http-rules.js';
import type { Recording } from './read.js';

export interface SimulationOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** The device's port (SENEC: the one its firmware serves); default DEFAULT_PORTS; 0 = any free port. */
  port?: number;
  /** Clock speed, as `voltbench up --speed` (default 1, real time; 0 = manual). */
  speed?: number;
  /** Default 1. */
  seed?: number;
}

export interface SimulationPlan {
  device: DeviceName;
  /** What to pass to startVoltbench. */
  options: VoltbenchOptions;
  /** Applied through the emulator's control plane after start: state the start options cannot carry. */
  statePatch: Record<string, unknown> | null;
  /** The values taken from the recording. */
  derived: Record<string, unknown>;
  /** What the recording shows that the emulator cannot be set to (it will differ there). */
  notApplied: string[];
}

export interface RunningSimulation {
  plan: SimulationPlan;
  voltbench: Voltbench;
  /** Where the device answers (`http(s)://…` or `tcp://…`). */
  url: string;
  close(): Promise<void>;
}

interface Derived {
  options: Partial<VoltbenchOptions>;
  statePatch: Record<string, unknown> | null;
  derived: Record<string, unknown>;
  notApplied: string[];
}

export function emulatorOptionsFromRecording(recording: Recording, options: SimulationOptions = {}): SimulationPlan {
  const { header: head, exchanges } = recording;
  const device = head.device;
  const port = options.port;
  const ports: VoltbenchOptions['ports'] = { pvs: 0, senec: 0, senecHttps: 0, growatt: 0, ups: 0, upsControl: 0 };
  const http = exchanges.filter((e): e is HttpExchange => e.type === 'http');
  let found: Derived;
  if (device === 'pvs') {
    ports.pvs = port ?? DEFAULT_PORTS.pvs;
    found = fromPvs(http);
  } else if (device === 'senec') {
    found = fromSenec(http, head.transport);
    const https = PROFILES[found.options.senec!.site!.profile!].transport === 'https';
    if (https) ports.senecHttps = port ?? DEFAULT_PORTS.senecHttps;
    else ports.senec = port ?? DEFAULT_PORTS.senec;
  } else if (device === 'growatt') {
    ports.growatt = port ?? DEFAULT_PORTS.growatt;
    found = fromGrowatt(http);
  } else {
    ports.ups = port ?? DEFAULT_PORTS.ups;
    found = fromUps(exchanges.filter((e): e is SerialExchange => e.type === 'serial'));
  }
  const last = exchanges.length > 0 ? exchanges[exchanges.length - 1]!.t : 0;
  const started = Date.parse(head.startedAt);
  const start = Number.isNaN(started) ? undefined : started + last;
  return {
    device,
    options: {
      devices: [device],
      host: options.host ?? '127.0.0.1',
      seed: options.seed ?? 1,
      speed: options.speed ?? 1,
      ...(start !== undefined ? { start } : {}),
      ports,
      ...found.options,
    },
    statePatch: found.statePatch,
    derived: { ...(start !== undefined ? { start: new Date(start).toISOString() } : {}), ...found.derived },
    notApplied: found.notApplied,
  };
}

/** Starts the emulator of `emulatorOptionsFromRecording` and applies its state patch. */
export async function startSimulation(recording: Recording, options: SimulationOptions = {}): Promise<RunningSimulation> {
  const plan = emulatorOptionsFromRecording(recording, options);
  const voltbench = await startVoltbench(plan.options);
  try {
    const running = voltbench.emulators[plan.device]!;
    if (plan.statePatch !== null) running.emulator.patchState(plan.statePatch);
    const url = running.ready['url'] ?? running.ready['httpsUrl'] ?? running.url!;
    return { plan, voltbench, url, close: () => voltbench.close() };
  } catch (error) {
    await voltbench.close();
    throw error;
  }
}

// ---- helpers -------------------------------------------------------------------------------------

function jsonBody(exchange: HttpExchange): unknown {
  const response = exchange.response;
  if (response === null || response.status !== 200) return undefined;
  try {
    return JSON.parse(bytesOf(response.body).toString('utf8'));
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const within = (value: number, min: number, max: number) => Number.isFinite(value) && value >= min && value <= max;

// ---- SunPower PVS ----------------------------------------------------------------------------------

function fromPvs(exchanges: readonly HttpExchange[]): Derived {
  const site: Record<string, unknown> = {};
  const derived: Record<string, unknown> = {};
  const notApplied: string[] = [];
  let statePatch: Record<string, unknown> | null = null;
  const lists = exchanges.filter((e) => /[?&]Command=DeviceList(&|$)/.test(e.request.url)).map(jsonBody);
  const devices = lists.reverse().find((b): b is { devices: unknown[] } => isObject(b) && Array.isArray(b['devices']))?.devices.filter(isObject);
  if (devices !== undefined) {
    const ofType = (type: string) => devices.filter((d) => d['DEVICE_TYPE'] === type);
    const supervisor = ofType('PVS')[0];
    const inverters = ofType('Inverter');
    const meters = ofType('Power Meter');
    const batteries = ofType('Battery');
    if (inverters.length >= 1 && inverters.length <= 200) site['panels'] = inverters.length;
    const firmware = supervisor?.['SWVER'];
    if (typeof firmware === 'string' && /^\d{4}\.\d{1,2}, Build \d+$/.test(firmware)) site['firmware'] = firmware;
    const model = typeof supervisor?.['MODEL'] === 'string' ? /PVS[56]/.exec(supervisor['MODEL'])?.[0] : undefined;
    if (model !== undefined) site['supervisorModel'] = model;
    const inverterModel = inverters[0]?.['MODEL'];
    if (typeof inverterModel === 'string') site['inverterModel'] = inverterModel;
    const panelModel = inverters[0]?.['PANEL'];
    if (typeof panelModel === 'string') site['panelModel'] = panelModel;
    const consumption = meters.find((m) => typeof m['TYPE'] === 'string' && m['TYPE'].endsWith('-C'));
    site['consumptionMeter'] = consumption !== undefined;
    const subtype = consumption?.['consumption_subtype_enum'] ?? consumption?.['subtype'];
    if (subtype === 'NET_CONSUMPTION_LOADSIDE' || subtype === 'GROSS_CONSUMPTION_LINESIDE') site['consumptionSubtype'] = subtype;
    if (batteries.length <= 8) site['essBatteries'] = batteries.length;
    if (batteries.length > 0) site['essHubDevices'] = ofType('HUB+').length > 0;
    const serials = devices.map((d) => d['SERIAL']).filter((s): s is string => typeof s === 'string');
    derived['serials'] = serials;
    if (serials.length > 0) notApplied.push(`serial numbers (${serials.length}, e.g. ${serials[0]}): the PVS emulator draws them from the seed (site.ts has no option for them)`);
  } else {
    notApplied.push('no DeviceList reply recorded: panel count, firmware and meters stay at the defaults');
  }
  const ess = exchanges.filter((e) => e.request.url.split('?')[0] === '/cgi-bin/dl_cgi/energy-storage-system/status').map(jsonBody).reverse().find(isObject);
  const report = ess?.['ess_report'];
  const battery = isObject(report) && Array.isArray(report['battery_status']) ? report['battery_status'][0] : undefined;
  const soc = isObject(battery) && isObject(battery['state_of_charge']) ? battery['state_of_charge']['value'] : undefined;
  if (typeof soc === 'number' && within(soc, 0, 100) && (site['essBatteries'] as number | undefined ?? 0) > 0) statePatch = { soc };
  Object.assign(derived, site, statePatch ?? {});
  return { options: { pvs: { site } }, statePatch, derived, notApplied };
}

// ---- SENEC -----------------------------------------------------------------------------------------

/** The latest recorded wire value of every object.key in lala.cgi replies. */
function senecValues(exchanges: readonly HttpExchange[]): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const exchange of exchanges) {
    if (exchange.request.url.split('?')[0] !== '/lala.cgi') continue;
    const body = jsonBody(exchange);
    if (!isObject(body)) continue;
    for (const [object, keys] of Object.entries(body)) {
      if (isObject(keys)) for (const [key, value] of Object.entries(keys)) values.set(`${object}.${key}`, value);
    }
  }
  return values;
}

function senecNumber(values: Map<string, unknown>, name: string): number | undefined {
  const field = values.get(name);
  if (field === undefined) return undefined;
  const decoded = decodeField(field);
  const value = plainValue(Array.isArray(decoded) ? decoded[0]! : decoded);
  return typeof value === 'number' ? value : undefined;
}

function senecProfile(exchanges: readonly HttpExchange[], values: Map<string, unknown>, transport: string): ProfileId {
  const cookie = exchanges.some((e) => {
    const set = e.response?.headers['set-cookie'];
    return (Array.isArray(set) ? set : set === undefined ? [] : [set]).some((c) => c.startsWith('senec-homev3-gui='));
  });
  if (cookie) return 'v3-npu2411';
  const application = values.get('WIZARD.APPLICATION_VERSION');
  if (typeof application === 'string') {
    const version = application.replace(/^st_/, '');
    const match = PROFILE_IDS.find((id) => PROFILES[id].identity.applicationVersion === version);
    if (match !== undefined) return match;
  }
  const image = senecNumber(values, 'SYS_UPDATE.NPU_IMAGE_VERSION');
  if (image !== undefined && image >= 2411) return 'v3-npu2411';
  return transport === 'http' ? 'v21-0824' : 'v3-0826';
}

function fromSenec(exchanges: readonly HttpExchange[], transport: string): Derived {
  const values = senecValues(exchanges);
  const profile = senecProfile(exchanges, values, transport);
  const site: Record<string, unknown> = { profile };
  const soc = senecNumber(values, 'ENERGY.GUI_BAT_DATA_FUEL_CHARGE');
  if (soc !== undefined && within(soc, 0, 100)) site['initialSocPct'] = soc;
  const modules = senecNumber(values, 'BMS.MODULES_CONFIGURED');
  if (modules !== undefined && Number.isInteger(modules) && within(modules, 1, 4)) site['modules'] = modules;
  const peak = senecNumber(values, 'WIZARD.PWRCFG_PEAK_PV_POWER');
  if (peak !== undefined && within(peak, 0, 30_000)) site['peakPvW'] = peak;
  const spare = senecNumber(values, 'BAT1.SPARE_CAPACITY');
  if (spare !== undefined && within(spare, 0, 100)) site['spareCapacityPct'] = spare;
  const notApplied: string[] = [];
  const serials = ['FACTORY.DEVICE_ID', 'BMS.SERIALNR', 'WIZARD.MAC_ADDRESS_BYTES'].filter((name) => values.has(name));
  if (serials.length > 0) notApplied.push(`${serials.join(', ')}: the SENEC emulator derives them from the seed`);
  return { options: { senec: { site } }, statePatch: null, derived: { ...site }, notApplied };
}

// ---- Growatt ---------------------------------------------------------------------------------------

function fromGrowatt(exchanges: readonly HttpExchange[]): Derived {
  const fleet: Record<string, unknown> = {};
  const derived: Record<string, unknown> = {};
  const notApplied: string[] = [];
  const token = exchanges.map((e) => header(recordedRequest(e), 'token')).find((t) => t !== undefined);
  if (token !== undefined && !isRedacted(token) && /^[0-9a-zA-Z]{8,64}$/.test(token)) fleet['demoToken'] = token;
  // Devices by plant from device/list replies; serials asked for elsewhere count too.
  const byPlant = new Map<string, Set<string>>();
  const serials = new Set<string>();
  for (const exchange of exchanges) {
    const params = new Map(growattParams(recordedRequest(exchange)));
    const path = exchange.request.url.split('?')[0];
    for (const name of ['mix_sn', 'device_sn']) {
      const sn = params.get(name);
      if (sn) serials.add(sn);
    }
    const body = jsonBody(exchange);
    if (path !== '/v1/device/list' || !isObject(body) || !isObject(body['data']) || !Array.isArray(body['data']['devices'])) continue;
    const plant = params.get('plant_id') ?? '';
    const set = byPlant.get(plant) ?? new Set<string>();
    // Only the SPH inverters: the plant's meter is listed too, under another type.
    for (const row of body['data']['devices']) {
      if (isObject(row) && row['type'] === SPH_DEVICE_TYPE && typeof row['device_sn'] === 'string') set.add(row['device_sn']);
    }
    byPlant.set(plant, set);
    for (const sn of set) serials.add(sn);
  }
  if (serials.size > 0) {
    fleet['devices'] = serials.size;
    const perPlant = Math.max(1, ...[...byPlant.values()].map((s) => s.size));
    if (perPlant <= serials.size && perPlant <= 100) fleet['sphPerPlant'] = perPlant;
    derived['serials'] = [...serials];
    notApplied.push(`device serials and plant ids (${[...serials].slice(0, 3).join(', ')}${serials.size > 3 ? ', …' : ''}): the Growatt fleet mints them from the seed`);
  }
  if (token !== undefined && isRedacted(token)) notApplied.push('the token was redacted: the emulator uses its seed-derived demo token');
  Object.assign(derived, fleet);
  return { options: { growatt: { fleet } }, statePatch: null, derived, notApplied };
}

// ---- KEHUA UPS -------------------------------------------------------------------------------------

function fromUps(exchanges: readonly SerialExchange[]): Derived {
  const settings: Record<string, unknown> = {};
  const values: Record<string, number> = {};
  for (const exchange of exchanges) {
    if (exchange.response === null) continue;
    const request = decodeFrame(bytesOf(exchange.request).toString('latin1'));
    const reply = decodeFrame(bytesOf(exchange.response).toString('latin1').trim().replace(/^[^~]*/, '') + '\r');
    if (!request.ok || !reply.ok || reply.frame.cid2 !== 0) continue;
    settings['ver'] = reply.frame.ver;
    settings['adr'] = reply.frame.adr;
    const info = reply.frame.info;
    if (request.frame.cid2 === Cid2.GetVendorInfo && info.length === 32) {
      const ascii = (bytes: Uint8Array) => String.fromCharCode(...bytes).replace(/[\0 ]+$/, '');
      const printable = (text: string) => /^[\x20-\x7e]*$/.test(text);
      const name = ascii(info.subarray(0, 10));
      const vendor = ascii(info.subarray(12, 32));
      if (printable(name)) settings['deviceName'] = name;
      settings['softwareVersion'] = (info[10]! << 8) | info[11]!;
      if (printable(vendor)) settings['vendorName'] = vendor;
      continue;
    }
    const decoded = decodeInfo(request.frame.cid2, info);
    if (decoded.ok) Object.assign(values, decoded.values);
  }
  // Per-phase load % is against a third of the rating (emulator model and UL33 map alike).
  const kva = values['outputApparentPowerA'];
  const pct = values['outputLoadPercentA'];
  if (kva !== undefined && pct !== undefined && pct >= 5) {
    const rated = Math.round(((3 * kva) / (pct / 100)) * 10) / 10;
    if (within(rated, 0.5, 1000)) settings['ratedKva'] = rated;
  }
  const notApplied = ['battery state of charge: the UL33 map has no SOC point, so the recording cannot show it (batterySocPct stays the emulator default)'];
  return { options: { ups: { settings } }, statePatch: null, derived: { ...settings }, notApplied };
}
