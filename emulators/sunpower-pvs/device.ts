// The PVS as a device plugin: cheap metadata only; the emulator loads when the PVS is started.
import { Type, type Static } from '@sinclair/typebox';
import { DEFAULT_PVS_FIRMWARE, PVS_FIRMWARE_IDS } from '../../contracts/sunpower-pvs/firmware.js';
import { defineDevice, DeviceOptionError, DEVICE_API_VERSION } from '../core/device/descriptor.js';
import type { TlsMaterial } from '../core/tls/certificates.js';
import type { PvsSettings } from './emulator.js';
import type { SiteConfig } from './site.js';

export const PvsOptions = Type.Object({
  panels: Type.Integer({ minimum: 1, maximum: 200, default: 24, description: 'panel count, one micro-inverter each' }),
  batteries: Type.Integer({ minimum: 0, maximum: 8, default: 0, description: 'SunVault batteries; 0 = no ESS' }),
  latency: Type.Boolean({ default: false, description: 'DeviceList takes as long as on a real supervisor (~0.25 s per device)' }),
  // Optional rather than defaulted: without it the site's own firmware applies (a site given by code or a
  // scenario, else DEFAULT_PVS_FIRMWARE's).
  firmware: Type.Optional(
    Type.Union(
      PVS_FIRMWARE_IDS.map((id) => Type.Literal(id)),
      { description: `firmware profile (default ${DEFAULT_PVS_FIRMWARE}: the legacy dl_cgi API); the others serve the varserver (/auth, /vars)` },
    ),
  ),
  password: Type.Optional(Type.String({ pattern: '^[\\x21-\\x7e]{1,64}$', hint: 'text', expects: '1-64 printable characters without spaces', description: 'varserver login password; default: the last 5 characters of the supervisor serial' })),
  cert: Type.Optional(Type.String({ hint: 'file', description: 'PEM certificate (chain) for HTTPS; default: generated at start' })),
  key: Type.Optional(Type.String({ hint: 'file', description: 'PEM private key for --pvs-cert' })),
});
export type PvsOptions = Static<typeof PvsOptions>;
export type ResolvedPvsOptions = Omit<PvsOptions, 'cert' | 'key'> & { tls?: TlsMaterial };

/** What code (tests, scenarios) may pass beyond the options: a whole site, emulator settings, a certificate. */
export interface PvsConfig {
  site?: Partial<SiteConfig>;
  settings?: Partial<PvsSettings>;
  tls?: TlsMaterial;
}

export default defineDevice({
  apiVersion: DEVICE_API_VERSION,
  name: 'pvs',
  title: 'SunPower PVS5/PVS6 supervisor',
  options: PvsOptions,
  async resolveOptions(options): Promise<ResolvedPvsOptions> {
    const { cert, key, ...rest } = options;
    if (cert !== undefined && key === undefined) throw new DeviceOptionError('cert', 'needs --pvs-key (the two go together)');
    if (key !== undefined && cert === undefined) throw new DeviceOptionError('key', 'needs --pvs-cert (the two go together)');
    if (cert === undefined || key === undefined) return rest;
    const { loadTlsMaterial } = await import('../core/tls/certificates.js');
    try {
      return { ...rest, tls: loadTlsMaterial(key, cert) };
    } catch (error) {
      throw new DeviceOptionError('cert', (error as Error).message);
    }
  },
  listeners: {
    api: {
      kind: 'http+https',
      defaultPort: 7080,
      description: 'HTTP and HTTPS on one port: dl_cgi, the varserver (/auth, /vars) and the control API',
      control: true,
    },
    ws: { kind: 'websocket', defaultPort: 9002, description: 'telemetry WebSocket (PVS6 varserver firmware)' },
  },
  load: () => import('./create.js'),
});
