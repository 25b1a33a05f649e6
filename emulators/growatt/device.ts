// The Growatt OpenAPI as a device plugin: cheap metadata only; the emulator loads when started.
import { Type, type Static } from '@sinclair/typebox';
import { defineDevice, DeviceOptionError, DEVICE_API_VERSION } from '../core/device/descriptor.js';
import type { GrowattSettings } from './emulator.js';
import { MAX_FLEET_DEVICES, type FleetConfig } from './fleet.js';

export const GrowattOptions = Type.Object({
  devices: Type.Integer({ minimum: 1, maximum: MAX_FLEET_DEVICES, default: 1, description: 'inverters in the fleet, one plant each' }),
  minDevices: Type.Integer({ minimum: 0, maximum: MAX_FLEET_DEVICES, default: 0, description: 'how many of them are MIN TL-XH (type 7) instead of SPH (type 5), spread evenly' }),
  accounts: Type.Integer({ minimum: 1, maximum: MAX_FLEET_DEVICES, default: 1, description: 'accounts (tokens) the devices are spread over; the first gets the demo token' }),
  token: Type.Optional(Type.String({ pattern: '^[0-9a-zA-Z]{8,64}$', expects: '8-64 letters or digits', hint: 'token', description: 'demo token of the first account (8-64 letters or digits); default: derived from the seed' })),
  rateLimit: Type.Boolean({ default: true, description: 'answer every call; by default calls faster than the documented limits get 10012' }),
});
export type GrowattOptions = Static<typeof GrowattOptions>;

export interface GrowattConfig {
  fleet?: Partial<Omit<FleetConfig, 'seed'>>;
  settings?: Partial<GrowattSettings>;
}

export default defineDevice({
  apiVersion: DEVICE_API_VERSION,
  name: 'growatt',
  title: 'Growatt ShineServer OpenAPI v1, cloud',
  options: GrowattOptions,
  resolveOptions(options) {
    if (options.minDevices > options.devices) throw new DeviceOptionError('minDevices', `(${options.minDevices}) cannot exceed --growatt-devices (${options.devices})`);
    if (options.accounts > options.devices) throw new DeviceOptionError('accounts', `(${options.accounts}) cannot exceed --growatt-devices (${options.devices})`);
    return options;
  },
  listeners: {
    api: { kind: 'http', defaultPort: 7082, description: 'OpenAPI v1 (clients append /v1/…) and the control API', control: true },
  },
  load: () => import('./create.js'),
});
