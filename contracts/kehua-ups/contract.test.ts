import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CID1_UPS,
  FrameReader,
  INFO_CHAR_OFFSET,
  IniSyntaxError,
  Rtn,
  UL33_COMMANDS,
  UL33_INI,
  UL33_POINTS,
  Ul33MapError,
  Ul33ValuesCheck,
  buildUl33Points,
  checksum,
  decodeFrame,
  decodeInfo,
  describeRtn,
  encodeFrame,
  encodeInfo,
  layoutFor,
  lengthField,
  parseIni,
  pointByKey,
  pointsForCommand,
  rtnForFrameError,
} from './index.js';
import type { DiscardReason, FrameErrorKind, Ul33Values } from './index.js';

const SEED = '/work/shared/seeds/003_7e4c1cb9a500ca34.txt';
const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');
const hexOf = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');

/** A frame with a correct CHKSUM over whatever body is given (to reach the checks after it). */
const withChecksum = (body: string): string => `~${body}${hex4(checksum(body))}\r`;

function errorKind(text: string): FrameErrorKind | 'ok' {
  const result = decodeFrame(text);
  return result.ok ? 'ok' : result.error.kind;
}

describe('the embedded UL33 map', () => {
  it.skipIf(!existsSync(SEED))('is a verbatim copy of the seed document', () => {
    expect(UL33_INI).toBe(readFileSync(SEED, 'utf8'));
  });

  it('parses the same with or without its lost line breaks', () => {
    const oneLine = parseIni(UL33_INI);
    const lines = parseIni(UL33_INI.split(' ').join('\n'));
    expect([...lines.sections.keys()]).toEqual([...oneLine.sections.keys()]);
    expect(oneLine.sections.get('cmd-42')?.get('Index')).toBe('17');
    expect(oneLine.sections.get('TYPE')?.get('type-1')).toBe('UL');
  });

  it('rejects tokens that are not INI lines, and duplicates', () => {
    expect(() => parseIni('[A] x=1 stray')).toThrow(IniSyntaxError);
    expect(() => parseIni('[A] [A]')).toThrow(IniSyntaxError);
    expect(() => parseIni('[A] x=1 x=2')).toThrow(IniSyntaxError);
  });
});

describe('the 98 UL33 points', () => {
  it('are exactly 98, numbered 1…98, with unique keys', () => {
    expect(UL33_POINTS).toHaveLength(98);
    expect(UL33_POINTS.map((p) => p.id)).toEqual(Array.from({ length: 98 }, (_, i) => i + 1));
    expect(new Set(UL33_POINTS.map((p) => p.key)).size).toBe(98);
  });

  it('group into the documented commands with the documented counts', () => {
    const counts = Object.fromEntries(UL33_COMMANDS.map((c) => [c.toString(16).toUpperCase(), pointsForCommand(c).length]));
    expect(counts).toEqual({ '41': 11, C0: 7, C1: 8, C2: 5, C3: 7, C4: 3, '43': 11, '44': 6, C7: 30, C8: 10 });
  });

  it('do not overlap within a command', () => {
    for (const cid2 of UL33_COMMANDS) {
      const spans = pointsForCommand(cid2)
        .map((p) => [p.index, p.index + p.len] as const)
        .sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    }
  });

  // Rows copied from /work/shared/protocols/kehua-ul33-points.md.
  it.each([
    [1, 0x41, 17, 8, 'FLOAT', '交流输入相电压A', 'AC input phase voltage A'],
    [11, 0x41, 97, 8, 'FLOAT', '输出频率(三相一致)', 'Output frequency (common to all phases)'],
    [12, 0xc0, 19, 8, 'FLOAT', '交流输入线电压AB', 'AC input line voltage AB'],
    [27, 0xc2, 43, 8, 'FLOAT', 'A相输出有功功率', 'Output active power phase A'],
    [41, 0xc4, 35, 8, 'FLOAT', 'C相输出峰值比', 'Output crest factor phase C'],
    [42, 0x43, 17, 2, 'BYTE', '供电方式', 'Power supply mode'],
    [43, 0x43, 21, 2, 'BYTE', '电池自检中', 'Battery self-test in progress'],
    [58, 0x44, 27, 2, 'BYTE', '蓄电池总电压状态', 'Battery total voltage status'],
    [59, 0xc7, 19, 2, 'BYTE', '电池自检结果', 'Battery self-test result'],
    [94, 0xc8, 29, 2, 'BYTE', '环境温度过高', 'Ambient temperature too high'],
    [95, 0xc8, 47, 2, 'BYTE', '整流通讯故障', 'Rectifier communication fault'],
    [98, 0xc8, 53, 2, 'BYTE', '直流母线过压故障', 'DC bus overvoltage fault'],
  ] as const)('cmd-%i matches the translated table', (id, cid2, index, len, type, nameZh, nameEn) => {
    expect(UL33_POINTS[id - 1]).toMatchObject({ id, cid2, index, len, type, nameZh, nameEn });
  });

  it('give BYTE points value meanings and FLOAT points none', () => {
    for (const p of UL33_POINTS) {
      if (p.type === 'BYTE') expect(Object.keys(p.values?.meanings ?? {}).length, p.key).toBeGreaterThan(0);
      else expect(p.values, p.key).toBeUndefined();
    }
    expect(pointByKey('powerSupplyMode').values?.meanings[0x01]).toBe('inverter (UPS supplying)');
    expect(pointByKey('synchronisation').values?.meanings[0x03]).toBe('not synchronised');
    expect(pointByKey('batteryVoltage').unit).toBe('V');
    expect(pointByKey('outputCrestFactorA').unit).toBeUndefined();
  });

  it('come from the map text, so an inconsistent map is refused', () => {
    const broken = (from: string, to: string) => () => buildUl33Points(parseIni(UL33_INI.replace(from, to)));
    expect(broken('[cmd-1] SendCmd=41 Index=17 Len=8', '[cmd-1] SendCmd=41 Index=17 Len=2')).toThrow(Ul33MapError);
    expect(broken('[cmd-1] SendCmd=41 Index=17', '[cmd-1] SendCmd=41 Index=18')).toThrow(Ul33MapError);
    expect(broken('[cmd-1] SendCmd=41 Index=17 Len=8 type=FLOAT', '[cmd-1] SendCmd=41 Index=17 Len=8 type=INT')).toThrow(Ul33MapError);
    expect(broken('cmd-count=98', 'cmd-count=97')).toThrow(Ul33MapError);
    expect(broken('[cmd-98] SendCmd=C8', '[cmd-98] SendCmd=XY')).toThrow(Ul33MapError);
  });
});

describe('LENGTH and CHKSUM', () => {
  it.each([
    [0, '0000'], [2, 'E002'], [0x12, 'D012'], [0x30, 'D030'], [0x68, '2068'], [0x76, '3076'], [0xfff, '3FFF'],
  ])('LENID %i gives LENGTH %s', (lenid, word) => {
    expect(hex4(lengthField(lenid))).toBe(word);
  });

  it('refuses a LENID outside 12 bits', () => {
    expect(() => lengthField(0x1000)).toThrow(new RangeError('LENID must be an integer in 0…4095, got 4096'));
    expect(() => lengthField(-2)).toThrow(RangeError);
    expect(() => lengthField(2.5)).toThrow(RangeError);
  });

  it('matches the worked example: 21012A500000 → FDA4', () => {
    expect(checksum('21012A500000')).toBe(0xfda4);
    expect(encodeFrame({ ver: 0x21, adr: 1, cid1: CID1_UPS, cid2: 0x50, info: new Uint8Array() })).toBe('~21012A500000FDA4\r');
  });
});

describe('encodeFrame', () => {
  it('puts INFO byte i at character 13 + 2i, in uppercase', () => {
    const text = encodeFrame({ ver: 0x21, adr: 0xfe, cid1: 0x2a, cid2: 0x41, info: Uint8Array.of(0xab, 0x01) });
    expect(text.slice(1, 13)).toBe('21FE2A41C004');
    expect(text.slice(INFO_CHAR_OFFSET, INFO_CHAR_OFFSET + 4)).toBe('AB01');
    expect(text).toHaveLength(18 + 4);
  });

  it('refuses fields that are not bytes and INFO over 2047 bytes, naming the field', () => {
    const ok = { ver: 0x21, adr: 1, cid1: 0x2a, cid2: 0x41, info: new Uint8Array() };
    expect(() => encodeFrame({ ...ok, adr: 256 })).toThrow(new RangeError('adr must be a byte, got 256'));
    expect(() => encodeFrame({ ...ok, ver: -1 })).toThrow(new RangeError('ver must be a byte, got -1'));
    expect(() => encodeFrame({ ...ok, info: new Uint8Array(2048) })).toThrow(new RangeError('INFO is 2048 bytes, at most 2047'));
    expect(encodeFrame({ ...ok, info: new Uint8Array(2047) })).toHaveLength(18 + 4094);
  });
});

describe('decodeFrame names the failed check', () => {
  const good = '~21012A500000FDA4\r';

  it.each([
    ['', 'bad-soi'],
    ['21012A500000FDA4\r', 'bad-soi'],
    ['>21012A500000FDA4\r', 'bad-soi'],
    ['~21012A500000FDA4', 'bad-eoi'],
    ['~21012A500000FDA4\n', 'bad-eoi'],
    ['~21012A5000\r', 'bad-length'],
    ['~21012A50E002FDA4\r', 'bad-length'], // LENID 2 but no INFO
    ['~21012A50F00101FD2C\r', 'bad-length'], // odd LENID 1, and 20 characters where LENID 1 needs 19
    [withChecksum('21012A50F0010'), 'bad-length'], // odd LENID 1 in exactly 18 + 1 characters: refused for being odd
    ['~21012A501000FDA4\r', 'bad-lchksum'],
    ['~21012A500000FDA5\r', 'bad-chksum'],
    ['~21012A5000G0FDA4\r', 'non-hex'],
    ['~21012A5000:0FDA4\r', 'non-hex'], // `:`…`@` lie between `9` and `A`: not digits
    [withChecksum('21012A41E0020@'), 'non-hex'],
    [withChecksum('2:012A500000'), 'non-hex'],
    ['~21012A500000FDAZ\r', 'non-hex'],
    [withChecksum('21012a500000'), 'non-hex'], // lowercase is not valid on the wire
    [good, 'ok'],
  ])('%j → %s', (text, kind) => {
    expect(errorKind(text)).toBe(kind);
  });

  it('says what it found in each failure, with the offending offset where there is one', () => {
    const errorOf = (text: string) => {
      const result = decodeFrame(text);
      if (result.ok) throw new Error(`${JSON.stringify(text)} decoded`);
      return result.error;
    };
    // toStrictEqual: a failure without an offset has no `offset` key at all.
    expect(errorOf('21012A500000FDA4\r')).toStrictEqual({ kind: 'bad-soi', message: 'frame does not start with ~', offset: 0 });
    expect(errorOf('~21012A500000FDA4\n')).toStrictEqual({ kind: 'bad-eoi', message: 'frame does not end with CR', offset: 17 });
    expect(errorOf('~21012A5000\r')).toStrictEqual({ kind: 'bad-length', message: 'frame is 12 characters, at least 18' });
    expect(errorOf('~21012A50E002FDA4\r')).toStrictEqual({ kind: 'bad-length', message: 'frame is 18 characters, LENID 2 needs 20' });
    expect(errorOf('~21012A501000FDA4\r')).toStrictEqual({ kind: 'bad-lchksum', message: 'LENGTH 1000 fails LCHKSUM', offset: 9 });
    expect(errorOf('~21012A500000FDA5\r')).toStrictEqual({ kind: 'bad-chksum', message: 'CHKSUM FDA5, expected FDA4', offset: 13 });
    expect(errorOf('~21012A5000G0FDA4\r')).toStrictEqual({ kind: 'non-hex', message: 'LENGTH is not uppercase hex', offset: 11 });
    expect(errorOf('~21012A500000FDAZ\r')).toStrictEqual({ kind: 'non-hex', message: 'CHKSUM is not uppercase hex', offset: 16 });
    expect(errorOf(withChecksum('21012a500000'))).toStrictEqual({ kind: 'non-hex', message: 'a field character is not uppercase hex', offset: 6 });
  });

  it('refuses an odd LENID for being odd, at the LENGTH field, even when the frame is 18 + LENID long', () => {
    const text = withChecksum('21012A50F0010');
    expect(text).toHaveLength(18 + 1);
    expect(decodeFrame(text)).toEqual({ ok: false, error: { kind: 'bad-length', message: 'LENID 1 is odd', offset: 9 } });
  });

  it('checks LCHKSUM before CHKSUM, as a device does', () => {
    expect(errorKind('~21012A501000FDA5\r')).toBe('bad-lchksum');
  });

  it('reports a corrupted INFO character as a CHKSUM error, the reply a device gives', () => {
    const text = encodeFrame({ ver: 0x21, adr: 1, cid1: 0x2a, cid2: 0x41, info: Uint8Array.of(1) });
    expect(errorKind(text.slice(0, 13) + 'x' + text.slice(14))).toBe('bad-chksum');
  });
});

describe('RTN', () => {
  it('maps each decode failure to the reply a device gives, or silence', () => {
    expect(rtnForFrameError('bad-soi')).toBeUndefined();
    expect(rtnForFrameError('bad-lchksum')).toBe(Rtn.LchksumError);
    expect(rtnForFrameError('bad-chksum')).toBe(Rtn.ChksumError);
    expect(rtnForFrameError('bad-eoi')).toBe(Rtn.CommandFormatError);
    expect(rtnForFrameError('bad-length')).toBe(Rtn.CommandFormatError);
  });

  it('describes documented, vendor and reserved codes', () => {
    expect([Rtn.Normal, Rtn.VerError, Rtn.ChksumError, Rtn.LchksumError, Rtn.InvalidCid2, Rtn.CommandFormatError, Rtn.InvalidData]).toEqual([
      0, 1, 2, 3, 4, 5, 6,
    ]);
    expect(describeRtn(0x03)).toBe('LCHKSUM error');
    expect(describeRtn(0xe3)).toBe('write-protected');
    expect(describeRtn(0x90)).toBe('vendor-defined error');
    expect(describeRtn(0xf5)).toBe('reserved');
  });
});

describe('FrameReader', () => {
  const a = '~21012A500000FDA4\r';
  const b = '~21012A000000FDA9\r';

  function readAll(chunks: (string | Uint8Array)[], maxFrameChars?: number) {
    const discarded: [string, DiscardReason][] = [];
    const reader = new FrameReader({ maxFrameChars, onDiscard: (text, reason) => discarded.push([text, reason]) });
    const frames = chunks.flatMap((c) => reader.push(c));
    return { frames, discarded, pending: reader.pending };
  }

  it('splits frames and drops bytes outside them', () => {
    const { frames, discarded } = readAll([`\r\nxx${a}zz${b}`]);
    expect(frames).toEqual([a, b]);
    expect(discarded).toEqual([['\r\nxx', 'garbage'], ['zz', 'garbage']]);
  });

  it('joins a frame split across chunks and keeps the rest pending', () => {
    const { frames, pending } = readAll([a.slice(0, 5), a.slice(5) + b.slice(0, 3)]);
    expect(frames).toEqual([a]);
    expect(pending).toBe(b.slice(0, 3));
  });

  it('resynchronises on a new SOI inside an unfinished frame', () => {
    const { frames, discarded } = readAll(['~2101', `2A${a}`]);
    expect(frames).toEqual([a]);
    expect(discarded).toEqual([['~21012A', 'interrupted']]);
  });

  it('drops a frame longer than the bound and the bytes up to its CR', () => {
    const { frames, discarded, pending } = readAll([`~${'0'.repeat(30)}`, `0\r${a}`], 20);
    expect(frames).toEqual([a]);
    expect(discarded.map(([, reason]) => reason)).toEqual(['overflow', 'garbage']);
    expect(pending).toBe('');
  });

  it('reads bytes one character per byte', () => {
    const bytes = Uint8Array.from([0xff, 0x80, ...Array.from(a, (c) => c.charCodeAt(0))]);
    const { frames, discarded } = readAll([bytes]);
    expect(frames).toEqual([a]);
    expect(discarded).toEqual([['\xff\x80', 'garbage']]);
  });

  it('clear() hands back the unfinished frame', () => {
    const reader = new FrameReader();
    reader.push('~2101');
    expect(reader.clear()).toBe('~2101');
    expect(reader.push(a)).toEqual([a]);
  });
});

describe('layouts', () => {
  it('follow the map: 41H/43H/44H after DATAFLAG and X, the C-commands also after N', () => {
    const shape = Object.fromEntries(
      UL33_COMMANDS.map((c) => {
        const l = layoutFor(c)!;
        return [c.toString(16).toUpperCase(), [l.type, l.headerBytes, l.slotCount]];
      }),
    );
    expect(shape).toEqual({
      '41': ['FLOAT', 2, 11],
      C0: ['FLOAT', 3, 7],
      C1: ['FLOAT', 3, 8],
      C2: ['FLOAT', 3, 8], // slots 0–2 are sent but not mapped
      C3: ['FLOAT', 3, 7],
      C4: ['FLOAT', 3, 3],
      '43': ['BYTE', 2, 12], // slot 1 (Index 19) is not mapped
      '44': ['BYTE', 2, 6],
      C7: ['BYTE', 3, 30],
      C8: ['BYTE', 3, 18], // slots 6–13 are not mapped
    });
    expect(layoutFor(0x42)).toBeUndefined();
  });

  it("place every point at its map Index in the response frame", () => {
    const values: Ul33Values = {};
    UL33_POINTS.forEach((p, i) => (values[p.key] = p.type === 'FLOAT' ? 1000 + i * 1.5 : i + 1));
    for (const cid2 of UL33_COMMANDS) {
      const text = encodeFrame({ ver: 0x21, adr: 1, cid1: 0x2a, cid2: 0, info: encodeInfo(cid2, values) });
      for (const p of pointsForCommand(cid2)) {
        const bytes = new Uint8Array(p.len / 2);
        if (p.type === 'FLOAT') new DataView(bytes.buffer).setFloat32(0, values[p.key]!, true);
        else bytes[0] = values[p.key]!;
        expect(text.slice(p.index, p.index + p.len), `[cmd-${p.id}]`).toBe(hexOf(bytes));
      }
    }
  });

  it('write DATAFLAG, X and N, and fill unmapped slots', () => {
    const c2 = encodeInfo(0xc2, { outputActivePowerA: 1.5 }, { dataflag: 0x11, header: 0x07 });
    expect(Array.from(c2.subarray(0, 3))).toEqual([0x11, 0x07, 8]);
    expect(new DataView(c2.buffer).getFloat32(3, true)).toBe(0); // slot 0, unmapped
    expect(new DataView(c2.buffer).getFloat32(3 + 3 * 4, true)).toBe(1.5);

    const s43 = encodeInfo(0x43, { powerSupplyMode: 0x01, batterySelfTestInProgress: 0xe1 });
    expect(hexOf(s43.subarray(0, 5))).toBe('00000120E1'); // slot 1 unmapped → 20H
    expect(encodeInfo(0xc7, {}, { count: 0x2a, fillByte: 0 })[2]).toBe(0x2a);
  });

  it('drop X for 41H/43H/44H in the plain YD/T profile only', () => {
    expect(encodeInfo(0x44, { synchronisation: 3 }, { profile: 'plain' })).toEqual(
      Uint8Array.of(0, 3, 0x20, 0x20, 0x20, 0x20, 0x20),
    );
    expect(layoutFor(0xc0, 'plain')?.headerBytes).toBe(3);
  });

  it('refuse unknown commands and out-of-range bytes when encoding', () => {
    expect(() => encodeInfo(0x42, {})).toThrow(RangeError);
    expect(() => encodeInfo(0x43, { powerSupplyMode: 256 })).toThrow(RangeError);
    expect(() => encodeInfo(0x41, {}, { dataflag: -1 })).toThrow(RangeError);
  });

  it('ignore values of other commands, so one state object serves every command', () => {
    expect(encodeInfo(0x44, { synchronisation: 3, batteryVoltage: 400 })).toEqual(encodeInfo(0x44, { synchronisation: 3 }));
  });

  it('report short or unknown INFO instead of throwing', () => {
    const short = decodeInfo(0x41, new Uint8Array(45));
    expect(short.ok ? 'ok' : short.error.kind).toBe('too-short');
    const unknown = decodeInfo(0x42, new Uint8Array(50));
    expect(unknown.ok ? 'ok' : unknown.error.kind).toBe('unknown-command');
  });

  it('honour a big-endian float option on both sides', () => {
    const info = encodeInfo(0xc4, { outputCrestFactorA: 1.5 }, { floatByteOrder: 'big' });
    expect(hexOf(info.subarray(3, 7))).toBe('3FC00000');
    const decoded = decodeInfo(0xc4, info, { floatByteOrder: 'big' });
    expect(decoded.ok && decoded.values.outputCrestFactorA).toBe(1.5);
  });
});

describe('Ul33ValuesSchema', () => {
  it('accepts point values by key and refuses unknown keys and non-byte BYTE values', () => {
    expect(Ul33ValuesCheck.Check({ batteryVoltage: 409.7, powerSupplyMode: 0xe9 })).toBe(true);
    expect(Ul33ValuesCheck.Check({ batteryVolts: 409.7 })).toBe(false);
    expect(Ul33ValuesCheck.Check({ powerSupplyMode: 256 })).toBe(false);
    expect(Ul33ValuesCheck.Check({ batteryVoltage: '409.7' })).toBe(false);
  });
});
