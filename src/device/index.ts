/**
 * The device interface (`voltbench/device`): what a device of your own exports so that
 * `voltbench up --device ./my-device.js` (or `startVoltbench({ devices: [myDevice] })`) runs it on
 * the shared world beside the built-in devices. docs/devices.md describes it; examples/ has one.
 *
 *   import { defineDevice, Type } from 'voltbench/device';
 *   export default defineDevice({ apiVersion: 1, name: 'meter', title: '…', listeners: { … }, create(context) { … } });
 *
 * Everything a device stands on (world, clock, seeded randomness, the fault layer and the control
 * API) reaches it through `create(context)`, so this module holds types and a few helpers only.
 */
export {
  defineDevice,
  DEVICE_API_VERSION,
  SUPPORTED_API_VERSIONS,
  LISTENER_KINDS,
  DeviceOptionError,
  DeviceDescriptorError,
  type DeviceDescriptor,
  type AnyDeviceDescriptor,
  type DeviceContext,
  type DeviceInstance,
  type DeviceModule,
  type ListenerSpec,
  type ListenerKind,
  type ListenerHandler,
  type ListenerUrls,
  type HttpHandler,
  type TcpHandler,
  type UpgradeHandler,
  type TlsKeyPair,
} from '../../emulators/core/device/descriptor.js';
export type { HttpDeviceSpec, HttpDevice, StatusPage, StatePatchShape } from '../../emulators/core/device/toolkit.js';
export { ControlInputError } from '../../emulators/core/errors.js';
export type { World, WorldSnapshot } from '../../emulators/core/world/world.js';
export type { Rng } from '../../emulators/core/rng.js';
export type { DeviceEmulator } from '../../emulators/core/emulator.js';
/** TypeBox's builder, for options schemas without a dependency of your own. */
export { Type, type Static, type TObject } from '@sinclair/typebox';
