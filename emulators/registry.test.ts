import { Type } from '@sinclair/typebox';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineDevice, DeviceOptionError, type DeviceContext } from './core/device/descriptor.js';
import { BUILTIN_DEVICES } from './devices.js';
import { startVoltbench, type Voltbench } from './registry.js';

const running: Voltbench[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(running.splice(0).map((vb) => vb.close()));
});

async function start(options: Partial<Parameters<typeof startVoltbench>[0]> & Pick<Parameters<typeof startVoltbench>[0], 'devices'>): Promise<Voltbench> {
  const vb = await startVoltbench({ host: '127.0.0.1', seed: 5, speed: 0, start: Date.parse('2026-06-21T12:00:00Z'), freePorts: true, ...options });
  running.push(vb);
  return vb;
}

/** A small HTTP device that reports what it was given and the world it stands on. */
function probe(name: string, events: string[] = []) {
  return defineDevice({
    apiVersion: 1,
    name,
    title: `probe ${name}`,
    options: Type.Object({ level: Type.Integer({ minimum: 0, maximum: 9, default: 4, description: 'a level' }) }),
    listeners: { api: { kind: 'http', defaultPort: 7199, description: 'API', control: true } },
    async create(context: DeviceContext<{ level: number }>) {
      events.push(`create ${name}`);
      const device = await context.http({
        routes: async (app) => {
          app.get('/probe', async () => ({
            level: context.options.level,
            config: context.config ?? null,
            grid: context.world.gridUp(context.world.clock.now()) ? 'up' : 'down',
            random: context.rng('x').next(),
          }));
        },
        state: () => ({ settings: { level: context.options.level } }),
      });
      return {
        emulator: device.emulator,
        control: device.control,
        serve: { api: device.app },
        close: async () => {
          events.push(`close ${name}`);
          await device.app.close();
        },
      };
    },
  });
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  return (await (await fetch(url)).json()) as Record<string, unknown>;
}

describe('startVoltbench with device descriptors', () => {
  it('starts a device of your own with its options (defaults filled in) and config, on the shared world', async () => {
    const vb = await start({ devices: ['pvs', probe('probe')], options: { probe: { level: 7 } }, config: { probe: { site: 'A' } } });
    const device = vb.emulators['probe']!;
    expect(device.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(device.ready).toEqual({ url: device.url });
    expect(device.controlUrl).toBe(device.url);
    expect(device.label).toBe('probe');
    expect(await getJson(`${device.url}/probe`)).toMatchObject({ level: 7, config: { site: 'A' }, grid: 'up' });
    // A grid outage through the PVS's control API reaches it: one world.
    await fetch(`${vb.emulators.pvs!.controlUrl}/__emu/world`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"grid":"down"}' });
    expect(await getJson(`${device.url}/probe`)).toMatchObject({ grid: 'down' });
    // Its control API is the shared one.
    expect(await getJson(`${device.url}/__emu/health`)).toMatchObject({ status: 'ok', device: 'probe' });
    expect(await getJson(`${device.url}/__emu/state`)).toEqual({ settings: { level: 7 } });
  });

  it('gives each device seeded randomness: the same seed, the same numbers; another seed, others', async () => {
    const a = await start({ devices: [probe('probe')] });
    const b = await start({ devices: [probe('probe')] });
    const c = await start({ devices: [probe('probe')], seed: 6 });
    const first = (await getJson(`${a.emulators['probe']!.url}/probe`))['random'];
    expect((await getJson(`${b.emulators['probe']!.url}/probe`))['random']).toBe(first);
    expect((await getJson(`${c.emulators['probe']!.url}/probe`))['random']).not.toBe(first);
  });

  it('loads a built-in device only when it is started', async () => {
    const loads = BUILTIN_DEVICES.map((d) => vi.spyOn(d, 'load'));
    await start({ devices: ['pvs'] });
    expect(loads.map((l) => l.mock.calls.length)).toEqual([1, 0, 0, 0]);
    await start({ devices: ['ups', 'senec'] });
    expect(loads.map((l) => l.mock.calls.length)).toEqual([1, 1, 0, 1]);
  });

  it('closes devices in reverse start order, once', async () => {
    const events: string[] = [];
    const vb = await startVoltbench({ devices: [probe('one', events), probe('two', events)], host: '127.0.0.1', seed: 1, speed: 0, freePorts: true });
    await vb.close();
    await vb.close();
    expect(events).toEqual(['create one', 'create two', 'close two', 'close one']);
  });

  it('a device that fails to start closes those started before it, and the error names it', async () => {
    const events: string[] = [];
    const broken = defineDevice({ ...probe('broken'), create: () => Promise.reject(new Error('no hardware')) });
    await expect(startVoltbench({ devices: [probe('one', events), broken], host: '127.0.0.1', seed: 1, speed: 0, freePorts: true })).rejects.toThrow('no hardware');
    expect(events).toEqual(['create one', 'close one']);
  });

  it('a device that never finishes starting fails after the start timeout, naming it', async () => {
    const stuck = defineDevice({ ...probe('stuck'), create: () => new Promise<never>(() => {}) });
    await expect(startVoltbench({ devices: [stuck], host: '127.0.0.1', seed: 1, speed: 0, freePorts: true, startTimeoutMs: 50 })).rejects.toThrow('stuck (device stuck) did not start within 0.05 s');
  });

  it('an option error found when the device starts names the device and the option', async () => {
    const picky = defineDevice({
      ...probe('picky'),
      resolveOptions: (options) => {
        if (options.level > 5) throw new DeviceOptionError('level', 'is too high for this site');
        return options;
      },
    });
    const error = await startVoltbench({ devices: [picky], host: '127.0.0.1', seed: 1, speed: 0, freePorts: true, options: { picky: { level: 6 } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceOptionError);
    expect(error).toMatchObject({ device: 'picky', option: 'level', message: 'is too high for this site' });
    await expect(startVoltbench({ devices: [probe('probe')], host: '127.0.0.1', seed: 1, speed: 0, freePorts: true, options: { probe: { level: 'high' } } })).rejects.toThrow('must be a whole number from 0 to 9, got "high"');
  });

  it('without sockets (listen: false) builds the apps for inject() and binds nothing', async () => {
    const vb = await start({ devices: ['pvs', probe('probe')], listen: false });
    expect(vb.devices.map((d) => [d.name, d.url, d.ready])).toEqual([
      ['pvs', null, {}],
      ['probe', null, {}],
    ]);
    const reply = await vb.emulators['probe']!.app.inject({ url: '/probe' });
    expect(reply.json()).toMatchObject({ level: 4 });
  });

  it('refuses an unknown built-in name and a second device of the same name', async () => {
    await expect(startVoltbench({ devices: ['toaster' as 'pvs'], host: '127.0.0.1', seed: 1, speed: 0 })).rejects.toThrow('unknown device "toaster"; built-in devices: pvs, senec, growatt, ups');
    await expect(startVoltbench({ devices: ['pvs', probe('pvs')], host: '127.0.0.1', seed: 1, speed: 0 })).rejects.toThrow('a device named "pvs" is already known (built-in)');
  });
});
