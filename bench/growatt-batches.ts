// The Growatt batch endpoints the benchmarks read: SPH's mixs_data and MIN's tlxs_data take the same form (a list of
// serials and a page number) and answer the same shape, so both benchmarks handle them through this one table.
import { ENDPOINTS, TOKEN_HEADER, encodeSnList } from '../contracts/growatt/index.js';

export type BatchEndpoint = 'mixsData' | 'tlxsData';
export type DeviceFamily = 'sph' | 'min';

export interface BatchSpec {
  /** Name on the wire and in reports. */
  name: string;
  path: string;
  /** Form field holding the serial list. */
  listParam: 'mixs' | 'tlxs';
  family: DeviceFamily;
  /** `type` in device/list. */
  deviceType: number;
  model: string;
}

export const BATCHES: Readonly<Record<BatchEndpoint, BatchSpec>> = {
  mixsData: { name: 'mixs_data', path: ENDPOINTS.mixsData.path, listParam: 'mixs', family: 'sph', deviceType: 5, model: 'SPH' },
  tlxsData: { name: 'tlxs_data', path: ENDPOINTS.tlxsData.path, listParam: 'tlxs', family: 'min', deviceType: 7, model: 'MIN' },
};

/** The form parameters of one batch read, page 1. */
export const batchParams = (endpoint: BatchEndpoint, sns: readonly string[]): Record<string, string> => ({
  [BATCHES[endpoint].listParam]: encodeSnList(sns),
  pageNum: '1',
});

/** POSTs one batch read as the typed client would (token header, form body) and returns the parsed reply. */
export async function readBatch(
  url: string,
  token: string,
  endpoint: BatchEndpoint,
  sns: readonly string[],
): Promise<{ error_code: number; data: Record<string, Record<string, { time?: string }>> }> {
  const response = await fetch(`${url}${BATCHES[endpoint].path}`, {
    method: 'POST',
    headers: { [TOKEN_HEADER]: token, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(batchParams(endpoint, sns)).toString(),
  });
  return (await response.json()) as { error_code: number; data: Record<string, Record<string, { time?: string }>> };
}
