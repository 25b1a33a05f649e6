// The GXE dialect against a master that does what NUT's liebert-gxe does (gxe-nut-master.ts), over
// the slave directly, a serialport mock port and TCP, through every state the physics reaches.
import { connect } from 'node:net';
import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameReader, GXE_COMMANDS, GXE_DRIVER_MAX_INFO_BYTES, Rtn, decodeFrame } from '../../contracts/kehua-ups/index.js';
import { VirtualClock } from '../core/clock.js';
import { World } from '../core/world/world.js';
import { NUT_GXE_FRAMES, NutGxeMaster, nutFrame, type Line } from './nut-gxe.test-support.js';
import type { PointValues } from './points.js';
import { createUpsServer, type UpsServer } from './server.js';
import { answerFrame } from './slave.js';
import { JUNE_MORNING, ask, request, testUps } from './test-support.js';
import type { UpsEmulator } from './emulator.js';

const servers: UpsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function startUps(settings: Parameters<typeof createUpsServer>[0]['settings'] = { dialect: 'gxe' }): Promise<UpsServer> {
  const world = new World({ seed: 11 }, new VirtualClock({ start: JUNE_MORNING, speed: 0 }));
  const server = await createUpsServer({ world, settings });
  servers.push(server);
  return server;
}

/** The slave itself as a line (no transport). */
function slaveLine(ups: UpsEmulator): Line {
  return async (frame) => answerFrame(ups, frame).reply;
}

/** A line over any byte stream: one request at a time, the next complete frame or null at the deadline. */
function streamLine(write: (text: string) => void, source: { on(event: 'data', listener: (data: Buffer) => void): unknown }): Line {
  const reader = new FrameReader();
  const frames: string[] = [];
  let wake: (() => void) | null = null;
  source.on('data', (data: Buffer) => {
    frames.push(...reader.push(data));
    wake?.();
  });
  return async (frame, timeoutMs) => {
    frames.length = 0;
    write(frame);
    const deadline = Date.now() + timeoutMs;
    while (frames.length === 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 10);
      });
    }
    return frames.shift() ?? null;
  };
}

async function tcpLine(server: UpsServer): Promise<{ line: Line; close: () => void }> {
  const { hostname, port } = new URL(await server.listenTcp('127.0.0.1', 0));
  const socket = connect(Number(port), hostname);
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return { line: streamLine((t) => socket.write(t), socket), close: () => socket.destroy() };
}

async function mockLine(server: UpsServer, path: string): Promise<{ line: Line; close: () => void }> {
  server.openMockPort(path);
  const port = new SerialPortMock({ path, baudRate: 9600 });
  await new Promise((resolve, reject) => port.once('open', resolve).once('error', reject));
  return { line: streamLine((t) => port.write(t), port), close: () => port.close() };
}

interface StatusView {
  mode: 'inverter' | 'battery' | 'bypass' | 'off';
  gridUp: boolean;
  chargeStage: 'boost' | 'float' | 'none';
  batteryAlarm: 'normal' | 'low' | 'exhausted';
  selfTest: { running: boolean };
  shutdown: boolean;
}
interface StateView {
  status: StatusView;
  points: PointValues;
}

async function state(server: UpsServer): Promise<StateView> {
  return (await server.app.inject({ method: 'GET', url: '/__emu/state' })).json() as StateView;
}

/** What upsc shows for a unit in this state, from the driver's rules (liebert-gxe.c) applied to the emulator's own state. */
function expectedVars(s: StateView): Record<string, string> {
  const wire = (v: number, scale = 100) => Math.min(0xffff, Math.max(0, Math.round(v * scale)));
  const fixed = (v: number) => (wire(v) / 100).toFixed(2);
  const p = s.points;
  return {
    'input.voltage': fixed(p.acInputPhaseVoltageA),
    'output.voltage': fixed(p.acOutputPhaseVoltageA),
    'output.current': fixed(p.acOutputCurrentA),
    'battery.voltage': fixed(p.batteryVoltage),
    'output.frequency': fixed(p.outputFrequency),
    'input.frequency': fixed(p.inputFrequency),
    'ups.realpower': String(wire(p.outputActivePowerA + p.outputActivePowerB + p.outputActivePowerC) * 10),
    'ups.power': String(wire(p.outputApparentPowerA + p.outputApparentPowerB + p.outputApparentPowerC) * 10),
    'battery.runtime.low': ((wire(p.batteryBackupTimeRemaining) / 100) * 60).toFixed(2),
    'battery.charger.status': s.status.mode === 'battery' ? 'discharging' : s.status.chargeStage === 'none' ? 'resting' : 'charging',
    'ups.test.result': s.status.selfTest.running ? 'In progress' : 'Idle',
  };
}

/** ups.status as the driver sets it (43H, then the 42H input-voltage correction). */
function expectedStatus(s: StatusView): string {
  return { inverter: 'OL', battery: s.gridUp ? 'OL' : 'OB', bypass: 'OL BYPASS', off: '' }[s.mode];
}

function expectedAlarms(s: StatusView): string[] {
  const alarms: string[] = [];
  if (!s.gridUp) alarms.push('Inverter Out-of-Sync', 'Unhealthy Main Circuit', 'Unhealthy Bypass');
  if (s.batteryAlarm !== 'normal') alarms.push('Unhealthy Battery Voltage');
  return alarms;
}

async function checkMaster(master: NutGxeMaster, server: UpsServer): Promise<StateView> {
  await master.pollRound();
  const s = await state(server);
  expect(master.vars).toMatchObject(expectedVars(s));
  expect(master.status).toBe(expectedStatus(s.status));
  expect(master.alarms.sort()).toEqual(expectedAlarms(s.status).sort());
  return s;
}

const inject = (server: UpsServer, method: 'PATCH' | 'POST', url: string, payload: object) => server.app.inject({ method, url, payload });

/** Advances the clock in steps until `until` holds for the unit's state (at most `limit` steps). */
async function advanceUntil(server: UpsServer, until: (s: StatusView) => boolean, step = '5m', limit = 200): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (until((await state(server)).status)) return;
    expect((await inject(server, 'POST', '/__emu/clock', { advance: step })).statusCode).toBe(200);
  }
  throw new Error('the state was not reached');
}

/** Mains, outage, low battery, shutdown, mains back (bypass, boost charge, float): the driver's view at each. */
async function wholeCycle(server: UpsServer, line: Line): Promise<string[]> {
  const master = new NutGxeMaster(line);
  await master.start();
  const seen: string[] = [];
  const look = async () => {
    const s = await checkMaster(master, server);
    seen.push(`${s.status.mode}/${s.status.chargeStage}/${s.status.batteryAlarm}`);
  };
  await look();
  expect(master.status).toBe('OL');

  expect((await inject(server, 'PATCH', '/__emu/world', { grid: 'down' })).statusCode).toBe(200);
  await inject(server, 'POST', '/__emu/clock', { advance: '1m' });
  await look();
  expect(master.status).toBe('OB');
  expect(master.vars['battery.charger.status']).toBe('discharging');

  expect((await inject(server, 'PATCH', '/__emu/state', { loadW: 6000 })).statusCode).toBe(200);
  await advanceUntil(server, (s) => s.batteryAlarm === 'low', '1m');
  await look();
  expect(master.alarms).toContain('Unhealthy Battery Voltage');

  await advanceUntil(server, (s) => s.shutdown, '1m');
  await look();
  expect(master.status).toBe('');

  expect((await inject(server, 'PATCH', '/__emu/state', { loadW: null })).statusCode).toBe(200);
  expect((await inject(server, 'PATCH', '/__emu/world', { grid: 'up' })).statusCode).toBe(200);
  await inject(server, 'POST', '/__emu/clock', { advance: '1s' });
  await look();
  await advanceUntil(server, (s) => s.mode === 'inverter' && s.chargeStage === 'boost', '5s');
  await look();
  await advanceUntil(server, (s) => s.mode === 'inverter' && s.chargeStage === 'float', '10m', 500);
  await look();
  expect(master.status).toBe('OL');
  return seen;
}

const EVERY_STATE = ['inverter/float/normal', 'battery/none/normal', 'battery/none/low', 'off/none/exhausted', 'bypass/boost/normal', 'inverter/boost/normal', 'inverter/float/normal'];

describe("NUT liebert-gxe's frames", () => {
  it('the master builds the frames the driver sends (the NUT probe included)', () => {
    expect(nutFrame('21', '01', '2A50')).toBe('~21012A500000FDA4\r');
    expect(nutFrame('21', '01', '2A51')).toBe(NUT_GXE_FRAMES.vendorInfo);
    expect(nutFrame('21', '01', '2A47')).toBe(NUT_GXE_FRAMES.sysParam);
    expect(nutFrame('21', '01', '2A44')).toBe(NUT_GXE_FRAMES.warning);
    expect(nutFrame('21', '01', '2A43')).toBe(NUT_GXE_FRAMES.onOff);
    expect(nutFrame('21', '01', '2A42')).toBe(NUT_GXE_FRAMES.analog);
    expect(nutFrame('01', '21', '2A45', '1002')).toBe(NUT_GXE_FRAMES.testStart);
    expect(nutFrame('01', '21', '2A45', '2003')).toBe(NUT_GXE_FRAMES.loadOff);
    for (const frame of Object.values(NUT_GXE_FRAMES)) expect(decodeFrame(frame).ok).toBe(true);
  });

  it('start-up and the first polls go 51H, 47H, 44H, 43H, 42H and fill what upsc shows', async () => {
    const { ups } = testUps({ settings: { dialect: 'gxe', deviceName: 'GXE01k00TS' } });
    const master = new NutGxeMaster(slaveLine(ups));
    await master.start();
    for (let i = 0; i < 4; i++) await master.poll();
    expect(master.sent).toEqual([NUT_GXE_FRAMES.vendorInfo, NUT_GXE_FRAMES.sysParam, NUT_GXE_FRAMES.warning, NUT_GXE_FRAMES.onOff, NUT_GXE_FRAMES.analog]);
    expect(master.vars).toMatchObject({
      'ups.model': 'GXE01k00TS',
      'output.voltage.nominal': String(ups.settings.nominalVoltage),
      'output.frequency.nominal': String(ups.settings.nominalFrequency),
      'input.transfer.bypass.low': '120',
    });
    expect(Number(master.vars['input.transfer.bypass.high'])).toBeCloseTo(ups.settings.nominalVoltage * 1.15, 6);
    expect(master.status).toBe('OL');
    expect(master.log).toEqual([]);
  });

  it('every GXE reply fits the driver (at most 128 INFO characters) and the other dialect is refused with RTN 04', () => {
    const { ups } = testUps({ settings: { dialect: 'gxe' } });
    for (const cid2 of GXE_COMMANDS) {
      const reply = ask(ups, request(cid2));
      expect(reply.cid2).toBe(Rtn.Normal);
      expect(reply.info.length).toBeLessThanOrEqual(GXE_DRIVER_MAX_INFO_BYTES);
    }
    for (const cid2 of [0x41, 0xc0, 0xc8]) expect(ask(ups, request(cid2)).cid2).toBe(Rtn.InvalidCid2);
    expect(ask(ups, request(0x42, [0x01])).cid2).toBe(Rtn.CommandFormatError);
    // VER 21H is what the driver sends; another VER gets RTN 01 in the unit's own VER.
    const wrongVer = ask(ups, request(0x42, [], { ver: 0x20 }));
    expect([wrongVer.ver, wrongVer.cid2, wrongVer.info.length]).toEqual([0x21, Rtn.VerError, 0]);
    // The KEHUA map (the default) has no 42H/47H: what the issue saw.
    const kehua = testUps().ups;
    for (const cid2 of [0x42, 0x47]) expect(ask(kehua, request(cid2)).cid2).toBe(Rtn.InvalidCid2);
  });

  it('DATAFLAG: an outage sets bits 4 and 0, 43H clears bit 4, 44H bit 0, 42H and 47H neither', () => {
    const { ups, world, clock } = testUps({ settings: { dialect: 'gxe' } });
    ask(ups, request(0x43));
    ask(ups, request(0x44));
    expect(ask(ups, request(0x42)).info[0]).toBe(0);
    world.setGridDown();
    clock.advance(60_000);
    expect(ask(ups, request(0x42)).info[0]).toBe(0x11);
    expect(ask(ups, request(0x47)).info[0]).toBe(0x11);
    // As in the KEHUA dialect, a 43H/44H reply already carries its own bit cleared.
    expect(ask(ups, request(0x43)).info[0]).toBe(0x01);
    expect(ask(ups, request(0x42)).info[0]).toBe(0x01);
    expect(ask(ups, request(0x44)).info[0]).toBe(0x00);
    expect(ask(ups, request(0x42)).info[0]).toBe(0x00);
  });
});

describe('pinned points', () => {
  it('reach the GXE fields derived from them (42H battery voltage, 44H inverter failure)', () => {
    const { ups } = testUps({ settings: { dialect: 'gxe' } });
    ups.patchState({ points: { batteryVoltage: 380.25, inverterStatus: 0xf0 } });
    const analog = ask(ups, request(0x42)).text;
    expect(parseInt(analog.slice(13 + 2 * 19, 13 + 2 * 21), 16)).toBe(38025);
    const warnings = ask(ups, request(0x44)).text;
    expect(warnings.slice(13 + 2 * 5, 13 + 2 * 6)).toBe('F0'); // gxe_warns[4] "Inverter Failure" at register 5
  });
});

describe('the driver sequence through a whole outage', () => {
  it('over a serialport mock port: OL, OB, low battery, shutdown, bypass, boost, float', async () => {
    const server = await startUps();
    const { line, close } = await mockLine(server, '/dev/ttyGXE0');
    expect(await wholeCycle(server, line)).toEqual(EVERY_STATE);
    close();
  });

  it('over TCP on 127.0.0.1: the same', async () => {
    const server = await startUps();
    const { line, close } = await tcpLine(server);
    expect(await wholeCycle(server, line)).toEqual(EVERY_STATE);
    close();
  });
});

describe("the driver's 45H", () => {
  it('with the default addr=01 the driver sends VER 01H ADR 21H: a unit at 01H stays silent and nothing happens', async () => {
    const { ups } = testUps({ settings: { dialect: 'gxe' } });
    const master = new NutGxeMaster(slaveLine(ups), 50);
    await master.start();
    expect(await master.instcmd('test.battery.start')).toBe(false);
    expect(master.sent.slice(-3)).toEqual([NUT_GXE_FRAMES.testStart, NUT_GXE_FRAMES.testStart, NUT_GXE_FRAMES.testStart]);
    expect(answerFrame(ups, NUT_GXE_FRAMES.testStart).reason).toBe('other-address');
    expect(ups.model.selfTestEndsAt).toBeNull();
  });

  it('with the unit at ADR 21H and addr=21 the frames are right: test start/stop and load off/on work', async () => {
    const { ups } = testUps({ settings: { dialect: 'gxe', adr: 0x21 } });
    const master = new NutGxeMaster(slaveLine(ups), 50, '21');
    await master.start();
    await master.pollRound();
    expect(await master.instcmd('test.battery.start')).toBe(true);
    expect(master.state).toBe('sysparam');
    await master.pollRound();
    expect(master.vars['ups.test.result']).toBe('In progress');
    expect(await master.instcmd('test.battery.stop')).toBe(true);
    await master.pollRound();
    expect(master.vars['ups.test.result']).toBe('Idle');
    expect(await master.instcmd('load.off')).toBe(true);
    await master.pollRound();
    expect(master.status).toBe('');
    expect(await master.instcmd('load.on')).toBe(true);
    await master.pollRound();
    expect(master.status).not.toBe('');
  });
});
