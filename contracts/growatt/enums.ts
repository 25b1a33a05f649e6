/** Code tables and enumerations of the v1 API. */

/** `type` in `GET /v1/device/list` ("the 3.3 interface"). Home Assistant keeps only 5 (SPH) and 7 (MIN). */
export const DEVICE_TYPES = {
  1: 'inverter (incl. MAX)',
  2: 'storage',
  3: 'other (datalogger, meter, environment sensor)',
  4: 'MAX (single)',
  5: 'SPH/MIX',
  6: 'SPA',
  7: 'MIN (TLX/MIC/MOD-XH/MID-XH/NEO)',
  8: 'PCS',
  9: 'HPS',
  10: 'PBD',
  11: 'GroBoost',
} as const satisfies Record<number, string>;

export type DeviceType = keyof typeof DEVICE_TYPES;

/** The only device type the SPH/MIX endpoints accept. */
export const SPH_DEVICE_TYPE = 5 satisfies DeviceType;

/** `device_type` of `GET /v1/device/check/sn` ("3.5") uses a different numbering. */
export const CHECK_SN_DEVICE_TYPES = {
  0: 'datalogger',
  16: 'inverter',
  17: 'SPH',
  18: 'MAX',
  19: 'SPA',
  22: 'MIN',
  81: 'PCS',
  82: 'HPS',
  83: 'PBD',
  96: 'storage',
  218: 'WIT',
  260: 'SPH-S',
  1000: 'NOAH',
} as const satisfies Record<number, string>;

/**
 * `status` of the SPH telemetry as the batch page documents it. The page's own example sends 5 with
 * `statusText: "PV Bat Online"`, so real values go beyond this table (see MIX_DETAIL_STATUS).
 */
export const MIX_STATUS = { 0: 'waiting', 1: 'normal', 2: 'fault' } as const satisfies Record<number, string>;

/** `status` as the mix_data_info page documents it: 5-8 are all normal modes. */
export const MIX_DETAIL_STATUS = {
  0: 'waiting',
  1: 'self-check',
  3: 'failure',
  4: 'upgrading',
  5: 'normal',
  6: 'normal',
  7: 'normal',
  8: 'normal',
} as const satisfies Record<number, string>;

/** `deviceType` inside mix_data_info is a hardware sub-type, unrelated to DEVICE_TYPES. */
export const MIX_HARDWARE_SUBTYPES = { 0: 'Mix6k', 1: 'Mix4-10k' } as const satisfies Record<number, string>;

/**
 * `lost` is documented as "whether communication is lost" (mix_data_info: "0: online, 1: disconnected"), but the
 * latest-data endpoints send `true` even while the device reports, and device/list sends `false`.
 */
export const LOST_FLAG = {
  documented: { false: 'communicating', true: 'communication lost' },
  observed: { latestData: true, deviceList: false },
} as const;

/** `time_unit` of `GET /v1/plant/energy`, and the `date` format each unit returns. */
export const TIME_UNITS = ['day', 'month', 'year'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];
export const ENERGY_DATE_FORMATS: { readonly [U in TimeUnit]: string } = {
  day: 'YYYY-MM-DD',
  month: 'YYYY-MM',
  year: 'YYYY',
};

/** `paramId` values of `POST /v1/readMixParam`: one named parameter, or raw registers via startAddr/endAddr. */
export const READ_MIX_PARAM_IDS = {
  pv_on_off: 'Switch: "0" off, "1" on (send startAddr=endAddr=0)',
  set_any_reg: 'Raw holding registers startAddr..endAddr',
} as const;

export interface MixSetType {
  /** How many of param1..param18 carry values; the rest are sent as empty strings. */
  readonly params: number;
  readonly description: string;
}

/** `type` values of `POST /v1/mixSet`. */
export const MIX_SET_TYPES = {
  pv_on_off: { params: 1, description: 'Power on/off: "0000" off, "0001" on' },
  pf_sys_year: { params: 1, description: 'Set inverter time, "HH:MM"' },
  mix_ac_charge_time_period: {
    params: 18,
    description: 'Battery first: 1 charge power %, 2 stop SOC %, 3 mains charging 0/1, then 3 periods of start h, start m, end h, end m, enable 0/1',
  },
  mix_ac_discharge_time_period: {
    params: 17,
    description: 'Grid first: 1 discharge power %, 2 stop SOC %, then 3 periods of start h, start m, end h, end m, enable 0/1',
  },
  backflow_setting: { params: 2, description: 'Export limit: 1 on/off 0/1, 2 power % 0-100' },
  pv_grid_voltage_high: { params: 1, description: 'Mains voltage upper limit, V (e.g. 270)' },
  pv_grid_voltage_low: { params: 1, description: 'Mains voltage lower limit, V (e.g. 180)' },
  mix_off_grid_enable: { params: 1, description: 'Off-grid enable 0/1' },
  mix_ac_discharge_frequency: { params: 1, description: 'Off-grid frequency: 0 = 50 Hz, 1 = 60 Hz' },
  mix_ac_discharge_voltage: { params: 1, description: 'Off-grid voltage: 0 = 230 V, 1 = 208 V, 2 = 240 V' },
  pv_pf_cmd_memory_state: { params: 1, description: 'Store the following PF commands 0/1' },
  pv_active_p_rate: { params: 1, description: 'Active power % 0-100' },
  pv_reactive_p_rate: { params: 1, description: 'Reactive power % 0-100' },
  pv_power_factor: { params: 1, description: 'Power factor, -1..-0.8 or 0.8..1' },
  mix_load_flast_value_multi: { params: 1, description: 'Discharge stop SOC % 0-100' },
  mix_load_first_control: { params: 1, description: 'Load-first output: 0 = three-phase sum, 1 = per phase' },
  mix_single_export: { params: 1, description: 'Single-phase export limitation 0/1' },
  set_any_reg: { params: 2, description: 'Raw register write: 1 register address, 2 value' },
} as const satisfies Record<string, MixSetType>;

export type MixSetTypeName = keyof typeof MIX_SET_TYPES;

/** Highest param index mixSet takes; growattServer always sends all of them. */
export const MIX_SET_MAX_PARAMS = 18;

/** The device type of the MIN/TLX endpoints (`device/list` type 7). */
export const MIN_DEVICE_TYPE = 7 satisfies DeviceType;

/**
 * `deviceType` inside tlx_data_info is a hardware sub-type too: a live MOD 12KTL3-HU listed as type 7 reports 6
 * there [report: qbamca/growatt-bridge]. Only that value is known.
 */
export const TLX_HARDWARE_SUBTYPES = { 6: 'MOD/MIN XH (observed)' } as const satisfies Record<number, string>;

/** Battery mode of a MIN time segment (`timeNMode`, first field of `yearTimeN`, param1 of time_segmentN). */
export const TLX_SEGMENT_MODES = { 0: 'load first', 1: 'battery first', 2: 'grid first' } as const satisfies Record<number, string>;

const segment = (n: number) => ({
  params: 6,
  description: `Time segment ${n}: 1 mode (0 load, 1 battery, 2 grid first), 2 start h, 3 start m, 4 end h, 5 end m, 6 enable 0/1`,
});

/** `type` values of `POST /v1/tlxSet` the emulator takes (growattServer sends param1..param19, unused ones empty). */
export const TLX_SET_TYPES = {
  time_segment1: segment(1),
  time_segment2: segment(2),
  time_segment3: segment(3),
  time_segment4: segment(4),
  time_segment5: segment(5),
  time_segment6: segment(6),
  time_segment7: segment(7),
  time_segment8: segment(8),
  time_segment9: segment(9),
  tlx_on_off: { params: 1, description: 'Power on/off: "0000"/"0" off, "0001"/"1" on' },
  ac_charge: { params: 1, description: 'Charge the battery from the grid in battery-first segments, 0/1' },
  charge_power: { params: 1, description: 'Charge power % 0-100' },
  charge_stop_soc: { params: 1, description: 'Charge stop SOC % 0-100' },
  discharge_power: { params: 1, description: 'Discharge power % 0-100' },
  discharge_stop_soc: { params: 1, description: 'Discharge stop SOC % 0-100' },
  // Written by Home Assistant's MIN number "battery discharge SOC limit (on grid)" (number.py's write_key); read back
  // as onGridDischargeStopSOC. Not in the protocol notes' list.
  on_grid_discharge_stop_soc: { params: 1, description: 'Discharge stop SOC % 0-100 while the grid is up, in load-first time' },
  pv_active_p_rate: { params: 1, description: 'Active power % 0-100' },
  backflow_setting: { params: 2, description: 'Export limit: 1 on/off 0/1, 2 power % 0-100' },
} as const satisfies Record<string, MixSetType>;

export type TlxSetTypeName = keyof typeof TLX_SET_TYPES;

/** Highest param index tlxSet takes. */
export const TLX_SET_MAX_PARAMS = 19;
