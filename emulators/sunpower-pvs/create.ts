import type { DeviceContext, DeviceInstance } from '../core/device/descriptor.js';
import { generateTlsMaterial } from '../core/tls/certificates.js';
import type { PvsConfig, ResolvedPvsOptions } from './device.js';
import { createPvsServer } from './server.js';
import { firmwareSite } from './site.js';
import { PvsTelemetry } from './telemetry.js';

export async function create(context: DeviceContext<ResolvedPvsOptions>): Promise<DeviceInstance> {
  const { options } = context;
  const config = (context.config ?? {}) as PvsConfig;
  // The firmware option sets model and SWVER, unless a site given by code or a scenario names its own firmware.
  const firmwareOption = options.firmware === undefined || config.site?.firmware !== undefined ? {} : firmwareSite(options.firmware);
  const server = await createPvsServer({
    world: context.world,
    site: { panels: options.panels, essBatteries: options.batteries, ...firmwareOption, ...config.site },
    settings: { deviceListLatency: options.latency, ...(options.password !== undefined ? { password: options.password } : {}), ...config.settings },
  });
  // A self-signed certificate like the device's, unless one is given (the clients do not verify it).
  const tls = config.tls ?? options.tls ?? generateTlsMaterial({ commonName: 'pvs6.local', caCommonName: 'SunPower PVS' });
  const telemetry = new PvsTelemetry(server.pvs);
  const firmware = () => server.pvs.site.firmware.profile ?? server.pvs.site.config.firmware;
  return {
    emulator: server.emulator,
    control: server.control,
    serve: { api: server.app, ws: telemetry },
    tls,
    // One port for both schemes: `url` for the legacy clients' http://, `httpsUrl` for the varserver's https://.
    ready: (urls) => ({
      ...(urls['api'] ? { url: urls['api'], httpsUrl: urls['api'].replace(/^http:/, 'https:') } : {}),
      ...(urls['ws'] ? { wsUrl: urls['ws'] } : {}),
      firmware: firmware(),
    }),
    label: () => `pvs (${firmware()})`,
    close: async () => {
      await telemetry.close();
      await server.app.close();
    },
  };
}
