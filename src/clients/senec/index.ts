/** Typed client of the SENEC.Home V2.1/V3 local API (`POST /lala.cgi`). */
export {
  SenecClient,
  readBody,
  DEFAULT_ACCEPT,
  DEFAULT_CONTENT_TYPE,
  type SenecClientOptions,
  type SocketSettings,
  type WallboxSettings,
} from './client.js';
export * from './errors.js';
export * from './decode.js';
export * from './encode.js';
export * from './readings.js';
export { parseLalaBody } from './body.js';
export { splitRequest, mergeReplies, compactJsonBytes, DEFAULT_MAX_PIECE_BYTES, type LalaRequest } from './pieces.js';
export { CookieJar, SESSION_COOKIE } from './cookies.js';
export {
  backoffDelay,
  lalaUrl,
  normaliseFingerprint,
  type RetryPolicy,
  type SenecTlsOptions,
  type SleepFn,
} from './transport.js';
export type { DecodedValue, Marker, WireType } from '../../../contracts/senec/index.js';
