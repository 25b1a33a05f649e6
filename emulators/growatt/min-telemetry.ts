/**
 * The MIN/TLX telemetry object (`tlx_last_data`, each `tlxs_data` entry, each `tlx_data` row) from a simulated
 * slot, with the keys a live MOD-XH sends (`bdc1Soc`, `bmsSoc`, `pCharge`, `bdc1DischargePower`, `echargeToday`,
 * `etoGridToday`, …). Powers and counters come from the same SimState as the SPH's, so they agree the same way.
 */
import { toJavaCalendar, type TlxTelemetry } from '../../contracts/growatt/index.js';
import type { SphDevice } from './fleet.js';
import { COUNTER_INDEX, selfSuppliedW, type SimState } from './physics.js';
import { localDateTime, type GridNominal } from './telemetry.js';

const r1 = (x: number): number => Math.round(x * 10) / 10;
const r2 = (x: number): number => Math.round(x * 100) / 100;

/** TLX `status`: 0 waiting, 1 normal, 3 fault [inferred from the live "status=1 Normal"]. */
const TLX_STATUS_TEXT: Record<number, string> = { 0: 'Waiting', 1: 'Normal', 3: 'Fault' };

export interface MinTelemetryInput {
  device: SphDevice;
  state: SimState;
  uploadMs: number;
  utcOffsetMinutes: number;
  grid: GridNominal;
  again: boolean;
  noise: (channel: number) => number;
}

export function buildMinTelemetry(input: MinTelemetryInput): TlxTelemetry {
  const { device: d, state: s, uploadMs, grid, noise } = input;
  const today = (name: keyof typeof COUNTER_INDEX): number => r1(s.today[COUNTER_INDEX[name]]!);
  const total = (name: keyof typeof COUNTER_INDEX): number => r1(s.totals[COUNTER_INDEX[name]]!);
  const soc = d.batteryWh > 0 ? Math.round((s.socWh / d.batteryWh) * 100) : 0;
  const status = s.status === 0 ? 0 : 1;
  const vac = r1(grid.volts + 2 * noise(2));
  const string = (power: number, share: number) => (power > 0 ? r1(320 + 80 * Math.min(1, power / (d.peakW * share)) + 3 * noise(3)) : 0);
  const vpv1 = string(s.ppv1, d.string1Share);
  const vpv2 = string(s.ppv2, 1 - d.string1Share);
  // An ARK XH pack sits at about 100-400 V depending on its modules; 51.2 V nominal per module.
  const vbat = d.batteryWh > 0 ? r1(d.batteryModules * 51.2 * (0.95 + 0.1 * (soc / 100))) : 0;
  const charge = r1(s.charge);
  const discharge = r1(s.discharge);
  const pself = r1(selfSuppliedW(s.load, s.imports, s.acCharge));
  return {
    serialNum: d.sn,
    dataLogSn: d.dataloggerSn,
    time: localDateTime(uploadMs, input.utcOffsetMinutes),
    calendar: toJavaCalendar(uploadMs),
    // Observed: true on the latest-data endpoints even while the device reports.
    lost: true,
    again: input.again,
    status,
    statusText: TLX_STATUS_TEXT[status]!,
    ppv: r1(s.ppv1 + s.ppv2),
    ppv1: r1(s.ppv1),
    ppv2: r1(s.ppv2),
    vpv1,
    vpv2,
    ipv1: vpv1 > 0 ? r2(s.ppv1 / vpv1) : 0,
    ipv2: vpv2 > 0 ? r2(s.ppv2 / vpv2) : 0,
    // The modelled MIN has two PV inputs; the service sends inputs 3 and 4 anyway, as 0 when unused (documented example).
    ppv3: 0,
    ppv4: 0,
    vpv3: 0,
    vpv4: 0,
    ipv3: 0,
    ipv4: 0,
    pac: r1(s.pac),
    pac1: r1(s.pac),
    vac1: vac,
    iac1: status === 0 ? 0 : r1(s.pac / vac),
    // Assumption from the documented example: `vacrs` reads 0 and the RS line voltage is in `vacRs`, which on a
    // single-phase MIN is the phase voltage vac1.
    vacrs: 0,
    vacRs: vac,
    fac: r2(grid.hertz + 0.03 * noise(4)),
    pacToGridTotal: r1(s.exports),
    pacToUserTotal: r1(s.imports),
    pacToLocalLoad: r1(s.load),
    eacToday: today('eac'),
    eacTotal: total('eac'),
    epv1Today: today('epv1'),
    epv1Total: total('epv1'),
    epv2Today: today('epv2'),
    epv2Total: total('epv2'),
    epv3Today: 0,
    epv3Total: 0,
    epv4Today: 0,
    epv4Total: 0,
    epvTotal: r1(s.totals[COUNTER_INDEX.epv1]! + s.totals[COUNTER_INDEX.epv2]!),
    etoGridToday: today('toGrid'),
    etoGridTotal: total('toGrid'),
    etoUserToday: today('toUser'),
    etoUserTotal: total('toUser'),
    elocalLoadToday: today('localLoad'),
    elocalLoadTotal: total('localLoad'),
    eselfToday: today('selfUse'),
    eselfTotal: total('selfUse'),
    // "System production": self-consumption plus export, as the SPH's esystemtoday [inferred from the name and HA's label].
    esystemToday: r1(s.today[COUNTER_INDEX.selfUse]! + s.today[COUNTER_INDEX.toGrid]!),
    esystemTotal: r1(s.totals[COUNTER_INDEX.selfUse]! + s.totals[COUNTER_INDEX.toGrid]!),
    pself,
    psystem: r1(pself + s.exports),
    bdc1Soc: soc,
    bmsSoc: soc,
    bdc1Vbat: vbat,
    bdc1ChargePower: charge,
    bdc1DischargePower: discharge,
    // One battery, on converter 1; converter 2 has none.
    bdc1ChargeTotal: total('charge'),
    bdc1DischargeTotal: total('discharge'),
    bdc2ChargePower: 0,
    bdc2DischargePower: 0,
    bdc2ChargeTotal: 0,
    bdc2DischargeTotal: 0,
    pCharge: charge,
    pDischarge: discharge,
    echargeToday: today('charge'),
    echargeTotal: total('charge'),
    edischargeToday: today('discharge'),
    edischargeTotal: total('discharge'),
    acChargeEnergyToday: today('acCharge'),
    acChargeEnergyTotal: total('acCharge'),
    // The v1 field list's name for the battery energy charged from the grid.
    eacChargeToday: today('acCharge'),
    eacChargeTotal: total('acCharge'),
    temp1: r1(s.inverterTempC),
    temp2: r1(s.inverterTempC + 8),
    temp3: r1(s.inverterTempC - 2),
    temp4: r1(s.inverterTempC - 4),
    temp5: r1(s.inverterTempC + 2),
    bdc1Temp1: d.batteryWh > 0 ? r1(s.batteryTempC) : 0,
    timeTotal: Math.round((uploadMs - d.installedAt) / 2000),
  };
}
