// The KEHUA UPS as a device plugin: cheap metadata only; the emulator loads when started.
import { Type, type Static } from '@sinclair/typebox';
import { defineDevice, DEVICE_API_VERSION } from '../core/device/descriptor.js';
import type { UpsSettings } from './settings.js';

export const UpsOptions = Type.Object({
  dialect: Type.Union([Type.Literal('kehua'), Type.Literal('gxe')], {
    default: 'kehua',
    description: "command set: kehua (the UL33 map) or gxe (Emerson/Liebert GXE, for NUT's liebert-gxe); PATCH /__emu/state switches it",
  }),
});
export type UpsOptions = Static<typeof UpsOptions>;

export interface UpsConfig {
  settings?: Partial<UpsSettings>;
  /** Also serve `serialport` mock ports (`instance.server.openMockPort`) for in-process clients; off by default. */
  mockSerial?: boolean;
}

export default defineDevice({
  apiVersion: DEVICE_API_VERSION,
  name: 'ups',
  title: 'KEHUA UPS on RS-232 (YD/T 1363.3)',
  options: UpsOptions,
  listeners: {
    api: { kind: 'tcp', defaultPort: 7083, description: 'raw serial bytes over TCP, one RS-232 line per connection' },
    control: { kind: 'http', defaultPort: 7090, description: 'the control API', control: true },
  },
  load: () => import('./create.js'),
});
