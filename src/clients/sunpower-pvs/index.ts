/** Typed client of the SunPower PVS5/PVS6 legacy local API (dl_cgi commands and the ESS status path). */
export { PvsClient, ESS_STATUS_OPERATION, type PvsClientOptions } from './client.js';
export * from './errors.js';
export * from './devices.js';
export * from './responses.js';
export * from './ess.js';
export { backoffDelay, parseJsonObject, type FetchLike, type SleepFn, type RetryPolicy } from './http.js';
