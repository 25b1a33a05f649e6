/**
 * Field tables of the PVS DeviceList devices, as data: what each key is, its JSON type and unit, whether it is
 * required by the contract, and what the documents say it means.
 *
 * `kind` follows the device's own convention (seed 004: "properties of a given device are in UPPERCASE, whereas
 * metrics/key-performance-indicators are in lower-case"), with one refinement: lowercase descriptors that are not
 * measurements (`origin`, `interface`, `hw_version`, `module_serial`, `mac_address`, `subtype`, the meter subtype
 * enums, `slave`, `parent`, `panid`) are listed as properties.
 *
 * `required` mirrors schemas.ts (a test keeps the two in step). `clientNote` records what real clients expect
 * beyond the contract, e.g. sungazer dropping meters without a subtype enum.
 */
import { METER_SUBTYPES, type Command, type DeviceKind } from './schemas.js';

export type FieldJsonType = 'string' | 'numeric-string' | 'timestamp' | 'integer' | 'boolean';
export type FieldUnit =
  | 'kW'
  | 'kWh'
  | 'kvar'
  | 'kVA'
  | 'W'
  | 'V'
  | 'A'
  | 'Hz'
  | 'degC'
  | '%'
  | 'KiB'
  | 's'
  | 'ratio'
  | 'count'
  | 'flag'
  | 'load';

export interface FieldSpec {
  readonly name: string;
  readonly json: FieldJsonType;
  readonly kind: 'property' | 'metric';
  readonly required: boolean;
  readonly unit?: FieldUnit;
  /** Fixed values the field takes (literals and enums). */
  readonly values?: readonly string[];
  readonly meaning: string;
  readonly clientNote?: string;
}

type Opts = Partial<Pick<FieldSpec, 'unit' | 'values' | 'clientNote'>>;
const prop = (name: string, json: FieldJsonType, required: boolean, meaning: string, o: Opts = {}): FieldSpec => ({
  name,
  json,
  kind: 'property',
  required,
  meaning,
  ...o,
});
const metric = (name: string, unit: FieldUnit, meaning: string, o: Omit<Opts, 'unit'> = {}): FieldSpec => ({
  name,
  json: 'numeric-string',
  kind: 'metric',
  required: false,
  unit,
  meaning,
  ...o,
});

// ---------------------------------------------------------------------------------------------------------------
// Device types

export interface DeviceTypeInfo {
  readonly kind: DeviceKind;
  /** `DEVICE_TYPE` value. */
  readonly deviceType: string;
  /** `TYPE` value; the PVS itself has none. */
  readonly type?: string;
  /** Last character of SERIAL for meters (`p` production, `c` consumption). */
  readonly serialSuffix?: string;
  readonly label: string;
}

/** Every DEVICE_TYPE the documents show, in DeviceList order (PVS, meters p then c, inverters, ESS devices). */
export const DEVICE_TYPES: readonly DeviceTypeInfo[] = [
  { kind: 'supervisor', deviceType: 'PVS', label: 'PV Supervisor (PVS5/PVS6)' },
  { kind: 'productionMeter', deviceType: 'Power Meter', type: 'PVS5-METER-P', serialSuffix: 'p', label: 'Production meter' },
  { kind: 'consumptionMeter', deviceType: 'Power Meter', type: 'PVS5-METER-C', serialSuffix: 'c', label: 'Consumption meter' },
  { kind: 'inverter', deviceType: 'Inverter', type: 'SOLARBRIDGE', label: 'AC micro-inverter' },
  { kind: 'hubPlus', deviceType: 'HUB+', type: 'HUB+', label: 'HUB+ (MIDC microgrid interconnect controller)' },
  { kind: 'essHub', deviceType: 'ESS Hub', type: 'EQUINOX-MIO', label: 'SunVault MIO (multi I/O board)' },
  { kind: 'pvDisconnect', deviceType: 'PV Disconnect', type: 'PV-DISCONNECT', label: 'PV disconnect relay' },
  { kind: 'gateway', deviceType: 'Gateway', type: 'GATEWAY', label: 'Schneider Conext gateway' },
  { kind: 'storageInverter', deviceType: 'Storage Inverter', type: 'SCHNEIDER-XWPRO', label: 'Schneider XW Pro inverter/charger' },
  { kind: 'essBms', deviceType: 'ESS BMS', type: 'EQUINOX-BMS', label: 'Battery management system' },
  { kind: 'battery', deviceType: 'Battery', type: 'BATTERY', label: 'Battery module' },
  { kind: 'energyStorageSystem', deviceType: 'Energy Storage System', type: 'EQUINOX-ESS', label: 'Whole SunVault ESS' },
];

/** Listed by the on-device swagger's DeviceTypeEnum but never seen in a payload: no schema, no fields. */
export const SWAGGER_ONLY_DEVICE_TYPES = ['MET Station', 'Ground Current Monitor'] as const;

/** Meter subtype values (schemas.ts), and the ones observed per meter role. */
export const METER_SUBTYPE_VALUES = METER_SUBTYPES;
export const PRODUCTION_SUBTYPES_SEEN = ['GROSS_PRODUCTION_SITE'] as const;
export const CONSUMPTION_SUBTYPES_SEEN = ['NET_CONSUMPTION_LOADSIDE', 'GROSS_CONSUMPTION_LINESIDE'] as const;

/** Inverter and device `STATE` values seen (hass-sunpower's binary sensor is on when `STATE == "working"`). */
export const DEVICE_STATES_SEEN = ['working', 'error'] as const;

// ---------------------------------------------------------------------------------------------------------------
// Field tables

const time = [
  prop('CURTIME', 'timestamp', false, 'Time the entry was generated (UTC); increases through the list'),
  prop('DATATIME', 'timestamp', false, 'Time the data last changed (UTC); stale or absent for devices in error'),
];

const detailCommon = (deviceType: string, type: string): FieldSpec[] => [
  prop('DEVICE_TYPE', 'string', true, 'Device type', { values: [deviceType] }),
  prop('TYPE', 'string', true, 'Device sub-type / driver', { values: [type] }),
  prop('ISDETAIL', 'boolean', false, 'Always true on non-PVS entries', { values: ['true'] }),
  prop('SERIAL', 'string', true, 'Serial number; clients key devices by it', {
    clientNote: 'hass-sunpower indexes data[DEVICE_TYPE][SERIAL]; duplicates collapse',
  }),
  prop('MODEL', 'string', true, 'Model name'),
  prop('STATE', 'string', true, '"working" or "error"', { values: DEVICE_STATES_SEEN }),
  prop('STATEDESCR', 'string', false, 'Human-readable state ("Working", "Error")'),
  prop('DESCR', 'string', false, '"<type label> <SERIAL>", truncated to 63 characters'),
  prop('SWVER', 'string', false, 'Firmware version'),
  prop('PORT', 'string', false, 'Bus address, e.g. "P0, Modbus, Slave 220"; "" for meters and inverters'),
  prop('origin', 'string', false, 'Always "data_logger"'),
  prop('OPERATION', 'string', false, 'Always "noop"'),
  ...time,
];

/** Marks fields of a shared list as required (for the device types where clients hard-index them). */
function requireFields(fields: FieldSpec[], names: readonly string[], clientNote: string): FieldSpec[] {
  return fields.map((f) => (names.includes(f.name) ? { ...f, required: true, clientNote: f.clientNote ?? clientNote } : f));
}

const supervisor: FieldSpec[] = [
  prop('DEVICE_TYPE', 'string', true, 'Device type', { values: ['PVS'] }),
  prop('SERIAL', 'string', true, 'Supervisor serial number (ZT…)'),
  prop('MODEL', 'string', true, '"PV Supervisor PVS6"'),
  prop('STATE', 'string', true, '"working" or "error"', { values: DEVICE_STATES_SEEN }),
  prop('SWVER', 'string', true, 'Firmware, e.g. "2019.5, Build 4150"', {
    clientNote: 'exporter hard-indexes it; briefly missing during nightly operations (ha-esunpower)',
  }),
  prop('STATEDESCR', 'string', false, 'Human-readable state'),
  prop('DETAIL', 'string', false, 'Always "detail"; the PVS has no ISDETAIL', { values: ['detail'] }),
  prop('HWVER', 'string', false, 'Hardware revision, e.g. "6.0", "6.02"'),
  ...time,
  prop('panid', 'integer', false, 'PLC network PAN id (a JSON number, listed with the metrics in seed 004)'),
  metric('dl_err_count', 'count', 'Number of errors detected since the last report (guess)'),
  metric('dl_comm_err', 'count', 'Number of communication errors (guess)'),
  metric('dl_skipped_scans', 'count', 'Skipped PLC scans for inverters (guess)'),
  metric('dl_scan_time', 's', 'Duration of the last scan (guess)'),
  metric('dl_untransmitted', 'count', 'Records not yet transmitted to SunPower'),
  metric('dl_uptime', 's', 'Seconds since the data logger started; resets on reboot'),
  metric('dl_cpu_load', 'load', 'CPU load average'),
  metric('dl_mem_used', 'KiB', 'Memory in use'),
  metric('dl_flash_avail', 'KiB', 'Free flash space'),
];

const meterRequired = ['DESCR', 'PORT', 'SWVER'] as const;
const meterCommonMetrics: FieldSpec[] = [
  prop('CAL0', 'numeric-string', false, 'Calibration-reference CT size: "50" production, "100"/"200" consumption', {
    unit: 'A',
  }),
  prop('interface', 'string', false, 'Bus, "mime"'),
  prop('subtype', 'string', false, 'Meter subtype (newer firmware)', { values: METER_SUBTYPES }),
  metric('ct_scl_fctr', 'A', 'Size of the CT actually fitted'),
  metric('net_ltea_3phsum_kwh', 'kWh', 'Net cumulative energy across all phases'),
  metric('p_3phsum_kw', 'kW', 'Average real power'),
  metric('q_3phsum_kvar', 'kvar', 'Reactive power'),
  metric('s_3phsum_kva', 'kVA', 'Apparent power'),
  metric('tot_pf_rto', 'ratio', 'Power factor (real / apparent power)', { clientNote: 'hass-sunpower shows it ×100' }),
  metric('freq_hz', 'Hz', 'Operating frequency; "0" just after a reboot'),
  metric('i_a', 'A', 'Current'),
  metric('v12_v', 'V', 'Voltage across L1 and L2'),
];

const productionMeter: FieldSpec[] = [
  ...requireFields(detailCommon('Power Meter', 'PVS5-METER-P'), meterRequired, 'ginoledesma exporter hard-indexes it'),
  prop('production_subtype_enum', 'string', false, 'Production meter subtype, "GROSS_PRODUCTION_SITE"', {
    values: METER_SUBTYPES,
    clientNote: 'sungazer silently drops meters without it; the 2019/2021 seed payloads lack it',
  }),
  ...meterCommonMetrics,
];

const consumptionMeter: FieldSpec[] = [
  ...requireFields(detailCommon('Power Meter', 'PVS5-METER-C'), meterRequired, 'ginoledesma exporter hard-indexes it'),
  prop('consumption_subtype_enum', 'string', false, '"NET_CONSUMPTION_LOADSIDE" or "GROSS_CONSUMPTION_LINESIDE"', {
    values: METER_SUBTYPES,
    clientNote: 'sungazer silently drops meters without it; the 2019/2021 seed payloads lack it',
  }),
  ...meterCommonMetrics,
  metric('i1_a', 'A', 'Supply current on CT1'),
  metric('i2_a', 'A', 'Supply current on CT2'),
  metric('v1n_v', 'V', 'Supply voltage L1 to neutral'),
  metric('v2n_v', 'V', 'Supply voltage L2 to neutral'),
  metric('p1_kw', 'kW', 'Lead 1 average power'),
  metric('p2_kw', 'kW', 'Lead 2 average power'),
  metric('neg_ltea_3phsum_kwh', 'kWh', 'Cumulative energy in the negative direction'),
  metric('pos_ltea_3phsum_kwh', 'kWh', 'Cumulative energy in the positive direction', {
    clientNote: 'absent on PVS5',
  }),
];

const inverter: FieldSpec[] = [
  ...requireFields(
    detailCommon('Inverter', 'SOLARBRIDGE'),
    ['DESCR', 'PORT', 'SWVER'],
    'ginoledesma exporter hard-indexes it',
  ),
  prop('MOD_SN', 'string', true, 'Module (panel) serial; "" on newer firmware, populated on Type D/E', {
    clientNote: 'ginoledesma exporter hard-indexes it',
  }),
  prop('PANEL', 'string', false, 'Panel model, e.g. "SPR-X22-360-E-AC"'),
  prop('NMPLT_SKU', 'string', false, 'Nameplate SKU, usually ""'),
  prop('hw_version', 'string', false, 'Hardware version (since 2021.11)'),
  prop('interface', 'string', false, 'Bus, "mime"'),
  prop('module_serial', 'string', false, 'Equal to MOD_SN (since 2021.11)'),
  prop('slave', 'integer', false, 'Bus address; 0', { clientNote: 'sungazer types it bool, so 0 or 1 only' }),
  metric('ltea_3phsum_kwh', 'kWh', 'Lifetime energy'),
  metric('p_3phsum_kw', 'kW', 'AC power'),
  metric('vln_3phavg_v', 'V', 'AC voltage'),
  metric('i_3phsum_a', 'A', 'AC current'),
  metric('p_mppt1_kw', 'kW', 'DC power (MPPT 1), since 2021.11', {
    clientNote: 'hass-sunpower sums it into the virtual meter',
  }),
  metric('p_mpptsum_kw', 'kW', 'DC power (sum of MPPTs); older firmware / Type D instead of p_mppt1_kw'),
  metric('v_mppt1_v', 'V', 'DC voltage (MPPT 1)'),
  metric('i_mppt1_a', 'A', 'DC current (MPPT 1)'),
  metric('t_htsnk_degc', 'degC', 'Heatsink temperature'),
  metric('freq_hz', 'Hz', 'AC frequency'),
  metric('stat_ind', 'count', 'Status indicator (since 2021.11)'),
];

const essProps: FieldSpec[] = [
  prop('hw_version', 'string', false, 'Hardware version'),
  prop('interface', 'string', false, 'Bus: "ttymxc5", "sunspec" or "none"'),
  prop('slave', 'integer', false, 'Modbus/SunSpec address (220 HUB+, 221 MIO, 230 PV disconnect/BMS, 10 XW, 1 gateway)'),
  prop('parent', 'integer', false, 'Parent device index (11)'),
  prop('PARENT', 'string', false, 'SERIAL of the Energy Storage System the device belongs to'),
  prop('mac_address', 'string', false, 'MAC address of the SunSpec device'),
];

const essDevice = (deviceType: string, type: string, metrics: FieldSpec[] = []): FieldSpec[] => [
  ...detailCommon(deviceType, type),
  ...essProps,
  ...metrics,
];

const eventAndFw = [
  metric('fw_error', 'count', 'Firmware error count'),
  metric('event_history', 'count', 'Count of events seen so far'),
];

export const DEVICE_FIELDS: Readonly<Record<DeviceKind, readonly FieldSpec[]>> = {
  supervisor,
  productionMeter,
  consumptionMeter,
  inverter,
  hubPlus: essDevice('HUB+', 'HUB+'),
  essHub: essDevice('ESS Hub', 'EQUINOX-MIO', [
    metric('t_degc', 'degC', 'Ambient temperature around the cabinet'),
    metric('humidity', '%', 'Ambient humidity'),
    metric('v_dcdc_spply_v', 'V', 'DC/DC supply voltage'),
    metric('v_spply_v', 'V', 'Supply voltage'),
    metric('v_gateway_v', 'V', 'Gateway supply voltage'),
    metric('fan_actv_fl', 'flag', 'Fan active flag (0/1)'),
    ...eventAndFw,
  ]),
  pvDisconnect: essDevice('PV Disconnect', 'PV-DISCONNECT', [
    ...eventAndFw,
    metric('relay_mode', 'flag', '0 utility operation, 1 battery operation (suspected)'),
    metric('relay1_state', 'flag', 'State of relay 1 (0/1)'),
    metric('relay2_state', 'flag', 'State of relay 2 (0/1)'),
    metric('relay1_error', 'count', 'Error count of relay 1'),
    metric('relay2_error', 'count', 'Error count of relay 2'),
    metric('v1n_grid_v', 'V', 'Grid-side voltage L1 to neutral'),
    metric('v2n_grid_v', 'V', 'Grid-side voltage L2 to neutral'),
    metric('v1n_pv_v', 'V', 'PV-side voltage L1 to neutral'),
    metric('v2n_pv_v', 'V', 'PV-side voltage L2 to neutral'),
  ]),
  gateway: essDevice('Gateway', 'GATEWAY'),
  storageInverter: essDevice('Storage Inverter', 'SCHNEIDER-XWPRO'),
  essBms: essDevice('ESS BMS', 'EQUINOX-BMS'),
  battery: essDevice('Battery', 'BATTERY'),
  energyStorageSystem: essDevice('Energy Storage System', 'EQUINOX-ESS'),
};

// ---------------------------------------------------------------------------------------------------------------
// Commands and paths

export const DL_CGI_PATH = '/cgi-bin/dl_cgi';
export const ESS_STATUS_PATH = '/cgi-bin/dl_cgi/energy-storage-system/status';

export interface CommandInfo {
  readonly name: Command;
  /** Extra query parameters the command takes. */
  readonly params: readonly ('SerialNumber' | 'type')[];
  readonly description: string;
}

export const COMMANDS: readonly CommandInfo[] = [
  { name: 'DeviceList', params: [], description: 'All discovered devices with properties and metrics (slow: ~0.25 s per device)' },
  { name: 'Start', params: [], description: 'Starts a configuration session; returns supervisor info' },
  { name: 'Stop', params: [], description: 'Stops the configuration session' },
  { name: 'Get_Comm', params: ['SerialNumber'], description: 'Network interfaces and connectivity' },
  { name: 'CheckFW', params: ['type'], description: 'Firmware update URL or "none"; type = residential | commercial' },
  { name: 'DeviceDetails', params: ['SerialNumber'], description: 'Answers {"result":"unknown command"} on the documented PVS6' },
  { name: 'GridProfileGet', params: [], description: 'Active and pending grid profile' },
  { name: 'GridProfileRefresh', params: [], description: 'Refreshes and lists the grid profile database' },
  { name: 'GetCellPurchased', params: [], description: 'Whether cellular data was purchased ("null" when unknown)' },
  { name: 'GetDiscoveryProgress', params: [], description: 'Progress of device discovery per device type' },
  { name: 'SetCellPurchased', params: ['SerialNumber'], description: 'Sets the cellular purchase flag (a GET only echoes it)' },
];

export const COMMAND_NAMES: readonly Command[] = COMMANDS.map((c) => c.name);
