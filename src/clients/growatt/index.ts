/** Typed client of the Growatt ShineServer OpenAPI v1 (plants, device list, SPH/MIX and MIN/TLX readers and setters). */
export {
  GrowattClient,
  DEFAULT_USER_AGENT,
  type GrowattClientOptions,
  type Region,
  type PageOptions,
  type PlantListOptions,
  type PlantEnergyQuery,
  type MixDataQuery,
  type AlarmDataQuery,
  type MixHistoryOptions,
  type PlantListPage,
  type PlantRow,
  type PlantDetails,
  type PlantOverview,
  type PlantEnergyHistory,
  type PlantPowerDay,
  type DeviceListPage,
  type DeviceRow,
  type MixSettings,
  type MixDataInfo,
  type MixLastData,
  type MixsData,
  type MixHistoryPage,
  type AlarmPage,
  type AlarmRow,
  type MinReply,
  type TimeSegmentSettings,
} from './client.js';
export * from './errors.js';
export { apiError, errorKind, localParameterError, ENDPOINT_ERROR_KINDS, GLOBAL_ERROR_KINDS, type ApiErrorKind } from './classify.js';
export {
  RateLimitScheduler,
  DEFAULT_MARGIN_MS,
  DEFAULT_RATE_LIMIT_RETRIES,
  UNLISTED_RETRY_WINDOW_MS,
  defaultSleep,
  type SchedulerOptions,
  type SleepFn,
} from './scheduler.js';
export {
  fetchTransport,
  DEFAULT_TIMEOUT_MS,
  type GrowattRequest,
  type GrowattResponse,
  type GrowattTransport,
} from './transport.js';
export { parseReply, type ReplyBody } from './reply.js';
export { formatDate, historyWindows, addDays, isIsoDate, type DateInput, type DateWindow } from './dates.js';
export {
  pvOnOffCommand,
  acChargeTimesCommand,
  acDischargeTimesCommand,
  exportLimitCommand,
  TIME_PERIOD_SLOTS,
  type MixSetCommand,
  type TimePeriod,
  type AcChargeSettings,
  type AcDischargeSettings,
  type ExportLimitSettings,
} from './setters.js';
export type { MixTelemetry, MixsDataEntry, TlxTelemetry, TlxSetTypeName, EndpointId, WireParams } from '../../../contracts/growatt/index.js';
