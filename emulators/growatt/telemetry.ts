/**
 * The SPH telemetry object (`mix_last_data`, each `mixs_data` entry, each `mix_data` row) built from a simulated
 * slot. Keys and JSON types follow the seed's example exactly. Values the example shows with float32 noise
 * (`37.599998474121094`) go through Math.fround; values it shows as clean decimals stay doubles. Fields the
 * example marks as unsupported (`-1`, `-0.1`, `"null"`) keep those markers.
 */
import { toJavaCalendar, type MixTelemetry } from '../../contracts/growatt/index.js';
import type { SphDevice } from './fleet.js';
import { COUNTER_INDEX, SPH_STATUS, type SimState } from './physics.js';
import { modeAt, PRIORITY_CHOOSE, type SphSettings } from './settings.js';

const f32 = Math.fround;
const r1 = (x: number): number => Math.round(x * 10) / 10;
const r2 = (x: number): number => Math.round(x * 100) / 100;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;
const UNSUPPORTED = f32(-0.1);
const NO_CELL = f32(-0.001);
const CELLS = 16;

export interface GridNominal {
  volts: number;
  hertz: number;
}

/** 230 V / 50 Hz, or 240 V / 60 Hz for sites in the Americas (west of 30° W). */
export function gridNominal(longitude: number): GridNominal {
  return longitude < -30 ? { volts: 240, hertz: 60 } : { volts: 230, hertz: 50 };
}

/** `YYYY-MM-DD HH:mm:ss` in the plant's local time, no offset (as the service sends it). */
export function localDateTime(epochMs: number, utcOffsetMinutes: number): string {
  return new Date(epochMs + utcOffsetMinutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

export interface TelemetryInput {
  device: SphDevice;
  state: SimState;
  settings: SphSettings;
  uploadMs: number;
  utcOffsetMinutes: number;
  grid: GridNominal;
  /** Local minute of day of the slot, which decides the time-of-use mode shown. */
  slotMinute: number;
  /** Uploaded late after a comms outage. */
  again: boolean;
  /** Stateless noise in [−1, 1) for a channel of this slot. */
  noise: (channel: number) => number;
}

/** Battery pack voltage of a 16-cell LFP stack at this state. */
function cellVolts(state: SimState, device: SphDevice): number {
  const soc = state.socWh / device.batteryWh;
  return 3.05 + 0.25 * soc + 0.04 * ((state.charge - state.discharge) / device.batteryMaxW);
}

export function buildTelemetry(input: TelemetryInput): MixTelemetry {
  const { device: d, state: s, settings, uploadMs, grid, noise } = input;
  const today = (name: keyof typeof COUNTER_INDEX): number => s.today[COUNTER_INDEX[name]]!;
  const total = (name: keyof typeof COUNTER_INDEX): number => s.totals[COUNTER_INDEX[name]]!;
  const soc = Math.round((s.socWh / d.batteryWh) * 100);
  const cell = cellVolts(s, d);
  const cells: number[] = [];
  for (let i = 0; i < CELLS; i++) cells.push(r3(cell + 0.001 * Math.round(noise(10 + i))));
  const deltaMv = Math.round((Math.max(...cells) - Math.min(...cells)) * 1000);
  const packV = cells.reduce((sum, v) => sum + v, 0);
  const ppv1 = r1(s.ppv1);
  const ppv2 = r1(s.ppv2);
  const ppv = r1(s.ppv1 + s.ppv2);
  const pac = r1(s.pac);
  const vac = r1(grid.volts + 2 * noise(2));
  const stringVolts = (power: number, share: number): number =>
    power > 0 ? f32(r1(300 + 60 * Math.min(1, power / (d.peakW * share)) + 3 * noise(3))) : 0;
  const fcc = Math.round(d.batteryWh / 51.2);
  const eps = s.eps;
  const epv1Today = today('epv1');
  const epv2Today = today('epv2');
  const years = (uploadMs - d.installedAt) / (365.25 * 86_400_000);
  return {
    serialNum: d.sn,
    calendar: toJavaCalendar(uploadMs),
    withTime: false,
    status: s.status,
    again: input.again,
    // Observed: true on the latest-data endpoints even while the device reports.
    lost: true,
    ppv,
    vpv1: stringVolts(s.ppv1, d.string1Share),
    ppv1,
    vpv2: stringVolts(s.ppv2, 1 - d.string1Share),
    ppv2,
    pac,
    fac: f32(r2(grid.hertz + 0.03 * noise(4))),
    vac1: f32(vac),
    pac1: pac,
    eacToday: f32(r1(today('eac'))),
    eacTotal: r1(total('eac')),
    timeTotal: f32(Math.round((uploadMs - d.installedAt) / 2000)),
    epv1Today: f32(r1(epv1Today)),
    epv1Total: r1(total('epv1')),
    epv2Today: f32(r1(epv2Today)),
    epv2Total: r1(total('epv2')),
    epvTotal: r1(total('epv1') + total('epv2')),
    faultCode: 0,
    faultBitCode: 0,
    warnCode: 0,
    errorCode: 0,
    uwSysWorkMode: s.status,
    pdischarge1: r1(s.discharge),
    pcharge1: r1(s.charge),
    vbat: r1(packV),
    soc,
    pacToUserR: r1(s.imports),
    pacToUserTotal: r1(s.imports),
    pacToGridR: r1(s.exports),
    pacToGridTotal: r1(s.exports),
    plocalLoadR: r1(s.load),
    plocalLoadTotal: r1(s.load),
    batteryTemperature: Math.round(s.batteryTempC * 10),
    etoUserToday: r1(today('toUser')),
    etoUserTotal: r1(total('toUser')),
    etoGridToday: r1(today('toGrid')),
    etogridTotal: r1(total('toGrid')),
    edischarge1Today: r1(today('discharge')),
    edischarge1Total: r1(total('discharge')),
    echarge1Today: r1(today('charge')),
    echarge1Total: r1(total('charge')),
    elocalLoadToday: r1(today('localLoad')),
    elocalLoadTotal: r1(total('localLoad')),
    upsFac: eps ? grid.hertz : 0,
    upsVac1: eps ? grid.volts : 0,
    upsPac1: eps ? r1(s.load) : 0,
    upsLoadpercent: eps ? r1((s.load / d.ratedW) * 100) : 0,
    upsPF: 1000,
    bmsStatusOld: 0,
    // The example's value; the bit meanings are undocumented.
    bmsStatus: 355,
    bmsErrorOld: 0,
    bmsError: 0,
    bmsSOC: soc,
    bmsBatteryVolt: r1(packV),
    bmsBatteryCurr: f32(r2((s.charge - s.discharge) / packV)),
    bmsBatteryTemp: Math.floor(s.batteryTempC),
    bmsMaxCurr: Math.round(d.batteryMaxW / 51.2 * 2),
    bmsMaxDischgCurr: Math.round(d.batteryMaxW / 51.2 * 2.5),
    bmsGaugeRM: f32(r2((fcc * soc) / 100)),
    bmsGaugeFCC: fcc,
    bmsFW: 70,
    bmsDeltaVolt: deltaMv,
    bmsCycleCnt: d.initialCycles + Math.floor(s.dischargedWh / d.batteryWh),
    bmsSOH: Math.max(80, 100 - Math.floor(years * 1.5)),
    bmsConstantVolt: f32(56.8),
    bmsWarnInfoOld: 0,
    bmsWarnInfo: 0,
    bmsMCUVersion: 70,
    bmsInfo: 16720,
    bmsPackInfo: 16720,
    bmsUsingCap: 0,
    bmsCell1Volt: f32(cells[0]!),
    bmsCell2Volt: f32(cells[1]!),
    bmsCell3Volt: f32(cells[2]!),
    bmsCell4Volt: f32(cells[3]!),
    bmsCell5Volt: f32(cells[4]!),
    bmsCell6Volt: f32(cells[5]!),
    bmsCell7Volt: f32(cells[6]!),
    bmsCell8Volt: f32(cells[7]!),
    bmsCell9Volt: f32(cells[8]!),
    bmsCell10Volt: f32(cells[9]!),
    bmsCell11Volt: f32(cells[10]!),
    bmsCell12Volt: f32(cells[11]!),
    bmsCell13Volt: f32(cells[12]!),
    bmsCell14Volt: f32(cells[13]!),
    bmsCell15Volt: f32(cells[14]!),
    bmsCell16Volt: f32(cells[15]!),
    acChargeEnergyToday: r1(today('acCharge')),
    acChargeEnergyTotal: r1(total('acCharge')),
    acChargePower: r1(s.acCharge),
    vBus1: s.status === 0 ? 0 : Math.round(370 + 2 * noise(5)),
    vBus2: s.status === 0 ? 0 : Math.round(298 + 2 * noise(6)),
    temp1: r1(s.inverterTempC),
    temp2: r1(s.inverterTempC - 4),
    temp3: r1(s.inverterTempC - 3),
    // temp4/temp5 are not in the documented example; Home Assistant reads them. Here: the PV boost stage and the
    // battery converter, which sits between the heatsink and the pack [inferred].
    temp4: r1(s.inverterTempC - 2),
    temp5: r1((s.inverterTempC + s.batteryTempC) / 2),
    vBatDsp: f32(r1(packV + 0.3)),
    sysEn: 17056,
    vac2: 0,
    pac2: 0,
    vac3: 0,
    pac3: 0,
    epsVac2: 0,
    epsVac3: 0,
    upsPac2: 0,
    upsPac3: 0,
    time: localDateTime(uploadMs, input.utcOffsetMinutes),
    statusText: SPH_STATUS[s.status],
    socText: `${soc}%`,
    ppvText: `${ppv} W`,
    errorText: 'Unknown',
    warnText: 'Unknown',
    // The example sends "" here; the datalogger SN travels in the envelope.
    dataLogSn: '',
    alias: '',
    day: '',
    dayMap: null,
    mixBean: null,
    address: 0,
    epvtoday: f32(r1(epv1Today + epv2Today)),
    iac1: s.status === 0 ? 0 : r1(pac / vac),
    iac2: 0,
    iac3: 0,
    pself: UNSUPPORTED,
    psystem: UNSUPPORTED,
    eselftoday: UNSUPPORTED,
    eselftotal: UNSUPPORTED,
    // Home Assistant reads esystemtoday ("self-consumption + export"), so it carries the simulated value; the
    // example's -0.1 marker stays on the keys nobody reads.
    esystemtoday: r1(today('selfUse') + today('toGrid')),
    esystemtotal: UNSUPPORTED,
    // Home Assistant's SPH sensors: self-consumption, its battery part and its solar part.
    eselfToday: r1(today('selfUse')),
    echarge1: r1(today('batteryToLoad')),
    eChargeToday: r1(Math.max(0, today('selfUse') - today('batteryToLoad'))),
    priorityChoose: PRIORITY_CHOOSE[modeAt(settings, input.slotMinute)],
    batteryType: 1,
    sysFaultWord: 0,
    sysFaultWord1: 0,
    sysFaultWord2: 0,
    sysFaultWord3: 0,
    sysFaultWord4: 0,
    sysFaultWord5: 0,
    sysFaultWord6: 0,
    sysFaultWord7: 0,
    backupWarning: 0,
    batErrorUnion: 0,
    bmsError2: -1,
    bmsError3: -1,
    bmsErrorExpansion: 0,
    bmsWarnInfo2: -1,
    bmsProtection: 0,
    bmsRequestType: -1,
    bmsHardwareVersion: -1,
    bmsHighestSoftVersion: -1,
    protectPackId: -1,
    bModuleNum: -1,
    bTotalCellNum: -1,
    moduleQty: 0,
    moduleSeriesQty: 0,
    uwBatCycleCntPre: 0,
    uwMaxCellVol: NO_CELL,
    uwMinCellVol: NO_CELL,
    uwMaxVoltCellNo: -1,
    uwMinVoltCellNo: -1,
    uwMaxTemprCell: UNSUPPORTED,
    uwMinTemprCell: UNSUPPORTED,
    uwMaxTemprCellNo: -1,
    uwMinTemprCellNo: -1,
    maxSingleCellVolt: 0,
    minSingleCellVolt: 0,
    maxSingleCellVoltNo: 0,
    minSingleCellVoltNo: 0,
    maxSingleCellTem: 0,
    minSingleCellTem: 0,
    maxSingleCellTemNo: 0,
    minSingleCellTemNo: 0,
    maxSOC: -1,
    minSOC: -1,
    chargeCutoffVolt: 0,
    dischargeCutoffVolt: 0,
    chargeForbiddenMark: 0,
    dischargeForbiddenMark: 0,
    capacityADD: 0,
    softwareMajorVersion: 0,
    softwareMinorVersion: 0,
    softwareDevelopMajorVersion: 0,
    softwareDevelopMinorVersion: 0,
    sgipCyclCnt: 0,
    sgipStartCyclCnt: 0,
    dsgipStartDateTime: 'null',
  };
}
