// From the physics to the 98 UL33 points: which analog value goes where and which status/alarm
// code each state maps to. Codes follow the meanings in contracts/kehua-ups/ul33-annotations.ts
// (kehua-ups-ydt1363.md §3); where the notes allow several codes for one condition the choice is
// noted here.

import { UL33_POINTS, pointsForCommand } from '../../contracts/kehua-ups/index.js';
import type { Ul33PointKey } from '../../contracts/kehua-ups/index.js';
import type { UpsFlow, UpsReading, SelfTestResult } from './model.js';

export type PointValues = Record<Ul33PointKey, number>;

const SUPPLY_INVERTER = 0x01;
const SUPPLY_BYPASS = 0x02;
const SUPPLY_NONE = 0xe9;
const YES_E0 = 0xe0;
const NO_E1 = 0xe1;
const CHARGE_FLOAT = 0xe0;
const CHARGE_BOOST = 0xe1;
const CHARGE_NONE = 0xe2;
const FED_BY_CHARGER = 0xe0;
const FED_BY_BATTERY = 0xe1;
const NOT_FED = 0xe3;
const BREAKER_OPEN = 0xe0;
const BREAKER_CLOSED = 0xe1;
const NORMAL = 0x00;
const BELOW_LIMIT = 0x01;
const NOT_SYNCHRONISED = 0x03;
const FAULT = 0xf0;
const BATTERY_PRE_ALARM = 0xe1;

const SELF_TEST_CODES: Readonly<Record<SelfTestResult, number>> = { passed: 0x00, failed: 0x01, testing: 0xe0, none: 0xe1 };

/** The 43H and 44H bytes: what DATAFLAG bits 4 and 0 watch. They depend on the discrete state only. */
export function switchAndAlarmBytes(flow: UpsFlow): Pick<PointValues, SwitchOrAlarmKey> {
  const mode = flow.mode;
  const up = flow.gridUp;
  return {
    powerSupplyMode: mode === 'off' ? SUPPLY_NONE : mode === 'bypass' ? SUPPLY_BYPASS : SUPPLY_INVERTER,
    batterySelfTestInProgress: flow.selfTest ? YES_E0 : NO_E1,
    chargeMode: flow.stage === 'boost' ? CHARGE_BOOST : flow.stage === 'float' ? CHARGE_FLOAT : CHARGE_NONE,
    onOff: mode === 'off' ? 0xe0 : 0xe1,
    suppliedByUps: mode === 'inverter' ? FED_BY_CHARGER : mode === 'battery' ? FED_BY_BATTERY : NOT_FED,
    generatorConnected: NO_E1,
    inputBreaker: BREAKER_CLOSED,
    manualBypassBreaker: BREAKER_OPEN,
    autoBypassBreaker: BREAKER_CLOSED,
    outputBreaker: BREAKER_CLOSED,
    generatorRunning: NO_E1,
    synchronisation: up ? NORMAL : NOT_SYNCHRONISED,
    // F0H "abnormal" is the documented code for a mains failure (iTrust, Eps.vue).
    mainsVoltageStatus: up ? NORMAL : FAULT,
    rectifierStatus: NORMAL,
    inverterStatus: NORMAL,
    bypassCondition: up ? NORMAL : FAULT,
    batteryVoltageStatus: flow.batteryAlarm === 'exhausted' ? BELOW_LIMIT : flow.batteryAlarm === 'low' ? BATTERY_PRE_ALARM : NORMAL,
  };
}

/** Keys of the 43H (switch) points. */
export const SWITCH_KEYS: readonly Ul33PointKey[] = pointsForCommand(0x43).map((p) => p.key);
/** Keys of the 44H (alarm) points. */
export const ALARM_KEYS: readonly Ul33PointKey[] = pointsForCommand(0x44).map((p) => p.key);
type SwitchOrAlarmKey =
  | 'powerSupplyMode' | 'batterySelfTestInProgress' | 'chargeMode' | 'onOff' | 'suppliedByUps' | 'generatorConnected'
  | 'inputBreaker' | 'manualBypassBreaker' | 'autoBypassBreaker' | 'outputBreaker' | 'generatorRunning'
  | 'synchronisation' | 'mainsVoltageStatus' | 'rectifierStatus' | 'inverterStatus' | 'bypassCondition' | 'batteryVoltageStatus';

const FLOAT_KEYS = new Set(UL33_POINTS.filter((p) => p.type === 'FLOAT').map((p) => p.key));

/** All 98 points from a reading, FLOAT values rounded to single precision as they travel. */
export function pointValues(r: UpsReading): PointValues {
  const f = r.flow;
  const overload = r.loadPct.some((pct) => pct > 100);
  const values: PointValues = {
    acInputPhaseVoltageA: r.inputV[0],
    acInputPhaseVoltageB: r.inputV[1],
    acInputPhaseVoltageC: r.inputV[2],
    acOutputPhaseVoltageA: r.outputV[0],
    acOutputPhaseVoltageB: r.outputV[1],
    acOutputPhaseVoltageC: r.outputV[2],
    acOutputCurrentA: r.outputA[0],
    acOutputCurrentB: r.outputA[1],
    acOutputCurrentC: r.outputA[2],
    batteryVoltage: f.batteryV,
    outputFrequency: r.outputHz,
    acInputLineVoltageAB: r.inputLineV[0],
    acInputLineVoltageBC: r.inputLineV[1],
    acInputLineVoltageCA: r.inputLineV[2],
    inputCurrentA: r.inputA[0],
    inputCurrentB: r.inputA[1],
    inputCurrentC: r.inputA[2],
    inputFrequency: r.inputHz,
    bypassVoltageA: r.bypassV[0],
    bypassVoltageB: r.bypassV[1],
    bypassVoltageC: r.bypassV[2],
    bypassCurrentA: r.bypassA[0],
    bypassCurrentB: r.bypassA[1],
    bypassCurrentC: r.bypassA[2],
    bypassFrequency: r.bypassHz,
    batteryTemperature: r.batteryTempC,
    outputActivePowerA: r.outputKw[0],
    outputActivePowerB: r.outputKw[1],
    outputActivePowerC: r.outputKw[2],
    batteryCurrent: f.batteryA,
    batteryBackupTimeRemaining: r.backupMin,
    outputApparentPowerA: r.outputKva[0],
    outputApparentPowerB: r.outputKva[1],
    outputApparentPowerC: r.outputKva[2],
    outputLoadPercentA: r.loadPct[0],
    outputLoadPercentB: r.loadPct[1],
    outputLoadPercentC: r.loadPct[2],
    ambientTemperature: r.ambientC,
    outputCrestFactorA: r.crestFactor[0],
    outputCrestFactorB: r.crestFactor[1],
    outputCrestFactorC: r.crestFactor[2],
    ...switchAndAlarmBytes(f),
    batterySelfTestResult: SELF_TEST_CODES[f.selfTestResult],
    // 0 Hz is below the lower limit.
    mainsFrequencyStatus: f.gridUp ? NORMAL : BELOW_LIMIT,
    inputTransformerOverTemperature: NORMAL,
    outputTransformerOverTemperature: NORMAL,
    inverterThyristorFailed: NORMAL,
    bypassThyristorFailed: NORMAL,
    userOperationFault: NORMAL,
    inverterHeatsinkOverTemperature: NORMAL,
    rectifierHeatsinkOverTemperature: NORMAL,
    inverterFanFault: NORMAL,
    rectifierFanFault: NORMAL,
    batteryContactorFault: NORMAL,
    mainContactorAbnormal: NORMAL,
    auxiliaryContactorAbnormal: NORMAL,
    inputFuseBlown: NORMAL,
    outputFuseBlown: NORMAL,
    unitOutputOverload: overload ? FAULT : NORMAL,
    parallelSystemOverload: NORMAL,
    unitOverloadTimeout: NORMAL,
    bypassOvercurrentTimeout: NORMAL,
    auxiliaryPowerSupply1Fault: NORMAL,
    auxiliaryPowerSupply2Fault: NORMAL,
    bypassAbnormalShutdown: NORMAL,
    bypassInputPhaseReversed: NORMAL,
    mainInputPhaseReversed: NORMAL,
    inputSoftStartFailed: NORMAL,
    acOutputOvervoltage: NORMAL,
    outputSurgeOvercurrent: NORMAL,
    inverterModuleOvercurrent: NORMAL,
    rectifierModuleOvercurrent: NORMAL,
    loadSurgeTransferToBypass: NORMAL,
    hourlyTransferLimitReached: NORMAL,
    parallelCurrentSharingFault: NORMAL,
    busUndervoltageShutdown: NORMAL,
    neighbourRequestsBypass: NORMAL,
    ambientOverTemperature: r.ambientC > 40 ? FAULT : NORMAL,
    rectifierCommunicationFault: NORMAL,
    inverterCommunicationFault: NORMAL,
    parallelBoardFault: NORMAL,
    dcBusOvervoltageFault: NORMAL,
  };
  for (const key of FLOAT_KEYS) values[key] = Math.fround(values[key]);
  return values;
}

/**
 * Values the UL33 map skips but the response still carries: the C2H block starts with the output
 * power factors A/B/C (the annotated 150-command UL33.ini), so slots 0–2 hold them.
 */
export function unmappedSlots(cid2: number, r: UpsReading): Readonly<Record<number, number>> | undefined {
  if (cid2 === 0xc2) return { 0: r.outputPf[0], 1: r.outputPf[1], 2: r.outputPf[2] };
  return undefined;
}
