// The PVS as a device plugin: cheap metadata only; the emulator loads when the PVS is started.
import { Type, type Static } from '@sinclair/typebox';
import { defineDevice, DEVICE_API_VERSION } from '../core/device/descriptor.js';
import type { PvsSettings } from './emulator.js';
import type { SiteConfig } from './site.js';

export const PvsOptions = Type.Object({
  panels: Type.Integer({ minimum: 1, maximum: 200, default: 24, description: 'panel count, one micro-inverter each' }),
  batteries: Type.Integer({ minimum: 0, maximum: 8, default: 0, description: 'SunVault batteries; 0 = no ESS' }),
  latency: Type.Boolean({ default: false, description: 'DeviceList takes as long as on a real supervisor (~0.25 s per device)' }),
});
export type PvsOptions = Static<typeof PvsOptions>;

/** What code (tests, scenarios) may pass beyond the options: a whole site, emulator settings. */
export interface PvsConfig {
  site?: Partial<SiteConfig>;
  settings?: Partial<PvsSettings>;
}

export default defineDevice({
  apiVersion: DEVICE_API_VERSION,
  name: 'pvs',
  title: 'SunPower PVS5/PVS6 supervisor',
  options: PvsOptions,
  listeners: {
    api: { kind: 'http', defaultPort: 7080, description: 'installer-port API (dl_cgi) and the control API', control: true },
  },
  load: () => import('./create.js'),
});
