// The YD/T 1363.3 slave: one request frame in, one reply frame out (or silence). Transport-free
// and timing-free; the device behind it is reached through `SlaveDevice`.
//
// Bad input follows the device model of kehua-ups-ydt1363.md §4.3–4.4:
//   - not addressed to us (ADR unreadable or another address): silence, except a valid 50H,
//     which is answered with our own ADR (discovery);
//   - frame errors: LCHKSUM 03, CHKSUM 02, wrong length / missing EOI / non-hex 05
//     (contract's rtnForFrameError), wrong VER 01 (4FH excepted: its reply carries our VER),
//     unknown CID2 04, wrong INFO length 05, bad 45H command type 06;
//   - the dialect setting picks the data commands: 'kehua' the UL33 map's (41H, 43H, 44H, C0H…),
//     'gxe' the Emerson/Liebert GXE's (42H, 43H, 44H, 47H; contracts/kehua-ups/gxe.ts);
//   - every error reply has an empty INFO and our VER/ADR/CID1.

import {
  CID1_UPS,
  Cid2,
  INFO_CHAR_OFFSET,
  FRAME_OVERHEAD_CHARS,
  MAX_LENID,
  GXE_COMMANDS,
  Rtn,
  UL33_COMMANDS,
  decodeFrame,
  encodeFrame,
  encodeGxeInfo,
  encodeInfo,
  layoutFor,
  rtnForFrameError,
} from '../../contracts/kehua-ups/index.js';
import type { Ul33Values } from '../../contracts/kehua-ups/index.js';
import type { UpsSettings } from './settings.js';

/** What the slave needs from the unit. */
export interface SlaveDevice {
  readonly settings: Readonly<UpsSettings>;
  /**
   * The values a data command returns, read now, and the DATAFLAG byte to send with them.
   * Reading 43H/44H marks switch/alarm changes as read.
   */
  read(cid2: number): DataRead;
  /**
   * The fields of a GXE-dialect data command (42H, 43H, 44H, 47H) in their units, and the DATAFLAG;
   * 43H/44H mark changes as read. A device without it does not speak the GXE dialect (RTN 04).
   */
  readGxe?(cid2: number): { values: Readonly<Record<string, number>>; dataflag: number };
  /** 45H: executes a COMMAND TYPE with its parameter byte and returns the RTN. */
  remoteControl(commandType: number, parameter: number): number;
}

export interface DataRead {
  values: Ul33Values;
  dataflag: number;
  /** Values for slots the map skips, by slot number. */
  slots?: Readonly<Record<number, number>> | undefined;
}

/** Why the slave answered as it did; `reply` null means silence. */
export interface SlaveAnswer {
  reply: string | null;
  /** The request's CID2 when it could be read (also for error replies). */
  cid2: number | undefined;
  /** RTN of the reply, undefined for silence. */
  rtn: number | undefined;
  reason: SlaveReason;
}

export type SlaveReason =
  | 'ok'
  | 'other-address'
  | 'garbage'
  | 'interrupted'
  | 'bad-length'
  | 'bad-lchksum'
  | 'bad-chksum'
  | 'non-hex'
  | 'bad-eoi'
  | 'bad-soi'
  | 'bad-ver'
  | 'bad-cid1'
  | 'unknown-cid2'
  | 'bad-info-length'
  | 'refused';

/** 45H COMMAND TYPE values as NUT's liebert-gxe sends them (two bytes: type, parameter). */
export const RemoteCommand = {
  BatteryTest: 0x10,
  Load: 0x20,
} as const;
export const BatteryTestParam = { Start: 0x02, Stop: 0x03 } as const;
export const LoadParam = { On: 0x01, Off: 0x03 } as const;

const DATA_COMMANDS: ReadonlySet<number> = new Set(UL33_COMMANDS);
const GXE_DATA_COMMANDS: ReadonlySet<number> = new Set(GXE_COMMANDS);

/** Two uppercase hex digits at `offset`, or undefined. */
function peekByte(text: string, offset: number): number | undefined {
  const pair = text.slice(offset, offset + 2); // at most 2 characters, so no anchors are needed
  return /[0-9A-F]{2}/.test(pair) ? parseInt(pair, 16) : undefined;
}

export function hex2(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

function silence(reason: SlaveReason, cid2: number | undefined): SlaveAnswer {
  return { reply: null, cid2, rtn: undefined, reason };
}

function replyFrame(settings: Readonly<UpsSettings>, rtn: number, info: Uint8Array = new Uint8Array(0), ver = settings.ver): string {
  return encodeFrame({ ver, adr: settings.adr, cid1: CID1_UPS, cid2: rtn, info });
}

function errorReply(settings: Readonly<UpsSettings>, rtn: number, cid2: number | undefined, reason: SlaveReason): SlaveAnswer {
  return { reply: replyFrame(settings, rtn), cid2, rtn, reason };
}

/** Answers one complete frame candidate (`~` … CR) as the unit would. */
export function answerFrame(device: SlaveDevice, text: string): SlaveAnswer {
  const settings = device.settings;
  const adr = peekByte(text, 3);
  const requested = peekByte(text, 7);
  const mine = adr === settings.adr;
  if (!mine && requested !== Cid2.GetAddress) return silence('other-address', requested);

  const decoded = decodeFrame(text);
  if (!decoded.ok) {
    // A damaged frame for someone else (even if it looks like 50H) is not ours to answer.
    const rtn = mine ? rtnForFrameError(decoded.error.kind) : undefined;
    if (rtn === undefined) return silence(mine ? decoded.error.kind : 'other-address', requested);
    return errorReply(settings, rtn, requested, decoded.error.kind);
  }

  const frame = decoded.frame;
  const cid2 = frame.cid2;
  if (frame.ver !== settings.ver && cid2 !== Cid2.GetProtocolVersion) return errorReply(settings, Rtn.VerError, cid2, 'bad-ver');
  // No RTN names a wrong device type; KEHUA's choice is unknown, "command invalid" is the nearest.
  if (frame.cid1 !== CID1_UPS) return errorReply(settings, Rtn.InvalidCid2, cid2, 'bad-cid1');
  const info = frame.info;
  const ok = (replyInfo?: Uint8Array): SlaveAnswer => ({ reply: replyFrame(settings, Rtn.Normal, replyInfo), cid2, rtn: Rtn.Normal, reason: 'ok' });
  const badLength = (): SlaveAnswer => errorReply(settings, Rtn.CommandFormatError, cid2, 'bad-info-length');

  if (settings.dialect === 'gxe') {
    // The GXE answers 42H/43H/44H/47H (and 45H, 4FH, 50H, 51H below); 41H and the UL33 vendor
    // commands are unknown to it (RTN 04, below). NUT sends an empty INFO; ASSUMPTION: a GXE takes
    // no unit selector, so any INFO is a format error.
    if (GXE_DATA_COMMANDS.has(cid2) && device.readGxe) {
      if (info.length !== 0) return badLength();
      const read = device.readGxe(cid2);
      return ok(encodeGxeInfo(cid2, read.values, { dataflag: read.dataflag, header: settings.header }));
    }
  } else if (DATA_COMMANDS.has(cid2)) {
    // Known masters send an empty INFO; a one-byte unit selector is accepted and echoed in X.
    if (info.length > 1) return badLength();
    return ok(dataInfo(device, cid2, info[0]));
  }
  switch (cid2) {
    case Cid2.RemoteControl: {
      if (info.length !== 2) return badLength();
      const rtn = device.remoteControl(info[0]!, info[1]!);
      return rtn === Rtn.Normal ? ok() : errorReply(settings, rtn, cid2, 'refused');
    }
    case Cid2.GetProtocolVersion:
    case Cid2.GetAddress:
      if (info.length !== 0) return badLength();
      return ok();
    case Cid2.GetVendorInfo:
      if (info.length !== 0) return badLength();
      return ok(vendorInfo(settings));
    default:
      return errorReply(settings, Rtn.InvalidCid2, cid2, 'unknown-cid2');
  }
}

/**
 * Answers bytes the frame reader dropped. Garbage without `~` gets silence; a frame cut off by a
 * new `~` or running past its LENGTH without CR is a missing EOI: RTN 05 if it was addressed to us.
 */
export function answerDiscard(device: SlaveDevice, text: string, reason: 'garbage' | 'interrupted' | 'overflow'): SlaveAnswer {
  const requested = peekByte(text, 7);
  if (reason !== 'interrupted' || peekByte(text, 3) !== device.settings.adr) {
    return silence(reason === 'interrupted' ? 'other-address' : 'garbage', requested);
  }
  return errorReply(device.settings, Rtn.CommandFormatError, requested, 'interrupted');
}

/**
 * True when an unfinished frame already holds all the characters its LENGTH announces and the EOI
 * was not among them: a length-driven device stops there and reports a format error.
 */
export function isMissingEoi(pending: string): boolean {
  // Four hex digits: LENGTH is complete (13 characters at least) and readable.
  const lengthText = pending.slice(9, INFO_CHAR_OFFSET);
  if (!/[0-9A-F]{4}/.test(lengthText)) return false;
  const length = parseInt(lengthText, 16);
  const nibbles = (length >> 12) + ((length >> 8) & 15) + ((length >> 4) & 15) + (length & 15);
  if ((nibbles & 15) !== 0) return false;
  return pending.length >= FRAME_OVERHEAD_CHARS + (length & MAX_LENID);
}

function dataInfo(device: SlaveDevice, cid2: number, selector: number | undefined): Uint8Array {
  const s = device.settings;
  const read = device.read(cid2);
  const header = s.echoSelector && selector !== undefined ? selector : s.header;
  const info = encodeInfo(cid2, read.values, { profile: s.profile, floatByteOrder: s.floatByteOrder, dataflag: read.dataflag, header });
  if (read.slots) {
    const layout = layoutFor(cid2, s.profile)!;
    const view = new DataView(info.buffer, info.byteOffset, info.byteLength);
    for (const [slot, value] of Object.entries(read.slots)) {
      const offset = layout.headerBytes + Number(slot) * layout.bytesPerValue;
      if (layout.type === 'FLOAT') view.setFloat32(offset, value, s.floatByteOrder === 'little');
      else view.setUint8(offset, value);
    }
  }
  return info;
}

/** 51H: device name (10 bytes), software version (2 bytes), vendor name (20 bytes), space padded. */
export function vendorInfo(settings: Readonly<UpsSettings>): Uint8Array {
  const text = (value: string, size: number): number[] => Array.from(value.padEnd(size, ' ').slice(0, size), (c) => c.charCodeAt(0));
  return Uint8Array.from([
    ...text(settings.deviceName, 10),
    settings.softwareVersion >> 8,
    settings.softwareVersion & 0xff,
    ...text(settings.vendorName, 20),
  ]);
}
