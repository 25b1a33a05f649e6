/**
 * The varserver's variables as data: SunStrong's public lists for the PVS6 and the PVS5
 * (pypvs `doc/varserver-variables-public-pvs6.csv`, `-pvs5.csv`), one entry per name pattern.
 *
 * `{index}` stands for a 0-based device index (`/sys/devices/inverter/0/p3phsumKw`). The `models` column says
 * which list names the variable; `writable` is the CSV's `write` column being non-empty. Beyond the CSVs,
 * {@link VARSERVER_DATA_OBJECTS} lists the JSON-object variables of the first varserver builds (pypvs
 * `doc/LocalAPI.md`), and {@link UNAUTHENTICATED_VARIABLES} the names readable without a session.
 */
import type { PvsModel } from './firmware.js';

/** Variable types as the varserver declares them (CSV `type` column). */
export type VarserverType = 'str' | 'float' | 'uint16' | 'uint32' | 'int16' | 'int32' | 'int64';

export interface VarserverVariable {
  /** Name, with `{index}` for a device index. */
  readonly name: string;
  readonly type: VarserverType;
  /** CSV `tags` (empty for "N/A"). */
  readonly tags: readonly string[];
  readonly description: string;
  /** `set=` accepted (the CSV's `write` role is set). */
  readonly writable: boolean;
  /** Which public list names it. */
  readonly models: readonly PvsModel[];
}

type Row = [name: string, type: VarserverType, tags: string, description: string, writable: boolean, models: 'both' | 'PVS6' | 'PVS5'];

const INVERTER = 'telemetry,inverter';
const METER = 'telemetry,meter';
const ESS = 'telemetry,ess';
const TS = 'telemetry,transfer_switch';
const NET = 'netstats,network,toggle_cell';

// In the order the device lists them in a `match=/` dump (creation order), which is the order of match answers.
const ROWS: readonly Row[] = [
  ['/sys/info/serialnum', 'str', 'diag', 'PVS Serial Number', false, 'both'],
  ['/sys/info/model', 'str', 'diag', 'PVS model number', false, 'both'],
  ['/sys/info/hwrev', 'str', 'diag', 'PVS Hardware Revision', false, 'both'],
  ['/sys/info/uptime', 'str', 'diag', 'PVS uptime', false, 'both'],
  ['/sys/info/fwrev', 'str', 'diag', 'PVS Firmware Revision', false, 'both'],
  ['/sys/info/boardtype', 'str', 'diag', 'PVS Board Type', false, 'both'],
  ['/sys/info/sw_rev', 'str', 'diag', 'SPWR Software Revision', false, 'both'],
  ['/sys/info/ssid', 'str', 'diag', 'PVS ssid', false, 'both'],
  ['/sys/info/wpa_key', 'str', 'diag', 'PVS wpa key', false, 'both'],
  ['/sys/info/lmac', 'str', 'diag', 'LAN0 MAC address', false, 'both'],
  ['/sys/info/sys_type', 'str', 'diag', 'system type (PV-only, storage)', false, 'both'],
  ['/sys/info/finance_type', 'str', 'diag', 'Finance type for the site that this PVS is running at. Viable values are UNKNOWN, CASH, LEASE, and LOAN', false, 'both'],
  ['/sys/info/active_interface', 'str', 'diag', 'Current active network interface', false, 'both'],
  ['/sys/info/active_interface_mac', 'str', 'diag', 'Current active network interface mac address', false, 'both'],
  ['/sys/info/ram_usage', 'uint16', 'diag', 'Current RAM usage in percentage', false, 'both'],
  ['/sys/info/flash_usage', 'uint16', 'diag', 'Current Flash usage in percentage', false, 'both'],
  ['/sys/info/cpu_usage', 'uint16', 'diag', 'Current CPU usage in percentage', false, 'both'],
  ['/network/report/send', 'uint16', '', 'Trigger communicator to send a network interface report', true, 'both'],
  ['/metrics/network/interface_report_request', 'uint32', 'metrics,network', 'Count of Network Interface Report requests', true, 'PVS6'],
  ['/sys/toggle_cell/low_data_mode', 'uint32', 'netstats,toggle_cell', 'toggle_cell low data mode status', false, 'both'],
  ['/sys/toggle_cell/cell_connected', 'uint16', 'netstats,toggle_cell', 'Cell connection status, 0=disconnected, 1=connected', false, 'both'],
  ['/sys/toggle_cell/broadband_connected', 'uint16', 'netstats,toggle_cell', 'Broadband connection status, 0=disconnected, 1=connected', false, 'both'],
  ['/net/wwan0/state', 'str', NET, 'wwan0 interface state', false, 'PVS6'],
  ['/net/wan0/state', 'str', NET, 'wan0 interface state', false, 'PVS6'],
  ['/net/wan1/state', 'str', NET, 'wan1 (USB dongle ethernet adapter) interface state', false, 'PVS6'],
  ['/net/cell/state', 'str', NET, 'toggle_cell cell online state', false, 'PVS5'],
  ['/net/wan/state', 'str', NET, 'toggle_cell wan online state', false, 'PVS5'],
  ['/net/plc/state', 'str', NET, 'toggle_cell plc online state', false, 'PVS5'],
  ['/net/sta0/state', 'str', NET, 'sta0 interface state', false, 'both'],
  ['/sys/pvs/flashwear_type_b', 'uint16', 'sysstats', 'Percentage lifetime estimation as HEX value (0x01 = 10%, 0x9 = 90%)', false, 'PVS6'],
  ['/sys/pvs/usb_erase_count', 'uint16', 'sysstats', 'SMART Attribute 229 Erase Count Usage', false, 'PVS6'],
  ['/sys/telemetryws/enable', 'uint16', '', 'Variable to enable telemetry websockets', true, 'PVS6'],
  ['/sys/livedata/time', 'int64', 'livedata', 'Telemetry Websockets timestamp', false, 'both'],
  ['/sys/livedata/pv_p', 'float', 'livedata', 'Production Power (kW)', false, 'both'],
  ['/sys/livedata/pv_en', 'float', 'livedata', 'Production Energy (kWh)', false, 'both'],
  ['/sys/livedata/net_p', 'float', 'livedata', 'Net Consumption Power (kW)', false, 'both'],
  ['/sys/livedata/net_en', 'float', 'livedata', 'Net Consumption Energy (kWh)', false, 'both'],
  ['/sys/livedata/site_load_p', 'float', 'livedata', 'Site Load Power (kW)', false, 'both'],
  ['/sys/livedata/site_load_en', 'float', 'livedata', 'Site Load Energy (kWh)', false, 'both'],
  ['/sys/livedata/ess_en', 'float', 'livedata', 'Battery Energy (kWh)', false, 'both'],
  ['/sys/livedata/ess_p', 'float', 'livedata', 'Battery Power (kW)', false, 'both'],
  ['/sys/livedata/soc', 'float', 'livedata', 'Battery State of Charge (%)', false, 'both'],
  ['/sys/livedata/backupTimeRemaining', 'uint32', 'livedata', 'Battery Backup Time Remaining (minutes)', false, 'both'],
  ['/sys/livedata/midstate', 'int32', 'livedata', 'MID State', false, 'both'],
  ['/sys/devices/meter/{index}/ctSclFctr', 'int32', METER, 'CT scaling factor', false, 'both'],
  ['/sys/devices/meter/{index}/freqHz', 'float', METER, 'Frequency in Hz', false, 'both'],
  ['/sys/devices/meter/{index}/i1A', 'float', METER, 'Current in A for phase 1', false, 'both'],
  ['/sys/devices/meter/{index}/i2A', 'float', METER, 'Current in A for phase 2', false, 'both'],
  ['/sys/devices/meter/{index}/msmtEps', 'str', METER, 'Timestamp of the last measurement', false, 'both'],
  ['/sys/devices/meter/{index}/negLtea3phsumKwh', 'float', METER, 'Negative lifetime sum of 3-phase energy in kWh', false, 'both'],
  ['/sys/devices/meter/{index}/netLtea3phsumKwh', 'float', METER, 'Net lifetime sum of 3-phase energy in kWh', false, 'both'],
  ['/sys/devices/meter/{index}/p1Kw', 'float', METER, 'Power in kW for phase 1', false, 'both'],
  ['/sys/devices/meter/{index}/p2Kw', 'float', METER, 'Power in kW for phase 2', false, 'both'],
  ['/sys/devices/meter/{index}/p3phsumKw', 'float', METER, 'Sum of 3-phase power in kW', false, 'both'],
  ['/sys/devices/meter/{index}/posLtea3phsumKwh', 'float', METER, 'Positive lifetime sum of 3-phase energy in kWh', false, 'both'],
  ['/sys/devices/meter/{index}/prodMdlNm', 'str', METER, 'Product model name', false, 'both'],
  ['/sys/devices/meter/{index}/q3phsumKvar', 'float', METER, 'Sum of 3-phase reactive power in kVar', false, 'both'],
  ['/sys/devices/meter/{index}/s3phsumKva', 'float', METER, 'Sum of 3-phase apparent power in kVA', false, 'both'],
  ['/sys/devices/meter/{index}/sn', 'str', METER, 'Serial number of the meter', false, 'both'],
  ['/sys/devices/meter/{index}/totPfRto', 'float', METER, 'Total power factor ratio', false, 'both'],
  ['/sys/devices/meter/{index}/v12V', 'float', METER, 'Voltage between phase 1 and 2 in V', false, 'both'],
  ['/sys/devices/meter/{index}/v1nV', 'float', METER, 'Voltage between phase 1 and neutral in V', false, 'both'],
  ['/sys/devices/meter/{index}/v2nV', 'float', METER, 'Voltage between phase 2 and neutral in V', false, 'both'],
  ['/sys/devices/inverter/{index}/freqHz', 'float', INVERTER, 'Frequency in Hz dectected by the inverter', false, 'both'],
  ['/sys/devices/inverter/{index}/i3phsumA', 'float', INVERTER, 'Sum of phase currents in A', false, 'both'],
  ['/sys/devices/inverter/{index}/iMppt1A', 'float', INVERTER, 'Current of MPPT1 in A', false, 'both'],
  ['/sys/devices/inverter/{index}/ltea3phsumKwh', 'float', INVERTER, 'Lifetime sum of 3-phase energy in kWh', false, 'both'],
  ['/sys/devices/inverter/{index}/msmtEps', 'str', INVERTER, 'Timestamp of the last measurement', false, 'both'],
  ['/sys/devices/inverter/{index}/p3phsumKw', 'float', INVERTER, 'Sum of 3-phase power in kW', false, 'both'],
  ['/sys/devices/inverter/{index}/pMppt1Kw', 'float', INVERTER, 'Power of MPPT1 in kW', false, 'both'],
  ['/sys/devices/inverter/{index}/prodMdlNm', 'str', INVERTER, 'Product model name', false, 'both'],
  ['/sys/devices/inverter/{index}/sn', 'str', INVERTER, 'Serial number of the inverter', false, 'both'],
  ['/sys/devices/inverter/{index}/tHtsnkDegc', 'int32', INVERTER, 'Temperature of the heat sink in °C', false, 'both'],
  ['/sys/devices/inverter/{index}/vMppt1V', 'float', INVERTER, 'Voltage of MPPT1 in V', false, 'both'],
  ['/sys/devices/inverter/{index}/vln3phavgV', 'float', INVERTER, 'Average line-to-neutral voltage of 3-phase system in V', false, 'both'],
  ['/sys/devices/ess/{index}/chrgLimitPmaxKw', 'float', ESS, 'Maximum allowed charge power (kW)', false, 'PVS6'],
  ['/sys/devices/ess/{index}/customerSocVal', 'float', ESS, 'Customer-reported state of charge (SOC) value', false, 'PVS6'],
  ['/sys/devices/ess/{index}/dischrgLimPmaxKw', 'float', ESS, 'Maximum allowed discharge power (kW)', false, 'PVS6'],
  ['/sys/devices/ess/{index}/maxTBattCellDegc', 'float', ESS, 'Maximum battery cell temperature (°C)', false, 'PVS6'],
  ['/sys/devices/ess/{index}/maxVBattCellV', 'float', ESS, 'Maximum battery cell voltage (V)', false, 'PVS6'],
  ['/sys/devices/ess/{index}/minTBattCellDegc', 'float', ESS, 'Minimum battery cell temperature (°C)', false, 'PVS6'],
  ['/sys/devices/ess/{index}/minVBattCellV', 'float', ESS, 'Minimum battery cell voltage (V)', false, 'PVS6'],
  ['/sys/devices/ess/{index}/msmtEps', 'str', ESS, 'Timestamp of the last measurement', false, 'PVS6'],
  ['/sys/devices/ess/{index}/negLtea3phsumKwh', 'float', ESS, 'Total negative energy (kWh) over 3 phases', false, 'PVS6'],
  ['/sys/devices/ess/{index}/opMode', 'str', ESS, 'Operating mode of the ESS', false, 'PVS6'],
  ['/sys/devices/ess/{index}/p3phsumKw', 'float', ESS, 'Total real power (kW) over 3 phases', false, 'PVS6'],
  ['/sys/devices/ess/{index}/posLtea3phsumKwh', 'float', ESS, 'Total positive energy (kWh) over 3 phases', false, 'PVS6'],
  ['/sys/devices/ess/{index}/prodMdlNm', 'str', ESS, 'Product model name', false, 'PVS6'],
  ['/sys/devices/ess/{index}/sn', 'str', ESS, 'Device serial number', false, 'PVS6'],
  ['/sys/devices/ess/{index}/socVal', 'float', ESS, 'State of charge (SOC) value', false, 'PVS6'],
  ['/sys/devices/ess/{index}/sohVal', 'int16', ESS, 'State of health (SOH) value', false, 'PVS6'],
  ['/sys/devices/ess/{index}/tInvtrDegc', 'float', ESS, 'Inverter temperature (°C)', false, 'PVS6'],
  ['/sys/devices/ess/{index}/v1nV', 'float', ESS, 'Voltage between phase 1 and neutral (V)', false, 'PVS6'],
  ['/sys/devices/ess/{index}/v2nV', 'float', ESS, 'Voltage between phase 2 and neutral (V)', false, 'PVS6'],
  ['/sys/devices/ess/{index}/vBattV', 'float', ESS, 'Battery voltage (V)', false, 'PVS6'],
  ['/sys/devices/transfer_switch/{index}/midStEnum', 'str', TS, 'MID state', false, 'PVS6'],
  ['/sys/devices/transfer_switch/{index}/msmtEps', 'str', TS, 'Timestamp of the last measurement', false, 'PVS6'],
  ['/sys/devices/transfer_switch/{index}/prodMdlNm', 'str', TS, 'Product model name', false, 'PVS6'],
  ['/sys/devices/transfer_switch/{index}/pvd1StEnum', 'str', TS, 'PV Disconnect (PVD) state', false, 'PVS6'],
  ['/sys/devices/transfer_switch/{index}/sn', 'str', TS, 'Serial number of the transfer switch', false, 'PVS6'],
  ['/sys/devices/transfer_switch/{index}/tDegc', 'float', TS, 'Temperature in degrees Celsius', false, 'PVS6'],
  ['/sys/devices/transfer_switch/{index}/v1nGridV', 'float', TS, 'Grid voltage for phase 1', false, 'PVS6'],
  ['/sys/devices/transfer_switch/{index}/v1nV', 'float', TS, 'Voltage between phase 1 and neutral', false, 'PVS6'],
  ['/sys/devices/transfer_switch/{index}/v2nGridV', 'float', TS, 'Grid voltage between phase 2 and neutral', false, 'PVS6'],
  ['/sys/devices/transfer_switch/{index}/v2nV', 'float', TS, 'Voltage between phase 2 and neutral', false, 'PVS6'],
  ['/sys/devices/transfer_switch/{index}/vSpplyV', 'float', TS, 'Supply voltage', false, 'PVS6'],
  ['/ess/config/dcm/mode_param/control_mode', 'str', 'ess,config', 'ESS control mode', true, 'PVS6'],
  [
    '/ess/config/dcm/control_param/min_customer_soc',
    'float',
    'ess,config',
    'Minimal customer SoC is used to calculate corresponding system soc threshold min_soc, should be between 0.0 and 1.0 including borders',
    true,
    'PVS6',
  ],
];

export const VARSERVER_VARIABLES: readonly VarserverVariable[] = ROWS.map(([name, type, tags, description, writable, models]) =>
  Object.freeze({
    name,
    type,
    tags: tags === '' ? [] : tags.split(','),
    description,
    writable,
    models: models === 'both' ? (['PVS6', 'PVS5'] as const) : ([models] as const),
  }),
);

/**
 * JSON-object variables of the first varserver build (pypvs LocalAPI.md, build 61840): the value is an object
 * with the device's fields, inlined unquoted in answers. 11 is the production meter, 12 the consumption meter,
 * 21, 22, … the inverters in DeviceList order. Gone from build 61845 (see `deviceDataObjects` in firmware.ts).
 */
export const VARSERVER_DATA_OBJECTS = ['/sys/devices/{id}/meter/data', '/sys/devices/{id}/inverter/data'] as const;
export const DATA_OBJECT_IDS = { productionMeter: 11, consumptionMeter: 12, firstInverter: 21 } as const;

/** Readable without a session (pypvs discovery, dacarson's logger): everything else needs one. */
export const UNAUTHENTICATED_VARIABLES: readonly string[] = ['/sys/info/serialnum', '/sys/info/ssid', '/sys/info/lmac'];

/** The 10 single-variable reads of pypvs's gateway updater, in order (every one must exist on a PVS6: notes §7.4). */
export const PYPVS_GATEWAY_VARIABLES: readonly string[] = [
  '/sys/info/sys_type',
  '/sys/info/model',
  '/sys/info/hwrev',
  '/sys/info/sw_rev',
  '/sys/info/uptime',
  '/sys/info/lmac',
  '/sys/info/ram_usage',
  '/sys/info/flash_usage',
  '/sys/info/cpu_usage',
  '/sys/pvs/flashwear_type_b',
];

/** The 12 livedata fields in the order the varserver lists them (also the WebSocket's field names). */
export const LIVEDATA_FIELDS = ['time', 'pv_p', 'pv_en', 'net_p', 'net_en', 'site_load_p', 'site_load_en', 'ess_en', 'ess_p', 'soc', 'backupTimeRemaining', 'midstate'] as const;
export type LivedataField = (typeof LIVEDATA_FIELDS)[number];

const PATTERNS = new Map(VARSERVER_VARIABLES.map((v) => [v.name, v]));

/** `/sys/devices/inverter/3/p3phsumKw` → `/sys/devices/inverter/{index}/p3phsumKw`; other names unchanged. */
export function variablePattern(name: string): string {
  return name.replace(/^(\/sys\/devices\/(?:inverter|meter|ess|transfer_switch)\/)\d+\//, '$1{index}/');
}

/** The table entry a concrete name falls under, if any (for this model when given). */
export function findVariable(name: string, model?: PvsModel): VarserverVariable | undefined {
  const found = PATTERNS.get(variablePattern(name));
  return found && (model === undefined || found.models.includes(model)) ? found : undefined;
}

/** The table rows a model's public list holds, in the device's order. */
export function variablesOf(model: PvsModel): readonly VarserverVariable[] {
  return VARSERVER_VARIABLES.filter((v) => v.models.includes(model));
}
