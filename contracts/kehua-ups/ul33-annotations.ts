// What the UL33 map itself does not say: an English name and a stable key per point (names from
// /work/shared/protocols/kehua-ul33-points.md), a unit for analog points and the meanings of the
// status/alarm bytes (kehua-ups-ydt1363.md §3). Entries are ordered by the map's cmd number.
//
// Units are inferred from the point names: the map carries none, and KEHUA's own document is not
// public. The power units (kW / kVA) and the backup-time unit (min) are the least certain.

/** The meanings of one BYTE point's values, and whether a public source documents them. */
export interface ValueSet {
  readonly meanings: Readonly<Record<number, string>>;
  /** 'documented': seen in public UPS drivers for the same field; 'inferred': by analogy only. */
  readonly source: 'documented' | 'inferred';
}

/** 20H fills fields a unit does not monitor (Ydt1363.c, iTrust). */
const NOT_MONITORED = { 0x20: 'not monitored' } as const;

// 43H switch states (Eps.vue, NUT liebert-gxe): UPS-style E0H/E1H codes, not 00H/01H.
const SUPPLY_MODE: ValueSet = {
  meanings: { 0x01: 'inverter (UPS supplying)', 0x02: 'mains / bypass supplying', 0xe9: 'no output' },
  source: 'documented',
};
const SELF_TEST_RUNNING: ValueSet = { meanings: { 0xe0: 'self-test running', 0xe1: 'idle' }, source: 'documented' };
const CHARGE_MODE: ValueSet = {
  meanings: { 0xe0: 'float charge', 0xe1: 'boost / equalising charge', 0xe2: 'not charging' },
  source: 'documented',
};
const ON_OFF: ValueSet = { meanings: { 0xe0: 'off', 0xe1: 'on' }, source: 'documented' };
// Eps.vue's "逆变供电" field; that it is this map's "UPS供电" point is a guess.
const INVERTER_SOURCE: ValueSet = {
  meanings: {
    0xe0: 'charger feeds inverter',
    0xe1: 'battery feeds inverter',
    0xe2: 'charger and battery feed inverter',
    0xe3: 'inverter not fed',
  },
  source: 'inferred',
};
const GENERATOR_CONNECTED: ValueSet = { meanings: { 0xe0: 'connected', 0xe1: 'not connected' }, source: 'documented' };
const BREAKER: ValueSet = { meanings: { 0xe0: 'open', 0xe1: 'closed' }, source: 'documented' };
// No source lists this field; E0H as the affirmative follows "generator connected".
const GENERATOR_RUNNING: ValueSet = { meanings: { 0xe0: 'running', 0xe1: 'stopped' }, source: 'inferred' };

// 44H alarms (iTrust "表6.3", Eps.vue, Ydt1363.h).
const SYNC: ValueSet = { meanings: { 0x00: 'synchronised', 0x03: 'not synchronised' }, source: 'documented' };
const LIMIT_ALARM_MEANINGS = {
  0x00: 'normal',
  0x01: 'below lower limit',
  0x02: 'above upper limit',
  0xf0: 'fault',
  ...NOT_MONITORED,
} as const;
const MAINS_VOLTAGE: ValueSet = {
  meanings: { ...LIMIT_ALARM_MEANINGS, 0xe0: 'out of range', 0xf0: 'abnormal' },
  source: 'documented',
};
const NORMAL_FAULT: ValueSet = { meanings: { 0x00: 'normal', 0xf0: 'fault', ...NOT_MONITORED }, source: 'documented' };
const BYPASS_CONDITION: ValueSet = {
  meanings: { 0x00: 'normal', 0xe0: 'abnormal', 0xf0: 'abnormal', ...NOT_MONITORED },
  source: 'documented',
};
const BATTERY_VOLTAGE: ValueSet = {
  meanings: {
    0x00: 'normal',
    0x01: 'below lower limit (shutdown point)',
    0x02: 'above upper limit',
    0xe1: 'pre-alarm',
    0xe2: 'battery reversed',
    0xf0: 'fault / no battery',
    ...NOT_MONITORED,
  },
  source: 'documented',
};

// C7H/C8H are vendor-defined: no public source gives their codes. These follow the generic
// 44H alarm byte and are flagged as assumptions (kehua-ups-ydt1363.md §3.2).
const SELF_TEST_RESULT: ValueSet = {
  meanings: { 0x00: 'passed', 0x01: 'failed', 0xe0: 'testing', 0xe1: 'no result' },
  source: 'inferred',
};
const LIMIT_ALARM: ValueSet = { meanings: LIMIT_ALARM_MEANINGS, source: 'inferred' };
const VENDOR_ALARM: ValueSet = { meanings: NORMAL_FAULT.meanings, source: 'inferred' };

interface Annotation {
  readonly key: string;
  readonly nameEn: string;
  readonly unit?: string;
  readonly values?: ValueSet;
}

/** Index i annotates the map's [cmd-(i+1)]. */
export const UL33_ANNOTATIONS = [
  /*  1 */ { key: 'acInputPhaseVoltageA', nameEn: 'AC input phase voltage A', unit: 'V' },
  /*  2 */ { key: 'acInputPhaseVoltageB', nameEn: 'AC input phase voltage B', unit: 'V' },
  /*  3 */ { key: 'acInputPhaseVoltageC', nameEn: 'AC input phase voltage C', unit: 'V' },
  /*  4 */ { key: 'acOutputPhaseVoltageA', nameEn: 'AC output phase voltage A', unit: 'V' },
  /*  5 */ { key: 'acOutputPhaseVoltageB', nameEn: 'AC output phase voltage B', unit: 'V' },
  /*  6 */ { key: 'acOutputPhaseVoltageC', nameEn: 'AC output phase voltage C', unit: 'V' },
  /*  7 */ { key: 'acOutputCurrentA', nameEn: 'AC output current A', unit: 'A' },
  /*  8 */ { key: 'acOutputCurrentB', nameEn: 'AC output current B', unit: 'A' },
  /*  9 */ { key: 'acOutputCurrentC', nameEn: 'AC output current C', unit: 'A' },
  /* 10 */ { key: 'batteryVoltage', nameEn: 'Battery voltage', unit: 'V' },
  /* 11 */ { key: 'outputFrequency', nameEn: 'Output frequency (common to all phases)', unit: 'Hz' },
  /* 12 */ { key: 'acInputLineVoltageAB', nameEn: 'AC input line voltage AB', unit: 'V' },
  /* 13 */ { key: 'acInputLineVoltageBC', nameEn: 'AC input line voltage BC', unit: 'V' },
  /* 14 */ { key: 'acInputLineVoltageCA', nameEn: 'AC input line voltage CA', unit: 'V' },
  /* 15 */ { key: 'inputCurrentA', nameEn: 'Input current phase A', unit: 'A' },
  /* 16 */ { key: 'inputCurrentB', nameEn: 'Input current phase B', unit: 'A' },
  /* 17 */ { key: 'inputCurrentC', nameEn: 'Input current phase C', unit: 'A' },
  /* 18 */ { key: 'inputFrequency', nameEn: 'Input frequency (common to all phases)', unit: 'Hz' },
  /* 19 */ { key: 'bypassVoltageA', nameEn: 'Bypass voltage phase A', unit: 'V' },
  /* 20 */ { key: 'bypassVoltageB', nameEn: 'Bypass voltage phase B', unit: 'V' },
  /* 21 */ { key: 'bypassVoltageC', nameEn: 'Bypass voltage phase C', unit: 'V' },
  /* 22 */ { key: 'bypassCurrentA', nameEn: 'Bypass current phase A', unit: 'A' },
  /* 23 */ { key: 'bypassCurrentB', nameEn: 'Bypass current phase B', unit: 'A' },
  /* 24 */ { key: 'bypassCurrentC', nameEn: 'Bypass current phase C', unit: 'A' },
  /* 25 */ { key: 'bypassFrequency', nameEn: 'Bypass frequency (common to all phases)', unit: 'Hz' },
  /* 26 */ { key: 'batteryTemperature', nameEn: 'Battery temperature', unit: '°C' },
  /* 27 */ { key: 'outputActivePowerA', nameEn: 'Output active power phase A', unit: 'kW' },
  /* 28 */ { key: 'outputActivePowerB', nameEn: 'Output active power phase B', unit: 'kW' },
  /* 29 */ { key: 'outputActivePowerC', nameEn: 'Output active power phase C', unit: 'kW' },
  /* 30 */ { key: 'batteryCurrent', nameEn: 'Battery current', unit: 'A' },
  /* 31 */ { key: 'batteryBackupTimeRemaining', nameEn: 'Battery remaining backup time', unit: 'min' },
  /* 32 */ { key: 'outputApparentPowerA', nameEn: 'Output apparent power phase A', unit: 'kVA' },
  /* 33 */ { key: 'outputApparentPowerB', nameEn: 'Output apparent power phase B', unit: 'kVA' },
  /* 34 */ { key: 'outputApparentPowerC', nameEn: 'Output apparent power phase C', unit: 'kVA' },
  /* 35 */ { key: 'outputLoadPercentA', nameEn: 'Output load percent phase A', unit: '%' },
  /* 36 */ { key: 'outputLoadPercentB', nameEn: 'Output load percent phase B', unit: '%' },
  /* 37 */ { key: 'outputLoadPercentC', nameEn: 'Output load percent phase C', unit: '%' },
  /* 38 */ { key: 'ambientTemperature', nameEn: 'Ambient temperature', unit: '°C' },
  /* 39 */ { key: 'outputCrestFactorA', nameEn: 'Output crest factor phase A' },
  /* 40 */ { key: 'outputCrestFactorB', nameEn: 'Output crest factor phase B' },
  /* 41 */ { key: 'outputCrestFactorC', nameEn: 'Output crest factor phase C' },
  /* 42 */ { key: 'powerSupplyMode', nameEn: 'Power supply mode', values: SUPPLY_MODE },
  /* 43 */ { key: 'batterySelfTestInProgress', nameEn: 'Battery self-test in progress', values: SELF_TEST_RUNNING },
  /* 44 */ { key: 'chargeMode', nameEn: 'Boost / float charge (positive group)', values: CHARGE_MODE },
  /* 45 */ { key: 'onOff', nameEn: 'On / off', values: ON_OFF },
  /* 46 */ { key: 'suppliedByUps', nameEn: 'Supplied by UPS (inverter)', values: INVERTER_SOURCE },
  /* 47 */ { key: 'generatorConnected', nameEn: 'Generator connected', values: GENERATOR_CONNECTED },
  /* 48 */ { key: 'inputBreaker', nameEn: 'Input breaker state', values: BREAKER },
  /* 49 */ { key: 'manualBypassBreaker', nameEn: 'Manual bypass breaker state', values: BREAKER },
  /* 50 */ { key: 'autoBypassBreaker', nameEn: 'Automatic bypass breaker state', values: BREAKER },
  /* 51 */ { key: 'outputBreaker', nameEn: 'Output breaker state', values: BREAKER },
  /* 52 */ { key: 'generatorRunning', nameEn: 'Generator running state', values: GENERATOR_RUNNING },
  /* 53 */ { key: 'synchronisation', nameEn: 'Synchronised / not synchronised', values: SYNC },
  /* 54 */ { key: 'mainsVoltageStatus', nameEn: 'Mains voltage status', values: MAINS_VOLTAGE },
  /* 55 */ { key: 'rectifierStatus', nameEn: 'Rectifier status', values: NORMAL_FAULT },
  /* 56 */ { key: 'inverterStatus', nameEn: 'Inverter status', values: NORMAL_FAULT },
  /* 57 */ { key: 'bypassCondition', nameEn: 'Bypass condition (voltage or frequency)', values: BYPASS_CONDITION },
  /* 58 */ { key: 'batteryVoltageStatus', nameEn: 'Battery total voltage status', values: BATTERY_VOLTAGE },
  /* 59 */ { key: 'batterySelfTestResult', nameEn: 'Battery self-test result', values: SELF_TEST_RESULT },
  /* 60 */ { key: 'mainsFrequencyStatus', nameEn: 'Mains frequency status', values: LIMIT_ALARM },
  /* 61 */ { key: 'inputTransformerOverTemperature', nameEn: 'Input transformer over-temperature', values: VENDOR_ALARM },
  /* 62 */ { key: 'outputTransformerOverTemperature', nameEn: 'Output transformer over-temperature', values: VENDOR_ALARM },
  /* 63 */ { key: 'inverterThyristorFailed', nameEn: 'Inverter thyristor failed', values: VENDOR_ALARM },
  /* 64 */ { key: 'bypassThyristorFailed', nameEn: 'Bypass thyristor failed', values: VENDOR_ALARM },
  /* 65 */ { key: 'userOperationFault', nameEn: 'User operation fault', values: VENDOR_ALARM },
  /* 66 */ { key: 'inverterHeatsinkOverTemperature', nameEn: 'Inverter heatsink over-temperature', values: VENDOR_ALARM },
  /* 67 */ { key: 'rectifierHeatsinkOverTemperature', nameEn: 'Rectifier heatsink over-temperature', values: VENDOR_ALARM },
  /* 68 */ { key: 'inverterFanFault', nameEn: 'Inverter fan fault', values: VENDOR_ALARM },
  /* 69 */ { key: 'rectifierFanFault', nameEn: 'Rectifier fan fault', values: VENDOR_ALARM },
  /* 70 */ { key: 'batteryContactorFault', nameEn: 'Battery contactor fault', values: VENDOR_ALARM },
  /* 71 */ { key: 'mainContactorAbnormal', nameEn: 'Main-path contactor abnormal', values: VENDOR_ALARM },
  /* 72 */ { key: 'auxiliaryContactorAbnormal', nameEn: 'Auxiliary contactor abnormal', values: VENDOR_ALARM },
  /* 73 */ { key: 'inputFuseBlown', nameEn: 'Input fuse blown', values: VENDOR_ALARM },
  /* 74 */ { key: 'outputFuseBlown', nameEn: 'Output fuse blown', values: VENDOR_ALARM },
  /* 75 */ { key: 'unitOutputOverload', nameEn: 'Unit output overload', values: VENDOR_ALARM },
  /* 76 */ { key: 'parallelSystemOverload', nameEn: 'Parallel system overload', values: VENDOR_ALARM },
  /* 77 */ { key: 'unitOverloadTimeout', nameEn: 'Unit overload timeout', values: VENDOR_ALARM },
  /* 78 */ { key: 'bypassOvercurrentTimeout', nameEn: 'Bypass overcurrent timeout', values: VENDOR_ALARM },
  /* 79 */ { key: 'auxiliaryPowerSupply1Fault', nameEn: 'Auxiliary power supply 1 fault', values: VENDOR_ALARM },
  /* 80 */ { key: 'auxiliaryPowerSupply2Fault', nameEn: 'Auxiliary power supply 2 fault', values: VENDOR_ALARM },
  /* 81 */ { key: 'bypassAbnormalShutdown', nameEn: 'Shutdown: bypass abnormal', values: VENDOR_ALARM },
  /* 82 */ { key: 'bypassInputPhaseReversed', nameEn: 'Bypass input phase sequence reversed', values: VENDOR_ALARM },
  /* 83 */ { key: 'mainInputPhaseReversed', nameEn: 'Main input phase sequence reversed', values: VENDOR_ALARM },
  /* 84 */ { key: 'inputSoftStartFailed', nameEn: 'Input soft-start failed', values: VENDOR_ALARM },
  /* 85 */ { key: 'acOutputOvervoltage', nameEn: 'AC output overvoltage', values: VENDOR_ALARM },
  /* 86 */ { key: 'outputSurgeOvercurrent', nameEn: 'Output surge overcurrent', values: VENDOR_ALARM },
  /* 87 */ { key: 'inverterModuleOvercurrent', nameEn: 'Inverter module overcurrent', values: VENDOR_ALARM },
  /* 88 */ { key: 'rectifierModuleOvercurrent', nameEn: 'Rectifier module overcurrent', values: VENDOR_ALARM },
  /* 89 */ { key: 'loadSurgeTransferToBypass', nameEn: 'Load surge: transfer to bypass', values: VENDOR_ALARM },
  /* 90 */ { key: 'hourlyTransferLimitReached', nameEn: 'Hourly transfer-count limit reached', values: VENDOR_ALARM },
  /* 91 */ { key: 'parallelCurrentSharingFault', nameEn: 'Parallel current-sharing fault', values: VENDOR_ALARM },
  /* 92 */ { key: 'busUndervoltageShutdown', nameEn: 'Shutdown: DC bus voltage low', values: VENDOR_ALARM },
  /* 93 */ { key: 'neighbourRequestsBypass', nameEn: 'Neighbour unit requests transfer to bypass', values: VENDOR_ALARM },
  /* 94 */ { key: 'ambientOverTemperature', nameEn: 'Ambient temperature too high', values: VENDOR_ALARM },
  /* 95 */ { key: 'rectifierCommunicationFault', nameEn: 'Rectifier communication fault', values: VENDOR_ALARM },
  /* 96 */ { key: 'inverterCommunicationFault', nameEn: 'Inverter communication fault', values: VENDOR_ALARM },
  /* 97 */ { key: 'parallelBoardFault', nameEn: 'Parallel board fault', values: VENDOR_ALARM },
  /* 98 */ { key: 'dcBusOvervoltageFault', nameEn: 'DC bus overvoltage fault', values: VENDOR_ALARM },
] as const satisfies readonly Annotation[];

/** The stable key of a UL33 point, e.g. 'acInputPhaseVoltageA'. */
export type Ul33PointKey = (typeof UL33_ANNOTATIONS)[number]['key'];
