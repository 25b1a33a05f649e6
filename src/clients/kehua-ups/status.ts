/**
 * One typed status for both dialects of the unit: the KEHUA UL33 map (floats in 41H, C0H–C4H; the
 * UL33 43H/44H codes) and the Emerson/Liebert GXE (fixed point in 42H; the GXE 43H/44H codes). Codes:
 * contracts/kehua-ups/ul33-annotations.ts and contracts/kehua-ups/gxe.ts.
 */
import { GxeBattery, GxeRectifier, GxeSupply, GxeTest, gxeAlarmActive } from '../../../contracts/kehua-ups/index.js';
import type { Ul33PointKey, UpsDialect } from '../../../contracts/kehua-ups/index.js';
import { dataFlagBits, type DataFlagBits } from './readings.js';

export type UpsSupply = 'inverter' | 'battery' | 'bypass' | 'none';
export type UpsCharger = 'float' | 'boost' | 'resting' | 'discharging';

export interface UpsAlarms {
  readonly mainsAbnormal: boolean;
  readonly inverterOutOfSync: boolean;
  readonly bypassAbnormal: boolean;
  readonly rectifierFault: boolean;
  readonly inverterFault: boolean;
  /** The battery-voltage alarm: low (pre-alarm) or exhausted. */
  readonly batteryLow: boolean;
}

export interface UpsStatus {
  readonly dialect: UpsDialect;
  /** What feeds the load: the inverter from mains, the inverter from the battery, the bypass, or nothing (output off). */
  readonly supply: UpsSupply;
  readonly onBattery: boolean;
  readonly charger: UpsCharger;
  readonly selfTestInProgress: boolean;
  readonly alarms: UpsAlarms;
  /** Phase A, V. */
  readonly inputVoltage: number;
  /** Phase A, V. */
  readonly outputVoltage: number;
  /** Phase A, A. */
  readonly outputCurrent: number;
  readonly batteryVoltage: number;
  readonly inputFrequency: number;
  readonly outputFrequency: number;
  /** All phases, kW. */
  readonly outputActivePowerKw: number;
  /** All phases, kVA. */
  readonly outputApparentPowerKva: number;
  readonly backupTimeMin: number;
  /** DATAFLAG bits seen in any reply read for this status. */
  readonly dataflag: DataFlagBits;
}

type Ul33Readings = Readonly<Partial<Record<Ul33PointKey, number>>>;

const need = (values: Readonly<Record<string, number | undefined>>, key: string): number => {
  const value = values[key];
  if (value === undefined) throw new Error(`status: ${key} was not read`);
  return value;
};

/** From UL33 point values (41H, 43H, 44H, C0H, C2H, C3H). */
export function statusFromUl33(v: Ul33Readings, dataflag: number): UpsStatus {
  const n = (key: Ul33PointKey) => need(v, key);
  const alarm = (key: Ul33PointKey) => n(key) !== 0x00 && n(key) !== 0x20; // 00H normal, 20H not monitored
  const fromBattery = n('suppliedByUps') === 0xe1; // UL33 "battery → inverter"
  const mode = n('powerSupplyMode'); // 01H inverter, 02H bypass, E9H none
  const supply: UpsSupply = mode === 0x02 ? 'bypass' : mode === 0x01 ? (fromBattery ? 'battery' : 'inverter') : 'none';
  const charge = n('chargeMode'); // E0H float, E1H boost, E2H none
  return {
    dialect: 'kehua',
    supply,
    onBattery: supply === 'battery',
    charger: fromBattery ? 'discharging' : charge === 0xe0 ? 'float' : charge === 0xe1 ? 'boost' : 'resting',
    selfTestInProgress: n('batterySelfTestInProgress') === 0xe0,
    alarms: {
      mainsAbnormal: alarm('mainsVoltageStatus'),
      inverterOutOfSync: alarm('synchronisation'),
      bypassAbnormal: alarm('bypassCondition'),
      rectifierFault: alarm('rectifierStatus'),
      inverterFault: alarm('inverterStatus'),
      batteryLow: alarm('batteryVoltageStatus'),
    },
    inputVoltage: n('acInputPhaseVoltageA'),
    outputVoltage: n('acOutputPhaseVoltageA'),
    outputCurrent: n('acOutputCurrentA'),
    batteryVoltage: n('batteryVoltage'),
    inputFrequency: n('inputFrequency'),
    outputFrequency: n('outputFrequency'),
    outputActivePowerKw: n('outputActivePowerA') + n('outputActivePowerB') + n('outputActivePowerC'),
    outputApparentPowerKva: n('outputApparentPowerA') + n('outputApparentPowerB') + n('outputApparentPowerC'),
    backupTimeMin: n('batteryBackupTimeRemaining'),
    dataflag: dataFlagBits(dataflag),
  };
}

/** From GXE field values (42H, 43H, 44H). */
export function statusFromGxe(v: Readonly<Record<string, number>>, dataflag: number): UpsStatus {
  const n = (key: string) => need(v, key);
  const supplyCode = n('powerSupply');
  const supply: UpsSupply =
    supplyCode === GxeSupply.Bypass ? 'bypass' : supplyCode === GxeSupply.Ups ? (n('rectifierSource') === GxeRectifier.Battery ? 'battery' : 'inverter') : 'none';
  const battery = n('batteryStatus');
  return {
    dialect: 'gxe',
    supply,
    onBattery: supply === 'battery',
    charger: battery === GxeBattery.Discharging ? 'discharging' : battery === GxeBattery.Float ? 'float' : battery === GxeBattery.Boost ? 'boost' : 'resting',
    selfTestInProgress: n('batteryTest') === GxeTest.InProgress,
    alarms: {
      mainsAbnormal: gxeAlarmActive(n('mainCircuitAlarm')),
      inverterOutOfSync: gxeAlarmActive(n('inverterOutOfSyncAlarm')),
      bypassAbnormal: gxeAlarmActive(n('bypassAlarm')),
      rectifierFault: gxeAlarmActive(n('rectifierFailureAlarm')),
      inverterFault: gxeAlarmActive(n('inverterFailureAlarm')),
      batteryLow: gxeAlarmActive(n('batteryVoltageAlarm')),
    },
    inputVoltage: n('inputVoltageA'),
    outputVoltage: n('outputVoltageA'),
    outputCurrent: n('outputCurrentA'),
    batteryVoltage: n('batteryVoltage'),
    inputFrequency: n('inputFrequency'),
    outputFrequency: n('outputFrequency'),
    outputActivePowerKw: n('outputActivePower'),
    outputApparentPowerKva: n('outputApparentPower'),
    backupTimeMin: n('backupTime'),
    dataflag: dataFlagBits(dataflag),
  };
}
