// The SENEC as a device plugin: cheap metadata only; the emulator loads when the SENEC is started.
import { Type, type Static } from '@sinclair/typebox';
import { PROFILE_IDS } from '../../contracts/senec/profiles.js';
import { defineDevice, DeviceOptionError, DEVICE_API_VERSION } from '../core/device/descriptor.js';
import type { TlsMaterial } from '../core/tls/certificates.js';
import type { SenecSettings } from './emulator.js';
import type { SenecSiteConfig } from './site.js';

export const SenecOptions = Type.Object({
  firmware: Type.Union(
    PROFILE_IDS.map((id) => Type.Literal(id)),
    { default: 'v3-0826', description: 'firmware profile; v21-0824 serves HTTP, the others HTTPS' },
  ),
  cert: Type.Optional(Type.String({ hint: 'file', description: 'PEM certificate (chain) for HTTPS; default: generated at start' })),
  key: Type.Optional(Type.String({ hint: 'file', description: 'PEM private key for --senec-cert' })),
});
export type SenecOptions = Static<typeof SenecOptions>;
export type ResolvedSenecOptions = Pick<SenecOptions, 'firmware'> & { tls?: TlsMaterial };

export interface SenecConfig {
  site?: Partial<SenecSiteConfig>;
  settings?: Partial<SenecSettings>;
  tls?: TlsMaterial;
}

export default defineDevice({
  apiVersion: DEVICE_API_VERSION,
  name: 'senec',
  title: 'SENEC V3 / V2.1 home battery',
  options: SenecOptions,
  async resolveOptions(options): Promise<ResolvedSenecOptions> {
    if (options.cert !== undefined && options.key === undefined) throw new DeviceOptionError('cert', 'needs --senec-key (the two go together)');
    if (options.key !== undefined && options.cert === undefined) throw new DeviceOptionError('key', 'needs --senec-cert (the two go together)');
    if (options.cert === undefined || options.key === undefined) return { firmware: options.firmware };
    const { loadTlsMaterial } = await import('../core/tls/certificates.js');
    try {
      return { firmware: options.firmware, tls: loadTlsMaterial(options.key, options.cert) };
    } catch (error) {
      throw new DeviceOptionError('cert', (error as Error).message);
    }
  },
  listeners: {
    api: { kind: 'http', defaultPort: 7081, description: 'plain HTTP: the device API on v21-0824 firmware, the control API always', control: true },
    https: { kind: 'https', defaultPort: 7443, description: 'HTTPS: the device API on V3 firmware' },
  },
  load: () => import('./create.js'),
});
