import { describe, expect, it } from 'vitest';
import { describeTarget, parseHostPort, parseTarget, RecorderConfigError } from './targets.js';

describe('targets', () => {
  it('takes http(s) URLs for HTTP devices and names them without credentials', () => {
    const t = parseTarget('senec', 'https://admin:hunter2@192.168.1.5/');
    expect(t.kind).toBe('http');
    expect(describeTarget(t)).toBe('https://192.168.1.5');
    expect(describeTarget(parseTarget('growatt', 'https://openapi.growatt.com:8443/api/'))).toBe('https://openapi.growatt.com:8443/api');
    expect(() => parseTarget('pvs', '192.168.1.5')).toThrow(RecorderConfigError);
    expect(() => parseTarget('pvs', 'tcp://192.168.1.5:80')).toThrow(/http:\/\//);
    expect(() => parseTarget('growatt', 'https://x/v1?token=abc')).toThrow(/query/);
  });

  it('takes tcp bridges and serial paths for the UPS', () => {
    expect(parseTarget('ups', 'tcp://10.0.0.7:4001')).toEqual({ kind: 'tcp', host: '10.0.0.7', port: 4001 });
    expect(parseTarget('ups', 'tcp 10.0.0.7:4001')).toEqual({ kind: 'tcp', host: '10.0.0.7', port: 4001 });
    expect(describeTarget(parseTarget('ups', 'tcp://[::1]:4001'))).toBe('tcp://[::1]:4001');
    expect(parseTarget('ups', '/dev/ttyUSB0')).toEqual({ kind: 'serial', path: '/dev/ttyUSB0' });
    expect(parseTarget('ups', 'COM3')).toEqual({ kind: 'serial', path: 'COM3' });
    expect(() => parseTarget('ups', 'http://10.0.0.7')).toThrow(/tcp:\/\//);
    expect(() => parseTarget('ups', 'tcp://10.0.0.7')).toThrow(/port/);
  });

  it('parses listen addresses', () => {
    expect(parseHostPort('0.0.0.0:7080', 'listen')).toEqual({ host: '0.0.0.0', port: 7080 });
    expect(parseHostPort(':0', 'listen')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseHostPort('7081', 'listen')).toEqual({ host: '127.0.0.1', port: 7081 });
    expect(parseHostPort('[::1]:7443', 'listen')).toEqual({ host: '::1', port: 7443 });
    expect(() => parseHostPort('localhost', 'listen')).toThrow(/port/);
    expect(() => parseHostPort('localhost:99999', 'listen')).toThrow(/0-65535/);
  });
});
