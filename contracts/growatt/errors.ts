/**
 * Error codes as data. Codes 10001-10009 are reused with different meanings per endpoint (10002/10003 are even
 * swapped between device/list and the plant endpoints), and 10012/10013 mean something else on mixSet, so lookups go
 * endpoint table first, global table second.
 *
 * `message` is the `error_msg` to send. Only a few wire strings have been observed (`observed: true`); for the others
 * the documents give a meaning but no wire string, so `message` repeats the documented meaning.
 */
import type { EndpointId } from './endpoints.js';
import { errorBody, type ErrorBody } from './envelope.js';

export interface ErrorSpec {
  readonly code: number;
  /** The `error_msg` string to send. */
  readonly message: string;
  /** What the documents say the code means. */
  readonly meaning: string;
  /** True when `message` is the exact string seen from the real service. */
  readonly observed: boolean;
  readonly note?: string;
}

function documented(code: number, meaning: string, note?: string): ErrorSpec {
  return note === undefined
    ? { code, message: meaning, meaning, observed: false }
    : { code, message: meaning, meaning, observed: false, note };
}

export const ERROR_CODES = {
  NEW_DOMAIN: -1,
  PERMISSION_DENIED: 10011,
  FREQUENTLY_ACCESS: 10012,
  PERPAGE_TOO_LARGE: 10013,
  TOO_MANY_PAGES: 10014,
} as const;

/** Codes every v1 endpoint can return (showdoc "global error codes"). */
export const GLOBAL_ERRORS: readonly ErrorSpec[] = [
  {
    code: ERROR_CODES.PERMISSION_DENIED,
    message: 'error_permission_denied',
    meaning: 'No privilege access: bad token, or a token used on another region\'s host',
    observed: true,
    note: 'A missing token header is assumed to answer the same. Home Assistant maps 10011 to re-authentication.',
  },
  {
    code: ERROR_CODES.FREQUENTLY_ACCESS,
    message: 'error_frequently_access',
    meaning: 'Access frequency limit (documented as 5 minutes per call)',
    observed: true,
  },
  documented(ERROR_CODES.PERPAGE_TOO_LARGE, 'perpage exceeds 100'),
  documented(ERROR_CODES.TOO_MANY_PAGES, 'Page count exceeds 250'),
  documented(ERROR_CODES.NEW_DOMAIN, 'Please use the new domain name to access', 'Returned by the old server*.growatt.com hosts.'),
];

const SYSTEM_ERROR = documented(10001, 'System error');
const PLANT_MISSING = documented(10002, 'Power station does not exist');
const PLANT_ID_EMPTY = documented(10003, 'Power station ID is empty');

/** The SPH history error list; the batch endpoint's page copies it, so the date codes cannot occur there. */
const MIX_HISTORY_ERRORS: readonly ErrorSpec[] = [
  SYSTEM_ERROR,
  documented(10002, 'Device serial number error'),
  documented(10003, 'Date format error'),
  documented(10004, 'Date interval exceeds seven days'),
  documented(10005, 'Mix does not exist'),
];

const READ_PARAM_ERRORS: readonly ErrorSpec[] = [
  documented(10001, 'Reading failed'),
  documented(10002, 'Device does not exist'),
  documented(10003, 'Device offline'),
  documented(10004, 'Collector serial number is empty'),
  documented(10005, 'Collector offline'),
  documented(10006, 'Collector type does not support reading'),
  documented(10007, 'The collector version does not support the reading function'),
  documented(10008, 'The collector connects to the server error, please restart and try again'),
  documented(10009, 'The read setting parameter type does not exist'),
];

export const ENDPOINT_ERRORS: { readonly [K in EndpointId]: readonly ErrorSpec[] } = {
  plantList: [SYSTEM_ERROR],
  plantDetails: [SYSTEM_ERROR, PLANT_MISSING, PLANT_ID_EMPTY, documented(10004, 'User does not exist')],
  plantData: [SYSTEM_ERROR, PLANT_MISSING, PLANT_ID_EMPTY],
  plantEnergy: [SYSTEM_ERROR, PLANT_MISSING, PLANT_ID_EMPTY, documented(10004, 'Time format is incorrect')],
  plantPower: [
    SYSTEM_ERROR,
    PLANT_MISSING,
    documented(10003, 'Power station ID is empty or time format is incorrect'),
  ],
  // Swapped relative to the plant endpoints.
  deviceList: [SYSTEM_ERROR, documented(10002, 'Power station ID is empty'), documented(10003, 'Power station does not exist')],
  // The page lists no specific codes.
  mixDataInfo: [],
  mixLastData: [SYSTEM_ERROR, documented(10002, 'Mix does not exist'), documented(10003, 'Device SN error')],
  mixsData: MIX_HISTORY_ERRORS.map((spec) =>
    spec.code === 10002
      ? { ...spec, note: 'Assumed also for more than 100 SNs in one request (undocumented).' }
      : spec.code === 10003 || spec.code === 10004
        ? { ...spec, note: 'Listed on the batch page by copy-paste; the endpoint takes no dates.' }
        : spec,
  ),
  mixData: MIX_HISTORY_ERRORS,
  alarmData: [
    SYSTEM_ERROR,
    documented(10002, 'Device serial number error'),
    documented(10003, 'Date format error'),
    documented(10005, 'Mix does not exist'),
  ],
  readMixParam: READ_PARAM_ERRORS,
  mixSet: [
    SYSTEM_ERROR,
    documented(10002, 'Server error of the mixed storage integrated machine', 'tlxSet was seen answering 10002 "error_useTrueHostToSet".'),
    documented(10003, 'Mixed storage integrated machine offline'),
    documented(10004, 'Mixed storage integrated machine serial number is empty'),
    documented(10005, 'Collector offline'),
    documented(10006, 'Setting parameter type does not exist'),
    documented(10007, 'Parameter value is empty'),
    documented(10008, 'Parameter value is out of range'),
    documented(10009, 'Date and time format is wrong'),
    documented(10012, 'Hybrid storage integrated machine does not exist', 'Overrides the global rate-limit meaning of 10012.'),
    documented(10013, 'End time cannot be less than start time', 'Overrides the global perpage meaning of 10013.'),
  ],
  // The pages list no specific codes; an SN outside the token's account answers permission denied (as mixDataInfo).
  tlxDataInfo: [],
  tlxSetInfo: [],
  tlxLastData: [SYSTEM_ERROR, documented(10002, 'MIN does not exist'), documented(10003, 'Device SN error')],
  // Assumed to follow mixs_data (the MIN batch page is not in the notes): 10002 also for more than 100 SNs.
  tlxsData: [SYSTEM_ERROR, documented(10002, 'Device serial number error'), documented(10005, 'MIN does not exist')],
  tlxData: [
    SYSTEM_ERROR,
    documented(10002, 'Device serial number is empty'),
    documented(10003, 'Start date format error'),
    documented(10004, 'Date interval exceeds seven days'),
    documented(10005, 'MIN does not exist'),
    documented(10011, 'No privilege: permission not satisfied', 'Shadows the global 10011 on this endpoint.'),
  ],
  readMinParam: READ_PARAM_ERRORS,
  tlxSet: [
    SYSTEM_ERROR,
    documented(10002, 'Server error', 'Seen live as "error_useTrueHostToSet".'),
    documented(10003, 'MIN offline'),
    documented(10004, 'MIN serial number is empty'),
    documented(10005, 'Collector offline'),
    documented(10006, 'Setting parameter type does not exist'),
    documented(10007, 'Parameter value is empty'),
    documented(10008, 'Parameter value is out of range'),
    documented(10009, 'Date and time format is wrong'),
    documented(10012, 'MIN does not exist', 'Overrides the global rate-limit meaning of 10012.'),
    documented(10013, 'End time cannot be less than start time', 'Overrides the global perpage meaning of 10013.'),
  ],
};

/** The spec for `code` on `endpoint` (endpoint table first), or on no endpoint in particular (global table only). */
export function lookupError(endpoint: EndpointId | null, code: number): ErrorSpec | undefined {
  const specific = endpoint === null ? undefined : ENDPOINT_ERRORS[endpoint].find((spec) => spec.code === code);
  return specific ?? GLOBAL_ERRORS.find((spec) => spec.code === code);
}

/** Every code `endpoint` can answer with, endpoint meanings shadowing global ones. */
export function errorsFor(endpoint: EndpointId): readonly ErrorSpec[] {
  const own = ENDPOINT_ERRORS[endpoint];
  const shadowed = new Set(own.map((spec) => spec.code));
  return [...own, ...GLOBAL_ERRORS.filter((spec) => !shadowed.has(spec.code))];
}

/** The reply body for `code` on `endpoint`; throws for codes the documents do not list there. */
export function errorReply(endpoint: EndpointId | null, code: number): ErrorBody {
  const spec = lookupError(endpoint, code);
  if (spec === undefined) throw new RangeError(`error code ${code} is not documented for ${endpoint ?? 'any endpoint'}`);
  return errorBody(spec.code, spec.message);
}
