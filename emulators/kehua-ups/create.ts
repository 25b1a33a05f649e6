import type { DeviceContext, DeviceInstance } from '../core/device/descriptor.js';
import type { UpsConfig, UpsOptions } from './device.js';
import type { UpsSettings } from './settings.js';
import { createUpsServer, type UpsServer } from './server.js';
import { serveTcpLine } from './transports/tcp.js';

/** The UPS's instance keeps its server at hand: in-process tests open mock serial ports on it. */
export interface UpsInstance extends DeviceInstance {
  server: UpsServer;
}

/**
 * The nameplate a GXE started with `--ups-dialect gxe` shows in 51H (NUT's ups.model). Invented: no
 * GXE 51H capture is public; the model is the one NUT's man page lists as tested (01k00TS1101C00).
 */
const GXE_NAMEPLATE: Partial<UpsSettings> = { deviceName: 'GXE01k00TS', vendorName: 'EmersonNetworkPower' };

export async function create(context: DeviceContext<Partial<UpsOptions>>): Promise<UpsInstance> {
  const config = (context.config ?? {}) as UpsConfig;
  const dialect = config.settings?.dialect ?? context.options.dialect ?? 'kehua';
  const settings: Partial<UpsSettings> = { ...(dialect === 'gxe' ? GXE_NAMEPLATE : {}), ...config.settings, dialect };
  const server = await createUpsServer({ world: context.world, mockSerial: config.mockSerial ?? false, settings });
  return {
    emulator: server.emulator,
    control: server.control,
    serve: { api: { connection: (socket) => serveTcpLine(server.ups, socket) }, control: server.app },
    server,
    close: () => server.close(),
  };
}
