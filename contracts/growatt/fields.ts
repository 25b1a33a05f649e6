/**
 * The SPH telemetry field table of the batch page (`POST /v1/device/mix/mixs_data`), as data, reconciled with the
 * page's own example:
 * - `key` is the key as the example sends it; `docName` keeps the table's spelling where it differs
 *   (`isAgain` → `again`, `timeTotal;`, `status = 0`).
 * - `jsonType` is the type the example carries and the schema enforces. The table's type column (`docType`) says
 *   `String` for most measurements, but the example sends numbers; the example wins. `integer` means a JSON number
 *   that is always integral (codes, counters, flags, versions, cell indexes).
 * - `docType` is absent for the 78 example keys the table does not list; their `description` is ours, read from the
 *   key name, not Growatt's.
 * - The page gives no units. `unit` is inferred from names, from the implementer notes (pacToUserR and
 *   pacToGridTotal are W, not kW) and from the example itself (cells at 3.314/3.315 V with `bmsDeltaVolt: 1` ⇒ mV).
 *   `null` = unknown or unitless.
 * The same telemetry object is returned by mix_last_data and, as rows, by mix_data.
 */
export type JsonKind = 'integer' | 'number' | 'string' | 'boolean' | 'null' | 'object' | 'array';
export type DocType = 'String' | 'int' | 'boolean' | 'float' | 'Calendar';

export interface FieldSpec {
  readonly key: string;
  readonly jsonType: JsonKind;
  readonly unit: string | null;
  readonly description: string;
  readonly docType?: DocType;
  readonly docName?: string;
}

function doc(
  key: string,
  jsonType: JsonKind,
  unit: string | null,
  description: string,
  docType: DocType,
  docName?: string,
): FieldSpec {
  return docName === undefined
    ? { key, jsonType, unit, description, docType }
    : { key, jsonType, unit, description, docType, docName };
}

function extra(key: string, jsonType: JsonKind, unit: string | null, description: string): FieldSpec {
  return { key, jsonType, unit, description };
}

const cells = Array.from({ length: 16 }, (_, i) => i + 1);

/** Every key of one device's telemetry object, table rows first (in table order), then the undocumented keys. */
export const MIX_TELEMETRY_FIELDS: readonly FieldSpec[] = [
  doc('serialNum', 'string', null, 'Serial Number', 'String'),
  doc('calendar', 'object', null, 'Time', 'Calendar'),
  doc('withTime', 'boolean', null, 'Does the sent data contain time?', 'boolean'),
  doc('status', 'integer', null, 'Mix Status 0: waiting, 1: normal, 2: fault', 'int', 'status = 0'),
  doc('again', 'boolean', null, 'Is it a continuation', 'boolean', 'isAgain'),
  doc('lost', 'boolean', null, 'Whether communication is lost', 'boolean', 'lost = true'),
  doc('ppv', 'number', 'W', 'PV input total power', 'String'),
  doc('vpv1', 'number', 'V', 'PV1 input voltage', 'String'),
  doc('ppv1', 'number', 'W', 'PV1 input power', 'String'),
  doc('vpv2', 'number', 'V', 'PV2 input voltage', 'String'),
  doc('ppv2', 'number', 'W', 'PV2 input power', 'String'),
  doc('pac', 'number', 'W', 'Inverter output power', 'String'),
  doc('fac', 'number', 'Hz', 'Grid Frequency', 'String'),
  doc('vac1', 'number', 'V', 'Grid voltage', 'String'),
  doc('pac1', 'number', 'VA', 'Inverter output apparent power', 'String'),
  doc('eacToday', 'number', 'kWh', 'Daily output power of the inverter', 'String'),
  doc('eacTotal', 'number', 'kWh', 'Inverter total output power', 'String'),
  doc('timeTotal', 'number', null, 'Total running time', 'String', 'timeTotal;'),
  doc('epv1Today', 'number', 'kWh', 'PV1 daily power generation', 'String'),
  doc('epv1Total', 'number', 'kWh', 'PV1 total power generation', 'String'),
  doc('epv2Today', 'number', 'kWh', 'PV2 daily power generation', 'String'),
  doc('epv2Total', 'number', 'kWh', 'PV2 total power generation', 'String'),
  doc('epvTotal', 'number', 'kWh', 'PV total power generation', 'String'),
  doc('faultCode', 'integer', null, 'Inverter fault code', 'int'),
  doc('faultBitCode', 'integer', null, 'Inverter fault code', 'int'),
  doc('warnCode', 'integer', null, 'warning code', 'int'),
  doc('errorCode', 'integer', null, 'error code', 'int'),
  doc('uwSysWorkMode', 'integer', null, 'System working mode', 'int'),
  doc('pdischarge1', 'number', 'W', 'Battery discharge power', 'String'),
  doc('pcharge1', 'number', 'W', 'Battery charging power', 'String'),
  doc('vbat', 'number', 'V', 'Battery voltage', 'String'),
  doc('soc', 'number', '%', 'Battery remaining capacity', 'String'),
  doc('pacToUserR', 'number', 'W', 'Grid downstream power', 'String'),
  doc('pacToUserTotal', 'number', 'W', 'Total downstream power of the grid', 'String'),
  doc('pacToGridR', 'number', 'W', 'Grid reverse current power', 'String'),
  doc('pacToGridTotal', 'number', 'W', 'Total grid countercurrent power', 'String'),
  doc('plocalLoadR', 'number', 'W', 'Local load power consumption', 'String'),
  doc('plocalLoadTotal', 'number', 'W', 'Total local load power consumption', 'String'),
  // 329 next to bmsBatteryTemp 32 suggests 0.1 °C, but another doc example pairs 0 with 28: left unknown.
  doc('batteryTemperature', 'number', null, 'Battery temperature', 'String'),
  doc('etoUserToday', 'number', 'kWh', 'Grid Sunrise Electricity', 'String'),
  doc('etoUserTotal', 'number', 'kWh', 'Total grid electricity output', 'String'),
  doc('etoGridToday', 'number', 'kWh', 'Daily grid electricity', 'String'),
  doc('etogridTotal', 'number', 'kWh', 'Total grid power', 'String'),
  doc('edischarge1Today', 'number', 'kWh', 'Daily battery discharge', 'String'),
  doc('edischarge1Total', 'number', 'kWh', 'Total battery discharge', 'String'),
  doc('echarge1Today', 'number', 'kWh', 'Daily battery charge', 'String'),
  doc('echarge1Total', 'number', 'kWh', 'Total battery charge', 'String'),
  doc('elocalLoadToday', 'number', 'kWh', 'Daily power consumption of local load', 'String'),
  doc('elocalLoadTotal', 'number', 'kWh', 'Total local load power consumption', 'String'),
  doc('upsFac', 'number', 'Hz', 'Emergency power frequency', 'String'),
  doc('upsVac1', 'number', 'V', 'Emergency voltage', 'String'),
  doc('upsPac1', 'number', 'VA', 'Emergency output apparent power', 'String'),
  doc('upsLoadpercent', 'number', '%', 'Emergency output load rate', 'String'),
  // 1000 in the example: a power factor of 1 scaled by 1000, presumably.
  doc('upsPF', 'number', null, 'Emergency output power factor', 'String'),
  doc('bmsStatusOld', 'integer', null, 'Battery history status', 'int'),
  doc('bmsStatus', 'integer', null, 'Battery status', 'int'),
  doc('bmsErrorOld', 'integer', null, 'Battery history failure', 'int'),
  doc('bmsError', 'integer', null, 'Battery failure', 'int'),
  doc('bmsSOC', 'integer', '%', 'Battery remaining capacity', 'int'),
  doc('bmsBatteryVolt', 'number', 'V', 'Battery voltage', 'String'),
  doc('bmsBatteryCurr', 'number', 'A', 'Battery current', 'String'),
  doc('bmsBatteryTemp', 'number', '°C', 'Battery temperature', 'String'),
  doc('bmsMaxCurr', 'number', 'A', 'Maximum charge and discharge current', 'String'),
  doc('bmsMaxDischgCurr', 'number', 'A', 'Maximum discharge current', 'String'),
  doc('bmsGaugeRM', 'number', 'Ah', 'System Capacity', 'String'),
  doc('bmsGaugeFCC', 'number', 'Ah', 'Rated capacity', 'String'),
  doc('bmsFW', 'integer', null, 'BMS firmware version number', 'String'),
  doc('bmsDeltaVolt', 'number', 'mV', 'Pressure difference between battery cells', 'String'),
  doc('bmsCycleCnt', 'integer', null, 'Number of battery cycles', 'int'),
  doc('bmsSOH', 'integer', '%', 'Battery health status', 'int'),
  doc('bmsConstantVolt', 'number', 'V', 'Battery charging constant voltage point', 'float'),
  doc('bmsWarnInfoOld', 'integer', null, 'Battery historical warning information', 'int'),
  doc('bmsWarnInfo', 'integer', null, 'Battery warning information', 'int'),
  doc('bmsMCUVersion', 'integer', null, 'BMS firmware version', 'int'),
  doc('bmsInfo', 'integer', null, 'BMS Information', 'int'),
  doc('bmsPackInfo', 'integer', null, 'Battery Pack Information', 'int'),
  doc('bmsUsingCap', 'integer', null, 'Battery pack power type', 'int'),
  ...cells.map((n) =>
    doc(
      `bmsCell${n}Volt`,
      'number',
      'V',
      n === 1 ? 'Battery cell 1 voltage' : n === 6 ? 'Battery Single Cell 6 Voltage' : `Battery single cell ${n} voltage`,
      'String',
    ),
  ),
  doc('acChargeEnergyToday', 'number', 'kWh', 'AC daily charge', 'String'),
  doc('acChargeEnergyTotal', 'number', 'kWh', 'AC total charge', 'String'),
  doc('acChargePower', 'number', 'W', 'AC charging power', 'String'),
  doc('vBus1', 'number', 'V', 'Bus 1 voltage', 'String'),
  doc('vBus2', 'number', 'V', 'Bus 2 voltage', 'String'),
  doc('temp1', 'number', '°C', 'Temperature 1', 'String'),
  doc('temp2', 'number', '°C', 'Temperature 2', 'String'),
  doc('temp3', 'number', '°C', 'Temperature 3', 'String'),
  doc('vBatDsp', 'number', 'V', 'Battery voltage collected by DSP', 'String'),
  doc('sysEn', 'integer', null, 'System enable bit', 'int'),
  doc('vac2', 'number', 'V', 'AC side S phase voltage', 'String'),
  doc('pac2', 'number', 'W', 'AC side power', 'String'),
  doc('vac3', 'number', 'V', 'AC side T phase voltage', 'String'),
  doc('pac3', 'number', 'W', 'AC side power', 'String'),
  doc('epsVac2', 'number', 'V', 'S-phase voltage on off-grid side', 'String'),
  doc('epsVac3', 'number', 'V', 'T-phase voltage on off-grid side', 'String'),
  doc('upsPac2', 'number', 'W', 'Off-grid side power', 'String'),
  doc('upsPac3', 'number', 'W', 'Off-grid side power', 'String'),

  // In the example, not in the table.
  extra('time', 'string', null, 'Sample time, plant-local "YYYY-MM-DD HH:mm:ss" without offset'),
  extra('statusText', 'string', null, 'Status as text, e.g. "PV Bat Online"'),
  extra('socText', 'string', null, 'soc as text, e.g. "84%"'),
  extra('ppvText', 'string', null, 'ppv as text, e.g. "245.4 W"'),
  extra('errorText', 'string', null, 'Error as text ("Unknown" when none)'),
  extra('warnText', 'string', null, 'Warning as text ("Unknown" when none)'),
  extra('dataLogSn', 'string', null, 'Datalogger SN (empty here; the batch wrapper carries dataloggerSn)'),
  extra('alias', 'string', null, 'Device alias'),
  extra('day', 'string', null, 'Day (empty in the example)'),
  extra('dayMap', 'null', null, 'Day map (null in the example)'),
  extra('mixBean', 'null', null, 'Embedded device bean (null in the example)'),
  extra('address', 'integer', null, 'Device address'),
  extra('epvtoday', 'number', 'kWh', 'PV energy today, all strings'),
  extra('iac1', 'number', 'A', 'AC current, phase 1'),
  extra('iac2', 'number', 'A', 'AC current, phase 2'),
  extra('iac3', 'number', 'A', 'AC current, phase 3'),
  extra('pself', 'number', 'W', 'Self-consumption power'),
  extra('psystem', 'number', 'W', 'System power'),
  extra('eselftoday', 'number', 'kWh', 'Self-consumed energy today'),
  extra('eselftotal', 'number', 'kWh', 'Self-consumed energy total'),
  extra('esystemtoday', 'number', 'kWh', 'System energy today'),
  extra('esystemtotal', 'number', 'kWh', 'System energy total'),
  extra('priorityChoose', 'integer', null, 'Energy priority selection'),
  extra('batteryType', 'integer', null, 'Battery type'),
  extra('sysFaultWord', 'integer', null, 'System fault word'),
  ...Array.from({ length: 7 }, (_, i) => extra(`sysFaultWord${i + 1}`, 'integer', null, `System fault word ${i + 1}`)),
  extra('backupWarning', 'integer', null, 'Backup warning'),
  extra('batErrorUnion', 'integer', null, 'Battery error union'),
  extra('bmsError2', 'integer', null, 'Battery failure word 2'),
  extra('bmsError3', 'integer', null, 'Battery failure word 3'),
  extra('bmsErrorExpansion', 'integer', null, 'Battery failure expansion word'),
  extra('bmsWarnInfo2', 'integer', null, 'Battery warning information 2'),
  extra('bmsProtection', 'integer', null, 'Battery protection word'),
  extra('bmsRequestType', 'integer', null, 'BMS request type'),
  extra('bmsHardwareVersion', 'integer', null, 'BMS hardware version'),
  extra('bmsHighestSoftVersion', 'integer', null, 'BMS highest software version'),
  extra('protectPackId', 'integer', null, 'Protecting pack ID'),
  extra('bModuleNum', 'integer', null, 'Number of battery modules'),
  extra('bTotalCellNum', 'integer', null, 'Total number of battery cells'),
  extra('moduleQty', 'integer', null, 'Battery module quantity'),
  extra('moduleSeriesQty', 'integer', null, 'Battery modules in series'),
  extra('uwBatCycleCntPre', 'integer', null, 'Previous battery cycle count'),
  extra('uwMaxCellVol', 'number', 'V', 'Highest cell voltage'),
  extra('uwMinCellVol', 'number', 'V', 'Lowest cell voltage'),
  extra('uwMaxVoltCellNo', 'integer', null, 'Index of the highest-voltage cell'),
  extra('uwMinVoltCellNo', 'integer', null, 'Index of the lowest-voltage cell'),
  extra('uwMaxTemprCell', 'number', '°C', 'Highest cell temperature'),
  extra('uwMinTemprCell', 'number', '°C', 'Lowest cell temperature'),
  extra('uwMaxTemprCellNo', 'integer', null, 'Index of the hottest cell'),
  extra('uwMinTemprCellNo', 'integer', null, 'Index of the coldest cell'),
  extra('maxSingleCellVolt', 'number', 'V', 'Highest single-cell voltage'),
  extra('minSingleCellVolt', 'number', 'V', 'Lowest single-cell voltage'),
  extra('maxSingleCellVoltNo', 'integer', null, 'Index of the highest single-cell voltage'),
  extra('minSingleCellVoltNo', 'integer', null, 'Index of the lowest single-cell voltage'),
  extra('maxSingleCellTem', 'number', '°C', 'Highest single-cell temperature'),
  extra('minSingleCellTem', 'number', '°C', 'Lowest single-cell temperature'),
  extra('maxSingleCellTemNo', 'integer', null, 'Index of the hottest single cell'),
  extra('minSingleCellTemNo', 'integer', null, 'Index of the coldest single cell'),
  extra('maxSOC', 'number', '%', 'Maximum SOC'),
  extra('minSOC', 'number', '%', 'Minimum SOC'),
  extra('chargeCutoffVolt', 'number', 'V', 'Charge cut-off voltage'),
  extra('dischargeCutoffVolt', 'number', 'V', 'Discharge cut-off voltage'),
  extra('chargeForbiddenMark', 'integer', null, 'Charging forbidden flag'),
  extra('dischargeForbiddenMark', 'integer', null, 'Discharging forbidden flag'),
  extra('capacityADD', 'number', null, 'Added capacity'),
  extra('softwareMajorVersion', 'integer', null, 'Software major version'),
  extra('softwareMinorVersion', 'integer', null, 'Software minor version'),
  extra('softwareDevelopMajorVersion', 'integer', null, 'Software development major version'),
  extra('softwareDevelopMinorVersion', 'integer', null, 'Software development minor version'),
  extra('sgipCyclCnt', 'integer', null, 'SGIP cycle count'),
  extra('sgipStartCyclCnt', 'integer', null, 'SGIP start cycle count'),
  extra('dsgipStartDateTime', 'string', null, 'SGIP start date-time (the literal string "null" in the example)'),
];

/**
 * Keys the emulator sends beyond the documented example because Home Assistant's SPH sensors read them. Which of
 * them the live service sends is unconfirmed; the schema marks them optional so the recorded example still passes.
 */
export const MIX_TELEMETRY_HA_EXTRAS: readonly FieldSpec[] = [
  extra('temp4', 'number', '°C', 'Temperature 4 (PV boost stage) [inferred]'),
  extra('temp5', 'number', '°C', 'Temperature 5 (battery converter) [inferred]'),
  extra('eselfToday', 'number', 'kWh', 'Load met by PV and battery today (HA: self consumption today)'),
  extra('echarge1', 'number', 'kWh', 'Load met by the battery today (HA: load consumption from battery today)'),
  extra('eChargeToday', 'number', 'kWh', 'Load met by PV today, eselfToday − echarge1 (HA: load consumption from solar today)'),
];

/**
 * What Home Assistant's SPH coordinator reads from the merge of `sph_detail` (mix_data_info) and `sph_energy`
 * (mix_last_data), with the JSON type its sensors need: 33 numbers and the sample time.
 */
export const HA_SPH_FIELDS: readonly { key: string; jsonType: 'number' | 'string' }[] = [
  ...[
    ...['bmsSOC', 'vbat', 'vpv1', 'vpv2', 'vac1'],
    ...['pcharge1', 'pdischarge1', 'pacToGridTotal', 'pacToUserR', 'fac', 'temp1', 'temp2', 'temp3', 'temp4', 'temp5', 'ppv', 'ppv1', 'ppv2'],
    ...['echarge1Today', 'echarge1Total', 'edischarge1Today', 'edischarge1Total', 'epvtoday', 'epvTotal', 'esystemtoday', 'eselfToday'],
    ...['etoUserToday', 'etoGridToday', 'etogridTotal', 'elocalLoadToday', 'elocalLoadTotal', 'echarge1', 'eChargeToday'],
  ].map((key) => ({ key, jsonType: 'number' as const })),
  { key: 'time', jsonType: 'string' },
];

/**
 * What Home Assistant's MIN/TLX entities read in token (API) mode, with the JSON type they need. Its coordinator
 * (homeassistant/components/growatt_server/coordinator.py, the `min` branch) merges growattServer's `min_detail`
 * (tlx_data_info), `min_settings` (tlx_set_info) and `min_energy` (tlx_last_data), later keys winning; the sensors
 * are TLX_SENSOR_TYPES' `api_key`s (sensor/tlx.py), the numbers and the AC-charge switch are number.py's and
 * switch.py's MIN descriptions, and the time-segment services read `forcedTimeStart/StopN`, `timeNMode` and
 * `forcedStopSwitchN` (coordinator.py `_parse_time_segment`). `acChargeEnable` must be a number: the switch takes
 * `bool(value)`, which is true for the string "0".
 */
export const HA_MIN_FIELDS: readonly { key: string; jsonType: 'number' | 'string' }[] = [
  ...[
    // sensor/tlx.py: energy and power per PV input (a MIN has up to four)
    ...['eacToday', 'eacTotal', 'epvTotal', 'ppv', 'pac', 'fac', 'vacrs'],
    ...[1, 2, 3, 4].flatMap((n) => [`epv${n}Today`, `epv${n}Total`, `vpv${n}`, `ipv${n}`, `ppv${n}`]),
    ...['temp1', 'temp2', 'temp3', 'temp4', 'temp5'],
    // batteries: both converters' powers and totals, and the sums
    ...['edischargeToday', 'edischargeTotal', 'echargeToday', 'echargeTotal', 'bmsSoc'],
    ...[1, 2].flatMap((n) => [`bdc${n}DischargePower`, `bdc${n}DischargeTotal`, `bdc${n}ChargePower`, `bdc${n}ChargeTotal`]),
    // grid, house and self-consumption
    ...['etoGridToday', 'etoGridTotal', 'elocalLoadToday', 'elocalLoadTotal', 'etoUserToday', 'etoUserTotal'],
    ...['pacToLocalLoad', 'pacToUserTotal', 'pacToGridTotal', 'esystemToday', 'esystemTotal', 'eselfToday', 'eselfTotal'],
    ...['eacChargeToday', 'eacChargeTotal', 'psystem', 'pself'],
    // number.py and switch.py (MIN, token mode)
    ...['chargePowerCommand', 'wchargeSOCLowLimit', 'disChargePowerCommand', 'wdisChargeSOCLowLimit', 'onGridDischargeStopSOC', 'acChargeEnable'],
    ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`time${n}Mode`, `forcedStopSwitch${n}`]),
  ].map((key) => ({ key, jsonType: 'number' as const })),
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`forcedTimeStart${n}`, `forcedTimeStop${n}`]).map((key) => ({ key, jsonType: 'string' as const })),
];

/**
 * Keys Home Assistant's TLX sensors read that tlx_last_data does not carry: the sensors were written for the
 * username/password API's tlx_detail. The v1 field list (GrowattPublicApiPy's `MinEnergyOverviewData`, taken from
 * the showdoc page) has `epvTotal` but no `epvToday`, so in token mode HA's "solar generation today" stays unknown;
 * the emulator does not invent it [inferred from that list; unconfirmed on a live device].
 */
export const HA_MIN_LEGACY_ONLY_FIELDS: readonly string[] = ['epvToday'];

/**
 * What HA's plant ("total") coordinator reads in token mode from growattServer's `plant_energy_overview`
 * (GET plant/data): numbers or numeric strings, as the service mixes both (coordinator.py, `total` branch).
 */
export const HA_TOTAL_FIELDS: readonly string[] = ['today_energy', 'total_energy', 'current_power'];

/** Top-level keys of the batch reply. The table lists error_code with its type and name columns swapped. */
export const MIXS_DATA_TOP_LEVEL_FIELDS: readonly FieldSpec[] = [
  extra('mixs', 'array', null, 'The requested SNs, echoed as sent (duplicates included)'),
  extra('data', 'object', null, 'SN → { dataloggerSn, SN → telemetry }'),
  doc('error_code', 'integer', null, '0: Normal return, 10001: System error, 10002: Device serial number error, 10003: Date format error, 10004: Date interval exceeds seven days, 10005: Mix does not exist', 'String'),
  doc('error_msg', 'string', null, 'Error message prompt', 'String'),
  extra('pageNum', 'integer', null, 'Page number echoed from the request'),
];

/** Keys of one `data[SN]` wrapper besides the SN-keyed telemetry object. */
export const MIXS_DATA_ENTRY_FIELDS: readonly FieldSpec[] = [
  extra('dataloggerSn', 'string', null, 'Datalogger SN the device reports through'),
];

export function fieldSpec(key: string): FieldSpec | undefined {
  return MIX_TELEMETRY_FIELDS.find((field) => field.key === key);
}
