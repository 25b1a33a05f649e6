/**
 * HTTPS under the cloud's host names, over real sockets: a client that hard-codes
 * https://openapi.growatt.com/ reaches the emulator through a name lookup of its own (standing in for
 * a hosts entry; the machine's /etc/hosts is never touched) and verifies the certificate against the
 * CA that --growatt-ca-out wrote, as it would after trusting it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateTlsMaterial } from '../core/tls/certificates.js';
import { startVoltbench, type Voltbench } from '../registry.js';
import { httpsCall } from './test-support.js';

const BIN = new URL('../../bin/voltbench.js', import.meta.url).pathname;

const TOKEN = 'demotoken1234';
const dir = mkdtempSync(join(tmpdir(), 'vb-growatt-https-'));
const started: Voltbench[] = [];
afterAll(async () => {
  for (const vb of started) await vb.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(growatt: Record<string, unknown>): Promise<{ vb: Voltbench; port: number }> {
  const vb = await startVoltbench({
    devices: ['growatt'],
    host: '127.0.0.1',
    seed: 3,
    speed: 0,
    start: Date.parse('2026-06-21T11:00:00Z'),
    freePorts: true,
    options: { growatt: { token: TOKEN, rateLimit: false, ...growatt } },
  });
  started.push(vb);
  return { vb, port: Number(new URL(vb.emulators.growatt!.url!).port) };
}

/** GET https://<host>:<port><path> with the given CA as the only trust anchor; the TLS name is the host's. */
const get = (host: string, port: number, path: string, ca: string) => httpsCall({ host, port, path, ca, token: TOKEN });

describe('growatt over HTTPS under the cloud host names', async () => {
  const caPath = join(dir, 'growatt-ca.pem');
  const { vb, port } = await start({ caOut: caPath });
  const ca = readFileSync(caPath, 'utf8');

  it('writes the CA at start and announces httpsUrl on the same port as url', () => {
    const caCert = new X509Certificate(ca);
    expect(caCert.ca).toBe(true);
    expect(vb.emulators.growatt!.ready).toMatchObject({ url: `http://127.0.0.1:${port}`, httpsUrl: `https://127.0.0.1:${port}`, token: TOKEN });
  });

  it('serves a real OpenAPI call to a client that resolves openapi.growatt.com itself and trusts only that CA', async () => {
    const reply = await get('openapi.growatt.com', port, '/v1/plant/list', ca);
    expect(reply.status).toBe(200);
    const body = JSON.parse(reply.body) as { error_code: number; data: { count: number; plants: { plant_id: unknown }[] } };
    expect(body.error_code).toBe(0);
    expect(body.data.count).toBe(1);
    expect(body.data.plants).toHaveLength(1);
    expect(reply.peer.checkIssued(new X509Certificate(ca))).toBe(true);
  });

  it.each(['openapi.growatt.com', 'openapi-cn.growatt.com', 'openapi-us.growatt.com', 'openapi-au.growatt.com', 'test.growatt.com', 'localhost', '127.0.0.1'])(
    'the certificate verifies for %s',
    async (host) => {
      const reply = await get(host, port, '/v1/plant/list', ca);
      expect(reply.status).toBe(200);
      expect(reply.peer.checkHost(host) ?? reply.peer.checkIP(host)).toBe(host);
    },
  );

  it('fails verification for a host the certificate does not name', async () => {
    await expect(get('server.growatt.com', port, '/v1/plant/list', ca)).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('fails verification against another CA', async () => {
    const other = generateTlsMaterial({ commonName: 'openapi.growatt.com', altNames: ['openapi.growatt.com'] }).ca;
    await expect(get('openapi.growatt.com', port, '/v1/plant/list', other)).rejects.toMatchObject({ code: expect.stringMatching(/CERT|SIGNATURE/) });
  });

  it('serves the same CA at GET /__emu/tls/ca.pem, listed among the control routes', async () => {
    const base = `http://127.0.0.1:${port}`;
    const response = await fetch(`${base}/__emu/tls/ca.pem`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-pem-file');
    expect(await response.text()).toBe(ca);
    const list = (await (await fetch(`${base}/__emu/`)).json()) as { routes: { method: string; path: string }[] };
    expect(list.routes).toContainEqual(expect.objectContaining({ method: 'GET', path: '/__emu/tls/ca.pem' }));
  });

  it('still answers plain HTTP on the same port', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/v1/plant/list`, { headers: { token: TOKEN } });
    expect(((await response.json()) as { error_code: number }).error_code).toBe(0);
  });

  it('NODE_EXTRA_CA_CERTS with the written CA is all an unmodified node client needs', async () => {
    // Default trust store plus NODE_EXTRA_CA_CERTS: no `ca` option in the client.
    const script = `
      const https = require('node:https');
      const lookup = (_h, o, cb) => (o.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4));
      https.get({ host: 'openapi.growatt.com', port: ${port}, path: '/v1/plant/list', headers: { token: '${TOKEN}' }, lookup }, (r) => {
        let b = ''; r.on('data', (c) => (b += c)); r.on('end', () => process.stdout.write(String(JSON.parse(b).error_code)));
      }).on('error', (e) => { process.stdout.write(e.code); process.exitCode = 1; });`;
    // Asynchronous: the emulator answering it runs in this process.
    const run = (env: NodeJS.ProcessEnv) =>
      new Promise<{ status: number; stdout: string }>((resolve) => {
        execFile(process.execPath, ['-e', script], { encoding: 'utf8', env, timeout: 20_000 }, (error, stdout) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout }));
      });
    const { NODE_EXTRA_CA_CERTS: _unset, ...plain } = process.env;
    const trusted = await run({ ...plain, NODE_EXTRA_CA_CERTS: caPath });
    expect(trusted.stdout).toBe('0');
    expect(trusted.status).toBe(0);
    const untrusted = await run(plain);
    expect(untrusted.status).toBe(1);
    expect(untrusted.stdout).toMatch(/CERT|SIGNATURE/);
  });
});

describe('growatt with your own certificate', async () => {
  const mine = generateTlsMaterial({ commonName: 'openapi.growatt.com', caCommonName: 'My Lab CA', altNames: ['openapi.growatt.com'] });
  const certPath = join(dir, 'mine-cert.pem');
  const keyPath = join(dir, 'mine-key.pem');
  writeFileSync(certPath, mine.cert);
  writeFileSync(keyPath, mine.key);
  const caPath = join(dir, 'mine-ca.pem');
  const { port } = await start({ cert: certPath, key: keyPath, caOut: caPath });

  it('serves it, and --growatt-ca-out writes its CA', async () => {
    expect(readFileSync(caPath, 'utf8')).toBe(mine.ca);
    const reply = await get('openapi.growatt.com', port, '/v1/plant/list', mine.ca);
    expect(reply.status).toBe(200);
    expect(reply.peer.fingerprint256).toBe(mine.fingerprint256);
    expect(await (await fetch(`http://127.0.0.1:${port}/__emu/tls/ca.pem`)).text()).toBe(mine.ca);
  });
});

describe('growatt TLS options that cannot work', () => {
  it.each([
    [{ cert: '/nonexistent/cert.pem' }, /needs --growatt-key/],
    [{ key: '/nonexistent/key.pem' }, /needs --growatt-cert/],
    [{ cert: '/nonexistent/cert.pem', key: '/nonexistent/key.pem' }, /\/nonexistent\//],
    [{ caOut: '/nonexistent/dir/ca.pem' }, /cannot write \/nonexistent\/dir\/ca\.pem: no directory/],
    [{ caOut: tmpdir() }, /names a directory/],
  ])('refuses %j', async (growatt, message) => {
    await expect(start(growatt)).rejects.toMatchObject({ name: 'DeviceOptionError', device: 'growatt', message: expect.stringMatching(message) });
  });

  it('refuses a key that does not match the certificate', async () => {
    const a = generateTlsMaterial({ commonName: 'openapi.growatt.com' });
    const b = generateTlsMaterial({ commonName: 'openapi.growatt.com' });
    writeFileSync(join(dir, 'a-cert.pem'), a.cert);
    writeFileSync(join(dir, 'b-key.pem'), b.key);
    await expect(start({ cert: join(dir, 'a-cert.pem'), key: join(dir, 'b-key.pem') })).rejects.toMatchObject({ option: 'cert', message: expect.stringMatching(/does not match/) });
  });
});

describe('voltbench up --growatt-ca-out', () => {
  let child: ChildProcess | undefined;
  afterAll(() => void child?.kill('SIGKILL'));

  it('writes the CA before the ready line, which carries httpsUrl; a client trusting it gets plant/list', async () => {
    const caPath = join(dir, 'cli-ca.pem');
    child = spawn(process.execPath, [BIN, 'up', '--only', 'growatt', '--growatt-port', '0', '--growatt-token', TOKEN, '--growatt-ca-out', caPath, '--no-dashboard', '--json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.setEncoding('utf8');
    const line = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
      });
      child!.once('exit', (code) => reject(new Error(`voltbench up exited with ${code}`)));
    });
    const ca = readFileSync(caPath, 'utf8'); // already there: the ready line comes after it
    const ready = JSON.parse(line) as { emulators: { growatt: { url: string; httpsUrl: string } } };
    const httpsUrl = new URL(ready.emulators.growatt.httpsUrl);
    expect(httpsUrl.protocol).toBe('https:');
    expect(httpsUrl.port).toBe(new URL(ready.emulators.growatt.url).port);
    const reply = await get('openapi.growatt.com', Number(httpsUrl.port), '/v1/plant/list', ca);
    expect((JSON.parse(reply.body) as { error_code: number }).error_code).toBe(0);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});
