import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bitString,
  encodeLength,
  explicit,
  generalizedTime,
  ia5String,
  implicit,
  integer,
  namedBits,
  oid,
  printableString,
  readChildren,
  readElement,
  sequence,
  set,
  Tag,
  tlv,
  utcTime,
  utf8String,
  x509Time,
} from './der.js';

const hex = (buffer: Buffer): string => buffer.toString('hex');

/** Independent reading of a DER INTEGER's content as two's complement. */
function decodeInteger(content: Buffer): bigint {
  let value = 0n;
  for (const byte of content) value = (value << 8n) | BigInt(byte);
  return content.length > 0 && (content[0]! & 0x80) ? value - (1n << BigInt(content.length * 8)) : value;
}

describe('DER lengths', () => {
  it('uses the short form below 128', () => {
    expect(hex(encodeLength(0))).toBe('00');
    expect(hex(encodeLength(1))).toBe('01');
    expect(hex(encodeLength(127))).toBe('7f');
  });

  it('uses 0x81 for one length octet and 0x82 for two', () => {
    expect(hex(encodeLength(128))).toBe('8180');
    expect(hex(encodeLength(255))).toBe('81ff');
    expect(hex(encodeLength(256))).toBe('820100');
    expect(hex(encodeLength(65535))).toBe('82ffff');
    expect(hex(encodeLength(65536))).toBe('83010000');
  });

  it('rejects lengths that are not non-negative integers', () => {
    expect(() => encodeLength(-1)).toThrow(RangeError);
    expect(() => encodeLength(1.5)).toThrow(RangeError);
  });

  it('round-trips any content length through the reader', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 70_000 }), (length) => {
      const element = tlv(Tag.OCTET_STRING, Buffer.alloc(length, 0xab));
      const read = readElement(element);
      expect(read.tag).toBe(Tag.OCTET_STRING);
      expect(read.content.length).toBe(length);
      expect(read.end).toBe(element.length);
      // minimal form: the header is as short as the length allows
      expect(read.contentStart).toBe(length < 0x80 ? 2 : length < 0x100 ? 3 : length < 0x10000 ? 4 : 5);
    }), { numRuns: 200 });
  });

  it('refuses truncated input', () => {
    expect(() => readElement(Buffer.from('3005020101', 'hex'))).toThrow(/past the end/);
    expect(() => readElement(Buffer.from('30', 'hex'))).toThrow(/truncated/);
  });
});

describe('DER INTEGER', () => {
  it('pads with 0x00 when the top bit would make a positive value negative', () => {
    expect(hex(integer(0))).toBe('020100');
    expect(hex(integer(127))).toBe('02017f');
    expect(hex(integer(128))).toBe('02020080');
    expect(hex(integer(255))).toBe('020200ff');
    expect(hex(integer(256))).toBe('02020100');
  });

  it('encodes negative values in minimal two’s complement', () => {
    expect(hex(integer(-1))).toBe('0201ff');
    expect(hex(integer(-128))).toBe('020180');
    expect(hex(integer(-129))).toBe('0202ff7f');
    expect(hex(integer(-256))).toBe('0202ff00');
  });

  it('treats a Buffer as an unsigned magnitude: strips leading zeros, adds sign padding', () => {
    expect(hex(integer(Buffer.from('000080', 'hex')))).toBe('02020080');
    expect(hex(integer(Buffer.from('00007f', 'hex')))).toBe('02017f');
    expect(hex(integer(Buffer.from('ff01', 'hex')))).toBe('020300ff01');
    expect(hex(integer(Buffer.from('0000', 'hex')))).toBe('020100');
    expect(hex(integer(Buffer.alloc(0)))).toBe('020100');
  });

  it('is minimal and round-trips for any bigint', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(1n << 200n), max: 1n << 200n }), (value) => {
      const { content } = readElement(integer(value));
      expect(decodeInteger(content)).toBe(value);
      if (content.length > 1) {
        // X.690 §8.3.2: the first nine bits must not be all zeros or all ones.
        const redundantZero = content[0] === 0x00 && (content[1]! & 0x80) === 0;
        const redundantOnes = content[0] === 0xff && (content[1]! & 0x80) !== 0;
        expect(redundantZero || redundantOnes).toBe(false);
      }
    }));
  });

  it('keeps any byte string positive', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (bytes) => {
      const { content } = readElement(integer(bytes));
      expect(decodeInteger(content)).toBe(BigInt(`0x${Buffer.from(bytes).toString('hex')}`));
    }));
  });

  it('rejects unsafe JavaScript numbers', () => {
    expect(() => integer(2 ** 60)).toThrow(RangeError);
  });
});

describe('DER OBJECT IDENTIFIER', () => {
  it('encodes known identifiers', () => {
    expect(hex(oid('2.5.4.3'))).toBe('0603550403');
    expect(hex(oid('1.2.840.113549'))).toBe('06062a864886f70d');
    expect(hex(oid('1.2.840.113549.1.1.11'))).toBe('06092a864886f70d01010b');
    expect(hex(oid('2.999.3'))).toBe('0603883703'); // first subidentifier 2·40+999 = 1079 needs two octets
  });

  it('matches the identifiers inside node’s own SubjectPublicKeyInfo', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const [algorithm] = readChildren(readElement(spki).content);
    expect(algorithm).toBeDefined();
    expect(hex(algorithm!.content)).toBe(hex(Buffer.concat([oid('1.2.840.10045.2.1'), oid('1.2.840.10045.3.1.7')])));
  });

  it('rejects malformed identifiers', () => {
    expect(() => oid('3.1')).toThrow();
    expect(() => oid('1')).toThrow();
    expect(() => oid('1.40')).toThrow(/below 40/);
    expect(() => oid('1.2.x')).toThrow();
  });
});

describe('DER strings, bits and times', () => {
  it('restricts PrintableString and IA5String to their alphabets', () => {
    expect(hex(printableString('A-1'))).toBe('1303412d31');
    expect(() => printableString('a@b')).toThrow();
    expect(() => printableString('a_b')).toThrow();
    expect(hex(ia5String('a@b'))).toBe('1603614062');
    expect(() => ia5String('ü')).toThrow();
    expect(hex(utf8String('ü'))).toBe('0c02c3bc');
  });

  it('drops trailing zero bits of named bit lists', () => {
    expect(hex(namedBits([0]))).toBe('03020780'); // digitalSignature
    expect(hex(namedBits([0, 2]))).toBe('030205a0'); // + keyEncipherment
    expect(hex(namedBits([0, 5, 6]))).toBe('03020186'); // + keyCertSign, cRLSign
    expect(hex(namedBits([8]))).toBe('0303070080');
    expect(hex(namedBits([]))).toBe('030100');
    expect(hex(bitString(Buffer.from([0xaa])))).toBe('030200aa');
    expect(() => bitString(Buffer.alloc(0), 3)).toThrow(RangeError);
  });

  it('writes UTCTime through 2049 and GeneralizedTime from 2050', () => {
    expect(utcTime(new Date('2024-08-23T10:17:49.900Z')).toString('latin1', 2)).toBe('240823101749Z');
    const last = x509Time(new Date('2049-12-31T23:59:59Z'));
    expect(last[0]).toBe(Tag.UTC_TIME);
    expect(last.toString('latin1', 2)).toBe('491231235959Z');
    const first = x509Time(new Date('2050-01-01T00:00:00Z'));
    expect(first[0]).toBe(Tag.GENERALIZED_TIME);
    expect(first.toString('latin1', 2)).toBe('20500101000000Z');
    expect(x509Time(new Date('1949-06-01T00:00:00Z'))[0]).toBe(Tag.GENERALIZED_TIME);
    expect(() => utcTime(new Date('2050-01-01T00:00:00Z'))).toThrow(RangeError);
    expect(() => generalizedTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('DER structure', () => {
  it('wraps explicit and implicit context tags', () => {
    expect(hex(explicit(0, integer(2)))).toBe('a003020102');
    expect(hex(explicit(3, sequence()))).toBe('a3023000');
    expect(hex(implicit(2, Buffer.from('a')))).toBe('820161');
    expect(hex(implicit(7, Buffer.from([127, 0, 0, 1])))).toBe('87047f000001');
    expect(hex(implicit(1, Buffer.alloc(0), true))).toBe('a100');
    expect(() => implicit(31, Buffer.alloc(0))).toThrow(RangeError);
  });

  it('sorts SET OF members by encoding', () => {
    const a = integer(1);
    const b = integer(2);
    expect(hex(set(b, a))).toBe(hex(set(a, b)));
    expect(hex(set(b, a))).toBe('3106020101020102');
  });

  it('reads back the children of a sequence', () => {
    const long = Buffer.alloc(300, 1);
    const children = readChildren(readElement(sequence(integer(5), tlv(Tag.OCTET_STRING, long), sequence())).content);
    expect(children.map((child) => child.tag)).toEqual([Tag.INTEGER, Tag.OCTET_STRING, Tag.SEQUENCE]);
    expect(children[1]!.content.equals(long)).toBe(true);
    expect(children[2]!.content.length).toBe(0);
  });
});
