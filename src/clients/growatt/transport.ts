/**
 * The HTTP exchange as one function, so tests and the emulator's suites can swap the network for an in-process
 * handler (e.g. Fastify `inject`). The default sends with the global `fetch`.
 */
import { GrowattConnectionError, GrowattTimeoutError } from './errors.js';

export interface GrowattRequest {
  readonly method: 'GET' | 'POST';
  /** Absolute URL including the query string. */
  readonly url: string;
  /** Lower-case names: `token`, `user-agent`, and `content-type` when there is a body. */
  readonly headers: Readonly<Record<string, string>>;
  /** `application/x-www-form-urlencoded` text (POST endpoints only). */
  readonly body?: string;
}

export interface GrowattResponse {
  readonly status: number;
  readonly body: string;
}

/** Performs one request. Rejections other than GrowattError subclasses are passed to the caller unchanged. */
export type GrowattTransport = (request: GrowattRequest) => Promise<GrowattResponse>;

export const DEFAULT_TIMEOUT_MS = 30_000;

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** Global fetch with a timeout that covers the whole exchange, body included. */
export function fetchTransport(timeoutMs: number = DEFAULT_TIMEOUT_MS): GrowattTransport {
  return async (request) => {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const init: RequestInit = { method: request.method, headers: { ...request.headers }, signal, redirect: 'manual' };
      if (request.body !== undefined) init.body = request.body;
      const response = await fetch(request.url, init);
      return { status: response.status, body: await response.text() };
    } catch (error) {
      if (isTimeout(error)) throw new GrowattTimeoutError(timeoutMs, request.url, error);
      throw new GrowattConnectionError(request.url, error);
    }
  };
}
