/**
 * Typed clients of the SunPower PVS5/PVS6 local API: the legacy one (dl_cgi commands and the ESS status path), the
 * varserver one of the 2025 firmware (`/auth`, `/vars`, the telemetry WebSocket), and a client that picks the era.
 */
export { PvsClient, ESS_STATUS_OPERATION, type PvsClientOptions } from './client.js';
export * from './errors.js';
export * from './devices.js';
export * from './responses.js';
export * from './ess.js';
export { backoffDelay, parseJsonObject, type FetchLike, type SleepFn, type RetryPolicy } from './http.js';
export {
  PvsVarserverClient,
  DEFAULT_VARSERVER_USER,
  SUPERVISOR_INFO_PATH,
  DEVICES_LIST_PATH,
  varsQueryText,
  type PvsVarserverClientOptions,
  type VarsQueryOptions,
  type VarsResult,
  type PvsDiscovery,
  type PvsSupervisorProbe,
  type VarserverDeviceList,
} from './varserver-client.js';
export { pvsBases, normaliseFingerprint, type PvsBases, type PvsHttpRequest, type PvsHttpResponse, type PvsRequestFn, type PvsTlsOptions } from './varserver-http.js';
export * from './varserver-views.js';
export { PvsTelemetryStream, type PvsTelemetryOptions, type PvsTelemetryReading, type PvsTelemetryState } from './telemetry.js';
export { PvsAutoClient, connectPvs, detectPvsEra, isEraChange, type PvsAutoClientOptions, type PvsEraClient, type PvsSiteDevices } from './era.js';
