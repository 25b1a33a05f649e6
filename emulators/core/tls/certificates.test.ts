import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { generateTlsMaterial, loadTlsMaterial, type TlsMaterial } from './certificates.js';
import { oid } from './der.js';

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/g;

function certificates(pem: string): X509Certificate[] {
  return (pem.match(PEM_CERT) ?? []).map((block) => new X509Certificate(block));
}

const ec = generateTlsMaterial({ commonName: 'senec.emulator' });
const [ecLeaf, ecChainCa] = certificates(ec.cert);
const ecCa = new X509Certificate(ec.ca);

let rsaMaterial: TlsMaterial | undefined;
/** RSA key generation costs ~100 ms per key, so the tests share one set. */
function rsa(): TlsMaterial {
  rsaMaterial ??= generateTlsMaterial({ commonName: 'senec.emulator', keyType: 'rsa' });
  return rsaMaterial;
}

describe('generateTlsMaterial', () => {
  it('issues a leaf for the common name under the SenecGui-Root CA, chained as nginx sends it', () => {
    expect(certificates(ec.cert)).toHaveLength(2);
    expect(ecLeaf!.subject).toBe('CN=senec.emulator');
    expect(ecCa.subject).toBe('CN=SenecGui-Root');
    expect(ecCa.issuer).toBe(ecCa.subject);
    expect(ecLeaf!.issuer).toBe(ecCa.subject);
    expect(ecChainCa!.fingerprint256).toBe(ecCa.fingerprint256);
    expect(ecCa.ca).toBe(true);
    expect(ecLeaf!.ca).toBe(false);
    expect(ecLeaf!.checkIssued(ecCa)).toBe(true);
    expect(ecLeaf!.verify(ecCa.publicKey)).toBe(true);
    expect(ecCa.verify(ecCa.publicKey)).toBe(true);
    expect(ecLeaf!.verify(ecLeaf!.publicKey)).toBe(false);
    expect(ecLeaf!.checkPrivateKey(createPrivateKey(ec.key))).toBe(true);
    expect(ecCa.checkPrivateKey(createPrivateKey(ec.key))).toBe(false);
    expect(ec.fingerprint256).toBe(ecLeaf!.fingerprint256);
    expect(ec.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('covers localhost, 127.0.0.1 and ::1 by default and is meant for servers', () => {
    expect(ecLeaf!.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(ecLeaf!.checkHost('localhost')).toBe('localhost');
    expect(ecLeaf!.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(ecLeaf!.checkIP('::1')).toBe('::1');
    expect(ecLeaf!.checkIP('127.0.0.2')).toBeUndefined();
    expect(ecLeaf!.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(ecLeaf!.publicKey.asymmetricKeyType).toBe('ec');
  });

  it('encodes custom DNS names, IPv4, compressed IPv6 and IPv4-mapped IPv6 addresses', () => {
    const material = generateTlsMaterial({
      commonName: 'senec',
      altNames: ['senec.fritz.box', '*.example.test', '192.168.178.50', 'fe80::1:2', '::ffff:10.1.2.3'],
    });
    const leaf = new X509Certificate(material.cert);
    expect(leaf.subjectAltName).toBe(
      'DNS:senec.fritz.box, DNS:*.example.test, IP Address:192.168.178.50, IP Address:FE80:0:0:0:0:0:1:2, IP Address:0:0:0:0:0:FFFF:A01:203',
    );
    expect(leaf.checkHost('senec.fritz.box')).toBe('senec.fritz.box');
    expect(leaf.checkHost('a.example.test')).toBe('*.example.test'); // the SAN entry that matched
    expect(leaf.checkHost('a.b.example.test')).toBeUndefined();
    expect(leaf.checkIP('192.168.178.50')).toBe('192.168.178.50');
    expect(leaf.checkIP('127.0.0.1')).toBeUndefined();
  });

  it('honours caCommonName, notBefore and validityDays, including GeneralizedTime after 2049', () => {
    const notBefore = new Date('2045-03-01T12:00:00.750Z');
    const material = generateTlsMaterial({ commonName: 'Speicher Müller', caCommonName: 'Test Root', notBefore, validityDays: 3650 });
    const [leaf] = certificates(material.cert);
    const ca = new X509Certificate(material.ca);
    expect(ca.subject).toBe('CN=Test Root');
    expect(leaf!.subject).toBe('CN=Speicher Müller'); // not printable: UTF8String
    expect(new Date(leaf!.validFrom).toISOString()).toBe('2045-03-01T12:00:00.000Z');
    expect(new Date(leaf!.validTo).toISOString()).toBe('2055-02-27T12:00:00.000Z');
    expect(new Date(ca.validTo).toISOString()).toBe('2055-02-27T12:00:00.000Z');
  });

  it('starts validity shortly before now by default and lasts ten years', () => {
    const from = new Date(ecLeaf!.validFrom).getTime();
    const to = new Date(ecLeaf!.validTo).getTime();
    expect(from).toBeLessThan(Date.now() - 30 * 60 * 1000);
    expect(from).toBeGreaterThan(Date.now() - 2 * 60 * 60 * 1000);
    expect(to - from).toBe(3650 * 24 * 60 * 60 * 1000);
  });

  it('gives every generation fresh keys and serials', () => {
    const other = generateTlsMaterial({ commonName: 'senec.emulator' });
    const [otherLeaf] = certificates(other.cert);
    const otherCa = new X509Certificate(other.ca);
    expect(otherLeaf!.serialNumber).not.toBe(ecLeaf!.serialNumber);
    expect(otherCa.serialNumber).not.toBe(ecCa.serialNumber);
    expect(other.key).not.toBe(ec.key);
    expect(other.fingerprint256).not.toBe(ec.fingerprint256);
    expect(otherLeaf!.verify(ecCa.publicKey)).toBe(false);
    for (const serial of [ecLeaf!.serialNumber, otherLeaf!.serialNumber]) {
      expect(serial).toMatch(/^[0-9A-F]{1,32}$/); // positive, at most 16 octets
    }
  });

  it('supports RSA-2048 keys', () => {
    const [leaf] = certificates(rsa().cert);
    const ca = new X509Certificate(rsa().ca);
    expect(leaf!.publicKey.asymmetricKeyType).toBe('rsa');
    expect(leaf!.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(leaf!.verify(ca.publicKey)).toBe(true);
    expect(leaf!.checkPrivateKey(createPrivateKey(rsa().key))).toBe(true);
    expect(leaf!.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
  });

  it('rejects options it cannot encode', () => {
    expect(() => generateTlsMaterial({ commonName: '' })).toThrow(/commonName/);
    expect(() => generateTlsMaterial({ commonName: 'x', validityDays: 0 })).toThrow(/validityDays/);
    expect(() => generateTlsMaterial({ commonName: 'x', altNames: ['bad name'] })).toThrow(/bad name/);
    expect(() => generateTlsMaterial({ commonName: 'x', altNames: ['müller.de'] })).toThrow(/müller/);
    expect(() => generateTlsMaterial({ commonName: 'x', altNames: ['fe80::1%eth0'] })).toThrow(/zone/);
    expect(() => generateTlsMaterial({ commonName: 'x', notBefore: new Date(Number.NaN) })).toThrow(/notBefore/);
  });

  it.skipIf(!existsSync('/usr/bin/openssl'))('is accepted and verified by openssl', () => {
    const dir = mkdtempSync(join(tmpdir(), 'voltbench-tls-'));
    try {
      const leafPath = join(dir, 'leaf.pem');
      const caPath = join(dir, 'ca.pem');
      writeFileSync(leafPath, ec.cert);
      writeFileSync(caPath, ec.ca);
      const text = execFileSync('/usr/bin/openssl', ['x509', '-noout', '-text', '-in', leafPath], { encoding: 'utf8' });
      expect(text).toContain('Issuer: CN = SenecGui-Root');
      expect(text).toContain('Subject: CN = senec.emulator');
      expect(text).toContain('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
      expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
      const caText = execFileSync('/usr/bin/openssl', ['x509', '-noout', '-text', '-in', caPath], { encoding: 'utf8' });
      expect(caText).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
      expect(caText).toMatch(/Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign/);
      // -x509_strict also checks RFC 5280 details such as key identifiers and extension criticality.
      const verdict = execFileSync('/usr/bin/openssl', ['verify', '-x509_strict', '-CAfile', caPath, leafPath], { encoding: 'utf8' });
      expect(verdict.trim()).toBe(`${leafPath}: OK`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('HTTPS with generated material (127.0.0.1)', () => {
  const servers: Server[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    })));
  });

  async function serve(material: TlsMaterial): Promise<number> {
    const server = createServer({ key: material.key, cert: material.cert }, (_req, res) => res.end('lala'));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  function fetchBody(port: number, options: { ca?: string; servername?: string } = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', agent: false, ...options }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('is trusted by a verifying client that knows the CA', async () => {
    const port = await serve(ec);
    await expect(fetchBody(port, { ca: ec.ca })).resolves.toBe('lala');
    await expect(fetchBody(port, { ca: ec.ca, servername: 'localhost' })).resolves.toBe('lala');
  });

  it('is rejected by a verifying client without the CA', async () => {
    const port = await serve(ec);
    await expect(fetchBody(port)).rejects.toMatchObject({ code: 'SELF_SIGNED_CERT_IN_CHAIN' });
  });

  it('is rejected when the client trusts a different SenecGui-Root', async () => {
    const port = await serve(ec);
    const stranger = generateTlsMaterial({ commonName: 'senec.emulator' });
    await expect(fetchBody(port, { ca: stranger.ca })).rejects.toMatchObject({
      code: expect.stringMatching(/^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_SIGNATURE_FAILURE)$/),
    });
  });

  it('is rejected for a host name outside subjectAltName', async () => {
    const port = await serve(ec);
    await expect(fetchBody(port, { ca: ec.ca, servername: 'other.example' })).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('serves with RSA material as well', async () => {
    const port = await serve(rsa());
    await expect(fetchBody(port, { ca: rsa().ca })).resolves.toBe('lala');
  });
});

describe('loadTlsMaterial', () => {
  const dir = mkdtempSync(join(tmpdir(), 'voltbench-tls-load-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function file(name: string, content: string): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  it('loads a key and chain, taking the CA from the chain', () => {
    const loaded = loadTlsMaterial(file('key.pem', ec.key), file('chain.pem', ec.cert));
    expect(loaded.fingerprint256).toBe(ec.fingerprint256);
    expect(new X509Certificate(loaded.ca).fingerprint256).toBe(ecCa.fingerprint256);
    expect(certificates(loaded.cert).map((c) => c.fingerprint256)).toEqual([ec.fingerprint256, ecCa.fingerprint256]);
    expect(createPrivateKey(loaded.key).equals(createPrivateKey(ec.key))).toBe(true);
  });

  it('uses the certificate itself as CA when the file holds one certificate', () => {
    const leafOnly = ec.cert.match(PEM_CERT)![0];
    const loaded = loadTlsMaterial(file('key1.pem', ec.key), file('leaf.pem', leafOnly));
    expect(new X509Certificate(loaded.ca).fingerprint256).toBe(ec.fingerprint256);
    expect(certificates(loaded.cert)).toHaveLength(1);
  });

  it('accepts an OpenSSL-style SEC1 key preceded by EC PARAMETERS', () => {
    const sec1 = createPrivateKey(ec.key).export({ type: 'sec1', format: 'pem' }) as string;
    const params = `-----BEGIN EC PARAMETERS-----\n${oid('1.2.840.10045.3.1.7').toString('base64')}\n-----END EC PARAMETERS-----\n`;
    const loaded = loadTlsMaterial(file('sec1.pem', params + sec1), file('chain2.pem', ec.cert));
    expect(loaded.key).toContain('-----BEGIN PRIVATE KEY-----');
    expect(loaded.fingerprint256).toBe(ec.fingerprint256);
  });

  it('serves HTTPS with loaded material', async () => {
    const loaded = loadTlsMaterial(file('key2.pem', ec.key), file('chain3.pem', ec.cert));
    const server = createServer({ key: loaded.key, cert: loaded.cert }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const body = await new Promise<string>((resolve, reject) => {
        request({ host: '127.0.0.1', port, agent: false, ca: loaded.ca }, (res) => {
          res.setEncoding('utf8');
          let text = '';
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve(text));
        }).on('error', reject).end();
      });
      expect(body).toBe('ok');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('names the file that cannot be read', () => {
    const missing = join(dir, 'missing.pem');
    expect(() => loadTlsMaterial(missing, file('c1.pem', ec.cert))).toThrow(new RegExp(`cannot read TLS key file ${missing}`));
    expect(() => loadTlsMaterial(file('k1.pem', ec.key), missing)).toThrow(new RegExp(`cannot read TLS certificate file ${missing}`));
  });

  it('names the file that is not PEM or holds the wrong kind of block', () => {
    const garbage = file('garbage.pem', 'not a pem file\n');
    expect(() => loadTlsMaterial(garbage, file('c2.pem', ec.cert))).toThrow(`TLS key file ${garbage} is not PEM`);
    expect(() => loadTlsMaterial(file('k2.pem', ec.key), garbage)).toThrow(`TLS certificate file ${garbage} is not PEM`);
    const certAsKey = file('swapped-key.pem', ec.cert);
    const keyAsCert = file('swapped-cert.pem', ec.key);
    expect(() => loadTlsMaterial(certAsKey, keyAsCert)).toThrow(`TLS key file ${certAsKey} contains no PRIVATE KEY block`);
    expect(() => loadTlsMaterial(file('k3.pem', ec.key), keyAsCert)).toThrow(`TLS certificate file ${keyAsCert} contains no CERTIFICATE block`);
    const broken = file('broken.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expect(() => loadTlsMaterial(file('k4.pem', ec.key), broken)).toThrow(`TLS certificate file ${broken}: certificate #1 cannot be parsed`);
    const brokenKey = file('broken-key.pem', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    expect(() => loadTlsMaterial(brokenKey, file('c3.pem', ec.cert))).toThrow(`TLS key file ${brokenKey} holds no usable private key`);
  });

  it('refuses a key that does not belong to the certificate', () => {
    const other = generateTlsMaterial({ commonName: 'other' });
    const chain = file('c4.pem', ec.cert);
    const wrongKey = file('wrong-key.pem', other.key);
    const rsaKey = file('rsa-key.pem', rsa().key);
    expect(() => loadTlsMaterial(wrongKey, chain)).toThrow(`TLS key file ${wrongKey} does not match the certificate in ${chain}`);
    expect(() => loadTlsMaterial(rsaKey, chain)).toThrow(`TLS key file ${rsaKey} does not match the certificate in ${chain}`);
  });
});
