import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { defineDevice, DeviceOptionError } from './descriptor.js';
import { checkOptions, defaultPorts, deviceFlags, envName, flagsTable, fromFlags, helpSection, listenerPlan } from './options.js';

const meter = defineDevice({
  apiVersion: 1,
  name: 'meter',
  title: 'A test meter',
  options: Type.Object({
    phases: Type.Integer({ minimum: 1, maximum: 3, default: 3, description: 'phases' }),
    gain: Type.Number({ minimum: 0.5, maximum: 2, default: 1, description: 'gain' }),
    mode: Type.Union([Type.Literal('net'), Type.Literal('gross')], { default: 'net', description: 'how it counts' }),
    verbose: Type.Boolean({ default: false, description: 'says more' }),
    upload: Type.Boolean({ default: true, description: 'stops the uploads' }),
    serialNumber: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', hint: 'digits', description: 'its serial' })),
  }),
  listeners: {
    api: { kind: 'http', defaultPort: 7099, description: 'meter API', control: true },
    modbusTcp: { kind: 'tcp', defaultPort: 1502, description: 'Modbus TCP' },
  },
  create: () => {
    throw new Error('not started in these tests');
  },
});

describe('flags, variables and port keys derived from a descriptor', () => {
  it('names every port and option flag after the device, in declaration order', () => {
    expect(deviceFlags(meter).map((f) => f.flag)).toEqual([
      'meter-port',
      'meter-modbus-tcp-port',
      'meter-phases',
      'meter-gain',
      'meter-mode',
      'meter-verbose',
      'meter-no-upload',
      'meter-serial-number',
    ]);
  });

  it('gives each flag its VOLTBENCH_ variable', () => {
    expect(envName('meter-no-upload')).toBe('VOLTBENCH_METER_NO_UPLOAD');
    expect(deviceFlags(meter).map((f) => f.env)).toContain('VOLTBENCH_METER_MODBUS_TCP_PORT');
  });

  it('keys ports by device (main listener) or device + listener, with the listener defaults', () => {
    expect(listenerPlan(meter).map((l) => [l.portKey, l.flag, l.readyKey])).toEqual([
      ['meter', 'meter-port', 'url'],
      ['meterModbusTcp', 'meter-modbus-tcp-port', 'modbusTcpUrl'],
    ]);
    expect(defaultPorts([meter])).toEqual({ meter: 7099, meterModbusTcp: 1502 });
  });

  it('shows enums, hints and defaults in help', () => {
    const help = helpSection(meter);
    expect(help).toMatch(/^A test meter \(meter\):\n/);
    expect(help).toContain('--meter-mode <net|gross>');
    expect(help).toContain('--meter-serial-number <digits>');
    expect(help).toMatch(/--meter-phases <n> +phases \(default 3\)/);
    expect(help).toMatch(/--meter-no-upload +stops the uploads\n/);
  });

  it('writes a Markdown table with one row per flag', () => {
    const table = flagsTable(meter).split('\n');
    expect(table).toHaveLength(2 + deviceFlags(meter).length);
    expect(table).toContain('| `--meter-mode <net\\|gross>` | `VOLTBENCH_METER_MODE` | net | how it counts |');
  });
});

describe('fromFlags: command-line text to typed, checked values', () => {
  it('converts numbers, enums and booleans, fills defaults, negates --no- flags', () => {
    const { ports, options } = fromFlags(meter, { 'meter-port': '0', 'meter-phases': '1', 'meter-gain': '1.5', 'meter-mode': 'gross', 'meter-verbose': true, 'meter-no-upload': true });
    expect(ports).toEqual({ meter: 0 });
    expect(options).toEqual({ phases: 1, gain: 1.5, mode: 'gross', verbose: true, upload: false });
  });

  it('leaves an optional option without a default out', () => {
    expect(fromFlags(meter, {}).options).not.toHaveProperty('serialNumber');
    expect(fromFlags(meter, { 'meter-serial-number': '012345' }).options).toHaveProperty('serialNumber', '012345');
  });

  it.each([
    [{ 'meter-phases': '4' }, '--meter-phases must be a whole number from 1 to 3, got 4'],
    [{ 'meter-phases': '1.5' }, '--meter-phases must be a whole number from 1 to 3, got 1.5'],
    [{ 'meter-gain': 'loud' }, '--meter-gain must be a number from 0.5 to 2, got "loud"'],
    [{ 'meter-gain': '' }, '--meter-gain must be a number from 0.5 to 2, got ""'],
    [{ 'meter-mode': 'both' }, '--meter-mode must be one of net, gross, got "both"'],
    [{ 'meter-serial-number': '12' }, '--meter-serial-number must be text matching ^[0-9]{6}$, got "12"'],
    [{ 'meter-port': '-1' }, '--meter-port must be a port from 0 to 65535, got "-1"'],
    [{ 'meter-modbus-tcp-port': '65536' }, '--meter-modbus-tcp-port must be a port from 0 to 65535, got "65536"'],
  ])('%j is refused: %s', (flags, message) => {
    expect(() => fromFlags(meter, flags)).toThrow(DeviceOptionError);
    expect(() => fromFlags(meter, flags)).toThrow(message);
  });
});

describe('checkOptions: values from code', () => {
  it('fills defaults and keeps given values', () => {
    expect(checkOptions(meter, { phases: 2 })).toEqual({ phases: 2, gain: 1, mode: 'net', verbose: false, upload: true });
  });

  it('refuses unknown keys, naming the known ones', () => {
    expect(() => checkOptions(meter, { phase: 2 })).toThrow('is not an option of meter; its options: phases, gain, mode, verbose, upload, serialNumber');
  });

  it('refuses values of the wrong type or out of range, naming the option', () => {
    const error = (() => {
      try {
        checkOptions(meter, { gain: '1' });
      } catch (e) {
        return e as DeviceOptionError;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(DeviceOptionError);
    expect(error?.option).toBe('gain');
    expect(error?.message).toBe('must be a number from 0.5 to 2, got "1"');
    expect(() => checkOptions(meter, { mode: 'both' })).toThrow('must be one of net, gross, got "both"');
  });

  it('refuses a missing required option', () => {
    const strict = defineDevice({ apiVersion: 1, name: 'strict', title: 'x', listeners: meter.listeners, create: meter.create!, options: Type.Object({ site: Type.String({ description: 'site id' }) }) });
    expect(() => checkOptions(strict, {})).toThrow('is required');
  });
});
