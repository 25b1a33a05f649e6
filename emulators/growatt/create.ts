import type { DeviceContext, DeviceInstance } from '../core/device/descriptor.js';
import type { GrowattConfig, GrowattOptions } from './device.js';
import { createGrowattServer } from './server.js';

export async function create(context: DeviceContext<GrowattOptions>): Promise<DeviceInstance> {
  const { options } = context;
  const config = (context.config ?? {}) as GrowattConfig;
  const server = await createGrowattServer({
    world: context.world,
    fleet: { devices: options.devices, minDevices: options.minDevices, accounts: options.accounts, ...(options.token !== undefined ? { demoToken: options.token } : {}), ...config.fleet },
    settings: { rateLimits: options.rateLimit, ...config.settings },
  });
  return {
    emulator: server.emulator,
    control: server.control,
    serve: { api: server.app },
    // Clients take the server root and append /v1/…; the demo token belongs to the first account.
    ready: (urls) => ({ ...(urls['api'] ? { url: urls['api'] } : {}), token: server.growatt.demoToken }),
    label: () => `growatt (token ${server.growatt.demoToken})`,
    close: () => server.app.close(),
  };
}
