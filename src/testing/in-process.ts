import type { AnyDeviceDescriptor } from '../../emulators/core/device/descriptor.js';
import { AVAILABLE_DEVICES, startVoltbench as startEmulators, type DeviceName, type Voltbench, type VoltbenchOptions } from '../../emulators/registry.js';
import type { World } from '../../emulators/core/world/world.js';
import { EndpointTable, type EmulatorAddresses } from './endpoints.js';
import { loadScenario, narrowScenario, startScenario, type Scenario, type ScenarioReport, type ScenarioSession } from '../scenarios/index.js';

export interface StartVoltbenchOptions {
  /** Emulators to start: built-in names and descriptors of your own devices (default: every built-in). */
  devices?: readonly (DeviceName | AnyDeviceDescriptor)[];
  /** Option values per device, as its descriptor declares them, e.g. `{ pvs: { panels: 12 } }`. */
  options?: VoltbenchOptions['options'];
  /** Seed of the world and every device (default 1): the same seed gives the same world. */
  seed?: number;
  /** 0 = manual clock (moves only when advanced), 1 = real time (default), N = N× faster. */
  speed?: number;
  /** Virtual start time (default: now); pin it with `speed: 0` for fully repeatable tests. */
  start?: number | string | Date;
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** Ports per listener; every one defaults to 0 (a free port), so parallel tests never collide. */
  ports?: Partial<VoltbenchOptions['ports']>;
  world?: VoltbenchOptions['world'];
  pvs?: VoltbenchOptions['pvs'];
  senec?: VoltbenchOptions['senec'];
  growatt?: VoltbenchOptions['growatt'];
  ups?: VoltbenchOptions['ups'];
  /**
   * A scenario (library name, file, or one loaded with loadScenario) to play on the world: it sets
   * the world, start time, seed (unless `seed` is given) and devices (`devices` picks some of them).
   * Without `speed` the clock stands still and `play()` moves it through the timeline; with a
   * `speed` the clock runs and `play()` waits for it.
   */
  scenario?: string | Scenario;
}

/** Emulators running in this process: their URLs, typed control clients, and the world itself. */
export class InProcessVoltbench extends EndpointTable implements AsyncDisposable {
  constructor(
    addresses: EmulatorAddresses,
    private readonly running: Voltbench,
    /** The scenario being played, when started with one. */
    readonly scenario: ScenarioSession | null = null,
  ) {
    super(addresses);
  }

  /**
   * Plays the scenario's timeline up to `until` (an offset such as "6h30m"), or to its end, and
   * reports: events applied, devices polled, expectations judged so far.
   */
  play(until?: string | number): Promise<ScenarioReport> {
    if (this.scenario === null) throw new Error('play() needs startVoltbench({ scenario })');
    return this.scenario.run(until === undefined ? {} : { until });
  }

  /** The shared world (clock, sun, grid), for direct in-process control. */
  get world(): World {
    return this.running.world;
  }

  /** The device emulators themselves (state, control, apps), for direct in-process access. */
  get emulators(): Voltbench['emulators'] {
    return this.running.emulators;
  }

  async close(): Promise<void> {
    this.scenario?.stop();
    await this.running.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Starts emulators on one shared world in this process for a test, each on a free port of 127.0.0.1.
 *   const vb = await startVoltbench({ devices: ['pvs'], seed: 7 });
 *   const pvs = new PvsClient({ baseUrl: vb.getPvsUrl() });   …   await vb.close();
 */
export async function startVoltbench(options: StartVoltbenchOptions = {}): Promise<InProcessVoltbench> {
  if (options.scenario !== undefined) return startWithScenario(options, options.scenario);
  const start = options.start === undefined ? undefined : new Date(options.start).getTime();
  if (start !== undefined && Number.isNaN(start)) throw new Error(`startVoltbench: start is not a valid time: ${String(options.start)}`);
  const running = await startEmulators({
    devices: options.devices ?? AVAILABLE_DEVICES,
    host: options.host ?? '127.0.0.1',
    seed: options.seed ?? 1,
    speed: options.speed ?? 1,
    ...(start !== undefined ? { start } : {}),
    ports: options.ports ?? {},
    freePorts: true,
    ...(options.options ? { options: options.options } : {}),
    ...(options.world ? { world: options.world } : {}),
    ...(options.pvs ? { pvs: options.pvs } : {}),
    ...(options.senec ? { senec: options.senec } : {}),
    ...(options.growatt ? { growatt: options.growatt } : {}),
    ...(options.ups ? { ups: options.ups } : {}),
  });
  return new InProcessVoltbench(addressesOf(running), running);
}

async function startWithScenario(options: StartVoltbenchOptions, ref: string | Scenario): Promise<InProcessVoltbench> {
  const clashing = (['start', 'world', 'pvs', 'senec', 'growatt', 'ups'] as const).filter((k) => options[k] !== undefined);
  if (clashing.length > 0) throw new Error(`startVoltbench: ${clashing.join(', ')} come from the scenario; set them in its file`);
  let scenario = typeof ref === 'string' ? loadScenario(ref) : ref;
  const own = (options.devices ?? []).filter((d): d is AnyDeviceDescriptor => typeof d !== 'string');
  if (options.devices) scenario = narrowScenario(scenario, options.devices.filter((d): d is DeviceName => typeof d === 'string'));
  if (options.seed !== undefined) scenario = { ...scenario, seed: options.seed };
  const session = await startScenario(scenario, {
    speed: options.speed ?? 'max',
    listen: true,
    host: options.host ?? '127.0.0.1',
    ...(options.ports ? { ports: options.ports } : {}),
    ...(options.options ? { deviceOptions: options.options } : {}),
    extraDevices: own,
  });
  return new InProcessVoltbench(addressesOf(session.voltbench), session.voltbench, session);
}

function addressesOf(running: Voltbench): EmulatorAddresses {
  return Object.fromEntries(
    running.devices.filter((d) => d.url !== null && d.controlListener !== null).map((d) => [d.name, { urls: d.urls, controlListener: d.controlListener!, ready: d.ready }]),
  );
}
