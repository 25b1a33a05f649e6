/**
 * 45H remote control: INFO is a COMMAND TYPE byte and a parameter byte. KEHUA's own codes are not public; these are
 * the two-byte commands NUT's liebert-gxe driver sends to the same UPS family (kehua-ups-ydt1363.md §1.7), which the
 * emulator also answers. A unit that does not know one answers RTN 06H (invalid data).
 */
export interface RemoteCommand {
  readonly type: number;
  readonly parameter: number;
}

export const RemoteControl = {
  BatteryTestStart: { type: 0x10, parameter: 0x02 },
  BatteryTestStop: { type: 0x10, parameter: 0x03 },
  LoadOn: { type: 0x20, parameter: 0x01 },
  LoadOff: { type: 0x20, parameter: 0x03 },
} as const satisfies Record<string, RemoteCommand>;
