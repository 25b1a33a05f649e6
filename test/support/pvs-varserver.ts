// Helpers for the PVS varserver tests over real sockets: HTTPS requests that accept the device's self-signed
// certificate (as every varserver client does), a login, and a WebSocket reader.
import { request as httpsRequest } from 'node:https';
import WebSocket from 'ws';

export interface HttpsReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request with `rejectUnauthorized: false` (Node's https, as homebridge-pvs6 does it). */
export function https(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; ca?: string } = {}): Promise<HttpsReply> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const request = httpsRequest(
      {
        hostname: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        method: options.method ?? 'GET',
        headers: { ...options.headers, ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}) },
        agent: false,
        ...(options.ca !== undefined ? { ca: options.ca, rejectUnauthorized: true, servername: 'localhost' } : { rejectUnauthorized: false }),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** `GET /auth?login` over HTTPS; resolves with the `session=…` cookie. */
export async function varserverLogin(httpsBase: string, serial: string, scheme = 'basic', user = 'ssm_owner'): Promise<string> {
  const reply = await https(`${httpsBase}/auth?login`, { headers: { authorization: `${scheme} ${Buffer.from(`${user}:${serial.slice(-5)}`).toString('base64')}` } });
  if (reply.status !== 200) throw new Error(`login: ${reply.status} ${reply.body}`);
  const setCookie = reply.headers['set-cookie'];
  return (Array.isArray(setCookie) ? setCookie[0]! : String(setCookie)).split(';')[0]!;
}

/** A WebSocket client that queues what arrives, so a test can wait for the next frame or for silence. */
export class FrameReader {
  readonly frames: string[] = [];
  closed: { code: number } | null = null;
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(String(data));
      this.wake();
    });
    ws.on('close', (code) => {
      this.closed = { code };
      this.wake();
    });
    ws.on('error', () => {});
  }

  static async open(url: string): Promise<FrameReader> {
    const ws = new WebSocket(url);
    const reader = new FrameReader(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_request, response) => reject(new Error(`unexpected response ${response.statusCode}`)));
    });
    return reader;
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Resolves with the next unread frame (waiting up to `timeoutMs` wall time); rejects on close or timeout. */
  async next(timeoutMs = 3_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = this.frames.shift();
      if (frame !== undefined) return frame;
      if (this.closed) throw new Error(`closed (${this.closed.code}) before a frame`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no frame in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** True when nothing arrives for `ms` (wall time). */
  async silentFor(ms: number): Promise<boolean> {
    const before = this.frames.length;
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.frames.length === before;
  }

  /** Resolves with the close code (waiting up to `timeoutMs`). */
  async closedWith(timeoutMs = 3_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    if (!this.closed) throw new Error('still open');
    return this.closed.code;
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Tries a WebSocket handshake; resolves with how it ended: `open`, an HTTP status, or `dropped`. */
export function tryWebSocket(url: string): Promise<'open' | number | 'dropped'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.once('open', () => {
      ws.terminate();
      resolve('open');
    });
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', () => resolve('dropped'));
  });
}
