// KEHUA UPS over YD/T 1363.3 (RS-232, ASCII hex frames): the protocol as data and codecs.
// Shared by the emulator (slave) and the client (master); neither depends on the other.

export {
  SOI,
  EOI,
  FRAME_OVERHEAD_CHARS,
  INFO_CHAR_OFFSET,
  MAX_LENID,
  MAX_INFO_BYTES,
  MAX_FRAME_CHARS,
  lengthField,
  checksum,
  encodeFrame,
  decodeFrame,
  infoByteCharOffset,
} from './frame.js';
export type { Frame, FrameError, FrameErrorKind, DecodeFrameResult } from './frame.js';

export { Rtn, RTN_MEANINGS, isRtn, describeRtn, rtnForFrameError } from './rtn.js';
export { CID1_UPS, DEFAULT_VER, Cid2, DataFlag } from './commands.js';

export { FrameReader } from './frame-reader.js';
export type { FrameReaderOptions, DiscardReason } from './frame-reader.js';

export { parseIni, IniSyntaxError } from './ini.js';
export type { IniDocument } from './ini.js';
export { UL33_INI, UL33_INI_SOURCE } from './ul33.ini.js';
export { UL33_ANNOTATIONS } from './ul33-annotations.js';
export type { Ul33PointKey, ValueSet } from './ul33-annotations.js';
export {
  UL33_POINTS,
  UL33_COMMANDS,
  CHARS_PER_TYPE,
  Ul33MapError,
  buildUl33Points,
  pointByKey,
  pointsForCommand,
} from './ul33-map.js';
export type { Ul33Point, PointType } from './ul33-map.js';

export { Ul33ValuesSchema, Ul33ValuesCheck, Ul33PinsSchema, FLOAT32_MAX } from './schemas.js';

export { layoutFor, encodeInfo, decodeInfo, LayoutError, LAYOUT_PROFILES } from './layouts.js';
export type {
  InfoLayout,
  LayoutProfile,
  Ul33Values,
  InfoOptions,
  EncodeInfoOptions,
  DecodedInfo,
  DecodeInfoResult,
  InfoErrorKind,
} from './layouts.js';

export {
  UPS_DIALECTS,
  GXE_COMMANDS,
  GXE_FIELDS,
  GXE_FILL_BYTE,
  GXE_FILL_WORD,
  GXE_DRIVER_MAX_INFO_BYTES,
  GXE_WARNING_FIXED,
  GXE_REMOTE_COMMANDS,
  GxeSupply,
  GxeRectifier,
  GxeBattery,
  GxeTest,
  GxeAlarm,
  gxeAlarmActive,
  gxeLayoutFor,
  gxeFieldsFor,
  gxeWireValue,
  encodeGxeInfo,
  decodeGxeInfo,
} from './gxe.js';
export type { UpsDialect, GxeCommand, GxeField, GxeFieldKey, GxeValues, GxeLayout, EncodeGxeOptions, DecodeGxeResult } from './gxe.js';
