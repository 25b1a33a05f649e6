import type { DeviceContext, DeviceInstance } from '../core/device/descriptor.js';
import type { UpsConfig } from './device.js';
import { createUpsServer, type UpsServer } from './server.js';
import { serveTcpLine } from './transports/tcp.js';

/** The UPS's instance keeps its server at hand: in-process tests open mock serial ports on it. */
export interface UpsInstance extends DeviceInstance {
  server: UpsServer;
}

export async function create(context: DeviceContext<Record<string, never>>): Promise<UpsInstance> {
  const config = (context.config ?? {}) as UpsConfig;
  const server = await createUpsServer({ world: context.world, mockSerial: config.mockSerial ?? false, ...(config.settings ? { settings: config.settings } : {}) });
  return {
    emulator: server.emulator,
    control: server.control,
    serve: { api: { connection: (socket) => serveTcpLine(server.ups, socket) }, control: server.app },
    server,
    close: () => server.close(),
  };
}
