// YD/T 1363.3 ("电总协议") frame codec, written as the specification of the wire format:
//
//   ~  VER ADR CID1 CID2/RTN  LENGTH  INFO…  CHKSUM  \r
//   0  1   3   5    7         9       13     13+LENID 17+LENID    (character offsets)
//
// Every byte between SOI and EOI travels as two uppercase ASCII hex digits, high nibble first, so
// a frame is 18 + LENID characters. LENGTH = LCHKSUM (4 bits) + LENID (12 bits, the number of
// INFO characters). CHKSUM is the 16-bit two's complement of the sum of the characters VER…INFO.
// Source: /work/shared/protocols/kehua-ups-ydt1363.md §1.

export const SOI = '~';
export const EOI = '\r';
/** Characters of a frame outside INFO: SOI, VER, ADR, CID1, CID2, LENGTH, CHKSUM, EOI. */
export const FRAME_OVERHEAD_CHARS = 18;
/** Character offset of the first INFO character (SOI at 0); a map `Index` counts from here. */
export const INFO_CHAR_OFFSET = 13;
export const MAX_LENID = 0xfff;
/** LENID counts characters and is even, so INFO holds at most 2047 bytes. */
export const MAX_INFO_BYTES = MAX_LENID >> 1;
/** The longest possible frame, in characters. */
export const MAX_FRAME_CHARS = FRAME_OVERHEAD_CHARS + MAX_LENID;

/** One frame. In a response the CID2 position carries the RTN code. */
export interface Frame {
  readonly ver: number;
  readonly adr: number;
  readonly cid1: number;
  readonly cid2: number;
  readonly info: Uint8Array;
}

/** Which check a received frame failed, in the order decodeFrame applies them. */
export type FrameErrorKind =
  | 'bad-soi' // first character is not `~`
  | 'bad-eoi' // last character is not CR
  | 'bad-length' // shorter than 18 characters, odd LENID, or length ≠ 18 + LENID
  | 'non-hex' // a field character is not an uppercase hex digit
  | 'bad-lchksum' // LENGTH nibbles do not sum to 0 mod 16
  | 'bad-chksum'; // characters + CHKSUM do not sum to 0 mod 65536

export interface FrameError {
  readonly kind: FrameErrorKind;
  readonly message: string;
  /** Character offset of the offending character or field, where there is one. */
  readonly offset?: number;
}

export type DecodeFrameResult = { readonly ok: true; readonly frame: Frame } | { readonly ok: false; readonly error: FrameError };

const HEX_DIGITS = '0123456789ABCDEF';
const BYTE_HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => HEX_DIGITS[b >> 4]! + HEX_DIGITS[b & 15]!);

/** Value of an uppercase hex digit's character code, or -1. Lowercase is not valid on the wire. */
function hexDigit(code: number): number {
  return HEX_DIGITS.indexOf(String.fromCharCode(code));
}

function isByte(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xff;
}

function wordHex(word: number): string {
  return BYTE_HEX[word >> 8]! + BYTE_HEX[word & 0xff]!;
}

/** The 16-bit LENGTH word for a LENID: LCHKSUM in the top nibble makes all four nibbles sum to 0 mod 16. */
export function lengthField(lenid: number): number {
  if (!Number.isInteger(lenid) || lenid < 0 || lenid > MAX_LENID) {
    throw new RangeError(`LENID must be an integer in 0…${MAX_LENID}, got ${lenid}`);
  }
  const nibbleSum = (lenid & 0xf) + ((lenid >> 4) & 0xf) + (lenid >> 8);
  const lchksum = -nibbleSum & 0xf;
  return (lchksum << 12) | lenid;
}

/** CHKSUM of the characters VER…INFO: the 16-bit two's complement of the sum of their codes. */
export function checksum(chars: string): number {
  let sum = 0;
  for (let i = 0; i < chars.length; i++) sum += chars.charCodeAt(i);
  return -sum & 0xffff;
}

/** Encodes a frame. Throws RangeError for a field outside 0…255 or INFO over 2047 bytes. */
export function encodeFrame(frame: Frame): string {
  const { ver, adr, cid1, cid2, info } = frame;
  for (const [name, value] of [['ver', ver], ['adr', adr], ['cid1', cid1], ['cid2', cid2]] as const) {
    if (!isByte(value)) throw new RangeError(`${name} must be a byte, got ${value}`);
  }
  if (info.length > MAX_INFO_BYTES) throw new RangeError(`INFO is ${info.length} bytes, at most ${MAX_INFO_BYTES}`);

  let body = BYTE_HEX[ver]! + BYTE_HEX[adr]! + BYTE_HEX[cid1]! + BYTE_HEX[cid2]! + wordHex(lengthField(info.length * 2));
  for (const byte of info) body += BYTE_HEX[byte]!;
  return SOI + body + wordHex(checksum(body)) + EOI;
}

function fail(kind: FrameErrorKind, message: string, offset?: number): DecodeFrameResult {
  return { ok: false, error: offset === undefined ? { kind, message } : { kind, message, offset } };
}

/** Index of the first character in [start, end) that is not an uppercase hex digit, or -1. */
function firstNonHex(text: string, start: number, end: number): number {
  for (let i = start; i < end; i++) if (hexDigit(text.charCodeAt(i)) < 0) return i;
  return -1;
}

function readHex(text: string, start: number, chars: number): number {
  let value = 0;
  for (let i = start; i < start + chars; i++) value = (value << 4) | hexDigit(text.charCodeAt(i));
  return value;
}

/**
 * Decodes one frame (SOI through EOI). Never throws. Checks run in the order a device applies
 * them (LCHKSUM before CHKSUM, the sum over the raw characters before their hex conversion), so
 * the first failure is the one a device would answer with.
 */
export function decodeFrame(text: string): DecodeFrameResult {
  if (text[0] !== SOI) return fail('bad-soi', 'frame does not start with ~', 0);
  const last = text.length - 1;
  if (text[last] !== EOI) return fail('bad-eoi', 'frame does not end with CR', last);
  if (text.length < FRAME_OVERHEAD_CHARS) {
    return fail('bad-length', `frame is ${text.length} characters, at least ${FRAME_OVERHEAD_CHARS}`);
  }

  const badLength = firstNonHex(text, 9, 13);
  if (badLength !== -1) return fail('non-hex', 'LENGTH is not uppercase hex', badLength);
  const length = readHex(text, 9, 4);
  const nibbleSum = (length >> 12) + ((length >> 8) & 0xf) + ((length >> 4) & 0xf) + (length & 0xf);
  if ((nibbleSum & 0xf) !== 0) return fail('bad-lchksum', `LENGTH ${text.slice(9, 13)} fails LCHKSUM`, 9);
  const lenid = length & MAX_LENID;
  if (lenid % 2 !== 0) return fail('bad-length', `LENID ${lenid} is odd`, 9);
  if (text.length !== FRAME_OVERHEAD_CHARS + lenid) {
    return fail('bad-length', `frame is ${text.length} characters, LENID ${lenid} needs ${FRAME_OVERHEAD_CHARS + lenid}`);
  }

  const infoEnd = INFO_CHAR_OFFSET + lenid;
  const badChk = firstNonHex(text, infoEnd, infoEnd + 4);
  if (badChk !== -1) return fail('non-hex', 'CHKSUM is not uppercase hex', badChk);
  const received = readHex(text, infoEnd, 4);
  const expected = checksum(text.slice(1, infoEnd));
  if (received !== expected) {
    return fail('bad-chksum', `CHKSUM ${wordHex(received)}, expected ${wordHex(expected)}`, infoEnd);
  }

  const badField = firstNonHex(text, 1, infoEnd);
  if (badField !== -1) return fail('non-hex', 'a field character is not uppercase hex', badField);

  const info = Uint8Array.from({ length: lenid / 2 }, (_, i) => readHex(text, INFO_CHAR_OFFSET + 2 * i, 2));
  return {
    ok: true,
    frame: { ver: readHex(text, 1, 2), adr: readHex(text, 3, 2), cid1: readHex(text, 5, 2), cid2: readHex(text, 7, 2), info },
  };
}

/** The character offset of INFO byte `i` in a frame (the inverse of a map Index). */
export function infoByteCharOffset(i: number): number {
  return INFO_CHAR_OFFSET + 2 * i;
}
