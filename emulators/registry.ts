// Starts a run: one shared world (clock, sun, weather, grid) and the chosen devices on it, each
// from its descriptor. Nothing here names a device: built-ins come from devices.ts, a user's own
// from a module (`voltbench up --device`), and both go through the same steps.

import { VirtualClock } from './core/clock.js';
import type { AnyDeviceDescriptor } from './core/device/descriptor.js';
import { checkDeviceSet } from './core/device/check.js';
import { resolveDeviceOptions, startDevice, type RunningDevice } from './core/device/host.js';
import { defaultPorts } from './core/device/options.js';
import { World, type WorldConfig } from './core/world/world.js';
import { BUILTIN_DEVICES } from './devices.js';
import type { PvsConfig } from './sunpower-pvs/device.js';
import type { SenecConfig } from './senec/device.js';
import type { GrowattConfig } from './growatt/device.js';
import type { UpsConfig } from './kehua-ups/device.js';

export type { RunningDevice } from './core/device/host.js';

/** The built-in devices' names, in start order. */
export type DeviceName = (typeof BUILTIN_DEVICES)[number]['name'];
export const DEVICES: readonly DeviceName[] = BUILTIN_DEVICES.map((d) => d.name as DeviceName);
/** Kept for callers of the time before every device was available. */
export const AVAILABLE_DEVICES: readonly DeviceName[] = DEVICES;

/** Default ports of the built-ins' listeners, by port key (`pvs`, `senecHttps`, `upsControl`, …). */
export const DEFAULT_PORTS = Object.freeze(defaultPorts(BUILTIN_DEVICES)) as Readonly<{ pvs: number; senec: number; senecHttps: number; growatt: number; ups: number; upsControl: number }>;

/** Where each descriptor came from, for messages: `built-in`, `--device ./meter.js`. */
const SOURCES = new WeakMap<AnyDeviceDescriptor, string>();
for (const d of BUILTIN_DEVICES) SOURCES.set(d, 'built-in');

export function noteSource(descriptor: AnyDeviceDescriptor, source: string): void {
  SOURCES.set(descriptor, source);
}

export function sourceOf(descriptor: AnyDeviceDescriptor): string {
  return SOURCES.get(descriptor) ?? `device ${descriptor.name}`;
}

export function builtinDevice(name: string): AnyDeviceDescriptor | undefined {
  return BUILTIN_DEVICES.find((d) => d.name === name);
}

export interface VoltbenchOptions {
  /** Built-in device names, or descriptors (a user's devices), in start order. */
  devices: readonly (DeviceName | AnyDeviceDescriptor)[];
  host: string;
  seed: number;
  /** 0 = manual clock, 1 = real time, N = N× faster. */
  speed: number;
  /** Virtual start time (epoch ms); defaults to now. */
  start?: number;
  world?: Partial<Omit<WorldConfig, 'seed'>>;
  /** Outages planned ahead (scenarios), in place before any device takes its first sample. */
  outages?: readonly { from: number; to: number }[];
  /** Ports by port key (`pvs`, `senecHttps`, `upsControl`, `<device>` for a device's first listener, …). */
  ports?: Readonly<Record<string, number | undefined>>;
  /** A port not given: 0 (any free port) when true, else the listener's default. */
  freePorts?: boolean;
  /** Option values by device, as its descriptor declares them (`{ pvs: { panels: 12 } }`). */
  options?: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>;
  /** Deeper configuration by device, beyond its options (a whole site, settings); see each device's Config type. */
  config?: Readonly<Record<string, unknown>>;
  pvs?: PvsConfig;
  senec?: SenecConfig;
  growatt?: GrowattConfig;
  ups?: UpsConfig;
  /** Listen on sockets (default) or only build the apps for `inject()`. */
  listen?: boolean;
  /** Device log lines (default: none). */
  log?: (line: string) => void;
  /** Per device: load, create and bind must finish within this (default 10 s). */
  startTimeoutMs?: number;
}

export interface Voltbench {
  world: World;
  /** The running devices in start order. */
  devices: readonly RunningDevice[];
  /** The running devices by name. */
  emulators: Partial<Record<DeviceName, RunningDevice>> & Readonly<Record<string, RunningDevice | undefined>>;
  close(): Promise<void>;
}

/**
 * Starts the chosen devices on one shared world (one clock, one sun, one grid), so a grid outage
 * or a clock advance through any device's control API reaches all of them.
 */
export async function startVoltbench(options: VoltbenchOptions): Promise<Voltbench> {
  const descriptors = options.devices.map((d) => {
    if (typeof d !== 'string') return d;
    const builtin = builtinDevice(d);
    if (!builtin) throw new Error(`unknown device "${d}"; built-in devices: ${DEVICES.join(', ')}`);
    return builtin;
  });
  checkDeviceSet(descriptors, sourceOf);
  const clock = new VirtualClock({ ...(options.start !== undefined ? { start: options.start } : {}), speed: options.speed });
  const world = new World({ ...options.world, seed: options.seed }, clock);
  for (const outage of options.outages ?? []) world.planOutage(outage.from, outage.to);
  const byName: Record<string, unknown> = { pvs: options.pvs, senec: options.senec, growatt: options.growatt, ups: options.ups };
  const running: RunningDevice[] = [];
  const closeAll = async () => {
    // Teardown reverses start-up.
    for (const device of [...running].reverse()) await device.close().catch(() => {});
  };
  // Every device's options first: a bad one is refused before any port is bound.
  const resolved = new Map<AnyDeviceDescriptor, { options: unknown }>();
  for (const descriptor of descriptors) resolved.set(descriptor, await resolveDeviceOptions(descriptor, options.options?.[descriptor.name] ?? {}));
  try {
    for (const descriptor of descriptors) {
      const ports: Record<string, number> = {};
      if (options.freePorts) for (const key of Object.keys(defaultPorts([descriptor]))) ports[key] = 0;
      for (const [key, value] of Object.entries(options.ports ?? {})) if (value !== undefined) ports[key] = value;
      running.push(
        await startDevice({
          descriptor,
          source: sourceOf(descriptor),
          world,
          seed: options.seed,
          options: options.options?.[descriptor.name] ?? {},
          resolved: resolved.get(descriptor)!,
          config: options.config?.[descriptor.name] ?? byName[descriptor.name],
          listen: options.listen === false ? false : { host: options.host, ports },
          log: options.log ?? (() => {}),
          ...(options.startTimeoutMs !== undefined ? { timeoutMs: options.startTimeoutMs } : {}),
        }),
      );
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return {
    world,
    devices: running,
    emulators: Object.fromEntries(running.map((d) => [d.name, d])) as Voltbench['emulators'],
    close: closeAll,
  };
}
