// RTN: the return code a response carries in the CID2 position (kehua-ups-ydt1363.md §1.6, §4).

import type { FrameErrorKind } from './frame.js';

export const Rtn = {
  Normal: 0x00,
  VerError: 0x01,
  ChksumError: 0x02,
  LchksumError: 0x03,
  InvalidCid2: 0x04,
  CommandFormatError: 0x05,
  InvalidData: 0x06,
  /** Only fuhoo/ydn23 defines it; NUT and the device code stop at 06H. */
  AsciiError: 0x07,
  // Vendor range 80H–EFH: codes seen in the Vertiv TS client, iTrust and Ydt1363.h.
  NoPermission: 0xe0,
  OperationFailed: 0xe1,
  DeviceFault: 0xe2,
  WriteProtected: 0xe3,
} as const;
export type Rtn = (typeof Rtn)[keyof typeof Rtn];

export const RTN_MEANINGS: Readonly<Record<Rtn, string>> = {
  [Rtn.Normal]: 'normal',
  [Rtn.VerError]: 'VER error',
  [Rtn.ChksumError]: 'CHKSUM error',
  [Rtn.LchksumError]: 'LCHKSUM error',
  [Rtn.InvalidCid2]: 'CID2 invalid (unknown command)',
  [Rtn.CommandFormatError]: 'command format error',
  [Rtn.InvalidData]: 'invalid data',
  [Rtn.AsciiError]: 'ASCII error',
  [Rtn.NoPermission]: 'no permission',
  [Rtn.OperationFailed]: 'operation failed',
  [Rtn.DeviceFault]: 'device fault / command execution failed',
  [Rtn.WriteProtected]: 'write-protected',
};

export function isRtn(code: number): code is Rtn {
  return Object.prototype.hasOwnProperty.call(RTN_MEANINGS, code);
}

/** A readable meaning for any RTN byte, including the vendor range 80H–EFH. */
export function describeRtn(code: number): string {
  if (isRtn(code)) return RTN_MEANINGS[code];
  if (code >= 0x80 && code <= 0xef) return 'vendor-defined error';
  return 'reserved';
}

/**
 * The RTN a slave answers a malformed request with, or undefined for silence (the device model
 * of kehua-ups-ydt1363.md §4.4: no SOI → ignore; no EOI or wrong length → 05; LCHKSUM → 03;
 * CHKSUM → 02). A non-hex character that passes both checksums is a format error: which code a
 * KEHUA unit uses there is unknown, and 07H is not in the RTN set NUT or the device code know.
 */
export function rtnForFrameError(kind: FrameErrorKind): Rtn | undefined {
  switch (kind) {
    case 'bad-soi':
      return undefined;
    case 'bad-eoi':
    case 'bad-length':
    case 'non-hex':
      return Rtn.CommandFormatError;
    case 'bad-lchksum':
      return Rtn.LchksumError;
    case 'bad-chksum':
      return Rtn.ChksumError;
  }
}
