/**
 * The Growatt OpenAPI v1 endpoints this contract covers (SPH/MIX and MIN/TLX families plus the plant and device-list calls).
 * `doc` is the section number / page of the official ShineServer showdoc, kept so readers can find the source.
 */
export type HttpMethod = 'GET' | 'POST';

export interface EndpointSpec {
  readonly method: HttpMethod;
  readonly path: string;
  readonly doc: string;
}

export const ENDPOINTS = {
  plantList: { method: 'GET', path: '/v1/plant/list', doc: '2.5' },
  plantDetails: { method: 'GET', path: '/v1/plant/details', doc: '2.6' },
  plantData: { method: 'GET', path: '/v1/plant/data', doc: '2.7' },
  plantEnergy: { method: 'GET', path: '/v1/plant/energy', doc: '2.8' },
  plantPower: { method: 'GET', path: '/v1/plant/power', doc: '2.9' },
  deviceList: { method: 'GET', path: '/v1/device/list', doc: '3.3' },
  mixDataInfo: { method: 'GET', path: '/v1/device/mix/mix_data_info', doc: 'SPH basic info' },
  mixLastData: { method: 'POST', path: '/v1/device/mix/mix_last_data', doc: 'SPH latest data' },
  mixsData: { method: 'POST', path: '/v1/device/mix/mixs_data', doc: 'SPH latest data in batches' },
  mixData: { method: 'POST', path: '/v1/device/mix/mix_data', doc: 'SPH history data' },
  alarmData: { method: 'POST', path: '/v1/device/mix/alarm_data', doc: 'SPH alarms' },
  readMixParam: { method: 'POST', path: '/v1/readMixParam', doc: 'SPH read parameter' },
  mixSet: { method: 'POST', path: '/v1/mixSet', doc: 'SPH parameter setting' },
  tlxDataInfo: { method: 'GET', path: '/v1/device/tlx/tlx_data_info', doc: 'MIN basic info' },
  tlxSetInfo: { method: 'GET', path: '/v1/device/tlx/tlx_set_info', doc: 'MIN settings' },
  tlxLastData: { method: 'POST', path: '/v1/device/tlx/tlx_last_data', doc: 'MIN latest data' },
  tlxsData: { method: 'POST', path: '/v1/device/tlx/tlxs_data', doc: 'MIN latest data in batches' },
  tlxData: { method: 'POST', path: '/v1/device/tlx/tlx_data', doc: 'MIN history data' },
  readMinParam: { method: 'POST', path: '/v1/readMinParam', doc: 'MIN read parameter' },
  tlxSet: { method: 'POST', path: '/v1/tlxSet', doc: 'MIN parameter setting' },
} as const satisfies Record<string, EndpointSpec>;

export type EndpointId = keyof typeof ENDPOINTS;

export const ENDPOINT_IDS = Object.keys(ENDPOINTS) as EndpointId[];

/** Finds the endpoint for a method and path (the path without query string). */
export function endpointFor(method: string, path: string): EndpointId | undefined {
  const upper = method.toUpperCase();
  return ENDPOINT_IDS.find((id) => ENDPOINTS[id].method === upper && ENDPOINTS[id].path === path);
}

/** Auth is a single request header carrying the API token; there is no login or session. */
export const TOKEN_HEADER = 'token';

/** Production hosts per region; a token only works on its own region's host (10011 elsewhere). */
export const HOSTS = {
  default: 'https://openapi.growatt.com',
  china: 'https://openapi-cn.growatt.com',
  northAmerica: 'https://openapi-us.growatt.com',
  australia: 'https://openapi-au.growatt.com',
  test: 'https://test.growatt.com',
} as const;
