// The building blocks `create` gets through its context: an HTTP device with the shared fault layer,
// request log and `/__emu` control API, without importing anything from voltbench.

import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { EmulatorControl, type DeviceEmulator } from '../emulator.js';
import { ControlInputError } from '../errors.js';
import { FaultInjector, HTTP_FAULT_KINDS } from '../faults.js';
import type { StatusPage } from '../http/fault-hooks.js';
import { RequestLog } from '../request-log.js';
import type { StatePatchShape } from '../state-patch.js';
import type { Rng } from '../rng.js';
import type { World } from '../world/world.js';

export interface HttpDeviceSpec {
  /** The device's own routes (its wire API), a Fastify plugin. */
  routes: FastifyPluginAsync;
  /** `GET /__emu/state`. */
  state(): unknown;
  /** `PATCH /__emu/state`: apply the change or throw `ControlInputError` (a 400) and change nothing. */
  patchState?(patch: Record<string, unknown>): unknown;
  /**
   * The patch's keys: `settings` (the keys of the `settings` object your state shows) and top-level
   * `actions`. With it, patchState always gets `{settings: {...}, ...actions}` and `GET /__emu/` lists them.
   */
  statePatch?: StatePatchShape;
  /** `POST /__emu/reset`: back to the initial state at the current virtual time. */
  reset?(): void;
  /** What the request log and fault matching call a request (a command, an endpoint). */
  describeRequest?(request: FastifyRequest): string | undefined;
  /** The device's own page for injected `status` faults. */
  statusPage?(status: number): StatusPage;
}

export interface HttpDevice {
  /** Ready for `inject()`; the host serves it on the device's listener. */
  app: FastifyInstance;
  emulator: DeviceEmulator;
  control: EmulatorControl;
}

export type { StatusPage, StatePatchShape };

/** `context.http` for one device. */
export function httpToolkit(name: string, world: World, rng: (stream: string) => Rng) {
  return async (spec: HttpDeviceSpec): Promise<HttpDevice> => {
    // Loaded with the first HTTP device that asks: the rest of the host does not need Fastify's app code.
    const { buildHttpEmulator } = await import('../http/app.js');
    const faults = new FaultInjector(HTTP_FAULT_KINDS, rng('faults'), () => world.clock.now());
    const requests = new RequestLog();
    const emulator: DeviceEmulator = {
      device: name,
      world,
      faults,
      requests,
      ...(spec.statePatch ? { statePatch: spec.statePatch } : {}),
      state: () => spec.state(),
      patchState: (patch) => {
        if (spec.patchState === undefined) throw new ControlInputError(`${name} has no state to change`);
        return spec.patchState(patch as Record<string, unknown>);
      },
      reset: () => {
        spec.reset?.();
        faults.clear();
        requests.clear();
      },
    };
    // `POST /__emu/reset {"world":true}` rewinds the world and, with it, every device on it.
    world.onReset(() => emulator.reset());
    const http = await buildHttpEmulator({
      emulator,
      routes: spec.routes,
      ...(spec.describeRequest ? { describeRequest: spec.describeRequest } : {}),
      ...(spec.statusPage ? { statusPage: spec.statusPage } : {}),
    });
    return { app: http.app, emulator, control: http.control };
  };
}
