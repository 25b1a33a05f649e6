/**
 * TLS material for emulated devices, built with node:crypto alone: a private root CA (the SENEC
 * device's is called `SenecGui-Root`) and a server certificate signed by it, or a user-supplied
 * key/certificate pair loaded from PEM files.
 */
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  explicit,
  implicit,
  integer,
  namedBits,
  nullValue,
  octetString,
  oid,
  printableString,
  readChildren,
  readElement,
  sequence,
  set,
  utf8String,
  x509Time,
} from './der.js';

/** PEM strings; `cert` is the leaf followed by its CA (the chain nginx sends), `ca` the CA alone. */
export interface TlsMaterial {
  key: string;
  cert: string;
  ca: string;
  /** SHA-256 fingerprint of the leaf, formatted like node's `X509Certificate.fingerprint256`. */
  fingerprint256: string;
}

export interface CertificateOptions {
  commonName: string;
  /** Default 'SenecGui-Root', the private CA of SENEC devices from firmware 0825 on. */
  caCommonName?: string;
  /** DNS names or IP addresses for subjectAltName; default ['localhost', '127.0.0.1', '::1']. */
  altNames?: string[];
  validityDays?: number;
  /** 'ec' (P-256, default, fast) or 'rsa' (2048-bit). */
  keyType?: 'ec' | 'rsa';
  /** Default: one hour ago, so clients whose clocks lag a little still accept the certificate. */
  notBefore?: Date;
}

export const DEFAULT_CA_COMMON_NAME = 'SenecGui-Root';
export const DEFAULT_ALT_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];
export const DEFAULT_VALIDITY_DAYS = 3650;

const DAY_MS = 24 * 60 * 60 * 1000;

const OID = {
  commonName: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256WithRsaEncryption: '1.2.840.113549.1.1.11',
} as const;

/** keyUsage bit numbers (RFC 5280 §4.2.1.3). */
const KeyUsage = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;

interface KeyPair {
  privateKey: KeyObject;
  spki: Buffer;
  keyId: Buffer;
}

function newKeyPair(keyType: 'ec' | 'rsa'): KeyPair {
  const { privateKey, publicKey } = keyType === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, spki, keyId: keyIdentifier(spki) };
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's value (without the unused-bits octet). */
function keyIdentifier(spki: Buffer): Buffer {
  const [, subjectPublicKey] = readChildren(readElement(spki).content);
  if (!subjectPublicKey) throw new Error('SubjectPublicKeyInfo without a public key');
  return createHash('sha1').update(subjectPublicKey.content.subarray(1)).digest();
}

/** A Name with a single CN; PrintableString when the text allows it, UTF8String otherwise. */
function distinguishedName(commonName: string): Buffer {
  let value: Buffer;
  try {
    value = printableString(commonName);
  } catch {
    value = utf8String(commonName);
  }
  return sequence(set(sequence(oid(OID.commonName), value)));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  // DER omits `critical` when it has its DEFAULT value FALSE.
  return critical ? sequence(oid(id), boolean(true), octetString(value)) : sequence(oid(id), octetString(value));
}

/** A positive serial of at most 16 octets (RFC 5280 allows 20); top bit cleared so no sign padding is needed. */
function randomSerial(): Buffer {
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) || 0x01;
  return serial;
}

function ipAddressBytes(text: string): Buffer {
  if (isIP(text) === 4) return Buffer.from(text.split('.').map(Number));
  const [head = '', tail] = text.split('::');
  const groups = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').flatMap((group) => {
      if (!group.includes('.')) return [parseInt(group, 16)];
      const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number); // embedded IPv4, e.g. ::ffff:10.0.0.1
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const bytes = Buffer.alloc(16);
  all.forEach((group, i) => bytes.writeUInt16BE(group, i * 2));
  return bytes;
}

/** GeneralNames: `[2] dNSName` (IA5String) and `[7] iPAddress` (4 or 16 octets), both IMPLICIT. */
function subjectAltNames(names: readonly string[]): Buffer {
  return sequence(...names.map((name) => {
    if (name.includes('%')) throw new Error(`altName "${name}": IPv6 zone ids cannot go into a certificate`);
    if (isIP(name) !== 0) return implicit(7, ipAddressBytes(name));
    if (!/^[A-Za-z0-9*]([A-Za-z0-9.*-]*[A-Za-z0-9])?$/.test(name)) {
      throw new Error(`altName "${name}" is neither an IP address nor an ASCII DNS name`);
    }
    return implicit(2, Buffer.from(name, 'ascii'));
  }));
}

function signatureAlgorithm(keyType: 'ec' | 'rsa'): Buffer {
  // ECDSA identifiers carry no parameters; the RSA one carries an explicit NULL.
  return keyType === 'rsa' ? sequence(oid(OID.sha256WithRsaEncryption), nullValue()) : sequence(oid(OID.ecdsaWithSha256));
}

interface CertificateSpec {
  subject: Buffer;
  issuer: Buffer;
  subjectKey: KeyPair;
  issuerKey: KeyPair;
  keyType: 'ec' | 'rsa';
  notBefore: Date;
  notAfter: Date;
  extensions: Buffer[];
}

function buildCertificate(spec: CertificateSpec): Buffer {
  const algorithm = signatureAlgorithm(spec.keyType);
  const tbs = sequence(
    explicit(0, integer(2)), // version v3
    integer(randomSerial()),
    algorithm,
    spec.issuer,
    sequence(x509Time(spec.notBefore), x509Time(spec.notAfter)),
    spec.subject,
    spec.subjectKey.spki,
    explicit(3, sequence(...spec.extensions)),
  );
  // node returns ECDSA signatures DER-encoded (dsaEncoding 'der') and RSA ones as PKCS#1 v1.5.
  const signature = sign('sha256', tbs, spec.issuerKey.privateKey);
  return sequence(tbs, algorithm, bitString(signature));
}

function toPem(der: Buffer, label = 'CERTIFICATE'): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** A fresh CA (default `SenecGui-Root`) and a server certificate for `commonName` signed by it. */
export function generateTlsMaterial(options: CertificateOptions): TlsMaterial {
  const keyType = options.keyType ?? 'ec';
  const validityDays = options.validityDays ?? DEFAULT_VALIDITY_DAYS;
  const altNames = options.altNames ?? DEFAULT_ALT_NAMES;
  if (options.commonName.trim() === '') throw new Error('commonName must not be empty');
  if (!(validityDays > 0) || !Number.isFinite(validityDays)) throw new RangeError(`validityDays must be positive, got ${validityDays}`);
  if (keyType !== 'ec' && keyType !== 'rsa') throw new Error(`unsupported keyType "${String(keyType)}"`);

  // Whole seconds: X.509 times have no fractions, and equal bounds for CA and leaf keep the leaf inside the CA's validity.
  const start = Math.floor((options.notBefore?.getTime() ?? Date.now() - 60 * 60 * 1000) / 1000) * 1000;
  if (Number.isNaN(start)) throw new RangeError('notBefore is not a valid date');
  const notBefore = new Date(start);
  const notAfter = new Date(start + Math.round(validityDays * DAY_MS));

  const caKey = newKeyPair(keyType);
  const leafKey = newKeyPair(keyType);
  const caName = distinguishedName(options.caCommonName ?? DEFAULT_CA_COMMON_NAME);
  const leafName = distinguishedName(options.commonName);
  const authorityKeyId = (key: KeyPair) => sequence(implicit(0, key.keyId));

  const caDer = buildCertificate({
    subject: caName,
    issuer: caName,
    subjectKey: caKey,
    issuerKey: caKey,
    keyType,
    notBefore,
    notAfter,
    extensions: [
      extension(OID.basicConstraints, true, sequence(boolean(true), integer(0))), // CA, no intermediate below it
      extension(OID.keyUsage, true, namedBits([KeyUsage.digitalSignature, KeyUsage.keyCertSign, KeyUsage.cRLSign])),
      extension(OID.subjectKeyIdentifier, false, octetString(caKey.keyId)),
      extension(OID.authorityKeyIdentifier, false, authorityKeyId(caKey)),
    ],
  });

  // keyEncipherment matters only for RSA key exchange (TLS 1.2 with an RSA key).
  const leafUsage = keyType === 'rsa' ? [KeyUsage.digitalSignature, KeyUsage.keyEncipherment] : [KeyUsage.digitalSignature];
  const leafDer = buildCertificate({
    subject: leafName,
    issuer: caName,
    subjectKey: leafKey,
    issuerKey: caKey,
    keyType,
    notBefore,
    notAfter,
    extensions: [
      extension(OID.basicConstraints, true, sequence()), // cA FALSE is the DEFAULT, hence omitted
      extension(OID.keyUsage, true, namedBits(leafUsage)),
      extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))),
      extension(OID.subjectAltName, false, subjectAltNames(altNames)),
      extension(OID.subjectKeyIdentifier, false, octetString(leafKey.keyId)),
      extension(OID.authorityKeyIdentifier, false, authorityKeyId(caKey)),
    ],
  });

  const ca = toPem(caDer);
  const leaf = toPem(leafDer);
  return {
    key: leafKey.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    cert: leaf + ca,
    ca,
    fingerprint256: new X509Certificate(leafDer).fingerprint256,
  };
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

function readPemFile(path: string, what: string): { label: string; pem: string }[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read TLS ${what} file ${path}: ${(error as Error).message}`);
  }
  const blocks = [...text.matchAll(PEM_BLOCK)].map((match) => ({ label: match[1] ?? '', pem: `${match[0]}\n` }));
  if (blocks.length === 0) throw new Error(`TLS ${what} file ${path} is not PEM (no -----BEGIN …----- / -----END …----- block)`);
  return blocks;
}

/**
 * A user-supplied key and certificate chain (PEM). `cert` keeps the file's chain; `ca` is the
 * chain's remaining certificates, or the leaf itself when the file holds only one (self-signed).
 */
export function loadTlsMaterial(keyPath: string, certPath: string): TlsMaterial {
  const keyBlock = readPemFile(keyPath, 'key').find((block) => block.label.endsWith('PRIVATE KEY'));
  if (!keyBlock) throw new Error(`TLS key file ${keyPath} contains no PRIVATE KEY block`);
  if (keyBlock.label === 'ENCRYPTED PRIVATE KEY') throw new Error(`TLS key file ${keyPath} is encrypted; supply an unencrypted key`);
  let key: KeyObject;
  try {
    key = createPrivateKey(keyBlock.pem);
  } catch (error) {
    throw new Error(`TLS key file ${keyPath} holds no usable private key: ${(error as Error).message}`);
  }

  const certBlocks = readPemFile(certPath, 'certificate').filter((block) => block.label === 'CERTIFICATE');
  if (certBlocks.length === 0) throw new Error(`TLS certificate file ${certPath} contains no CERTIFICATE block`);
  const chain = certBlocks.map((block, index) => {
    try {
      return new X509Certificate(block.pem);
    } catch (error) {
      throw new Error(`TLS certificate file ${certPath}: certificate #${index + 1} cannot be parsed: ${(error as Error).message}`);
    }
  });
  const [leaf, ...rest] = chain;
  if (!leaf) throw new Error(`TLS certificate file ${certPath} contains no certificate`);

  let matches: boolean;
  try {
    matches = leaf.checkPrivateKey(key);
  } catch {
    matches = false; // e.g. an RSA key against an EC certificate
  }
  if (!matches) throw new Error(`TLS key file ${keyPath} does not match the certificate in ${certPath}`);

  return {
    key: key.export({ type: 'pkcs8', format: 'pem' }) as string,
    cert: chain.map((certificate) => certificate.toString()).join(''),
    ca: (rest.length > 0 ? rest : [leaf]).map((certificate) => certificate.toString()).join(''),
    fingerprint256: leaf.fingerprint256,
  };
}
