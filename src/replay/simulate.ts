// A live emulator set up like the recorded device, so a recorded site can be simulated beyond what was
// recorded: serial numbers, panel count, firmware and battery state from the recorded replies, the clock at the
// recording's end. What the emulators cannot be told is listed in `notApplied` instead of being silently different.

import { Cid2, decodeFrame, decodeGxeInfo, decodeInfo } from '../../contracts/kehua-ups/index.js';
import { SPH_DEVICE_TYPE } from '../../contracts/growatt/index.js';

/** `type` of meters (and dataloggers, sensors) in device/list rows: DEVICE_TYPES in contracts/growatt. */
const OTHER_DEVICE_TYPE = 3;
import { decodeField, plainValue, PROFILE_IDS, PROFILES, type DecodedValue, type ProfileId } from '../../contracts/senec/index.js';
import { startVoltbench, type DeviceName, type Voltbench, type VoltbenchOptions } from '../../emulators/registry.js';
import { generateTlsMaterial } from '../../emulators/core/tls/certificates.js';
import type { ClientTransport, HttpExchange, SerialExchange } from '../recording/format.js';
import { decodeBytes } from '../recording/bytes.js';
import { isRedacted } from './form.js';
import { startForwarder, type Forwarder } from './forward.js';
import { growattParams } from './growatt.js';
import { header, recordedRequest } from './http-rules.js';
import type { Recording } from './read.js';
import { defaultReplayPort, secondListenerPort, servedTransports, type ReplayTransport } from './transports.js';

export interface SimulationOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** The main listener's port; default the device's `voltbench up` port for its transport; 0 = any free port. */
  port?: number;
  /**
   * SENEC: `client` (default) serves the transport(s) the recorded clients used, as `voltbench replay` does (a client
   * on plain HTTP in front of HTTPS firmware gets a plain HTTP front to the emulator); `device` serves the one the
   * simulated firmware serves. The other devices are served as their emulators serve them either way.
   */
  transport?: ReplayTransport;
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
  /** The values taken from the recording (`serials`: the serial numbers given to the emulator). */
  derived: Record<string, unknown>;
  /** What the recording shows that the emulator cannot be set to (it will differ there). */
  notApplied: string[];
  /**
   * Where the simulation is served, the main listener first. `forward`: a front on a transport the emulator's firmware
   * does not serve, passing every request to the emulator's own listener (which then takes any free port).
   */
  listeners: SimulationListener[];
}

export interface SimulationListener {
  transport: ClientTransport | 'tcp';
  port: number;
  forward: boolean;
}

export interface RunningSimulation {
  plan: SimulationPlan;
  voltbench: Voltbench;
  /** Where the device answers (`http(s)://…` or `tcp://…`): the main listener. */
  url: string;
  /** Every listener, the main one first. */
  urls: string[];
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
  const ports: Record<string, number> = { pvs: 0, pvsWs: 0, senec: 0, senecHttps: 0, growatt: 0, ups: 0, upsControl: 0 };
  const http = exchanges.filter((e): e is HttpExchange => e.type === 'http');
  let found: Derived;
  let listeners: SimulationListener[];
  if (device === 'pvs') {
    ports.pvs = port ?? defaultReplayPort(device, false);
    listeners = [{ transport: 'http', port: ports.pvs, forward: false }];
    found = fromPvs(http);
  } else if (device === 'senec') {
    found = fromSenec(http, head.transport);
    const firmware = PROFILES[found.options.senec!.site!.profile!].transport;
    listeners = senecListeners(recording, firmware, options);
    // The emulator's own listener for its firmware's transport: served as it is, or behind a front on any free port.
    const own = listeners.find((l) => !l.forward)?.port ?? 0;
    if (firmware === 'https') ports.senecHttps = own;
    else ports.senec = own;
  } else if (device === 'growatt') {
    ports.growatt = port ?? defaultReplayPort(device, false);
    listeners = [{ transport: 'http', port: ports.growatt, forward: false }];
    found = fromGrowatt(http);
  } else {
    ports.ups = port ?? defaultReplayPort(device, false);
    listeners = [{ transport: 'tcp', port: ports.ups, forward: false }];
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
    listeners,
  };
}

/** SENEC listeners: the clients' transports (or, with `device`, the firmware's), fronts where the firmware serves the other. */
function senecListeners(recording: Recording, firmware: ClientTransport, options: SimulationOptions): SimulationListener[] {
  const served = (options.transport ?? 'client') === 'device' ? [firmware] : servedTransports(recording, 'client');
  const mainPort = options.port ?? defaultReplayPort('senec', served[0] === 'https');
  return served.map((transport, i) => ({ transport, port: i === 0 ? mainPort : secondListenerPort('senec', transport, mainPort), forward: transport !== firmware }));
}

/** Starts the emulator of `emulatorOptionsFromRecording` and applies its state patch. */
export async function startSimulation(recording: Recording, options: SimulationOptions = {}): Promise<RunningSimulation> {
  const plan = emulatorOptionsFromRecording(recording, options);
  const voltbench = await startVoltbench(plan.options);
  const fronts: Forwarder[] = [];
  const close = async () => {
    await Promise.all(fronts.map((front) => front.close()));
    await voltbench.close();
  };
  try {
    const running = voltbench.emulators[plan.device]!;
    if (plan.statePatch !== null) running.emulator.patchState(plan.statePatch);
    // The ready line names the listener the firmware serves (SENEC runs both, the other refusing device requests).
    const own = running.ready['url'] ?? running.ready['httpsUrl'] ?? running.url!;
    const host = plan.options.host;
    let tls: ReturnType<typeof generateTlsMaterial> | undefined;
    const urls: string[] = [];
    for (const listener of plan.listeners) {
      if (!listener.forward) {
        urls.push(own);
        continue;
      }
      if (listener.transport === 'https') tls ??= generateTlsMaterial({ commonName: plan.device === 'senec' ? 'senec.local' : `${plan.device}.voltbench.local` });
      const front = await startForwarder(own, { host, port: listener.port, ...(listener.transport === 'https' ? { tls: tls! } : {}) });
      fronts.push(front);
      urls.push(front.url);
    }
    return { plan, voltbench, url: urls[0]!, urls, close };
  } catch (error) {
    await close();
    throw error;
  }
}

// ---- helpers -------------------------------------------------------------------------------------

function jsonBody(exchange: HttpExchange): unknown {
  const response = exchange.response;
  if (response === null || response.status !== 200) return undefined;
  try {
    return JSON.parse(decodeBytes(response.body).toString('utf8'));
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
    const given = pvsSerials(ofType, site, notApplied);
    if (Object.keys(given).length > 0) site['serials'] = given;
    const modules = inverters.map((d) => d['module_serial']).filter((s) => typeof s === 'string');
    if (modules.length > 0) notApplied.push(`inverter module_serial values (${modules.length}, e.g. ${String(modules[0])}): the PVS emulator draws them from the seed`);
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

/** What the PVS site accepts as a serial (emulators/sunpower-pvs/site.ts checks the same). */
const PVS_SERIAL = /^[\x21-\x7e]{1,64}$/;

/** The recorded serials in the shape of the PVS `site.serials` option; groups that would not fit are noted instead. */
function pvsSerials(ofType: (type: string) => Record<string, unknown>[], site: Record<string, unknown>, notApplied: string[]): Record<string, unknown> {
  const serialOf = (device: Record<string, unknown> | undefined) => {
    const serial = device?.['SERIAL'];
    return typeof serial === 'string' && PVS_SERIAL.test(serial) ? serial : undefined;
  };
  const listOf = (devices: Record<string, unknown>[], what: string): string[] | undefined => {
    const list = devices.map(serialOf);
    const ok = list.every((s) => s !== undefined) && new Set(list).size === list.length;
    if (!ok && devices.length > 0) notApplied.push(`${what} serial numbers: not all usable (empty, spaces or repeated), so the emulator draws them from the seed`);
    return ok && devices.length > 0 ? (list as string[]) : undefined;
  };
  const given: Record<string, unknown> = {};
  const supervisor = serialOf(ofType('PVS')[0]);
  if (supervisor !== undefined) given['supervisor'] = supervisor;
  const meters = ofType('Power Meter');
  const meter = (suffix: string) => serialOf(meters.find((m) => typeof m['TYPE'] === 'string' && m['TYPE'].endsWith(suffix)));
  const production = meter('-P');
  const consumption = meter('-C');
  if (production !== undefined) given['productionMeter'] = production;
  if (consumption !== undefined) given['consumptionMeter'] = consumption;
  // The inverter list is the panel list: only when the panel count was taken from it.
  const inverters = site['panels'] === undefined ? undefined : listOf(ofType('Inverter'), 'inverter');
  if (inverters !== undefined) given['inverters'] = inverters;
  if (((site['essBatteries'] as number | undefined) ?? 0) > 0) {
    const ess: Record<string, unknown> = {};
    const one: [string, string][] = [
      ['HUB+', 'hubSerial'],
      ['ESS Hub', 'mioSerial'],
      ['PV Disconnect', 'pvDisconnectSerial'],
      ['Gateway', 'gatewaySerial'],
      ['Storage Inverter', 'storageInverterSerial'],
      ['ESS BMS', 'bmsSerial'],
      ['Energy Storage System', 'essSerial'],
    ];
    for (const [type, key] of one) {
      const serial = serialOf(ofType(type)[0]);
      if (serial !== undefined) ess[key] = serial;
    }
    const mac = ofType('Gateway')[0]?.['mac_address'];
    if (typeof mac === 'string' && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(mac)) ess['gatewayMac'] = mac;
    const batteries = listOf(ofType('Battery'), 'SunVault battery');
    if (batteries !== undefined) ess['batterySerials'] = batteries;
    if (Object.keys(ess).length > 0) given['ess'] = ess;
  }
  return given;
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
  const serials = senecSerials(values, site['modules'] as number | undefined, notApplied);
  if (Object.keys(serials).length > 0) site['serials'] = serials;
  return { options: { senec: { site } }, statePatch: null, derived: { ...site }, notApplied };
}

/** A recorded wire value decoded to plain values (arrays element-wise); error markers are not values. */
function senecPlain(values: Map<string, unknown>, name: string): unknown {
  const field = values.get(name);
  if (field === undefined) return undefined;
  const plain = (d: DecodedValue) => (d.kind === 'error' ? undefined : plainValue(d));
  const decoded = decodeField(field);
  return Array.isArray(decoded) ? decoded.map(plain) : plain(decoded);
}

/** The recorded identity in the shape of the SENEC `site.serials` option (emulators/senec/site.ts). */
function senecSerials(values: Map<string, unknown>, modules: number | undefined, notApplied: string[]): Record<string, unknown> {
  const serials: Record<string, unknown> = {};
  for (const [name, key] of [['FACTORY.DEVICE_ID', 'deviceId'], ['BAT1.SERIAL', 'batterySerial']] as const) {
    const value = senecPlain(values, name);
    if (typeof value === 'string' && /^[\x20-\x7e]{0,64}$/.test(value)) serials[key] = value;
    else if (values.has(name)) notApplied.push(`${name}: not a printable string, so the emulator derives it from the seed`);
  }
  const sn = senecPlain(values, 'BMS.SN');
  if (Array.isArray(sn) && sn.every((n) => Number.isInteger(n) && n >= 0 && n <= 0xffff_ffff)) {
    // One per configured module: the module count must be known to cut the four recorded slots down.
    if (modules !== undefined && sn.length >= modules) serials['moduleSerials'] = sn.slice(0, modules);
    else notApplied.push('BMS.SN: the module count (BMS.MODULES_CONFIGURED) was not recorded, so module serials come from the seed');
  }
  const mac = senecPlain(values, 'WIZARD.MAC_ADDRESS_BYTES');
  if (Array.isArray(mac) && mac.length === 6 && mac.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)) serials['macAddress'] = mac;
  return serials;
}

// ---- Growatt ---------------------------------------------------------------------------------------

interface RecordedPlant {
  id: string;
  sph: Set<string>;
  datalogger?: string;
  meter?: string;
}

function fromGrowatt(exchanges: readonly HttpExchange[]): Derived {
  const fleet: Record<string, unknown> = {};
  const derived: Record<string, unknown> = {};
  const notApplied: string[] = [];
  const token = exchanges.map((e) => header(recordedRequest(e), 'token')).find((t) => t !== undefined);
  if (token !== undefined && !isRedacted(token) && /^[0-9a-zA-Z]{8,64}$/.test(token)) fleet['demoToken'] = token;
  // Devices by plant from device/list replies; serials asked for elsewhere count too.
  const plants = new Map<string, RecordedPlant>();
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
    const id = params.get('plant_id') ?? '';
    const plant = plants.get(id) ?? { id, sph: new Set<string>() };
    // The SPH inverters, and the plant's meter, listed under another type; all share the plant's datalogger.
    for (const row of body['data']['devices']) {
      if (!isObject(row) || typeof row['device_sn'] !== 'string') continue;
      if (row['type'] === SPH_DEVICE_TYPE) plant.sph.add(row['device_sn']);
      // Type 3 is "other": a datalogger lists itself (its own datalogger_sn), a meter does not.
      else if (row['type'] === OTHER_DEVICE_TYPE && row['device_sn'] !== row['datalogger_sn']) plant.meter = row['device_sn'];
      if (typeof row['datalogger_sn'] === 'string') plant.datalogger = row['datalogger_sn'];
    }
    plants.set(id, plant);
  }
  for (const plant of plants.values()) for (const sn of plant.sph) serials.add(sn);
  if (serials.size > 0) {
    fleet['devices'] = serials.size;
    const perPlant = Math.max(1, ...[...plants.values()].map((p) => p.sph.size));
    if (perPlant <= serials.size && perPlant <= 100) fleet['sphPerPlant'] = perPlant;
    const given = growattSerials([...plants.values()], serials, perPlant, notApplied);
    if (given !== null) fleet['serials'] = given;
  }
  if (token !== undefined && isRedacted(token)) notApplied.push('the token was redacted: the emulator uses its seed-derived demo token');
  Object.assign(derived, fleet);
  return { options: { growatt: { fleet } }, statePatch: null, derived, notApplied };
}

const GROWATT_SERIAL = /^[0-9A-Za-z]{1,32}$/;

/**
 * The recorded identities in the shape of the fleet's `serials` option (emulators/growatt/fleet.ts). The fleet fills
 * plants `sphPerPlant` at a time, so plant ids and dataloggers carry over only when the recorded plants have that
 * shape (full plants, a smaller one last); the inverter serials carry over in any case.
 */
function growattSerials(plants: RecordedPlant[], serials: Set<string>, perPlant: number, notApplied: string[]): Record<string, unknown> | null {
  if (![...serials].every((sn) => GROWATT_SERIAL.test(sn))) {
    notApplied.push('device serials: not all are letters and digits, so the Growatt fleet mints them from the seed');
    return null;
  }
  const ordered = [...plants].sort((a, b) => b.sph.size - a.sph.size);
  const grouped = ordered.flatMap((p) => [...p.sph]);
  const loose = [...serials].filter((sn) => !grouped.includes(sn));
  const last = ordered[ordered.length - 1];
  const fits =
    ordered.length > 0 &&
    ordered.every((p, i) => p.sph.size > 0 && (p.sph.size === perPlant || i === ordered.length - 1)) &&
    (loose.length === 0 || last!.sph.size === perPlant) &&
    ordered.every((p) => /^[1-9]\d{0,14}$/.test(p.id));
  if (!fits) {
    notApplied.push(`plant ids and dataloggers: the recorded plants (${plants.length}) do not split into plants of ${perPlant} as the fleet builds them, so only the inverter serials carry over`);
    return { inverters: [...serials] };
  }
  const given: Record<string, unknown> = { inverters: [...grouped, ...loose], plantIds: ordered.map((p) => Number(p.id)) };
  const all = (pick: (p: RecordedPlant) => string | undefined) => {
    const list = ordered.map(pick);
    return list.every((sn) => sn !== undefined && GROWATT_SERIAL.test(sn)) ? (list as string[]) : undefined;
  };
  const dataloggers = all((p) => p.datalogger);
  const meters = all((p) => p.meter);
  const distinct = [...serials, ...(dataloggers ?? []), ...(meters ?? [])];
  if (new Set(distinct).size !== distinct.length) {
    notApplied.push('datalogger and meter serials: they repeat other serials, so the fleet mints them');
    return given;
  }
  if (dataloggers !== undefined) given['dataloggers'] = dataloggers;
  if (meters !== undefined) given['meters'] = meters;
  return given;
}

// ---- KEHUA UPS -------------------------------------------------------------------------------------

function fromUps(exchanges: readonly SerialExchange[]): Derived {
  const settings: Record<string, unknown> = {};
  const values: Record<string, number> = {};
  for (const exchange of exchanges) {
    if (exchange.response === null) continue;
    const request = decodeFrame(decodeBytes(exchange.request).toString('latin1'));
    const reply = decodeFrame(decodeBytes(exchange.response).toString('latin1').trim().replace(/^[^~]*/, '') + '\r');
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
    // 42H and 47H are answered only by the GXE dialect (the KEHUA map answers them RTN 04).
    if (request.frame.cid2 === Cid2.GetAnalogFixed || request.frame.cid2 === Cid2.GetParametersFixed) settings['dialect'] = 'gxe';
    if (request.frame.cid2 === Cid2.GetParametersFixed) {
      const params = decodeGxeInfo(Cid2.GetParametersFixed, info);
      if (params.ok && within(params.values['nominalVoltage']!, 100, 400)) settings['nominalVoltage'] = params.values['nominalVoltage'];
      if (params.ok && (params.values['nominalFrequency'] === 50 || params.values['nominalFrequency'] === 60)) settings['nominalFrequency'] = params.values['nominalFrequency'];
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
