import { describe, expect, it } from 'vitest';
import {
  CAPTURED_2AH_ANALOG,
  CAPTURED_2AH_VENDOR_BLOCK,
  GET_ADDRESS_REPLY,
  GET_ADDRESS_REQUEST,
  REQUEST_41H,
  REQUEST_41H_VER20,
  REQUEST_41H_WITH_SELECTOR,
  RTN_CHKSUM_ERROR_REPLY,
  RTN_INVALID_CID2_REPLY,
} from '../../contracts/kehua-ups/fixtures/frames.js';
import { DataFlag, INFO_CHAR_OFFSET, Rtn, UL33_COMMANDS, decodeFrame, decodeInfo, layoutFor, pointsForCommand } from '../../contracts/kehua-ups/index.js';
import { answerDiscard, answerFrame, hex2, isMissingEoi, vendorInfo, type SlaveDevice } from './slave.js';
import { ask, byteAt, floatAt, request, sealed, testUps } from './test-support.js';

const hex = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');

describe('answers the reference frames of the protocol notes', () => {
  it('answers the NUT probe ~21012A500000FDA4 with exactly ~21012A000000FDA9', () => {
    const { ups } = testUps();
    expect(answerFrame(ups, GET_ADDRESS_REQUEST.text).reply).toBe(GET_ADDRESS_REPLY.text);
  });

  it('answers a bad CHKSUM with exactly ~21012A020000FDA7 and an unknown CID2 with ~21012A040000FDA5', () => {
    const { ups } = testUps();
    const badChecksum = REQUEST_41H.text.replace('FDA4', 'FDA5');
    expect(answerFrame(ups, badChecksum).reply).toBe(RTN_CHKSUM_ERROR_REPLY.text);
    expect(answerFrame(ups, request(0x42)).reply).toBe(RTN_INVALID_CID2_REPLY.text);
  });

  it('answers the 41H request with RTN 00 and 11 floats at the map Index values', () => {
    const { ups } = testUps();
    const reply = ask(ups, REQUEST_41H.text);
    expect(reply.cid2).toBe(Rtn.Normal);
    expect(reply.info).toHaveLength(2 + 11 * 4);
    const points = ups.points();
    for (const point of pointsForCommand(0x41)) expect(floatAt(reply.text, point.index)).toBe(points[point.key]);
  });

  it('answers the VER 20H request with RTN 01 in its own VER 21H', () => {
    const { ups } = testUps();
    const reply = ask(ups, REQUEST_41H_VER20.text);
    expect([reply.ver, reply.cid2, reply.info.length]).toEqual([0x21, Rtn.VerError, 0]);
  });

  it('echoes a one-byte unit selector in X (configurable off)', () => {
    expect(ask(testUps().ups, REQUEST_41H_WITH_SELECTOR.text).info[1]).toBe(0x01);
    expect(ask(testUps({ settings: { echoSelector: false, header: 0x07 } }).ups, REQUEST_41H_WITH_SELECTOR.text).info[1]).toBe(0x07);
  });

  it('reproduces the real 2AH 41H capture character for character up to the last mapped float', () => {
    // VER 10H, standard YD/T layout (no X), the captured values pinned, an unread alarm change (DATAFLAG 01).
    const { ups } = testUps({ settings: { ver: 0x10, profile: 'plain' } });
    const pinned = Object.fromEntries(Object.entries(CAPTURED_2AH_ANALOG.values).map(([k, v]) => [k, Math.fround(v)]));
    ups.patchState({ points: { ...pinned, mainsVoltageStatus: 0xf0 } });
    const reply = ask(ups, request(0x41, [], { ver: 0x10 })).text;
    const mappedEnd = 13 + 2 + 11 * 8;
    expect(reply.slice(0, 9)).toBe(CAPTURED_2AH_ANALOG.text.slice(0, 9));
    expect(reply.slice(13, mappedEnd)).toBe(CAPTURED_2AH_ANALOG.text.slice(13, mappedEnd));
  });

  it('reproduces the real 2AH vendor block (DATAFLAG 00, X 00, floats from 19) for the 7 points C0H maps', () => {
    const { ups } = testUps({ settings: { ver: 0x10 } });
    const pinned = Object.fromEntries(Object.entries(CAPTURED_2AH_VENDOR_BLOCK.values).map(([k, v]) => [k, Math.fround(v)]));
    ups.patchState({ points: pinned });
    const reply = ask(ups, request(0xc0, [], { ver: 0x10 }));
    expect(reply.text.slice(13, 17)).toBe('0000');
    // N is the true count of what this unit sends: the 7 mapped values (the capture's unit sent 14).
    expect(reply.info[2]).toBe(7);
    expect(reply.text.slice(19, 19 + 7 * 8)).toBe(CAPTURED_2AH_VENDOR_BLOCK.text.slice(19, 19 + 7 * 8));
  });
});

describe('data commands', () => {
  it.each(UL33_COMMANDS.map((c) => [hex(c), c]))('%sH puts every mapped point at its Index, DATAFLAG first, then X (and N)', (_name, cid2) => {
    const { ups } = testUps();
    const reply = ask(ups, request(cid2));
    const layout = layoutFor(cid2)!;
    expect(reply.cid2).toBe(Rtn.Normal);
    expect(reply.info).toHaveLength(layout.infoBytes);
    expect(reply.info[1]).toBe(0x00);
    if (layout.hasCount) expect(reply.info[2]).toBe(layout.slotCount);
    const points = ups.points();
    for (const point of pointsForCommand(cid2)) {
      const onWire = point.type === 'FLOAT' ? floatAt(reply.text, point.index) : byteAt(reply.text, point.index);
      expect(onWire, point.key).toBe(points[point.key]);
    }
    const decoded = decodeInfo(cid2, reply.info);
    expect(decoded.ok && decoded.values).toEqual(Object.fromEntries(pointsForCommand(cid2).map((p) => [p.key, points[p.key]])));
  });

  it('every one of the 98 points is served by exactly one command', () => {
    const { ups } = testUps();
    const seen = new Map<string, number>();
    for (const cid2 of UL33_COMMANDS) {
      const decoded = decodeInfo(cid2, ask(ups, request(cid2)).info);
      if (!decoded.ok) throw new Error(decoded.error.message);
      for (const [key, value] of Object.entries(decoded.values)) seen.set(key, value!);
    }
    expect(seen.size).toBe(98);
    expect(Object.fromEntries(seen)).toEqual(ups.points());
  });

  it('fills the C2H slots the map skips with the output power factors', () => {
    const { ups } = testUps();
    const decoded = decodeInfo(0xc2, ask(ups, request(0xc2)).info);
    if (!decoded.ok) throw new Error('decode failed');
    const pf = decoded.slots.slice(0, 3);
    const points = ups.points();
    for (let i = 0; i < 3; i++) {
      expect(pf[i]).toBeGreaterThan(0.85);
      expect(pf[i]).toBeLessThanOrEqual(1);
    }
    // kW / kVA = PF per phase.
    expect(points.outputActivePowerA / points.outputApparentPowerA).toBeCloseTo(pf[0]!, 5);
  });

  it('sends big-endian floats when configured', () => {
    const { ups } = testUps({ settings: { floatByteOrder: 'big' } });
    const reply = ask(ups, request(0x41)).text;
    expect(Buffer.from(reply.slice(89, 97), 'hex').readFloatBE(0)).toBe(ups.points().batteryVoltage);
  });

  it('writes the C2H power-factor slots in the configured byte order too', () => {
    const little = decodeInfo(0xc2, ask(testUps().ups, request(0xc2)).info);
    const bigUnit = testUps({ settings: { floatByteOrder: 'big' } }).ups;
    const big = decodeInfo(0xc2, ask(bigUnit, request(0xc2)).info, { floatByteOrder: 'big' });
    if (!little.ok || !big.ok) throw new Error('decode failed');
    const pf = big.slots.slice(0, 3);
    for (const value of pf) expect(value).toBeGreaterThan(0.85);
    // The same unit state, so the same power factors, whichever order they travel in.
    expect(pf).toEqual(little.slots.slice(0, 3));
  });

  it('writes slots a device fills on a BYTE command as single bytes at their slot', () => {
    const { ups } = testUps();
    const layout = layoutFor(0x43)!;
    const slotOf = (index: number) => (index - INFO_CHAR_OFFSET - 2 * layout.headerBytes) / 2;
    const mapped = new Set(pointsForCommand(0x43).map((p) => slotOf(p.index)));
    const free = Array.from({ length: layout.slotCount }, (_, i) => i).find((i) => !mapped.has(i))!;
    expect(free).toBeDefined();
    const device: SlaveDevice = {
      settings: ups.settings,
      read: (cid2) => ({ ...ups.read(cid2), slots: { [free]: 0xa5 } }),
      remoteControl: () => Rtn.Normal,
    };
    const plain = ask(ups, request(0x43)).info;
    const reply = decodeFrame(answerFrame(device, request(0x43)).reply ?? '');
    if (!reply.ok) throw new Error(reply.error.message);
    const filled = reply.frame.info;
    expect(filled).toHaveLength(plain.length);
    expect(filled[layout.headerBytes + free]).toBe(0xa5);
    // Nothing else moved: every other byte is what the unit sends without the slot.
    expect([...filled].filter((_, i) => i !== layout.headerBytes + free)).toEqual([...plain].filter((_, i) => i !== layout.headerBytes + free));
  });
});

describe('other commands', () => {
  it('4FH answers in its own VER whatever VER the request used', () => {
    const { ups } = testUps({ settings: { ver: 0x22 } });
    for (const ver of [0x10, 0x21, 0x22]) {
      const reply = ask(ups, request(0x4f, [], { ver }));
      expect([reply.ver, reply.cid2, reply.info.length]).toEqual([0x22, Rtn.Normal, 0]);
    }
  });

  it('50H is answered by its own ADR even when sent to another address (discovery)', () => {
    const { ups } = testUps({ settings: { adr: 0x07 } });
    for (const adr of [0x01, 0x07, 0xfe]) {
      const reply = ask(ups, request(0x50, [], { adr }));
      expect([reply.adr, reply.cid2]).toEqual([0x07, Rtn.Normal]);
    }
  });

  it('51H cuts names longer than their fields, so the software version and vendor stay in place', () => {
    const { ups } = testUps();
    const info = Buffer.from(vendorInfo({ ...ups.settings, deviceName: 'ABCDEFGHIJKLMN', softwareVersion: 0x0102, vendorName: 'V'.repeat(25) }));
    expect(info).toHaveLength(32);
    expect(info.subarray(0, 10).toString('latin1')).toBe('ABCDEFGHIJ');
    expect([info[10], info[11]]).toEqual([0x01, 0x02]);
    expect(info.subarray(12).toString('latin1')).toBe('V'.repeat(20));
  });

  it('51H carries the device name (10 bytes), software version (2 bytes) and vendor (20 bytes), space padded', () => {
    const { ups } = testUps({ settings: { deviceName: 'UPS10K', softwareVersion: 0x0203, vendorName: 'KEHUA TECH' } });
    const info = Buffer.from(ask(ups, request(0x51)).info);
    expect(info).toHaveLength(32);
    expect(info.subarray(0, 10).toString('latin1')).toBe('UPS10K    ');
    expect([info[10], info[11]]).toEqual([0x02, 0x03]);
    expect(info.subarray(12).toString('latin1')).toBe('KEHUA TECH'.padEnd(20, ' '));
  });
});

describe('bad input', () => {
  const { ups } = testUps();
  const rtnOf = (text: string): number | null => {
    const answer = answerFrame(ups, text);
    if (answer.reply === null) return null;
    const reply = ask(ups, text);
    expect(reply.info).toHaveLength(0);
    expect([reply.ver, reply.adr, reply.cid1]).toEqual([0x21, 0x01, 0x2a]);
    return reply.cid2;
  };

  it('RTN 01 for a wrong VER', () => expect(rtnOf(request(0x41, [], { ver: 0x20 }))).toBe(Rtn.VerError));
  it('RTN 02 for a wrong CHKSUM, also when an INFO character was changed', () => {
    expect(rtnOf('~21012A410000FDA3\r')).toBe(Rtn.ChksumError);
    const withInfo = request(0x45, [0x10, 0x02]);
    expect(rtnOf(withInfo.slice(0, 14) + '3' + withInfo.slice(15))).toBe(Rtn.ChksumError);
  });
  it('RTN 03 for a LENGTH that fails LCHKSUM (checked before CHKSUM)', () => {
    expect(rtnOf(sealed('21012A45F0041002'))).toBe(Rtn.LchksumError);
    expect(rtnOf('~21012A45F0041002FFFF\r')).toBe(Rtn.LchksumError);
  });
  it('RTN 04 for an unknown CID2 and for another device type', () => {
    for (const cid2 of [0x42, 0x46, 0x4d, 0xc5, 0xe0]) expect(rtnOf(request(cid2))).toBe(Rtn.InvalidCid2);
    expect(rtnOf(request(0x41, [], { cid1: 0x46 }))).toBe(Rtn.InvalidCid2);
  });
  it('RTN 05 for a wrong INFO length, a length that disagrees with LENID, or a non-hex character', () => {
    expect(rtnOf(request(0x41, [1, 2]))).toBe(Rtn.CommandFormatError);
    expect(rtnOf(request(0x45, [0x10]))).toBe(Rtn.CommandFormatError);
    expect(rtnOf(request(0x50, [0x00]))).toBe(Rtn.CommandFormatError);
    expect(rtnOf(request(0x51, [0x00]))).toBe(Rtn.CommandFormatError);
    expect(rtnOf(sealed('21012A41E002'))).toBe(Rtn.CommandFormatError);
    expect(rtnOf(sealed('21012A41E0020G'))).toBe(Rtn.CommandFormatError);
  });
  it('RTN 05 for a frame whose EOI is missing', () => {
    const text = request(0x41);
    const cut = answerDiscard(ups, text.slice(0, -1), 'interrupted');
    expect(cut.rtn).toBe(Rtn.CommandFormatError);
    expect(isMissingEoi(text.slice(0, -1))).toBe(false);
    expect(isMissingEoi(`${text.slice(0, -1)}X`)).toBe(true);
    expect(isMissingEoi('~21012AXX')).toBe(false);
  });
  it('RTN 05 for a missing EOI: a frame ends once it holds the characters its LENGTH announces', () => {
    // 13 characters hold LENGTH; 18 + LENID end the frame (here LENID 2: 20 characters).
    const withInfo = request(0x41, [0x01]).slice(0, -1);
    expect(withInfo).toHaveLength(19);
    expect(isMissingEoi(withInfo)).toBe(false);
    expect(isMissingEoi(`${withInfo}X`)).toBe(true);
    expect(isMissingEoi(`${withInfo}XY`)).toBe(true);
    expect(isMissingEoi('~21012A41E00')).toBe(false); // LENGTH not complete yet
    expect(isMissingEoi('~21012A410000')).toBe(false); // LENGTH complete, 5 characters to go
    expect(isMissingEoi('~21012A410000FDA4X')).toBe(true);
    // A LENGTH a device cannot read gives it no length to stop at: it waits for CR (or a new ~).
    expect(isMissingEoi('~21012A41G000FDA4XXXX')).toBe(false);
    expect(isMissingEoi('~21012A41e002FDA4XXXX')).toBe(false);
    expect(isMissingEoi('~21012A411000FDA4XXXX')).toBe(false); // fails LCHKSUM
    // LENGTH words that use every nibble: LENID 12H (D012) and 100H (F100).
    for (const bytes of [9, 0x80]) {
      const text = request(0x41, Array.from({ length: bytes }, () => 0x11)).slice(0, -1);
      expect(isMissingEoi(text), `${bytes} bytes`).toBe(false);
      expect(isMissingEoi(`${text}X`), `${bytes} bytes`).toBe(true);
    }
  });

  it('answers a frame with no EOI, addressed to us, with RTN 05 naming its CID2, and one for another unit with silence', () => {
    expect(answerDiscard(ups, `${request(0x44)}`.slice(0, -1), 'interrupted')).toMatchObject({ cid2: 0x44, rtn: Rtn.CommandFormatError, reason: 'interrupted' });
    expect(answerDiscard(ups, request(0x44, [], { adr: 2 }).slice(0, -1), 'interrupted')).toEqual({ reply: null, cid2: 0x44, rtn: undefined, reason: 'other-address' });
    expect(answerFrame(ups, `${request(0x41).slice(0, -1)}\n`)).toMatchObject({ cid2: 0x41, rtn: Rtn.CommandFormatError, reason: 'bad-eoi' });
    // Cut inside CID2: a half byte names no command.
    expect(answerDiscard(ups, '~21012A4', 'interrupted')).toMatchObject({ cid2: undefined, rtn: Rtn.CommandFormatError });
    expect(answerDiscard(ups, '~21012AZ4', 'interrupted')).toMatchObject({ cid2: undefined, rtn: Rtn.CommandFormatError });
  });

  it('silence for bytes outside any frame, even when they carry our address where ADR would be (no SOI, §4.3)', () => {
    const text = request(0x41).slice(1); // `21012A…`: ADR 01 sits at offset 3 once the `~` is gone
    for (const noise of [`x${text}`, `>${text}`, `#${text.slice(0, 12)}`]) {
      expect(answerDiscard(ups, noise, 'garbage'), noise).toEqual({ reply: null, cid2: 0x41, rtn: undefined, reason: 'garbage' });
    }
    // A frame with a readable LENGTH ends at that length (isMissingEoi), so only an unreadable
    // LENGTH runs on to the reader's bound: there is no length to call wrong, and no reply.
    const overflow = `~21012A41${'Z'.repeat(4200)}`;
    expect(answerDiscard(ups, overflow, 'overflow')).toEqual({ reply: null, cid2: 0x41, rtn: undefined, reason: 'garbage' });
    // A frame addressed to us with a wrong start character: ignored (Ydt1363.c: bad SOI → no reply).
    expect(answerFrame(ups, `>${text}`)).toEqual({ reply: null, cid2: 0x41, rtn: undefined, reason: 'bad-soi' });
  });

  it('names the failed check and the CID2 in every error answer', () => {
    expect(answerFrame(ups, '~21012A410000FDA3\r')).toMatchObject({ cid2: 0x41, rtn: Rtn.ChksumError, reason: 'bad-chksum' });
    expect(answerFrame(ups, sealed('21012A45F0041002'))).toMatchObject({ cid2: 0x45, rtn: Rtn.LchksumError, reason: 'bad-lchksum' });
    expect(answerFrame(ups, request(0x41, [], { ver: 0x20 }))).toMatchObject({ cid2: 0x41, rtn: Rtn.VerError, reason: 'bad-ver' });
    expect(answerFrame(ups, request(0x41, [], { cid1: 0x46 }))).toMatchObject({ cid2: 0x41, rtn: Rtn.InvalidCid2, reason: 'bad-cid1' });
    expect(answerFrame(ups, request(0x42))).toMatchObject({ cid2: 0x42, rtn: Rtn.InvalidCid2, reason: 'unknown-cid2' });
    expect(answerFrame(ups, request(0x41, [1, 2]))).toMatchObject({ cid2: 0x41, rtn: Rtn.CommandFormatError, reason: 'bad-info-length' });
    expect(answerFrame(ups, request(0x45, [0x30, 0x01]))).toMatchObject({ cid2: 0x45, rtn: Rtn.InvalidData, reason: 'refused' });
    expect(answerFrame(ups, request(0x41, [], { adr: 2 }))).toEqual({ reply: null, cid2: 0x41, rtn: undefined, reason: 'other-address' });
    expect(answerFrame(ups, request(0x41))).toMatchObject({ cid2: 0x41, rtn: Rtn.Normal, reason: 'ok' });
    expect(answerFrame(ups, request(0x45, [0x10, 0x02]))).toMatchObject({ cid2: 0x45, rtn: Rtn.Normal, reason: 'ok' });
    expect(answerFrame(ups, request(0x4f, [0x00]))).toMatchObject({ cid2: 0x4f, rtn: Rtn.CommandFormatError, reason: 'bad-info-length' });
    // A damaged 50H for another unit: not ours to answer, whatever the damage.
    const damaged = sealed('21022A500000').replace(/....\r$/, 'FFFF\r');
    expect(answerFrame(ups, damaged)).toEqual({ reply: null, cid2: 0x50, rtn: undefined, reason: 'other-address' });
  });

  it('writes a CID2 as two uppercase hex digits, as fault matches and logs name it', () => {
    expect([hex2(0x4f), hex2(0x0a), hex2(0xc2), hex2(0)]).toEqual(['4F', '0A', 'C2', '00']);
  });

  it('RTN 06 for a 45H command type the unit does not know', () => {
    expect(rtnOf(request(0x45, [0x30, 0x01]))).toBe(Rtn.InvalidData);
    expect(rtnOf(request(0x45, [0x10, 0x07]))).toBe(Rtn.InvalidData);
  });
  it('silence for another address, garbage, a damaged 50H for another address, and a frame without SOI', () => {
    expect(rtnOf(request(0x41, [], { adr: 0x02 }))).toBeNull();
    expect(rtnOf(sealed('21022A410000').replace(/....\r$/, 'FFFF\r'))).toBeNull();
    expect(rtnOf(sealed('21022A500000').replace(/....\r$/, 'FFFF\r'))).toBeNull();
    expect(rtnOf('~21Z12A410000FDA4\r')).toBeNull();
    expect(answerDiscard(ups, 'hello\r', 'garbage').reply).toBeNull();
    expect(answerDiscard(ups, '~21022A41', 'interrupted').reply).toBeNull();
    expect(answerFrame(ups, '21012A410000FDA4\r').reply).toBeNull();
  });
});

describe('DATAFLAG', () => {
  const dataflagOf = (ups: ReturnType<typeof testUps>['ups'], cid2: number): number => ask(ups, request(cid2)).info[0]!;

  it('is 0 with nothing unread', () => {
    const { ups } = testUps();
    for (const cid2 of UL33_COMMANDS) expect(dataflagOf(ups, cid2)).toBe(0);
  });

  it('bit 0 reports an alarm change in every reply until 44H is read; 44H itself reports it read', () => {
    const { ups, world, clock } = testUps();
    world.setGridDown();
    clock.advance(1000);
    expect(dataflagOf(ups, 0x41) & DataFlag.AlarmChanged).toBe(DataFlag.AlarmChanged);
    expect(dataflagOf(ups, 0xc7) & DataFlag.AlarmChanged).toBe(DataFlag.AlarmChanged);
    expect(dataflagOf(ups, 0x44) & DataFlag.AlarmChanged).toBe(0);
    expect(dataflagOf(ups, 0x41) & DataFlag.AlarmChanged).toBe(0);
  });

  it('bit 4 reports a switch change until 43H is read, independently of bit 0', () => {
    const { ups, world, clock } = testUps();
    world.setGridDown();
    clock.advance(1000);
    expect(dataflagOf(ups, 0x41)).toBe(DataFlag.AlarmChanged | DataFlag.SwitchChanged);
    expect(dataflagOf(ups, 0x43)).toBe(DataFlag.AlarmChanged);
    expect(dataflagOf(ups, 0x44)).toBe(0);
  });

  it('stays set for a change that was undone before the master read it', () => {
    const { ups, world, clock } = testUps();
    world.setGridDown();
    clock.advance(5000);
    world.setGridUp();
    clock.advance(5000);
    expect(ups.points().mainsVoltageStatus).toBe(0);
    expect(dataflagOf(ups, 0x41) & DataFlag.AlarmChanged).toBe(DataFlag.AlarmChanged);
  });

  it('is raised by pinning a 43H or 44H point, not by pinning an analog value', () => {
    const { ups } = testUps();
    ups.patchState({ points: { batteryVoltage: 400 } });
    expect(dataflagOf(ups, 0x41)).toBe(0);
    ups.patchState({ points: { inverterStatus: 0xf0 } });
    expect(dataflagOf(ups, 0x41)).toBe(DataFlag.AlarmChanged);
    ups.patchState({ points: { generatorConnected: 0xe0 } });
    expect(dataflagOf(ups, 0x44)).toBe(DataFlag.SwitchChanged);
    expect(dataflagOf(ups, 0x43)).toBe(0);
  });
});
