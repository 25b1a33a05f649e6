// The ports `voltbench record` and `voltbench replay` use by default: the ones `voltbench up` serves each
// device on, read from the device's descriptor (its listener for that transport, else its main one).

import { listenerPlan } from '../../emulators/core/device/options.js';
import type { ListenerKind } from '../../emulators/core/device/descriptor.js';
import { builtinDevice, type DeviceName } from '../../emulators/registry.js';

const SERVES: Record<'http' | 'https' | 'serial', readonly ListenerKind[]> = {
  http: ['http', 'http+https'],
  https: ['https', 'http+https'],
  serial: ['tcp'],
};

/** The device's `voltbench up` port for a transport: SENEC has one per transport, the others one port. */
export function defaultDevicePort(device: DeviceName, transport: 'http' | 'https' | 'serial'): number {
  const descriptor = builtinDevice(device);
  if (!descriptor) throw new Error(`unknown device "${device}"`);
  const plan = listenerPlan(descriptor);
  return (plan.find((l) => SERVES[transport].includes(l.spec.kind)) ?? plan[0]!).spec.defaultPort;
}
