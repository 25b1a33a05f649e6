/**
 * Every lala.cgi object and key the seed documents (V3 firmware 0826) plus those the protocol notes add,
 * with wire type, array length, unit, meaning and the seed's example value, per firmware profile where
 * they differ. Evidence per key says whether the type was seen on the wire or inferred (see `Evidence`).
 *
 * Examples are the seed's decoded values, except for keys decoded as unsigned by the seed's source where
 * the wire type is signed: there the example is the signed value and a comment gives the seed's number.
 */
import { decodeValue, type WireType } from './codec.js';
import {
  array,
  availability,
  NOTES,
  RECORDED,
  scalar,
  type KeyOptions,
  type KeySpec,
  type ObjectAvailability,
  type ObjectSpec,
} from './catalogue-types.js';
import { PROFILE_IDS, type ProfileId } from './profiles.js';

const BEFORE_0826: readonly ProfileId[] = ['v21-0824', 'v3-0825'];
const ALL: readonly ProfileId[] = PROFILE_IDS;
const flag = (meaning: string, options: KeyOptions = {}) => scalar('u8', meaning, options);

export const CATALOGUE = {
  DEBUG: {
    meaning: 'Controller debug values and the list of readable objects',
    availability: availability(),
    keys: {
      CHARGE_TARGET: scalar('fl', 'Charge power target of the energy manager', { unit: 'W' }),
      DC_TARGET: scalar('fl', 'DC power target', { unit: 'W' }),
      FEED_TARGET: scalar('fl', 'Feed-in power target', { unit: 'W' }),
      PU_AVAIL: flag('Power units available'),
      SECTIONS: array('st', 'variable', 'Names of the objects that contain data (one st_<OBJECT> per object)', RECORDED),
    },
  },
  ENERGY: {
    meaning: 'Energy manager: live power flows, system state and the charge/storage-mode switches',
    availability: availability(),
    keys: {
      CAPTESTMODULE: array('fl', 4, 'Capacity test result per battery module', { example: [0, 0, 0, 0], ...RECORDED }),
      GUI_BAT_DATA_COLLECTED: flag('Battery data collected', { example: 1, ...RECORDED }),
      GUI_BAT_DATA_CURRENT: scalar('fl', 'Battery current (positive while charging)', { unit: 'A', example: -6.849999904632568, ...RECORDED }),
      GUI_BAT_DATA_FUEL_CHARGE: scalar('fl', 'Battery state of charge as shown in the GUI', { unit: '%', example: 82.82827758789062, ...RECORDED }),
      GUI_BAT_DATA_MAX_CELL_VOLTAGE: scalar('u1', 'Highest cell voltage', { unit: 'mV', example: 3929, ...RECORDED }),
      GUI_BAT_DATA_MIN_CELL_VOLTAGE: scalar('u1', 'Lowest cell voltage', { unit: 'mV', example: 3923, ...RECORDED }),
      GUI_BAT_DATA_OA_CHARGING: scalar('fl', 'Requested by pysenec; answers VARIABLE_NOT_FOUND (recorded on V2.1)', {
        unit: 'W',
        availableIn: [],
        ...RECORDED,
      }),
      GUI_BAT_DATA_POWER: scalar('fl', 'Battery power: > 0 charging, < 0 discharging', { unit: 'W', example: -376.57867431640625, ...RECORDED }),
      GUI_BAT_DATA_VOLTAGE: scalar('fl', 'Battery voltage', { unit: 'V', example: 54.974998474121094, ...RECORDED }),
      GUI_BOOSTING_INFO: flag('Boosting active', { example: 1, ...RECORDED }),
      GUI_CAP_TEST_START: scalar('u8', 'Start the capacity test (button)', { access: 'button', ...NOTES }),
      GUI_CAP_TEST_STATE: scalar('u8', 'Capacity test state', { example: 0, ...RECORDED }),
      GUI_CAP_TEST_STOP: scalar('u8', 'Stop the capacity test (button)', { access: 'button', ...NOTES }),
      GUI_CHARGING_INFO: flag('Charging active', { example: 0, ...RECORDED }),
      GUI_GRID_POW: scalar('fl', 'Grid power: > 0 import, < 0 export', { unit: 'W', example: -6.079999923706055, ...RECORDED }),
      GUI_HOUSE_POW: scalar('fl', 'House consumption ≈ PV + grid − battery', { unit: 'W', example: 370.4986877441406, ...RECORDED }),
      GUI_INIT_CHARGE_START: flag('Initial charge start', { example: 0, ...RECORDED }),
      GUI_INIT_CHARGE_STOP: flag('Initial charge stop', { example: 0, ...RECORDED }),
      // -0.0 (fl_80000000) is what the device sends for zero PV at night.
      GUI_INVERTER_POWER: scalar('fl', 'Total PV generation', { unit: 'W', example: -0, ...RECORDED }),
      GUI_TEST_CHARGE_STAT: flag('Test charge status', { example: 0, ...RECORDED }),
      GUI_TEST_DISCHARGE_STAT: flag('Test discharge status', { example: 0, ...RECORDED }),
      GRID_POWER_OFFSET: array('fl', 3, 'Grid power offset per phase (written by the disabled HA test-charge feature)', {
        unit: 'W',
        access: 'write',
        // ha-senec-v3#133 shows VARIABLE_NOT_FOUND on an NPU 2411 device.
        availableIn: ['v21-0824', 'v3-0825', 'v3-0826'],
        ...NOTES,
      }),
      INIT_CHARGE_ACK: flag('Initial charge acknowledged', { example: 0, ...RECORDED }),
      INIT_CHARGE_DIFF_VOLTAGE: scalar('fl', 'Initial charge voltage difference', { unit: 'V', example: 0, ...RECORDED }),
      INIT_CHARGE_MAX_CURRENT: scalar('fl', 'Initial charge maximum current', { unit: 'A', example: 0, ...RECORDED }),
      INIT_CHARGE_MAX_VOLTAGE: scalar('fl', 'Initial charge maximum voltage', { unit: 'V', example: 0, ...RECORDED }),
      INIT_CHARGE_MIN_VOLTAGE: scalar('fl', 'Initial charge minimum voltage', { unit: 'V', example: 0, ...RECORDED }),
      INIT_CHARGE_RERUN: flag('Initial charge rerun', { example: 0, ...RECORDED }),
      INIT_CHARGE_RUNNING: flag('Initial charge running', { example: 0, ...RECORDED }),
      INIT_CHARGE_STATE: scalar('u8', 'Initial charge state', { example: 0, ...RECORDED }),
      INIT_CHARGE_TIMER: scalar('u6', 'Initial charge timer', { example: 0, ...RECORDED }),
      INIT_DISCHARGE_MAX_CURRENT: scalar('fl', 'Initial discharge maximum current', { unit: 'A', example: 0 }),
      LI_STORAGE_MODE_RUNNING: flag('Lithium storage mode running (follows START/STOP after a delay)', { example: 0, ...RECORDED }),
      LI_STORAGE_MODE_START: scalar('u8', 'Start lithium storage mode (button)', { access: 'button', example: 0, ...RECORDED }),
      LI_STORAGE_MODE_STOP: scalar('u8', 'Stop lithium storage mode (button)', { access: 'button', example: 0, ...RECORDED }),
      OFFPEAK_DURATION: scalar('u1', 'Off-peak charging duration', { example: 0, ...RECORDED }),
      OFFPEAK_POWER: scalar('fl', 'Off-peak charging power', { unit: 'W', example: 0 }),
      OFFPEAK_RUNNING: flag('Off-peak charging running', { example: 0, ...RECORDED }),
      OFFPEAK_TARGET: scalar('u8', 'Off-peak charging target state of charge', { unit: '%', example: 100, ...RECORDED }),
      SAFE_CHARGE_FORCE: scalar('u8', 'Force a full charge from the grid ("Akku Volladung") (button)', { access: 'button', example: 0, ...RECORDED }),
      SAFE_CHARGE_PROHIBIT: scalar('u8', 'End the forced charge, back to self-consumption (button)', { access: 'button', example: 0, ...RECORDED }),
      SAFE_CHARGE_RUNNING: flag('Forced charge running (follows FORCE/PROHIBIT after a delay)', { example: 0, ...RECORDED }),
      STAT_HOURS_OF_OPERATION: scalar('u3', 'Hours since the system was activated', { unit: 'h', example: 9993, ...RECORDED }),
      STAT_LIMITED_NET_SKEW: flag('Feed-in limited by the grid power rule', { example: 0, ...RECORDED }),
      STAT_MAINT_REQUIRED: flag('Maintenance required (V2.1)', { availableIn: ['v21-0824'], ...RECORDED }),
      STAT_STATE: scalar('u8', 'System state', { enum: 'STAT_STATE', example: 16, ...RECORDED }),
      STAT_STATE_DECODE: scalar('u8', 'System state as shown (V2.1; mirrors STAT_STATE)', { enum: 'STAT_STATE', availableIn: ['v21-0824'], ...RECORDED }),
      TEST_CHARGE_ENABLE: scalar('u8', 'Enable the test charge (written by the disabled HA test-charge feature)', { access: 'write', ...NOTES }),
      VPP_ACTIVATE_EXPORT_LIMIT: flag('Virtual power plant: export limit active', { example: 0 }),
      VPP_ACTIVATE_TARGET_POWER: flag('Virtual power plant: target power active', { example: 0 }),
      VPP_DAILY_PARAMETER_RESET: flag('Virtual power plant: reset parameters daily', { example: 1 }),
      VPP_ENDTIME_HOUR: scalar('u8', 'Virtual power plant window end hour', { unit: 'h', example: 0 }),
      VPP_ENDTIME_MINUTE: scalar('u8', 'Virtual power plant window end minute', { unit: 'min', example: 0 }),
      VPP_EXPORT_LIMIT: scalar('u1', 'Virtual power plant export limit', { example: 0 }),
      VPP_IGNORE_COUNTRY_TYPE: flag('Virtual power plant: ignore country type', { example: 0 }),
      VPP_IS_ACTIVE: flag('Virtual power plant control active', { example: 0 }),
      VPP_LAST_CHANGE_UTC: scalar('u3', 'Virtual power plant: last change (Unix time, UTC)', { unit: 's', example: 0 }),
      VPP_STARTTIME_HOUR: scalar('u8', 'Virtual power plant window start hour', { unit: 'h', example: 0 }),
      VPP_STARTTIME_MINUTE: scalar('u8', 'Virtual power plant window start minute', { unit: 'min', example: 0 }),
      VPP_TARGET_POWER: scalar('fl', 'Virtual power plant target power', { unit: 'W', example: 0 }),
      ZERO_EXPORT: flag('Zero-export mode', { example: 0, ...RECORDED }),
    },
  },
  FEATURES: {
    meaning: 'Licensed/installed features',
    availability: availability(),
    keys: {
      CAR: flag('Wallbox can be installed', { example: 1, ...RECORDED }),
      CLOUDREADY: flag('Cloud ready', { example: 1, ...RECORDED }),
      ECOGRIDREADY: flag('Eco grid ready', { example: 1, ...RECORDED }),
      HEAT: flag('Heat module (e.g. ASKOHEAT) can be connected', { example: 1, ...RECORDED }),
      ISLAND: flag('Backup power module installed', { example: 1, ...RECORDED }),
      ISLAND_PRO: flag('Backup power pro module installed', { example: 1, ...RECORDED }),
      PEAKSHAVING: flag('Peak shaving possible', { example: 1, ...RECORDED }),
      SGREADY: flag('Smart-grid ready', { example: 1, ...RECORDED }),
      SHKW: flag('Solar heating power plant', { example: 0, ...RECORDED }),
      SOCKETS: flag('Switchable sockets', { example: 0, ...RECORDED }),
    },
  },
  FILE: {
    meaning: 'File access; returns an empty object',
    availability: availability({ empty: ALL }),
    keys: {},
  },
  LOG: {
    meaning: 'Installer login',
    availability: availability(),
    keys: {
      LOG_IN_BUTT: scalar('u8', 'Log in with USERNAME/PASSWORD (button)', { access: 'button', example: 0, ...RECORDED }),
      LOG_IN_NOK_COUNT: scalar('u8', 'Number of failed login attempts', { example: 0 }),
      LOG_OUT_BUTT: scalar('u8', 'Log out (button)', { access: 'button', example: 0, ...RECORDED }),
      PASSWORD: scalar('st', 'Password for the next login', { access: 'write', example: '', ...RECORDED }),
      USERNAME: scalar('st', 'User name for the next login', { access: 'write', example: '', ...RECORDED }),
      USER_LEVEL: scalar('u8', 'Current user level (≥ 2: installer)', { example: 0, ...RECORDED }),
    },
  },
  DISPLAYSYS_UPDATE: {
    meaning: 'Unknown; answers OBJECT_NOT_FOUND on V3',
    availability: availability({ notFound: ALL }),
    keys: {},
  },
  WIZARD: {
    meaning: 'Installation wizard settings, versions and network configuration',
    availability: availability(),
    keys: {
      APPLICATION_HASH: scalar('st', 'Hash of the application build', { example: '05feefa49abec4a123f6883386a48497562caa8', ...RECORDED }),
      APPLICATION_VERSION: scalar('st', 'Application (MCU) version, e.g. 0826', { example: '1824', ...RECORDED }),
      BATT_IPU_MISMATCH: flag('Battery and IPU do not match', { example: 0 }),
      BOOT: flag('Boot flag', { example: 1 }),
      CHARGE_PRIO: scalar('u8', 'Charge priority', { example: 0 }),
      CONFIG_CHECKSUM: scalar('u1', 'Configuration checksum', { example: 40231 }),
      CONFIG_LOADED: flag('Configuration loaded', { example: 1 }),
      CONFIG_MODIFIED_BY_USER: flag('Configuration modified by the user', { example: 0 }),
      CONFIG_WRITE: flag('Write configuration', { example: 0 }),
      DEVICE_BATTERY_TYPE: scalar('u8', 'Battery type', { enum: 'BAT_TYPE', example: 4 }),
      DEVICE_INVERTER_TYPE: scalar('u8', 'Inverter model', { example: 66 }),
      DEVICE_INV_ENABLED: array('u8', 6, 'External inverter enabled, per slot', { example: [1, 0, 0, 0, 0, 0] }),
      DEVICE_INV_PHASES_ARR: array('u8', 6, 'External inverter phases, per slot', { example: [4, 4, 4, 4, 4, 4] }),
      DEVICE_INV_SLAVE_ADRESS: array('u8', 6, 'External inverter bus address, per slot', { example: [1, 4, 5, 6, 7, 8] }),
      DEVICE_PM_GRID_ENABLED: flag('Grid power meter enabled', { example: 1 }),
      DEVICE_PM_HOUSE_ENABLED: flag('House power meter enabled', { example: 0 }),
      DEVICE_PM_TYPE: scalar('u8', 'Power meter type', { example: 1 }),
      DEVICE_WB_TYPE: scalar('u8', 'Wallbox type', { example: 0 }),
      FEATURECODE_ENTERED: flag('Feature code entered', { example: 0 }),
      FIRMWARE_VERSION: scalar('st', 'Firmware version', { example: '954', ...NOTES }),
      GENERATION_METER_SN: scalar('u3', 'Generation meter serial number', { example: 0 }),
      GRID_CONNECTION_TYPE: scalar('u8', 'Grid connection type', { example: 2 }),
      GUI_LANG: scalar('u8', 'GUI language', { example: 0 }),
      HEATPUMP_METER_SN: scalar('u3', 'Heat pump meter serial number', { example: 0 }),
      HEAT_CONN_TYPE: scalar('u8', 'Heat module connection type', { example: 2 }),
      INSULATION_RESISTANCE: scalar('u1', 'Insulation resistance threshold', { unit: 'kΩ', example: 1000 }),
      INTERFACE_VERSION: scalar('st', 'GUI/interface version', { example: '1964', ...NOTES }),
      LOGGER_SEVERITY: scalar('u8', 'Log level', { example: 8 }),
      MAC_ADDRESS_BYTES: array('u8', 6, 'MAC address, one byte per element', { example: [10, 21, 246, 11, 222, 116], ...NOTES }),
      MASTER_SLAVE_ADDRESSES: array('u8', 6, 'Cascade addresses', { example: [0, 0, 0, 0, 0, 0], ...RECORDED }),
      MASTER_SLAVE_MODE: scalar('u8', 'Cascade master/slave mode', { example: 0, ...RECORDED }),
      POWER_METER_SERIAL: scalar('u3', 'Power meter serial number', { example: 0 }),
      PS_ENABLE: flag('Peak shaving enabled', { example: 0, ...RECORDED }),
      PS_HOUR: scalar('u8', 'Peak shaving hour', { unit: 'h', example: 0, ...RECORDED }),
      PS_MINUTE: scalar('u8', 'Peak shaving minute', { unit: 'min', example: 0, ...RECORDED }),
      PS_RESERVOIR: scalar('u8', 'Peak shaving reserve', { unit: '%', example: 0, ...RECORDED }),
      PV_CONFIG: array('u8', 2, 'PV string configuration per MPP tracker', { example: [1, 1], ...RECORDED }),
      PWRCFG_PEAK_PV_POWER: scalar('fl', 'Installed peak PV power', { unit: 'W', example: 9500, ...RECORDED }),
      SENEC_METER_SN: scalar('u3', 'SENEC meter serial number', { example: 0 }),
      SETUP_ABS_POWER: scalar('u3', 'Absolute feed-in limit', { unit: 'W', example: 0, ...RECORDED }),
      SETUP_HV_PHASE: scalar('u8', 'High-voltage phase', { example: 0, ...RECORDED }),
      SETUP_NUMBER_WALLBOXES: scalar('u8', 'Number of wallboxes', { example: 0, ...RECORDED }),
      SETUP_PM_GRID_ADR: scalar('u8', 'Grid power meter address', { example: 1, ...RECORDED }),
      SETUP_PM_HOUSE_ADR: scalar('u8', 'House power meter address', { example: 2, ...RECORDED }),
      SETUP_POWER_RULE: scalar('u8', 'Feed-in limit relative to peak PV power', { unit: '%', example: 100, ...RECORDED }),
      SETUP_PV_INV_IP0: scalar('u3', 'External PV inverter 0 IP address (first octet in the low byte)', { example: 0, ...RECORDED }),
      SETUP_PV_INV_IP1: scalar('u3', 'External PV inverter 1 IP address (first octet in the low byte)', { example: 0, ...RECORDED }),
      SETUP_PV_INV_IP2: scalar('u3', 'External PV inverter 2 IP address (first octet in the low byte)', { example: 0, ...RECORDED }),
      SETUP_PV_INV_IP3: scalar('u3', 'External PV inverter 3 IP address (first octet in the low byte)', { example: 0, ...RECORDED }),
      SETUP_PV_INV_IP4: scalar('u3', 'External PV inverter 4 IP address (first octet in the low byte)', { example: 0, ...RECORDED }),
      SETUP_PV_INV_IP5: scalar('u3', 'External PV inverter 5 IP address (first octet in the low byte)', { example: 0, ...RECORDED }),
      SETUP_RCR_STEPS: array('u1', 4, 'Ripple control receiver power steps', { unit: '%', example: [0, 30, 60, 100], ...RECORDED }),
      SETUP_USED_PHASE: scalar('u8', 'Phase the system is connected to', { example: 1, ...RECORDED }),
      SETUP_USE_ABS_POWER: flag('Use the absolute feed-in limit', { example: 0, ...RECORDED }),
      SETUP_USE_DRM0: flag('Use DRM0 (demand response mode 0)', { example: 0, ...RECORDED }),
      SETUP_USE_RCR: flag('Use the ripple control receiver', { example: 0, ...RECORDED }),
      SETUP_WALLBOX_SERIAL0: scalar('st', 'Wallbox 0 serial number', { example: '', ...RECORDED }),
      SETUP_WALLBOX_SERIAL1: scalar('st', 'Wallbox 1 serial number', { example: '', ...RECORDED }),
      SETUP_WALLBOX_SERIAL2: scalar('st', 'Wallbox 2 serial number', { example: '', ...RECORDED }),
      SETUP_WALLBOX_SERIAL3: scalar('st', 'Wallbox 3 serial number', { example: '', ...RECORDED }),
      SG_READY_CURR_MODE: scalar('u8', 'SG Ready current mode', { example: 1, ...RECORDED }),
      SG_READY_ENABLED: flag('SG Ready enabled', { example: 0, ...RECORDED }),
      SG_READY_ENABLE_OVERWRITE: flag('SG Ready manual overwrite enabled', { example: 0, ...RECORDED }),
      SG_READY_EN_MODE1: flag('SG Ready mode 1 enabled', { example: 0, ...RECORDED }),
      SG_READY_OVERWRITE_RELAY: array('u8', 2, 'SG Ready relay overwrite', { example: [0, 0], ...RECORDED }),
      SG_READY_POWER_COMM: scalar('u1', 'SG Ready power threshold (command mode)', { unit: 'W', example: 65535, ...RECORDED }),
      SG_READY_POWER_PROP: scalar('u1', 'SG Ready power threshold (proposal mode)', { unit: 'W', example: 65535, ...RECORDED }),
      SG_READY_TIME: scalar('u1', 'SG Ready minimum time', { unit: 'min', example: 720, ...RECORDED }),
      TEST_EG_METER: flag('Test the EG meter', { example: 0 }),
      TEST_GENERATION_METER: flag('Test the generation meter', { example: 0 }),
      TEST_HEATPUMP_METER: flag('Test the heat pump meter', { example: 0 }),
      TEST_SENEC_METER: flag('Test the SENEC meter', { example: 0 }),
      ZEROMODULE: flag('Zero module', { example: 0, ...RECORDED }),
    },
  },
  BMS: {
    meaning: 'Battery management system: per-module arrays (4 slots, modules A–D)',
    availability: availability(),
    keys: {
      ALARM_STATUS: array('u1', 4, 'Alarm status bits per module', { example: [0, 0, 0, 0], ...RECORDED }),
      BATTERY_STATUS: array('u1', 4, 'Battery status per module', { example: [0, 0, 0, 0], ...RECORDED }),
      BL: array('u1', 4, 'Bootloader version per module', { example: [12480, 12480, 12480, 0], ...RECORDED }),
      BMS_READY_FLAG: flag('BMS ready', { example: 1, ...RECORDED }),
      BMS_STATUS: scalar('u8', 'BMS status', { enum: 'BMS_STATUS', example: 1 }),
      BMS_STATUS_TIMESTAMP: scalar('u3', 'Time of the last BMS status change (Unix time)', { unit: 's', example: 1689953960 }),
      CELL_BALANCE_STATUS: array('u1', 4, 'Cell balancing status per module', { example: [0, 0, 0, 0] }),
      CELL_TEMPERATURES_MODULE_A: array('i8', 6, 'Cell temperatures of module A (one per sensor)', { unit: '°C', example: [30, 30, 31, 30, 31, 31] }),
      CELL_TEMPERATURES_MODULE_B: array('i8', 6, 'Cell temperatures of module B (one per sensor)', { unit: '°C', example: [30, 30, 31, 31, 31, 31] }),
      CELL_TEMPERATURES_MODULE_C: array('i8', 6, 'Cell temperatures of module C (one per sensor)', { unit: '°C', example: [31, 31, 32, 32, 32, 32] }),
      CELL_TEMPERATURES_MODULE_D: array('i8', 6, 'Cell temperatures of module D (one per sensor)', { unit: '°C', example: [0, 0, 0, 0, 0, 0] }),
      CELL_VOLTAGES_MODULE_A: array('u1', 14, 'Cell voltages of module A (16 cells on LFP)', {
        unit: 'mV',
        lengthIn: { 'v3-npu2411': 16 },
        example: [3926, 3926, 3926, 3926, 3926, 3926, 3925, 3923, 3926, 3926, 3926, 3927, 3926, 3927],
        ...RECORDED,
      }),
      CELL_VOLTAGES_MODULE_B: array('u1', 14, 'Cell voltages of module B (16 cells on LFP)', {
        unit: 'mV',
        lengthIn: { 'v3-npu2411': 16 },
        example: [3928, 3926, 3926, 3926, 3926, 3927, 3926, 3923, 3927, 3926, 3927, 3927, 3927, 3928],
        ...RECORDED,
      }),
      CELL_VOLTAGES_MODULE_C: array('u1', 14, 'Cell voltages of module C (16 cells on LFP)', {
        unit: 'mV',
        lengthIn: { 'v3-npu2411': 16 },
        example: [3929, 3929, 3928, 3928, 3928, 3929, 3928, 3926, 3928, 3928, 3928, 3928, 3928, 3929],
        ...RECORDED,
      }),
      CELL_VOLTAGES_MODULE_D: array('u1', 14, 'Cell voltages of module D (16 cells on LFP)', {
        unit: 'mV',
        lengthIn: { 'v3-npu2411': 16 },
        example: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ...RECORDED,
      }),
      CHARGED_ENERGY: array('u3', 4, 'Energy charged per module (lifetime)', { unit: 'Wh', example: [60293836, 307496975, 267112777, 0], ...RECORDED }),
      CHARGE_CURRENT_LIMIT: array('fl', 4, 'Charge current limit per module', { unit: 'A', example: [12, 12, 12, 0], ...RECORDED }),
      COMMERRCOUNT: scalar('u1', 'BMS communication error count', { example: 0, ...RECORDED }),
      CURRENT: array('fl', 4, 'Current per module', {
        unit: 'A',
        example: [-2.2799999713897705, -2.2899999618530273, -2.2799999713897705, 0],
        ...RECORDED,
      }),
      CYCLES: array('u1', 4, 'Charge cycles per module', { example: [27, 29, 14, 0], ...RECORDED }),
      DERATING: flag('Power derating active', { example: 0, ...RECORDED }),
      DISCHARGED_ENERGY: array('u3', 4, 'Energy discharged per module (lifetime)', { unit: 'Wh', example: [290682267, 291850974, 30869157, 0], ...RECORDED }),
      DISCHARGE_CURRENT_LIMIT: array('fl', 4, 'Discharge current limit per module (negative)', { unit: 'A', example: [-24, -24, -24, 0] }),
      ERROR: scalar('u8', 'BMS error', { example: 0 }),
      FAULTLINECOUNT: scalar('u1', 'Fault line count', { example: 2 }),
      FW: array('u1', 4, 'Firmware version per module', { example: [39637, 39637, 39637, 0] }),
      HW_EXTENSION: array('u1', 4, 'Extension board hardware revision per module', { example: [2, 2, 2, 0] }),
      HW_MAINBOARD: array('u1', 4, 'Mainboard hardware revision per module', { example: [3002, 3002, 3002, 0], ...RECORDED }),
      MANUFACTURER: scalar('u8', 'Module manufacturer', { example: 2, ...RECORDED }),
      MAX_CELL_VOLTAGE: array('u1', 4, 'Highest cell voltage per module', { unit: 'mV', example: [3927, 3928, 3929, 0], ...RECORDED }),
      MAX_TEMP: scalar('i1', 'Highest battery temperature', { unit: '°C', scale: 0.1, example: 320, ...RECORDED }),
      MIN_CELL_VOLTAGE: array('u1', 4, 'Lowest cell voltage per module', { unit: 'mV', example: [3923, 3923, 3926, 0], ...RECORDED }),
      MIN_TEMP: scalar('i1', 'Lowest battery temperature', { unit: '°C', scale: 0.1, example: 300, ...RECORDED }),
      MODULES_CONFIGURED: scalar('u8', 'Number of configured modules', { example: 3, ...RECORDED }),
      MODULE_COUNT: scalar('u8', 'Number of battery modules', { example: 3, ...RECORDED }),
      NOM_CHARGEPOWER_MODULE: scalar('fl', 'Nominal charge power per module', { unit: 'W', example: 625, ...RECORDED }),
      NOM_DISCHARGEPOWER_MODULE: scalar('fl', 'Nominal discharge power per module', { unit: 'W', example: 1250, ...RECORDED }),
      NR_INSTALLED: scalar('u8', 'Number of installed batteries', { example: 3, ...RECORDED }),
      PROTOCOL: scalar('u1', 'BMS protocol', { example: 0, ...RECORDED }),
      RECOVERLOCKED: flag('Recovery locked', { example: 0, ...RECORDED }),
      SERIAL: array('st', 4, 'Serial number per module (often empty)', { example: ['', '', '', ''], ...RECORDED }),
      SN: array('u3', 4, 'Numeric serial number per module', { example: [44043416, 44043417, 44043418, 0], ...RECORDED }),
      SOC: array('u1', 4, 'State of charge per module', { unit: '%', example: [83, 83, 83, 0], ...RECORDED }),
      SOH: array('u8', 4, 'State of health per module', { unit: '%', example: [99, 99, 99, 0], ...RECORDED }),
      STATUS: array('u3', 4, 'Status per module', { example: [1, 1, 1, 0], ...RECORDED }),
      SYSTEM_SOC: scalar('u1', 'System state of charge', { unit: '%', scale: 0.1, example: 830, ...RECORDED }),
      TEMP_MAX: array('i8', 4, 'Highest temperature per module', { unit: '°C', example: [31, 31, 32, 0], ...RECORDED }),
      TEMP_MIN: array('i8', 4, 'Lowest temperature per module', { unit: '°C', example: [30, 30, 31, 0], ...RECORDED }),
      TF_ERROR: flag('TF error', { example: 0 }),
      VOLTAGE: array('fl', 4, 'Voltage per module', {
        unit: 'V',
        example: [54.96200180053711, 54.970001220703125, 54.99399948120117, 0],
        ...RECORDED,
      }),
      WIZARD_ABORT: flag('BMS wizard: abort', { example: 1, ...RECORDED }),
      WIZARD_CONFIRM: flag('BMS wizard: confirm', { example: 0, ...RECORDED }),
      WIZARD_DCCONNECT: scalar('u1', 'BMS wizard: DC connect', { example: 0, ...RECORDED }),
      WIZARD_START: flag('BMS wizard: start', { example: 0, ...RECORDED }),
      WIZARD_STATE: scalar('u8', 'BMS wizard state', { example: 0, ...RECORDED }),
    },
  },
  BAT1: {
    meaning: 'Battery inverter: type, reserve capacity, self-test (8 steps)',
    availability: availability(),
    keys: {
      CEI_LIMIT: scalar('u1', 'CEI (Italian grid code) limit', { example: 0, ...RECORDED }),
      DRM0_ASSERT: flag('DRM0 asserted', { example: 0, ...RECORDED }),
      ISLAND_ENABLE: flag('Backup power available', { example: 1, ...RECORDED }),
      NSP2_FW: scalar('u1', 'Grid protection (NSP) 2 firmware', { example: 6, ...RECORDED }),
      NSP_FW: scalar('u1', 'Grid protection (NSP) firmware', { example: 10, ...RECORDED }),
      RESET: flag('Reset', { example: 0, ...RECORDED }),
      SELFTEST_ACT: array('fl', 8, 'Self-test measured value per step', { example: [0, 0, 0, 0, 0, 0, 0, 0], ...RECORDED }),
      SELFTEST_LIMIT: array('fl', 8, 'Self-test limit per step', { example: [0, 0, 0, 0, 0, 0, 0, 0], ...RECORDED }),
      SELFTEST_OFF: array('fl', 8, 'Self-test switch-off value per step', { example: [0, 0, 0, 0, 0, 0, 0, 0], ...RECORDED }),
      SELFTEST_OVERALL_STATE: scalar('u8', 'Overall self-test result', { enum: 'SELFTEST_RESULT', example: 5, ...RECORDED }),
      SELFTEST_STATE: array('u8', 8, 'Self-test result per step', { enum: 'SELFTEST_RESULT', example: [0, 0, 0, 0, 0, 0, 0, 0], ...RECORDED }),
      SELFTEST_STEP: array('st', 8, 'Self-test step label per step (usually empty)', { example: ['', '', '', '', '', '', '', ''], ...RECORDED }),
      SELFTEST_TIME: array('u1', 8, 'Self-test trip time per step', { unit: 'ms', example: [0, 0, 0, 0, 0, 0, 0, 0], ...RECORDED }),
      SERIAL: scalar('st', 'Battery inverter serial number', { example: '783234JD028547840519', ...RECORDED }),
      SPARE_CAPACITY: scalar('u8', 'Reserve capacity kept for backup power', { unit: '%', example: 15, ...RECORDED }),
      TRIG_ITALY_SELF: flag('Trigger the Italian self-test', { example: 0, ...RECORDED }),
      TYPE: scalar('u8', 'Battery inverter type (3 = V2.1, 4 = V3 LV)', { enum: 'BAT_TYPE', example: 4, ...RECORDED }),
    },
  },
  BAT1OBJ1: {
    meaning: 'Battery inverter measurements',
    availability: availability(),
    keys: {
      COMM: flag('Communication status', { example: 0, ...RECORDED }),
      I_DC: scalar('fl', 'DC current', { unit: 'A', example: -6.744999885559082, ...RECORDED }),
      P: scalar('i1', 'Active power', { example: 0, ...RECORDED }),
      Q: scalar('i1', 'Reactive power', { example: 0, ...RECORDED }),
      S: scalar('i1', 'Apparent power', { example: 0, ...RECORDED }),
      SW_VERSION: scalar('u3', 'Software version (packed)', { example: 51380244, ...RECORDED }),
      SW_VERSION2: scalar('u3', 'Software version 2 (packed)', { example: 67305482, ...RECORDED }),
      SW_VERSION3: scalar('u3', 'Software version 3 (packed)', { example: 84148230, ...RECORDED }),
      TEMP1: scalar('u1', 'Temperature 1', { unit: '°C', example: 42, ...RECORDED }),
      TEMP2: scalar('u1', 'Temperature 2', { unit: '°C', example: 49, ...RECORDED }),
      TEMP3: scalar('u1', 'Temperature 3', { unit: '°C', example: 0, ...RECORDED }),
      TEMP4: scalar('u1', 'Temperature 4', { unit: '°C', example: 0, ...RECORDED }),
      TEMP5: scalar('u1', 'Temperature 5', { unit: '°C', example: 0, ...RECORDED }),
      U_DC: scalar('fl', 'DC voltage', { unit: 'V', example: 54.85300064086914, ...RECORDED }),
    },
  },
  BAT1OBJ2: { meaning: 'Answers OBJECT_NOT_FOUND on V3', availability: availability({ notFound: ALL }), keys: {} },
  BAT1OBJ3: { meaning: 'Answers OBJECT_NOT_FOUND on V3', availability: availability({ notFound: ALL }), keys: {} },
  BAT1OBJ4: { meaning: 'Answers OBJECT_NOT_FOUND on V3', availability: availability({ notFound: ALL }), keys: {} },
  PWR_UNIT: {
    meaning: 'External power units (SENEC.Heat, SHKW), six slots',
    availability: availability(),
    keys: {
      ADRESS: array('u8', 6, 'Bus address per unit', { example: [0, 0, 0, 0, 0, 0] }),
      CONNPWR: array('fl', 6, 'Connected power per unit', { unit: 'W', example: [0, 0, 0, 0, 0, 0] }),
      CONNPWR_1: array('fl', 6, 'Connected power, stage 1', { unit: 'W', example: [0, 0, 0, 0, 0, 0], ...RECORDED }),
      CONNPWR_2: array('fl', 6, 'Connected power, stage 2', { unit: 'W', example: [0, 0, 0, 0, 0, 0], ...RECORDED }),
      CONNPWR_3: array('fl', 6, 'Connected power, stage 3', { unit: 'W', example: [0, 0, 0, 0, 0, 0], ...RECORDED }),
      CURRENTTEMP_MAX: array('fl', 6, 'Current maximum temperature', { unit: '°C', example: [0, 0, 0, 0, 0, 0], ...RECORDED }),
      CURRENTTEMP_MAX_HW: array('fl', 6, 'Current maximum hardware temperature', { unit: '°C', example: [0, 0, 0, 0, 0, 0], ...RECORDED }),
      CURRENTTEMP_MIN: array('fl', 6, 'Current minimum temperature', { unit: '°C', example: [0, 0, 0, 0, 0, 0], ...RECORDED }),
      CURRENTTEMP_MIN_HW: array('fl', 6, 'Current minimum hardware temperature', { unit: '°C', example: [0, 0, 0, 0, 0, 0], ...RECORDED }),
      ENFLURI: array('u8', 6, 'Power meter (ENFLURI) assignment', { example: [0, 0, 0, 0, 0, 0], ...RECORDED }),
      FW_VER: array('u1', 6, 'Firmware version per unit', { example: [0, 0, 0, 0, 0, 0], ...RECORDED }),
      HW_REV: array('u1', 6, 'Hardware revision per unit', { example: [0, 0, 0, 0, 0, 0], ...RECORDED }),
      POWER: array('fl', 6, 'Power per unit', { unit: 'W', example: [0, 0, 0, 0, 0, 0], ...RECORDED }),
      POWER_L1: array('fl', 6, 'Power on L1 per unit', { unit: 'W', example: [0, 0, 0, 0, 0, 0], ...RECORDED }),
      POWER_L2: array('fl', 6, 'Power on L2 per unit', { unit: 'W', example: [0, 0, 0, 0, 0, 0], ...RECORDED }),
      POWER_L3: array('fl', 6, 'Power on L3 per unit', { unit: 'W', example: [0, 0, 0, 0, 0, 0], ...RECORDED }),
      PU_MISSING: flag('A configured power unit is missing', { example: 0, ...RECORDED }),
      REQ_POWER: array('fl', 6, 'Requested power per unit', { unit: 'W', example: [0, 0, 0, 0, 0, 0], ...RECORDED }),
      SERIAL: array('st', 6, 'Serial number per unit', { example: ['', '', '', '', '', ''] }),
      STATUS: array('u8', 6, 'Status per unit', { example: [0, 1, 2, 3, 4, 5] }),
      TEMPMAX: array('fl', 6, 'Maximum temperature setting', { unit: '°C', example: [0, 0, 0, 0, 0, 0] }),
      TEMPMIN: array('fl', 6, 'Minimum temperature setting', { unit: '°C', example: [0, 0, 0, 0, 0, 0] }),
      TEMPTARGET: array('fl', 6, 'Target temperature', { unit: '°C', example: [0, 0, 0, 0, 0, 0] }),
      TEMP_COUNT: array('u8', 6, 'Number of temperature sensors', { example: [0, 0, 0, 0, 0, 0] }),
      TEMP_LIMIT_LOWER: scalar('fl', 'Lower temperature limit', { unit: '°C', example: 0 }),
      TEMP_LIMIT_UPPER: scalar('fl', 'Upper temperature limit', { unit: '°C', example: 100 }),
      TYPE: array('u8', 6, 'Unit type', { enum: 'PWR_UNIT_TYPE', example: [0, 0, 0, 0, 0, 0] }),
      WATERVOL: array('u1', 6, 'Water volume (heat units)', { example: [0, 0, 0, 0, 0, 0] }),
    },
  },
  PV1: {
    meaning: 'Built-in PV inverter (MPP trackers) and external inverters',
    availability: availability(),
    keys: {
      ERROR_STATE_INT: array('u3', 2, 'Internal inverter error state', { example: [0, 0] }),
      INTERNAL_INV_ERROR_TEXT: array('st', 2, 'Internal inverter error text', { example: ['', ''] }),
      INTERNAL_INV_ERR_STATE_VALID: array('u8', 2, 'Internal inverter error state valid', { example: [1, 0] }),
      INTERNAL_INV_STATE: array('u8', 2, 'Internal inverter state', { example: [2, 5] }),
      INTERNAL_MD_AVAIL: array('u8', 2, 'Internal inverter model data available', { example: [1, 0] }),
      INTERNAL_MD_MANUFACTURER: array('st', 2, 'Internal inverter manufacturer', { example: ['Senec', ''] }),
      INTERNAL_MD_MODEL: array('st', 2, 'Internal inverter model', { example: ['V3 LV', ''] }),
      INTERNAL_MD_SERIAL: array('st', 2, 'Internal inverter serial number', { example: ['7a7553H304H544250424', ''] }),
      INTERNAL_MD_VERSION: array('st', 2, 'Internal inverter firmware versions', { example: ['HMI: 3.16.20 PU: 4.3.10 BDC: 5.4.6', ''] }),
      INTERNAL_PV_AVAIL: flag('Internal PV inverter available', { example: 1 }),
      INV_MODEL: array('st', 'variable', 'External inverter models', { endMarker: true, example: ['', '', 'END_OF_ARRAY'], ...NOTES }),
      INV_SERIAL: array('st', 'variable', 'External inverter serial numbers', { endMarker: true, example: ['', '', 'END_OF_ARRAY'], ...NOTES }),
      INV_VERSIONS: array('st', 'variable', 'External inverter versions', {
        endMarker: true,
        example: ['HMI: 3.16.20 PU: 4.3.10', '', 'END_OF_ARRAY'],
        ...NOTES,
      }),
      MPP_AVAIL: scalar('u8', 'Number of available MPP trackers', { example: 2 }),
      MPP_CUR: array('fl', 3, 'Current per MPP tracker', { unit: 'A', example: [0, 0, 0] }),
      MPP_POWER: array('fl', 3, 'Power per MPP tracker', { unit: 'W', example: [0, 0, 0], ...RECORDED }),
      MPP_VOL: array('fl', 3, 'Voltage per MPP tracker', { unit: 'V', example: [60.202003479003906, 66.80500030517578, 0] }),
      POWER_RATIO: scalar('fl', 'PV power limit (u3 on V2.1)', { unit: '%', example: 100, typeIn: { 'v21-0824': 'u3' }, ...RECORDED }),
      POWER_RATIO_L1: scalar('fl', 'PV power limit on L1', { unit: '%', example: 100 }),
      POWER_RATIO_L2: scalar('fl', 'PV power limit on L2', { unit: '%', example: 100 }),
      POWER_RATIO_L3: scalar('fl', 'PV power limit on L3', { unit: '%', example: 100 }),
      PV_MISSING: flag('A configured PV inverter is missing', { example: 0 }),
      P_TOTAL: scalar('fl', 'Total PV power', { unit: 'W', example: 0 }),
      STATE_INT: array('u1', 2, 'Internal inverter start-up state (same codes as STECA.STARTUP)', { enum: 'STECA_STARTUP', example: [272, 0] }),
      TYPE: scalar('u8', 'Inverter type', { example: 66 }),
    },
  },
  BMS_PARA: {
    meaning: 'BMS parameters',
    availability: availability(),
    keys: {
      FORCE_BMS_ERROR: flag('Force a BMS error', { example: 0 }),
      FORCE_OP_MODE: flag('Force the operational mode', { example: 0 }),
      FULL_CELL_VOLTAGE_MV: scalar('u1', 'Full cell voltage', { unit: 'mV', example: 4069 }),
      MAX_BATTERY_TEMP_LIMIT_DEG: scalar('u8', 'Maximum battery temperature', { unit: '°C', example: 45 }),
      MAX_MODULE_CHARGE_CURRENT_LIMIT_A: scalar('i1', 'Maximum charge current per module', { unit: 'A', example: 12 }),
      // The seed shows 65512: i1_FFE8 read as unsigned. −24 A matches BMS.DISCHARGE_CURRENT_LIMIT.
      MAX_MODULE_DISCHARGE_CURRENT_LIMIT_A: scalar('i1', 'Maximum discharge current per module (negative)', { unit: 'A', example: -24 }),
      OPERATIONAL_MODE: scalar('u8', 'Operational mode', { example: 2 }),
      USE_ROA_PARAMETER: flag('Use ROA parameters', { example: 0 }),
    },
  },
  CASC: {
    meaning: 'Cascade (several storage systems), six slots',
    availability: availability(),
    keys: {
      BATPOWERSUM: scalar('fl', 'Sum of battery power', { unit: 'W', example: -376.0310363769531 }),
      POWER: array('fl', 6, 'Power per system', { unit: 'W', example: [0, 0, 0, 0, 0, 0] }),
      PVGEN: array('fl', 6, 'PV generation per system', { unit: 'W', example: [0, 0, 0, 0, 0, 0] }),
      PVMASTER: scalar('fl', 'PV generation of the master', { unit: 'W', example: 0 }),
      SOC: array('fl', 6, 'State of charge per system', { unit: '%', example: [100, 100, 100, 100, 100, 100] }),
      STATE: array('u8', 6, 'State per system', { example: [0, 0, 0, 0, 0, 0] }),
      TARGET: array('fl', 6, 'Target power per system', { unit: 'W', example: [0, 0, 0, 0, 0, 0] }),
    },
  },
  DISPLAY: {
    meaning: 'Display; returns an empty object',
    availability: availability({ empty: ALL }),
    keys: {},
  },
  FACTORY: {
    meaning: 'Factory data: system and battery type, capacity, device id',
    availability: availability(),
    keys: {
      BAT_TYPE: scalar('u8', 'Battery type', { enum: 'BAT_TYPE', example: 4 }),
      CELL_TYPE: scalar('u8', 'Cell type', { example: 5 }),
      COUNTRY: scalar('u8', 'Country code', { example: 0 }),
      DESIGN_CAPACITY: scalar('fl', 'Capacity of the installed batteries', { unit: 'Wh', example: 7500, ...NOTES }),
      DEVICE_ID: scalar('st', 'Device id (serial number without the leading S)', { example: '2525866113258324220991834', ...NOTES }),
      EPA_GRID_FILTER: flag('EPA grid filter', { example: 0 }),
      FAC_SANITY: flag('Factory data sane', { example: 1 }),
      MAX_CHARGE_POWER_DC: scalar('fl', 'Maximum DC charge power of all batteries', { unit: 'W', example: 1875 }),
      MAX_DISCHARGE_POWER_DC: scalar('fl', 'Maximum DC discharge power of all batteries', { unit: 'W', example: 3750 }),
      PM_TYPE: scalar('u8', 'Power meter type', { example: 1 }),
      SYS_TYPE: scalar('u8', 'System type (15 V2.1, 17/19 V3 hybrid, 18 duo, 20/21 LFP)', { enum: 'SYS_TYPE', example: 17, ...RECORDED }),
    },
  },
  GRIDCONFIG: {
    meaning: 'Grid code parameters (VDE); the seed prints these rounded, types inferred',
    availability: availability(),
    keys: {
      PWRCFG_COS_POINT1: scalar('fl', 'cos φ characteristic point 1', { example: 1 }),
      PWRCFG_COS_POINT3: scalar('fl', 'cos φ characteristic point 3', { example: 0.95 }),
      PWRCFG_COS_POINT_2A: scalar('fl', 'cos φ characteristic point 2a', { example: 1 }),
      PWRCFG_COS_POINT_2B: scalar('fl', 'cos φ characteristic point 2b', { unit: '%', example: 50 }),
      PWRCFG_USE_MAX_PWR_SKEW: flag('Limit unbalanced load', { example: 1 }),
      VDECOSPHITIME: scalar('fl', 'cos φ settling time', { unit: 's', example: 10 }),
      VDEFIXEDFAC: scalar('fl', 'Fixed cos φ', { example: 0.9 }),
      VDEOVERFREQDROOP: scalar('fl', 'Over-frequency droop', { unit: '%', example: 5 }),
      VDEOVERFREQLIMIT: scalar('fl', 'Over-frequency limit', { unit: 'Hz', example: 50.2 }),
      VDEPT1RESPONSETIME: scalar('fl', 'PT1 response time', { unit: 's', example: 0 }),
      VDERECOVERTIME: scalar('fl', 'Recovery time', { unit: 's', example: 10 }),
      VDETARGETTY: scalar('u8', 'Target type', { example: 1 }),
      VDEUNDERFREQDROOP: scalar('fl', 'Under-frequency droop', { unit: '%', example: 2 }),
      VDE_FREQDROPPROT: scalar('fl', 'Under-frequency protection', { unit: 'Hz', example: 47.5 }),
      VDE_FREQDROPPROTDELAY: scalar('fl', 'Under-frequency protection delay', { unit: 's', example: 0.1 }),
      VDE_FREQRISEPROT: scalar('fl', 'Over-frequency protection', { unit: 'Hz', example: 51.5 }),
      VDE_FREQRISEPROTDELAY: scalar('fl', 'Over-frequency protection delay', { unit: 's', example: 0.1 }),
      VDE_UNDERFREQLIMIT: scalar('fl', 'Under-frequency limit', { unit: 'Hz', example: 49.8 }),
      VDE_VOLTDROPPROT: scalar('fl', 'Under-voltage protection', { unit: '%', example: 45 }),
      VDE_VOLTDROPPROTAVG: scalar('fl', 'Under-voltage protection (average)', { unit: '%', example: 80 }),
      VDE_VOLTDROPPROTAVGDELAY: scalar('fl', 'Under-voltage protection (average) delay', { unit: 's', example: 3 }),
      VDE_VOLTDROPPROTDELAY: scalar('fl', 'Under-voltage protection delay', { unit: 's', example: 0.3 }),
      VDE_VOLTRISEPROT: scalar('fl', 'Over-voltage protection', { unit: '%', example: 125 }),
      VDE_VOLTRISEPROTAVG: scalar('fl', 'Over-voltage protection (10-min average)', { unit: '%', example: 110 }),
      VDE_VOLTRISEPROTAVGDELAY: scalar('fl', 'Over-voltage protection (average) delay', { unit: 's', example: 0.1 }),
      VDE_VOLTRISEPROTDELAY: scalar('fl', 'Over-voltage protection delay', { unit: 's', example: 0.1 }),
    },
  },
  PM1: {
    meaning: 'Power meter bus',
    availability: availability(),
    keys: {
      MB_SL2MA_CONN: flag('Modbus slave-to-master connection', { example: 0 }),
      MB_SLAVES_COUNT: scalar('u8', 'Number of Modbus slaves', { example: 0 }),
      PWR_METERS_MISSING: scalar('u8', 'Number of missing power meters', { example: 0 }),
      TYPE: scalar('u8', 'Power meter type', { example: 1 }),
    },
  },
  PM1OBJ1: {
    meaning: 'Power meter 1 (ENFLURI 1, grid connection point)',
    availability: availability(),
    keys: {
      ADR: scalar('u8', 'Meter address', { example: 1 }),
      ENABLED: flag('Meter enabled', { example: 1 }),
      FREQ: scalar('fl', 'Grid frequency', { unit: 'Hz', example: 50.05999755859375, ...RECORDED }),
      I_AC: array('fl', 3, 'Current per phase', { unit: 'A', example: [1.159999966621399, 0.35999998450279236, 1], ...RECORDED }),
      P_AC: array('fl', 3, 'Power per phase (> 0 import)', { unit: 'W', example: [-234.3199920654297, 49.84000015258789, 174.45999145507812], ...RECORDED }),
      P_TOTAL: scalar('fl', 'Total power (> 0 import)', { unit: 'W', example: -10.029999732971191, ...RECORDED }),
      U_AC: array('fl', 3, 'Voltage per phase', { unit: 'V', example: [229.40000915527344, 230.3000030517578, 228.40000915527344], ...RECORDED }),
    },
  },
  PM1OBJ2: {
    meaning: 'Power meter 2 (ENFLURI 2); denormals such as fl_00400000 appear when absent',
    availability: availability(),
    keys: {
      ADR: scalar('u8', 'Meter address', { example: 2 }),
      ENABLED: flag('Meter enabled', { example: 0 }),
      FREQ: scalar('fl', 'Frequency', { unit: 'Hz', example: 0, ...RECORDED }),
      I_AC: array('fl', 3, 'Current per phase', { unit: 'A', example: [0, 0, 0], ...RECORDED }),
      P_AC: array('fl', 3, 'Power per phase', { unit: 'W', example: [0, 0, 0], ...RECORDED }),
      P_TOTAL: scalar('fl', 'Total power', { unit: 'W', example: 0, ...RECORDED }),
      U_AC: array('fl', 3, 'Voltage per phase', { unit: 'V', example: [0, 0, 0], ...RECORDED }),
    },
  },
  RTC: {
    meaning: 'Clock: WEB_TIME is local wall-clock seconds, UTC = WEB_TIME − UTC_OFFSET·60',
    availability: availability(),
    keys: {
      TIMESTAMP_MS: scalar('u3', 'Millisecond tick counter (wraps)', { unit: 'ms', example: 1314036527 }),
      UTC_OFFSET: scalar('i3', 'Offset of local time from UTC', { unit: 'min', example: 120, ...RECORDED }),
      WEB_TIME: scalar('u3', 'Local wall-clock time as Unix-style seconds', { unit: 's', example: 1691275183, ...RECORDED }),
    },
  },
  SELFTEST_RESULTS: {
    meaning: 'Self-test results as text',
    availability: availability(),
    keys: {
      DC_COIL: scalar('st', 'DC coil test', { example: 'Test passed' }),
      INIT_BATTERY_MODULES: scalar('st', 'Battery module initialisation test', { example: 'Test passed' }),
      INSULATION: scalar('st', 'Insulation test', { example: 'Test passed' }),
      INTERRUPT: scalar('st', 'Interruption', { example: 'No Interrupt' }),
      IPU: scalar('st', 'IPU test', { example: 'Test not initialized' }),
    },
  },
  SOCKETS: {
    meaning: 'Switchable sockets; every array has NUMBER_OF_SOCKETS (2) entries',
    availability: availability(),
    keys: {
      ALREADY_SWITCHED: array('u8', 2, 'Switched on today', { example: [0, 0] }),
      ENABLE: array('u8', 2, 'Automatic switching enabled', { access: 'write', example: [0, 0], ...NOTES }),
      FORCE_ON: array('u8', 2, 'Force on', { access: 'write', example: [0, 0], ...NOTES }),
      LOWER_LIMIT: array('u1', 2, 'Switch-off threshold (surplus power)', { unit: 'W', access: 'write', example: [0, 0], ...NOTES }),
      NUMBER_OF_SOCKETS: scalar('u8', 'Number of sockets', { example: 2 }),
      POWER_ON: array('u8', 2, 'Socket is on', { example: [0, 0] }),
      POWER_ON_TIME: array('u1', 2, 'Minimum on time', { unit: 'min', access: 'write', example: [0, 0], ...NOTES }),
      PRIORITY: array('u8', 2, 'Priority', { example: [0, 0] }),
      RESET_SWITCHED: flag('Reset the switched-today flags', { example: 0 }),
      SWITCH_ON_HOUR: array('u8', 2, 'Timed switch-on hour', { unit: 'h', access: 'write', example: [0, 0], ...NOTES }),
      SWITCH_ON_MINUTE: array('u8', 2, 'Timed switch-on minute', { unit: 'min', access: 'write', example: [0, 0], ...NOTES }),
      TIME_LIMIT: array('u1', 2, 'Maximum on time', { unit: 'min', access: 'write', example: [0, 0], ...NOTES }),
      TIME_REM: array('u1', 2, 'Remaining on time', { unit: 'min', example: [0, 0] }),
      UPPER_LIMIT: array('u1', 2, 'Switch-on threshold (surplus power)', { unit: 'W', access: 'write', example: [0, 0], ...NOTES }),
      USE_TIME: array('u8', 2, 'Use timed switching', { access: 'write', example: [0, 0], ...NOTES }),
    },
  },
  STATISTIC: {
    meaning: 'Lifetime energy counters; emptied by firmware 0825',
    availability: availability({ empty: ['v3-0825', 'v3-0826', 'v3-npu2411'] }),
    keys: {
      LIVE_BAT_CHARGE: scalar('fl', 'Energy charged into the battery', { unit: 'kWh', ...RECORDED }),
      LIVE_BAT_DISCHARGE: scalar('fl', 'Energy discharged from the battery', { unit: 'kWh', ...RECORDED }),
      LIVE_GRID_EXPORT: scalar('fl', 'Energy exported to the grid', { unit: 'kWh', ...RECORDED }),
      LIVE_GRID_IMPORT: scalar('fl', 'Energy imported from the grid', { unit: 'kWh', ...RECORDED }),
      LIVE_HOUSE_CONS: scalar('fl', 'House consumption', { unit: 'kWh', ...RECORDED }),
      LIVE_PV_GEN: scalar('fl', 'PV generation', { unit: 'kWh', ...RECORDED }),
    },
  },
  STECA: {
    meaning: 'Hybrid inverter (STECA) status',
    availability: availability(),
    keys: {
      AU2020_VERSION_MISMATCH: flag('AU2020 version mismatch', { example: 0 }),
      BAT: flag('Battery connected', { example: 1 }),
      BDC_STATE: array('u3', 3, 'Bidirectional DC converter state bits', { example: [262144, 0, 1073741824] }),
      ERROR: scalar('u8', 'Inverter error', { example: 0 }),
      ERRORTEXT: scalar('st', 'Inverter error text', { example: '' }),
      ISLAND: flag('Backup power capable', { example: 1 }),
      NUM_PV_CONFIG_POSSIBLE: scalar('u8', 'Number of possible PV configurations', { example: 10 }),
      PV: flag('PV connected', { example: 1 }),
      PVSS: scalar('u8', 'PV string setup', { example: 4 }),
      PV_CONFIG_POSSIBLE: array('u8', 10, 'Possible PV configurations', { example: [1, 1, 1, 2, 16, 1, 1, 16, 16, 16] }),
      PV_INPUTS: scalar('u8', 'Number of MPP inputs', { example: 2 }),
      RELAYS: scalar('u8', 'Relay state bits', { example: 15 }),
      STARTUP: scalar('u1', 'Start-up phase (272 = RunGrid)', { enum: 'STECA_STARTUP', example: 272 }),
      STARTUP_ADD: scalar('u3', 'Additional start-up information', { example: 4294967295 }),
    },
  },
  SYS_UPDATE: {
    meaning: 'Versions, updates and reboot',
    availability: availability(),
    keys: {
      BOOT_REPORT_SUCCESS: flag('Boot report sent', { ...RECORDED }),
      FSM_STATE: scalar('u8', 'Update state machine state', { example: 1, ...RECORDED }),
      MISC: array('u8', 6, 'Miscellaneous', { example: [0, 0, 0, 0, 0, 0], ...RECORDED }),
      NPU_IMAGE_VERSION: scalar('u1', 'NPU image version (≥ 2408 switches ha-senec-v3 to its new field set)', { example: 2011, ...RECORDED }),
      NPU_VER: scalar('u8', 'NPU register version (u1 on V2.1)', { example: 9, typeIn: { 'v21-0824': 'u1' }, ...RECORDED }),
      UPDATE_AVAILABLE: flag('Update available', { example: 0, ...RECORDED }),
      USER_REBOOT_DEVICE: scalar('u8', 'Reboot the device (button)', { access: 'button', example: 0, ...RECORDED }),
      USER_REQ_UPDATE: flag('User requested an update', { example: 0, ...RECORDED }),
    },
  },
  TEMPMEASURE: {
    meaning: 'Temperatures',
    availability: availability(),
    keys: {
      BATTERY_TEMP: scalar('fl', 'Battery temperature', { unit: '°C', example: 32, ...RECORDED }),
      CASE_TEMP: scalar('fl', 'Case temperature', { unit: '°C', example: 39.308067321777344, ...RECORDED }),
      MCU_TEMP: scalar('fl', 'MCU temperature (implausible values such as −156 °C occur)', { unit: '°C', example: 49.744564056396484, ...RECORDED }),
      TEMP_DATA_COLLECTED: flag('Temperature data collected', { example: 1 }),
    },
  },
  TEST: {
    meaning: 'Test; returns an empty object',
    availability: availability({ empty: ALL }),
    keys: {},
  },
  UPDATE: {
    meaning: 'Update; returns an empty object',
    availability: availability({ empty: ALL }),
    keys: {},
  },
  WALLBOX: {
    meaning: 'Up to four SENEC wallboxes; every array has 4 entries',
    availability: availability(),
    keys: {
      ADDITIONAL_ERROR: array('u1', 4, 'Additional error code', { example: [0, 0, 0, 0] }),
      ALLOW_INTERCHARGE: scalar('u8', 'Allow charging the car from the battery (a scalar, not an array)', { access: 'write', example: 0, ...NOTES }),
      APPARENT_CHARGING_POWER: array('fl', 4, 'Apparent charging power', { unit: 'VA', example: [0, 0, 0, 0], ...RECORDED }),
      BUS_ADR: array('u8', 4, 'Bus address', { example: [1, 2, 3, 4] }),
      CS_ENABLED: array('u8', 4, 'Charging station enabled', { example: [0, 0, 0, 0] }),
      DETECTION_MODE: scalar('u8', 'Detection mode', { example: 0 }),
      EV_CONNECTED: array('u8', 4, 'Vehicle connected', { example: [0, 0, 0, 0], ...RECORDED }),
      HW_TYPE: array('u8', 4, 'Hardware type', { example: [0, 0, 0, 0] }),
      L1_CHARGING_CURRENT: array('fl', 4, 'Charging current on L1', { unit: 'A', example: [0, 0, 0, 0] }),
      L1_USED: array('u8', 4, 'L1 used', { example: [0, 0, 0, 0], ...RECORDED }),
      L2_CHARGING_CURRENT: array('fl', 4, 'Charging current on L2', { unit: 'A', example: [0, 0, 0, 0] }),
      L2_USED: array('u8', 4, 'L2 used', { example: [0, 0, 0, 0], ...RECORDED }),
      L3_CHARGING_CURRENT: array('fl', 4, 'Charging current on L3', { unit: 'A', example: [0, 0, 0, 0] }),
      L3_USED: array('u8', 4, 'L3 used', { example: [0, 0, 0, 0], ...RECORDED }),
      LOAD_IMBALANCE_DETECTED: array('u8', 4, 'Load imbalance detected', { example: [0, 0, 0, 0] }),
      LOAD_IMBALANCE_ENABLED: array('u8', 4, 'Load imbalance limitation enabled', { example: [0, 0, 0, 0] }),
      MAJOR_REV: array('u8', 4, 'Firmware major revision', { example: [0, 0, 0, 0] }),
      MAX_CHARGING_CURRENT_DEFAULT: array('fl', 4, 'Default maximum charging current', { unit: 'A', example: [0, 0, 0, 0] }),
      MAX_CHARGING_CURRENT_IC: array('fl', 4, 'Maximum charging current (IC)', { unit: 'A', example: [0, 0, 0, 0] }),
      MAX_CHARGING_CURRENT_ICMAX: array('fl', 4, 'Maximum charging current (IC max)', { unit: 'A', example: [0, 0, 0, 0] }),
      MAX_CHARGING_CURRENT_RATED: array('fl', 4, 'Rated maximum charging current', { unit: 'A', example: [0, 0, 0, 0] }),
      MAX_PHASE_CURRENT_BY_GRID: scalar('fl', 'Maximum phase current allowed by the grid connection', { unit: 'A', example: 0 }),
      MAX_TOTAL_CURRENT_BY_GRID: scalar('fl', 'Maximum total current allowed by the grid connection', { unit: 'A', example: 0, ...RECORDED }),
      METER_ENABLED: array('u8', 4, 'Meter enabled', { example: [0, 0, 0, 0] }),
      METHOD_EN1: array('u8', 4, 'Method EN1', { example: [0, 0, 0, 0] }),
      MINOR_REV: array('u8', 4, 'Firmware minor revision', { example: [0, 0, 0, 0] }),
      MIN_CHARGING_CURRENT: array('fl', 4, 'Minimum charging current', { unit: 'A', access: 'write', example: [0, 0, 0, 0], ...NOTES }),
      PHASES_USED: array('u8', 4, 'Number of phases used', { example: [0, 0, 0, 0] }),
      PROHIBIT_USAGE: array('u8', 4, 'Wallbox locked', { access: 'write', example: [0, 0, 0, 0], ...NOTES }),
      SAP_NUMBER: array('st', 4, 'SAP article number', { example: ['', '', '', ''] }),
      SERIAL_NUMBER: array('st', 4, 'Serial number', { example: ['', '', '', ''] }),
      SERIAL_NUMBER_INTERNAL: array('st', 4, 'Internal serial number', { example: ['', '', '', ''] }),
      SET_ICMAX: array('fl', 4, 'Set maximum charging current', { unit: 'A', access: 'write', example: [0, 0, 0, 0], ...NOTES }),
      SET_IDEFAULT: array('fl', 4, 'Set default charging current', { unit: 'A', access: 'write', example: [0, 0, 0, 0], ...NOTES }),
      SMART_CHARGE_ACTIVE: array('u8', 4, 'Smart charging mode (1; 3/4 for the SSGCM modes)', { access: 'write', example: [0, 0, 0, 0], ...NOTES }),
      SOCKET_ENABLED: array('u8', 4, 'Socket enabled', { example: [0, 0, 0, 0] }),
      STATE: array('u8', 4, 'Charging state', { enum: 'WALLBOX_STATE', example: [0, 0, 0, 0] }),
      UID: array('u3', 4, 'Unique id', { example: [0, 0, 0, 0] }),
      UTMP: array('u1', 4, 'Temperature', { example: [0, 0, 0, 0] }),
    },
  },
  CURRENT_IMBALANCE_CONTROL: {
    meaning: 'Phase current imbalance control (0826+)',
    availability: availability({ notFound: BEFORE_0826 }),
    keys: {
      THRESHOLD_mA: scalar('u1', 'Imbalance threshold', { unit: 'mA', example: 8000 }),
    },
  },
  BMZ_CURRENT_LIMITS: {
    meaning: 'BMZ module current limits (0826+)',
    availability: availability({ notFound: BEFORE_0826 }),
    keys: {
      // The seed shows 65512: i1_FFE8 read as unsigned (−24 A).
      MIN_CURRENT_LIMIT_A: scalar('i1', 'Minimum (discharge) current limit', { unit: 'A', example: -24 }),
      MAX_CURRENT_LIMIT_A: scalar('i1', 'Maximum (charge) current limit', { unit: 'A', example: 12 }),
    },
  },
  CELL_DEVIATION_ROC: {
    meaning: 'Cell deviation rate of change (0826+)',
    availability: availability({ notFound: BEFORE_0826 }),
    keys: {
      SKIP_WAITING: flag('Skip waiting', { example: 0 }),
    },
  },
  SENEC_IO_INPUT: {
    meaning: 'Digital inputs of the IPU (0826+)',
    availability: availability({ notFound: BEFORE_0826 }),
    keys: {
      STATUS_DC_SWITCH_IPU_V5: flag('DC switch status (IPU v5)', { example: 1 }),
      FAULTLINE_DELAYED: flag('Fault line (delayed)', { example: 0 }),
      FAULTLINE: flag('Fault line', { example: 0 }),
      STATUS_AC_SWITCH_IPU_V3: flag('AC switch status (IPU v3)', { example: 0 }),
      ISOGUARD_STATUS: flag('Insulation guard status', { example: 1 }),
      DRY_CONTACT_IN_IPU_V5: flag('Dry contact input (IPU v5)', { example: 1 }),
      DC_HK_STATUS_IPU_V5: flag('DC HK status (IPU v5)', { example: 0 }),
      POWER_STATUS: flag('Power status', { example: 1 }),
      HID3_IPU_V5: flag('Hardware id bit 3 (IPU v5)', { example: 0 }),
      HID2_IPU_V5: flag('Hardware id bit 2 (IPU v5)', { example: 1 }),
      HID1: flag('Hardware id bit 1', { example: 1 }),
      HID0: flag('Hardware id bit 0', { example: 0 }),
      RCD_RMS_IPU_V3: flag('RCD RMS (IPU v3)', { example: 1 }),
      RCD_ERROR_IPU_V3: flag('RCD error (IPU v3)', { example: 1 }),
      RCD_DC_IPU_V3: flag('RCD DC (IPU v3)', { example: 0 }),
      AC_ERROR_IPU_V3: flag('AC error (IPU v3)', { example: 1 }),
    },
  },
  SENEC_IO_OUTPUT: {
    meaning: 'Digital outputs of the IPU (0826+)',
    availability: availability({ notFound: BEFORE_0826 }),
    keys: {
      BAT_MODULE_ENABLE_SAMSUNG_IPU_V5: flag('Samsung battery modules in use', { example: 0 }),
      BAT_MODULE_ENABLE_BMZ: flag('BMZ battery modules in use', { example: 1 }),
      KILLSWITCH: flag('Kill switch', { example: 0 }),
      Relay_4: flag('Relay 4', { example: 0 }),
      Relay_3: flag('Relay 3', { example: 0 }),
      Relay_2: flag('Relay 2', { example: 0 }),
      Relay_1: flag('Relay 1', { example: 0 }),
      ISOGUARD_ENABLE: flag('Insulation guard enabled', { example: 0 }),
      DC_SWITCH: flag('DC switch', { example: 1 }),
      AC_SWITCH_IPU_V3: flag('AC switch (IPU v3)', { example: 0 }),
      DRY_CONTACT_OUT_IPU_V5: flag('Dry contact output (IPU v5)', { example: 1 }),
      RCD_RESET_IPU_V3: flag('RCD reset (IPU v3)', { example: 0 }),
      RCD_TEST_IPU_V3: flag('RCD test (IPU v3)', { example: 1 }),
    },
  },
  IPU: {
    meaning: 'Internal power unit (0826+)',
    availability: availability({ notFound: BEFORE_0826 }),
    keys: {
      VERSION: scalar('u8', 'IPU hardware version', { example: 2 }),
    },
  },
  FAN_TEST: {
    meaning: 'Fan test (0826+)',
    availability: availability({ notFound: BEFORE_0826 }),
    keys: {
      INV_LV: flag('Test the low-voltage inverter fan', { example: 0 }),
      INV_HV: flag('Test the high-voltage inverter fan', { example: 0 }),
    },
  },
  FAN_SPEED: {
    meaning: 'Fan speed (0826+)',
    availability: availability({ notFound: BEFORE_0826 }),
    keys: {
      INV_LV: scalar('u8', 'Low-voltage inverter fan speed', { example: 0, ...RECORDED }),
      INV_HV: scalar('u8', 'High-voltage inverter fan speed', { example: 0 }),
    },
  },
  V_STECA: {
    meaning: 'Inverter derating percentages (key names contain #)',
    availability: availability({ notFound: BEFORE_0826 }),
    keys: {
      'percent#v': scalar('fl', 'Voltage derating', { unit: '%', example: 0 }),
      'percent#vf': scalar('fl', 'Voltage/frequency derating', { unit: '%', example: 0 }),
      'percent#f': scalar('u8', 'Frequency derating', { unit: '%', example: 0 }),
    },
  },
} as const satisfies Record<string, ObjectSpec>;

export type ObjectName = keyof typeof CATALOGUE;
export type KeyName<O extends ObjectName> = keyof (typeof CATALOGUE)[O]['keys'] & string;

export const OBJECT_NAMES = Object.keys(CATALOGUE) as ObjectName[];

/** A key as it behaves in one firmware profile. */
export interface ResolvedKey {
  readonly object: string;
  readonly key: string;
  readonly type: WireType;
  readonly length?: number | 'variable';
  readonly spec: KeySpec;
}

export function isObjectName(name: string): name is ObjectName {
  return Object.hasOwn(CATALOGUE, name);
}

function objectSpec(object: string): ObjectSpec | undefined {
  return isObjectName(object) ? CATALOGUE[object] : undefined;
}

/** How an object answers in a profile; unknown objects answer OBJECT_NOT_FOUND. */
export function objectAvailability(object: string, profile: ProfileId): ObjectAvailability {
  return objectSpec(object)?.availability[profile] ?? 'not-found';
}

/**
 * The key's wire type and length in a profile, or undefined when the device answers
 * VARIABLE_NOT_FOUND (or the whole object is missing or empty there).
 */
export function resolveKey(object: string, key: string, profile: ProfileId): ResolvedKey | undefined {
  // Emulators resolve every requested key of every request: memoise (the catalogue never changes).
  const memoKey = `${profile} ${object} ${key}`;
  const memo = resolved.get(memoKey);
  if (memo !== undefined || resolved.has(memoKey)) return memo;
  const result = resolveUncached(object, key, profile);
  if (resolved.size < 50_000) resolved.set(memoKey, result);
  return result;
}

const resolved = new Map<string, ResolvedKey | undefined>();

function resolveUncached(object: string, key: string, profile: ProfileId): ResolvedKey | undefined {
  const objSpec = objectSpec(object);
  if (objSpec === undefined || objSpec.availability[profile] !== 'present') return undefined;
  if (!Object.hasOwn(objSpec.keys, key)) return undefined;
  const spec = objSpec.keys[key];
  if (spec === undefined) return undefined;
  if (spec.availableIn !== undefined && !spec.availableIn.includes(profile)) return undefined;
  const length = spec.lengthIn?.[profile] ?? spec.length;
  return {
    object,
    key,
    type: spec.typeIn?.[profile] ?? spec.type,
    ...(length === undefined ? {} : { length }),
    spec,
  };
}

/** Code-unit order: the order recorded `{}` dumps use (`MODULES_CONFIGURED` before `MODULE_COUNT`). */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Keys that answer with a value in a profile, in the device's `{}` whole-object order. */
export function keysOf(object: string, profile: ProfileId): ResolvedKey[] {
  const objSpec = objectSpec(object);
  if (objSpec === undefined) return [];
  return Object.keys(objSpec.keys)
    .sort(byCodeUnit)
    .flatMap((key) => resolveKey(object, key, profile) ?? []);
}

/**
 * Problems with a response field for a resolved key: wrong shape, wrong length, non-canonical or
 * mistyped elements. An empty list means the field is exactly what the device would send.
 */
export function checkField(resolved: ResolvedKey, field: unknown): string[] {
  const where = `${resolved.object}.${resolved.key}`;
  const checkOne = (value: unknown, label: string): string[] => {
    if (typeof value !== 'string') return [`${label}: not a string`];
    const decoded = decodeValue(value, { mode: 'strict' });
    if (decoded.kind === 'malformed') return [`${label}: ${decoded.reason} (${JSON.stringify(value)})`];
    if (decoded.kind === 'marker') return [`${label}: marker ${decoded.marker} instead of a value`];
    return decoded.type === resolved.type ? [] : [`${label}: ${decoded.type}_ where ${resolved.type}_ is expected`];
  };
  if (resolved.length === undefined) {
    return Array.isArray(field) ? [`${where}: array where a scalar is expected`] : checkOne(field, where);
  }
  if (!Array.isArray(field)) return [`${where}: scalar where an array is expected`];
  const problems: string[] = [];
  if (resolved.length !== 'variable' && field.length !== resolved.length) {
    problems.push(`${where}: ${field.length} elements where ${resolved.length} are expected`);
  }
  field.forEach((item: unknown, i) => problems.push(...checkOne(item, `${where}[${i}]`)));
  return problems;
}

/** Objects that exist (present or empty) in a profile: what `DEBUG.SECTIONS` should list. */
export function sectionsOf(profile: ProfileId): ObjectName[] {
  return OBJECT_NAMES.filter((name) => CATALOGUE[name].availability[profile] !== 'not-found');
}
