import type { DeviceContext, DeviceInstance } from '../core/device/descriptor.js';
import type { PvsConfig, PvsOptions } from './device.js';
import { createPvsServer } from './server.js';

export async function create(context: DeviceContext<PvsOptions>): Promise<DeviceInstance> {
  const { options } = context;
  const config = (context.config ?? {}) as PvsConfig;
  const server = await createPvsServer({
    world: context.world,
    site: { panels: options.panels, essBatteries: options.batteries, ...config.site },
    settings: { deviceListLatency: options.latency, ...config.settings },
  });
  return { emulator: server.emulator, control: server.control, serve: { api: server.app }, close: () => server.app.close() };
}
