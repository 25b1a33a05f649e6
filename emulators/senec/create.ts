import { PROFILES } from '../../contracts/senec/index.js';
import type { DeviceContext, DeviceInstance } from '../core/device/descriptor.js';
import type { ResolvedSenecOptions, SenecConfig } from './device.js';
import { createSenecServer } from './server.js';

export async function create(context: DeviceContext<ResolvedSenecOptions>): Promise<DeviceInstance> {
  const config = (context.config ?? {}) as SenecConfig;
  const tls = config.tls ?? context.options.tls;
  const server = await createSenecServer({
    world: context.world,
    site: { profile: context.options.firmware, ...config.site },
    ...(config.settings ? { settings: config.settings } : {}),
    ...(tls ? { tls } : {}),
    secondary: false,
  });
  // The ready line names the listener the firmware serves at start; both run (the firmware can change).
  const firmware = () => PROFILES[server.senec.profile];
  return {
    emulator: server.emulator,
    control: server.control,
    serve: { api: server.app, https: server.app },
    tls: server.tls,
    ready: (urls) => ({
      ...(firmware().transport === 'http' && urls['api'] ? { url: urls['api'] } : {}),
      ...(firmware().transport === 'https' && urls['https'] ? { httpsUrl: urls['https'] } : {}),
      firmware: firmware().id,
      ...(urls['api'] ? { controlUrl: urls['api'] } : {}),
    }),
    label: () => `senec (${firmware().id})`,
    close: () => server.app.close(),
  };
}
