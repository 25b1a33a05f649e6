// The client reads both dialects of one emulated unit into the same UpsStatus, over TCP and a mock serial
// port; a grid outage through the control API turns it to on-battery and back. (The test imports the
// emulator; the client knows only the contract.)
import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../emulators/core/clock.js';
import { World } from '../../../emulators/core/world/world.js';
import { createUpsServer, type UpsServer } from '../../../emulators/kehua-ups/server.js';
import type { UpsSettings } from '../../../emulators/kehua-ups/settings.js';
import { startVoltbench } from '../../testing/index.js';
import { KehuaUpsClient, UpsRtnError, type KehuaUpsClientOptions, type UpsDialect, type UpsStatus } from './index.js';

const JUNE_MORNING = Date.parse('2026-06-21T18:00:00Z');
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startUps(settings: Partial<UpsSettings> = {}): Promise<UpsServer> {
  const server = await createUpsServer({ world: new World({ seed: 5 }, new VirtualClock({ start: JUNE_MORNING, speed: 0 })), settings });
  cleanups.push(() => server.close());
  return server;
}

let paths = 0;
const TRANSPORTS: readonly (readonly [string, (server: UpsServer) => Promise<KehuaUpsClientOptions['transport']>])[] = [
  ['TCP', (server) => server.listenTcp('127.0.0.1', 0)],
  ['mock serial', async (server) => ({ path: server.openMockPort(`/dev/ttyDIALECT${++paths}`), binding: SerialPortMock.binding })],
];

function client(transport: KehuaUpsClientOptions['transport'], dialect: UpsDialect): KehuaUpsClient {
  const ups = new KehuaUpsClient({ transport, dialect, timeoutMs: 2000, backoffMs: 1, sleep: async () => {} });
  cleanups.push(() => ups.close());
  return ups;
}

const patch = (server: UpsServer, url: string, payload: object) => server.app.inject({ method: url.endsWith('clock') ? 'POST' : 'PATCH', url, payload });

/** The discrete part and the measurements to 0.01 (the GXE's fixed-point resolution). */
function comparable(s: UpsStatus) {
  const r = (v: number) => Math.round(v * 100);
  return {
    supply: s.supply,
    onBattery: s.onBattery,
    charger: s.charger,
    selfTestInProgress: s.selfTestInProgress,
    alarms: s.alarms,
    measured: [s.inputVoltage, s.outputVoltage, s.outputCurrent, s.batteryVoltage, s.inputFrequency, s.outputFrequency, s.outputActivePowerKw, s.outputApparentPowerKva].map(r),
  };
}

describe.each(TRANSPORTS)('both dialects over %s', (_, connect) => {
  it('read one unit state into equal statuses; an outage turns both to on-battery and back', async () => {
    const server = await startUps();
    // One line each (a serial port opens once).
    const kehua = client(await connect(server), 'kehua');
    const read = async (dialect: UpsDialect): Promise<UpsStatus> => {
      expect((await patch(server, '/__emu/state', { settings: { dialect } })).statusCode).toBe(200);
      return dialect === 'kehua' ? kehua.status() : gxe.status();
    };
    const gxe = client(await connect(server), 'gxe');

    const onMains = await read('kehua');
    expect(onMains).toMatchObject({ dialect: 'kehua', supply: 'inverter', onBattery: false });
    const onMainsGxe = await read('gxe');
    expect(onMainsGxe.dialect).toBe('gxe');
    expect(comparable(onMainsGxe)).toEqual(comparable(onMains));

    expect((await patch(server, '/__emu/world', { grid: 'down' })).statusCode).toBe(200);
    await patch(server, '/__emu/clock', { advance: '2m' });
    const outage = await read('gxe');
    expect(outage).toMatchObject({ supply: 'battery', onBattery: true, charger: 'discharging', alarms: { mainsAbnormal: true } });
    expect(outage.inputVoltage).toBe(0);
    expect(outage.batteryVoltage).toBeLessThan(onMainsGxe.batteryVoltage);
    expect(comparable(await read('kehua'))).toEqual(comparable(outage));

    expect((await patch(server, '/__emu/world', { grid: 'up' })).statusCode).toBe(200);
    await patch(server, '/__emu/clock', { advance: '1m' });
    const back = await read('gxe');
    expect(back).toMatchObject({ supply: 'inverter', onBattery: false, alarms: { mainsAbnormal: false } });
    expect(['boost', 'float']).toContain(back.charger);
    expect(comparable(await read('kehua'))).toEqual(comparable(back));
  });
});

describe('a client of the wrong dialect', () => {
  it('gets RTN 04H: the GXE has no 41H, the KEHUA map no 42H', async () => {
    const server = await startUps({ dialect: 'gxe' });
    const url = await server.listenTcp('127.0.0.1', 0);
    await expect(client(url, 'kehua').readAnalog()).rejects.toMatchObject({ name: UpsRtnError.name, rtn: 0x04 });
    expect((await patch(server, '/__emu/state', { settings: { dialect: 'kehua' } })).statusCode).toBe(200);
    await expect(client(url, 'gxe').readGxe(0x42)).rejects.toBeInstanceOf(UpsRtnError);
  });

  it('refuses UL33 reads in the GXE dialect and unknown GXE commands before sending anything', async () => {
    const gxe = new KehuaUpsClient({ transport: 'tcp://127.0.0.1:9', dialect: 'gxe' });
    await expect(gxe.snapshot()).rejects.toThrow(RangeError);
    await expect(gxe.readGxe(0x41)).rejects.toThrow(RangeError);
    expect(() => new KehuaUpsClient({ transport: 'tcp://127.0.0.1:9', dialect: 'emerson' as UpsDialect })).toThrow(RangeError);
  });
});

describe('the dialect setting', () => {
  it('is checked by PATCH /__emu/state', async () => {
    const server = await startUps();
    const bad = await patch(server, '/__emu/state', { settings: { dialect: 'emerson' } });
    expect(bad.statusCode).toBe(400);
    expect((await server.app.inject({ method: 'GET', url: '/__emu/state' })).json()).toMatchObject({ settings: { dialect: 'kehua' } });
  });
});

describe('startVoltbench', () => {
  it("takes the dialect as the UPS's option; the unit then names itself as a GXE in 51H", async () => {
    const vb = await startVoltbench({ devices: ['ups'], seed: 7, speed: 0, options: { ups: { dialect: 'gxe' } } });
    cleanups.push(() => vb.close());
    const ups = client(vb.getUpsUrl(), 'gxe');
    expect(await ups.readVendorInfo()).toMatchObject({ deviceName: 'GXE01k00TS', vendorName: 'EmersonNetworkPower' });
    expect((await ups.status()).supply).toBe('inverter');
  });
});
