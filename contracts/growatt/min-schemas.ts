/**
 * TypeBox schemas of the MIN/TLX (type 7) endpoints. The documents show these payloads only in part (the notes'
 * §4.1, §9 and a live MOD-XH's keys), so the settings maps require the keys clients read and tolerate the rest,
 * while the telemetry object, built here from the observed keys, is strict like the SPH's.
 */
import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { JavaCalendar, JavaDate } from './java-time.js';

const Int = Type.Integer();
const Num = Type.Number();
const Str = Type.String();
const Bool = Type.Boolean();
const Loose = Type.Union([Type.Number(), Type.String(), Type.Boolean(), Type.Null()]);
const LocalDateTime = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$' });
const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const SnParam = Type.String({ minLength: 1 });
const PagingParam = Type.Optional(Type.String({ pattern: '^\\d*$' }));

export const TlxSnRequest = Type.Object({ tlx_sn: SnParam });
export const TlxDeviceSnRequest = Type.Object({ device_sn: SnParam });
export const TlxsDataRequest = Type.Object({ tlxs: Type.Union([SnParam, Type.Array(SnParam, { minItems: 1 })]), pageNum: Type.String({ pattern: '^\\d+$' }) });
export const TlxDataRequest = Type.Object({
  tlx_sn: SnParam,
  start_date: LocalDate,
  end_date: LocalDate,
  timezone_id: Type.Optional(Str),
  page: PagingParam,
  perpage: PagingParam,
});
/** growattServer sends param1..param19, unused ones as "". */
export const TlxSetRequest = Type.Object({
  tlx_sn: SnParam,
  type: Type.String({ minLength: 1 }),
  param1: Str,
  ...Object.fromEntries(Array.from({ length: 18 }, (_, i) => [`param${i + 2}`, Type.Optional(Str)])),
});

/** A "H:m" time without zero padding, or the literal "null"/"" of unset values. */
const HmOrUnset = Type.String({ pattern: '^(\\d{1,2}:\\d{1,2}|null|)$' });
/** "mode_0_startH_startM_endH_endM_enable", as observed on a live MOD-XH. */
export const PackedYearTime = Type.String({ pattern: '^[0-2]_\\d+_\\d{1,2}_\\d{1,2}_\\d{1,2}_\\d{1,2}_[01]$' });

const segmentKeys: TProperties = {};
for (let i = 1; i <= 9; i++) {
  segmentKeys[`yearTime${i}`] = PackedYearTime;
  segmentKeys[`forcedTimeStart${i}`] = HmOrUnset;
  segmentKeys[`forcedTimeStop${i}`] = HmOrUnset;
  segmentKeys[`time${i}Mode`] = Loose;
  segmentKeys[`forcedStopSwitch${i}`] = Loose;
}

/** tlx_set_info's data and tlx_data_info's `tlxSetbean`: the segment keys and the values Home Assistant reads. */
export const TlxSettings = Type.Object(
  {
    ...segmentKeys,
    onOff: Loose,
    acChargeEnable: Loose,
    chargePowerCommand: Loose,
    wchargeSOCLowLimit: Loose,
    disChargePowerCommand: Loose,
    wdisChargeSOCLowLimit: Loose,
    exportLimit: Loose,
    exportLimitPowerRate: Loose,
  },
  { additionalProperties: Loose },
);

export const TlxDataInfo = Type.Object(
  {
    serialNum: Str,
    dataLogSn: Str,
    /** Hardware sub-type (6 on the live MOD-XH), not device/list's 7. */
    deviceType: Int,
    lost: Bool,
    status: Int,
    lastUpdateTime: JavaDate,
    lastUpdateTimeText: LocalDateTime,
    tlxSetbean: TlxSettings,
  },
  { additionalProperties: true },
);

/** tlx_last_data, each tlxs_data entry and each tlx_data row. */
export const TlxTelemetry = Type.Object(
  {
    serialNum: Str,
    dataLogSn: Str,
    time: LocalDateTime,
    calendar: JavaCalendar,
    lost: Bool,
    again: Bool,
    status: Int,
    statusText: Str,
    ppv: Num,
    ppv1: Num,
    ppv2: Num,
    vpv1: Num,
    vpv2: Num,
    ipv1: Num,
    ipv2: Num,
    // Inputs 3 and 4 are sent, as 0 when the model has no such input (as in the documented example).
    ppv3: Num,
    ppv4: Num,
    vpv3: Num,
    vpv4: Num,
    ipv3: Num,
    ipv4: Num,
    pac: Num,
    pac1: Num,
    vac1: Num,
    iac1: Num,
    /** 0 in the documented example, where the RS line voltage is in `vacRs`. */
    vacrs: Num,
    vacRs: Num,
    fac: Num,
    pacToGridTotal: Num,
    pacToUserTotal: Num,
    pacToLocalLoad: Num,
    eacToday: Num,
    eacTotal: Num,
    epv1Today: Num,
    epv1Total: Num,
    epv2Today: Num,
    epv2Total: Num,
    epv3Today: Num,
    epv3Total: Num,
    epv4Today: Num,
    epv4Total: Num,
    epvTotal: Num,
    etoGridToday: Num,
    etoGridTotal: Num,
    etoUserToday: Num,
    etoUserTotal: Num,
    elocalLoadToday: Num,
    elocalLoadTotal: Num,
    eselfToday: Num,
    eselfTotal: Num,
    esystemToday: Num,
    esystemTotal: Num,
    pself: Num,
    psystem: Num,
    bdc1Soc: Num,
    bmsSoc: Num,
    bdc1Vbat: Num,
    bdc1ChargePower: Num,
    bdc1DischargePower: Num,
    bdc1ChargeTotal: Num,
    bdc1DischargeTotal: Num,
    bdc2ChargePower: Num,
    bdc2DischargePower: Num,
    bdc2ChargeTotal: Num,
    bdc2DischargeTotal: Num,
    pCharge: Num,
    pDischarge: Num,
    echargeToday: Num,
    echargeTotal: Num,
    edischargeToday: Num,
    edischargeTotal: Num,
    acChargeEnergyToday: Num,
    acChargeEnergyTotal: Num,
    eacChargeToday: Num,
    eacChargeTotal: Num,
    temp1: Num,
    temp2: Num,
    temp3: Num,
    temp4: Num,
    temp5: Num,
    bdc1Temp1: Num,
    timeTotal: Num,
  },
  { additionalProperties: false },
);
export type TlxTelemetry = Static<typeof TlxTelemetry>;

export const TlxsDataEntry = Type.Object({ dataloggerSn: Str }, { additionalProperties: TlxTelemetry, minProperties: 2 });
export const TlxsDataData = Type.Record(Type.String({ minLength: 1 }), TlxsDataEntry);

export const TlxHistoryData = Type.Object(
  { count: Int, datalogger_sn: Str, tlx_sn: Str, datas: Type.Array(TlxTelemetry), next_page_start_id: Int },
  { additionalProperties: false },
);

export const TlxDataInfoExtras = { datalogger_sn: Str, device_sn: Str };
export const TlxLastDataExtras = { datalogger_sn: Str, tlx_sn: Str };
export const TlxsDataExtras = { tlxs: Type.Array(Str), pageNum: Int };
