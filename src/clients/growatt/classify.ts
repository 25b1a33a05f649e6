/**
 * Which error class a code stands for, per endpoint. The meanings come from the contract's ENDPOINT_ERRORS /
 * GLOBAL_ERRORS; this table only sorts them into kinds. Endpoint entries shadow global ones, exactly like
 * `lookupError`, which is how mixSet's 10012 ("device does not exist") and 10013 ("end time before start time")
 * escape the global rate-limit and perpage meanings. Codes in neither table (10001 system error, readMixParam's
 * "collector does not support reading", ...) stay plain GrowattApiError.
 */
import type { EndpointId } from '../../../contracts/growatt/index.js';
import {
  GrowattApiError,
  GrowattAuthError,
  GrowattNewDomainError,
  GrowattNotFoundError,
  GrowattOfflineError,
  GrowattParameterError,
  GrowattRateLimitError,
  type ApiErrorInit,
} from './errors.js';

export type ApiErrorKind = 'auth' | 'rateLimit' | 'notFound' | 'parameter' | 'offline' | 'newDomain' | 'other';

type KindTable = Readonly<Record<number, ApiErrorKind>>;

export const GLOBAL_ERROR_KINDS: KindTable = {
  [-1]: 'newDomain',
  10011: 'auth',
  10012: 'rateLimit',
  10013: 'parameter', // perpage > 100
  10014: 'parameter', // more than 250 pages
};

const PLANT = { 10002: 'notFound', 10003: 'parameter' } as const; // plant does not exist / plant ID empty
const MIX_HISTORY = { 10002: 'parameter', 10003: 'parameter', 10004: 'parameter', 10005: 'notFound' } as const;

export const ENDPOINT_ERROR_KINDS: { readonly [K in EndpointId]: KindTable } = {
  plantList: {},
  plantDetails: { ...PLANT, 10004: 'notFound' }, // user does not exist
  plantData: PLANT,
  plantEnergy: { ...PLANT, 10004: 'parameter' }, // time format
  plantPower: PLANT, // 10003 also covers a bad time format
  deviceList: { 10002: 'parameter', 10003: 'notFound' }, // swapped relative to the plant endpoints
  mixDataInfo: {},
  mixLastData: { 10002: 'notFound', 10003: 'parameter' },
  mixsData: MIX_HISTORY,
  mixData: MIX_HISTORY,
  alarmData: { 10002: 'parameter', 10003: 'parameter', 10005: 'notFound' },
  readMixParam: {
    10002: 'notFound',
    10003: 'offline', // device
    10004: 'parameter', // datalogger SN empty
    10005: 'offline', // datalogger
    10009: 'parameter', // parameter type does not exist
  },
  mixSet: {
    10003: 'offline', // device
    10004: 'parameter', // SN empty
    10005: 'offline', // datalogger
    10006: 'parameter', // parameter type does not exist
    10007: 'parameter', // value empty
    10008: 'parameter', // value out of range
    10009: 'parameter', // date/time format
    10012: 'notFound', // not a rate limit here
    10013: 'parameter', // end time before start time
  },
  tlxDataInfo: {},
  tlxSetInfo: {},
  tlxLastData: { 10002: 'notFound', 10003: 'parameter' },
  tlxsData: { 10002: 'parameter', 10005: 'notFound' },
  tlxData: { 10002: 'parameter', 10003: 'parameter', 10004: 'parameter', 10005: 'notFound', 10011: 'auth' },
  readMinParam: {
    10002: 'notFound',
    10003: 'offline', // device
    10004: 'parameter', // datalogger SN empty
    10005: 'offline', // datalogger
    10009: 'parameter', // parameter type does not exist
  },
  tlxSet: {
    10003: 'offline',
    10004: 'parameter',
    10005: 'offline',
    10006: 'parameter',
    10007: 'parameter',
    10008: 'parameter',
    10009: 'parameter',
    10012: 'notFound', // not a rate limit here
    10013: 'parameter',
  },
};

const CLASSES: { readonly [K in ApiErrorKind]: new (init: ApiErrorInit) => GrowattApiError } = {
  auth: GrowattAuthError,
  rateLimit: GrowattRateLimitError,
  notFound: GrowattNotFoundError,
  parameter: GrowattParameterError,
  offline: GrowattOfflineError,
  newDomain: GrowattNewDomainError,
  other: GrowattApiError,
};

export function errorKind(endpoint: EndpointId, code: number): ApiErrorKind {
  return ENDPOINT_ERROR_KINDS[endpoint][code] ?? GLOBAL_ERROR_KINDS[code] ?? 'other';
}

/** The error object for a non-zero `error_code` (or a local refusal given the code the server would send). */
export function apiError(init: ApiErrorInit): GrowattApiError {
  return new CLASSES[errorKind(init.endpoint, init.code)](init);
}

/** A local GrowattParameterError carrying the code the server documents for the same mistake. */
export function localParameterError(endpoint: EndpointId, code: number, reason: string): GrowattParameterError {
  return new GrowattParameterError({ endpoint, code, errorMsg: reason, local: true });
}
