// The client against the real emulator in-process, over its two transports: the raw-serial TCP bridge and a
// `serialport` mock port. (Only this test imports the emulator; the client itself knows just the contract.)
import { afterEach, describe, expect, it } from 'vitest';
import { SerialPortMock } from 'serialport';
import { UL33_COMMANDS, UL33_POINTS, layoutFor, pointsForCommand } from '../../../contracts/kehua-ups/index.js';
import type { LayoutProfile } from '../../../contracts/kehua-ups/index.js';
import { VirtualClock } from '../../../emulators/core/clock.js';
import { World } from '../../../emulators/core/world/world.js';
import { createUpsServer, type UpsServer } from '../../../emulators/kehua-ups/server.js';
import type { UpsSettings } from '../../../emulators/kehua-ups/settings.js';
import {
  KehuaUpsClient,
  UpsChecksumError,
  UpsConnectionError,
  UpsFrameError,
  UpsReplyError,
  UpsRtnError,
  UpsTimeoutError,
  type CommandReading,
  type KehuaUpsClientOptions,
  type TraceEvent,
  type UpsError,
} from './index.js';
import { failure } from './test-support.js';

const JUNE_MORNING = Date.parse('2026-06-21T18:00:00Z');

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startUps(settings: Partial<UpsSettings> = {}) {
  const world = new World({ seed: 7 }, new VirtualClock({ start: JUNE_MORNING, speed: 0 }));
  const server = await createUpsServer({ world, settings });
  cleanups.push(() => server.close());
  return { server, world };
}

let mockPaths = 0;
const nextMockPath = () => `/dev/ttyKEHUA-client-${++mockPaths}`;

type Connect = (server: UpsServer) => Promise<KehuaUpsClientOptions['transport']>;
const TRANSPORTS: readonly (readonly [string, Connect])[] = [
  ['TCP bridge (tcp:// URL)', (server) => server.listenTcp('127.0.0.1', 0)],
  ['mock serial port ({ path, binding })', async (server) => ({ path: server.openMockPort(nextMockPath()), binding: SerialPortMock.binding })],
];

function client(transport: KehuaUpsClientOptions['transport'], options: Partial<KehuaUpsClientOptions> = {}): KehuaUpsClient {
  // A generous timeout where a reply is expected; tests of silence pass their own short one.
  const ups = new KehuaUpsClient({ transport, timeoutMs: 2_000, backoffMs: 1, sleep: async () => {}, ...options });
  cleanups.push(() => ups.close());
  return ups;
}

/** The unit's own values for the points of one command. */
function expectMatchesUnit(reading: CommandReading, unitPoints: Record<string, number>): void {
  const keys = pointsForCommand(reading.cid2).map((p) => p.key);
  expect(Object.keys(reading.points).sort()).toEqual([...keys].sort());
  for (const key of keys) expect(reading.points[key]?.value, key).toBe(unitPoints[key]);
}

const READERS: readonly (readonly [number, (c: KehuaUpsClient) => Promise<CommandReading>])[] = [
  [0x41, (c) => c.readAnalog()],
  [0xc0, (c) => c.readInputAnalog()],
  [0xc1, (c) => c.readBypassAnalog()],
  [0xc2, (c) => c.readOutputPower()],
  [0xc3, (c) => c.readOutputLoad()],
  [0xc4, (c) => c.readCrestFactors()],
  [0x43, (c) => c.readSwitches()],
  [0x44, (c) => c.readAlarms()],
  [0xc7, (c) => c.readVendorAlarms1()],
  [0xc8, (c) => c.readVendorAlarms2()],
];

describe.each(TRANSPORTS)('over the %s', (_name, connect) => {
  it('reads each of the 10 data commands by the map, every point equal to the unit', async () => {
    const { server } = await startUps();
    const ups = client(await connect(server));
    expect(READERS.map(([cid2]) => cid2).sort()).toEqual([...UL33_COMMANDS].sort());
    for (const [cid2, read] of READERS) {
      const reading = await read(ups);
      expect(reading.cid2).toBe(cid2);
      expectMatchesUnit(reading, server.ups.points());
      const layout = layoutFor(cid2)!;
      expect(reading.header).toBe(0);
      expect(reading.count).toBe(layout.hasCount ? layout.slotCount : undefined);
      expect(reading.slots).toHaveLength(layout.slotCount);
    }
  });

  it('reads the protocol version (4FH), address (50H) and vendor record (51H)', async () => {
    const { server } = await startUps({ ver: 0x20, adr: 0x07, deviceName: 'UK3310', softwareVersion: 0x0203, vendorName: 'KEHUA TECH' });
    const ups = client(await connect(server), { ver: 0x20, adr: 0x07 });
    expect(await ups.readProtocolVersion()).toBe(0x20);
    expect(await ups.readAddress()).toBe(0x07);
    const vendor = await ups.readVendorInfo();
    expect(vendor).toMatchObject({ deviceName: 'UK3310', softwareVersion: 0x0203, vendorName: 'KEHUA TECH' });
    expect(vendor.raw).toHaveLength(32);
  });

  it('runs 45H remote control: battery test start/stop and load off/on change what the unit reports', async () => {
    const { server } = await startUps();
    const ups = client(await connect(server));
    const point = async (read: Promise<CommandReading>, key: 'batterySelfTestInProgress' | 'onOff' | 'powerSupplyMode') => (await read).points[key];

    await ups.startBatteryTest();
    expect(await point(ups.readSwitches(), 'batterySelfTestInProgress')).toMatchObject({ value: 0xe0, meaning: 'self-test running' });
    await ups.stopBatteryTest();
    expect(await point(ups.readSwitches(), 'batterySelfTestInProgress')).toMatchObject({ value: 0xe1, meaning: 'idle' });

    await ups.loadOff();
    expect(await point(ups.readSwitches(), 'onOff')).toMatchObject({ value: 0xe0, meaning: 'off' });
    expect(await point(ups.readSwitches(), 'powerSupplyMode')).toMatchObject({ value: 0xe9, meaning: 'no output' });
    await ups.loadOn();
    expect(await point(ups.readSwitches(), 'onOff')).toMatchObject({ value: 0xe1, meaning: 'on' });
    expect((server.ups.state() as { status: { output: string } }).status.output).toBe('on');
  });

  it('takes a snapshot of all 98 points equal to the unit, point by point, with units and meanings', async () => {
    const { server, world } = await startUps();
    world.setGridDown();
    world.clock.advance(60_000);
    server.ups.patchState({ points: { inverterFanFault: 0xf0, ambientTemperature: 31.5, generatorConnected: 0xe0 } });
    const ups = client(await connect(server));
    const snapshot = await ups.snapshot();
    const unit = server.ups.points();
    expect(Object.keys(snapshot.points)).toHaveLength(98);
    for (const point of UL33_POINTS) {
      const reading = snapshot.points[point.key];
      expect(reading.value, point.key).toBe(unit[point.key]);
      expect(snapshot.values[point.key]).toBe(unit[point.key]);
      expect(reading.unit).toBe(point.unit);
      if (point.type === 'BYTE') expect(reading.meaning, point.key).toBe(point.values?.meanings[reading.value] ?? expect.stringMatching(/^unknown code/));
      else expect(reading.meaning).toBeUndefined();
    }
    expect(snapshot.points.inverterFanFault.meaning).toBe('fault');
    expect(snapshot.points.ambientTemperature).toMatchObject({ value: 31.5, unit: '°C' });
    expect(snapshot.points.mainsVoltageStatus.value).not.toBe(0x00);
    expect(snapshot.commands.map((c) => c.cid2)).toEqual(UL33_COMMANDS);
  });
});

describe('DATAFLAG', () => {
  it('shows alarm and switch changes in the snapshot that first sees them; reading 43H/44H clears them', async () => {
    const { server, world } = await startUps();
    const ups = client(await server.listenTcp());
    expect((await ups.snapshot()).dataflag).toEqual({ raw: 0, alarmsChanged: false, switchesChanged: false });
    world.setGridDown();
    world.clock.advance(5_000);
    const outage = await ups.snapshot();
    expect(outage.dataflag).toEqual({ raw: 0x11, alarmsChanged: true, switchesChanged: true });
    // 41H came before 43H and 44H in the poll, so it still carried both bits; C7H/C8H came after.
    expect(outage.commands.find((c) => c.cid2 === 0x41)?.dataflag.raw).toBe(0x11);
    expect(outage.commands.find((c) => c.cid2 === 0xc8)?.dataflag.raw).toBe(0x00);
    expect((await ups.snapshot()).dataflag.raw).toBe(0);
  });
});

describe('serial faults from the emulator', () => {
  async function setup(options: Partial<KehuaUpsClientOptions> = {}) {
    const { server } = await startUps();
    const retries: UpsError[] = [];
    const trace: TraceEvent[] = [];
    const ups = client(await server.listenTcp(), { onRetry: (error) => retries.push(error), onTrace: (event) => trace.push(event), ...options });
    return { server, ups, retries, trace };
  }

  it('flip: the corrupt reply fails its checks and the retry succeeds', async () => {
    const { server, ups, retries } = await setup();
    for (let i = 0; i < 5; i++) {
      server.ups.faults.add({ kind: 'flip', times: 1 });
      expectMatchesUnit(await ups.readAlarms(), server.ups.points());
    }
    expect(retries).toHaveLength(5);
    for (const error of retries) {
      expect(error).toBeInstanceOf(UpsFrameError);
      expect(error).toMatchObject({ command: 0x44, attempts: 1 });
    }
    // A changed hex digit inside the frame is caught by a checksum; the seeded flips here are of that kind.
    expect(retries.some((e) => e instanceof UpsChecksumError)).toBe(true);
    expect(server.ups.requests.list()).toHaveLength(10);
  });

  it('drop: silence times out, the retry succeeds', async () => {
    // The one timeout covers both attempts, and the retry must be answered within it even on a stalled loop.
    const { server, ups, retries } = await setup({ timeoutMs: 1_000 });
    server.ups.faults.add({ kind: 'drop', times: 1 });
    expectMatchesUnit(await ups.readAnalog(), server.ups.points());
    expect(retries).toHaveLength(1);
    expect(retries[0]).toBeInstanceOf(UpsTimeoutError);
    expect(retries[0]).toMatchObject({ timeoutMs: 1_000, partial: '' });
  });

  it('drop every time: UpsTimeoutError after 1 + retries attempts', async () => {
    const { server, ups } = await setup();
    server.ups.faults.add({ kind: 'drop' });
    const error = await failure(ups.request(0x41, [], { timeoutMs: 60 }));
    expect(error).toBeInstanceOf(UpsTimeoutError);
    expect(error).toMatchObject({ command: 0x41, attempts: 3 });
    expect(error.message).toBe('41H: no reply within 60 ms (after 3 attempts)');
  });

  it('garbage: junk before ~ is skipped without a retry', async () => {
    const { server, ups, retries, trace } = await setup();
    server.ups.faults.add({ kind: 'garbage', count: 25, times: 1 });
    expectMatchesUnit(await ups.readOutputPower(), server.ups.points());
    expect(retries).toEqual([]);
    const discarded = trace.filter((e) => e.type === 'discarded');
    expect(discarded).toHaveLength(1);
    expect(discarded[0]).toMatchObject({ reason: 'garbage' });
    expect(discarded[0]!.text).toHaveLength(25);
  });

  it('split: a reply in 5 pieces with gaps is reassembled', async () => {
    const { server, ups, retries } = await setup();
    server.ups.faults.add({ kind: 'split', pieces: 5, gapMs: 5, times: 2 });
    expectMatchesUnit(await ups.readVendorAlarms2(), server.ups.points());
    expectMatchesUnit(await ups.readAnalog(), server.ups.points());
    expect(retries).toEqual([]);
  });

  it('split slower than the timeout: the partial frame is reported', async () => {
    const { server, ups } = await setup();
    // The first piece goes out at once and must be in before the timeout; the second comes far after it.
    server.ups.faults.add({ kind: 'split', pieces: 4, gapMs: 5_000 });
    const error = await failure(ups.request(0x41, [], { retries: 0, timeoutMs: 1_000 }));
    expect(error).toBeInstanceOf(UpsTimeoutError);
    expect((error as UpsTimeoutError).partial).toMatch(/^~21012A00/);
  });
});

describe('refusals and silence', () => {
  it('a wrong VER gets RTN 01H, not retried; 4FH still tells the unit VER', async () => {
    const { server } = await startUps();
    const ups = client(await server.listenTcp(), { ver: 0x20 });
    const error = await failure(ups.readAnalog());
    expect(error).toBeInstanceOf(UpsRtnError);
    expect(error).toMatchObject({ rtn: 0x01, code: 'VerError', meaning: 'VER error', attempts: 1, command: 0x41 });
    expect(await ups.readProtocolVersion()).toBe(0x21);
  });

  it('another address gets silence (timeout); 50H still finds the unit address', async () => {
    const { server } = await startUps();
    const ups = client(await server.listenTcp(), { adr: 0x02, retries: 1 });
    // Short timeout only for the call that must go unanswered; 50H below gets the client's generous one.
    const error = await failure(ups.request(0x43, [], { timeoutMs: 60 }));
    expect(error).toBeInstanceOf(UpsTimeoutError);
    expect(error).toMatchObject({ command: 0x43, attempts: 2 });
    expect(await ups.readAddress()).toBe(0x01);
  });

  it('an unknown command gets RTN 04H and an unknown 45H command RTN 06H', async () => {
    const { server } = await startUps();
    const ups = client(await server.listenTcp());
    expect(await failure(ups.request(0x42))).toMatchObject({ rtn: 0x04, code: 'InvalidCid2', attempts: 1 });
    expect(await failure(ups.remoteControl({ type: 0x30, parameter: 0x01 }))).toMatchObject({ rtn: 0x06, code: 'InvalidData' });
    expect(server.ups.requests.list()).toHaveLength(2);
  });
});

describe('layout profiles and request options', () => {
  it.each<[LayoutProfile]>([['ul33'], ['plain']])('a %s client reads a unit of the same profile', async (profile) => {
    const { server } = await startUps({ profile });
    const ups = client(await server.listenTcp(), { profile });
    const snapshot = await ups.snapshot();
    expect(snapshot.values).toEqual(server.ups.points());
    expect(snapshot.commands.find((c) => c.cid2 === 0x41)?.header).toBe(profile === 'ul33' ? 0 : undefined);
  });

  it("a 'ul33' client refuses a 'plain' unit's shorter 41H INFO", async () => {
    const { server } = await startUps({ profile: 'plain' });
    const ups = client(await server.listenTcp());
    const error = await failure(ups.readAnalog());
    expect(error).toBeInstanceOf(UpsReplyError);
    expect(error).toMatchObject({ problem: 'info-too-short' });
  });

  it('sends a unit selector when asked; the unit echoes it in X', async () => {
    const { server } = await startUps();
    const sent: string[] = [];
    const ups = client(await server.listenTcp(), { unitSelector: 0x05, onTrace: (e) => e.type === 'sent' && sent.push(e.text) });
    expect((await ups.readAnalog()).header).toBe(0x05);
    expect(sent).toEqual(['~21012A41E00205FD28\r']);
  });
});

describe('the serial port', () => {
  it('uses a SerialPortMock passed in open and leaves it open on close()', async () => {
    const { server } = await startUps();
    const path = server.openMockPort(nextMockPath());
    const port = new SerialPortMock({ path, baudRate: 9600 });
    cleanups.push(() => new Promise((resolve) => (port.isOpen ? port.close(resolve) : resolve(undefined))));
    const ups = new KehuaUpsClient({ transport: port });
    expect(await ups.readAddress()).toBe(1);
    await ups.close();
    expect(port.isOpen).toBe(true);
    expect(await failure(ups.readAddress())).toMatchObject({ code: 'CLOSED' });
  });

  it('closes a port it opened from a path, so another client can open it', async () => {
    const { server } = await startUps();
    const path = server.openMockPort(nextMockPath());
    const first = new KehuaUpsClient({ transport: { path, binding: SerialPortMock.binding } });
    await first.connect();
    expect(await failure(new KehuaUpsClient({ transport: { path, binding: SerialPortMock.binding } }).connect())).toBeInstanceOf(UpsConnectionError);
    await first.close();
    const second = client({ path, binding: SerialPortMock.binding });
    expect(await second.readProtocolVersion()).toBe(0x21);
  });

  it('opened at the wrong baud rate, the unit stays silent', async () => {
    const { server } = await startUps({ baudRate: 2400 });
    const path = server.openMockPort(nextMockPath());
    const ups = client({ path, baudRate: 9600, binding: SerialPortMock.binding }, { retries: 0, timeoutMs: 50 });
    expect(await failure(ups.readAddress())).toBeInstanceOf(UpsTimeoutError);
    const right = client({ path: server.openMockPort(nextMockPath()), baudRate: 2400, binding: SerialPortMock.binding });
    expect(await right.readAddress()).toBe(1);
  });

  it('a path nobody serves is a connection error', async () => {
    const ups = client({ path: '/dev/ttyKEHUA-nobody', binding: SerialPortMock.binding });
    const error = await failure(ups.readAnalog());
    expect(error).toBeInstanceOf(UpsConnectionError);
    expect(error.message).toMatch(/ttyKEHUA-nobody/);
  });
});
