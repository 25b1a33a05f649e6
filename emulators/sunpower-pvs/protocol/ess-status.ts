import type { CJsonValue } from './cjson.js';
import type { Sample } from '../model.js';
import type { Site } from '../site.js';
import { essTimestamp } from './values.js';

type Body = { [key: string]: CJsonValue };

const q = (unit: string, value: number, decimals = 2): Body => ({ unit, value: Math.round(value * 10 ** decimals) / 10 ** decimals });

/**
 * `GET /cgi-bin/dl_cgi/energy-storage-system/status`, the SunVault report Home Assistant reads.
 * Serials match DeviceList (`ESS BMS`, `Energy Storage System`, `HUB+`), values are numeric
 * `{unit, value}` pairs, and all three state-of-charge fields are sent.
 */
export function essStatusResponse(site: Site, sample: Sample): Body {
  const ess = site.ess!;
  const reading = sample.ess!;
  const flow = sample.flow;
  const updated = essTimestamp(sample.tick);
  const v1 = sample.consumption.v1V;
  const v2 = sample.consumption.v2V;
  const gridV1 = flow.gridUp ? v1 : 0;
  const gridV2 = flow.gridUp ? v2 : 0;
  const inverterKw = flow.batteryKw;
  const acCurrent = v1 + v2 > 0 ? (Math.abs(inverterKw) * 1000) / (v1 + v2) : 0;
  const meter = (share: number, voltage: number): Body => ({
    reading: {
      current: q('A', voltage > 0 ? (Math.abs(inverterKw * share) * 1000) / voltage : 0),
      power: q('W', inverterKw * share * 1000, 1),
      voltage: q('V', voltage),
      last_updated: updated,
    },
  });
  return {
    errors: [],
    ess_report: {
      battery_status: [
        {
          serial_number: ess.bmsSerial,
          last_updated: updated,
          battery_amperage: q('A', reading.batteryA),
          battery_voltage: q('V', reading.batteryV),
          temperature: q('C', reading.temperatureC, 1),
          state_of_charge: q('%', reading.socPct),
          customer_state_of_charge: q('%', reading.customerSocPct),
          system_state_of_charge: q('%', reading.socPct),
        },
      ],
      ess_status: [
        {
          serial_number: ess.essSerial,
          last_updated: updated,
          enclosure_humidity: q('%', Math.max(5, 35 - flow.ambientC * 0.5), 0),
          enclosure_temperature: q('C', flow.ambientC + 4, 1),
          ess_meter_reading: {
            last_updated: updated,
            agg_power: q('kW', inverterKw, 3),
            meter_a: meter(0.5, v1),
            meter_b: meter(0.5, v2),
          },
        },
      ],
      hub_plus_status: {
        serial_number: ess.hubSerial,
        last_updated: updated,
        contactor_error: 'NONE',
        contactor_position: flow.gridUp ? 'CLOSED' : 'OPEN',
        grid_frequency_state: flow.gridUp ? 'METER_FREQUENCY_IN_RANGE' : 'METER_FREQUENCY_OUT_OF_RANGE',
        grid_voltage_state: flow.gridUp ? 'METER_VOLTAGE_IN_RANGE' : 'METER_VOLTAGE_OUT_OF_RANGE',
        load_frequency_state: 'METER_FREQUENCY_IN_RANGE',
        load_voltage_state: 'METER_VOLTAGE_IN_RANGE',
        hub_temperature: q('C', flow.ambientC + 6, 1),
        hub_humidity: q('%', Math.max(5, 30 - flow.ambientC * 0.4), 0),
        jump_start_voltage: q('V', 0),
        aux_port_voltage: q('V', 0),
        main_voltage: q('V', gridV1 + gridV2),
        inverter_connection_voltage: q('V', v1 + v2),
        grid_phase1_voltage: q('V', gridV1),
        grid_phase2_voltage: q('V', gridV2),
        load_phase1_voltage: q('V', v1),
        load_phase2_voltage: q('V', v2),
      },
      inverter_status: [
        {
          serial_number: ess.storageInverterSerial,
          last_updated: updated,
          ac_current: q('A', acCurrent),
          phase_a_current: q('A', acCurrent / 2),
          phase_b_current: q('A', acCurrent / 2),
          a_n_voltage: q('V', v1),
          b_n_voltage: q('V', v2),
          ac_power: q('kW', inverterKw, 3),
          temperature: q('C', reading.temperatureC + 5, 1),
        },
      ],
      ess_state: [
        {
          operational_mode: flow.gridUp ? 'SELF_CONSUMPTION' : 'BACKUP_ONLY',
          permission_to_operate: true,
          storage_controller_status: 'RUNNING',
        },
      ],
      pcs_settings: { msp_breaker: 200, msp_busbar: 225, hubplus_breaker: 200, hubplus_busbar: 225 },
      last_updated: updated,
    },
  };
}
