export { VirtualClock, type ClockMode, type ClockSnapshot, type ClockOptions, type WallClock } from './clock.js';
export { Rng, hashString } from './rng.js';
export { ControlInputError } from './errors.js';
export { parseDuration, parseInstant } from './duration.js';
export { World, DEFAULT_WORLD, type WorldConfig, type WorldSnapshot } from './world/world.js';
export { GridTimeline, type Outage } from './world/grid.js';
export {
  FaultInjector,
  HTTP_FAULT_KINDS,
  SERIAL_FAULT_KINDS,
  corruptBytes,
  escapeQuotes,
  garbageBytes,
  splitBytes,
  truncateBody,
  type Fault,
  type FaultKind,
  type FaultSpec,
  type FaultMatch,
} from './faults.js';
export { RequestLog, type LoggedRequest } from './request-log.js';
export { EmulatorControl, type DeviceEmulator, type ClockCommand, type WorldCommand } from './emulator.js';
export { buildHttpEmulator, listen, listenSecondary, type HttpEmulator, type HttpEmulatorOptions, type TlsKeyPair } from './http/app.js';
export { CONTROL_PREFIX, type ControlRoute } from './http/control-routes.js';
export { COMMON_ACTIONS, normalizeStatePatch, type CommonAction, type StatePatch, type StatePatchShape } from './state-patch.js';
export { refuseRequest, type StatusPage } from './http/fault-hooks.js';
export { generateTlsMaterial, loadTlsMaterial, type TlsMaterial, type CertificateOptions } from './tls/certificates.js';
