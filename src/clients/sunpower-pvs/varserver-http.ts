/**
 * The varserver client's HTTP: `node:http`/`node:https` (global fetch cannot turn certificate checks off without
 * undici), keep-alive agents, a per-attempt timeout, bounded retries with exponential backoff on what is transient on
 * a PVS (503 while it reboots, 502/504 from a proxy, refused/reset connections, timeouts), and TLS as the supervisor
 * needs it:
 * - default: no verification (the device's certificate is self-signed; pypvs, ha-esunpower and homebridge-pvs6 all
 *   turn checks off);
 * - `ca`: verification against that CA (and the host name unless `checkHostname: false`);
 * - `pin`: the certificate's SHA-256 fingerprint must match a given one, or the first one seen (trust on first use).
 *   Node does not call `checkServerIdentity` for an untrusted chain, so the pin is checked on the socket once it is
 *   connected, and the request is only written after that.
 *
 * One `host[:port]` serves both schemes, as the clients use it: `http://host:port` for ha-esunpower's firmware probe,
 * `https://host:port` for `/auth` and `/vars` (a bare host: ports 80 and 443).
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import {
  PvsCertificateMismatchError,
  PvsConnectionError,
  PvsError,
  PvsHttpError,
  PvsTimeoutError,
  PvsUnavailableError,
  type PvsErrorDetails,
} from './errors.js';
import { backoffDelay, defaultSleep, excerpt, type RetryPolicy, type SleepFn } from './http.js';
import { describeFailure } from '../failure.js';

export interface PvsHttpRequest {
  readonly method: 'GET' | 'POST';
  /** Absolute URL, `http:` or `https:`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
}

export interface PvsHttpResponse {
  readonly status: number;
  /** Lower-case names; `set-cookie` as an array. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: string;
}

/**
 * Sends one request. The default is {@link NodeHttpTransport}; tests pass one that routes through
 * `fastify.inject()`. Rejects on transport failures (a `code` on the error, as Node's are); a timeout must reject
 * with {@link RequestTimeoutError}.
 */
export type PvsRequestFn = (request: PvsHttpRequest) => Promise<PvsHttpResponse>;

export interface PvsTlsOptions {
  /** PEM of a CA to verify the certificate against (turns verification on). */
  readonly ca?: string | Buffer;
  /** With `ca`: also check that the certificate names the host (default true). */
  readonly checkHostname?: boolean;
  /** `'first-seen'` (trust on first use) or a SHA-256 fingerprint `AA:BB:…` (colons and case optional). */
  readonly pin?: 'first-seen' | string;
}

/** A request that got no complete answer in time. */
export class RequestTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timeout after ${timeoutMs} ms`);
  }
}

/** The pinned certificate did not match (raised by the transport, turned into PvsCertificateMismatchError). */
export class CertificateMismatch extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`certificate fingerprint ${actual} is not the pinned ${expected}`);
  }
}

/** The two bases of one `host[:port]`, and the host name alone (the telemetry WebSocket's host). */
export interface PvsBases {
  readonly http: string;
  readonly https: string;
  readonly hostname: string;
}

/**
 * `127.0.0.1:7080`, `http://127.0.0.1:7080`, `https://pvs.lan` → the http and https bases on the same port (a bare
 * host keeps each scheme's default port, as on the device: 80 and 443).
 */
export function pvsBases(host: string): PvsBases {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `http://${host}`;
  const url = new URL(withScheme);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`host must be host[:port] or an http(s) URL, got ${host}`);
  // `host` has the port unless it is the scheme's default; an IPv6 hostname keeps its brackets (the WebSocket URL
  // needs them too).
  return { http: `http://${url.host}`, https: `https://${url.host}`, hostname: url.hostname };
}

/** `AA:BB:…` uppercase, the form of Node's `fingerprint256`. Throws TypeError for anything but 32 bytes of hex. */
export function normaliseFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/[:\s]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) throw new TypeError(`not a SHA-256 fingerprint: ${fingerprint}`);
  return hex.match(/../g)!.join(':');
}

/** Keep-alive `node:http`/`node:https` requests with the TLS policy above. */
export class NodeHttpTransport {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  private readonly httpsAgent: https.Agent;
  private readonly verifiedSockets = new WeakSet<Socket>();
  private readonly pin: string | 'first-seen' | undefined;
  private pinned: string | undefined;
  private lastFingerprint: string | undefined;

  constructor(tls: PvsTlsOptions = {}) {
    this.pin = tls.pin === undefined || tls.pin === 'first-seen' ? tls.pin : normaliseFingerprint(tls.pin);
    if (this.pin !== undefined && this.pin !== 'first-seen') this.pinned = this.pin;
    const verify = tls.ca !== undefined;
    this.httpsAgent = new https.Agent({
      keepAlive: true,
      maxSockets: 4,
      // A full handshake per connection, so every socket shows its certificate to the pin check (a resumed TLS
      // session after a reboot would show none).
      maxCachedSessions: 0,
      rejectUnauthorized: verify,
      ...(verify ? { ca: tls.ca } : {}),
      ...(tls.checkHostname === false ? { checkServerIdentity: () => undefined } : {}),
    });
  }

  /** SHA-256 fingerprint of the last accepted HTTPS certificate (`AA:BB:…`). */
  get certificateFingerprint(): string | undefined {
    return this.lastFingerprint;
  }

  readonly request: PvsRequestFn = (req) => {
    const url = new URL(req.url);
    const secure = url.protocol === 'https:';
    return new Promise<PvsHttpResponse>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const headers: Record<string, string | number> = { ...req.headers };
      if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
      const request = (secure ? https : http).request(url, { method: req.method, agent: secure ? this.httpsAgent : this.httpAgent, headers });
      const timer = setTimeout(() => {
        const error = new RequestTimeoutError(req.timeoutMs);
        settle(() => reject(error));
        request.destroy(error);
      }, req.timeoutMs);
      request.on('error', (error) => settle(() => reject(error)));
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => settle(() => reject(error)));
        response.on('close', () => {
          if (!response.complete) settle(() => reject(Object.assign(new Error('connection closed before the body was complete'), { code: 'ECONNRESET' })));
        });
        response.on('end', () => {
          const out: Record<string, string | readonly string[] | undefined> = {};
          for (const [key, value] of Object.entries(response.headers)) out[key] = value;
          settle(() => resolve({ status: response.statusCode ?? 0, headers: out, body: Buffer.concat(chunks).toString('utf8') }));
        });
      });
      const send = () => request.end(req.body);
      if (!secure) return send();
      request.on('socket', (socket) => {
        const tlsSocket = socket as TLSSocket;
        if (this.verifiedSockets.has(tlsSocket)) return send();
        const check = () => {
          const fingerprint = tlsSocket.getPeerCertificate()?.fingerprint256;
          if (!fingerprint) {
            const error = Object.assign(new Error('the server presented no certificate'), { code: 'ENOCERT' });
            settle(() => reject(error));
            request.destroy(error);
            return;
          }
          if (this.pin === 'first-seen' && this.pinned === undefined) this.pinned = fingerprint;
          if (this.pinned !== undefined && fingerprint !== this.pinned) {
            const error = new CertificateMismatch(this.pinned, fingerprint);
            settle(() => reject(error));
            request.destroy(error);
            return;
          }
          this.lastFingerprint = fingerprint;
          this.verifiedSockets.add(tlsSocket);
          send();
        };
        if (tlsSocket.getPeerCertificate?.()?.fingerprint256) check();
        else tlsSocket.once('secureConnect', check);
      });
    });
  };

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** Connection failures worth another try; DNS failures, TLS verification failures or bad URLs are not. */
const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const HANG_UP = /socket hang up|aborted|closed before/i;
const TRANSIENT_STATUSES = new Set([502, 503, 504]);


export interface ExchangeConfig extends RetryPolicy {
  readonly request: PvsRequestFn;
  readonly sleep: SleepFn;
}

export interface ExchangeResult {
  readonly response: PvsHttpResponse;
  readonly attempts: number;
}

/**
 * Sends `req`, retrying transient failures with backoff, and returns the response whatever its status otherwise.
 * Throws PvsUnavailableError (503), PvsHttpError (502/504), PvsTimeoutError, PvsConnectionError or
 * PvsCertificateMismatchError once the retries are spent (or at once when not retryable).
 */
export async function exchange(req: PvsHttpRequest, operation: string, config: ExchangeConfig): Promise<ExchangeResult> {
  const maxAttempts = Math.max(1, Math.floor(config.retries) + 1);
  for (let attempt = 1; ; attempt++) {
    const details: PvsErrorDetails = { command: operation, attempts: attempt, url: req.url };
    let error: PvsError;
    let retryable: boolean;
    try {
      const response = await withTimeout(config.request(req), req.timeoutMs);
      if (!TRANSIENT_STATUSES.has(response.status)) return { response, attempts: attempt };
      error = response.status === 503 ? new PvsUnavailableError(excerpt(response.body), details) : new PvsHttpError(response.status, excerpt(response.body), details);
      retryable = true;
    } catch (e) {
      if (e instanceof RequestTimeoutError) {
        error = new PvsTimeoutError(e.timeoutMs, { ...details, cause: e });
        retryable = true;
      } else if (e instanceof CertificateMismatch) {
        error = new PvsCertificateMismatchError(e.expected, e.actual, details);
        retryable = false;
      } else {
        const { code, message } = describeFailure(e);
        error = new PvsConnectionError(code, message, { ...details, cause: e });
        retryable = (code !== undefined && RETRYABLE_CODES.has(code)) || HANG_UP.test(message);
      }
    }
    if (!retryable || attempt >= maxAttempts) throw error;
    await config.sleep(backoffDelay(attempt, config));
  }
}

/** Races a custom transport against the timeout too (the node transport has its own). */
function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RequestTimeoutError(timeoutMs)), timeoutMs + 50);
  });
  promise.catch(() => {});
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export { defaultSleep };
