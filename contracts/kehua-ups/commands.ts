// Device type, command codes and DATAFLAG bits for a UPS (kehua-ups-ydt1363.md §1.5, §1.7, §1.9).

/** CID1 of a UPS. */
export const CID1_UPS = 0x2a;

/** VER values seen on real devices; KEHUA's own is unknown, so 21H (Emerson UL33 lineage) is the default. */
export const DEFAULT_VER = 0x21;

export const Cid2 = {
  GetAnalogFloat: 0x41,
  GetAnalogFixed: 0x42,
  GetSwitchStatus: 0x43,
  GetAlarmStatus: 0x44,
  RemoteControl: 0x45,
  GetParametersFloat: 0x46,
  GetParametersFixed: 0x47,
  SetParameterFloat: 0x48,
  SetParameterFixed: 0x49,
  GetHistoryFloat: 0x4a,
  GetHistoryFixed: 0x4b,
  GetAlarmHistory: 0x4c,
  GetTime: 0x4d,
  SetTime: 0x4e,
  GetProtocolVersion: 0x4f,
  GetAddress: 0x50,
  GetVendorInfo: 0x51,
  // Vendor-defined (80H–EFH). Names describe what the UL33 map reads from each response.
  GetInputAnalog: 0xc0,
  GetBypassAnalog: 0xc1,
  GetOutputPower: 0xc2,
  GetOutputLoad: 0xc3,
  GetCrestFactors: 0xc4,
  GetVendorAlarms1: 0xc7,
  GetVendorAlarms2: 0xc8,
} as const;
export type Cid2 = (typeof Cid2)[keyof typeof Cid2];

/** DATAFLAG, the first INFO byte of a data response (never in a request). Other bits are 0. */
export const DataFlag = {
  /** Unread alarm changes: poll 44H (reading it clears the bit). */
  AlarmChanged: 0x01,
  /** Unread switch-state changes: poll 43H (reading it clears the bit). */
  SwitchChanged: 0x10,
} as const;
