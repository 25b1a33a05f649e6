import { TypeCompiler } from '@sinclair/typebox/compiler';
import { describe, expect, it } from 'vitest';
import {
  BIT_WIDTH,
  CATALOGUE,
  HEX_WIDTH,
  INTEGER_RANGE,
  OBJECT_NAMES,
  PROFILE_IDS,
  PROFILES,
  RECORDED_SECTIONS_0825,
  RECORDED_V21_PYSENEC,
  RECORDED_V3_0826_SOLECTRUS,
  RequestBody,
  ResponseBody,
  SEED_EXAMPLES_V3_0826,
  SEED_REQUEST,
  SEED_RESPONSE_ENERGY,
  STAT_STATE,
  checkField,
  decodeField,
  decodeValue,
  encodeDecoded,
  encodeFloat32Bits,
  encodeValue,
  enumLabel,
  interpretRequestValue,
  ipv4FromU3,
  isCanonicalWire,
  keysOf,
  logPathFor,
  objectAvailability,
  plainValue,
  resolveKey,
  sectionsOf,
  statStateName,
  u3FromIpv4,
  utcSecondsFromRtc,
  webTimeFromUtc,
  type DecodedValue,
  type EncodeInput,
  type KeySpec,
  type ProfileId,
  type ResponseBody as ResponseBodyType,
  type WireType,
} from './index.js';

const num = (wire: string): number => {
  const d = decodeValue(wire);
  if (d.kind !== 'number') throw new Error(`${wire} decoded as ${d.kind}`);
  return d.value;
};

describe('decodeValue: known vectors from the seed and the notes', () => {
  it.each([
    ['fl_428C0000', 70],
    ['fl_42C80000', 100], // PV1.POWER_RATIO on V3 0826
    ['fl_46106000', 9240], // WIZARD.PWRCFG_PEAK_PV_POWER (solectrus custom cassette)
    ['fl_41200000', 10],
    ['fl_C1200000', -10],
    ['fl_3F800000', 1],
    ['u3_00000064', 100], // PV1.POWER_RATIO on V2.1
    ['u1_000A', 10], // SYS_UPDATE.NPU_VER on V2.1
    ['u1_0905', 2309], // NPU_IMAGE_VERSION in the 0825 dump
    ['u8_0F', 15], // FACTORY.SYS_TYPE V2.1
    ['u8_38', 56], // STAT_STATE in the solectrus collector cassette
    ['u8_0A', 10],
    ['u1_03E8', 1000],
    ['i1_015E', 350], // BMS.MAX_TEMP = 35.0 °C
    ['i1_0064', 100],
    ['i1_FF9C', -100],
    ['i3_FFFFFF9C', -100],
    ['i8_9C', -100],
    ['i3_0000003C', 60], // RTC.UTC_OFFSET in winter
    ['i3_FFFFFF88', -120], // pysenec/ha-senec-v3 misread this as 4294967176
    ['i1_FFFF', -1], // … and this as 65535
    ['i8_80', -128],
    ['i8_7F', 127],
    ['u3_FFFFFFFF', 4294967295],
  ])('%s → %d', (wire, expected) => {
    expect(num(wire)).toBe(expected);
  });

  it('decodes -0.0 (GUI_INVERTER_POWER at night) as negative zero', () => {
    expect(Object.is(num('fl_80000000'), -0)).toBe(true);
    expect(Object.is(num('fl_00000000'), 0)).toBe(true);
  });

  it('decodes the PM1OBJ2 noise patterns exactly (00400000 is a denormal, 00C00000 the smallest normal × 1.5)', () => {
    expect(num('fl_00400000')).toBe(2 ** -127);
    expect(num('fl_00C00000')).toBe(1.5 * 2 ** -126);
    expect(num('fl_00000001')).toBe(2 ** -149);
  });

  it('decodes Infinity and keeps NaN payload bits', () => {
    expect(num('fl_7F800000')).toBe(Infinity);
    expect(num('fl_FF800000')).toBe(-Infinity);
    const nan = decodeValue('fl_7FC00001');
    expect(nan).toMatchObject({ kind: 'number', type: 'fl', bits: 0x7fc00001 });
    expect(Number.isNaN(nan.kind === 'number' ? nan.value : 0)).toBe(true);
    expect(encodeDecoded(nan)).toBe('fl_7FC00001');
  });

  it('decodes u6 as bigint, beyond 2^53', () => {
    expect(decodeValue('u6_0000000000000000')).toEqual({ kind: 'bigint', type: 'u6', value: 0n });
    expect(decodeValue('u6_FFFFFFFFFFFFFFFF')).toEqual({ kind: 'bigint', type: 'u6', value: 2n ** 64n - 1n });
    expect(decodeValue('u6_0020000000000001')).toEqual({ kind: 'bigint', type: 'u6', value: 2n ** 53n + 1n });
  });

  it('keeps strings raw: empty, with underscores, with the END_OF_ARRAY terminator', () => {
    expect(decodeValue('st_')).toEqual({ kind: 'string', type: 'st', value: '' });
    expect(decodeValue('st_END_OF_ARRAY')).toEqual({ kind: 'string', type: 'st', value: 'END_OF_ARRAY' });
    expect(decodeValue('st_0826')).toEqual({ kind: 'string', type: 'st', value: '0826' });
    expect(decodeValue('ch_a_b')).toEqual({ kind: 'string', type: 'ch', value: 'a_b' });
    expect(decodeValue('er_SOMETHING_BAD')).toEqual({ kind: 'error', type: 'er', value: 'SOMETHING_BAD' });
  });

  it('recognises every marker', () => {
    for (const marker of ['VARIABLE_NOT_FOUND', 'OBJECT_NOT_FOUND', 'FORBIDDEN', 'MALFORMED_VALUE', 'FILE_VARIABLE_NOT_READABLE']) {
      expect(decodeValue(marker)).toEqual({ kind: 'marker', marker });
    }
  });

  it.each([
    ['u8_', 'empty-payload'], // crashes pysenec and ha-senec-v3 when emitted
    ['fl_', 'empty-payload'],
    ['fl_4G000000', 'non-hex'],
    ['u8_-1', 'non-hex'],
    ['u8_0x1', 'non-hex'],
    ['u8_100', 'too-long'],
    ['fl_000000000', 'too-long'],
    ['xx_00', 'unknown-prefix'],
    ['FL_00000000', 'unknown-prefix'],
    ['', 'unknown-prefix'],
    ['u8', 'unknown-prefix'],
    ['variable_not_found', 'unknown-prefix'],
    [' VARIABLE_NOT_FOUND', 'unknown-prefix'],
  ])('%j is malformed (%s)', (wire, reason) => {
    expect(decodeValue(wire)).toEqual({ kind: 'malformed', raw: wire, reason });
  });

  it('tolerates short and lowercase hex as the device does on writes; strict mode does not', () => {
    expect(decodeValue('fl_0')).toMatchObject({ kind: 'number', type: 'fl', value: 0, bits: 0 });
    expect(num('u8_1')).toBe(1);
    expect(num('i8_F')).toBe(15); // zero-padded on the left, not sign-extended
    expect(num('fl_42c80000')).toBe(100);
    expect(num('fl_3F8')).toBe(num('fl_000003F8'));
    for (const wire of ['fl_0', 'u8_1', 'fl_42c80000', 'u1_A']) {
      expect(decodeValue(wire, { mode: 'strict' })).toMatchObject({ kind: 'malformed', reason: 'not-canonical' });
      expect(isCanonicalWire(wire)).toBe(false);
    }
    expect(isCanonicalWire('fl_42C80000')).toBe(true);
    expect(isCanonicalWire('VARIABLE_NOT_FOUND')).toBe(true);
  });

  it('decodeField maps arrays element-wise and flags non-strings', () => {
    expect(decodeField(['u8_01', 'VARIABLE_NOT_FOUND'])).toEqual([
      { kind: 'number', type: 'u8', value: 1 },
      { kind: 'marker', marker: 'VARIABLE_NOT_FOUND' },
    ]);
    expect(decodeField(42)).toMatchObject({ kind: 'malformed', reason: 'not-a-string' });
    expect(decodeField([null])).toEqual([{ kind: 'malformed', raw: 'null', reason: 'not-a-string' }]);
    expect(decodeField(10n)).toMatchObject({ kind: 'malformed', reason: 'not-a-string' });
    expect(decodeValue(undefined as unknown as string)).toMatchObject({ kind: 'malformed', reason: 'not-a-string' });
  });
});

describe('encodeValue', () => {
  it.each<[WireType, EncodeInput[WireType], string]>([
    ['fl', 0, 'fl_00000000'],
    ['fl', -0, 'fl_80000000'],
    ['fl', 100, 'fl_42C80000'],
    ['fl', 9240, 'fl_46106000'],
    ['fl', 0.1, 'fl_3DCCCCCD'], // rounded to the nearest float32
    ['fl', Infinity, 'fl_7F800000'],
    ['fl', 1e39, 'fl_7F800000'], // overflows float32
    ['fl', NaN, 'fl_7FC00000'], // canonical quiet NaN
    ['fl', 2 ** -149, 'fl_00000001'],
    ['u8', 1, 'u8_01'],
    ['u8', 255, 'u8_FF'],
    ['u1', 2411, 'u1_096B'],
    ['u3', 1702294564, 'u3_6576F424'],
    ['u6', 0n, 'u6_0000000000000000'],
    ['u6', 2n ** 64n - 1n, 'u6_FFFFFFFFFFFFFFFF'],
    ['u6', 42, 'u6_000000000000002A'],
    ['i8', -1, 'i8_FF'],
    ['i1', 350, 'i1_015E'],
    ['i1', -24, 'i1_FFE8'],
    ['i3', -120, 'i3_FFFFFF88'],
    ['i3', -2147483648, 'i3_80000000'],
    ['st', '', 'st_'],
    ['st', 'END_OF_ARRAY', 'st_END_OF_ARRAY'],
    ['ch', 'x', 'ch_x'],
    ['er', 'E', 'er_E'],
  ])('%s %s → %s', (type, value, wire) => {
    expect(encodeValue(type, value)).toBe(wire);
  });

  it.each<[WireType, EncodeInput[WireType]]>([
    ['u8', 256],
    ['u8', -1],
    ['u1', 1.5],
    ['u3', 2 ** 32],
    ['i8', 128],
    ['i1', -32769],
    ['i3', 2 ** 31],
    ['u6', -1n],
    ['u6', 2n ** 64n],
    ['u6', 2 ** 53], // not a safe integer: the caller must use a bigint
  ])('throws for %s %s', (type, value) => {
    expect(() => encodeValue(type, value)).toThrow(RangeError);
  });

  it('says what did not fit, and where the range ends', () => {
    expect(() => encodeValue('i8', 128)).toThrow(new RangeError('i8 cannot hold 128 (range -128..127)'));
    expect(() => encodeValue('u6', 2n ** 64n)).toThrow(new RangeError('u6 cannot hold 18446744073709551616'));
    expect(() => encodeValue('u6', 2 ** 53)).toThrow(new RangeError('u6 needs a bigint or a safe integer, got 9007199254740992'));
  });

  it('throws a TypeError for a JS value of the wrong kind for the wire type', () => {
    const untyped = encodeValue as (type: WireType, value: unknown) => string;
    expect(() => untyped('fl', '1')).toThrow(new TypeError('fl needs a number'));
    expect(() => untyped('u6', '1')).toThrow(new TypeError('u6 needs a bigint or number'));
    expect(() => untyped('u8', 1n)).toThrow(new TypeError('u8 needs a number'));
    expect(() => untyped('i3', '1')).toThrow(new TypeError('i3 needs a number'));
    expect(() => untyped('st', 1)).toThrow(new TypeError('st needs a string'));
    expect(() => untyped('er', null)).toThrow(new TypeError('er needs a string'));
  });

  it('encodeFloat32Bits takes exactly the 32-bit patterns 0…FFFFFFFF', () => {
    expect(encodeFloat32Bits(0)).toBe('fl_00000000');
    expect(encodeFloat32Bits(0xffffffff)).toBe('fl_FFFFFFFF');
    expect(encodeFloat32Bits(0x7fc00001)).toBe('fl_7FC00001');
    for (const bits of [-1, 2 ** 32, 0.5, 0x42c80000 + 0.5, NaN, Infinity]) {
      expect(() => encodeFloat32Bits(bits), String(bits)).toThrow(new RangeError(`fl bit pattern out of range: ${bits}`));
    }
  });

  it('encodeDecoded gives nothing for markers and malformed values', () => {
    expect(encodeDecoded(decodeValue('FORBIDDEN'))).toBeUndefined();
    expect(encodeDecoded(decodeValue('u8_XYZ'))).toBeUndefined();
    expect(encodeDecoded(decodeValue('er_E'))).toBe('er_E');
  });
});

describe('plainValue', () => {
  it('is the decoded value of every kind that has one (u6 as bigint), undefined for markers and malformed', () => {
    expect(plainValue(decodeValue('u6_FFFFFFFFFFFFFFFF'))).toBe(2n ** 64n - 1n);
    expect(plainValue(decodeValue('i1_FFE8'))).toBe(-24);
    expect(plainValue(decodeValue('fl_42C80000'))).toBe(100);
    expect(plainValue(decodeValue('st_END_OF_ARRAY'))).toBe('END_OF_ARRAY');
    expect(plainValue(decodeValue('er_E'))).toBe('E');
    expect(plainValue(decodeValue('VARIABLE_NOT_FOUND'))).toBeUndefined();
    expect(plainValue(decodeValue('fl_'))).toBeUndefined();
  });
});

describe('malformed input keeps a printable form of what came in', () => {
  it.each<[string, unknown, string]>([
    ['a number', 42, '42'],
    ['null', null, 'null'],
    ['undefined (no JSON form)', undefined, 'undefined'],
    ['a symbol (no JSON form)', Symbol('s'), 'Symbol(s)'],
    ['a bigint (JSON.stringify throws)', 10n, '[object BigInt]'],
    ['an object', { a: 1 }, '{"a":1}'],
  ])('%s', (_name, value, raw) => {
    expect(decodeField(value)).toEqual({ kind: 'malformed', raw, reason: 'not-a-string' });
    expect(decodeField([value])).toEqual([{ kind: 'malformed', raw, reason: 'not-a-string' }]);
  });

  it('a cyclic object', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(decodeField(cyclic)).toEqual({ kind: 'malformed', raw: '[object Object]', reason: 'not-a-string' });
  });
});

describe('interpretRequestValue (write semantics, notes §2 and §7)', () => {
  it('reads on "" and on all-placeholder arrays', () => {
    expect(interpretRequestValue('')).toEqual({ kind: 'read' });
    expect(interpretRequestValue(['', ''])).toEqual({ kind: 'read' });
  });

  it('writes a typed value, tolerating the unpadded float ha-senec-v3 sends', () => {
    expect(interpretRequestValue('u8_01')).toEqual({ kind: 'write', value: { kind: 'number', type: 'u8', value: 1 } });
    expect(interpretRequestValue('fl_0')).toEqual({ kind: 'write', value: { kind: 'number', type: 'fl', value: 0, bits: 0 } });
    expect(interpretRequestValue('st_installer')).toEqual({ kind: 'write', value: { kind: 'string', type: 'st', value: 'installer' } });
  });

  it('writes only the non-placeholder positions of an array, in both the JSON and the GUI string form', () => {
    const one = { kind: 'number', type: 'u8', value: 1 };
    expect(interpretRequestValue(['', 'u8_01'])).toEqual({ kind: 'array-write', entries: [undefined, one], stringEncoded: false });
    expect(interpretRequestValue('["","u8_01"]')).toEqual({ kind: 'array-write', entries: [undefined, one], stringEncoded: true });
  });

  it.each([['VARIABLE_NOT_FOUND'], ['u8_'], ['garbage'], [5], [null], [{}], ['[oops'], ['{"a":1}'], [['', 3]], [['', 'u8_']]])(
    '%j is malformed',
    (value) => {
      expect(interpretRequestValue(value).kind).toBe('malformed');
    },
  );
});

describe('conventions', () => {
  it('packs IP addresses with the first octet in the low byte', () => {
    expect(ipv4FromU3(0x0101a8c0)).toBe('192.168.1.1');
    expect(ipv4FromU3(0xffffffff)).toBe('255.255.255.255');
    expect(u3FromIpv4('192.168.1.1')).toBe(0x0101a8c0);
    expect(u3FromIpv4('10.0.0.256')).toBeUndefined();
    expect(u3FromIpv4('1.2.3')).toBeUndefined();
  });

  it('converts RTC local time to UTC and back', () => {
    expect(utcSecondsFromRtc(1691275183, 120)).toBe(1691275183 - 7200);
    expect(webTimeFromUtc(utcSecondsFromRtc(1691275183, 120), 120)).toBe(1691275183);
  });

  it('builds log paths from the UTC date per profile', () => {
    const utc = new Date(Date.UTC(2023, 9, 5, 23, 30));
    expect(logPathFor('v3-0826', utc)).toBe('//log/2023/10/05.log');
    expect(logPathFor('v21-0824', utc)).toBe('//Log/2023/10/05.log');
  });
});

describe('enums', () => {
  it('has German and English names for every STAT_STATE code 0–98 and nothing else', () => {
    const codes = Object.keys(STAT_STATE).map(Number);
    expect(codes).toEqual(Array.from({ length: 99 }, (_, i) => i));
    for (const code of codes) {
      expect(statStateName(code, 'de')).toMatch(/\S/);
      expect(statStateName(code, 'en')).toMatch(/\S/);
    }
    expect(statStateName(99)).toBeUndefined();
  });

  it('matches the names the seed and the clients use', () => {
    expect(statStateName(13, 'de')).toBe('AKKU VOLL');
    expect(statStateName(13)).toBe('BATTERY FULL');
    expect(statStateName(17)).toBe('PV + DISCHARGE');
    expect(statStateName(56)).toBe('PEAK-SHAVING: WAIT');
    expect(statStateName(98, 'de')).toBe('BMS FEHLER - MODULUNGLEICHGEWICHT');
    expect(enumLabel('STECA_STARTUP', 272)).toBe('RunGrid');
    expect(enumLabel('WALLBOX_STATE', 0xc2)).toBe('charging');
    expect(enumLabel('BAT_TYPE', 4)).toBe('SENEC.Inverter V3 LV');
    expect(enumLabel('SELFTEST_RESULT', 5)).toBe('Not Started');
    expect(enumLabel('BMS_STATUS', 31)).toBe('Selftest SCP failed');
    expect(enumLabel('PWR_UNIT_TYPE', 2)).toBe('SENEC.Heat');
    expect(enumLabel('BMS_STATUS', 0)).toBeUndefined();
    expect(enumLabel('BAT_TYPE', 'toString' as unknown as number)).toBeUndefined();
  });
});

/** Encodes the example of a key spec (all examples are plain numbers or strings). */
function encodeExample(type: WireType, value: number | string): string {
  if (type === 'st' || type === 'ch' || type === 'er') return encodeValue(type, String(value));
  if (type === 'u6') return encodeValue('u6', BigInt(value));
  return encodeValue(type, Number(value));
}

function exampleIsValid(type: WireType, value: number | string): boolean {
  if (type === 'st' || type === 'ch' || type === 'er') return typeof value === 'string';
  if (typeof value !== 'number') return false;
  if (type === 'fl') return Math.abs(Math.fround(value) - value) <= Math.abs(value) * 2 ** -23;
  if (type === 'u6') return Number.isSafeInteger(value) && value >= 0;
  const range = INTEGER_RANGE[type];
  return Number.isInteger(value) && value >= range.min && value <= range.max;
}

const allKeys = (): [string, string, KeySpec][] =>
  Object.entries(CATALOGUE).flatMap(([object, spec]) =>
    Object.entries(spec.keys as Record<string, KeySpec>).map(([key, keySpec]): [string, string, KeySpec] => [object, key, keySpec]),
  );

describe('catalogue', () => {
  it('covers every object of the seed request plus the objects documented separately', () => {
    for (const object of Object.keys(SEED_REQUEST)) expect(OBJECT_NAMES).toContain(object);
    for (const object of ['DISPLAYSYS_UPDATE', 'BAT1OBJ2', 'BAT1OBJ3', 'BAT1OBJ4', 'V_STECA']) expect(OBJECT_NAMES).toContain(object);
  });

  it('lists the objects recorded in DEBUG.SECTIONS on 0825 as that profile\'s sections', () => {
    expect([...sectionsOf('v3-0825')].sort()).toEqual([...RECORDED_SECTIONS_0825].sort());
    expect(sectionsOf('v3-0826')).toContain('IPU');
    expect(sectionsOf('v3-0826')).not.toContain('BAT1OBJ2');
  });

  it('models the firmware differences the notes describe', () => {
    expect(resolveKey('PV1', 'POWER_RATIO', 'v21-0824')?.type).toBe('u3');
    expect(resolveKey('PV1', 'POWER_RATIO', 'v3-0826')?.type).toBe('fl');
    expect(resolveKey('SYS_UPDATE', 'NPU_VER', 'v21-0824')?.type).toBe('u1');
    expect(resolveKey('SYS_UPDATE', 'NPU_VER', 'v3-npu2411')?.type).toBe('u8');
    expect(resolveKey('STATISTIC', 'LIVE_GRID_EXPORT', 'v21-0824')?.type).toBe('fl');
    for (const profile of ['v3-0825', 'v3-0826', 'v3-npu2411'] as const) {
      expect(objectAvailability('STATISTIC', profile)).toBe('empty');
      expect(resolveKey('STATISTIC', 'LIVE_GRID_EXPORT', profile)).toBeUndefined();
      expect(keysOf('STATISTIC', profile)).toEqual([]);
    }
    expect(resolveKey('BMS', 'CELL_VOLTAGES_MODULE_A', 'v3-0826')?.length).toBe(14);
    expect(resolveKey('BMS', 'CELL_VOLTAGES_MODULE_A', 'v3-npu2411')?.length).toBe(16);
    expect(resolveKey('ENERGY', 'GUI_BAT_DATA_OA_CHARGING', 'v21-0824')).toBeUndefined();
    expect(resolveKey('ENERGY', 'NO_SUCH_KEY', 'v3-0826')).toBeUndefined();
    expect(resolveKey('ENERGY', 'toString', 'v3-0826')).toBeUndefined();
    expect(objectAvailability('NO_SUCH_OBJECT', 'v3-0826')).toBe('not-found');
    expect(objectAvailability('BAT1OBJ2', 'v3-0826')).toBe('not-found');
    expect(objectAvailability('IPU', 'v3-0825')).toBe('not-found');
    expect(objectAvailability('FILE', 'v3-0826')).toBe('empty');
    expect(PROFILES['v3-npu2411'].sessionCookie).toBe(true);
    expect(PROFILES['v21-0824'].transport).toBe('http');
  });

  it('keeps the identity data ha-senec-v3 needs in every profile', () => {
    for (const profile of PROFILE_IDS) {
      for (const [object, key] of [
        ['FACTORY', 'SYS_TYPE'], ['FACTORY', 'COUNTRY'], ['FACTORY', 'DEVICE_ID'],
        ['WIZARD', 'APPLICATION_VERSION'], ['WIZARD', 'FIRMWARE_VERSION'], ['WIZARD', 'INTERFACE_VERSION'],
        ['BAT1', 'TYPE'], ['SYS_UPDATE', 'NPU_VER'], ['SYS_UPDATE', 'NPU_IMAGE_VERSION'], ['BMS', 'MODULES_CONFIGURED'],
      ] as const) {
        expect(resolveKey(object, key, profile), `${object}.${key} in ${profile}`).toBeDefined();
      }
      const identity = PROFILES[profile].identity;
      expect(encodeValue(resolveKey('SYS_UPDATE', 'NPU_VER', profile)!.type as 'u8' | 'u1', identity.npuVer)).toMatch(/^u[81]_/);
    }
  });

  it('returns whole objects in code-unit order, as recorded dumps do', () => {
    const keys = keysOf('BMS', 'v3-0826').map((k) => k.key);
    expect(keys.indexOf('MODULES_CONFIGURED')).toBeLessThan(keys.indexOf('MODULE_COUNT'));
    expect(keys.indexOf('CHARGED_ENERGY')).toBeLessThan(keys.indexOf('CHARGE_CURRENT_LIMIT'));
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('has a meaning for every key and examples that fit the declared type and length', () => {
    const problems: string[] = [];
    for (const [object, key, spec] of allKeys()) {
      const where = `${object}.${key}`;
      if (spec.meaning.trim() === '') problems.push(`${where}: no meaning`);
      if (spec.example === undefined) continue;
      if (spec.length === undefined) {
        if (Array.isArray(spec.example)) problems.push(`${where}: array example for a scalar`);
        else if (!exampleIsValid(spec.type, spec.example as number | string)) problems.push(`${where}: example does not fit ${spec.type}`);
        continue;
      }
      if (!Array.isArray(spec.example)) {
        problems.push(`${where}: scalar example for an array`);
        continue;
      }
      const items = spec.example as readonly (number | string)[];
      if (typeof spec.length === 'number' && items.length !== spec.length) problems.push(`${where}: ${items.length} example elements`);
      items.forEach((item, i) => {
        if (!exampleIsValid(spec.type, item)) problems.push(`${where}[${i}]: example does not fit ${spec.type}`);
      });
    }
    expect(problems).toEqual([]);
  });

  it('refers only to enum codes that exist, for every example with an enum', () => {
    for (const [object, key, spec] of allKeys()) {
      if (spec.enum === undefined || spec.example === undefined) continue;
      const codes = Array.isArray(spec.example) ? spec.example : [spec.example];
      for (const code of codes) expect(enumLabel(spec.enum, Number(code)), `${object}.${key} = ${String(code)}`).toBeDefined();
    }
  });

  it('produces a response that passes checkField and the response schema when every example is encoded', () => {
    const body: Record<string, Record<string, string | string[]>> = {};
    for (const object of OBJECT_NAMES) {
      for (const resolved of keysOf(object, 'v3-0826')) {
        const example = resolved.spec.example;
        if (example === undefined) continue;
        const items = Array.isArray(example) ? (example as readonly (number | string)[]) : [example as number | string];
        const wires = items.map((item) => encodeExample(resolved.type, item));
        const field = resolved.length === undefined ? wires[0]! : wires;
        expect(checkField(resolved, field)).toEqual([]);
        (body[object] ??= {})[resolved.key] = field;
      }
    }
    expect(Object.keys(body).length).toBeGreaterThan(30);
    expect(TypeCompiler.Compile(ResponseBody).Check(body)).toBe(true);
  });

  it('checkField reports wrong shapes, lengths, types and non-canonical hex', () => {
    const sysType = resolveKey('FACTORY', 'SYS_TYPE', 'v3-0826')!;
    expect(checkField(sysType, 'u8_11')).toEqual([]);
    expect(checkField(sysType, 'u1_0011')).toHaveLength(1);
    expect(checkField(sysType, 'u8_B')).toHaveLength(1);
    expect(checkField(sysType, ['u8_11'])).toHaveLength(1);
    expect(checkField(sysType, 'VARIABLE_NOT_FOUND')).toHaveLength(1);
    const uAc = resolveKey('PM1OBJ1', 'U_AC', 'v3-0826')!;
    expect(checkField(uAc, ['fl_00000000', 'fl_00000000', 'fl_00000000'])).toEqual([]);
    expect(checkField(uAc, ['fl_00000000', 'fl_00000000'])).toHaveLength(1);
    expect(checkField(uAc, 'fl_00000000')).toHaveLength(1);
  });
});

/** Every field of a recorded reply is either exactly what the catalogue predicts or a marker for a key it says is absent. */
function conformanceProblems(response: ResponseBodyType, profile: ProfileId): string[] {
  const problems: string[] = [];
  for (const [object, fields] of Object.entries(response)) {
    for (const [key, field] of Object.entries(fields)) {
      const resolved = resolveKey(object, key, profile);
      if (resolved === undefined) {
        if (field !== 'VARIABLE_NOT_FOUND') problems.push(`${object}.${key}: value for a key the catalogue calls absent`);
      } else {
        problems.push(...checkField(resolved, field));
      }
    }
  }
  return problems;
}

describe('recorded and seed payloads against the catalogue and schemas', () => {
  const request = TypeCompiler.Compile(RequestBody);
  const response = TypeCompiler.Compile(ResponseBody);

  it('accepts the seed request and the recorded requests', () => {
    expect(request.Check(SEED_REQUEST)).toBe(true);
    expect(request.Check(SEED_EXAMPLES_V3_0826.request)).toBe(true);
    expect(request.Check(RECORDED_V3_0826_SOLECTRUS.request)).toBe(true);
    expect(request.Check({ ENERGY: { SAFE_CHARGE_FORCE: 'u8_1' }, SOCKETS: { ENABLE: ['', 'u8_01'], FORCE_ON: '["","u8_01"]' } })).toBe(true);
    expect(request.Check({ ENERGY: { SAFE_CHARGE_FORCE: 'u8_' } })).toBe(false);
    expect(request.Check({ ENERGY: { SAFE_CHARGE_FORCE: 1 } })).toBe(false);
  });

  it('accepts every fixture response and rejects non-canonical values', () => {
    for (const body of [SEED_RESPONSE_ENERGY, SEED_EXAMPLES_V3_0826.response, RECORDED_V21_PYSENEC.response, RECORDED_V3_0826_SOLECTRUS.response]) {
      expect(response.Check(body)).toBe(true);
    }
    expect(response.Check({ ENERGY: { STAT_STATE: 'u8_D' } })).toBe(false);
    expect(response.Check({ ENERGY: { STAT_STATE: 'u8_0d' } })).toBe(false);
    expect(response.Check({ ENERGY: { STAT_STATE: '' } })).toBe(false);
    expect(response.Check({ BAT1OBJ2: { OBJECT_NOT_FOUND: 'x' } })).toBe(false);
  });

  it('matches the catalogue types for the recorded V2.1 reply (v21-0824)', () => {
    expect(conformanceProblems(RECORDED_V21_PYSENEC.response, 'v21-0824')).toEqual([]);
  });

  it('matches the catalogue types for the recorded V3 reply (v3-0826)', () => {
    expect(conformanceProblems(RECORDED_V3_0826_SOLECTRUS.response, 'v3-0826')).toEqual([]);
  });

  it('matches the catalogue types for the seed-example payload (v3-0826), except the object-not-found marker', () => {
    const { BAT1OBJ2, ...rest } = SEED_EXAMPLES_V3_0826.response;
    expect(BAT1OBJ2).toEqual({ OBJECT_NOT_FOUND: '' });
    expect(objectAvailability('BAT1OBJ2', 'v3-0826')).toBe('not-found');
    expect(conformanceProblems(rest, 'v3-0826')).toEqual([]);
  });

  it('is canonical: every recorded numeric wire string re-encodes to itself', () => {
    for (const body of [RECORDED_V21_PYSENEC.response, RECORDED_V3_0826_SOLECTRUS.response, SEED_RESPONSE_ENERGY]) {
      for (const fields of Object.values(body)) {
        for (const field of Object.values(fields)) {
          for (const wire of Array.isArray(field) ? field : [field]) {
            const decoded: DecodedValue = decodeValue(wire, { mode: 'strict' });
            if (decoded.kind === 'marker') continue;
            expect(encodeDecoded(decoded)).toBe(wire);
          }
        }
      }
    }
  });

  it('uses the prefix digit as the leading digit of the bit width', () => {
    for (const [type, bits] of Object.entries(BIT_WIDTH)) {
      if (type !== 'fl') expect(String(bits).startsWith(type[1]!)).toBe(true);
      expect(HEX_WIDTH[type as keyof typeof HEX_WIDTH] * 4).toBe(bits);
    }
  });
});
