// The Growatt OpenAPI as a device plugin: cheap metadata only; the emulator loads when started.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { defineDevice, DeviceOptionError, DEVICE_API_VERSION } from '../core/device/descriptor.js';
import type { TlsMaterial } from '../core/tls/certificates.js';
import type { GrowattSettings } from './emulator.js';
import { MAX_FLEET_DEVICES, type FleetConfig } from './fleet.js';

export const GrowattOptions = Type.Object({
  devices: Type.Integer({ minimum: 1, maximum: MAX_FLEET_DEVICES, default: 1, description: 'inverters in the fleet, one plant each' }),
  minDevices: Type.Integer({ minimum: 0, maximum: MAX_FLEET_DEVICES, default: 0, description: 'how many of them are MIN TL-XH (type 7) instead of SPH (type 5), spread evenly' }),
  accounts: Type.Integer({ minimum: 1, maximum: MAX_FLEET_DEVICES, default: 1, description: 'accounts (tokens) the devices are spread over; the first gets the demo token' }),
  token: Type.Optional(Type.String({ pattern: '^[0-9a-zA-Z]{8,64}$', expects: '8-64 letters or digits', hint: 'token', description: 'demo token of the first account (8-64 letters or digits); default: derived from the seed' })),
  rateLimit: Type.Boolean({ default: true, description: 'answer every call; by default calls faster than the documented limits get 10012' }),
  caOut: Type.Optional(Type.String({ minLength: 1, hint: 'file', description: 'write the CA certificate (PEM) that signs the HTTPS certificate to this file at start, for clients to trust' })),
  cert: Type.Optional(Type.String({ hint: 'file', description: 'PEM certificate (chain) for HTTPS; default: generated at start for the cloud host names' })),
  key: Type.Optional(Type.String({ hint: 'file', description: 'PEM private key for --growatt-cert' })),
});
export type GrowattOptions = Static<typeof GrowattOptions>;
export type ResolvedGrowattOptions = Omit<GrowattOptions, 'cert' | 'key'> & { tls?: TlsMaterial };

export interface GrowattConfig {
  fleet?: Partial<Omit<FleetConfig, 'seed'>>;
  settings?: Partial<GrowattSettings>;
  /** The HTTPS certificate instead of one generated at start (or `--growatt-cert`). */
  tls?: TlsMaterial;
}

export default defineDevice({
  apiVersion: DEVICE_API_VERSION,
  name: 'growatt',
  title: 'Growatt ShineServer OpenAPI v1, cloud',
  options: GrowattOptions,
  async resolveOptions(options): Promise<ResolvedGrowattOptions> {
    const { cert, key, ...rest } = options;
    if (rest.minDevices > rest.devices) throw new DeviceOptionError('minDevices', `(${rest.minDevices}) cannot exceed --growatt-devices (${rest.devices})`);
    if (rest.accounts > rest.devices) throw new DeviceOptionError('accounts', `(${rest.accounts}) cannot exceed --growatt-devices (${rest.devices})`);
    if (cert !== undefined && key === undefined) throw new DeviceOptionError('cert', 'needs --growatt-key (the two go together)');
    if (key !== undefined && cert === undefined) throw new DeviceOptionError('key', 'needs --growatt-cert (the two go together)');
    // Checked here so a path that cannot be written is refused before any port is bound.
    if (rest.caOut !== undefined) checkWritableFile(rest.caOut);
    if (cert === undefined || key === undefined) return rest;
    const { loadTlsMaterial } = await import('../core/tls/certificates.js');
    try {
      return { ...rest, tls: loadTlsMaterial(key, cert) };
    } catch (error) {
      throw new DeviceOptionError('cert', (error as Error).message);
    }
  },
  listeners: {
    // One port for both schemes, as the PVS: clients that hard-code https://openapi.growatt.com/ need only a hosts entry.
    api: { kind: 'http+https', defaultPort: 7082, description: 'HTTP and HTTPS on one port: OpenAPI v1 (clients append /v1/…) and the control API', control: true },
  },
  load: () => import('./create.js'),
});

/** `--growatt-ca-out` must name a file (not a directory) in a directory that exists. */
function checkWritableFile(path: string): void {
  const target = resolve(path);
  const where = statSync(dirname(target), { throwIfNoEntry: false });
  if (!where?.isDirectory()) throw new DeviceOptionError('caOut', `cannot write ${path}: no directory ${dirname(target)}`);
  if (statSync(target, { throwIfNoEntry: false })?.isDirectory()) throw new DeviceOptionError('caOut', `names a directory (${path}); give a file`);
}
