/**
 * One lala.cgi POST over `node:http`/`node:https` (global fetch cannot switch certificate checks off without undici),
 * with keep-alive agents, a per-attempt timeout, bounded retries with exponential backoff, the session cookie, and
 * TLS as SENEC devices need it:
 * - default: no verification (the device certificate chains to a private `SenecGui-Root` CA; every real client
 *   turns checks off);
 * - `ca`: verification against that CA (and the host name unless `checkHostname: false`);
 * - `pin`: the certificate's SHA-256 fingerprint must match, either a given one or the first one seen (TOFU).
 *   Node does not call `checkServerIdentity` when the chain is untrusted, so the pin is checked on the socket after
 *   `secureConnect`, and the request is only written once the socket has passed.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { parseLalaBody } from './body.js';
import { CookieJar } from './cookies.js';
import type { RawResponse } from './decode.js';
import {
  SenecCertificateMismatchError,
  SenecConnectionError,
  SenecError,
  SenecHttpError,
  SenecParseError,
  SenecTimeoutError,
  type SenecErrorDetails,
} from './errors.js';
import { describeFailure } from '../failure.js';

export type SleepFn = (ms: number) => Promise<void>;
export const defaultSleep: SleepFn = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SenecTlsOptions {
  /** PEM of the CA (`SenecGui-Root`, from the mein-senec.de document folder): turns verification on. */
  readonly ca?: string | Buffer;
  /** With `ca`: also check that the certificate names the host (default true). */
  readonly checkHostname?: boolean;
  /** `'first-seen'` (trust on first use) or a SHA-256 fingerprint `AA:BB:…` (colons and case optional). */
  readonly pin?: 'first-seen' | string;
}

export interface RetryPolicy {
  /** Retries after the first attempt of a piece (so at most `retries + 1` requests). */
  readonly retries: number;
  /** Delay before the first retry; doubles on each further retry. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
}

export interface TransportOptions extends RetryPolicy {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly sleep: SleepFn;
  readonly contentType: string;
  readonly accept: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly tls: SenecTlsOptions;
  readonly maxResponseBytes: number;
}

export interface PostResult {
  readonly body: RawResponse;
  readonly status: number;
  readonly attempts: number;
}

/** Connection failures worth another try; DNS failures, TLS verification failures or bad URLs are not. */
const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const HANG_UP = /socket hang up|aborted/i;

/** Delay before retry number `retry` (1-based): backoffMs · 2^(retry−1), capped. */
export function backoffDelay(retry: number, policy: RetryPolicy): number {
  return Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (retry - 1));
}

/** `AA:BB:…` uppercase, the form of Node's `fingerprint256`. Throws TypeError for anything but 32 bytes of hex. */
export function normaliseFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/[:\s]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) throw new TypeError(`not a SHA-256 fingerprint: ${fingerprint}`);
  return hex.match(/../g)!.join(':');
}

/** `http://host:port/prefix` + `/lala.cgi`. A bare `host[:port]` gets `https://` (firmware ≥ 0825 is HTTPS only). */
export function lalaUrl(baseUrl: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(baseUrl) ? baseUrl : `https://${baseUrl}`;
  const url = new URL(withScheme);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`baseUrl must be http or https, got ${url.protocol}`);
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/lala.cgi`;
  url.search = '';
  url.hash = '';
  return url;
}


type Outcome = { kind: 'ok'; result: PostResult } | { kind: 'fail'; error: SenecError; retryable: boolean };

export class LalaTransport {
  readonly url: URL;
  readonly cookies: CookieJar;
  private readonly options: TransportOptions;
  private readonly agent: http.Agent;
  private readonly isHttps: boolean;
  /** Sockets whose certificate passed the pin check (keep-alive reuses them without a new handshake). */
  private readonly verifiedSockets = new WeakSet<Socket>();
  private readonly pin: string | 'first-seen' | undefined;
  private pinnedFingerprint: string | undefined;
  private lastFingerprint: string | undefined;

  constructor(options: TransportOptions, cookies: CookieJar = new CookieJar()) {
    this.options = options;
    this.url = lalaUrl(options.baseUrl);
    this.isHttps = this.url.protocol === 'https:';
    this.cookies = cookies;
    const pin = options.tls.pin;
    this.pin = pin === undefined || pin === 'first-seen' ? pin : normaliseFingerprint(pin);
    if (this.pin !== undefined && this.pin !== 'first-seen') this.pinnedFingerprint = this.pin;
    if (this.isHttps) {
      const verify = options.tls.ca !== undefined;
      this.agent = new https.Agent({
        keepAlive: true,
        // Every connection does a full handshake, so every socket shows its certificate for pinning
        // (a resumed TLS session after a device reboot would otherwise show none).
        maxCachedSessions: 0,
        rejectUnauthorized: verify,
        ...(verify ? { ca: options.tls.ca } : {}),
        ...(options.tls.checkHostname === false ? { checkServerIdentity: () => undefined } : {}),
      });
    } else {
      this.agent = new http.Agent({ keepAlive: true });
    }
  }

  /** SHA-256 fingerprint of the certificate of the last accepted TLS connection (`AA:BB:…`). */
  get certificateFingerprint(): string | undefined {
    return this.lastFingerprint;
  }

  /** POSTs one piece (compact JSON text) and returns its parsed body; throws a SenecError subclass. */
  async post(payload: string): Promise<PostResult> {
    const maxAttempts = Math.max(1, Math.floor(this.options.retries) + 1);
    for (let attemptNo = 1; ; attemptNo++) {
      const outcome = await this.attempt(payload, attemptNo);
      if (outcome.kind === 'ok') return outcome.result;
      if (!outcome.retryable || attemptNo >= maxAttempts) throw outcome.error;
      await this.options.sleep(backoffDelay(attemptNo, this.options));
    }
  }

  close(): void {
    this.agent.destroy();
  }

  private headers(payload: string): http.OutgoingHttpHeaders {
    const cookie = this.cookies.header();
    return {
      Accept: this.options.accept,
      'Content-Type': this.options.contentType,
      ...this.options.headers,
      'Content-Length': Buffer.byteLength(payload, 'utf8'),
      ...(cookie === undefined ? {} : { Cookie: cookie }),
    };
  }

  /** The mismatch error for a certificate, or undefined when it passes (remembering it on first use). */
  private checkCertificate(fingerprint: string, details: SenecErrorDetails): SenecError | undefined {
    if (this.pin === 'first-seen' && this.pinnedFingerprint === undefined) this.pinnedFingerprint = fingerprint;
    if (this.pinnedFingerprint !== undefined && fingerprint !== this.pinnedFingerprint) {
      return new SenecCertificateMismatchError(this.pinnedFingerprint, fingerprint, details);
    }
    this.lastFingerprint = fingerprint;
    return undefined;
  }

  /** Calls `proceed` once the socket's certificate has passed, or `reject` with the reason it did not. */
  private guardTls(socket: TLSSocket, details: SenecErrorDetails, proceed: () => void, reject: (e: SenecError) => void) {
    if (this.verifiedSockets.has(socket)) return proceed();
    const check = () => {
      const fingerprint = socket.getPeerCertificate()?.fingerprint256;
      if (!fingerprint) {
        reject(new SenecConnectionError('ENOCERT', 'the server presented no certificate', details));
        return;
      }
      const error = this.checkCertificate(fingerprint, details);
      if (error !== undefined) {
        socket.destroy();
        reject(error);
        return;
      }
      this.verifiedSockets.add(socket);
      proceed();
    };
    // A fresh socket is still handshaking when the request gets it.
    if (socket.getPeerCertificate()?.fingerprint256) check();
    else socket.once('secureConnect', check);
  }

  private attempt(payload: string, attemptNo: number): Promise<Outcome> {
    const details: SenecErrorDetails = { url: this.url.href, attempts: attemptNo };
    const timeoutMs = this.options.timeoutMs;
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const finish = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const fail = (error: SenecError, retryable: boolean) => finish({ kind: 'fail', error, retryable });

      const request = (this.isHttps ? https : http).request(this.url, {
        method: 'POST',
        agent: this.agent,
        headers: this.headers(payload),
      });
      const timer = setTimeout(() => {
        const error = new SenecTimeoutError(timeoutMs, details);
        fail(error, true);
        request.destroy(error);
      }, timeoutMs);

      request.on('error', (error: unknown) => {
        if (error instanceof SenecError) return fail(error, false);
        const { code, message } = describeFailure(error);
        const retryable = (code !== undefined && RETRYABLE_CODES.has(code)) || HANG_UP.test(message);
        fail(new SenecConnectionError(code, message, { ...details, cause: error }), retryable);
      });

      if (this.isHttps) {
        request.on('socket', (socket) => {
          this.guardTls(
            socket as TLSSocket,
            details,
            () => request.end(payload),
            (error) => {
              fail(error, false);
              request.destroy(error);
            },
          );
        });
      } else {
        request.end(payload);
      }

      request.on('response', (response) => {
        this.cookies.store(response.headers['set-cookie']);
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.options.maxResponseBytes) {
            const partial = Buffer.concat(chunks).toString('utf8');
            fail(new SenecParseError('too-large', status, partial, details), false);
            request.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', (error) => {
          const { code, message } = describeFailure(error);
          fail(new SenecConnectionError(code, message, { ...details, cause: error }), true);
        });
        response.on('close', () => {
          if (!response.complete) {
            fail(new SenecConnectionError('ECONNRESET', 'connection closed before the body was complete', details), true);
          }
        });
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (status < 200 || status > 299) return fail(new SenecHttpError(status, text, details), status >= 500);
          try {
            finish({ kind: 'ok', result: { body: parseLalaBody(text, status, details), status, attempts: attemptNo } });
          } catch (error) {
            // parseLalaBody only throws SenecParseError; never let anything escape an event handler.
            fail(error instanceof SenecError ? error : new SenecParseError('invalid-json', status, text, details), false);
          }
        });
      });
    });
  }
}
