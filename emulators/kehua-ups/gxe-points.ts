// The GXE dialect's fields from the same unit: every value is derived from the 98 UL33 point values
// (pins through PATCH /__emu/points included), so both dialects always describe one state.
// Field layouts and codes: contracts/kehua-ups/gxe.ts (where each fact comes from is noted there).

import { GxeAlarm, GxeBattery, GxeRectifier, GxeSupply, GxeTest } from '../../contracts/kehua-ups/index.js';
import type { PointValues } from './points.js';
import type { UpsSettings } from './settings.js';

const E1_BATTERY_FEEDS = 0xe1; // UL33 suppliedByUps: battery → inverter
const KEHUA_FLOAT = 0xe0;
const KEHUA_BOOST = 0xe1;
const KEHUA_SELF_TEST = 0xe0;
const KEHUA_BATTERY_PRE_ALARM = 0xe1;

/** The worst of several alarm codes as the driver reads them (any active code wins). */
function any(...codes: number[]): number {
  return codes.find((c) => c !== GxeAlarm.Normal) ?? GxeAlarm.Normal;
}

/** 43H: supply, rectifier source, battery, battery test. */
function onOff(p: PointValues): Record<string, number> {
  const onBattery = p.suppliedByUps === E1_BATTERY_FEEDS;
  const supply = p.powerSupplyMode === 0x02 ? GxeSupply.Bypass : p.powerSupplyMode === 0x01 ? GxeSupply.Ups : GxeSupply.None;
  const mainsOk = p.mainsVoltageStatus === GxeAlarm.Normal;
  return {
    powerSupply: supply,
    rectifierSource: onBattery ? GxeRectifier.Battery : mainsOk ? GxeRectifier.Mains : GxeRectifier.None,
    batteryStatus: onBattery ? GxeBattery.Discharging : p.chargeMode === KEHUA_BOOST ? GxeBattery.Boost : p.chargeMode === KEHUA_FLOAT ? GxeBattery.Float : GxeBattery.Resting,
    batteryTest: p.batterySelfTestInProgress === KEHUA_SELF_TEST ? GxeTest.InProgress : GxeTest.Idle,
  };
}

/** 44H. A low battery (UL33 E1H pre-alarm) and an exhausted one (01H) are both "below limit" (01H): the driver knows no other code. */
function warnings(p: PointValues): Record<string, number> {
  return {
    inverterOutOfSyncAlarm: p.synchronisation,
    mainCircuitAlarm: p.mainsVoltageStatus,
    rectifierFailureAlarm: p.rectifierStatus,
    inverterFailureAlarm: p.inverterStatus,
    bypassAlarm: p.bypassCondition,
    batteryVoltageAlarm: p.batteryVoltageStatus === KEHUA_BATTERY_PRE_ALARM ? GxeAlarm.BelowLimit : p.batteryVoltageStatus,
    powerModuleOverheatedAlarm: any(p.inverterHeatsinkOverTemperature, p.rectifierHeatsinkOverTemperature),
    fanAlarm: any(p.inverterFanFault, p.rectifierFanFault),
    neutralMissingAlarm: GxeAlarm.Normal,
    mainLineOffAlarm: GxeAlarm.Normal,
    chargerFailureAlarm: GxeAlarm.Normal,
    batteryDischargeDeclinedAlarm: GxeAlarm.Normal,
    backupSupplyFailureAlarm: any(p.auxiliaryPowerSupply1Fault, p.auxiliaryPowerSupply2Fault),
    outputOverloadedAlarm: p.unitOutputOverload,
    outputShortedAlarm: GxeAlarm.Normal,
    overloadTimedOutAlarm: p.unitOverloadTimeout,
    parallelCurrentAlarm: p.parallelCurrentSharingFault,
    parallelConnectionAlarm: any(p.parallelBoardFault),
    parallelAddressAlarm: GxeAlarm.Normal,
    internalCommunicationAlarm: any(p.rectifierCommunicationFault, p.inverterCommunicationFault),
    systemOverloadedAlarm: p.parallelSystemOverload,
    batteryBackwardsAlarm: GxeAlarm.Normal,
    batteryNotFoundAlarm: GxeAlarm.Normal,
  };
}

/** 42H, in the fields' units (the contract scales them). */
function analog(p: PointValues): Record<string, number> {
  return {
    inputVoltageA: p.acInputPhaseVoltageA,
    inputVoltageB: p.acInputPhaseVoltageB,
    inputVoltageC: p.acInputPhaseVoltageC,
    outputVoltageA: p.acOutputPhaseVoltageA,
    outputVoltageB: p.acOutputPhaseVoltageB,
    outputVoltageC: p.acOutputPhaseVoltageC,
    outputCurrentA: p.acOutputCurrentA,
    outputCurrentB: p.acOutputCurrentB,
    outputCurrentC: p.acOutputCurrentC,
    batteryVoltage: p.batteryVoltage,
    outputFrequency: p.outputFrequency,
    inputFrequency: p.inputFrequency,
    outputActivePower: p.outputActivePowerA + p.outputActivePowerB + p.outputActivePowerC,
    outputApparentPower: p.outputApparentPowerA + p.outputApparentPowerB + p.outputApparentPowerC,
    backupTime: p.batteryBackupTimeRemaining,
  };
}

/**
 * 47H. ASSUMPTION: the bypass limits are 1 (the only value the driver acts on: 115 % / 120 V) and the
 * battery test runs every three months (1); the nominal values are the nameplate's.
 */
function sysParams(s: Readonly<UpsSettings>): Record<string, number> {
  return {
    nominalVoltage: s.nominalVoltage,
    nominalFrequency: s.nominalFrequency,
    bypassVoltageMax: 1,
    bypassVoltageMin: 1,
    batteryTestInterval: 1,
  };
}

/** The fields of one GXE data command (42H, 43H, 44H, 47H); an empty record for any other. */
export function gxeValues(cid2: number, points: PointValues, settings: Readonly<UpsSettings>): Record<string, number> {
  switch (cid2) {
    case 0x42:
      return analog(points);
    case 0x43:
      return onOff(points);
    case 0x44:
      return warnings(points);
    case 0x47:
      return sysParams(settings);
    default:
      return {};
  }
}
