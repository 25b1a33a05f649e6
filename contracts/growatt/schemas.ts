/**
 * TypeBox schemas for every covered endpoint: request parameters as they arrive on the wire (query string or
 * form body, so every value is a string) and reply envelopes.
 *
 * Strictness policy: envelopes and every object whose full key set the documents show reject unknown keys, so an
 * emulator cannot drift (say `edischargeToday` for `edischarge1Today`) unnoticed. plant/details (~50 keys) and
 * mix_data_info (~120 keys) are only partly documented; they require the keys clients read and tolerate the rest.
 * Plant endpoints send many numbers as strings (`"91.8"`), hence `NumLike` there.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ErrorEnvelope, SuccessEnvelope } from './envelope.js';
import type { EndpointId } from './endpoints.js';
import { TIME_UNITS } from './enums.js';
import { JavaCalendar, JavaDate } from './java-time.js';
import {
  TlxDataInfo,
  TlxDataInfoExtras,
  TlxDataRequest,
  TlxDeviceSnRequest,
  TlxHistoryData,
  TlxLastDataExtras,
  TlxSetRequest,
  TlxSettings,
  TlxSnRequest,
  TlxsDataData,
  TlxsDataExtras,
  TlxsDataRequest,
  TlxTelemetry,
} from './min-schemas.js';

const Int = Type.Integer();
const Num = Type.Number();
const Str = Type.String();
const Bool = Type.Boolean();
const strict = { additionalProperties: false } as const;

/** A number the plant endpoints may send as a string (`"45"`, `""`). */
export const NumLike = Type.Union([Type.Number(), Type.String()]);
/** A settings value that arrives as int, numeric string, `""`, the literal `"null"`, boolean or null. */
export const Loose = Type.Union([Type.Number(), Type.String(), Type.Boolean(), Type.Null()]);

function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

export const LocalDateTime = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$' });
export const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

// ---------------------------------------------------------------------------------------------------------------
// Requests. growattServer sends empty paging params (`page=&perpage=`), so optional numeric params accept "".

const IdParam = Type.String({ pattern: '^\\d+$' });
const SnParam = Type.String({ minLength: 1 });
const PagingParam = Type.Optional(Type.String({ pattern: '^\\d*$' }));
const DateParam = LocalDate;
/** Batch SN lists: comma-joined in one value, or repeated keys (parsed to an array); see parseSnList. */
const SnListParam = Type.Union([SnParam, Type.Array(SnParam, { minItems: 1 })]);
const TimeUnitParam = Type.Union(TIME_UNITS.map((unit) => Type.Literal(unit)));

export const PlantListRequest = Type.Object({
  page: PagingParam,
  perpage: PagingParam,
  search_type: Type.Optional(Str),
  search_keyword: Type.Optional(Str),
});
export const PlantIdRequest = Type.Object({ plant_id: IdParam });
export const PlantEnergyRequest = Type.Object({
  plant_id: IdParam,
  start_date: DateParam,
  end_date: DateParam,
  time_unit: TimeUnitParam,
  page: PagingParam,
  perpage: PagingParam,
});
export const PlantPowerRequest = Type.Object({ plant_id: IdParam, date: DateParam });
export const DeviceListRequest = Type.Object({ plant_id: IdParam, page: PagingParam, perpage: PagingParam });
export const MixDataInfoRequest = Type.Object({ device_sn: SnParam });
export const MixLastDataRequest = Type.Object({ mix_sn: SnParam });
export const MixsDataRequest = Type.Object({ mixs: SnListParam, pageNum: IdParam });
export const MixDataRequest = Type.Object({
  mix_sn: SnParam,
  start_date: DateParam,
  end_date: DateParam,
  /** "The time zone code of the data display"; the default is described as UTC. */
  timezone_id: Type.Optional(Str),
  page: PagingParam,
  perpage: PagingParam,
});
export const AlarmDataRequest = Type.Object({
  mix_sn: SnParam,
  date: DateParam,
  page: PagingParam,
  perpage: PagingParam,
});
/** Named parameters send startAddr = endAddr = 0; `paramId=set_any_reg` reads the register range instead. */
export const ReadMixParamRequest = Type.Object({
  device_sn: SnParam,
  paramId: Type.String({ minLength: 1 }),
  startAddr: PagingParam,
  endAddr: PagingParam,
});
/** param2..param18 are sent as "" when unused (growattServer always sends all 18). */
export const MixSetRequest = Type.Object({
  mix_sn: SnParam,
  type: Type.String({ minLength: 1 }),
  param1: Str,
  param2: Type.Optional(Str),
  param3: Type.Optional(Str),
  param4: Type.Optional(Str),
  param5: Type.Optional(Str),
  param6: Type.Optional(Str),
  param7: Type.Optional(Str),
  param8: Type.Optional(Str),
  param9: Type.Optional(Str),
  param10: Type.Optional(Str),
  param11: Type.Optional(Str),
  param12: Type.Optional(Str),
  param13: Type.Optional(Str),
  param14: Type.Optional(Str),
  param15: Type.Optional(Str),
  param16: Type.Optional(Str),
  param17: Type.Optional(Str),
  param18: Type.Optional(Str),
});

// ---------------------------------------------------------------------------------------------------------------
// Plant replies.

export const PlantListRow = Type.Object(
  {
    plant_id: Int,
    name: Str,
    user_id: Int,
    status: Int,
    locale: Nullable(Str),
    country: Str,
    city: Str,
    create_date: LocalDate,
    /** W here (plant/data reports kW). */
    current_power: NumLike,
    total_energy: NumLike,
    peak_power: NumLike,
    image_url: Nullable(Str),
    installer: Str,
    operator: Str,
    latitude: NumLike,
    longitude: NumLike,
    latitude_d: Nullable(Str),
    latitude_f: Nullable(Str),
  },
  strict,
);
export const PlantListData = Type.Object({ count: Int, plants: Type.Array(PlantListRow) }, strict);

const EquipmentRow = (prefix: 'module' | 'datalogger' | 'inverter' | 'max', countKey: string) =>
  Type.Object({
    [`${prefix}_man`]: Nullable(Str),
    [`${prefix}_md`]: Nullable(Str),
    [countKey]: Nullable(Int),
  });

export const PlantDetailsData = Type.Object({
  name: Str,
  city: Nullable(Str),
  country: Nullable(Str),
  /** Plant timezone as text, e.g. "GMT+8". */
  timezone: Str,
  /** kWp. */
  peak_power: NumLike,
  create_date: LocalDate,
  currency: Nullable(Str),
  latitude: Nullable(NumLike),
  longitude: Nullable(NumLike),
  locale: Nullable(Str),
  user_id: Int,
  arrays: Type.Array(EquipmentRow('module', 'num_modules')),
  dataloggers: Type.Array(EquipmentRow('datalogger', 'datalogger_num')),
  inverters: Type.Array(EquipmentRow('inverter', 'inverter_num')),
  maxs: Type.Array(EquipmentRow('max', 'max_num')),
  image_url: Type.Optional(Nullable(Str)),
  plant_type: Type.Optional(Nullable(Int)),
  status: Type.Optional(Loose),
});

export const PlantDataObject = Type.Object(
  {
    /** kW here (plant/list reports W). */
    current_power: NumLike,
    today_energy: NumLike,
    monthly_energy: NumLike,
    yearly_energy: NumLike,
    total_energy: NumLike,
    peak_power_actual: NumLike,
    efficiency: Nullable(NumLike),
    carbon_offset: NumLike,
    last_update_time: LocalDateTime,
    timezone: Str,
  },
  strict,
);
/** One client unwraps `Array.isArray(data) ? data[0] : data`; why the array form occurs is undocumented. */
export const PlantDataData = Type.Union([PlantDataObject, Type.Array(PlantDataObject, { minItems: 1 })]);

export const PlantEnergyData = Type.Object(
  {
    count: Int,
    time_unit: TimeUnitParam,
    energys: Type.Array(
      Type.Object({ date: Type.String({ pattern: '^\\d{4}(-\\d{2}(-\\d{2})?)?$' }), energy: NumLike }, strict),
    ),
  },
  strict,
);

export const PlantPowerData = Type.Object(
  {
    count: Int,
    powers: Type.Array(
      Type.Object(
        { time: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}$' }), power: Nullable(Num) },
        strict,
      ),
    ),
  },
  strict,
);

// ---------------------------------------------------------------------------------------------------------------
// Device list.

export const DeviceListRow = Type.Object(
  {
    device_sn: Str,
    last_update_time: LocalDateTime,
    model: Str,
    /** false here even when the latest-data endpoints say true. */
    lost: Bool,
    status: Int,
    manufacturer: Str,
    /** "" for meter rows. */
    device_id: Type.Union([Int, Type.Literal('')]),
    datalogger_sn: Str,
    /** See DEVICE_TYPES. */
    type: Int,
  },
  strict,
);
export const DeviceListData = Type.Object({ count: Int, devices: Type.Array(DeviceListRow) }, strict);

// ---------------------------------------------------------------------------------------------------------------
// SPH telemetry: every key of the batch page's example, with the JSON type the example carries (see fields.ts).

export const MixTelemetry = Type.Object(
  {
    serialNum: Str,
    calendar: JavaCalendar,
    withTime: Bool,
    status: Int,
    again: Bool,
    lost: Bool,
    ppv: Num,
    vpv1: Num,
    ppv1: Num,
    vpv2: Num,
    ppv2: Num,
    pac: Num,
    fac: Num,
    vac1: Num,
    pac1: Num,
    eacToday: Num,
    eacTotal: Num,
    timeTotal: Num,
    epv1Today: Num,
    epv1Total: Num,
    epv2Today: Num,
    epv2Total: Num,
    epvTotal: Num,
    faultCode: Int,
    faultBitCode: Int,
    warnCode: Int,
    errorCode: Int,
    uwSysWorkMode: Int,
    pdischarge1: Num,
    pcharge1: Num,
    vbat: Num,
    soc: Num,
    pacToUserR: Num,
    pacToUserTotal: Num,
    pacToGridR: Num,
    pacToGridTotal: Num,
    plocalLoadR: Num,
    plocalLoadTotal: Num,
    batteryTemperature: Num,
    etoUserToday: Num,
    etoUserTotal: Num,
    etoGridToday: Num,
    etogridTotal: Num,
    edischarge1Today: Num,
    edischarge1Total: Num,
    echarge1Today: Num,
    echarge1Total: Num,
    elocalLoadToday: Num,
    elocalLoadTotal: Num,
    upsFac: Num,
    upsVac1: Num,
    upsPac1: Num,
    upsLoadpercent: Num,
    upsPF: Num,
    bmsStatusOld: Int,
    bmsStatus: Int,
    bmsErrorOld: Int,
    bmsError: Int,
    bmsSOC: Int,
    bmsBatteryVolt: Num,
    bmsBatteryCurr: Num,
    bmsBatteryTemp: Num,
    bmsMaxCurr: Num,
    bmsMaxDischgCurr: Num,
    bmsGaugeRM: Num,
    bmsGaugeFCC: Num,
    bmsFW: Int,
    bmsDeltaVolt: Num,
    bmsCycleCnt: Int,
    bmsSOH: Int,
    bmsConstantVolt: Num,
    bmsWarnInfoOld: Int,
    bmsWarnInfo: Int,
    bmsMCUVersion: Int,
    bmsInfo: Int,
    bmsPackInfo: Int,
    bmsUsingCap: Int,
    bmsCell1Volt: Num,
    bmsCell2Volt: Num,
    bmsCell3Volt: Num,
    bmsCell4Volt: Num,
    bmsCell5Volt: Num,
    bmsCell6Volt: Num,
    bmsCell7Volt: Num,
    bmsCell8Volt: Num,
    bmsCell9Volt: Num,
    bmsCell10Volt: Num,
    bmsCell11Volt: Num,
    bmsCell12Volt: Num,
    bmsCell13Volt: Num,
    bmsCell14Volt: Num,
    bmsCell15Volt: Num,
    bmsCell16Volt: Num,
    acChargeEnergyToday: Num,
    acChargeEnergyTotal: Num,
    acChargePower: Num,
    vBus1: Num,
    vBus2: Num,
    temp1: Num,
    temp2: Num,
    temp3: Num,
    vBatDsp: Num,
    sysEn: Int,
    vac2: Num,
    pac2: Num,
    vac3: Num,
    pac3: Num,
    epsVac2: Num,
    epsVac3: Num,
    upsPac2: Num,
    upsPac3: Num,
    time: LocalDateTime,
    statusText: Str,
    socText: Str,
    ppvText: Str,
    errorText: Str,
    warnText: Str,
    dataLogSn: Str,
    alias: Str,
    day: Str,
    dayMap: Type.Null(),
    mixBean: Type.Null(),
    address: Int,
    epvtoday: Num,
    iac1: Num,
    iac2: Num,
    iac3: Num,
    pself: Num,
    psystem: Num,
    eselftoday: Num,
    eselftotal: Num,
    esystemtoday: Num,
    esystemtotal: Num,
    priorityChoose: Int,
    batteryType: Int,
    sysFaultWord: Int,
    sysFaultWord1: Int,
    sysFaultWord2: Int,
    sysFaultWord3: Int,
    sysFaultWord4: Int,
    sysFaultWord5: Int,
    sysFaultWord6: Int,
    sysFaultWord7: Int,
    backupWarning: Int,
    batErrorUnion: Int,
    bmsError2: Int,
    bmsError3: Int,
    bmsErrorExpansion: Int,
    bmsWarnInfo2: Int,
    bmsProtection: Int,
    bmsRequestType: Int,
    bmsHardwareVersion: Int,
    bmsHighestSoftVersion: Int,
    protectPackId: Int,
    bModuleNum: Int,
    bTotalCellNum: Int,
    moduleQty: Int,
    moduleSeriesQty: Int,
    uwBatCycleCntPre: Int,
    uwMaxCellVol: Num,
    uwMinCellVol: Num,
    uwMaxVoltCellNo: Int,
    uwMinVoltCellNo: Int,
    uwMaxTemprCell: Num,
    uwMinTemprCell: Num,
    uwMaxTemprCellNo: Int,
    uwMinTemprCellNo: Int,
    maxSingleCellVolt: Num,
    minSingleCellVolt: Num,
    maxSingleCellVoltNo: Int,
    minSingleCellVoltNo: Int,
    maxSingleCellTem: Num,
    minSingleCellTem: Num,
    maxSingleCellTemNo: Int,
    minSingleCellTemNo: Int,
    maxSOC: Num,
    minSOC: Num,
    chargeCutoffVolt: Num,
    dischargeCutoffVolt: Num,
    chargeForbiddenMark: Int,
    dischargeForbiddenMark: Int,
    capacityADD: Num,
    softwareMajorVersion: Int,
    softwareMinorVersion: Int,
    softwareDevelopMajorVersion: Int,
    softwareDevelopMinorVersion: Int,
    sgipCyclCnt: Int,
    sgipStartCyclCnt: Int,
    dsgipStartDateTime: Str,
    // Not in the documented example; Home Assistant reads them (fields.ts MIX_TELEMETRY_HA_EXTRAS).
    temp4: Type.Optional(Num),
    temp5: Type.Optional(Num),
    eselfToday: Type.Optional(Num),
    echarge1: Type.Optional(Num),
    eChargeToday: Type.Optional(Num),
  },
  strict,
);
export type MixTelemetry = Static<typeof MixTelemetry>;

/** `data[SN]` of the batch reply: `dataloggerSn` plus the telemetry under the SN itself as key. */
export const MixsDataEntry = Type.Object({ dataloggerSn: Str }, { additionalProperties: MixTelemetry, minProperties: 2 });
export type MixsDataEntry = { dataloggerSn: string } & { [sn: string]: MixTelemetry | string };

export const MixsDataData = Type.Record(Type.String({ minLength: 1 }), MixsDataEntry);

export const MixHistoryData = Type.Object(
  {
    count: Int,
    datalogger_sn: Str,
    mix_sn: Str,
    datas: Type.Array(MixTelemetry),
    next_page_start_id: Int,
  },
  strict,
);

export const AlarmRow = Type.Object(
  {
    alarmCode: Int,
    status: Int,
    /** "YYYY-MM-DD HH:mm:ss.0" (Java Timestamp text). */
    startTime: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d+)?$' }),
    endTime: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d+)?$' }),
    alarmMessage: Str,
  },
  strict,
);
export const AlarmData = Type.Object({ count: Int, mix_sn: Str, alarms: Type.Array(AlarmRow) }, strict);

/** Identity and settings; times are "H:m" without padding, switches come as 0/1 or "1", unset values as "" or "null". */
export const MixDataInfoData = Type.Object({
  serialNum: Str,
  dataLogSn: Str,
  alias: Str,
  lost: Bool,
  status: Int,
  addr: Type.Optional(Int),
  fwVersion: Type.Optional(Str),
  innerVersion: Type.Optional(Str),
  /** A Java long; values beyond 2^53 lose precision in JSON.parse. */
  model: Type.Optional(Num),
  modelText: Type.Optional(Str),
  statusText: Type.Optional(Str),
  tcpServerIp: Type.Optional(Str),
  lastUpdateTime: Type.Optional(JavaDate),
  lastUpdateTimeText: Type.Optional(LocalDateTime),
  sysTime: Type.Optional(Type.Union([LocalDateTime, JavaCalendar])),
  /** Hardware sub-type, see MIX_HARDWARE_SUBTYPES. */
  deviceType: Type.Optional(Int),
  pmax: Type.Optional(NumLike),
  vnormal: Type.Optional(NumLike),
  acChargeEnable: Type.Optional(Loose),
  priorityChoose: Type.Optional(Loose),
  chargePowerCommand: Type.Optional(Loose),
  disChargePowerCommand: Type.Optional(Loose),
  wchargeSOCLowLimit1: Type.Optional(Loose),
  wchargeSOCLowLimit2: Type.Optional(Loose),
  wdisChargeSOCLowLimit1: Type.Optional(Loose),
  wdisChargeSOCLowLimit2: Type.Optional(Loose),
  /** The unsuffixed forms growattServer and Home Assistant read (the MIN/TLX payloads' spelling). */
  wchargeSOCLowLimit: Type.Optional(Loose),
  wdisChargeSOCLowLimit: Type.Optional(Loose),
  forcedChargeTimeStart1: Type.Optional(Str),
  forcedChargeTimeStop1: Type.Optional(Str),
  forcedChargeTimeStart2: Type.Optional(Str),
  forcedChargeTimeStop2: Type.Optional(Str),
  forcedChargeTimeStart3: Type.Optional(Str),
  forcedChargeTimeStop3: Type.Optional(Str),
  forcedDischargeTimeStart1: Type.Optional(Str),
  forcedDischargeTimeStop1: Type.Optional(Str),
  forcedDischargeTimeStart2: Type.Optional(Str),
  forcedDischargeTimeStop2: Type.Optional(Str),
  forcedDischargeTimeStart3: Type.Optional(Str),
  forcedDischargeTimeStop3: Type.Optional(Str),
  forcedChargeStopSwitch1: Type.Optional(Loose),
  forcedChargeStopSwitch2: Type.Optional(Loose),
  forcedChargeStopSwitch3: Type.Optional(Loose),
  forcedDischargeStopSwitch1: Type.Optional(Loose),
  forcedDischargeStopSwitch2: Type.Optional(Loose),
  forcedDischargeStopSwitch3: Type.Optional(Loose),
  exportLimit: Type.Optional(Loose),
  exportLimitPowerRate: Type.Optional(Loose),
  epsFunEn: Type.Optional(Loose),
  pv_on_off: Type.Optional(Loose),
  pf_sys_year: Type.Optional(Loose),
});

// ---------------------------------------------------------------------------------------------------------------
// Envelopes per endpoint.

const MixDataInfoExtras = { datalogger_sn: Str, device_sn: Str };
const MixLastDataExtras = { datalogger_sn: Str, mix_sn: Str };
/** `mixs` echoes the request's SNs, duplicates included; `pageNum` echoes the page. */
const MixsDataExtras = { mixs: Type.Array(Str), pageNum: Int };

export const PlantListResponse = SuccessEnvelope(PlantListData);
export const PlantDetailsResponse = SuccessEnvelope(PlantDetailsData);
export const PlantDataResponse = SuccessEnvelope(PlantDataData);
export const PlantEnergyResponse = SuccessEnvelope(PlantEnergyData);
export const PlantPowerResponse = SuccessEnvelope(PlantPowerData);
export const DeviceListResponse = SuccessEnvelope(DeviceListData);
export const MixDataInfoResponse = SuccessEnvelope(MixDataInfoData, MixDataInfoExtras);
export const MixLastDataResponse = SuccessEnvelope(MixTelemetry, MixLastDataExtras);
export const MixsDataResponse = SuccessEnvelope(MixsDataData, MixsDataExtras);
export const MixDataResponse = SuccessEnvelope(MixHistoryData);
export const AlarmDataResponse = SuccessEnvelope(AlarmData);
/** The value comes back as a string even when numeric (`"0"`). */
export const ReadMixParamResponse = SuccessEnvelope(Str);
/** `data` is "" on success too; only error_code tells the outcomes apart. */
export const MixSetResponse = SuccessEnvelope(Str);

export const TlxDataInfoResponse = SuccessEnvelope(TlxDataInfo, TlxDataInfoExtras);
export const TlxSetInfoResponse = SuccessEnvelope(TlxSettings);
export const TlxLastDataResponse = SuccessEnvelope(TlxTelemetry, TlxLastDataExtras);
export const TlxsDataResponse = SuccessEnvelope(TlxsDataData, TlxsDataExtras);
export const TlxDataResponse = SuccessEnvelope(TlxHistoryData);
export const ReadMinParamResponse = SuccessEnvelope(Str);
export const TlxSetResponse = SuccessEnvelope(Str);

export interface EndpointSchemas {
  readonly request: TSchema;
  readonly success: TSchema;
  readonly error: TSchema;
}

export const ENDPOINT_SCHEMAS = {
  plantList: { request: PlantListRequest, success: PlantListResponse, error: ErrorEnvelope() },
  plantDetails: { request: PlantIdRequest, success: PlantDetailsResponse, error: ErrorEnvelope() },
  plantData: { request: PlantIdRequest, success: PlantDataResponse, error: ErrorEnvelope() },
  plantEnergy: { request: PlantEnergyRequest, success: PlantEnergyResponse, error: ErrorEnvelope() },
  plantPower: { request: PlantPowerRequest, success: PlantPowerResponse, error: ErrorEnvelope() },
  deviceList: { request: DeviceListRequest, success: DeviceListResponse, error: ErrorEnvelope() },
  mixDataInfo: { request: MixDataInfoRequest, success: MixDataInfoResponse, error: ErrorEnvelope(MixDataInfoExtras) },
  mixLastData: { request: MixLastDataRequest, success: MixLastDataResponse, error: ErrorEnvelope(MixLastDataExtras) },
  mixsData: { request: MixsDataRequest, success: MixsDataResponse, error: ErrorEnvelope(MixsDataExtras) },
  mixData: { request: MixDataRequest, success: MixDataResponse, error: ErrorEnvelope() },
  alarmData: { request: AlarmDataRequest, success: AlarmDataResponse, error: ErrorEnvelope() },
  readMixParam: { request: ReadMixParamRequest, success: ReadMixParamResponse, error: ErrorEnvelope() },
  mixSet: { request: MixSetRequest, success: MixSetResponse, error: ErrorEnvelope() },
  tlxDataInfo: { request: TlxDeviceSnRequest, success: TlxDataInfoResponse, error: ErrorEnvelope(TlxDataInfoExtras) },
  tlxSetInfo: { request: TlxDeviceSnRequest, success: TlxSetInfoResponse, error: ErrorEnvelope() },
  tlxLastData: { request: TlxSnRequest, success: TlxLastDataResponse, error: ErrorEnvelope(TlxLastDataExtras) },
  tlxsData: { request: TlxsDataRequest, success: TlxsDataResponse, error: ErrorEnvelope(TlxsDataExtras) },
  tlxData: { request: TlxDataRequest, success: TlxDataResponse, error: ErrorEnvelope() },
  readMinParam: { request: ReadMixParamRequest, success: ReadMinParamResponse, error: ErrorEnvelope() },
  tlxSet: { request: TlxSetRequest, success: TlxSetResponse, error: ErrorEnvelope() },
} as const satisfies { readonly [K in EndpointId]: EndpointSchemas };

/** Either reply of one endpoint, as a single schema (for documentation or tools that want one). */
export function responseSchema(endpoint: EndpointId) {
  const { success, error } = ENDPOINT_SCHEMAS[endpoint];
  return Type.Union([success, error]);
}

export type PlantListResponse = Static<typeof PlantListResponse>;
export type PlantDetailsResponse = Static<typeof PlantDetailsResponse>;
export type PlantDataResponse = Static<typeof PlantDataResponse>;
export type PlantEnergyResponse = Static<typeof PlantEnergyResponse>;
export type PlantPowerResponse = Static<typeof PlantPowerResponse>;
export type DeviceListResponse = Static<typeof DeviceListResponse>;
export type MixDataInfoResponse = Static<typeof MixDataInfoResponse>;
export type MixLastDataResponse = Static<typeof MixLastDataResponse>;
export type MixsDataResponse = Omit<Static<typeof MixsDataResponse>, 'data'> & { data: Record<string, MixsDataEntry> };
export type MixDataResponse = Static<typeof MixDataResponse>;
export type AlarmDataResponse = Static<typeof AlarmDataResponse>;
export type ReadMixParamResponse = Static<typeof ReadMixParamResponse>;
export type MixSetResponse = Static<typeof MixSetResponse>;

export type RequestParams<K extends EndpointId> = Static<(typeof ENDPOINT_SCHEMAS)[K]['request']>;
