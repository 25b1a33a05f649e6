import { writeFileSync } from 'node:fs';
import type { DeviceContext, DeviceInstance } from '../core/device/descriptor.js';
import { DeviceOptionError } from '../core/device/descriptor.js';
import { generateTlsMaterial } from '../core/tls/certificates.js';
import type { GrowattConfig, ResolvedGrowattOptions } from './device.js';
import { GROWATT_CA_COMMON_NAME, GROWATT_CERT_NAMES, GROWATT_CLOUD_HOSTS } from './hosts.js';
import { createGrowattServer } from './server.js';
import { caRoute } from './tls-route.js';

export async function create(context: DeviceContext<ResolvedGrowattOptions>): Promise<DeviceInstance> {
  const { options } = context;
  const config = (context.config ?? {}) as GrowattConfig;
  // A fresh CA per start unless a certificate is given: clients trust it through --growatt-ca-out.
  const tls = config.tls ?? options.tls ?? generateTlsMaterial({ commonName: GROWATT_CLOUD_HOSTS[0]!, caCommonName: GROWATT_CA_COMMON_NAME, altNames: [...GROWATT_CERT_NAMES] });
  if (options.caOut !== undefined) {
    try {
      writeFileSync(options.caOut, tls.ca);
    } catch (error) {
      throw new DeviceOptionError('caOut', `cannot be written: ${(error as Error).message}`, context.name);
    }
  }
  const server = await createGrowattServer({
    world: context.world,
    fleet: { devices: options.devices, minDevices: options.minDevices, accounts: options.accounts, ...(options.token !== undefined ? { demoToken: options.token } : {}), ...config.fleet },
    settings: { rateLimits: options.rateLimit, ...config.settings },
  }, { controlRoutes: caRoute(tls.ca) });
  return {
    emulator: server.emulator,
    control: server.control,
    serve: { api: server.app },
    tls,
    // Clients take the server root and append /v1/…; one port for http:// and https://; the demo token belongs to the first account.
    ready: (urls) => ({
      ...(urls['api'] ? { url: urls['api'], httpsUrl: urls['api'].replace(/^http:/, 'https:') } : {}),
      token: server.growatt.demoToken,
    }),
    label: () => `growatt (token ${server.growatt.demoToken})`,
    close: () => server.app.close(),
  };
}
