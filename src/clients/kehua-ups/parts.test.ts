// The small pieces: request frames against the notes' vectors, errors, readings, URL parsing, the TCP line.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  GET_ADDRESS_REPLY,
  GET_ADDRESS_REQUEST,
  REQUEST_41H,
  REQUEST_41H_VER20,
  REQUEST_41H_WITH_SELECTOR,
} from '../../../contracts/kehua-ups/fixtures/frames.js';
import {
  KehuaUpsClient,
  UpsChecksumError,
  UpsConnectionError,
  UpsError,
  UpsFrameError,
  UpsRtnError,
  UpsTimeoutError,
  backoffDelay,
  dataFlagBits,
  describeTarget,
  isRetryable,
  parseTcpUrl,
  parseVendorInfo,
  pointReading,
  rtnCode,
} from './index.js';
import { failure } from './test-support.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('request frames', () => {
  const frame = (options: { ver?: number; unitSelector?: number }, cid2: number) =>
    new KehuaUpsClient({ transport: 'tcp://127.0.0.1:1', ...options }).requestFrame(cid2, options.unitSelector === undefined ? [] : [options.unitSelector]);

  it('match the reference vectors of the protocol notes', () => {
    expect(frame({}, 0x50)).toBe(GET_ADDRESS_REQUEST.text);
    expect(frame({}, 0x41)).toBe(REQUEST_41H.text);
    expect(frame({ ver: 0x20 }, 0x41)).toBe(REQUEST_41H_VER20.text);
    expect(frame({ unitSelector: 0x01 }, 0x41)).toBe(REQUEST_41H_WITH_SELECTOR.text);
  });

  it('refuse options that are not bytes', () => {
    expect(() => new KehuaUpsClient({ transport: 'tcp://127.0.0.1:1', adr: 256 })).toThrow(RangeError);
    expect(() => new KehuaUpsClient({ transport: 'tcp://127.0.0.1:1', ver: -1 })).toThrow(RangeError);
    expect(() => new KehuaUpsClient({ transport: 'tcp://127.0.0.1:1', retries: 1.5 })).toThrow(RangeError);
  });
});

describe('errors', () => {
  it('name RTN codes from the contract table and the vendor range', () => {
    expect([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0xe0, 0xe3].map(rtnCode)).toEqual([
      'VerError', 'ChksumError', 'LchksumError', 'InvalidCid2', 'CommandFormatError', 'InvalidData', 'AsciiError', 'NoPermission', 'WriteProtected',
    ]);
    expect(rtnCode(0x80)).toBe('VendorDefined');
    expect(rtnCode(0xef)).toBe('VendorDefined');
    expect(rtnCode(0x08)).toBe('Reserved');
    expect(rtnCode(0xf0)).toBe('Reserved');
  });

  it('retry silence, corrupt replies and RTN 02H/03H only', () => {
    expect(isRetryable(new UpsTimeoutError(10, ''))).toBe(true);
    expect(isRetryable(new UpsFrameError('bad-length', 'x', '~', undefined))).toBe(true);
    expect(isRetryable(new UpsChecksumError('bad-chksum', 'x', '~', 13))).toBe(true);
    expect(isRetryable(new UpsRtnError(0x02, ''))).toBe(true);
    expect(isRetryable(new UpsRtnError(0x03, ''))).toBe(true);
    for (const rtn of [0x01, 0x04, 0x05, 0x06, 0xe1]) expect(isRetryable(new UpsRtnError(rtn, ''))).toBe(false);
    expect(isRetryable(new UpsConnectionError('ECONNRESET', 'x'))).toBe(false);
    expect(isRetryable(new Error('x'))).toBe(false);
  });

  it('say which command failed and after how many attempts', () => {
    const error = new UpsRtnError(0x04, '~21012A040000FDA5\r', { command: 0xc7, attempts: 1 });
    expect(error).toBeInstanceOf(UpsError);
    expect(error.name).toBe('UpsRtnError');
    expect(error.message).toBe('C7H: unit answered RTN 04H (CID2 invalid (unknown command)) (after 1 attempt)');
    expect(new UpsFrameError('bad-eoi', 'no CR', '~21\x00', 3).message).toBe('corrupt reply (bad-eoi): no CR: ~21\\x00');
  });
});

describe('readings', () => {
  it('give BYTE points their meaning, unknown codes named as such', () => {
    expect(pointReading('inverterStatus', 0xf0)).toMatchObject({ value: 0xf0, meaning: 'fault', unit: undefined, type: 'BYTE', id: 56 });
    expect(pointReading('inverterStatus', 0x5a).meaning).toBe('unknown code 5AH');
    expect(pointReading('batteryCurrent', -1.5)).toMatchObject({ value: -1.5, unit: 'A', meaning: undefined, type: 'FLOAT' });
  });

  it('split DATAFLAG into its two bits', () => {
    expect(dataFlagBits(0x00)).toEqual({ raw: 0, alarmsChanged: false, switchesChanged: false });
    expect(dataFlagBits(0x01)).toMatchObject({ alarmsChanged: true, switchesChanged: false });
    expect(dataFlagBits(0x10)).toMatchObject({ alarmsChanged: false, switchesChanged: true });
  });

  it('read the 32-byte 51H record and nothing else', () => {
    const record = Buffer.concat([Buffer.from('UPS-1\0    ', 'latin1'), Buffer.from([0x01, 0x10]), Buffer.from('KEHUA'.padEnd(20, ' '))]);
    expect(parseVendorInfo(record)).toMatchObject({ deviceName: 'UPS-1', softwareVersion: 0x0110, vendorName: 'KEHUA' });
    expect(parseVendorInfo(record.subarray(0, 31))).toBeUndefined();
  });

  it('back off exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 100, 500))).toEqual([100, 200, 400, 500, 500]);
  });
});

describe('targets', () => {
  it('parse tcp:// URLs, IPv6 included, and refuse ones without a port', () => {
    expect(parseTcpUrl('tcp://127.0.0.1:7083')).toEqual({ host: '127.0.0.1', port: 7083 });
    expect(parseTcpUrl('TCP://[::1]:7083')).toEqual({ host: '::1', port: 7083 });
    expect(parseTcpUrl('/dev/ttyUSB0')).toBeUndefined();
    expect(() => parseTcpUrl('tcp://host')).toThrow(TypeError);
    expect(describeTarget({ host: 'ups.local', port: 4001 })).toBe('tcp://ups.local:4001');
    expect(describeTarget({ path: '/dev/ttyS0' })).toBe('/dev/ttyS0');
  });
});

describe('the TCP line', () => {
  async function listen(onConnection: (socket: Socket, n: number) => void): Promise<{ server: Server; port: number }> {
    let n = 0;
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      onConnection(socket, ++n);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(resolve);
    }));
    return { server, port: (server.address() as { port: number }).port };
  }

  it('a refused connection is UpsConnectionError ECONNREFUSED', async () => {
    const { server, port } = await listen(() => {});
    await new Promise((resolve) => server.close(resolve));
    const ups = new KehuaUpsClient({ transport: `tcp://127.0.0.1:${port}` });
    const error = await failure(ups.readAnalog());
    expect(error).toBeInstanceOf(UpsConnectionError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('a bridge that hangs up fails the request in flight; the next request connects again', async () => {
    const { port } = await listen((socket, n) => {
      socket.on('data', () => {
        if (n === 1) socket.destroy();
        else socket.write(GET_ADDRESS_REPLY.text);
      });
    });
    const ups = new KehuaUpsClient({ transport: { host: '127.0.0.1', port }, timeoutMs: 1000 });
    cleanups.push(() => ups.close());
    expect(await failure(ups.readAddress())).toBeInstanceOf(UpsConnectionError);
    expect(await ups.readAddress()).toBe(1);
  });
});
