// The KEHUA UPS as a device plugin: cheap metadata only; the emulator loads when started.
import { Type } from '@sinclair/typebox';
import { defineDevice, DEVICE_API_VERSION } from '../core/device/descriptor.js';
import type { UpsSettings } from './settings.js';

export interface UpsConfig {
  settings?: Partial<UpsSettings>;
  /** Also serve `serialport` mock ports (`instance.server.openMockPort`) for in-process clients; off by default. */
  mockSerial?: boolean;
}

export default defineDevice({
  apiVersion: DEVICE_API_VERSION,
  name: 'ups',
  title: 'KEHUA UPS on RS-232 (YD/T 1363.3)',
  options: Type.Object({}),
  listeners: {
    api: { kind: 'tcp', defaultPort: 7083, description: 'raw serial bytes over TCP, one RS-232 line per connection' },
    control: { kind: 'http', defaultPort: 7090, description: 'the control API', control: true },
  },
  load: () => import('./create.js'),
});
