// Each device's control API under `/api/devices/<name>/__emu/…`: the very plugin (routes, schemas,
// messages) that serves `/__emu` beside the device, bound to the device's EmulatorControl.

import type { FastifyInstance, RouteOptions } from 'fastify';
import { ControlRouteTable, controlRoutes, CONTROL_PREFIX } from '../../../emulators/core/http/control-routes.js';
import type { RunningDevice } from '../../../emulators/registry.js';

/** Route paths as the device lists them (`/__emu/state`), though they are served under a prefix. */
class PrefixedRouteTable extends ControlRouteTable {
  constructor(private readonly prefix: string) {
    super();
  }

  override add(route: Pick<RouteOptions, 'method' | 'url' | 'config'>): void {
    if (route.url.startsWith(this.prefix)) super.add({ ...route, url: route.url.slice(this.prefix.length) });
  }

  override allowedMethods(url: string): string[] {
    return super.allowedMethods(url.startsWith(this.prefix) ? url.slice(this.prefix.length) : url);
  }
}

export function devicePrefix(name: string): string {
  return `/api/devices/${encodeURIComponent(name)}`;
}

/** Mounts one device's control API; `changed` runs after every operation that may change something. */
export async function mountDeviceControl(app: FastifyInstance, device: RunningDevice, changed: () => void): Promise<void> {
  const prefix = devicePrefix(device.name);
  await app.register(
    async (scope) => {
      const table = new PrefixedRouteTable(prefix);
      scope.addHook('onRoute', (route) => table.add(route));
      scope.addHook('onResponse', (request, _reply, done) => {
        if (request.method !== 'GET' && request.method !== 'HEAD') changed();
        done();
      });
      await scope.register(controlRoutes, { prefix: CONTROL_PREFIX, control: device.control, routes: table });
    },
    { prefix },
  );
}
