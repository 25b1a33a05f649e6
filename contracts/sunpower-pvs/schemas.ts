/**
 * TypeBox schemas of the PVS legacy dl_cgi API (`GET /cgi-bin/dl_cgi?Command=<Name>`) and of the ESS status path.
 *
 * Sources: seeds 002 (2021/2022 PVS6, SunVault ESS) and 004 (2019 PVS6), and the protocol notes
 * (/work/shared/protocols/sunpower-pvs.md). Rules applied throughout:
 * - Devices allow additional properties (firmware adds keys over the years) but require the keys that real
 *   clients hard-index (§7 and §9.4 of the notes): DEVICE_TYPE, SERIAL, MODEL, STATE everywhere; SWVER on the PVS;
 *   TYPE, DESCR, PORT, SWVER on meters; DESCR, TYPE, MOD_SN, PORT, SWVER on inverters.
 * - Metrics are optional (absent at night on 2019 firmware) but, when present, are numeric strings, never `""`.
 * - `panid`, `slave`, `parent` are JSON numbers; `ISDETAIL` is the boolean `true`.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ESS_TIMESTAMP_PATTERN, NUMERIC_STRING_PATTERN, PVS_TIMESTAMP_PATTERN } from './format.js';

// ---------------------------------------------------------------------------------------------------------------
// Scalars

/** A metric value: a string that parses as a float, never `""`. */
export const NumericString = Type.String({ pattern: NUMERIC_STRING_PATTERN, description: 'numeric string' });
/** `CURTIME` / `DATATIME`: `"YYYY,MM,DD,hh,mm,ss"` in UTC. */
export const PvsTimestamp = Type.String({ pattern: PVS_TIMESTAMP_PATTERN, description: 'YYYY,MM,DD,hh,mm,ss (UTC)' });
/** ESS status `last_updated`: `"YYYY-MM-DD HH:MM:SS"`. */
export const EssTimestamp = Type.String({ pattern: ESS_TIMESTAMP_PATTERN, description: 'YYYY-MM-DD HH:MM:SS' });
/** Grid profile ids are SHA-1 hex digests (40 characters). */
export const Sha1Hex = Type.String({ pattern: '^[0-9a-f]{40}$' });

const optMetric = () => Type.Optional(NumericString);
const optString = () => Type.Optional(Type.String());

// ---------------------------------------------------------------------------------------------------------------
// Enumerations

/** Meter subtypes: the ones seen in DeviceList plus those the on-device swagger lists. */
export const METER_SUBTYPES = [
  'GROSS_PRODUCTION_SITE',
  'NET_CONSUMPTION_LOADSIDE',
  'GROSS_CONSUMPTION_LINESIDE',
  'GROSS_PRODUCTION',
  'NOT_USED',
  'STORAGE_METER',
  'UNKNOWN_TYPE',
] as const;
export type MeterSubtype = (typeof METER_SUBTYPES)[number];
export const MeterSubtypeSchema = Type.Union(METER_SUBTYPES.map((s) => Type.Literal(s)));

// ---------------------------------------------------------------------------------------------------------------
// Devices (DeviceList entries)

/** Keys shared by every non-PVS device ("detail" devices, seed 002 / 004). */
const detailCommon = {
  ISDETAIL: Type.Optional(Type.Literal(true)),
  SERIAL: Type.String({ minLength: 1 }),
  MODEL: Type.String(),
  STATE: Type.String({ minLength: 1 }),
  STATEDESCR: optString(),
  DESCR: optString(),
  SWVER: optString(),
  PORT: optString(),
  origin: optString(),
  OPERATION: optString(),
  CURTIME: Type.Optional(PvsTimestamp),
  DATATIME: Type.Optional(PvsTimestamp),
};

export const SupervisorDevice = Type.Object(
  {
    DEVICE_TYPE: Type.Literal('PVS'),
    SERIAL: Type.String({ minLength: 1 }),
    MODEL: Type.String(),
    STATE: Type.String({ minLength: 1 }),
    SWVER: Type.String(),
    STATEDESCR: optString(),
    DETAIL: Type.Optional(Type.Literal('detail')),
    HWVER: optString(),
    CURTIME: Type.Optional(PvsTimestamp),
    DATATIME: Type.Optional(PvsTimestamp),
    panid: Type.Optional(Type.Integer({ minimum: 0 })),
    dl_err_count: optMetric(),
    dl_comm_err: optMetric(),
    dl_skipped_scans: optMetric(),
    dl_scan_time: optMetric(),
    dl_untransmitted: optMetric(),
    dl_uptime: optMetric(),
    dl_cpu_load: optMetric(),
    dl_mem_used: optMetric(),
    dl_flash_avail: optMetric(),
  },
  { title: 'PvsSupervisorDevice' },
);

const meterCommon = {
  ...detailCommon,
  DEVICE_TYPE: Type.Literal('Power Meter'),
  DESCR: Type.String(),
  PORT: Type.String(),
  SWVER: Type.String(),
  CAL0: optMetric(),
  interface: optString(),
  subtype: Type.Optional(MeterSubtypeSchema),
  ct_scl_fctr: optMetric(),
  net_ltea_3phsum_kwh: optMetric(),
  p_3phsum_kw: optMetric(),
  q_3phsum_kvar: optMetric(),
  s_3phsum_kva: optMetric(),
  tot_pf_rto: optMetric(),
  freq_hz: optMetric(),
  i_a: optMetric(),
  v12_v: optMetric(),
};

export const ProductionMeterDevice = Type.Object(
  {
    ...meterCommon,
    TYPE: Type.Literal('PVS5-METER-P'),
    SERIAL: Type.String({ pattern: 'p$' }),
    // Optional because the 2019 and 2021 seed payloads lack it; sungazer drops meters without it (see fields.ts).
    production_subtype_enum: Type.Optional(MeterSubtypeSchema),
  },
  { title: 'PvsProductionMeterDevice' },
);

export const ConsumptionMeterDevice = Type.Object(
  {
    ...meterCommon,
    TYPE: Type.Literal('PVS5-METER-C'),
    SERIAL: Type.String({ pattern: 'c$' }),
    consumption_subtype_enum: Type.Optional(MeterSubtypeSchema),
    i1_a: optMetric(),
    i2_a: optMetric(),
    v1n_v: optMetric(),
    v2n_v: optMetric(),
    p1_kw: optMetric(),
    p2_kw: optMetric(),
    neg_ltea_3phsum_kwh: optMetric(),
    pos_ltea_3phsum_kwh: optMetric(),
  },
  { title: 'PvsConsumptionMeterDevice' },
);

export const InverterDevice = Type.Object(
  {
    ...detailCommon,
    DEVICE_TYPE: Type.Literal('Inverter'),
    TYPE: Type.Literal('SOLARBRIDGE'),
    DESCR: Type.String(),
    MOD_SN: Type.String(),
    PORT: Type.String(),
    SWVER: Type.String(),
    PANEL: optString(),
    NMPLT_SKU: optString(),
    hw_version: optString(),
    interface: optString(),
    module_serial: optString(),
    slave: Type.Optional(Type.Integer()),
    ltea_3phsum_kwh: optMetric(),
    p_3phsum_kw: optMetric(),
    vln_3phavg_v: optMetric(),
    i_3phsum_a: optMetric(),
    p_mppt1_kw: optMetric(),
    p_mpptsum_kw: optMetric(),
    v_mppt1_v: optMetric(),
    i_mppt1_a: optMetric(),
    t_htsnk_degc: optMetric(),
    freq_hz: optMetric(),
    stat_ind: optMetric(),
  },
  { title: 'PvsInverterDevice' },
);

/** Keys of the SunVault ESS devices (seed 002, 2022): no hard-indexed keys beyond the common four plus TYPE. */
const essCommon = {
  ...detailCommon,
  hw_version: optString(),
  interface: optString(),
  slave: Type.Optional(Type.Integer()),
  parent: Type.Optional(Type.Integer()),
  PARENT: optString(),
  mac_address: optString(),
};

export const HubPlusDevice = Type.Object(
  { ...essCommon, DEVICE_TYPE: Type.Literal('HUB+'), TYPE: Type.Literal('HUB+') },
  { title: 'PvsHubPlusDevice' },
);

export const EssHubDevice = Type.Object(
  {
    ...essCommon,
    DEVICE_TYPE: Type.Literal('ESS Hub'),
    TYPE: Type.Literal('EQUINOX-MIO'),
    t_degc: optMetric(),
    humidity: optMetric(),
    v_dcdc_spply_v: optMetric(),
    v_spply_v: optMetric(),
    v_gateway_v: optMetric(),
    fan_actv_fl: optMetric(),
    fw_error: optMetric(),
    event_history: optMetric(),
  },
  { title: 'PvsEssHubDevice' },
);

export const PvDisconnectDevice = Type.Object(
  {
    ...essCommon,
    DEVICE_TYPE: Type.Literal('PV Disconnect'),
    TYPE: Type.Literal('PV-DISCONNECT'),
    event_history: optMetric(),
    fw_error: optMetric(),
    relay_mode: optMetric(),
    relay1_state: optMetric(),
    relay2_state: optMetric(),
    relay1_error: optMetric(),
    relay2_error: optMetric(),
    v1n_grid_v: optMetric(),
    v2n_grid_v: optMetric(),
    v1n_pv_v: optMetric(),
    v2n_pv_v: optMetric(),
  },
  { title: 'PvsPvDisconnectDevice' },
);

export const GatewayDevice = Type.Object(
  { ...essCommon, DEVICE_TYPE: Type.Literal('Gateway'), TYPE: Type.Literal('GATEWAY') },
  { title: 'PvsGatewayDevice' },
);

export const StorageInverterDevice = Type.Object(
  { ...essCommon, DEVICE_TYPE: Type.Literal('Storage Inverter'), TYPE: Type.Literal('SCHNEIDER-XWPRO') },
  { title: 'PvsStorageInverterDevice' },
);

export const EssBmsDevice = Type.Object(
  { ...essCommon, DEVICE_TYPE: Type.Literal('ESS BMS'), TYPE: Type.Literal('EQUINOX-BMS') },
  { title: 'PvsEssBmsDevice' },
);

export const BatteryDevice = Type.Object(
  { ...essCommon, DEVICE_TYPE: Type.Literal('Battery'), TYPE: Type.Literal('BATTERY') },
  { title: 'PvsBatteryDevice' },
);

export const EnergyStorageSystemDevice = Type.Object(
  { ...essCommon, DEVICE_TYPE: Type.Literal('Energy Storage System'), TYPE: Type.Literal('EQUINOX-ESS') },
  { title: 'PvsEnergyStorageSystemDevice' },
);

/**
 * The device schemas keyed by the same kind names the client uses for its discriminated union.
 * `validateDevice` picks the schema from DEVICE_TYPE (and TYPE for meters) so that errors name the right fields.
 */
export const DEVICE_SCHEMAS = {
  supervisor: SupervisorDevice,
  productionMeter: ProductionMeterDevice,
  consumptionMeter: ConsumptionMeterDevice,
  inverter: InverterDevice,
  hubPlus: HubPlusDevice,
  essHub: EssHubDevice,
  pvDisconnect: PvDisconnectDevice,
  gateway: GatewayDevice,
  storageInverter: StorageInverterDevice,
  essBms: EssBmsDevice,
  battery: BatteryDevice,
  energyStorageSystem: EnergyStorageSystemDevice,
} as const;
export type DeviceKind = keyof typeof DEVICE_SCHEMAS;

export const PvsDevice = Type.Union([
  SupervisorDevice,
  ProductionMeterDevice,
  ConsumptionMeterDevice,
  InverterDevice,
  HubPlusDevice,
  EssHubDevice,
  PvDisconnectDevice,
  GatewayDevice,
  StorageInverterDevice,
  EssBmsDevice,
  BatteryDevice,
  EnergyStorageSystemDevice,
]);

export type SupervisorDevice = Static<typeof SupervisorDevice>;
export type ProductionMeterDevice = Static<typeof ProductionMeterDevice>;
export type ConsumptionMeterDevice = Static<typeof ConsumptionMeterDevice>;
export type InverterDevice = Static<typeof InverterDevice>;
export type HubPlusDevice = Static<typeof HubPlusDevice>;
export type EssHubDevice = Static<typeof EssHubDevice>;
export type PvDisconnectDevice = Static<typeof PvDisconnectDevice>;
export type GatewayDevice = Static<typeof GatewayDevice>;
export type StorageInverterDevice = Static<typeof StorageInverterDevice>;
export type EssBmsDevice = Static<typeof EssBmsDevice>;
export type BatteryDevice = Static<typeof BatteryDevice>;
export type EnergyStorageSystemDevice = Static<typeof EnergyStorageSystemDevice>;
export type PvsDevice = Static<typeof PvsDevice>;

// ---------------------------------------------------------------------------------------------------------------
// Command responses

export const DeviceListResponse = Type.Object(
  { devices: Type.Array(PvsDevice), result: Type.Literal('succeed') },
  { title: 'PvsDeviceListResponse' },
);
export type DeviceListResponse = Static<typeof DeviceListResponse>;

/** `Start` (and REST `supervisor/info`). PVS5 (2022) and 2019 PVS6 send only SWVER, SERIAL, MODEL and FWVER. */
export const StartResponse = Type.Object(
  {
    result: Type.Literal('succeed'),
    supervisor: Type.Object({
      SWVER: Type.String(),
      SERIAL: Type.String({ minLength: 1 }),
      MODEL: Type.String(),
      FWVER: Type.String(),
      BUILD: Type.Optional(Type.Integer()),
      SCVER: Type.Optional(Type.Integer()),
      EASICVER: Type.Optional(Type.Integer()),
      SCBUILD: Type.Optional(Type.Integer()),
      WNSERIAL: Type.Optional(Type.Integer()),
      WNMODEL: Type.Optional(Type.Integer()),
      WNVER: Type.Optional(Type.Integer()),
    }),
  },
  { title: 'PvsStartResponse' },
);
export type StartResponse = Static<typeof StartResponse>;

/** `Stop`: the seeds show `succeed`; the sungazer fixture has `success`. */
export const StopResponse = Type.Object(
  { result: Type.Union([Type.Literal('succeed'), Type.Literal('success')]) },
  { title: 'PvsStopResponse' },
);
export type StopResponse = Static<typeof StopResponse>;

const commCommon = {
  internet: Type.String(),
  sms: Type.String(),
  ipaddr: optString(),
  link: optString(),
  state: optString(),
  status: optString(),
};
export const WanInterface = Type.Object({ ...commCommon, interface: Type.Literal('wan'), mode: optString() });
export const PlcInterface = Type.Object({
  ...commCommon,
  interface: Type.Literal('plc'),
  pairing: optString(),
  speed: Type.Optional(Type.Number()),
});
/** Wi-Fi station: `signal` is a numeric *string* here (dBm), unlike the cell interface. */
export const WifiInterface = Type.Object({
  ...commCommon,
  interface: Type.Literal('sta0'),
  signal: optMetric(),
  ssid: optString(),
});
export const CellInterface = Type.Object({
  ...commCommon,
  interface: Type.Literal('cell'),
  is_alwayson: Type.Optional(Type.Boolean()),
  is_primary: Type.Optional(Type.Boolean()),
  modem: optString(),
  provider: optString(),
  signal: Type.Optional(Type.Number()),
  sim: optString(),
});
export const CommInterface = Type.Union([WanInterface, PlcInterface, WifiInterface, CellInterface]);

export const GetCommResponse = Type.Object(
  {
    result: Type.Literal('succeed'),
    networkstatus: Type.Object({
      interfaces: Type.Array(CommInterface),
      system: Type.Object({ interface: Type.String(), internet: Type.String(), sms: Type.String() }),
      /** Epoch seconds, as a string. */
      ts: Type.String({ pattern: '^\\d+$' }),
    }),
  },
  { title: 'PvsGetCommResponse' },
);
export type GetCommResponse = Static<typeof GetCommResponse>;

/** `CheckFW`: `"none"` or the URL of a firmware file. No `result` key. */
export const CheckFwResponse = Type.Object({ url: Type.String({ minLength: 1 }) }, { title: 'PvsCheckFwResponse' });
export type CheckFwResponse = Static<typeof CheckFwResponse>;

/** What dl_cgi answers for a command it does not know (seed 002 shows it for DeviceDetails). */
export const UnknownCommandResponse = Type.Object(
  { result: Type.Literal('unknown command') },
  { title: 'PvsUnknownCommandResponse' },
);
export type UnknownCommandResponse = Static<typeof UnknownCommandResponse>;

/** The only DeviceDetails body documented for a PVS6 is the unknown-command answer (PVS20R1 returns HTML). */
export const DeviceDetailsResponse = UnknownCommandResponse;
export type DeviceDetailsResponse = UnknownCommandResponse;

export const GridProfileGetResponse = Type.Object(
  {
    result: Type.Literal('succeed'),
    active_name: Type.String(),
    active_id: Sha1Hex,
    pending_name: Type.String(),
    pending_id: Sha1Hex,
    percent: Type.Integer({ minimum: 0, maximum: 100 }),
    supported_by: Type.String(),
    status: Type.String(),
  },
  { title: 'PvsGridProfileGetResponse' },
);
export type GridProfileGetResponse = Static<typeof GridProfileGetResponse>;

/** A zip-code range; `-1` appears as a "no range" sentinel. Either bound may be missing in the seed text. */
export const ZipRange = Type.Object({ min: Type.Optional(Type.Integer()), max: Type.Optional(Type.Integer()) });
export const GridProfile = Type.Object({
  selfsupply: Type.Boolean(),
  /** Either `[{min,max}]` ranges or a flat list of zip codes (La Plata, PECO). */
  zipcodes: Type.Array(Type.Union([ZipRange, Type.Integer()])),
  default: Type.Boolean(),
  /** `<first 8 hex digits of id>.meta`; absent from many profiles in the seed text. */
  filename: Type.Optional(Type.String({ pattern: '^[0-9a-f]{8}\\.meta$' })),
  id: Sha1Hex,
  name: Type.String({ minLength: 1 }),
});
export type GridProfile = Static<typeof GridProfile>;

export const GridProfileRefreshResponse = Type.Object(
  {
    result: Type.Literal('succeed'),
    success: Type.Optional(Type.Boolean()),
    /** Epoch seconds of the profile database. */
    creation: Type.Optional(Type.Integer()),
    profiles: Type.Array(GridProfile),
  },
  { title: 'PvsGridProfileRefreshResponse' },
);
export type GridProfileRefreshResponse = Static<typeof GridProfileRefreshResponse>;

/** `GetCellPurchased`: `{"cell_purchased":"null"}`. The value is the *string* "null"; there is no `result`. */
export const GetCellPurchasedResponse = Type.Object(
  { cell_purchased: Type.String(), result: Type.Optional(Type.Literal('succeed')) },
  { title: 'PvsGetCellPurchasedResponse' },
);
export type GetCellPurchasedResponse = Static<typeof GetCellPurchasedResponse>;

export const SetCellPurchasedResponse = Type.Object(
  { cell_purchased: Type.String(), result: Type.Literal('succeed') },
  { title: 'PvsSetCellPurchasedResponse' },
);
export type SetCellPurchasedResponse = Static<typeof SetCellPurchasedResponse>;

/** Swagger: PROGR/NFOUND numbers; SunPower's app mock data sends PROGR as a string. Both are accepted. */
export const DiscoveryProgressEntry = Type.Object({
  TYPE: Type.String(),
  PROGR: Type.Union([Type.Integer({ minimum: 0, maximum: 100 }), NumericString]),
  NFOUND: Type.Union([Type.Integer({ minimum: 0 }), NumericString]),
});
export const GetDiscoveryProgressResponse = Type.Object(
  { progress: Type.Array(DiscoveryProgressEntry), complete: Type.Boolean(), result: Type.Literal('succeed') },
  { title: 'PvsGetDiscoveryProgressResponse' },
);
export type GetDiscoveryProgressResponse = Static<typeof GetDiscoveryProgressResponse>;

// ---------------------------------------------------------------------------------------------------------------
// ESS status: GET /cgi-bin/dl_cgi/energy-storage-system/status

/** `{unit, value}` with a JSON-number value (hass-sunpower multiplies A × V). */
export function Measurement<U extends string>(unit: U) {
  return Type.Object({ unit: Type.Literal(unit), value: Type.Number() });
}
/** A measurement whose unit the documents do not state. */
export const AnyMeasurement = Type.Object({ unit: Type.String(), value: Type.Number() });

export const EssBatteryStatus = Type.Object({
  serial_number: Type.String({ minLength: 1 }),
  last_updated: Type.Optional(EssTimestamp),
  battery_amperage: Measurement('A'),
  battery_voltage: Measurement('V'),
  temperature: Measurement('C'),
  /** Swagger / 2020 mock data. The emulator sends all three SOC fields. */
  state_of_charge: Type.Optional(Measurement('%')),
  /** Newer firmware; hass-sunpower hard-indexes these two. Customer SOC is below system SOC. */
  customer_state_of_charge: Measurement('%'),
  system_state_of_charge: Measurement('%'),
});

export const EssMeterReading = Type.Object({
  current: Measurement('A'),
  power: Measurement('W'),
  voltage: Measurement('V'),
  last_updated: Type.Optional(EssTimestamp),
});

export const EssStatusEntry = Type.Object({
  serial_number: Type.String({ minLength: 1 }),
  last_updated: Type.Optional(EssTimestamp),
  enclosure_humidity: Measurement('%'),
  enclosure_temperature: Measurement('C'),
  /** Can be null; hass-sunpower hard-indexes it, so an emulator should only send null as a fault. */
  ess_meter_reading: Type.Union([
    Type.Null(),
    Type.Object({
      last_updated: Type.Optional(EssTimestamp),
      agg_power: Measurement('kW'),
      meter_a: Type.Object({ reading: EssMeterReading }),
      meter_b: Type.Object({ reading: EssMeterReading }),
    }),
  ]),
});

export const HUB_PLUS_CONTACTOR_POSITIONS = ['OPEN', 'CLOSED', 'UNKNOWN'] as const;

export const EssHubPlusStatus = Type.Object({
  serial_number: Type.String({ minLength: 1 }),
  last_updated: Type.Optional(EssTimestamp),
  contactor_error: optString(),
  contactor_position: Type.String(),
  grid_voltage_state: Type.String(),
  load_voltage_state: optString(),
  grid_frequency_state: Type.String(),
  load_frequency_state: Type.String(),
  hub_temperature: Measurement('C'),
  hub_humidity: Measurement('%'),
  jump_start_voltage: Type.Optional(Measurement('V')),
  aux_port_voltage: Type.Optional(Measurement('V')),
  main_voltage: Measurement('V'),
  inverter_connection_voltage: Measurement('V'),
  grid_phase1_voltage: Measurement('V'),
  grid_phase2_voltage: Measurement('V'),
  load_phase1_voltage: Measurement('V'),
  load_phase2_voltage: Measurement('V'),
});

export const EssInverterStatus = Type.Object({
  serial_number: Type.String({ minLength: 1 }),
  last_updated: Type.Optional(EssTimestamp),
  ac_current: Type.Optional(Measurement('A')),
  phase_a_current: Type.Optional(Measurement('A')),
  phase_b_current: Type.Optional(Measurement('A')),
  a_n_voltage: Type.Optional(Measurement('V')),
  b_n_voltage: Type.Optional(Measurement('V')),
  ac_power: Type.Optional(Measurement('kW')),
  temperature: Type.Optional(Measurement('C')),
});

export const ESS_OPERATIONAL_MODES = [
  'UNKNOWN',
  'STANDBY',
  'MANUAL_CHARGE',
  'MANUAL_DCM',
  'DCM',
  'TARIFF_OPTIMIZER',
  'ENERGY_ARBITRAGE',
  'SELF_CONSUMPTION',
  'BACKUP_ONLY',
  'HECO_ZERO_EXPORT',
] as const;
export const STORAGE_CONTROLLER_STATUSES = ['UNKNOWN', 'NOT_RUNNING', 'RUNNING'] as const;

export const EssStateEntry = Type.Object({
  operational_mode: Type.Union(ESS_OPERATIONAL_MODES.map((m) => Type.Literal(m))),
  permission_to_operate: Type.Boolean(),
  storage_controller_status: Type.Union(STORAGE_CONTROLLER_STATUSES.map((m) => Type.Literal(m))),
  pcs_mode: Type.Optional(Type.Unknown()),
  pcs_status: Type.Optional(Type.Unknown()),
});

/** Field names only are documented; their value types are unknown. */
export const PcsSettings = Type.Object({
  msp_breaker: Type.Optional(Type.Unknown()),
  msp_busbar: Type.Optional(Type.Unknown()),
  hubplus_breaker: Type.Optional(Type.Unknown()),
  hubplus_busbar: Type.Optional(Type.Unknown()),
});

export const EssStatusResponse = Type.Object(
  {
    /** CommissioningError objects; their shape is not documented. */
    errors: Type.Array(Type.Unknown()),
    ess_report: Type.Object({
      /** Mock data shows `[null]` for a faulty device. */
      battery_status: Type.Array(Type.Union([EssBatteryStatus, Type.Null()])),
      ess_status: Type.Array(Type.Union([EssStatusEntry, Type.Null()])),
      hub_plus_status: Type.Union([EssHubPlusStatus, Type.Null()]),
      inverter_status: Type.Array(Type.Union([EssInverterStatus, Type.Null()])),
      /** An array in real data although the swagger says object. */
      ess_state: Type.Array(EssStateEntry),
      pcs_settings: Type.Optional(PcsSettings),
      last_updated: Type.Optional(EssTimestamp),
    }),
  },
  { title: 'PvsEssStatusResponse' },
);
export type EssStatusResponse = Static<typeof EssStatusResponse>;

// ---------------------------------------------------------------------------------------------------------------
// Error bodies seen on the wire (not command responses, but clients must recognise them)

/** New firmware (PVS6 ≥ 61840) and an old-firmware glitch: HTTP 403 `{ "status":403, "error" : "Unauthorized", "path":"" }`. */
export const UnauthorizedBody = Type.Object(
  { status: Type.Literal(403), error: Type.String(), path: optString() },
  { title: 'PvsUnauthorizedBody' },
);

/** The lighttpd-style 503 page seen while the supervisor restarts (seed 002). */
export const SERVICE_UNAVAILABLE_HTML =
  '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>';

/** Response schema per command name, used by `validateCommandResponse`. */
export const COMMAND_RESPONSE_SCHEMAS = {
  DeviceList: DeviceListResponse,
  Start: StartResponse,
  Stop: StopResponse,
  Get_Comm: GetCommResponse,
  CheckFW: CheckFwResponse,
  DeviceDetails: DeviceDetailsResponse,
  GridProfileGet: GridProfileGetResponse,
  GridProfileRefresh: GridProfileRefreshResponse,
  GetCellPurchased: GetCellPurchasedResponse,
  GetDiscoveryProgress: GetDiscoveryProgressResponse,
  SetCellPurchased: SetCellPurchasedResponse,
} as const satisfies Record<string, TSchema>;
export type Command = keyof typeof COMMAND_RESPONSE_SCHEMAS;
