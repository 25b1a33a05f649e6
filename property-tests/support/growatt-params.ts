import { ENDPOINT_IDS, ENDPOINT_SCHEMAS, type EndpointId } from '../../contracts/growatt/index.js';

/** The parameters each endpoint reads, from the contract's request schemas (mixSet: type and param1..param18). */
export const REQUEST_PARAM_KEYS: { readonly [K in EndpointId]: readonly string[] } = Object.fromEntries(
  ENDPOINT_IDS.map((id) => [id, Object.keys((ENDPOINT_SCHEMAS[id].request as { properties: Record<string, unknown> }).properties)]),
) as unknown as { [K in EndpointId]: readonly string[] };
