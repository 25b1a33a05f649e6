/**
 * Turning one HTTP reply into a success body or an error, in the order a strict v1 client must check:
 * status 200 → JSON → object → integer `error_code` → (optionally) contract schema → `error_code` 0.
 */
import { validateResponse, type EndpointId } from '../../../contracts/growatt/index.js';
import { apiError } from './classify.js';
import { GrowattHttpError, GrowattProtocolError } from './errors.js';
import type { GrowattResponse } from './transport.js';

export type ReplyBody = Record<string, unknown> & { error_code: number };

export function parseReply(
  endpoint: EndpointId,
  url: string,
  response: GrowattResponse,
  validate: boolean,
): ReplyBody {
  if (response.status !== 200) throw new GrowattHttpError(response.status, response.body, url);
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    throw new GrowattProtocolError(endpoint, 'not-json', response.body);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GrowattProtocolError(endpoint, 'not-an-object', response.body);
  }
  const record = body as Record<string, unknown>;
  if (!('error_code' in record)) throw new GrowattProtocolError(endpoint, 'error-code-missing', response.body);
  const code = record['error_code'];
  // A string "0" is an error to growattServer and a success to lenient clients; neither is a valid reply.
  if (typeof code !== 'number' || !Number.isInteger(code)) {
    throw new GrowattProtocolError(endpoint, 'error-code-not-integer', response.body);
  }
  if (validate) {
    const result = validateResponse(endpoint, body);
    if (!result.ok) throw new GrowattProtocolError(endpoint, 'schema', response.body, result.errors);
  }
  if (code !== 0) {
    const message = record['error_msg'];
    throw apiError({ endpoint, code, errorMsg: typeof message === 'string' ? message : '' });
  }
  return record as ReplyBody;
}
