import { VirtualClock } from './core/clock.js';
import { listen, listenSecondary, type HttpEmulator } from './core/http/app.js';
import type { TlsMaterial } from './core/tls/certificates.js';
import { World, type WorldConfig } from './core/world/world.js';
import { createPvsServer } from './sunpower-pvs/server.js';
import type { SiteConfig } from './sunpower-pvs/site.js';
import type { PvsSettings } from './sunpower-pvs/emulator.js';
import { PROFILES } from '../contracts/senec/index.js';
import type { SenecSettings } from './senec/emulator.js';
import { createSenecServer } from './senec/server.js';
import { createUpsServer } from './kehua-ups/server.js';
import { createGrowattServer } from './growatt/server.js';
import type { GrowattSettings } from './growatt/emulator.js';
import type { FleetConfig } from './growatt/fleet.js';
import type { UpsSettings } from './kehua-ups/settings.js';
import type { SenecSiteConfig } from './senec/site.js';

/** Every device voltbench knows, in start order; `available` ones can be started today. */
export const DEVICES = ['pvs', 'senec', 'growatt', 'ups'] as const;
export type DeviceName = (typeof DEVICES)[number];
export const AVAILABLE_DEVICES: readonly DeviceName[] = ['pvs', 'senec', 'growatt', 'ups'];

export const DEFAULT_PORTS = {
  pvs: 7080,
  senec: 7081,
  senecHttps: 7443,
  growatt: 7082,
  ups: 7083,
  upsControl: 7090,
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
  /** Outages planned ahead (scenarios), in place before any device takes its first sample. */
  outages?: readonly { from: number; to: number }[];
  ports: { pvs: number; senec?: number; senecHttps?: number; growatt?: number; ups?: number; upsControl?: number };
  pvs?: { site?: Partial<SiteConfig>; settings?: Partial<PvsSettings> };
  senec?: { site?: Partial<SenecSiteConfig>; settings?: Partial<SenecSettings>; tls?: TlsMaterial };
  ups?: { settings?: Partial<UpsSettings> };
  growatt?: { fleet?: Partial<Omit<FleetConfig, 'seed'>>; settings?: Partial<GrowattSettings> };
  /** Listen on sockets (default) or only build the apps for `inject()`. */
  listen?: boolean;
}

export interface RunningEmulator extends HttpEmulator {
  /** Base URL of the device's plain-HTTP listener (null when only built for inject()). */
  url: string | null;
  /** Base URL of the `/__emu` control API. */
  controlUrl: string | null;
  /** This device's entry in the `--json` ready line. */
  ready: Record<string, string>;
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
  for (const outage of options.outages ?? []) world.planOutage(outage.from, outage.to);
  const emulators: Partial<Record<DeviceName, RunningEmulator>> = {};
  const closers: (() => Promise<unknown>)[] = [];
  try {
    for (const device of options.devices) {
      if (device === 'pvs') {
        const server = await createPvsServer({ world, ...(options.pvs?.site ? { site: options.pvs.site } : {}), ...(options.pvs?.settings ? { settings: options.pvs.settings } : {}) });
        closers.push(() => server.app.close());
        const url = options.listen === false ? null : await listen(server.app, options.host, options.ports.pvs);
        emulators.pvs = { ...server, url, controlUrl: url, ready: url ? { url } : {} };
      } else if (device === 'senec') {
        const server = await createSenecServer({
          world,
          ...(options.senec?.site ? { site: options.senec.site } : {}),
          ...(options.senec?.settings ? { settings: options.senec.settings } : {}),
          ...(options.senec?.tls ? { tls: options.senec.tls } : {}),
        });
        closers.push(() => server.app.close());
        let url: string | null = null;
        let httpsUrl: string | null = null;
        if (options.listen !== false) {
          url = await listen(server.app, options.host, options.ports.senec ?? DEFAULT_PORTS.senec);
          httpsUrl = await listenSecondary(server.secondary!, options.host, options.ports.senecHttps ?? DEFAULT_PORTS.senecHttps);
        }
        const profile = PROFILES[server.senec.profile];
        // Both listeners run (the firmware can change at run time); the ready line names the one the firmware serves.
        const ready: Record<string, string> = {
          ...(url && profile.transport === 'http' ? { url } : {}),
          ...(httpsUrl && profile.transport === 'https' ? { httpsUrl } : {}),
          firmware: profile.id,
          ...(url ? { controlUrl: url } : {}),
        };
        emulators.senec = { ...server, url, controlUrl: url, ready };
      } else if (device === 'growatt') {
        const server = await createGrowattServer({
          world,
          ...(options.growatt?.fleet ? { fleet: options.growatt.fleet } : {}),
          ...(options.growatt?.settings ? { settings: options.growatt.settings } : {}),
        });
        closers.push(() => server.app.close());
        const url = options.listen === false ? null : await listen(server.app, options.host, options.ports.growatt ?? DEFAULT_PORTS.growatt);
        // Clients take the server root and append /v1/…; the demo token belongs to the first account.
        emulators.growatt = { ...server, url, controlUrl: url, ready: url ? { url, token: server.growatt.demoToken } : {} };
      } else if (device === 'ups') {
        const server = await createUpsServer({ world, ...(options.ups?.settings ? { settings: options.ups.settings } : {}) });
        closers.push(() => server.close());
        let url: string | null = null;
        let controlUrl: string | null = null;
        if (options.listen !== false) {
          url = await server.listenTcp(options.host, options.ports.ups ?? DEFAULT_PORTS.ups);
          controlUrl = await listen(server.app, options.host, options.ports.upsControl ?? DEFAULT_PORTS.upsControl);
        }
        emulators.ups = { ...server, url, controlUrl, ready: url && controlUrl ? { url, controlUrl } : {} };
      } else {
        throw new Error(`the ${device} emulator is not available yet (available: ${AVAILABLE_DEVICES.join(', ')})`);
      }
    }
  } catch (error) {
    await Promise.allSettled(closers.map((close) => close()));
    throw error;
  }
  return {
    world,
    emulators,
    close: async () => {
      await Promise.allSettled(closers.map((close) => close()));
    },
  };
}
