import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import type https from 'node:https';
import {
  SenecCertificateMismatchError,
  SenecClient,
  SenecConnectionError,
  fieldOf,
  numberOf,
  type SenecClientOptions,
} from './index.js';
import { failure, lalaResponder, makeTlsMaterial, startFakeDevice, type TlsMaterial, type TlsPair } from './test-support.js';

let material: TlsMaterial;
beforeAll(() => {
  material = makeTlsMaterial();
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const fingerprint = (pair: TlsPair) => new X509Certificate(pair.cert).fingerprint256;

async function setup(pair: TlsPair, options: Partial<SenecClientOptions> = {}) {
  const device = await startFakeDevice(lalaResponder({ ENERGY: { STAT_STATE: 'u8_0E' } }), pair);
  const client = new SenecClient({ baseUrl: device.url, sleep: async () => {}, ...options });
  cleanups.push(() => device.close(), () => client.close());
  /** Serves another certificate to new connections and drops the open ones, as a swapped device would. */
  const swapCertificate = (next: TlsPair) => {
    (device.server as https.Server).setSecureContext({ key: next.key, cert: next.cert });
    device.server.closeAllConnections();
  };
  const stateOf = async () => numberOf(fieldOf(await client.read({ ENERGY: ['STAT_STATE'] }), 'ENERGY', 'STAT_STATE'));
  return { device, client, swapCertificate, stateOf };
}

describe('HTTPS', () => {
  it('talks to a self-signed device with verification off by default and exposes the fingerprint', async () => {
    const { client, stateOf } = await setup(material.leafA);
    expect(client.certificateFingerprint).toBeUndefined();
    expect(await stateOf()).toBe(14);
    expect(client.certificateFingerprint).toBe(fingerprint(material.leafA));
    expect(client.certificateFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('verifies against the SenecGui-Root CA when `ca` is given', async () => {
    const { stateOf } = await setup(material.leafA, { tls: { ca: material.caCert } });
    expect(await stateOf()).toBe(14);
  });

  it('refuses a certificate the given CA did not sign, without retrying or sending the request', async () => {
    const { device, client } = await setup(material.leafA, { tls: { ca: material.otherCaCert } });
    const error = await failure(client.read({ ENERGY: ['STAT_STATE'] }));
    expect(error).toBeInstanceOf(SenecConnectionError);
    expect((error as SenecConnectionError).code).toMatch(/UNABLE_TO_VERIFY|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
    expect(error.attempts).toBe(1);
    expect(device.requests).toHaveLength(0);
  });

  it('checks the host name with `ca` unless checkHostname is false', async () => {
    const strict = await setup(material.leafOtherName, { tls: { ca: material.caCert } });
    const error = await failure(strict.client.read({ ENERGY: ['STAT_STATE'] }));
    expect(error).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', attempts: 1 });

    const lenient = await setup(material.leafOtherName, { tls: { ca: material.caCert, checkHostname: false } });
    expect(await lenient.stateOf()).toBe(14);
  });

  it("pins the first-seen certificate and refuses a different one before sending anything", async () => {
    const { device, client, swapCertificate, stateOf } = await setup(material.leafA, { tls: { pin: 'first-seen' }, retries: 3 });
    expect(await stateOf()).toBe(14);
    expect(await stateOf()).toBe(14);
    expect(client.certificateFingerprint).toBe(fingerprint(material.leafA));

    swapCertificate(material.leafB);
    const error = await failure(client.read({ ENERGY: ['STAT_STATE'] }));
    expect(error).toBeInstanceOf(SenecCertificateMismatchError);
    expect(error).toMatchObject({ expected: fingerprint(material.leafA), actual: fingerprint(material.leafB) });
    // Not retried (3 retries allowed); one extra attempt happens when the client first reuses the dropped socket.
    expect(error.attempts).toBeLessThanOrEqual(2);
    expect(device.requests).toHaveLength(2);
    expect(client.certificateFingerprint).toBe(fingerprint(material.leafA));

    // The pin stays on the first certificate: the original one is accepted again.
    swapCertificate(material.leafA);
    expect(await stateOf()).toBe(14);
  });

  it('accepts a given fingerprint in any case, with or without colons', async () => {
    const pin = fingerprint(material.leafA).replaceAll(':', '').toLowerCase();
    const { stateOf } = await setup(material.leafA, { tls: { pin } });
    expect(await stateOf()).toBe(14);
  });

  it('refuses the first connection when the given fingerprint does not match', async () => {
    const { device, client } = await setup(material.leafA, { tls: { pin: fingerprint(material.leafB) } });
    const error = await failure(client.read({ ENERGY: ['STAT_STATE'] }));
    expect(error).toBeInstanceOf(SenecCertificateMismatchError);
    expect(device.requests).toHaveLength(0);
    expect(client.certificateFingerprint).toBeUndefined();
  });

  it('rejects a pin that is not a SHA-256 fingerprint at construction', () => {
    expect(() => new SenecClient({ baseUrl: 'https://127.0.0.1:1', tls: { pin: 'AB:CD' } })).toThrow(TypeError);
  });
});
