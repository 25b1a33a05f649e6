import { VirtualClock } from './core/clock.js';
import { listen, type HttpEmulator } from './core/http/app.js';
import { World, type WorldConfig } from './core/world/world.js';
import { createPvsServer } from './sunpower-pvs/server.js';
import type { SiteConfig } from './sunpower-pvs/site.js';
import type { PvsSettings } from './sunpower-pvs/emulator.js';

/** Every device voltbench knows, in start order; `available` ones can be started today. */
export const DEVICES = ['pvs', 'senec', 'growatt', 'ups'] as const;
export type DeviceName = (typeof DEVICES)[number];
export const AVAILABLE_DEVICES: readonly DeviceName[] = ['pvs'];

export const DEFAULT_PORTS = {
  pvs: 7080,
  senec: 7081,
  senecHttps: 7443,
  growatt: 7082,
  ups: 7083,
} as const;

export interface VoltbenchOptions {
  devices: readonly DeviceName[];
  host: string;
  seed: number;
  /** 0 = manual clock, 1 = real time, N = N× faster. */
  speed: number;
  /** Virtual start time (epoch ms); defaults to now. */
  start?: number;
  world?: Partial<Omit<WorldConfig, 'seed'>>;
  ports: { pvs: number };
  pvs?: { site?: Partial<SiteConfig>; settings?: Partial<PvsSettings> };
  /** Listen on sockets (default) or only build the apps for `inject()`. */
  listen?: boolean;
}

export interface RunningEmulator extends HttpEmulator {
  url: string | null;
}

export interface Voltbench {
  world: World;
  emulators: Partial<Record<DeviceName, RunningEmulator>>;
  close(): Promise<void>;
}

/**
 * Starts the chosen emulators on one shared world (one clock, one sun, one grid), so a grid outage
 * or a clock advance through any emulator's control API reaches all of them.
 */
export async function startVoltbench(options: VoltbenchOptions): Promise<Voltbench> {
  const clock = new VirtualClock({ ...(options.start !== undefined ? { start: options.start } : {}), speed: options.speed });
  const world = new World({ ...options.world, seed: options.seed }, clock);
  const emulators: Partial<Record<DeviceName, RunningEmulator>> = {};
  const started: HttpEmulator[] = [];
  try {
    for (const device of options.devices) {
      if (device !== 'pvs') throw new Error(`the ${device} emulator is not available yet (available: ${AVAILABLE_DEVICES.join(', ')})`);
      const server = await createPvsServer({ world, ...(options.pvs?.site ? { site: options.pvs.site } : {}), ...(options.pvs?.settings ? { settings: options.pvs.settings } : {}) });
      started.push(server);
      const url = options.listen === false ? null : await listen(server.app, options.host, options.ports.pvs);
      emulators.pvs = { ...server, url };
    }
  } catch (error) {
    await Promise.allSettled(started.map((s) => s.app.close()));
    throw error;
  }
  return {
    world,
    emulators,
    close: async () => {
      await Promise.allSettled(started.map((s) => s.app.close()));
    },
  };
}
