/**
 * Test helpers: a small fake lala.cgi device on 127.0.0.1 (HTTP or HTTPS), a table-driven responder, and TLS
 * material made with the openssl CLI (a `SenecGui-Root` CA plus leaf certificates for 127.0.0.1).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SenecError } from './errors.js';

/** Awaits a call that must fail and returns its SenecError (any other outcome fails the test). */
export async function failure(promise: Promise<unknown>): Promise<SenecError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof SenecError)) throw new Error(`expected a SenecError, got ${String(error)}`);
  return error;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** Remote port of the TCP connection (equal ports: the same keep-alive connection). */
  readonly remotePort: number | undefined;
}

export type FakeHandler = (request: RecordedRequest, response: http.ServerResponse) => void | Promise<void>;

export interface FakeDevice {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  readonly server: http.Server;
  /** Parsed JSON bodies of the requests so far. */
  bodies(): unknown[];
  close(): Promise<void>;
}

export interface TlsPair {
  readonly key: string;
  readonly cert: string;
}

/** Starts a fake device on 127.0.0.1 (HTTPS when `tls` is given) that records every request. */
export async function startFakeDevice(handler: FakeHandler, tls?: TlsPair): Promise<FakeDevice> {
  const requests: RecordedRequest[] = [];
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        remotePort: req.socket.remotePort,
      };
      requests.push(recorded);
      void Promise.resolve(handler(recorded, res)).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    server,
    bodies: () => requests.map((r) => JSON.parse(r.body) as unknown),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers like the device's nginx: 200, JSON content type, `server: nginx/1.17.7`. */
export function sendJson(res: http.ServerResponse, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  sendText(res, typeof body === 'string' ? body : JSON.stringify(body), headers);
}

export function sendText(res: http.ServerResponse, text: string, headers: http.OutgoingHttpHeaders = {}, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', server: 'nginx/1.17.7', ...headers });
  res.end(text);
}

export const NGINX_504 =
  '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx/1.17.7</center>\r\n</body>\r\n</html>\r\n';

export type DeviceState = Record<string, Record<string, string | string[]>>;

/**
 * A table-driven lala.cgi: reads echo stored values in request order, `{}` returns the whole object, unknown keys
 * answer VARIABLE_NOT_FOUND, unknown objects OBJECT_NOT_FOUND, writes store their non-`""` positions and echo the
 * stored value. `reject` maps `OBJ.KEY` to a marker answered for writes to that key.
 */
export function lalaResponder(state: DeviceState, reject: Record<string, string> = {}): FakeHandler {
  return (request, res) => {
    const body = JSON.parse(request.body) as Record<string, Record<string, unknown>>;
    const reply: Record<string, Record<string, unknown>> = {};
    for (const [name, keys] of Object.entries(body)) {
      const stored = state[name];
      if (stored === undefined) {
        reply[name] = { OBJECT_NOT_FOUND: '' };
        continue;
      }
      if (Object.keys(keys).length === 0) {
        reply[name] = { ...stored };
        continue;
      }
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(keys)) {
        const marker = reject[`${name}.${key}`];
        if (value !== '' && marker !== undefined) {
          out[key] = marker;
          continue;
        }
        const current = stored[key];
        if (current === undefined) {
          out[key] = 'VARIABLE_NOT_FOUND';
          continue;
        }
        if (Array.isArray(value) && Array.isArray(current)) {
          value.forEach((item, i) => {
            if (item !== '') current[i] = String(item);
          });
        } else if (typeof value === 'string' && value !== '') {
          stored[key] = value;
        }
        out[key] = stored[key];
      }
      reply[name] = out;
    }
    sendJson(res, reply);
  };
}

export interface TlsMaterial {
  /** The `SenecGui-Root` CA certificate (PEM). */
  readonly caCert: string;
  /** Two different leaf certificates for 127.0.0.1, both signed by the CA. */
  readonly leafA: TlsPair;
  readonly leafB: TlsPair;
  /** Signed by the CA, but for the host name `senec.invalid` only (not 127.0.0.1). */
  readonly leafOtherName: TlsPair;
  /** A CA that signed neither leaf. */
  readonly otherCaCert: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function makeCa(dir: string, name: string, cn: string): void {
  openssl(dir, [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${cn}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

function makeLeaf(dir: string, name: string, ca: string, altName = 'IP:127.0.0.1'): TlsPair {
  openssl(dir, [
    'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=127.0.0.1',
  ]);
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${altName}\nbasicConstraints=CA:FALSE\n`);
  openssl(dir, [
    'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`,
  ]);
  return { key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert: readFileSync(join(dir, `${name}.crt`), 'utf8') };
}

/** Generates the TLS material in a temporary directory (removed before returning). */
export function makeTlsMaterial(): TlsMaterial {
  const dir = mkdtempSync(join(tmpdir(), 'senec-client-tls-'));
  try {
    makeCa(dir, 'root', 'SenecGui-Root');
    makeCa(dir, 'other', 'Other-Root');
    return {
      caCert: readFileSync(join(dir, 'root.crt'), 'utf8'),
      leafA: makeLeaf(dir, 'a', 'root'),
      leafB: makeLeaf(dir, 'b', 'root'),
      leafOtherName: makeLeaf(dir, 'c', 'root', 'DNS:senec.invalid'),
      otherCaCert: readFileSync(join(dir, 'other.crt'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
