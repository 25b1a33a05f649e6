/**
 * Typed view of `GET /cgi-bin/dl_cgi/energy-storage-system/status`. `{unit, value}` objects become plain numbers
 * (named with their documented unit); a numeric-string `value` is accepted too. `null` entries (a faulty device in
 * SunPower's mock data) are dropped.
 */
import { parseEssTimestamp } from '../../../contracts/sunpower-pvs/index.js';
import { bool, isObject, num, str, type RawObject } from './values.js';

/** `{unit, value}` → value; undefined when absent or not numeric. */
export function measurement(parent: RawObject, key: string): number | undefined {
  const m = parent[key];
  return isObject(m) ? num(m['value']) : undefined;
}

function lastUpdated(o: RawObject): number | undefined {
  const text = str(o, 'last_updated');
  return text === undefined ? undefined : parseEssTimestamp(text);
}

export interface EssBatteryInfo {
  /** serial_number; matches the `ESS BMS` SERIAL in DeviceList. */
  readonly serial: string;
  readonly lastUpdated: number | undefined;
  /** Positive = charging (hass-sunpower's convention). */
  readonly currentA: number | undefined;
  readonly voltageV: number | undefined;
  readonly temperatureC: number | undefined;
  readonly stateOfChargePct: number | undefined;
  readonly customerStateOfChargePct: number | undefined;
  readonly systemStateOfChargePct: number | undefined;
  readonly raw: RawObject;
}

export interface EssMeterInfo {
  readonly currentA: number | undefined;
  readonly powerW: number | undefined;
  readonly voltageV: number | undefined;
}

export interface EssUnitInfo {
  /** serial_number; matches the `Energy Storage System` SERIAL. */
  readonly serial: string;
  readonly lastUpdated: number | undefined;
  readonly enclosureHumidityPct: number | undefined;
  readonly enclosureTemperatureC: number | undefined;
  /** Undefined when `ess_meter_reading` is null. */
  readonly meter:
    | { readonly aggregatePowerKw: number | undefined; readonly meterA: EssMeterInfo; readonly meterB: EssMeterInfo }
    | undefined;
  readonly raw: RawObject;
}

export interface HubPlusStatusInfo {
  /** serial_number; matches the `HUB+` SERIAL. */
  readonly serial: string;
  readonly lastUpdated: number | undefined;
  readonly contactorError: string | undefined;
  readonly contactorPosition: string | undefined;
  readonly gridVoltageState: string | undefined;
  readonly loadVoltageState: string | undefined;
  readonly gridFrequencyState: string | undefined;
  readonly loadFrequencyState: string | undefined;
  readonly temperatureC: number | undefined;
  readonly humidityPct: number | undefined;
  readonly jumpStartVoltageV: number | undefined;
  readonly auxPortVoltageV: number | undefined;
  readonly mainVoltageV: number | undefined;
  readonly inverterConnectionVoltageV: number | undefined;
  readonly gridPhase1VoltageV: number | undefined;
  readonly gridPhase2VoltageV: number | undefined;
  readonly loadPhase1VoltageV: number | undefined;
  readonly loadPhase2VoltageV: number | undefined;
  readonly raw: RawObject;
}

export interface EssInverterInfo {
  /** serial_number; matches the `Storage Inverter` SERIAL. */
  readonly serial: string;
  readonly acCurrentA: number | undefined;
  readonly phaseACurrentA: number | undefined;
  readonly phaseBCurrentA: number | undefined;
  readonly phaseAVoltageV: number | undefined;
  readonly phaseBVoltageV: number | undefined;
  readonly acPowerKw: number | undefined;
  readonly temperatureC: number | undefined;
  readonly raw: RawObject;
}

export interface EssStateInfo {
  readonly operationalMode: string | undefined;
  readonly permissionToOperate: boolean | undefined;
  readonly storageControllerStatus: string | undefined;
  readonly pcsMode: unknown;
  readonly pcsStatus: unknown;
}

export interface EssStatusResult {
  readonly errors: readonly unknown[];
  readonly lastUpdated: number | undefined;
  readonly batteries: readonly EssBatteryInfo[];
  readonly units: readonly EssUnitInfo[];
  readonly hubPlus: HubPlusStatusInfo | undefined;
  readonly inverters: readonly EssInverterInfo[];
  /** An array in real data; a single object (as the swagger says) is wrapped. */
  readonly states: readonly EssStateInfo[];
  readonly pcsSettings: RawObject | undefined;
  readonly raw: RawObject;
}

const objects = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.filter(isObject) : isObject(value) ? [value] : [];

function meterOf(reading: unknown): EssMeterInfo {
  const r = isObject(reading) && isObject(reading['reading']) ? reading['reading'] : {};
  return { currentA: measurement(r, 'current'), powerW: measurement(r, 'power'), voltageV: measurement(r, 'voltage') };
}

/** Parses an ESS status body whose `ess_report` has already been checked to be an object. */
export function parseEssStatus(body: RawObject): EssStatusResult {
  const report = isObject(body['ess_report']) ? body['ess_report'] : {};
  const hub = isObject(report['hub_plus_status']) ? report['hub_plus_status'] : undefined;
  return {
    errors: Array.isArray(body['errors']) ? body['errors'] : [],
    lastUpdated: lastUpdated(report),
    batteries: objects(report['battery_status']).map((b) => ({
      serial: str(b, 'serial_number') ?? '',
      lastUpdated: lastUpdated(b),
      currentA: measurement(b, 'battery_amperage'),
      voltageV: measurement(b, 'battery_voltage'),
      temperatureC: measurement(b, 'temperature'),
      stateOfChargePct: measurement(b, 'state_of_charge'),
      customerStateOfChargePct: measurement(b, 'customer_state_of_charge'),
      systemStateOfChargePct: measurement(b, 'system_state_of_charge'),
      raw: b,
    })),
    units: objects(report['ess_status']).map((e) => {
      const reading = e['ess_meter_reading'];
      return {
        serial: str(e, 'serial_number') ?? '',
        lastUpdated: lastUpdated(e),
        enclosureHumidityPct: measurement(e, 'enclosure_humidity'),
        enclosureTemperatureC: measurement(e, 'enclosure_temperature'),
        meter: isObject(reading)
          ? {
              aggregatePowerKw: measurement(reading, 'agg_power'),
              meterA: meterOf(reading['meter_a']),
              meterB: meterOf(reading['meter_b']),
            }
          : undefined,
        raw: e,
      };
    }),
    hubPlus: hub && {
      serial: str(hub, 'serial_number') ?? '',
      lastUpdated: lastUpdated(hub),
      contactorError: str(hub, 'contactor_error'),
      contactorPosition: str(hub, 'contactor_position'),
      gridVoltageState: str(hub, 'grid_voltage_state'),
      loadVoltageState: str(hub, 'load_voltage_state'),
      gridFrequencyState: str(hub, 'grid_frequency_state'),
      loadFrequencyState: str(hub, 'load_frequency_state'),
      temperatureC: measurement(hub, 'hub_temperature'),
      humidityPct: measurement(hub, 'hub_humidity'),
      jumpStartVoltageV: measurement(hub, 'jump_start_voltage'),
      auxPortVoltageV: measurement(hub, 'aux_port_voltage'),
      mainVoltageV: measurement(hub, 'main_voltage'),
      inverterConnectionVoltageV: measurement(hub, 'inverter_connection_voltage'),
      gridPhase1VoltageV: measurement(hub, 'grid_phase1_voltage'),
      gridPhase2VoltageV: measurement(hub, 'grid_phase2_voltage'),
      loadPhase1VoltageV: measurement(hub, 'load_phase1_voltage'),
      loadPhase2VoltageV: measurement(hub, 'load_phase2_voltage'),
      raw: hub,
    },
    inverters: objects(report['inverter_status']).map((i) => ({
      serial: str(i, 'serial_number') ?? '',
      acCurrentA: measurement(i, 'ac_current'),
      phaseACurrentA: measurement(i, 'phase_a_current'),
      phaseBCurrentA: measurement(i, 'phase_b_current'),
      phaseAVoltageV: measurement(i, 'a_n_voltage'),
      phaseBVoltageV: measurement(i, 'b_n_voltage'),
      acPowerKw: measurement(i, 'ac_power'),
      temperatureC: measurement(i, 'temperature'),
      raw: i,
    })),
    states: objects(report['ess_state']).map((s) => ({
      operationalMode: str(s, 'operational_mode'),
      permissionToOperate: bool(s['permission_to_operate']),
      storageControllerStatus: str(s, 'storage_controller_status'),
      pcsMode: s['pcs_mode'],
      pcsStatus: s['pcs_status'],
    })),
    pcsSettings: isObject(report['pcs_settings']) ? report['pcs_settings'] : undefined,
    raw: body,
  };
}
