// The varserver's variables, computed from the same simulation as DeviceList (protocol notes §5.5).
//
// - Device variables (`/sys/devices/…`) are the readings at the latest 5-minute boundary (`msmtEps`), as the
//   firmware refreshes them; inverters are absent when they were asleep then (pypvs#42), and have no STATE.
// - `/sys/livedata/*` is live (the meters' 15-s readings): it is what the telemetry WebSocket pushes.
// - `/sys/info/uptime` counts from the boot; RAM, flash and CPU follow the supervisor's 5-minute block.
// Floats are printed as single precision with %f (formatVarFloat); inverter values are DeviceList's rounded
// values stored as floats (the 61845 dump reads "0.730000", "54.779999").
import { DATA_OBJECT_IDS } from '../../../contracts/sunpower-pvs/variables.js';
import { formatMsmtEps, formatVarFloat, formatVarInteger, type VarValue } from '../../../contracts/sunpower-pvs/varserver.js';
import type { TelemetryParams } from '../../../contracts/sunpower-pvs/telemetry.js';
import { hashString } from '../../core/rng.js';
import type { InverterReading, MeterReading, Sample, SupervisorReading } from '../model.js';
import type { Site } from '../site.js';
import { metric } from './values.js';

/** Values the emulator keeps for the writable variables (set=), by name. */
export type WritableValues = ReadonlyMap<string, string>;

export interface VarsContext {
  site: Site;
  /** Virtual now. */
  now: number;
  bootAt: number;
  /** Readings at the current meter tick (livedata). */
  live: Sample;
  /** Readings at the latest 5-minute boundary (device variables). */
  snapshot: Sample;
  snapshotAt: number;
  supervisor: SupervisorReading;
  writable: WritableValues;
}

/** Initial values of the writable variables (the 61845 dump: telemetry off until a client enables it). */
export function initialWritables(site: Site): Map<string, string> {
  const values = new Map<string, string>([
    ['/network/report/send', '0'],
    ['/metrics/network/interface_report_request', '0'],
    ['/sys/telemetryws/enable', '0'],
  ]);
  if (site.ess) {
    values.set('/ess/config/dcm/mode_param/control_mode', 'SELF_CONSUMPTION');
    values.set('/ess/config/dcm/control_param/min_customer_soc', formatVarFloat(0.3));
  }
  return values;
}

/** What a site's supervisor reports about itself beyond the serial: Wi-Fi name and key, MAC addresses. */
export interface SupervisorIdentity {
  ssid: string;
  wpaKey: string;
  lmac: string;
  activeMac: string;
}

export function supervisorIdentity(serial: string): SupervisorIdentity {
  const h = hashString(`pvs.identity.${serial}`);
  const h2 = hashString(`pvs.identity2.${serial}`);
  const hex = (n: number) => (n & 0xff).toString(16).toUpperCase().padStart(2, '0');
  const mac = (last: number) => `00:22:F2:${hex(h >>> 8)}:${hex(h >>> 16)}:${hex(last)}`;
  return {
    ssid: `SunPower${String(h % 100_000).padStart(5, '0')}`,
    wpaKey: (h2.toString(36).toUpperCase() + 'A7K3Q9').slice(0, 8),
    lmac: mac(h >>> 24),
    activeMac: mac((h >>> 24) + 1),
  };
}

// ---- live data ----------------------------------------------------------------------------------------------

/** The livedata quantities (kW, kWh, soc 0..1, minutes); NaN where the site has no such measurement. */
export interface LiveData {
  pv_p: number;
  pv_en: number;
  net_p: number;
  net_en: number;
  site_load_p: number;
  site_load_en: number;
  ess_en: number;
  ess_p: number;
  soc: number;
  backupTimeRemaining: number;
  midstate: number;
}

/** Power as the firmware carries it: a single-precision watt value, in kW (6.5590014648437509 in the recorded frame). */
const kw = (value: number) => Math.fround(value * 1000) / 1000;
const kwh = (value: number) => Math.round(value * 100) / 100;

export function liveData(site: Site, sample: Sample): LiveData {
  const pvP = kw(sample.production.pKw);
  const pvEn = kwh(sample.production.netKwh);
  const ess = site.ess && sample.ess ? sample.ess : null;
  const essP = ess ? kw(sample.flow.batteryKw) : NaN;
  const essEn = ess ? kwh(ess.dischargedKwh - ess.chargedKwh) : NaN;
  let netP = NaN;
  let netEn = NaN;
  if (site.config.consumptionMeter) {
    const c = sample.consumption;
    netP = kw(site.config.consumptionSubtype === 'NET_CONSUMPTION_LOADSIDE' ? c.pKw : c.pKw - sample.production.pKw - (ess ? sample.flow.batteryKw : 0));
    netEn = kwh(c.netKwh);
  }
  const siteLoadP = pvP + netP + (ess ? essP : 0);
  const siteLoadEn = pvEn + netEn + (ess ? essEn : 0);
  let backup = 0;
  if (ess && site.ess) {
    const loadKw = Math.max(0.2, sample.flow.loadKw);
    backup = Math.min(99_999, Math.floor(((ess.socPct / 100) * site.ess.capacityKwh * 60) / loadKw));
  }
  return {
    pv_p: pvP,
    pv_en: pvEn,
    net_p: netP,
    net_en: netEn,
    site_load_p: siteLoadP,
    site_load_en: siteLoadEn,
    ess_en: essEn,
    ess_p: essP,
    soc: ess ? ess.socPct / 100 : NaN,
    backupTimeRemaining: backup,
    // MID state: 2 while the transfer switch is closed on the grid (pypvs samples), 1 islanded; 0 without one.
    midstate: ess ? (sample.flow.gridUp ? 2 : 1) : 0,
  };
}

/** A WebSocket frame's params: the live data that exists on this site (PV-only sites send no battery fields). */
export function telemetryParams(data: LiveData, timeS: number): TelemetryParams {
  const params: TelemetryParams = { time: timeS };
  for (const key of ['pv_p', 'pv_en', 'net_p', 'net_en', 'site_load_p', 'site_load_en', 'ess_p', 'ess_en', 'soc'] as const) {
    if (!Number.isNaN(data[key])) params[key] = data[key];
  }
  if (!Number.isNaN(data.ess_p)) {
    params.backupTimeRemaining = data.backupTimeRemaining;
    params.midstate = data.midstate;
  }
  return params;
}

// ---- the variable table -------------------------------------------------------------------------------------

const f = formatVarFloat;
const i = formatVarInteger;
/** A DeviceList metric (rounded like DeviceList) stored as a float: the two agree to DeviceList's precision. */
const dl = (value: number, decimals: number) => f(Number(metric(value, decimals)));

/** Every variable of the site, in the device's creation order (the order of `match` answers). */
export function buildVariables(ctx: VarsContext): VarValue[] {
  const { site } = ctx;
  const model = site.config.supervisorModel;
  const pvs6 = model === 'PVS6';
  const out: VarValue[] = [];
  const put = (name: string, value: string) => out.push({ name, value });
  const writable = (name: string) => ctx.writable.get(name) ?? '0';
  const id = supervisorIdentity(site.supervisorSerial);
  const sup = ctx.supervisor;
  const traits = site.firmware;

  put('/sys/info/serialnum', site.supervisorSerial);
  put('/sys/info/model', model);
  put('/sys/info/hwrev', site.config.hardwareVersion);
  put('/sys/info/uptime', (Math.max(0, ctx.now - ctx.bootAt) / 1000).toFixed(2));
  put('/sys/info/fwrev', traits.fwrev);
  put('/sys/info/boardtype', traits.boardtype);
  put('/sys/info/sw_rev', traits.swRev);
  put('/sys/info/ssid', id.ssid);
  put('/sys/info/wpa_key', id.wpaKey);
  put('/sys/info/lmac', id.lmac);
  put('/sys/info/sys_type', site.ess ? 'Storage' : 'PV-only');
  put('/sys/info/finance_type', 'UNKNOWN');
  put('/sys/info/active_interface', pvs6 ? 'wan0' : 'wan');
  put('/sys/info/active_interface_mac', id.activeMac);
  // 512 MiB of RAM and ~318 MB of flash: the dump's 7 % and 73 % at a day's uptime.
  put('/sys/info/ram_usage', i(Math.round((sup.memUsedKiB / 524_288) * 100)));
  put('/sys/info/flash_usage', i(Math.round(100 * (1 - sup.flashAvailKiB / 318_000))));
  put('/sys/info/cpu_usage', i(Math.max(1, Math.round(sup.cpuLoad * 10))));
  put('/network/report/send', writable('/network/report/send'));
  if (pvs6) put('/metrics/network/interface_report_request', writable('/metrics/network/interface_report_request'));
  put('/sys/toggle_cell/low_data_mode', '0');
  put('/sys/toggle_cell/cell_connected', '0');
  put('/sys/toggle_cell/broadband_connected', '1');
  if (pvs6) {
    put('/net/wwan0/state', 'N/A');
    put('/net/wan0/state', 'online');
    put('/net/wan1/state', 'N/A');
  } else {
    put('/net/cell/state', 'N/A');
    put('/net/wan/state', 'online');
    put('/net/plc/state', 'N/A');
  }
  put('/net/sta0/state', 'N/A');
  if (pvs6) {
    put('/sys/pvs/flashwear_type_b', '0x05');
    put('/sys/pvs/usb_erase_count', '0');
    put('/sys/telemetryws/enable', writable('/sys/telemetryws/enable'));
  }

  const live = liveData(site, ctx.live);
  put('/sys/livedata/time', i(Math.floor(ctx.now / 1000)));
  for (const key of ['pv_p', 'pv_en', 'net_p', 'net_en', 'site_load_p', 'site_load_en', 'ess_en', 'ess_p', 'soc'] as const) {
    // The PVS5 list marks the battery fields "NOT USED".
    const battery = key === 'soc' || key.startsWith('ess');
    put(`/sys/livedata/${key}`, f(pvs6 || !battery ? live[key] : NaN));
  }
  put('/sys/livedata/backupTimeRemaining', i(pvs6 ? live.backupTimeRemaining : 0));
  put('/sys/livedata/midstate', i(pvs6 ? live.midstate : 0));

  const snap = ctx.snapshot;
  const eps = formatMsmtEps(ctx.snapshotAt);
  const meters = meterEntries(site, snap);
  meters.forEach((m, index) => {
    for (const [field, value] of meterFields(m, eps)) put(`/sys/devices/meter/${index}/${field}`, value);
  });
  // Asleep inverters (no sun at the last refresh) are not in the varserver at all.
  if (snap.flow.producing) {
    snap.inverters.forEach((r, index) => {
      for (const [field, value] of inverterFields(site, r, eps)) put(`/sys/devices/inverter/${index}/${field}`, value);
    });
  }
  if (pvs6 && site.ess && snap.ess) {
    for (const [field, value] of essFields(site, snap, eps)) put(`/sys/devices/ess/0/${field}`, value);
    for (const [field, value] of transferSwitchFields(site, snap, eps)) put(`/sys/devices/transfer_switch/0/${field}`, value);
    put('/ess/config/dcm/mode_param/control_mode', writable('/ess/config/dcm/mode_param/control_mode'));
    put('/ess/config/dcm/control_param/min_customer_soc', writable('/ess/config/dcm/control_param/min_customer_soc'));
  }
  if (traits.deviceDataObjects) {
    meters.forEach((m, index) => {
      const idNumber = index === 0 ? DATA_OBJECT_IDS.productionMeter : DATA_OBJECT_IDS.consumptionMeter;
      put(`/sys/devices/${idNumber}/meter/data`, meterObject(m, eps));
    });
    if (snap.flow.producing) {
      snap.inverters.forEach((r, index) => put(`/sys/devices/${DATA_OBJECT_IDS.firstInverter + index}/inverter/data`, inverterObject(site, r, eps)));
    }
  }
  return out;
}

interface MeterEntry {
  production: boolean;
  serial: string;
  model: string;
  reading: MeterReading;
}

function meterEntries(site: Site, sample: Sample): MeterEntry[] {
  const model = site.config.supervisorModel;
  const meters: MeterEntry[] = [{ production: true, serial: site.productionMeterSerial, model: `${model}M0400p`, reading: sample.production }];
  if (site.config.consumptionMeter) meters.push({ production: false, serial: site.consumptionMeterSerial, model: `${model}M0400c`, reading: sample.consumption });
  return meters;
}

/** The production meter reports no per-phase values and no import/export registers ("0.000000" in the dump). */
function meterFields(m: MeterEntry, eps: string): [string, string][] {
  const r = m.reading;
  const zero = f(0);
  const c = !m.production;
  return [
    ['ctSclFctr', m.production ? '50' : '100'],
    ['freqHz', f(r.freqHz)],
    ['i1A', c ? f(r.i1A) : zero],
    ['i2A', c ? f(r.i2A) : zero],
    ['msmtEps', eps],
    ['negLtea3phsumKwh', c ? f(r.negKwh) : zero],
    ['netLtea3phsumKwh', f(r.netKwh)],
    ['p1Kw', c ? f(r.p1Kw) : zero],
    ['p2Kw', c ? f(r.p2Kw) : zero],
    ['p3phsumKw', f(r.pKw)],
    ['posLtea3phsumKwh', c ? f(r.posKwh) : zero],
    ['prodMdlNm', m.model],
    ['q3phsumKvar', f(r.qKvar)],
    ['s3phsumKva', f(r.sKva)],
    ['sn', m.serial],
    ['totPfRto', f(r.pf)],
    ['v12V', f(r.v12V)],
    ['v1nV', c ? f(r.v1V) : zero],
    ['v2nV', c ? f(r.v2V) : zero],
  ];
}

function inverterFields(site: Site, r: InverterReading, eps: string): [string, string][] {
  return [
    ['freqHz', dl(r.freqHz, 2)],
    ['i3phsumA', dl(r.acA, 2)],
    ['iMppt1A', dl(r.dcA, 2)],
    ['ltea3phsumKwh', dl(r.lifetimeKwh, 4)],
    ['msmtEps', eps],
    ['p3phsumKw', dl(r.acKw, 4)],
    ['pMppt1Kw', dl(r.dcKw, 4)],
    ['prodMdlNm', site.config.inverterModel],
    ['sn', r.serial],
    ['tHtsnkDegc', metric(r.heatsinkC, 0)],
    ['vMppt1V', dl(r.dcV, 2)],
    ['vln3phavgV', dl(r.acV, 2)],
  ];
}

function essFields(site: Site, sample: Sample, eps: string): [string, string][] {
  const ess = site.ess!;
  const r = sample.ess!;
  const cellV = r.batteryV / 16;
  return [
    ['chrgLimitPmaxKw', f(r.socPct >= 99.5 ? 0 : ess.maxPowerKw)],
    ['customerSocVal', f(r.customerSocPct / 100)],
    ['dischrgLimPmaxKw', f(r.socPct <= 0.5 ? 0 : ess.maxPowerKw)],
    ['maxTBattCellDegc', f(r.temperatureC + 0.8)],
    ['maxVBattCellV', f(cellV + 0.002)],
    ['minTBattCellDegc', f(r.temperatureC - 0.9)],
    ['minVBattCellV', f(cellV - 0.002)],
    ['msmtEps', eps],
    ['negLtea3phsumKwh', f(r.chargedKwh)],
    ['opMode', 'SELF_CONSUMPTION'],
    ['p3phsumKw', f(r.batteryKw)],
    ['posLtea3phsumKwh', f(r.dischargedKwh)],
    ['prodMdlNm', 'SPWR-Equinox-model'],
    ['sn', ess.essSerial],
    ['socVal', f(r.socPct / 100)],
    // Always 0 on SPWR-Equinox (pypvs#18, ha-esunpower#95).
    ['sohVal', '0'],
    ['tInvtrDegc', f(r.temperatureC + 5)],
    ['v1nV', f(sample.consumption.v1V)],
    ['v2nV', f(sample.consumption.v2V)],
    ['vBattV', f(r.batteryV)],
  ];
}

function transferSwitchFields(site: Site, sample: Sample, eps: string): [string, string][] {
  const up = sample.flow.gridUp;
  const v1 = sample.consumption.v1V;
  const v2 = sample.consumption.v2V;
  return [
    ['midStEnum', up ? 'MID_STATE_CLOSED' : 'MID_STATE_OPEN'],
    ['msmtEps', eps],
    ['prodMdlNm', 'SunPower MIDC'],
    ['pvd1StEnum', 'PVD_STATE_CLOSED'],
    ['sn', site.ess!.hubSerial],
    ['tDegc', f(Math.round(sample.flow.ambientC + 6))],
    ['v1nGridV', f(up ? v1 + 0.1 : 0)],
    ['v1nV', f(v1)],
    ['v2nGridV', f(up ? v2 + 0.1 : 0)],
    ['v2nV', f(v2)],
    ['vSpplyV', f(11.237206)],
  ];
}

/** A single-precision value in a data object: %.9g, as the 61840 objects show ("freqHz": 60.0150032). */
function g9(value: number): string {
  const text = Math.fround(value).toPrecision(9);
  if (text.includes('e')) return String(Number(text));
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

const json = (fields: [string, string][]) => `{${fields.map(([k, v]) => `"${k}":${v}`).join(',')}}`;
const quoted = (text: string) => JSON.stringify(text);

function meterObject(m: MeterEntry, eps: string): string {
  const r = m.reading;
  const fields: [string, string][] = [
    ['ctSclFctr', m.production ? '50' : '100'],
    ['freqHz', g9(r.freqHz)],
  ];
  if (!m.production) fields.push(['i1A', g9(r.i1A)], ['i2A', g9(r.i2A)]);
  fields.push(['msmtEps', quoted(eps)]);
  if (!m.production) fields.push(['negLtea3phsumKwh', String(Number(metric(r.negKwh, 2)))]);
  fields.push(['netLtea3phsumKwh', String(Number(metric(r.netKwh, 2)))]);
  if (!m.production) fields.push(['p1Kw', g9(r.p1Kw)], ['p2Kw', g9(r.p2Kw)]);
  fields.push(['p3phsumKw', g9(r.pKw)]);
  if (!m.production) fields.push(['posLtea3phsumKwh', String(Number(metric(r.posKwh, 2)))]);
  fields.push(['prodMdlNm', quoted(m.model)], ['q3phsumKvar', g9(r.qKvar)], ['s3phsumKva', g9(r.sKva)], ['sn', quoted(m.serial)], ['totPfRto', g9(r.pf)], ['v12V', g9(r.v12V)]);
  if (!m.production) fields.push(['v1nV', g9(r.v1V)], ['v2nV', g9(r.v2V)]);
  fields.push(['vldFldMsk', quoted(m.production ? '67174655' : '70239999')]);
  return json(fields);
}

/** The 61840 inverter object: no AC power or current fields (pypvs LocalAPI.md). */
function inverterObject(site: Site, r: InverterReading, eps: string): string {
  const n = (value: number, decimals: number) => String(Number(metric(value, decimals)));
  return json([
    ['freqHz', n(r.freqHz, 2)],
    ['iMppt1A', n(r.dcA, 2)],
    ['ltea3phsumKwh', n(r.lifetimeKwh, 4)],
    ['msmtEps', quoted(eps)],
    ['pMppt1Kw', n(r.dcKw, 5)],
    ['prodMdlNm', quoted(site.config.inverterModel)],
    ['sn', quoted(r.serial)],
    ['tHtsnkDegc', n(r.heatsinkC, 0)],
    ['vMppt1V', n(r.dcV, 2)],
    ['vldFld2Msk', quoted('1')],
    ['vldFldMsk', quoted('8125')],
    ['vln3phavgV', n(r.acV, 2)],
  ]);
}
